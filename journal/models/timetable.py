"""Bell times and the weekly timetable that dated lessons are generated from."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from school.models import TimeStampedModel

MSG_BELL_ORDER = _("Урок должен заканчиваться позже, чем начинается.")


class Weekday(models.IntegerChoices):
    MONDAY = 1, _("понедельник")
    TUESDAY = 2, _("вторник")
    WEDNESDAY = 3, _("среда")
    THURSDAY = 4, _("четверг")
    FRIDAY = 5, _("пятница")
    SATURDAY = 6, _("суббота")


class Bell(models.Model):
    """When lesson ``number`` of a shift starts and ends."""

    school = models.ForeignKey(
        "school.School", on_delete=models.CASCADE, related_name="bells", verbose_name=_("школа")
    )
    shift = models.PositiveSmallIntegerField(_("смена"), default=1)
    number = models.PositiveSmallIntegerField(
        _("номер урока"), validators=[MinValueValidator(0), MaxValueValidator(10)]
    )
    starts_at = models.TimeField(_("начало"))
    ends_at = models.TimeField(_("окончание"))

    class Meta:
        verbose_name = _("звонок")
        verbose_name_plural = _("расписание звонков")
        ordering = ["school", "shift", "number"]
        constraints = [
            models.UniqueConstraint(fields=["school", "shift", "number"], name="bell_unique"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="bell_order",
                violation_error_message=MSG_BELL_ORDER,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} урок: {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"


class TimetableEntry(TimeStampedModel):
    """One weekly slot: a class (or a group) has a subject with a teacher on a weekday."""

    school_class = models.ForeignKey(
        "school.SchoolClass",
        on_delete=models.CASCADE,
        related_name="timetable",
        verbose_name=_("класс"),
    )
    group = models.ForeignKey(
        "school.StudyGroup",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="timetable",
        verbose_name=_("группа"),
    )
    subject = models.ForeignKey(
        "school.Subject", on_delete=models.PROTECT, related_name="+", verbose_name=_("предмет")
    )
    teacher = models.ForeignKey(
        "school.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("учитель")
    )
    weekday = models.PositiveSmallIntegerField(_("день недели"), choices=Weekday.choices)
    number = models.PositiveSmallIntegerField(_("номер урока"))
    room = models.CharField(_("кабинет"), max_length=20, blank=True)
    valid_from = models.DateField(_("действует с"))
    valid_to = models.DateField(_("действует по"), null=True, blank=True)

    # «Изменить строку расписания»: the admin's titles (school.admin_site).
    verbose_name_accusative = _("строку расписания")

    class Meta:
        verbose_name = _("строка расписания")
        verbose_name_plural = _("расписание")
        ordering = ["school_class", "weekday", "number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="timetable_dates",
            ),
            models.CheckConstraint(
                condition=Q(weekday__gte=1, weekday__lte=6), name="timetable_weekday"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school_class} {self.get_weekday_display()} {self.number}: {self.subject}"

    def clean(self) -> None:
        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("Дата окончания раньше даты начала.")})

"""The school and its calendar: academic years, assessment periods, holidays."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .base import TimeStampedModel

MSG_END_BEFORE_START = _("Дата окончания раньше даты начала.")
MSG_PERIOD_OUTSIDE_YEAR = _(
    "Период %(period)s (%(start)s – %(end)s) выходит за границы учебного года %(year)s."
)
MSG_HOLIDAY_OUTSIDE_YEAR = _("Каникулы выходят за границы учебного года %(year)s.")


def today_in(zone: str | None) -> dt.date:
    """Today's date in the time zone ``zone`` (a school's); None: the deployment's own zone
    (``TIME_ZONE``), for a person attached to no school. The one place that reads the clock
    as a date (ruff's banned-api forbids ``date.today()`` and ``timezone.localdate()``)."""
    from zoneinfo import ZoneInfo

    from django.conf import settings
    from django.utils import timezone

    return timezone.now().astimezone(ZoneInfo(zone or settings.TIME_ZONE)).date()


class School(TimeStampedModel):
    """An educational organisation. One deployment may serve a district or a region."""

    name = models.CharField(_("полное наименование"), max_length=500)
    short_name = models.CharField(_("краткое наименование"), max_length=200)
    address = models.CharField(_("адрес"), max_length=500, blank=True)
    ogrn = models.CharField(_("ОГРН"), max_length=13, blank=True)
    inn = models.CharField(_("ИНН"), max_length=12, blank=True)
    phone = models.CharField(_("телефон"), max_length=40, blank=True)
    email = models.EmailField(_("электронная почта"), blank=True)
    timezone = models.CharField(_("часовой пояс"), max_length=64, default="Europe/Simferopol")
    week_days = models.PositiveSmallIntegerField(
        _("дней в учебной неделе"),
        default=5,
        choices=[(5, _("пятидневка")), (6, _("шестидневка"))],
        help_text=_("Первый класс всегда учится пять дней."),
    )
    allow_mark_one = models.BooleanField(_("разрешена отметка «1»"), default=False)

    # «Изменить школу»: the admin's titles (school.admin_site).
    verbose_name_accusative = _("школу")

    class Meta:
        verbose_name = _("школа")
        verbose_name_plural = _("школы")
        ordering = ["short_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(week_days__in=[5, 6]), name="school_week_days_5_or_6"
            ),
        ]

    def __str__(self) -> str:
        return self.short_name

    def local_today(self) -> dt.date:
        """Today's date where the school is, not where the server is."""
        return today_in(self.timezone)

    @property
    def mark_scale(self) -> tuple[int, ...]:
        """The lesson marks this school gives, best first: 5 to 2, and 1 where the school
        allows it. The one list that the journal's checks, lists and keys are built from."""
        return (5, 4, 3, 2, 1) if self.allow_mark_one else (5, 4, 3, 2)


class AcademicYear(TimeStampedModel):
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="years", verbose_name=_("школа")
    )
    name = models.CharField(_("название"), max_length=20, help_text=_("Например, 2026/2027"))
    start = models.DateField(_("начало"))
    end = models.DateField(_("окончание"))

    class Meta:
        verbose_name = _("учебный год")
        verbose_name_plural = _("учебные годы")
        ordering = ["school", "-start"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="year_unique_name"),
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="year_end_after_start"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": MSG_END_BEFORE_START})

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


class PeriodScheme(models.TextChoices):
    QUARTERS = "quarters", _("четверти")
    HALF_YEARS = "half_years", _("полугодия")
    TRIMESTERS = "trimesters", _("триместры")


class PeriodKind(models.TextChoices):
    QUARTER = "quarter", _("четверть")
    HALF_YEAR = "half_year", _("полугодие")
    TRIMESTER = "trimester", _("триместр")
    YEAR = "year", _("год")
    EXAM = "exam", _("экзамен")
    FINAL = "final", _("итоговая")


SCHEME_PERIOD_KIND = {
    PeriodScheme.QUARTERS: PeriodKind.QUARTER,
    PeriodScheme.HALF_YEARS: PeriodKind.HALF_YEAR,
    PeriodScheme.TRIMESTERS: PeriodKind.TRIMESTER,
}

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


class Period(TimeStampedModel):
    """An assessment period a final mark can belong to: a quarter, half-year, trimester,
    the year, the exam or the final result. Locking a period stops changes to its marks."""

    year = models.ForeignKey(
        AcademicYear,
        on_delete=models.CASCADE,
        related_name="periods",
        verbose_name=_("учебный год"),
    )
    kind = models.CharField(_("вид"), max_length=16, choices=PeriodKind.choices)
    number = models.PositiveSmallIntegerField(
        _("номер"), default=1, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    start = models.DateField(_("начало"))
    end = models.DateField(_("окончание"))
    is_locked = models.BooleanField(_("закрыт"), default=False)
    locked_at = models.DateTimeField(_("закрыт в"), null=True, blank=True)
    locked_by = models.ForeignKey(
        "school.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("закрыл"),
    )

    class Meta:
        verbose_name = _("период")
        verbose_name_plural = _("периоды")
        ordering = ["year", "kind", "number"]
        constraints = [
            models.UniqueConstraint(fields=["year", "kind", "number"], name="period_unique"),
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="period_dates"),
            models.CheckConstraint(
                condition=Q(number__gte=1, number__lte=4), name="period_number_1_4"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if self.kind in (PeriodKind.QUARTER, PeriodKind.HALF_YEAR, PeriodKind.TRIMESTER):
            return f"{ROMAN.get(self.number, self.number)} {self.get_kind_display()}"
        return str(self.get_kind_display()).capitalize()

    def clean(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": MSG_END_BEFORE_START})
        if self.year_id and self.start and self.end:
            year = self.year
            if self.start < year.start or self.end > year.end:
                raise ValidationError(
                    MSG_PERIOD_OUTSIDE_YEAR,
                    params={
                        "period": self.name,
                        "start": self.start.strftime("%d.%m.%Y"),
                        "end": self.end.strftime("%d.%m.%Y"),
                        "year": year.name,
                    },
                )


class GradeScheme(models.Model):
    """Which periods a grade is assessed by in a year: quarters for 1-9 and half-years for
    10-11 by default; a school may choose otherwise."""

    year = models.ForeignKey(
        AcademicYear,
        on_delete=models.CASCADE,
        related_name="schemes",
        verbose_name=_("учебный год"),
    )
    grade = models.PositiveSmallIntegerField(
        _("параллель"), validators=[MinValueValidator(1), MaxValueValidator(11)]
    )
    scheme = models.CharField(_("система периодов"), max_length=16, choices=PeriodScheme.choices)

    # «Изменить систему периодов параллели»: the admin's titles (school.admin_site).
    verbose_name_accusative = _("систему периодов параллели")

    class Meta:
        verbose_name = _("система периодов параллели")
        verbose_name_plural = _("системы периодов по параллелям")
        ordering = ["year", "grade"]
        constraints = [
            models.UniqueConstraint(fields=["year", "grade"], name="gradescheme_unique"),
            models.CheckConstraint(
                condition=Q(grade__gte=1, grade__lte=11), name="gradescheme_grade_1_11"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grade}: {self.get_scheme_display()}"


def default_scheme_for_grade(grade: int) -> str:
    return PeriodScheme.HALF_YEARS if grade >= 10 else PeriodScheme.QUARTERS


class Holiday(TimeStampedModel):
    year = models.ForeignKey(
        AcademicYear,
        on_delete=models.CASCADE,
        related_name="holidays",
        verbose_name=_("учебный год"),
    )
    name = models.CharField(_("название"), max_length=100)
    start = models.DateField(_("начало"))
    end = models.DateField(_("окончание"))
    only_grade = models.PositiveSmallIntegerField(
        _("только для параллели"),
        null=True,
        blank=True,
        help_text=_("Например, 1 для дополнительных февральских каникул первоклассников."),
        validators=[MinValueValidator(1), MaxValueValidator(11)],
    )

    class Meta:
        verbose_name = _("каникулы")
        verbose_name_plural = _("каникулы")
        ordering = ["year", "start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="holiday_dates"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.start:%d.%m.%Y} – {self.end:%d.%m.%Y})"

    def clean(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": MSG_END_BEFORE_START})
        if (
            self.year_id
            and self.start
            and self.end
            and (self.start < self.year.start or self.end > self.year.end)
        ):
            raise ValidationError(MSG_HOLIDAY_OUTSIDE_YEAR, params={"year": self.year.name})

    def applies_to_grade(self, grade: int) -> bool:
        return self.only_grade is None or self.only_grade == grade

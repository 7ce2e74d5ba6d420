"""Dated lessons and their mark columns."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from school.models import TimeStampedModel


class LessonType(models.TextChoices):
    LESSON = "lesson", _("урок")
    TEST = "test", _("контрольная работа")
    INDEPENDENT = "independent", _("самостоятельная работа")
    CHECK = "check", _("проверочная работа")
    LAB = "lab", _("лабораторная работа")
    PRACTICAL = "practical", _("практическая работа")
    DICTATION = "dictation", _("диктант")
    ESSAY = "essay", _("сочинение")
    PRESENTATION = "presentation", _("изложение")
    CREDIT = "credit", _("зачёт")
    TESTING = "testing", _("тестирование")
    DIAGNOSTIC = "diagnostic", _("диагностическая работа")
    PROJECT = "project", _("защита проекта")
    EXAM = "exam", _("экзамен")


# Lesson types that go into the class's test schedule (график контрольных работ).
TEST_LESSON_TYPES = frozenset(
    {
        LessonType.TEST,
        LessonType.CHECK,
        LessonType.DICTATION,
        LessonType.ESSAY,
        LessonType.PRESENTATION,
        LessonType.CREDIT,
        LessonType.DIAGNOSTIC,
        LessonType.EXAM,
    }
)

# The work type a lesson's first mark column gets by default (codes of WorkType).
DEFAULT_WORK_TYPE_FOR_LESSON = {
    LessonType.LESSON: "answer",
    LessonType.TEST: "test",
    LessonType.INDEPENDENT: "independent",
    LessonType.CHECK: "check",
    LessonType.LAB: "lab",
    LessonType.PRACTICAL: "practical",
    LessonType.DICTATION: "dictation",
    LessonType.ESSAY: "essay",
    LessonType.PRESENTATION: "presentation",
    LessonType.CREDIT: "credit",
    LessonType.TESTING: "testing",
    LessonType.DIAGNOSTIC: "diagnostic",
    LessonType.PROJECT: "project",
    LessonType.EXAM: "exam",
}


class LessonStatus(models.TextChoices):
    PLANNED = "planned", _("запланирован")
    CONDUCTED = "conducted", _("проведён")
    CANCELLED = "cancelled", _("отменён")
    MOVED = "moved", _("перенесён")


ACTIVE_STATUSES = (LessonStatus.PLANNED, LessonStatus.CONDUCTED)


class Lesson(TimeStampedModel):
    """One dated lesson of a class (or of a group) in a subject.

    A moved lesson keeps its old row with status «перенесён» and ``moved_to`` pointing at the
    new one, so the old slot shows where it went. ``version`` grows with every change so that
    stale pages get a conflict instead of overwriting someone else's edit.
    """

    school = models.ForeignKey(
        "school.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("школа")
    )
    school_class = models.ForeignKey(
        "school.SchoolClass",
        on_delete=models.CASCADE,
        related_name="lessons",
        verbose_name=_("класс"),
    )
    group = models.ForeignKey(
        "school.StudyGroup",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="lessons",
        verbose_name=_("группа"),
    )
    subject = models.ForeignKey(
        "school.Subject", on_delete=models.PROTECT, related_name="+", verbose_name=_("предмет")
    )
    teacher = models.ForeignKey(
        "school.User",
        on_delete=models.PROTECT,
        related_name="lessons",
        verbose_name=_("учитель по расписанию"),
    )
    substitute = models.ForeignKey(
        "school.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="substitutions",
        verbose_name=_("замена"),
    )
    date = models.DateField(_("дата"))
    number = models.PositiveSmallIntegerField(_("номер урока"))
    room = models.CharField(_("кабинет"), max_length=20, blank=True)
    topic = models.CharField(_("тема"), max_length=500, blank=True)
    lesson_type = models.CharField(
        _("тип урока"), max_length=16, choices=LessonType.choices, default=LessonType.LESSON
    )
    status = models.CharField(
        _("состояние"), max_length=16, choices=LessonStatus.choices, default=LessonStatus.PLANNED
    )
    is_extra = models.BooleanField(_("дополнительный урок"), default=False)
    timetable_entry = models.ForeignKey(
        "journal.TimetableEntry",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lessons",
        verbose_name=_("строка расписания"),
    )
    moved_to = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="moved_from",
        verbose_name=_("перенесён на"),
    )
    change_reason = models.CharField(_("причина изменения"), max_length=300, blank=True)
    version = models.PositiveIntegerField(_("версия"), default=1)

    class Meta:
        verbose_name = _("урок")
        verbose_name_plural = _("уроки")
        ordering = ["date", "number"]
        indexes = [
            models.Index(fields=["school_class", "subject", "date"]),
            models.Index(fields=["teacher", "date"]),
            models.Index(fields=["substitute", "date"]),
            models.Index(fields=["school", "date"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["school_class", "group", "subject", "date", "number"],
                condition=Q(status__in=["planned", "conducted"]),
                nulls_distinct=False,
                name="lesson_unique_slot",
                violation_error_message=_("У класса уже есть этот урок в это время."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y} {self.number} урок: {self.subject} ({self.school_class})"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def is_test(self) -> bool:
        return self.lesson_type in TEST_LESSON_TYPES

    @property
    def given_by(self):
        """Who actually gives the lesson: the substitute if there is one."""
        return self.substitute or self.teacher


class MarkColumn(models.Model):
    """A column of marks within a lesson: most lessons have one; a dictation has two
    («5/4»), a lesson may add a homework column."""

    lesson = models.ForeignKey(
        Lesson, on_delete=models.CASCADE, related_name="columns", verbose_name=_("урок")
    )
    position = models.PositiveSmallIntegerField(_("номер колонки"), default=1)
    work_type = models.ForeignKey(
        "journal.WorkType", on_delete=models.PROTECT, related_name="+", verbose_name=_("вид работы")
    )
    weight = models.PositiveSmallIntegerField(
        _("вес"),
        null=True,
        blank=True,
        help_text=_("Пусто: вес вида работы."),
    )
    title = models.CharField(_("подпись"), max_length=60, blank=True)

    # «Изменить колонку отметок»: the admin's titles (school.admin_site).
    verbose_name_accusative = _("колонку отметок")

    class Meta:
        verbose_name = _("колонка отметок")
        verbose_name_plural = _("колонки отметок")
        ordering = ["lesson", "position"]
        constraints = [
            models.UniqueConstraint(fields=["lesson", "position"], name="column_unique_position"),
            models.CheckConstraint(
                condition=Q(weight__isnull=True) | Q(weight__gte=1, weight__lte=10),
                name="column_weight_1_10",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.lesson}: {self.title or self.work_type.name}"

    @property
    def effective_weight(self) -> int:
        return self.weight or self.work_type.weight

"""The family's diary: a read model projected from the journal (DESIGN.md section 3)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class EntryKind(models.TextChoices):
    MARK = "mark", _("отметка")
    ABSENCE = "absence", _("посещаемость")
    HOMEWORK = "homework", _("домашнее задание")
    REMARK = "remark", _("рекомендация")
    MESSAGE = "message", _("сообщение")
    LESSON_CHANGE = "lesson_change", _("изменение расписания")


class DiaryEntry(models.Model):
    """One visible item of one student's diary, keyed by its journal source: an update of
    the source rewrites the row, a deletion removes it. Never edited by hand: rebuilt from
    the journal by ``manage.py rebuild_diary``."""

    school = models.ForeignKey(
        "school.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("школа")
    )
    student = models.ForeignKey(
        "school.Student",
        on_delete=models.CASCADE,
        related_name="diary_entries",
        verbose_name=_("обучающийся"),
    )
    kind = models.CharField(_("вид"), max_length=16, choices=EntryKind.choices)
    source_id = models.BigIntegerField(_("запись журнала"))
    date = models.DateField(_("дата"))
    due_date = models.DateField(_("срок"), null=True, blank=True)
    lesson_id = models.BigIntegerField(_("урок"), null=True, blank=True)
    subject = models.ForeignKey(
        "school.Subject",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("предмет"),
    )
    payload = models.JSONField(_("содержание"), default=dict)
    changed_at = models.DateTimeField(_("изменено в журнале"))

    class Meta:
        verbose_name = _("запись дневника")
        verbose_name_plural = _("записи дневника")
        indexes = [
            models.Index(fields=["student", "date"]),
            models.Index(fields=["student", "due_date"]),
            models.Index(fields=["student", "kind", "changed_at"]),
            models.Index(fields=["school", "kind"]),
            # The week's «what changed» reads the coming days' timetable changes: bounded
            # by date whatever the years of substitutions behind them.
            models.Index(
                fields=["student", "date"],
                condition=Q(kind="lesson_change"),
                name="diary_entry_lesson_changes",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "source_id", "student"], name="diary_entry_unique_source"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student_id}: {self.get_kind_display()} {self.date:%d.%m.%Y}"

    @property
    def key(self) -> tuple:
        return (self.kind, self.source_id, self.student_id)


# --- The family's cabinet ---------------------------------------------------------------


class PersonalDataAccess(models.Model):
    """A staff member opened a child's diary (DESIGN.md 4: every view of a child's record by
    staff is logged). Append-only; written by ``diary.services.log_staff_view``."""

    school = models.ForeignKey(
        "school.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("школа")
    )
    viewer = models.ForeignKey(
        "school.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("кто смотрел")
    )
    student = models.ForeignKey(
        "school.Student",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("чей дневник"),
    )
    at = models.DateTimeField(_("когда"), auto_now_add=True)
    page = models.CharField(_("раздел"), max_length=40)
    path = models.CharField(_("адрес"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("просмотр персональных данных")
        verbose_name_plural = _("журнал просмотров персональных данных")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["student", "at"]),
            models.Index(fields=["viewer", "at"]),
            models.Index(fields=["school", "at"]),
        ]

    def __str__(self) -> str:
        return f"{self.at:%d.%m.%Y %H:%M} {self.viewer_id} → {self.student_id}: {self.page}"


class DiarySection(models.TextChoices):
    MARKS = "marks", _("отметки")
    MESSAGES = "messages", _("сообщения")


class DiaryVisit(models.Model):
    """When a family member last opened a section of a child's diary: what came later is
    «new» on the navigation."""

    user = models.ForeignKey(
        "school.User", on_delete=models.CASCADE, related_name="+", verbose_name=_("кто")
    )
    student = models.ForeignKey(
        "school.Student", on_delete=models.CASCADE, related_name="+", verbose_name=_("чей")
    )
    section = models.CharField(_("раздел"), max_length=16, choices=DiarySection.choices)
    seen_at = models.DateTimeField(_("последний просмотр"))

    class Meta:
        verbose_name = _("посещение раздела дневника")
        verbose_name_plural = _("посещения разделов дневника")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "student", "section"], name="diary_visit_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.student_id} {self.section}: {self.seen_at:%d.%m.%Y %H:%M}"


class AbsenceKind(models.TextChoices):
    ILLNESS = "illness", _("болезнь")
    FAMILY = "family", _("семейные обстоятельства")
    OTHER = "other", _("другая причина")


class AbsenceReport(models.Model):
    """A guardian tells the school ahead that the child will miss days. The class teacher
    sees open reports; an absence recorded on those days takes the report as its reason."""

    school = models.ForeignKey(
        "school.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("школа")
    )
    student = models.ForeignKey(
        "school.Student",
        on_delete=models.CASCADE,
        related_name="absence_reports",
        verbose_name=_("обучающийся"),
    )
    reported_by = models.ForeignKey(
        "school.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("сообщил")
    )
    start = models.DateField(_("с"))
    end = models.DateField(_("по"))
    kind = models.CharField(_("причина"), max_length=16, choices=AbsenceKind.choices)
    note = models.CharField(_("пояснение"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("сообщено"), auto_now_add=True)
    # The class teacher marks the reports seen (``services.mark_reports_seen``): until then
    # the class teacher's home and the leadership's overview flag them.
    seen_at = models.DateTimeField(_("просмотрено"), null=True, blank=True)
    seen_by = models.ForeignKey(
        "school.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("кто просмотрел"),
    )

    class Meta:
        verbose_name = _("сообщение о пропуске")
        verbose_name_plural = _("сообщения о пропусках")
        ordering = ["-start", "-created_at"]
        indexes = [
            models.Index(fields=["student", "end"]),
            models.Index(fields=["school", "end"]),
            models.Index(
                fields=["school", "end"],
                condition=models.Q(seen_at__isnull=True),
                name="absence_report_unseen",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")),
                name="absence_report_dates",
                violation_error_message=_("Дата окончания раньше даты начала."),
            ),
        ]

    def __str__(self) -> str:
        dates = f"{self.start:%d.%m.%Y}–{self.end:%d.%m.%Y}"
        return f"{self.student_id}: {self.get_kind_display()} {dates}"

"""The family's diary: a read model projected from the journal (DESIGN.md section 3)."""

from django.db import models
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

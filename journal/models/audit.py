"""The journal's history: nothing is ever overwritten without a trace (seed 1.4)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from school.models import AuditRecord


class ChangeKind(models.TextChoices):
    MARK = "mark", _("отметка")
    ATTENDANCE = "attendance", _("посещаемость")
    HOMEWORK = "homework", _("домашнее задание")
    LESSON = "lesson", _("урок")
    REMARK = "remark", _("рекомендация")
    MESSAGE = "message", _("сообщение")


class ChangeAction(models.TextChoices):
    CREATE = "create", _("добавлено")
    UPDATE = "update", _("изменено")
    DELETE = "delete", _("удалено")


class JournalChange(AuditRecord):
    """A change of a mark, an attendance code, homework, a lesson, a remark or a message."""

    school = models.ForeignKey(
        "school.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("школа")
    )
    kind = models.CharField(_("что"), max_length=16, choices=ChangeKind.choices)
    action = models.CharField(_("действие"), max_length=8, choices=ChangeAction.choices)
    lesson = models.ForeignKey(
        "journal.Lesson",
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        db_constraint=False,
        related_name="+",
        verbose_name=_("урок"),
    )
    student = models.ForeignKey(
        "school.Student",
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        db_constraint=False,
        related_name="+",
        verbose_name=_("обучающийся"),
    )
    column_id = models.BigIntegerField(_("колонка"), null=True, blank=True)

    class Meta(AuditRecord.Meta):
        verbose_name = _("изменение журнала")
        verbose_name_plural = _("история изменений журнала")
        indexes = [
            models.Index(fields=["lesson", "student"]),
            models.Index(fields=["school", "at"]),
            models.Index(fields=["kind", "object_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.at:%d.%m.%Y %H:%M} {self.actor}: {self.get_kind_display()} {self.action}"

"""One shape for every history (``AuditRecord``) and the roster's history: who moved which
student between classes and groups, when, from which dates to which, and why. Append-only,
written only by ``school.services``."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditRecord(models.Model):
    """The shape every audit row shares, whatever it records: who (``actor``), when
    (``at``), which row (``object_id``), what it was (``old``) and became (``new``), and why
    (``reason``). What kind of change it was is each history's own ``kind`` and ``action``.
    The rows are append-only: the services write them and nothing edits them afterwards.
    Every ``*Change`` model derives from this one (tests/test_audit_shape.py)."""

    actor = models.ForeignKey(
        "school.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("кто")
    )
    at = models.DateTimeField(_("когда"), auto_now_add=True)
    object_id = models.BigIntegerField(_("запись"))
    old = models.JSONField(_("было"), null=True, blank=True)
    new = models.JSONField(_("стало"), null=True, blank=True)
    reason = models.CharField(_("причина"), max_length=300, blank=True)

    class Meta:
        abstract = True
        ordering = ["-at", "-id"]


class RosterKind(models.TextChoices):
    ENROLMENT = "enrolment", _("зачисление в класс")
    GROUP_MEMBERSHIP = "membership", _("состав группы")


class RosterAction(models.TextChoices):
    CREATE = "create", _("добавлено")
    UPDATE = "update", _("изменено")
    DELETE = "delete", _("удалено")
    TRANSFER = "transfer", _("перевод в другой класс")


class RosterChange(AuditRecord):
    """A change of an enrolment or a group membership. The student is kept without a
    database constraint so the history outlives the row."""

    school = models.ForeignKey(
        "school.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("школа")
    )
    kind = models.CharField(_("что"), max_length=16, choices=RosterKind.choices)
    action = models.CharField(_("действие"), max_length=8, choices=RosterAction.choices)
    student = models.ForeignKey(
        "school.Student",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name=_("обучающийся"),
    )

    class Meta(AuditRecord.Meta):
        verbose_name = _("изменение состава")
        verbose_name_plural = _("история изменений состава классов и групп")
        indexes = [
            models.Index(fields=["school", "at"]),
            models.Index(fields=["student", "at"]),
        ]

    def __str__(self) -> str:
        return f"{self.at:%d.%m.%Y %H:%M} {self.actor}: {self.get_action_display()}"

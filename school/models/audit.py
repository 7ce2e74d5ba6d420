"""The roster's history: who moved which student between classes and groups, when, from
which dates to which, and why. Append-only, written only by ``school.services``."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RosterKind(models.TextChoices):
    ENROLMENT = "enrolment", _("зачисление в класс")
    GROUP_MEMBERSHIP = "membership", _("состав группы")


class RosterAction(models.TextChoices):
    CREATE = "create", _("добавлено")
    UPDATE = "update", _("изменено")
    DELETE = "delete", _("удалено")
    TRANSFER = "transfer", _("перевод в другой класс")


class RosterChange(models.Model):
    """Who, when, what, which row, before, after, why (the journal's ``JournalChange``
    shape). The student is kept without a foreign key so the history outlives the row."""

    school = models.ForeignKey(
        "school.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("школа")
    )
    actor = models.ForeignKey(
        "school.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("кто")
    )
    at = models.DateTimeField(_("когда"), auto_now_add=True)
    kind = models.CharField(_("что"), max_length=16, choices=RosterKind.choices)
    action = models.CharField(_("действие"), max_length=8, choices=RosterAction.choices)
    object_id = models.BigIntegerField(_("запись"))
    student = models.ForeignKey(
        "school.Student",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name=_("обучающийся"),
    )
    old = models.JSONField(_("было"), null=True, blank=True)
    new = models.JSONField(_("стало"), null=True, blank=True)
    reason = models.CharField(_("причина"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("изменение состава")
        verbose_name_plural = _("история изменений состава классов и групп")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["school", "at"]),
            models.Index(fields=["student", "at"]),
        ]

    def __str__(self) -> str:
        return f"{self.at:%d.%m.%Y %H:%M} {self.actor}: {self.get_action_display()}"

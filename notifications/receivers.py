"""Listen to the journal and to consent; write outbox rows in the same transaction."""

from __future__ import annotations

from typing import Any

from journal.models import ChangeKind, Mark, Message
from school.models import Enrolment, Kinship

from . import services
from .models import Channel, Kind
from .subscriptions import wants


def on_entry_changed(sender: Any, *, kind: str, action: str, instance: Any, **kwargs: Any) -> None:
    if kind == ChangeKind.MARK and action in ("create", "update"):
        mark = Mark.objects.select_related("student", "student__school").get(pk=instance.pk)
        services.marks_recorded(mark=mark)
    elif kind == ChangeKind.MESSAGE and action == "create":
        _message_sent(Message.objects.select_related("school").get(pk=instance.pk))


def _message_sent(message: Message) -> None:
    if message.student_id:
        student_ids = [message.student_id]
    else:
        day = message.created_at.date()
        student_ids = list(
            Enrolment.objects.filter(school_class_id=message.school_class_id, start__lte=day)
            .exclude(end__lt=day)
            .values_list("student_id", flat=True)
        )
    for kinship in Kinship.objects.filter(student_id__in=student_ids).select_related(
        "guardian", "student"
    ):
        for channel in (Channel.EMAIL, Channel.SMS):
            enabled, _ = wants(kinship.guardian_id, kinship.student_id, Kind.MESSAGE, channel)
            if enabled:
                services.instant(
                    school=message.school,
                    guardian=kinship.guardian,
                    student=kinship.student,
                    kind=Kind.MESSAGE,
                    channel=channel,
                    key=f"message:{message.pk}:{kinship.guardian_id}:{kinship.student_id}:"
                    f"{channel}",
                    sources=[["message", message.pk]],
                    recorded_at=message.created_at,
                )


def on_consent_closed(
    sender: Any, *, guardian_id: int, student_ids: list[int], reason: str, **kwargs: Any
) -> None:
    services.suppress_pending(
        guardian_id=guardian_id, student_ids=student_ids, reason=f"{reason}: отправка остановлена"
    )

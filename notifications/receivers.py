"""Listen to the journal and to consent; write outbox rows in the same transaction."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from journal.models import ChangeKind, Lesson, Mark, Message
from school.models import Enrolment, Kinship

from . import outbox
from .channels import channels_closed_by
from .models import Kind
from .subscriptions import preferences


def on_entry_changed(sender: Any, *, kind: str, action: str, instance: Any, **kwargs: Any) -> None:
    if action not in ("create", "update"):
        return  # deletions need nothing: texts are made at sending time from what exists
    if kind == ChangeKind.MARK:
        mark = Mark.objects.select_related("student", "student__school").get(pk=instance.pk)
        outbox.marks_recorded(mark=mark)
    elif kind == ChangeKind.MESSAGE and action == "create":
        _message_sent(Message.objects.select_related("school").get(pk=instance.pk))
    elif kind == ChangeKind.LESSON and _may_concern_tomorrow(instance):
        lesson = Lesson.objects.select_related("school", "moved_to").get(pk=instance.pk)
        outbox.lesson_changed(lesson=lesson)


def _may_concern_tomorrow(lesson: Lesson) -> bool:
    """A cheap first look (no query): lessons far from today, not moved, are not news for
    tomorrow in any time zone, so generating a year's timetable costs nothing here. The
    UTC date is within a day of every school's; ``lesson_changed`` asks the school's."""
    near = abs((lesson.date - timezone.now().date()).days) <= 2
    return near or lesson.moved_to_id is not None


def _message_sent(message: Message) -> None:
    if message.student_id:
        student_ids = [message.student_id]
    else:
        # The class on the school's date of the message, not the UTC one.
        day = timezone.localtime(message.created_at, ZoneInfo(message.school.timezone)).date()
        student_ids = list(
            Enrolment.objects.in_force(day)
            .filter(school_class_id=message.school_class_id)
            .values_list("student_id", flat=True)
        )
    for kinship in Kinship.objects.filter(student_id__in=student_ids).select_related(
        "guardian", "student"
    ):
        chosen = preferences(kinship.guardian_id, [kinship.student_id])
        for (student_id, kind, channel), (enabled, _) in chosen.items():
            if kind != Kind.MESSAGE or not enabled:
                continue
            outbox.instant(
                school=message.school,
                guardian=kinship.guardian,
                student=kinship.student,
                kind=Kind.MESSAGE,
                channel=channel,
                key=f"message:{message.pk}:{kinship.guardian_id}:{student_id}:{channel}",
                sources=[["message", message.pk]],
                recorded_at=message.created_at,
            )


def on_consent_closed(
    sender: Any,
    *,
    guardian_id: int,
    student_ids: list[int],
    reason: str,
    scopes: list[str] | None = None,
    **kwargs: Any,
) -> None:
    """A refusal or withdrawal: stop what is waiting by the channels it closed (all of them
    when the processing itself was refused or withdrawn)."""
    channels = channels_closed_by(scopes) if scopes is not None else None
    if channels == []:
        return  # only the cabinet was closed: the outbox is not concerned
    outbox.suppress_pending(
        guardian_id=guardian_id,
        student_ids=student_ids,
        reason=f"{reason}: отправка остановлена",
        channels=channels,
    )

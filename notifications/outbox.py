"""Writing the outbox: notification rows written in the journal's transaction (coalesced
per child and window, suppressed at once when the consent rule says no), and their
delivery tasks published by name once that transaction commits.

A row's life: ``queued`` (written with the journal change; its Celery task is published
on commit) -> ``sending`` (claimed under a row lock by exactly one task, ``delivery``) ->
``sent``, or back to ``queued`` with a later ``due_at`` after a temporary failure, or
``failed`` after a permanent one or too many attempts. ``suppressed`` (with the reason)
when the consent rule or the family's choice says no, or when nothing is left to tell.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from functools import reduce
from operator import or_

from celery import Signature, current_app
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from journal.models import Lesson, LessonStatus, Mark
from school.models import Enrolment, GroupMembership, Guardian, Kinship, School, Student

from .channels import after_quiet_hours, why_closed
from .models import Channel, Kind, Notification, Status
from .render import moved_from
from .subscriptions import preferences

logger = logging.getLogger(__name__)

# Rows due later than this are not published with a broker ETA (Redis redelivers long ETAs
# after its visibility timeout, and workers would hold a night's SMS in memory): the
# sweeper publishes them when they come within the horizon.
SCHEDULE_HORIZON = dt.timedelta(minutes=15)
# A task may run a little before ``due_at`` (clocks of web and worker machines differ).
EARLY_TOLERANCE = dt.timedelta(seconds=5)
# Published by name: the tasks module imports the delivery, not the other way round.
TASK_OF_CHANNEL = {
    Channel.SMS: "notifications.tasks.deliver_sms",
    Channel.EMAIL: "notifications.tasks.deliver_email",
}


def _task_for(channel: str) -> Signature:
    return current_app.signature(TASK_OF_CHANNEL[channel])


def publish(rows: list[tuple[int, str, dt.datetime]]) -> list[int]:
    """Publish delivery tasks for (id, channel, due_at); returns the ids published. Rows due
    beyond the horizon are left to the sweeper. A broker that is down is logged, not
    raised: the journal change is committed and the sweeper will publish later."""
    now = timezone.now()
    published = []
    for notification_id, channel, due_at in rows:
        if due_at > now + SCHEDULE_HORIZON:
            continue
        task = _task_for(channel)
        try:
            if due_at > now:
                task.apply_async((notification_id,), eta=due_at)
            else:
                task.delay(notification_id)
        except Exception as error:
            logger.warning(
                "could not queue notification %s (%s: %s); the sweeper will retry",
                notification_id,
                type(error).__name__,
                error,
            )
            break  # the broker is down: do not wait for it once per row
        published.append(notification_id)
    if published:
        Notification.objects.filter(pk__in=published, status=Status.QUEUED).update(
            queued_at=timezone.now()
        )
    return published


def schedule_many(rows: list[tuple[int, str, dt.datetime]]) -> None:
    """Publish the tasks of (id, channel, due_at) once the surrounding transaction commits."""
    if rows:
        transaction.on_commit(lambda: publish(rows))


def schedule(notification: Notification) -> None:
    """Queue the delivery task once the surrounding transaction commits."""
    schedule_many([(notification.pk, notification.channel, notification.due_at)])


def _create(**fields) -> Notification:
    """A new row, suppressed at once (with the reason) if the consent rule says no; queued
    and scheduled otherwise. An existing row with the same key is returned unchanged."""
    existing = Notification.objects.filter(idempotency_key=fields["idempotency_key"]).first()
    if existing is not None:
        return existing
    student = fields.get("student")
    reason = why_closed(fields["guardian"].pk, [student.pk] if student else [], fields["channel"])
    if reason:
        fields.update(status=Status.SUPPRESSED, suppressed_reason=reason)
    try:
        with transaction.atomic():
            notification = Notification.objects.create(**fields)
    except IntegrityError:  # the same cause, written by a concurrent transaction
        return Notification.objects.get(idempotency_key=fields["idempotency_key"])
    if notification.status == Status.QUEUED:
        schedule(notification)
    return notification


def _due(school: School, channel: str, delay: dt.timedelta) -> dt.datetime:
    when = timezone.now() + delay
    return after_quiet_hours(when, school.timezone) if channel == Channel.SMS else when


def _coalesce(
    *,
    guardian: Guardian,
    student: Student,
    kind: str,
    channel: str,
    source: list,
    key: str,
    recorded_at: dt.datetime,
    window: dt.timedelta,
) -> Notification:
    """Add ``source`` to the child's waiting notification of this kind and channel (one
    waiting for a retry too), or start one due after ``window`` (and after quiet hours for
    SMS): at most one message per child per window, listing everything new. The text is
    made at sending time, from what is true then (``render``)."""
    pending = (
        Notification.objects.select_for_update()
        .filter(
            guardian=guardian,
            student=student,
            kind=kind,
            channel=channel,
            status=Status.QUEUED,
        )
        .order_by("-created_at")
        .first()
    )
    if pending is not None:
        if source not in pending.sources:
            pending.sources = [*pending.sources, source]
            pending.save(update_fields=["sources", "updated_at"])
        return pending
    return _create(
        school=student.school,
        guardian=guardian,
        student=student,
        channel=channel,
        kind=kind,
        idempotency_key=key,
        sources=[source],
        source_recorded_at=recorded_at,
        due_at=_due(student.school, channel, window),
    )


def _wanted(guardian_id: int, student_id: int, kind: str) -> list[str]:
    """The channels by which the guardian wants this kind of news about this child."""
    chosen = preferences(guardian_id, [student_id])
    return [
        channel
        for channel in (Channel.SMS, Channel.EMAIL)
        if chosen.get((student_id, kind, channel), (False, ""))[0]
    ]


def marks_recorded(*, mark: Mark) -> None:
    """A mark was recorded or corrected: gather it into the child's next marks message
    (SMS and/or e-mail, as each guardian chose). A deletion needs nothing: the text is
    made at sending time from the marks that still exist."""
    student = mark.student
    window = dt.timedelta(minutes=settings.NOTIFY_MARKS_WINDOW_MINUTES)
    for kinship in Kinship.objects.filter(student=student).select_related("guardian"):
        for channel in _wanted(kinship.guardian_id, student.pk, Kind.MARKS):
            _coalesce(
                guardian=kinship.guardian,
                student=student,
                kind=Kind.MARKS,
                channel=channel,
                source=["mark", mark.pk],
                key=f"marks:{kinship.guardian_id}:{student.pk}:{channel}:{mark.pk}:{mark.version}",
                recorded_at=mark.updated_at,
                window=window,
            )


def _lesson_students(lesson: Lesson) -> list[int]:
    """The students of the lesson's class (or group) on its date."""
    if lesson.group_id:
        members = GroupMembership.objects.in_force(lesson.date).filter(group_id=lesson.group_id)
    else:
        members = Enrolment.objects.in_force(lesson.date).filter(
            school_class_id=lesson.school_class_id
        )
    return list(members.values_list("student_id", flat=True))


def is_timetable_news(lesson: Lesson) -> bool:
    """Cancelled, moved, substituted, added, or moved here from another slot."""
    return bool(
        lesson.substitute_id
        or lesson.status in (LessonStatus.CANCELLED, LessonStatus.MOVED)
        or lesson.is_extra
        or moved_from(lesson) is not None
    )


def lesson_changed(*, lesson: Lesson) -> int:
    """A lesson of tomorrow (school time) changed: tell the families who chose timetable
    news. Several changes within the window come as one message. Returns how many
    guardian-child pairs were considered."""
    tomorrow = lesson.school.local_today() + dt.timedelta(days=1)
    days = {lesson.date}
    if lesson.status == LessonStatus.MOVED and lesson.moved_to_id:
        days.add(lesson.moved_to.date)
    if tomorrow not in days or not is_timetable_news(lesson):
        return 0
    window = dt.timedelta(minutes=settings.NOTIFY_TIMETABLE_WINDOW_MINUTES)
    # The change itself, not the lesson's version: a later edit of the topic of a lesson
    # whose substitution was already told does not tell it again.
    state = f"{lesson.pk}:{lesson.status}:{lesson.substitute_id}:{lesson.moved_to_id}"
    kinships = Kinship.objects.filter(student_id__in=_lesson_students(lesson)).select_related(
        "guardian", "student", "student__school"
    )
    count = 0
    for kinship in kinships:
        count += 1
        for channel in _wanted(kinship.guardian_id, kinship.student_id, Kind.TIMETABLE):
            _coalesce(
                guardian=kinship.guardian,
                student=kinship.student,
                kind=Kind.TIMETABLE,
                channel=channel,
                source=["lesson", lesson.pk],
                key=f"timetable:{kinship.guardian_id}:{kinship.student_id}:{channel}:{state}",
                recorded_at=lesson.updated_at,
                window=window,
            )
    return count


def instant(
    *,
    school: School,
    guardian: Guardian,
    student: Student,
    kind: str,
    channel: str,
    key: str,
    sources: list,
    recorded_at: dt.datetime,
) -> Notification:
    """One notification for one cause (a teacher's message, a final mark...)."""
    return _create(
        school=school,
        guardian=guardian,
        student=student,
        channel=channel,
        kind=kind,
        idempotency_key=key,
        sources=sources,
        source_recorded_at=recorded_at,
        due_at=_due(school, channel, dt.timedelta(0)),
    )


def suppress_pending(
    *,
    guardian_id: int,
    student_ids: list[int],
    reason: str,
    channels: Iterable[str] | None = None,
) -> int:
    """Consent closed: nothing still waiting for these children (by these channels, or by
    any) goes out. Family digests that mention one of the children are stopped too."""
    if not student_ids:
        return 0
    about = Q(student_id__in=student_ids) | Q(
        reduce(or_, (Q(sources__contains=[["student", sid]]) for sid in student_ids)),
        student__isnull=True,
    )
    pending = Notification.objects.filter(about, guardian_id=guardian_id, status=Status.QUEUED)
    if channels is not None:
        pending = pending.filter(channel__in=list(channels))
    return pending.update(
        status=Status.SUPPRESSED, suppressed_reason=reason[:300], updated_at=timezone.now()
    )

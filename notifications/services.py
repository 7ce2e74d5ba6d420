"""The outbox: writing notifications with the journal's transaction, delivering them once,
retrying with backoff, and the sweeper that re-queues what a broker or a worker lost.

A row's life: ``queued`` (written with the journal change; its Celery task is published
on commit) -> ``sending`` (claimed under a row lock by exactly one task) -> ``sent``, or back
to ``queued`` with a later ``due_at`` after a temporary failure, or ``failed`` after a
permanent one or too many attempts. ``suppressed`` (with the reason) when the consent rule
or the family's choice says no, or when everything it reported was deleted before sending.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from email.utils import make_msgid
from functools import reduce
from operator import or_
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.utils import DNS_NAME
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from consent.models import Contact, Scope
from consent.rules import channel_open
from journal.models import Lesson, LessonStatus, Mark
from school.models import Enrolment, GroupMembership, Guardian, Kinship, School, Student, User

from . import render
from .models import Channel, Kind, Notification, Status
from .sms import SmsError, get_backend
from .subscriptions import preferences, set_subscription

__all__ = [
    "after_quiet_hours",
    "backoff",
    "deliver",
    "instant",
    "lesson_changed",
    "marks_recorded",
    "resend",
    "schedule",
    "schedule_many",
    "set_subscription",
    "suppress_pending",
    "sweep",
    "why_closed",
]

logger = logging.getLogger(__name__)

BACKOFF_BASE = dt.timedelta(minutes=1)
BACKOFF_CAP = dt.timedelta(hours=2)
# A row «sending» for this long belongs to a worker that died: the sweeper retries it.
STUCK_SENDING = dt.timedelta(minutes=10)
# A queued, due row whose task was published this long ago and has not run: lost.
LOST_QUEUED = dt.timedelta(minutes=2)
# Rows due later than this are not published with a broker ETA (Redis redelivers long ETAs
# after its visibility timeout, and workers would hold a night's SMS in memory): the
# sweeper publishes them when they come within the horizon.
SCHEDULE_HORIZON = dt.timedelta(minutes=15)
# A task may run a little before ``due_at`` (clocks of web and worker machines differ).
EARLY_TOLERANCE = dt.timedelta(seconds=5)
SWEEP_BATCH = 1000

SCOPE_OF_CHANNEL = {Channel.SMS: Scope.SMS, Channel.EMAIL: Scope.EMAIL}
CHANNEL_OF_SCOPE = {Scope.SMS: Channel.SMS, Scope.EMAIL: Channel.EMAIL}

REASON_NO_PHONE = "нет подтверждённого номера телефона"
REASON_NO_EMAIL = "нет подтверждённого адреса электронной почты"
REASON_ALL_GONE = "всё, о чём сообщалось, удалено или отменено до отправки"
REASON_UNSUBSCRIBED = "родитель отписался до отправки"
ERROR_WORKER_LOST = "обработчик очереди остановился во время отправки"


# --- Time -------------------------------------------------------------------------------


def _parse_hhmm(value: str) -> dt.time:
    hours, minutes = value.split(":")
    return dt.time(int(hours), int(minutes))


def after_quiet_hours(when: dt.datetime, school_tz: str) -> dt.datetime:
    """Move ``when`` out of the quiet hours (``NOTIFY_QUIET_HOURS``, default 21:00-08:00
    school time) to their end. An empty setting turns quiet hours off."""
    if len(settings.NOTIFY_QUIET_HOURS) != 2:
        return when
    start, end = (_parse_hhmm(v) for v in settings.NOTIFY_QUIET_HOURS)
    if start == end:
        return when
    zone = ZoneInfo(school_tz)
    local = when.astimezone(zone)
    clock = local.time()
    quiet = (start <= clock or clock < end) if start > end else (start <= clock < end)
    if not quiet:
        return when
    morning = local.date() if clock < end else local.date() + dt.timedelta(days=1)
    return dt.datetime.combine(morning, end, tzinfo=zone)


def backoff(attempts: int) -> dt.timedelta:
    """The wait after the ``attempts``-th failed attempt: base, 2 x base, 4 x base... capped."""
    return min(BACKOFF_BASE * (2 ** max(attempts - 1, 0)), BACKOFF_CAP)


# --- Who may get what -------------------------------------------------------------------


def contact_for(guardian_id: int, channel: str) -> Contact | None:
    """The guardian's newest confirmed, active contact for the channel."""
    kind = Contact.Kind.PHONE if channel == Channel.SMS else Contact.Kind.EMAIL
    return (
        Contact.objects.filter(
            guardian_id=guardian_id, kind=kind, is_active=True, confirmed_at__isnull=False
        )
        .order_by("-confirmed_at")
        .first()
    )


def student_ids_of(notification: Notification) -> list[int]:
    """The children a notification speaks about: its student, or (a family digest) the
    ``["student", id]`` entries of its sources."""
    if notification.student_id is not None:
        return [notification.student_id]
    return [source_id for kind, source_id in notification.sources if kind == "student"]


def check_channel(
    guardian_id: int, student_ids: Iterable[int], channel: str
) -> tuple[str, Contact | None]:
    """(reason, contact): the reason is empty when the message may go out, otherwise it is
    kept on the row. The rule: consent in force for the channel for every child the
    message speaks about (``consent.rules.channel_open``), and a confirmed contact."""
    for student_id in student_ids:
        verdict = channel_open(
            guardian_id=guardian_id, student_id=student_id, channel=SCOPE_OF_CHANNEL[channel]
        )
        if not verdict:
            return verdict.reason, None
    contact = contact_for(guardian_id, channel)
    if contact is None:
        return (REASON_NO_PHONE if channel == Channel.SMS else REASON_NO_EMAIL), None
    return "", contact


def why_closed(guardian_id: int, student_ids: Iterable[int], channel: str) -> str:
    """Empty when the message may go out; otherwise the reason (see ``check_channel``)."""
    return check_channel(guardian_id, student_ids, channel)[0]


# --- Publishing tasks -------------------------------------------------------------------


def _task_for(channel: str):
    from . import tasks

    return tasks.deliver_sms if channel == Channel.SMS else tasks.deliver_email


def _publish(rows: list[tuple[int, str, dt.datetime]]) -> list[int]:
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
        transaction.on_commit(lambda: _publish(rows))


def schedule(notification: Notification) -> None:
    """Queue the delivery task once the surrounding transaction commits."""
    schedule_many([(notification.pk, notification.channel, notification.due_at)])


# --- Writing the outbox -----------------------------------------------------------------


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
    """Add ``source`` to the child's waiting notification of this kind and channel, or
    start one due after ``window`` (and after quiet hours for SMS): at most one message per
    child per window, listing everything new. The text is made at sending time."""
    pending = (
        Notification.objects.select_for_update()
        .filter(
            guardian=guardian,
            student=student,
            kind=kind,
            channel=channel,
            status=Status.QUEUED,
            attempts=0,
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
    on_date = Q(start__lte=lesson.date) & (Q(end__isnull=True) | Q(end__gte=lesson.date))
    if lesson.group_id:
        members = GroupMembership.objects.filter(on_date, group_id=lesson.group_id)
    else:
        members = Enrolment.objects.filter(on_date, school_class_id=lesson.school_class_id)
    return list(members.values_list("student_id", flat=True))


def is_timetable_news(lesson: Lesson) -> bool:
    """Cancelled, moved, substituted, added, or moved here from another slot."""
    return bool(
        lesson.substitute_id
        or lesson.status in (LessonStatus.CANCELLED, LessonStatus.MOVED)
        or lesson.is_extra
        or render.moved_from(lesson) is not None
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


def channels_closed_by(scopes: Iterable[str]) -> list[str] | None:
    """The outbox channels a refusal or withdrawal of ``scopes`` closes (``None``: all)."""
    scopes = set(scopes)
    if Scope.PROCESSING in scopes:
        return None
    return [CHANNEL_OF_SCOPE[s] for s in scopes if s in CHANNEL_OF_SCOPE]


# --- Delivering -------------------------------------------------------------------------


def _claim(notification_id: int) -> Notification | None:
    """QUEUED -> SENDING under a row lock: a redelivered task finds nothing to do. The lock
    waits for a transaction adding a mark to the row, so that mark is sent too."""
    now = timezone.now()
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("student", "school")
            .filter(pk=notification_id, status=Status.QUEUED)
            .first()
        )
        if notification is None or notification.due_at > now + EARLY_TOLERANCE:
            return None
        notification.status = Status.SENDING
        notification.sending_since = now
        notification.attempts += 1
        notification.save(update_fields=["status", "sending_since", "attempts", "updated_at"])
    return notification


def _finish(notification: Notification, **fields) -> None:
    fields["updated_at"] = timezone.now()
    Notification.objects.filter(pk=notification.pk, status=Status.SENDING).update(**fields)


def _still_wanted(notification: Notification) -> bool:
    """The family may have unsubscribed between writing and sending (for a family digest:
    from every child it speaks about)."""
    student_ids = student_ids_of(notification)
    chosen = preferences(notification.guardian_id, student_ids)
    return any(
        chosen.get((sid, notification.kind, notification.channel), (True, ""))[0]
        for sid in student_ids
    )


def _send(notification: Notification, message: render.Rendered, contact: Contact) -> dict:
    """Hand the message to the SMS gateway or the mailer; the provider's answer."""
    if notification.channel == Channel.SMS:
        result = get_backend().send(to=contact.value, text=message.text)
        return {
            "provider_message_id": str(result.message_id)[:100],
            "parts": result.parts,
            "cost": result.cost,
        }
    message_id = make_msgid(domain=DNS_NAME.get_fqdn())
    email = EmailMultiAlternatives(
        message.subject,
        message.text,
        settings.DEFAULT_FROM_EMAIL,
        [contact.value],
        headers={**message.headers, "Message-ID": message_id},
    )
    if message.html:
        email.attach_alternative(message.html, "text/html")
    email.send()
    return {"provider_message_id": message_id[:100]}


def deliver(notification_id: int) -> str:
    """Send one notification if it is due and still queued. Returns its new status
    («skipped» when another task has it or it is not due yet)."""
    notification = _claim(notification_id)
    if notification is None:
        return "skipped"
    reason, contact = check_channel(
        notification.guardian_id, student_ids_of(notification), notification.channel
    )
    if not reason and not _still_wanted(notification):
        reason = REASON_UNSUBSCRIBED
    if reason:
        _finish(notification, status=Status.SUPPRESSED, suppressed_reason=reason)
        return Status.SUPPRESSED
    message = render.render(notification)
    if message is None:
        _finish(notification, status=Status.SUPPRESSED, suppressed_reason=REASON_ALL_GONE)
        return Status.SUPPRESSED
    try:
        answer = _send(notification, message, contact)
    except SmsError as error:
        return _failed(notification, str(error), contact.value, permanent=error.permanent)
    except Exception as error:  # SMTP down, timeouts: retry
        logger.warning("delivery of %s failed", notification.pk, exc_info=True)
        return _failed(
            notification, f"{type(error).__name__}: {error}", contact.value, permanent=False
        )
    _finish(
        notification,
        status=Status.SENT,
        sent_at=timezone.now(),
        to_address=contact.value,
        subject=message.subject[:300],
        text=message.text,
        html=message.html,
        error="",
        **answer,
    )
    return Status.SENT


def _failed(notification: Notification, error: str, to_address: str, *, permanent: bool) -> str:
    """Permanent errors and the last allowed attempt end in «failed» with the error kept;
    otherwise the row waits ``backoff(attempts)`` and its task is published again."""
    if permanent or notification.attempts >= settings.NOTIFY_MAX_ATTEMPTS:
        _finish(notification, status=Status.FAILED, error=error, to_address=to_address)
        return Status.FAILED
    due_at = timezone.now() + backoff(notification.attempts)
    _finish(
        notification,
        status=Status.QUEUED,
        error=error,
        to_address=to_address,
        due_at=due_at,
        next_attempt_at=due_at,
        queued_at=None,
    )
    schedule_many([(notification.pk, notification.channel, due_at)])
    return Status.QUEUED


def resend(*, notification: Notification, by: User | None = None) -> Notification:
    """Staff resend a failed notification: a fresh attempt from a clean slate (the consent
    rule is checked again when it is sent). Anything but «failed» is left as it is."""
    with transaction.atomic():
        notification = Notification.objects.select_for_update().get(pk=notification.pk)
        if notification.status != Status.FAILED:
            return notification
        notification.status = Status.QUEUED
        notification.attempts = 0
        notification.due_at = timezone.now()
        notification.next_attempt_at = None
        notification.queued_at = None
        notification.save(
            update_fields=[
                "status",
                "attempts",
                "due_at",
                "next_attempt_at",
                "queued_at",
                "updated_at",
            ]
        )
        schedule(notification)
    logger.info("notification %s resent by %s", notification.pk, by.pk if by else "-")
    return notification


def sweep() -> int:
    """Re-queue what was lost. Rows stuck «sending» (a worker died) go back to the queue,
    or fail once their attempts are used up. Queued rows are published again when their
    task never reached the broker (down at commit, or due beyond the horizon) or was
    published long enough ago and has not run. Returns how many were published."""
    now = timezone.now()
    stuck = Notification.objects.filter(
        status=Status.SENDING, sending_since__lt=now - STUCK_SENDING
    )
    stuck.filter(attempts__gte=settings.NOTIFY_MAX_ATTEMPTS).update(
        status=Status.FAILED, error=ERROR_WORKER_LOST, updated_at=now
    )
    stuck.update(status=Status.QUEUED, due_at=now, queued_at=None, updated_at=now)
    never_published = Q(queued_at__isnull=True, due_at__lte=now + SCHEDULE_HORIZON)
    lost = Q(due_at__lte=now - LOST_QUEUED, queued_at__lte=now - LOST_QUEUED)
    rows = list(
        Notification.objects.filter(never_published | lost, status=Status.QUEUED)
        .order_by("due_at")
        .values_list("pk", "channel", "due_at")[:SWEEP_BATCH]
    )
    published = _publish(rows)
    if published:
        logger.info("sweeper published %s notifications", len(published))
    return len(published)

"""The outbox: writing notifications with the journal's transaction, delivering them once,
retrying with backoff, and the sweeper that re-queues what a broker or a worker lost."""

from __future__ import annotations

import datetime as dt
import logging
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from consent.models import Contact, Scope
from consent.rules import channel_open
from journal.models import Mark
from school.models import Guardian, Kinship, School

from . import render
from .models import Channel, Kind, Notification, Status
from .sms import SmsError, get_backend
from .subscriptions import wants

logger = logging.getLogger(__name__)

BACKOFF_BASE = dt.timedelta(minutes=1)
BACKOFF_CAP = dt.timedelta(hours=2)
STUCK_SENDING = dt.timedelta(minutes=10)
LOST_QUEUED = dt.timedelta(minutes=2)

SCOPE_OF_CHANNEL = {Channel.SMS: Scope.SMS, Channel.EMAIL: Scope.EMAIL}


# --- Time -------------------------------------------------------------------------------


def _parse_hhmm(value: str) -> dt.time:
    hours, minutes = value.split(":")
    return dt.time(int(hours), int(minutes))


def after_quiet_hours(when: dt.datetime, school_tz: str) -> dt.datetime:
    """Move ``when`` out of the quiet hours (default 21:00-08:00, school time) to their end."""
    start, end = (_parse_hhmm(v) for v in settings.NOTIFY_QUIET_HOURS)
    local = when.astimezone(ZoneInfo(school_tz))
    clock = local.time()
    quiet = (start <= clock or clock < end) if start > end else (start <= clock < end)
    if not quiet:
        return when
    morning = local.date() if clock < end else local.date() + dt.timedelta(days=1)
    return dt.datetime.combine(morning, end, tzinfo=ZoneInfo(school_tz))


def backoff(attempts: int) -> dt.timedelta:
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


def why_closed(guardian_id: int, student_id: int | None, channel: str) -> str:
    """Empty when the message may go out; otherwise the reason, kept on the row."""
    if student_id is not None:
        verdict = channel_open(
            guardian_id=guardian_id, student_id=student_id, channel=SCOPE_OF_CHANNEL[channel]
        )
        if not verdict:
            return verdict.reason
    if contact_for(guardian_id, channel) is None:
        return (
            "нет подтверждённого номера телефона"
            if channel == Channel.SMS
            else "нет подтверждённого адреса электронной почты"
        )
    return ""


# --- Writing the outbox -----------------------------------------------------------------


def schedule(notification: Notification) -> None:
    """Queue the delivery task once the surrounding transaction commits."""
    from . import tasks

    task = tasks.deliver_sms if notification.channel == Channel.SMS else tasks.deliver_email
    notification_id, due_at = notification.pk, notification.due_at

    def send() -> None:
        try:
            if due_at > timezone.now():
                task.apply_async((notification_id,), eta=due_at)
            else:
                task.delay(notification_id)
        except Exception:  # the broker is down: the sweeper will pick the row up
            logger.warning(
                "could not queue notification %s; the sweeper will retry",
                notification_id,
                exc_info=True,
            )

    transaction.on_commit(send)


def _create(**fields) -> Notification:
    reason = why_closed(
        fields["guardian"].pk, fields.get("student") and fields["student"].pk, fields["channel"]
    )
    if reason:
        fields.update(status=Status.SUPPRESSED, suppressed_reason=reason)
    notification = Notification.objects.create(**fields)
    if notification.status == Status.QUEUED:
        schedule(notification)
    return notification


def marks_recorded(*, mark: Mark) -> None:
    """A mark was recorded or corrected: gather it into the child's next marks SMS."""
    student = mark.student
    school = student.school
    now = timezone.now()
    window = dt.timedelta(minutes=settings.NOTIFY_MARKS_WINDOW_MINUTES)
    source = ["mark", mark.pk]
    for kinship in Kinship.objects.filter(student=student).select_related("guardian"):
        guardian = kinship.guardian
        enabled, _ = wants(guardian.pk, student.pk, Kind.MARKS, Channel.SMS)
        if not enabled:
            continue
        pending = (
            Notification.objects.select_for_update()
            .filter(
                guardian=guardian,
                student=student,
                kind=Kind.MARKS,
                channel=Channel.SMS,
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
            continue
        _create(
            school=school,
            guardian=guardian,
            student=student,
            channel=Channel.SMS,
            kind=Kind.MARKS,
            idempotency_key=f"marks:{guardian.pk}:{student.pk}:{mark.pk}:{mark.version}",
            sources=[source],
            source_recorded_at=mark.updated_at,
            due_at=after_quiet_hours(now + window, school.timezone),
        )


def instant(
    *,
    school: School,
    guardian: Guardian,
    student,
    kind: str,
    channel: str,
    key: str,
    sources: list,
    recorded_at: dt.datetime,
) -> Notification | None:
    """One notification for one cause (a teacher's message, a final mark...)."""
    existing = Notification.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    return _create(
        school=school,
        guardian=guardian,
        student=student,
        channel=channel,
        kind=kind,
        idempotency_key=key,
        sources=sources,
        source_recorded_at=recorded_at,
        due_at=after_quiet_hours(timezone.now(), school.timezone)
        if channel == Channel.SMS
        else timezone.now(),
    )


def suppress_pending(*, guardian_id: int, student_ids: list[int], reason: str) -> int:
    """Consent closed: nothing still waiting for this family goes out."""
    return (
        Notification.objects.filter(guardian_id=guardian_id, status=Status.QUEUED)
        .filter(student_id__in=student_ids)
        .update(status=Status.SUPPRESSED, suppressed_reason=reason[:300], updated_at=timezone.now())
    )


# --- Delivering -------------------------------------------------------------------------


def _claim(notification_id: int) -> Notification | None:
    """QUEUED -> SENDING under a row lock: a redelivered task finds nothing to do."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True)
            .select_related("guardian", "student", "school")
            .filter(pk=notification_id, status=Status.QUEUED)
            .first()
        )
        if notification is None:
            return None
        if notification.due_at > timezone.now():
            return None
        notification.status = Status.SENDING
        notification.sending_since = timezone.now()
        notification.attempts += 1
        notification.save(update_fields=["status", "sending_since", "attempts", "updated_at"])
    return notification


def _finish(notification: Notification, **fields) -> None:
    fields["updated_at"] = timezone.now()
    Notification.objects.filter(pk=notification.pk, status=Status.SENDING).update(**fields)


def deliver(notification_id: int) -> str:
    """Send one notification if it is due and still queued. Returns its new status."""
    notification = _claim(notification_id)
    if notification is None:
        return "skipped"
    student_id = notification.student_id
    reason = why_closed(notification.guardian_id, student_id, notification.channel)
    if reason:
        _finish(notification, status=Status.SUPPRESSED, suppressed_reason=reason)
        return Status.SUPPRESSED
    message = render.render(notification)
    if message is None:
        _finish(
            notification,
            status=Status.SUPPRESSED,
            suppressed_reason="всё, о чём сообщалось, удалено до отправки",
        )
        return Status.SUPPRESSED
    contact = contact_for(notification.guardian_id, notification.channel)
    try:
        if notification.channel == Channel.SMS:
            result = get_backend().send(to=contact.value, text=message.text)
            provider_id, parts, cost = result.message_id, result.parts, result.cost
        else:
            email = EmailMultiAlternatives(
                message.subject,
                message.text,
                settings.DEFAULT_FROM_EMAIL,
                [contact.value],
                headers=message.headers,
            )
            if message.html:
                email.attach_alternative(message.html, "text/html")
            email.send()
            parts, cost = 0, None
    except SmsError as error:
        return _failed(notification, str(error), permanent=error.permanent)
    except Exception as error:  # SMTP down, timeouts: retry
        logger.warning("delivery of %s failed", notification.pk, exc_info=True)
        return _failed(notification, f"{type(error).__name__}: {error}", permanent=False)
    _finish(
        notification,
        status=Status.SENT,
        sent_at=timezone.now(),
        to_address=contact.value,
        subject=message.subject[:300],
        text=message.text,
        html=message.html,
        provider_message_id=str(provider_id)[:100],
        parts=parts,
        cost=cost,
        error="",
    )
    return Status.SENT


def _failed(notification: Notification, error: str, *, permanent: bool) -> str:
    if permanent or notification.attempts >= settings.NOTIFY_MAX_ATTEMPTS:
        _finish(notification, status=Status.FAILED, error=error)
        return Status.FAILED
    notification.due_at = timezone.now() + backoff(notification.attempts)
    _finish(
        notification,
        status=Status.QUEUED,
        error=error,
        due_at=notification.due_at,
        next_attempt_at=notification.due_at,
    )
    notification.status = Status.QUEUED
    schedule(notification)
    return Status.QUEUED


def resend(*, notification: Notification) -> Notification:
    """Staff resend a failed notification: a fresh attempt from a clean slate."""
    with transaction.atomic():
        notification = Notification.objects.select_for_update().get(pk=notification.pk)
        if notification.status != Status.FAILED:
            return notification
        notification.status = Status.QUEUED
        notification.attempts = 0
        notification.due_at = timezone.now()
        notification.save(update_fields=["status", "attempts", "due_at", "updated_at"])
        schedule(notification)
    return notification


def sweep() -> int:
    """Re-queue what was lost: queued rows whose task never ran (the broker was down at
    commit) and rows stuck «sending» because a worker died."""
    now = timezone.now()
    stuck = Notification.objects.filter(
        status=Status.SENDING, sending_since__lt=now - STUCK_SENDING
    )
    stuck.update(status=Status.QUEUED, due_at=now, updated_at=now)
    lost = list(
        Notification.objects.filter(status=Status.QUEUED, due_at__lte=now - LOST_QUEUED).order_by(
            "due_at"
        )[:1000]
    )
    for notification in lost:
        with transaction.atomic():
            schedule(notification)
    return len(lost)

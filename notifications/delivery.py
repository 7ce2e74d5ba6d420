"""Delivering the outbox: a row claimed once under a row lock, the consent rule and the
family's choice asked again, the words made now (``render``), handed to the SMS gateway
or the mailer; retries with backoff, the staff's resend, and the sweeper that re-queues
what a broker or a worker lost. The Celery tasks (``tasks``) call ``deliver`` and ``sweep``.
"""

from __future__ import annotations

import datetime as dt
import logging
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.utils import DNS_NAME
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from consent.models import Contact
from school.models import User

from . import render
from .channels import REASON_UNSUBSCRIBED, check_channel, student_ids_of
from .models import Channel, Notification, NotificationAction, NotificationChange, Status
from .outbox import EARLY_TOLERANCE, SCHEDULE_HORIZON, publish, schedule, schedule_many
from .sms import SmsError, get_backend
from .subscriptions import preferences

logger = logging.getLogger(__name__)

BACKOFF_BASE = dt.timedelta(minutes=1)
BACKOFF_CAP = dt.timedelta(hours=2)
# A row «sending» for this long belongs to a worker that died: the sweeper retries it.
STUCK_SENDING = dt.timedelta(minutes=10)
# A queued, due row whose task was published this long ago and has not run: lost.
LOST_QUEUED = dt.timedelta(minutes=2)
SWEEP_BATCH = 1000
ERROR_WORKER_LOST = "обработчик очереди остановился во время отправки"


def backoff(attempts: int) -> dt.timedelta:
    """The wait after the ``attempts``-th failed attempt: base, 2 x base, 4 x base... capped."""
    return min(BACKOFF_BASE * (2 ** max(attempts - 1, 0)), BACKOFF_CAP)


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
    if isinstance(message, render.Nothing):
        _finish(notification, status=Status.SUPPRESSED, suppressed_reason=message.reason)
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
        told=message.told,
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


def resend(*, notification: Notification, actor: User) -> Notification:
    """Staff resend a failed notification: a fresh attempt from a clean slate (the consent
    rule is checked again when it is sent), with an audit row (who, when, which row, what
    it was). Anything but «failed» is left as it is, and nothing is recorded."""
    with transaction.atomic():
        notification = Notification.objects.select_for_update().get(pk=notification.pk)
        if notification.status != Status.FAILED:
            return notification
        old = {
            "status": notification.status,
            "attempts": notification.attempts,
            "error": notification.error,
        }
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
        NotificationChange.objects.create(
            object_id=notification.pk,
            actor=actor,
            action=NotificationAction.RESEND,
            old=old,
            new={"status": notification.status, "attempts": notification.attempts},
        )
        schedule(notification)
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
    published = publish(rows)
    if published:
        logger.info("sweeper published %s notifications", len(published))
    return len(published)

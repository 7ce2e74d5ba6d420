"""Celery tasks: small wrappers around ``notifications.delivery``, ``digests`` and
``confirmations``. Published by name (``outbox``, ``confirmations``): nothing imports this
module but the app's ``ready``.

``acks_late`` and ``reject_on_worker_lost``: a worker killed mid-task leaves the message in
the broker, so another worker gets it; the outbox row (claimed once, under a row lock)
makes a second delivery of the same task harmless. Retries are not Celery's: a failed send
puts the row back in the queue with a later ``due_at`` (exponential backoff with a cap)
and publishes the task again, so the schedule survives a broker restart (the sweeper).
Queues: ``sms`` and ``email`` (``CELERY_TASK_ROUTES``); the sweeper runs on the default one.
"""

from celery import shared_task

from . import confirmations, delivery, digests


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def deliver_sms(notification_id: int) -> str:
    return delivery.deliver(notification_id)


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def deliver_email(notification_id: int) -> str:
    return delivery.deliver(notification_id)


@shared_task(ignore_result=True)
def sweep() -> int:
    return delivery.sweep()


@shared_task(acks_late=True, ignore_result=True)
def send_digests(frequency: str) -> int:
    """The daily or weekly digest of every family (beat: 18:00 school time; weekly on
    Fridays). Idempotent per day: a second run queues nothing new."""
    return digests.send_digests(frequency)


@shared_task(acks_late=True, ignore_result=True)
def send_contact_code(contact_id: int, code: str) -> None:
    """A contact's confirmation code: by SMS through the gateway, or an e-mail with the
    link. Not kept in the outbox: it is worth nothing after 15 minutes."""
    confirmations.deliver_code(contact_id, code)

"""Celery tasks: small wrappers around ``notifications.services``. ``acks_late``: a worker
killed mid-task leaves the message in the broker; the outbox row makes a second delivery of
the same task harmless."""

from celery import shared_task

from . import services


@shared_task(acks_late=True, ignore_result=True)
def deliver_sms(notification_id: int) -> str:
    return services.deliver(notification_id)


@shared_task(acks_late=True, ignore_result=True)
def deliver_email(notification_id: int) -> str:
    return services.deliver(notification_id)


@shared_task(ignore_result=True)
def sweep() -> int:
    return services.sweep()

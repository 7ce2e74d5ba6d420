"""Confirmation codes of guardians' contacts through the notifications backends: the SMS
gateway (``SMS_BACKEND``) and the mailer. Registered into ``consent.delivery`` by
``NotificationsConfig.ready``; sent by a Celery task after the transaction commits."""

from __future__ import annotations

import logging

from django.db import transaction

from consent import delivery
from consent.models import Contact

from .sms import SmsError, get_backend

logger = logging.getLogger(__name__)


def queue_code(contact: Contact, code: str) -> None:
    from .tasks import send_contact_code

    queue = "email" if contact.kind == Contact.Kind.EMAIL else "sms"
    transaction.on_commit(lambda: send_contact_code.apply_async((contact.pk, code), queue=queue))


def deliver_code(contact_id: int, code: str) -> None:
    contact = Contact.objects.filter(pk=contact_id, is_active=True).first()
    if contact is None:
        return
    if contact.kind == Contact.Kind.EMAIL:
        delivery.send_email_confirmation(contact, code)
        return
    try:
        get_backend().send(to=contact.phone.as_e164, text=delivery.sms_text(code))
    except SmsError as error:
        # The guardian sees no code and asks for another: nothing to retry here.
        logger.warning("confirmation SMS to contact %s failed: %s", contact_id, error)


def register() -> None:
    delivery.register(queue_code)

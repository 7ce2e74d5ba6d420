"""Confirmation codes of guardians' contacts, through the notifications backends: the SMS
gateway (``SMS_BACKEND``) and the mailer. ``on_code_requested`` listens to
``consent.signals.contact_code_requested`` and publishes a Celery task after the
transaction commits; the task (``notifications.tasks.send_contact_code``) calls
``deliver_code``. Not kept in the outbox: a code is worth nothing after 15 minutes."""

from __future__ import annotations

import logging
from typing import Any

from celery import current_app
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse

from consent.models import Contact

from .sms import SmsError, get_backend

logger = logging.getLogger(__name__)

SEND_CODE_TASK = "notifications.tasks.send_contact_code"


def sms_text(code: str) -> str:
    return f"Код подтверждения для электронного дневника: {code}. Никому его не сообщайте."


def confirmation_link(contact: Contact, code: str) -> str:
    path = reverse("consent:confirm_contact", args=[contact.pk])
    return f"{getattr(settings, 'SITE_URL', '').rstrip('/')}{path}?code={code}"


def _send_email(contact: Contact, code: str) -> None:
    link = confirmation_link(contact, code)
    send_mail(
        "Подтверждение адреса для электронного дневника",
        "Здравствуйте!\n\n"
        "Этот адрес указан для писем электронного дневника школы. Чтобы подтвердить его, "
        f"откройте ссылку (войдя в дневник):\n{link}\n\n"
        f"или впишите код {code} на странице «Согласие и контакты». Код действует 15 минут.\n\n"
        "Если вы не указывали этот адрес, просто удалите письмо.",
        None,
        [contact.email],
    )


def on_code_requested(sender: Any, *, contact: Contact, code: str, **kwargs: Any) -> None:
    """Publish the task by name (``tasks`` imports this module, not the other way round),
    on the contact's queue, once the code is committed."""
    queue = "email" if contact.kind == Contact.Kind.EMAIL else "sms"
    task = current_app.signature(SEND_CODE_TASK, args=(contact.pk, code), queue=queue)
    transaction.on_commit(task.apply_async)


def deliver_code(contact_id: int, code: str) -> None:
    contact = Contact.objects.filter(pk=contact_id, is_active=True).first()
    if contact is None:
        return
    if contact.kind == Contact.Kind.EMAIL:
        _send_email(contact, code)
        return
    try:
        get_backend().send(to=contact.phone.as_e164, text=sms_text(code))
    except SmsError as error:
        # The guardian sees no code and asks for another: nothing to retry here.
        logger.warning("confirmation SMS to contact %s failed: %s", contact_id, error)

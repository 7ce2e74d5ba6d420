"""Sending confirmation codes (SMS) and links (e-mail) for a guardian's contacts.

The notifications app owns the SMS gateway and registers its sender here (``register``)
when it is installed; without it the code goes to the log (SMS) and through Django's mailer
(e-mail). ``consent`` never imports ``notifications``: dependencies point one way."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse

from .models import Contact

logger = logging.getLogger("consent.delivery")

Sender = Callable[[Contact, str], None]
_sender: Sender | None = None


def register(sender: Sender | None) -> None:
    global _sender
    _sender = sender


def sms_text(code: str) -> str:
    return f"Код подтверждения для электронного дневника: {code}. Никому его не сообщайте."


def confirmation_link(contact: Contact, code: str) -> str:
    path = reverse("consent:confirm_contact", args=[contact.pk])
    return f"{getattr(settings, 'SITE_URL', '').rstrip('/')}{path}?code={code}"


def send_email_confirmation(contact: Contact, code: str) -> None:
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


def send_confirmation(*, contact: Contact, code: str) -> None:
    if _sender is not None:
        _sender(contact, code)
    elif contact.kind == Contact.Kind.EMAIL:
        send_email_confirmation(contact, code)
    else:
        logger.info("SMS to %s: %s", contact.value, sms_text(code))

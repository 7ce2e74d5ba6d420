"""Sending confirmation codes and links. Until the notifications app brings the SMS and
e-mail backends, the code goes to the log (console) and e-mail through Django's mailer."""

from __future__ import annotations

import logging

from django.core.mail import send_mail

from .models import Contact

logger = logging.getLogger("consent.delivery")


def send_confirmation(*, contact: Contact, code: str) -> None:
    text = f"Код подтверждения для электронного дневника: {code}. Никому его не сообщайте."
    if contact.kind == Contact.Kind.EMAIL:
        send_mail("Подтверждение адреса для электронного дневника", text, None, [contact.email])
    else:
        logger.info("SMS to %s: %s", contact.value, text)

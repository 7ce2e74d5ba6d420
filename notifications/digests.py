"""E-mail digests of the diary (daily or weekly): built by the notifications app's helper."""

from __future__ import annotations

from django.conf import settings
from django.core import signing

from .models import Notification

UNSUBSCRIBE_SALT = "notifications.unsubscribe"


def unsubscribe_token(guardian_id: int, student_id: int | None, kind: str) -> str:
    return signing.dumps({"g": guardian_id, "s": student_id, "k": kind}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_headers(notification: Notification) -> dict:
    token = unsubscribe_token(notification.guardian_id, notification.student_id, notification.kind)
    url = f"{settings.SITE_URL.rstrip('/')}/notifications/unsubscribe/{token}/"
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}

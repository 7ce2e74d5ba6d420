"""Signed tokens for the unsubscribe links of e-mails: no login needed, cannot be forged.
Made by the digests and the stored messages' headers (``render``), read by the
unsubscribe page (``views``)."""

from __future__ import annotations

from django.conf import settings
from django.core import signing

from .models import Notification

UNSUBSCRIBE_SALT = "notifications.unsubscribe"


def unsubscribe_token(guardian_id: int, student_id: int | None, kind: str) -> str:
    """A signed token for the unsubscribe link: no login needed, cannot be forged."""
    return signing.dumps({"g": guardian_id, "s": student_id, "k": kind}, salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token: str) -> tuple[int, int | None, str] | None:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        return int(data["g"]), (int(data["s"]) if data["s"] is not None else None), data["k"]
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def unsubscribe_url(guardian_id: int, student_id: int | None, kind: str) -> str:
    token = unsubscribe_token(guardian_id, student_id, kind)
    return f"{settings.SITE_URL.rstrip('/')}/notifications/unsubscribe/{token}/"


def unsubscribe_headers(notification: Notification) -> dict:
    """RFC 2369 and RFC 8058 (one-click) headers: mail clients show «Отписаться»."""
    url = unsubscribe_url(notification.guardian_id, notification.student_id, notification.kind)
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}

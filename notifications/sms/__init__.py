"""SMS backends in the spirit of Django's e-mail backends, chosen by ``SMS_BACKEND``:

- ``notifications.sms.console.ConsoleBackend``: prints (``make run`` default);
- ``notifications.sms.locmem.LocmemBackend``: keeps messages in ``locmem.outbox`` (tests);
- ``notifications.sms.smsru.SmsRuBackend``: the SMS.ru HTTP API (``SMS_API_URL``,
  ``SMS_API_KEY``, ``SMS_SENDER``); the local fake gateway speaks the same protocol.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string

from .base import BaseSmsBackend, SmsError, SmsResult, count_parts

__all__ = ["BaseSmsBackend", "SmsError", "SmsResult", "count_parts", "get_backend"]


def get_backend() -> BaseSmsBackend:
    backend_class = import_string(
        getattr(settings, "SMS_BACKEND", "notifications.sms.console.ConsoleBackend")
    )
    return backend_class()

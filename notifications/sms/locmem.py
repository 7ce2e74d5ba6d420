from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass

from .base import BaseSmsBackend, SmsResult, count_parts


@dataclass(frozen=True)
class SentSms:
    to: str
    text: str
    sender: str


outbox: list[SentSms] = []
_lock = threading.Lock()
_ids = itertools.count(1)


class LocmemBackend(BaseSmsBackend):
    """Keeps sent SMS in ``notifications.sms.locmem.outbox`` for tests."""

    def send(self, *, to: str, text: str) -> SmsResult:
        parts = count_parts(text)
        with _lock:
            outbox.append(SentSms(to=to, text=text, sender=self.sender()))
            number = next(_ids)
        return SmsResult(message_id=f"locmem-{number}", parts=parts, cost=self.price(parts))

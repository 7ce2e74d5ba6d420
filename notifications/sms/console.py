from __future__ import annotations

import itertools
import sys

from .base import BaseSmsBackend, SmsResult, count_parts

_ids = itertools.count(1)


class ConsoleBackend(BaseSmsBackend):
    """Prints each SMS: for a laptop, where nothing may leave the machine."""

    def send(self, *, to: str, text: str) -> SmsResult:
        parts = count_parts(text)
        sys.stdout.write(f"SMS {self.sender() or '-'} -> {to} ({parts} ч.): {text}\n")
        sys.stdout.flush()
        return SmsResult(message_id=f"console-{next(_ids)}", parts=parts, cost=self.price(parts))

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

# The GSM 03.38 basic alphabet: texts made only of these go 160 characters a part.
GSM_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡"
    "ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENDED = set("^{}\\[~]|€\f")


def count_parts(text: str) -> int:
    """How many SMS parts a text takes: Cyrillic forces UCS-2, 70 characters in one part
    and 67 per part when split; the GSM alphabet gives 160 / 153."""
    if not text:
        return 0
    if all(ch in GSM_BASIC or ch in GSM_EXTENDED for ch in text):
        length = sum(2 if ch in GSM_EXTENDED else 1 for ch in text)
        single, multi = 160, 153
    else:
        length = len(text.encode("utf-16-le")) // 2
        single, multi = 70, 67
    return 1 if length <= single else -(-length // multi)


@dataclass(frozen=True)
class SmsResult:
    message_id: str
    parts: int
    cost: Decimal | None


class SmsError(Exception):
    """A refused or failed send. ``permanent``: retrying will not help (bad number, stop
    list, sender name not approved); otherwise the outbox retries with backoff."""

    def __init__(self, message: str, *, code: int | None = None, permanent: bool = False):
        super().__init__(message)
        self.code = code
        self.permanent = permanent


class BaseSmsBackend:
    def send(self, *, to: str, text: str) -> SmsResult:  # pragma: no cover - interface
        raise NotImplementedError

    @staticmethod
    def price(parts: int) -> Decimal:
        return Decimal(str(getattr(settings, "SMS_PART_PRICE", "0"))) * parts

    @staticmethod
    def sender() -> str:
        return getattr(settings, "SMS_SENDER", "")

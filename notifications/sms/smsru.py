"""The SMS.ru HTTP API (DOMAIN.md section 7): ``POST /sms/send`` with ``api_id``, ``to``,
``msg``, ``from``, ``json=1``; per-number status in the answer."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings

from .base import BaseSmsBackend, SmsError, SmsResult, count_parts

# Status codes after which retrying the same message is pointless.
PERMANENT_CODES = {202, 203, 204, 205, 207, 208, 209, 200, 300, 301, 302}
ERROR_TEXTS = {
    200: "неверный ключ API",
    201: "на счёте недостаточно средств",
    202: "неверно указан получатель",
    203: "нет текста сообщения",
    204: "имя отправителя не согласовано с оператором",
    205: "сообщение длиннее 8 частей",
    206: "превышен дневной лимит",
    207: "на этот номер нельзя отправлять",
    209: "номер в стоп-листе",
    230: "превышен лимит сообщений на номер в день",
    231: "превышен лимит одинаковых сообщений на номер в минуту",
    232: "превышен лимит одинаковых сообщений на номер в день",
}


class SmsRuBackend(BaseSmsBackend):
    timeout = 10

    def __init__(self) -> None:
        self.url = getattr(settings, "SMS_API_URL", "https://sms.ru").rstrip("/")
        self.api_key = getattr(settings, "SMS_API_KEY", "")

    def send(self, *, to: str, text: str) -> SmsResult:
        number = to.lstrip("+")
        params = {"api_id": self.api_key, "to": number, "msg": text, "json": "1"}
        if self.sender():
            params["from"] = self.sender()
        body = urllib.parse.urlencode(params).encode()
        request = urllib.request.Request(f"{self.url}/sms/send", data=body, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                answer = json.loads(response.read().decode())
        except urllib.error.HTTPError as error:
            raise SmsError(f"шлюз ответил HTTP {error.code}", code=error.code) from error
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise SmsError(f"шлюз недоступен: {error}") from error
        except ValueError as error:
            raise SmsError("шлюз ответил не JSON") from error
        if answer.get("status") != "OK":
            code = int(answer.get("status_code", 0))
            raise SmsError(
                self._describe(code, answer), code=code, permanent=code in PERMANENT_CODES
            )
        status = answer.get("sms", {}).get(number, {})
        if status.get("status") != "OK":
            code = int(status.get("status_code", 0))
            raise SmsError(
                self._describe(code, status), code=code, permanent=code in PERMANENT_CODES
            )
        parts = count_parts(text)
        return SmsResult(
            message_id=str(status.get("sms_id", "")), parts=parts, cost=self.price(parts)
        )

    @staticmethod
    def _describe(code: int, answer: dict) -> str:
        text = answer.get("status_text") or ERROR_TEXTS.get(code, "ошибка шлюза")
        return f"{code}: {text}"

"""``manage.py fake_sms_gateway --port 8025 --api-key test``: a local gateway speaking the
SMS.ru protocol, in the foreground, printing every SMS it accepts. Point the site at it:

    SMS_BACKEND=notifications.sms.smsru.SmsRuBackend SMS_API_URL=http://127.0.0.1:8025 \\
    SMS_API_KEY=test make run

Nothing leaves the machine.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from notifications.fake_gateway import FakeSmsGateway


class Command(BaseCommand):
    help = "Локальный SMS-шлюз с протоколом SMS.ru: принимает SMS и печатает их."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8025)
        parser.add_argument("--api-key", default="test")
        parser.add_argument("--price", type=float, default=2.5, help="цена части SMS, ₽")
        parser.add_argument(
            "--fail-first",
            type=int,
            default=0,
            help="ответить HTTP 500 на столько первых отправок (проверить повторы)",
        )
        parser.add_argument(
            "--seconds", type=float, default=0, help="остановиться через N секунд (0: не)"
        )

    def handle(self, *args, **options) -> None:
        gateway = FakeSmsGateway(
            api_key=options["api_key"],
            host=options["host"],
            port=options["port"],
            price_per_part=options["price"],
        ).start()
        if options["fail_first"]:
            gateway.fail_next(options["fail_first"])
        self.stdout.write(f"Тестовый SMS-шлюз (протокол SMS.ru) слушает {gateway.url}")
        self.stdout.write(
            "Настройки сайта и обработчика очереди: "
            f"SMS_BACKEND=notifications.sms.smsru.SmsRuBackend SMS_API_URL={gateway.url} "
            f"SMS_API_KEY={options['api_key']}"
        )
        self.stdout.write("Остановить: Ctrl+C")
        self.stdout.flush()
        deadline = time.monotonic() + options["seconds"] if options["seconds"] else None
        shown = 0
        try:
            while deadline is None or time.monotonic() < deadline:
                time.sleep(0.2)
                for sms in gateway.messages[shown:]:
                    self.stdout.write(
                        f"SMS {sms.sms_id} -> +{sms.to} ({sms.parts} ч.)"
                        f"{' от ' + sms.sender if sms.sender else ''}: {sms.text}"
                    )
                    shown += 1
                self.stdout.flush()
        except KeyboardInterrupt:
            pass
        finally:
            gateway.stop()
            self.stdout.write(f"Принято SMS: {len(gateway.messages)}")

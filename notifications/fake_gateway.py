"""A local SMS gateway speaking the SMS.ru protocol, for integration tests and for
``make run`` when one wants to see SMS go over HTTP. Nothing leaves the machine.

    gateway = FakeSmsGateway(api_key="test").start()   # http://127.0.0.1:<port>
    gateway.fail_next(2)                               # the next two sends answer HTTP 500
    gateway.messages                                   # what was accepted
    gateway.stop()
"""

from __future__ import annotations

import itertools
import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

from .sms.base import count_parts


@dataclass(frozen=True)
class AcceptedSms:
    sms_id: str
    to: str
    text: str
    sender: str
    parts: int


class FakeSmsGateway:
    def __init__(
        self,
        *,
        api_key: str = "test",
        host: str = "127.0.0.1",
        port: int = 0,
        price_per_part: float = 2.5,
        balance: float = 1000.0,
    ) -> None:
        self.api_key = api_key
        self.price_per_part = price_per_part
        self.balance = balance
        self.messages: list[AcceptedSms] = []
        self.requests = 0
        self._failures = 0
        self._lock = threading.Lock()
        self._ids = itertools.count(10_000_001)
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                gateway._handle(self, parse_qs(urlparse(self.path).query))

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode()
                params = parse_qs(urlparse(self.path).query)
                params.update(parse_qs(body))
                gateway._handle(self, params)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer((host, port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeSmsGateway:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def fail_next(self, count: int) -> None:
        """The next ``count`` send requests answer HTTP 500, as a gateway under load does."""
        with self._lock:
            self._failures = count

    def _reply(self, handler: BaseHTTPRequestHandler, status: int, payload: dict) -> None:
        body = json.dumps(payload, ensure_ascii=False).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json; charset=utf-8")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    def _handle(self, handler: BaseHTTPRequestHandler, params: dict[str, list[str]]) -> None:
        path = urlparse(handler.path).path
        first = {key: values[0] for key, values in params.items()}
        with self._lock:
            self.requests += 1
            if path == "/sms/send" and self._failures > 0:
                self._failures -= 1
                self._reply(handler, 500, {"status": "ERROR", "status_text": "Internal"})
                return
        if first.get("api_id") != self.api_key:
            self._reply(
                handler,
                200,
                {"status": "ERROR", "status_code": 200, "status_text": "Неправильный api_id"},
            )
            return
        if path == "/sms/send":
            self._send(handler, first)
        elif path == "/sms/cost":
            parts = count_parts(first.get("msg", ""))
            self._reply(
                handler,
                200,
                {
                    "status": "OK",
                    "status_code": 100,
                    "total_cost": parts * self.price_per_part,
                    "total_sms": parts,
                },
            )
        else:
            self._reply(handler, 404, {"status": "ERROR", "status_text": "Not found"})

    def _send(self, handler: BaseHTTPRequestHandler, params: dict[str, str]) -> None:
        text = params.get("msg", "")
        if not text:
            self._reply(
                handler,
                200,
                {"status": "ERROR", "status_code": 203, "status_text": "Нет текста сообщения"},
            )
            return
        results = {}
        with self._lock:
            for number in params.get("to", "").split(","):
                if not (number.isdigit() and len(number) == 11 and number.startswith("7")):
                    results[number] = {
                        "status": "ERROR",
                        "status_code": 202,
                        "status_text": "Неправильно указан номер",
                    }
                    continue
                parts = count_parts(text)
                sms_id = f"{next(self._ids):09d}-{len(self.messages) + 1}"
                self.messages.append(
                    AcceptedSms(sms_id, number, text, params.get("from", ""), parts)
                )
                self.balance -= parts * self.price_per_part
                results[number] = {"status": "OK", "status_code": 100, "sms_id": sms_id}
        self._reply(
            handler,
            200,
            {"status": "OK", "status_code": 100, "sms": results, "balance": round(self.balance, 2)},
        )

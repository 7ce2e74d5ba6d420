"""``manage.py outbox`` and ``manage.py fake_sms_gateway``."""

from __future__ import annotations

import datetime as dt
import io
import json
import threading
import time
import urllib.parse
import urllib.request

import pytest
from django.core.management import call_command
from django.utils import timezone

from notifications.models import Channel, Kind, Notification, Status
from tests.notifications.support import build_family

pytestmark = pytest.mark.django_db


def test_outbox_shows_counts_the_oldest_waiting_row_failures_and_the_24_hour_rule():
    fam = build_family()
    now = timezone.now()
    common = {"school": fam.school, "guardian": fam.guardian, "student": fam.student}
    Notification.objects.create(
        **common,
        channel=Channel.SMS,
        kind=Kind.MARKS,
        idempotency_key="q",
        due_at=now - dt.timedelta(hours=3),
    )
    Notification.objects.create(
        **common,
        channel=Channel.SMS,
        kind=Kind.MARKS,
        idempotency_key="f",
        status=Status.FAILED,
        due_at=now,
        attempts=6,
        error="207: на этот номер нельзя",
        to_address="+79123456789",
    )
    for n, hours in enumerate((2, 30)):
        Notification.objects.create(
            **common,
            channel=Channel.EMAIL,
            kind=Kind.MESSAGE,
            idempotency_key=f"s{n}",
            status=Status.SENT,
            due_at=now,
            sent_at=now,
            source_recorded_at=now - dt.timedelta(hours=hours),
        )
    out = io.StringIO()
    call_command("outbox", stdout=out)
    text = out.getvalue()
    counts = dict(line.rsplit(None, 1) for line in text.split("\n\n")[1].splitlines()[1:])
    assert counts["  в очереди"] == "1" and counts["  отправлено"] == "2"
    assert "новые отметки (SMS): 1 / 0 / 0 / 1 / 0" in text
    assert "Самое старое в очереди: #" in text and "ждёт 3 ч 0 мин" in text
    assert "207: на этот номер нельзя" in text and "+79123456789" in text
    assert "сообщение учителя: 1 из 2 (50.0 %) за 24 ч, дольше всех 30 ч 0 мин" in text


def test_the_fake_gateway_command_accepts_sms_in_the_foreground():
    """Run for a moment on a free port: an SMS posted to it is printed."""
    out = io.StringIO()
    thread = threading.Thread(
        target=call_command,
        args=("fake_sms_gateway",),
        kwargs={"port": 0, "api_key": "k", "seconds": 1.5, "stdout": out},
    )
    thread.start()
    for _ in range(50):
        if "слушает http://" in out.getvalue():
            break
        time.sleep(0.02)
    url = out.getvalue().split("слушает ")[1].split()[0]
    body = urllib.parse.urlencode(
        {"api_id": "k", "to": "79123456789", "msg": "Привет", "json": "1"}
    ).encode()
    with urllib.request.urlopen(f"{url}/sms/send", data=body, timeout=5) as response:
        assert json.loads(response.read())["status"] == "OK"
    thread.join(5)
    assert "-> +79123456789 (1 ч.): Привет" in out.getvalue()
    assert "Принято SMS: 1" in out.getvalue()

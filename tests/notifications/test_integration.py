"""The outbox end to end with a real Celery worker on the real Redis (the db of
``REDIS_URL_FOR_TESTS``, keys under a prefix of this test process, so parallel runs do not
collide), the real SMS.ru backend talking HTTP to the local fake gateway, and a real SMTP
server (aiosmtpd) receiving the digests. ``transactional_db``: the worker thread has its own
connection and sees only what is committed, as in production.

Redis missing: skipped on a laptop, a failure in CI (``tests.services.require``).
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import os
import socket
import time
from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from django.db import connections
from django.test import override_settings
from django.utils import timezone

from journal import services as journal
from notifications import delivery, tasks
from notifications.digests import send_digests
from notifications.fake_gateway import FakeSmsGateway
from notifications.models import Channel, Frequency, Kind, Notification, Status
from notifications.tokens import read_unsubscribe_token
from tests.notifications.support import PHONE_E164, build_family
from tests.services import redis_key_prefix, require

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

REDIS_URL = os.environ.get("REDIS_URL_FOR_TESTS", "redis://127.0.0.1:6379/15")
CLOSED_BROKER = "redis://127.0.0.1:1/0"  # nothing listens on port 1
API_KEY = "integration"


def redis_is_up() -> bool:
    try:
        url = urlsplit(REDIS_URL)
        with socket.create_connection((url.hostname, url.port or 6379), timeout=0.5):
            return True
    except OSError:
        return False


def use_broker(app, url: str) -> None:
    """Point the app's publishers at ``url`` (the running worker keeps its own)."""
    app._pool = None
    app.amqp._producer_pool = None
    app.conf.broker_url = url


def close_connections(**kwargs) -> None:
    """After each task the worker thread lets its database connection go, so that a
    test's flush never waits for it."""
    connections.close_all()


@pytest.fixture(scope="module")
def worker():
    require(redis_is_up(), f"Redis is not running at {REDIS_URL} (apt-get install redis)")
    import redis
    from celery.contrib.testing.worker import start_worker
    from celery.signals import task_postrun

    from config.celery import app

    prefix = redis_key_prefix()
    saved = {
        key: app.conf.get(key)
        for key in (
            "broker_url",
            "task_always_eager",
            "worker_hijack_root_logger",
            "broker_connection_retry_on_startup",
            "task_publish_retry_policy",
            "broker_transport_options",
        )
    }
    app.conf.update(
        task_always_eager=False,
        worker_hijack_root_logger=False,
        broker_connection_retry_on_startup=False,
        task_publish_retry_policy={"max_retries": 1, "interval_start": 0, "interval_step": 0.1},
        broker_transport_options={"global_keyprefix": prefix},
    )
    use_broker(app, REDIS_URL)
    task_postrun.connect(close_connections, dispatch_uid="tests.close_connections")
    with start_worker(
        app,
        pool="threads",
        concurrency=2,
        perform_ping_check=False,
        queues=["celery", "sms", "email"],
        shutdown_timeout=20,
    ):
        yield app
    task_postrun.disconnect(dispatch_uid="tests.close_connections")
    use_broker(app, saved.pop("broker_url"))
    app.conf.update(saved)
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"{prefix}*"):
        client.delete(key)


@pytest.fixture
def gateway():
    gateway = FakeSmsGateway(api_key=API_KEY).start()
    with override_settings(
        SMS_BACKEND="notifications.sms.smsru.SmsRuBackend",
        SMS_API_URL=gateway.url,
        SMS_API_KEY=API_KEY,
        NOTIFY_MARKS_WINDOW_MINUTES=0,
        NOTIFY_QUIET_HOURS=[],
    ):
        yield gateway
    gateway.stop()


@pytest.fixture
def fam():
    family = build_family()
    family.subscribe(Kind.MARKS, Channel.SMS)
    return family


def wait_for(condition: Callable[[], bool], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError("timed out waiting for the worker")


def sent(row: Notification) -> bool:
    row.refresh_from_db()
    return row.status == Status.SENT


def type_mark(fam, value: str = "5") -> None:
    """What the teacher's grid does when a digit is typed into an empty cell."""
    w = fam.world
    journal.set_cell(
        actor=w.teacher,
        lesson=fam.lesson(),
        position=1,
        student=fam.student,
        text=value,
        mark_version=0,
        attendance_version=0,
    )


def test_a_mark_typed_into_the_grid_reaches_the_gateway_as_one_sms(worker, gateway, fam):
    """The row is written with the mark, its task published on commit; the worker sends
    it through the HTTP backend: exactly one SMS, with the provider's id kept."""
    type_mark(fam, "5")
    [row] = fam.rows()
    wait_for(lambda: sent(row))
    time.sleep(0.3)  # nothing else is on its way
    [sms] = gateway.messages
    assert (sms.to, sms.text) == (PHONE_E164.lstrip("+"), "Алексеев Пётр: математика 5")
    assert (row.provider_message_id, row.attempts, row.parts) == (sms.sms_id, 1, 1)
    assert row.sent_at - row.source_recorded_at < dt.timedelta(hours=24)


def test_a_gateway_failing_twice_is_retried_with_backoff_and_delivers_once(
    worker, gateway, fam, monkeypatch
):
    """HTTP 500, 500, then 200: three attempts, one SMS."""
    monkeypatch.setattr(delivery, "BACKOFF_BASE", dt.timedelta(seconds=0.2))
    gateway.fail_next(2)
    type_mark(fam, "4")
    [row] = fam.rows()
    wait_for(lambda: sent(row))
    assert gateway.requests == 3
    assert len(gateway.messages) == 1
    assert (row.attempts, row.error) == (3, "")


def test_a_broker_down_at_commit_delays_the_sms_and_the_sweeper_delivers_it(worker, gateway, fam):
    """The mark is saved although the broker is unreachable; the row stays queued, never
    published; once the broker is back the sweeper publishes it and the worker sends it."""
    use_broker(worker, CLOSED_BROKER)
    try:
        type_mark(fam, "3")
    finally:
        use_broker(worker, REDIS_URL)
    [row] = fam.rows()
    assert (row.status, row.queued_at) == (Status.QUEUED, None)
    time.sleep(0.3)
    assert gateway.messages == []

    Notification.objects.filter(pk=row.pk).update(due_at=timezone.now() - dt.timedelta(minutes=5))
    assert delivery.sweep() == 1
    wait_for(lambda: sent(row))
    assert [sms.text for sms in gateway.messages] == ["Алексеев Пётр: математика 3"]


def test_the_same_task_delivered_twice_sends_one_sms(worker, gateway, fam):
    """Two copies of the task (a broker redelivery) on two worker threads: one SMS."""
    fam.subscribe(Kind.MARKS, Channel.SMS, enabled=False)  # the mark writes no row itself
    mark = fam.mark(5)
    fam.subscribe(Kind.MARKS, Channel.SMS)
    row = Notification.objects.create(
        school=fam.school,
        guardian=fam.guardian,
        student=fam.student,
        channel=Channel.SMS,
        kind=Kind.MARKS,
        idempotency_key="twice",
        sources=[["mark", mark.pk]],
        due_at=timezone.now(),
    )
    tasks.deliver_sms.delay(row.pk)
    tasks.deliver_sms.delay(row.pk)
    wait_for(lambda: sent(row))
    time.sleep(0.5)
    assert len(gateway.messages) == 1
    assert row.attempts == 1


@pytest.fixture
def smtp():
    from aiosmtpd.controller import Controller

    class Inbox:
        def __init__(self) -> None:
            self.messages: list[bytes] = []

        async def handle_DATA(self, server, session, envelope):
            self.messages.append(envelope.original_content or envelope.content)
            return "250 OK"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    mailers = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port},
        }
    }
    with override_settings(MAILERS=mailers):
        yield inbox
    controller.stop()


def test_the_weekly_digest_reaches_an_smtp_server_as_a_russian_letter(worker, smtp):
    """``send_digests`` queues the letter; the worker sends it over SMTP; parsed back it
    has the subject, a plain and an HTML part in Russian, and List-Unsubscribe."""
    fam = build_family()
    fam.subscribe(Kind.MESSAGE, Channel.EMAIL, enabled=False)  # only the digest, then
    fam.mark(5)
    journal.send_message(
        actor=fam.world.teacher, subject="Экскурсия", text="Сбор в 9:00", student=fam.student
    )
    assert send_digests(Frequency.WEEKLY, now=timezone.now() + dt.timedelta(seconds=1)) == 1
    [row] = fam.rows(kind=Kind.DIGEST)
    wait_for(lambda: sent(row))

    def digests() -> list:
        letters = [email.message_from_bytes(m, policy=email.policy.default) for m in smtp.messages]
        return [m for m in letters if m["Subject"].startswith("Дневник")]

    wait_for(lambda: len(digests()) == 1, timeout=5)  # the code confirming the address came too
    [letter] = digests()
    assert letter["Subject"] == row.subject and letter["Subject"].startswith("Дневник за неделю")
    assert letter["To"] == "sokolova@example.ru"
    plain = letter.get_body(preferencelist=("plain",)).get_content()
    html = letter.get_body(preferencelist=("html",)).get_content()
    assert "Здравствуйте, Елена Андреевна!" in plain and "математика: 5" in plain
    assert "«Экскурсия»" in plain
    assert '<html lang="ru">' in html and "Сбор в 9:00" in html
    link = letter["List-Unsubscribe"].strip("<>")
    assert read_unsubscribe_token(link.rstrip("/").rsplit("/", 1)[1]) == (
        fam.guardian.pk,
        None,
        Kind.DIGEST,
    )
    assert letter["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

"""The sweeper: a lost broker message or a killed worker delays a message, never loses it;
rows due far ahead are published only when they come near."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from notifications import delivery, outbox
from notifications.models import Channel, Kind, Notification, Status
from tests.notifications.support import build_family

pytestmark = pytest.mark.django_db


class Recorder:
    """Stands in for the Celery task: records what would be published."""

    def __init__(self) -> None:
        self.published: list[tuple[int, dt.datetime | None]] = []

    def delay(self, notification_id: int) -> None:
        self.published.append((notification_id, None))

    def apply_async(self, args, eta=None) -> None:
        self.published.append((args[0], eta))


@pytest.fixture
def task(monkeypatch):
    recorder = Recorder()
    monkeypatch.setattr(outbox, "_task_for", lambda channel: recorder)
    return recorder


@pytest.fixture
def fam():
    return build_family()


def row(fam, **fields) -> Notification:
    values = {
        "school": fam.school,
        "guardian": fam.guardian,
        "student": fam.student,
        "channel": Channel.SMS,
        "kind": Kind.MARKS,
        "idempotency_key": f"test:{Notification.objects.count()}",
        "due_at": timezone.now(),
    }
    return Notification.objects.create(**{**values, **fields})


def ago(**delta) -> dt.datetime:
    return timezone.now() - dt.timedelta(**delta)


def test_a_row_whose_task_never_reached_the_broker_is_published(fam, task):
    """The broker was down at commit: ``queued_at`` stayed empty; the next sweep publishes."""
    lost = row(fam, due_at=ago(seconds=30))
    assert delivery.sweep() == 1
    assert task.published == [(lost.pk, None)]
    lost.refresh_from_db()
    assert lost.queued_at is not None


def test_a_published_task_that_never_ran_is_published_again(fam, task):
    lost = row(fam, due_at=ago(minutes=5), queued_at=ago(minutes=5))
    assert delivery.sweep() == 1
    assert task.published[0][0] == lost.pk


def test_a_task_published_a_moment_ago_is_left_to_run(fam, task):
    """No duplicate for a row whose task is simply on its way."""
    row(fam, due_at=ago(seconds=30), queued_at=ago(seconds=30))
    row(fam, due_at=timezone.now() + dt.timedelta(minutes=10), queued_at=ago(minutes=20))
    assert delivery.sweep() == 0
    assert task.published == []


def test_a_row_due_tomorrow_morning_is_published_only_when_it_comes_near(fam, task):
    """A night SMS (due 08:00) gets no broker ETA at night; the sweeper publishes it with
    its ETA once it is within the horizon."""
    morning = row(fam, due_at=timezone.now() + dt.timedelta(hours=7))
    outbox.schedule_many([(morning.pk, morning.channel, morning.due_at)])
    outbox.publish([(morning.pk, morning.channel, morning.due_at)])
    assert task.published == []
    Notification.objects.filter(pk=morning.pk).update(
        due_at=timezone.now() + dt.timedelta(minutes=5)
    )
    assert delivery.sweep() == 1
    [(published, eta)] = task.published
    assert published == morning.pk and eta is not None


def test_a_row_stuck_sending_goes_back_to_the_queue(fam, task):
    """A worker died mid-send: after STUCK_SENDING the row is queued and published."""
    stuck = row(fam, status=Status.SENDING, sending_since=ago(minutes=15), attempts=1)
    assert delivery.sweep() == 1
    stuck.refresh_from_db()
    assert (stuck.status, stuck.attempts) == (Status.QUEUED, 1)
    assert task.published[0][0] == stuck.pk


def test_a_row_stuck_sending_with_no_attempts_left_fails(fam, task, settings):
    settings.NOTIFY_MAX_ATTEMPTS = 2
    stuck = row(fam, status=Status.SENDING, sending_since=ago(minutes=15), attempts=2)
    assert delivery.sweep() == 0
    stuck.refresh_from_db()
    assert (stuck.status, stuck.error) == (Status.FAILED, delivery.ERROR_WORKER_LOST)


def test_a_row_sending_right_now_is_not_touched(fam, task):
    busy = row(fam, status=Status.SENDING, sending_since=ago(minutes=1), attempts=1)
    delivery.sweep()
    busy.refresh_from_db()
    assert busy.status == Status.SENDING


def test_a_broker_that_is_down_is_logged_not_raised(fam, monkeypatch, caplog):
    """Publishing fails: the journal's transaction is not disturbed; the row waits."""

    class Down:
        def delay(self, *args):
            raise ConnectionError("Connection refused")

        apply_async = delay

    monkeypatch.setattr(outbox, "_task_for", lambda channel: Down())
    lost = row(fam, due_at=ago(seconds=30))
    assert delivery.sweep() == 0
    lost.refresh_from_db()
    assert (lost.status, lost.queued_at) == (Status.QUEUED, None)
    assert "the sweeper will retry" in caplog.text

"""Quiet hours (school time) and the backoff between attempts."""

from __future__ import annotations

import datetime as dt

import pytest

from notifications import channels, delivery
from tests.notifications.support import at

pytestmark = pytest.mark.django_db
SIMFEROPOL = "Europe/Simferopol"


def test_a_message_at_2059_goes_at_once():
    """20:59 is not yet quiet: the time stays as it is."""
    when = at("2026-11-27 20:59")
    assert channels.after_quiet_hours(when, SIMFEROPOL) == when


def test_a_message_at_2100_waits_for_0800_next_morning():
    """21:00 starts the quiet hours: the message waits for 08:00 the next day."""
    assert channels.after_quiet_hours(at("2026-11-27 21:00"), SIMFEROPOL) == at("2026-11-28 08:00")


def test_a_message_at_0300_waits_for_0800_the_same_morning():
    """After midnight the morning is the same day's."""
    assert channels.after_quiet_hours(at("2026-11-28 03:00"), SIMFEROPOL) == at("2026-11-28 08:00")


def test_at_0800_the_quiet_hours_are_over():
    when = at("2026-11-28 08:00")
    assert channels.after_quiet_hours(when, SIMFEROPOL) == when


def test_quiet_hours_are_the_schools_not_the_servers():
    """18:30 UTC is 21:30 in Simferopol: quiet; the same moment is 19:30 in Kaliningrad."""
    when = dt.datetime(2026, 11, 27, 18, 30, tzinfo=dt.UTC)
    assert channels.after_quiet_hours(when, SIMFEROPOL) == at("2026-11-28 08:00")
    assert channels.after_quiet_hours(when, "Europe/Kaliningrad") == when


def test_quiet_hours_can_be_turned_off(settings):
    """An empty NOTIFY_QUIET_HOURS sends at any hour."""
    settings.NOTIFY_QUIET_HOURS = []
    when = at("2026-11-27 23:30")
    assert channels.after_quiet_hours(when, SIMFEROPOL) == when


def test_backoff_doubles_from_the_base_and_stops_at_the_cap(monkeypatch):
    """1, 2, 4, 8... minutes after each failed attempt, never more than two hours."""
    monkeypatch.setattr(delivery, "BACKOFF_BASE", dt.timedelta(minutes=1))
    monkeypatch.setattr(delivery, "BACKOFF_CAP", dt.timedelta(hours=2))
    waits = [delivery.backoff(n) for n in range(1, 10)]
    assert waits[:4] == [dt.timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert waits[-1] == dt.timedelta(hours=2)
    assert max(waits) == dt.timedelta(hours=2)

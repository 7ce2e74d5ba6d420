"""A teacher's message to a class reaches the families of the class as it stands on the
school's date of the message."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from journal import services as journal
from notifications.models import Kind
from school.models import Enrolment
from tests.notifications.support import build_family

pytestmark = pytest.mark.django_db


def test_a_class_message_after_midnight_reaches_a_student_enrolled_that_day(monkeypatch):
    """At 00:30 in Simferopol it is still yesterday in UTC: a student who joined the class
    today is among its families all the same."""
    fam = build_family()
    w = fam.world
    school_tz = ZoneInfo(w.school.timezone)
    today = w.school.local_today()
    Enrolment.objects.filter(student=fam.student, school_class=w.class_5a).update(start=today)
    half_past_midnight = dt.datetime.combine(today, dt.time(0, 30), tzinfo=school_tz)
    assert half_past_midnight.astimezone(dt.UTC).date() < today
    monkeypatch.setattr(timezone, "now", lambda: half_past_midnight)

    journal.send_message(
        actor=w.russian_teacher, subject="Собрание", text="В четверг", school_class=w.class_5a
    )

    assert fam.rows(kind=Kind.MESSAGE, student=fam.student)

"""Timetable changes for tomorrow: a lesson of tomorrow cancelled, moved or given a
substitute tells the families who chose it; changes undone before sending are not sent."""

from __future__ import annotations

import datetime as dt

import pytest

from journal import services as journal
from notifications import delivery
from notifications.models import Channel, Kind, Status
from notifications.render import short_day
from notifications.sms import locmem
from tests.notifications.support import build_family, make_due

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def daytime(settings):
    settings.NOTIFY_QUIET_HOURS = []
    locmem.outbox.clear()


@pytest.fixture
def fam():
    family = build_family()
    family.subscribe(Kind.TIMETABLE, Channel.SMS)
    return family


def weekday_after(day: dt.date) -> dt.date:
    day += dt.timedelta(days=1)
    while day.isoweekday() > 5:
        day += dt.timedelta(days=1)
    return day


def test_a_substitute_for_tomorrow_is_told_by_sms(fam):
    """Tomorrow's math lesson gets a substitute: one SMS naming the day, lesson and teacher."""
    w = fam.world
    lesson = w.lesson(1, number=2)
    journal.substitute_lesson(actor=w.deputy, lesson=lesson, substitute=w.other_teacher)

    [row] = fam.rows(kind=Kind.TIMETABLE)
    assert (row.channel, row.status) == (Channel.SMS, Status.QUEUED)
    delivery.deliver(make_due(row).pk)
    [sms] = locmem.outbox
    assert sms.text == (
        f"Алексеев Пётр, расписание {short_day(lesson.date)}: "
        "2 урок, математика: замена — Громов И. П."
    )


def test_several_changes_of_tomorrow_come_in_one_message(fam):
    """A cancelled lesson and a substitution within the window: one SMS with both."""
    w = fam.world
    first = w.lesson(1, number=1)
    second = w.lesson(1, number=3, subject=w.russian, teacher=w.russian_teacher)
    journal.cancel_lesson(actor=w.teacher, lesson=first, reason="болезнь учителя")
    journal.substitute_lesson(actor=w.deputy, lesson=second, substitute=w.other_teacher)

    [row] = fam.rows(kind=Kind.TIMETABLE)
    delivery.deliver(make_due(row).pk)
    [sms] = locmem.outbox
    assert "1 урок, математика: отменён" in sms.text
    assert "3 урок, русский язык: замена — Громов И. П." in sms.text


def test_a_lesson_moved_away_from_tomorrow_says_where_it_went(fam):
    w = fam.world
    lesson = w.lesson(1, number=2)
    target = weekday_after(lesson.date + dt.timedelta(days=1))
    journal.move_lesson(
        actor=w.deputy, lesson=lesson, new_date=target, new_number=6, reason="экскурсия"
    )
    [row] = fam.rows(kind=Kind.TIMETABLE)
    delivery.deliver(make_due(row).pk)
    [sms] = locmem.outbox
    assert f"перенесён на {target:%d.%m}, 6 урок" in sms.text


def test_changes_of_other_days_are_left_to_the_digest(fam):
    """A substitute the day after tomorrow: no timetable message now."""
    w = fam.world
    lesson = w.lesson(2, number=2)
    journal.substitute_lesson(actor=w.deputy, lesson=lesson, substitute=w.other_teacher)
    assert fam.rows(kind=Kind.TIMETABLE) == []


def test_families_who_did_not_choose_timetable_news_get_none():
    fam = build_family()
    w = fam.world
    journal.substitute_lesson(actor=w.deputy, lesson=w.lesson(1), substitute=w.other_teacher)
    assert fam.rows() == []


def test_a_change_undone_before_sending_is_not_sent(fam):
    """The substitution is taken back inside the window: suppressed, nothing sent."""
    w = fam.world
    lesson = w.lesson(1, number=2)
    journal.substitute_lesson(actor=w.deputy, lesson=lesson, substitute=w.other_teacher)
    journal.substitute_lesson(actor=w.deputy, lesson=lesson, substitute=None)
    [row] = fam.rows(kind=Kind.TIMETABLE)
    assert delivery.deliver(make_due(row).pk) == Status.SUPPRESSED
    assert locmem.outbox == []


def test_editing_a_changed_lesson_again_does_not_repeat_the_message(fam):
    """Once the substitution was told, a new topic of that lesson tells nothing new."""
    w = fam.world
    lesson = w.lesson(1, number=2)
    journal.substitute_lesson(actor=w.deputy, lesson=lesson, substitute=w.other_teacher)
    [row] = fam.rows(kind=Kind.TIMETABLE)
    delivery.deliver(make_due(row).pk)
    lesson.refresh_from_db()
    journal.update_lesson(
        actor=w.deputy, lesson=lesson, topic="Дроби", expected_version=lesson.version
    )
    assert len(fam.rows(kind=Kind.TIMETABLE)) == 1

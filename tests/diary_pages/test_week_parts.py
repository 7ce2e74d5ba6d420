"""The parts of the week's read (diary.selectors): loading, laying out the days, placing
entries by kind, the coming changes and the summary, each asked on its own."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from diary.models import EntryKind
from diary.selectors import (
    coming_changes,
    lay_out_days,
    load_week,
    place_entries,
    summarize,
    week_for_student,
)

pytestmark = pytest.mark.django_db


def test_loading_reads_the_week_in_three_queries(dw) -> None:
    """Enrolments with holidays, lessons with bell times, diary rows: nothing else."""
    with CaptureQueriesContext(connection) as queries:
        rows = load_week(student=dw.child_a, week_start=dw.day0, today=dw.day0)
    assert len(queries) == 3
    assert (rows.start, rows.end) == (dw.week0, dw.week0 + dt.timedelta(days=6))
    assert rows.current
    assert dw.test_lesson.pk in {lesson.pk for lesson in rows.lessons}
    assert EntryKind.MARK in {entry.kind for entry in rows.entries}


def test_a_week_far_from_today_is_not_current_and_has_no_next_day(dw) -> None:
    rows = load_week(student=dw.child_a, week_start=dw.week0 - dt.timedelta(days=28), today=dw.day0)
    assert not rows.current
    assert rows.next_day is None
    assert summarize(rows) is None


def test_the_layout_has_the_school_days_with_their_lessons_in_order(dw) -> None:
    rows = load_week(student=dw.child_a, week_start=dw.day0, today=dw.day0)
    layout = lay_out_days(rows)
    assert sorted(layout.days)[:5] == [dw.week0 + dt.timedelta(days=n) for n in range(5)]
    day = layout.days[dw.day0]
    assert day.is_today
    numbers = [item.lesson.number for item in day.lessons]
    assert numbers == sorted(numbers)
    assert layout.lessons[dw.test_lesson.pk] in day.lessons
    assert all(not item.marks for item in layout.lessons.values())  # placing comes later


def test_entries_are_placed_on_their_lessons_by_kind(dw) -> None:
    rows = load_week(student=dw.child_a, week_start=dw.day0, today=dw.day0)
    layout = lay_out_days(rows)
    place_entries(layout, rows.entries)
    test = layout.lessons[dw.test_lesson.pk]
    assert [(m.value, m.weight) for m in test.marks] == [(5, 3)]
    assert [r.text for r in test.remarks] == ["Лучшая работа в классе"]
    russian = layout.lessons[dw.russian_lesson.pk]
    assert russian.absence.code == "б"
    assert [h.text for h in russian.homework_given] == ["Упражнение 45, выучить правило"]


def test_a_mark_whose_lesson_is_not_in_the_week_goes_on_its_day(dw) -> None:
    """A mark of a lesson the child no longer sees (moved class, left the group) is still
    the child's: it shows on its day."""
    rows = dataclasses.replace(
        load_week(student=dw.child_a, week_start=dw.day0, today=dw.day0), lessons=[]
    )
    layout = lay_out_days(rows)
    place_entries(layout, rows.entries)
    assert [(subject, mark.value) for subject, mark in layout.days[dw.day0].marks] == [
        ("Математика", 5)
    ]
    assert [r.text for r in layout.days[dw.day0].remarks] == ["Лучшая работа в классе"]


def test_the_summary_tells_todays_marks_and_absences(dw) -> None:
    summary = summarize(load_week(student=dw.child_a, week_start=None, today=dw.day0))
    assert summary is not None
    assert summary.today == dw.day0
    assert [(subject, mark.value) for subject, mark in summary.marks] == [("Математика", 5)]
    assert [absence.code for _, absence in summary.absences] == ["б"]
    assert summary.today_is_school_day


def test_the_coming_changes_are_in_date_and_lesson_order(dw) -> None:
    rows = load_week(student=dw.child_a, week_start=None, today=dw.day0)
    changes = coming_changes(rows.entries)
    assert changes, "the world has a substitution, a cancellation and a move after day0"
    assert [(c.date, c.number) for c in changes] == sorted((c.date, c.number) for c in changes)


def test_the_week_is_the_parts_put_together(dw) -> None:
    rows = load_week(student=dw.child_a, week_start=None, today=dw.day0)
    layout = lay_out_days(rows)
    place_entries(layout, rows.entries)
    week = week_for_student(student=dw.child_a, week_start=None, today=dw.day0)
    assert week.days == sorted(layout.days.values(), key=lambda d: d.date)
    assert week.summary == summarize(rows)
    assert week.changes == coming_changes(rows.entries)

"""``seed_demo``'s journal across runs: determinism, idempotency, ``--reset``, ``--until``
and ``--no-journal``. (Kept apart from ``test_seed_demo_journal.py``, whose module-wide
demo school would be found by these runs.)"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from collections import Counter

import pytest
from django.core.management import CommandError, call_command

from demo.school.context import DemoOptions
from demo.school.generator import find_demo_school, seed_demo
from journal.models import (
    Attendance,
    Bell,
    Homework,
    Lesson,
    LessonStatus,
    Mark,
    Message,
    Remark,
    TimetableEntry,
)
from school.models import School

pytestmark = [pytest.mark.seeding, pytest.mark.django_db]

D = dt.date
SMALL = {"classes_per_grade": 1, "students_per_class": 6}


# --- Determinism, idempotency, reset, the command ---------------------------------------


def journal_snapshot(school: School) -> dict[str, list[str]]:
    """The journal of a demo school without database ids."""
    lesson = ("school_class__grade", "school_class__letter", "group__name", "subject__name")
    at = ("lesson__date", "lesson__number", *(f"lesson__{f}" for f in lesson))
    student = ("student__last_name", "student__first_name", "student__middle_name")

    def rows(queryset, *fields):
        return sorted(
            json.dumps(r, default=str, ensure_ascii=False) for r in queryset.values_list(*fields)
        )

    return {
        "timetable": rows(
            TimetableEntry.objects.filter(school_class__school=school),
            *lesson,
            "teacher__username",
            "weekday",
            "number",
            "room",
        ),
        "lessons": rows(
            Lesson.objects.filter(school=school),
            *lesson,
            "date",
            "number",
            "teacher__username",
            "substitute__username",
            "lesson_type",
            "status",
            "topic",
            "moved_to__date",
            "moved_to__number",
        ),
        "marks": rows(
            Mark.objects.filter(school=school), *at, "column__position", *student, "value"
        ),
        "attendance": rows(Attendance.objects.filter(school=school), *at, *student, "code"),
        "homework": rows(Homework.objects.filter(school=school), *at, "text", "due_date"),
        "remarks": rows(Remark.objects.filter(school=school), *at, *student, "kind", "text"),
        "messages": rows(Message.objects.filter(school=school), "subject", "text", "created_at"),
    }


def test_same_seed_and_today_give_the_same_journal_after_reset():
    options = DemoOptions(seed=5, until=D(2026, 10, 16), **SMALL)
    first = journal_snapshot(seed_demo(options).schools[1])
    assert first["marks"] and first["attendance"] and first["homework"]
    second = journal_snapshot(seed_demo(options, reset=True).schools[1])
    for section in first:
        assert second[section] == first[section], section


def test_second_run_adds_no_journal_rows_and_reset_removes_them():
    options = DemoOptions(until=D(2026, 9, 30), **SMALL)
    old = seed_demo(options).schools[1]
    counts = (Lesson.objects.count(), Mark.objects.count(), Attendance.objects.count())
    assert seed_demo(options).counts == Counter()
    assert (Lesson.objects.count(), Mark.objects.count(), Attendance.objects.count()) == counts
    new = seed_demo(DemoOptions(journal=False, **SMALL), reset=True).schools[1]
    assert new.pk != old.pk
    for model in (Lesson, Mark, Attendance, Homework, TimetableEntry, Remark, Message, Bell):
        assert not model.objects.exists(), model


def run_command(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def test_command_until_and_no_journal():
    output = run_command(
        "--classes-per-grade", "1", "--students-per-class", "4", "--until", "2026-09-15"
    )
    assert re.search(r"\d+ урок(а|ов)?, \d+ отмет", output)
    conducted = Lesson.objects.filter(status=LessonStatus.CONDUCTED)
    assert conducted.exists() and max(conducted.values_list("date", flat=True)) <= D(2026, 9, 15)
    output = run_command(
        "--students-per-class", "4", "--classes-per-grade", "1", "--reset", "--no-journal"
    )
    assert "отмет" not in output and not Lesson.objects.exists()
    with pytest.raises(CommandError, match="ГГГГ-ММ-ДД"):
        run_command("--until", "15.09.2026")


def test_today_defaults_to_the_schools_date_within_the_year(monkeypatch):
    """Without ``--until`` the demo's today is the school's local date, clamped into the
    academic year (a date after the year's end conducts the whole year)."""
    monkeypatch.setattr(School, "local_today", lambda self: D(2027, 8, 1))
    school = seed_demo(DemoOptions(**SMALL)).schools[1]
    planned = Lesson.objects.filter(school=school, status=LessonStatus.PLANNED)
    assert not planned.exists()
    assert find_demo_school(1) == school

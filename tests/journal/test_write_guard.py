"""A closed period protects every journal entry (DESIGN 4): every write service of the
journal goes through one guard (``guard_lesson_write``) and refuses a teacher and the deputy
in a closed period; the director writes there only with a reason.

The list of write services is not kept by hand: every public function of the
``journal.services`` modules that takes the keyword-only ``actor`` is one, and must have a
case below (or a reason in ``EXEMPT``). A new write service without a case fails
``test_every_write_service_has_a_closed_period_case``."""

from __future__ import annotations

import inspect
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.exceptions import ValidationError

import journal.services
from journal import services
from journal.models import Attendance, Homework, JournalChange, Lesson, Mark, RemarkKind, WorkType
from school.models import User
from tests.journal_factories import JournalWorld, build_journal_world, lock

pytestmark = pytest.mark.django_db

# Writes that are not journal entries dated in a period.
EXEMPT = {
    "send_message": "a letter to the family sent today, not an entry of the journal",
    "mark_message_read": "a family's reading receipt, not an entry of the journal",
    "record_change": "the history row a write service adds after its guard",
    "journal_changed": "the history row and the diary's event a write service adds after its guard",
}


def write_services() -> set[str]:
    """Public functions of the journal's service modules that act for an ``actor``."""
    found = set()
    for module_info in pkgutil.iter_modules(journal.services.__path__):
        module = __import__(f"journal.services.{module_info.name}", fromlist=["_"])
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("_") or function.__module__ != module.__name__:
                continue
            parameter = inspect.signature(function).parameters.get("actor")
            if parameter is not None and parameter.kind is inspect.Parameter.KEYWORD_ONLY:
                found.add(name)
    return found


@dataclass
class Scene:
    """A school day in the current quarter: a lesson with a mark, an absence and a
    homework, two empty lessons; then the quarter is closed."""

    w: JournalWorld
    lesson: Lesson
    empty: Lesson
    spare: Lesson
    mark: Mark
    attendance: Attendance
    homework: Homework


def scene() -> Scene:
    w = build_journal_world()
    offset = (w.school_day(0) - w.today).days
    lesson, empty, spare = (w.lesson(offset, number=n) for n in (1, 2, 3))
    mark = services.record_mark(actor=w.teacher, lesson=lesson, student=w.students[0], value=4)
    attendance = services.set_attendance(
        actor=w.teacher, lesson=lesson, student=w.students[1], code="н", expected_version=0
    )
    homework = services.assign_homework(
        actor=w.teacher, lesson=lesson, text="№ 1", due_date=lesson.date
    )
    services.ensure_work_types(w.school.pk)
    lock(w.quarter, by=w.director)
    lesson.refresh_from_db()
    return Scene(w, lesson, empty, spare, mark, attendance, homework)


Call = Callable[[Scene, User, str], object]

CASES: dict[str, Call] = {
    "record_mark": lambda s, u, r: services.record_mark(
        actor=u, lesson=s.lesson, student=s.w.students[2], value=5, reason=r
    ),
    "correct_mark": lambda s, u, r: services.correct_mark(
        actor=u, mark=s.mark, value=3, expected_version=s.mark.version, reason=r
    ),
    "delete_mark": lambda s, u, r: services.delete_mark(
        actor=u, mark=s.mark, expected_version=s.mark.version, reason=r
    ),
    "set_attendance": lambda s, u, r: services.set_attendance(
        actor=u, lesson=s.lesson, student=s.w.students[2], code="о", expected_version=0, reason=r
    ),
    "clear_attendance": lambda s, u, r: services.clear_attendance(
        actor=u, attendance=s.attendance, expected_version=s.attendance.version, reason=r
    ),
    "set_cell": lambda s, u, r: services.set_cell(
        actor=u,
        lesson=s.lesson,
        position=1,
        student=s.w.students[2],
        text="5",
        mark_version=0,
        attendance_version=0,
        reason=r,
    ),
    "add_mark_column": lambda s, u, r: services.add_mark_column(
        actor=u,
        lesson=s.lesson,
        work_type=WorkType.objects.filter(school=s.w.school).first(),
        reason=r,
    ),
    "assign_homework": lambda s, u, r: services.assign_homework(
        actor=u, lesson=s.lesson, text="№ 2", due_date=s.lesson.date, reason=r
    ),
    "update_homework": lambda s, u, r: services.update_homework(
        actor=u, homework=s.homework, expected_version=s.homework.version, text="№ 3", reason=r
    ),
    "delete_homework": lambda s, u, r: services.delete_homework(
        actor=u, homework=s.homework, expected_version=s.homework.version, reason=r
    ),
    "add_remark": lambda s, u, r: services.add_remark(
        actor=u,
        student=s.w.students[0],
        kind=RemarkKind.RECOMMENDATION,
        text="Повторить дроби",
        lesson=s.lesson,
        reason=r,
    ),
    "update_lesson": lambda s, u, r: services.update_lesson(
        actor=u, lesson=s.lesson, expected_version=s.lesson.version, topic="Дроби", reason=r
    ),
    "substitute_lesson": lambda s, u, r: services.substitute_lesson(
        actor=u, lesson=s.lesson, substitute=s.w.russian_teacher, reason=r
    ),
    "cancel_lesson": lambda s, u, r: services.cancel_lesson(
        actor=u, lesson=s.empty, reason=r or "Карантин"
    ),
    "move_lesson": lambda s, u, r: services.move_lesson(
        actor=u, lesson=s.spare, new_date=s.spare.date, new_number=7, reason=r or "Экскурсия"
    ),
    "add_extra_lesson": lambda s, u, r: services.add_extra_lesson(
        actor=u,
        school_class=s.w.class_5a,
        subject=s.w.math,
        teacher=s.w.teacher,
        day=s.lesson.date,
        number=8,
        reason=r,
    ),
}
# The same service outside lessons: the period of the day it is written on.
EXTRA_CASES: dict[str, Call] = {
    "add_remark outside lessons": lambda s, u, r: services.add_remark(
        actor=u,
        student=s.w.students[0],
        kind=RemarkKind.PRAISE,
        text="Молодец",
        reason=r,
    ),
}
ALL_CASES = {**CASES, **EXTRA_CASES}


def test_every_write_service_has_a_closed_period_case() -> None:
    assert write_services() - set(EXEMPT) == set(CASES)


@pytest.mark.parametrize("who", ["teacher", "deputy"])
@pytest.mark.parametrize("name", list(ALL_CASES))
def test_a_closed_period_refuses_every_write(name: str, who: str) -> None:
    s = scene()
    before = JournalChange.objects.count()
    with pytest.raises(ValidationError) as error:
        ALL_CASES[name](s, getattr(s.w, who), "")
    assert error.value.code == "period_closed", error.value.messages
    assert JournalChange.objects.count() == before


@pytest.mark.parametrize("name", list(ALL_CASES))
def test_the_director_writes_in_a_closed_period_only_with_a_reason(name: str) -> None:
    s = scene()
    if name not in ("cancel_lesson", "move_lesson"):  # these demand a reason anyway
        with pytest.raises(ValidationError) as error:
            ALL_CASES[name](s, s.w.director, "")
        assert error.value.code == "reason_required", error.value.messages
    before = JournalChange.objects.count()
    ALL_CASES[name](s, s.w.director, "Исправление по решению педсовета")
    assert JournalChange.objects.count() > before

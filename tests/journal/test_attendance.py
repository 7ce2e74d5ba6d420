"""Attendance: the codes н, б, у, о, who sets them, and their rules beside marks."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from journal import services
from journal.models import Attendance, JournalChange
from journal.services.cells import MSG_ABSENT_WITH_MARK, MSG_BAD_CELL
from journal.services.common import (
    MSG_LESSON_INACTIVE,
    MSG_NO_RIGHT,
    MSG_NOT_ENROLLED,
    MSG_PERIOD_CLOSED,
    MSG_PERIOD_REASON,
    fmt,
)
from tests.factories import StudentFactory
from tests.journal_factories import build_journal_world, lock
from tests.once import built_once, copy_of

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _w_once(django_db_setup, django_db_blocker):
    with built_once(django_db_blocker, build_journal_world) as world:
        yield world


@pytest.fixture
def w(db, _w_once):
    """``build_journal_world()`` built once for the module (``tests.once``)."""
    return copy_of(_w_once)


def refusal(service, **kwargs) -> list[str]:
    with pytest.raises(ValidationError) as error:
        service(**kwargs)
    return error.value.messages


def mark_absent(w, lesson, student, code="н", expected_version=0, user=None, **extra):
    return services.set_attendance(
        actor=user or w.teacher,
        lesson=lesson,
        student=student,
        code=code,
        expected_version=expected_version,
        **extra,
    )


@pytest.mark.parametrize("code", ["н", "б", "у", "о"])
def test_each_attendance_code_is_recorded(w, code) -> None:
    """н, б, у and о are saved for the student at the lesson, version 1."""
    lesson, student = w.lesson(0), w.students[0]

    attendance = mark_absent(w, lesson, student, code)

    saved = Attendance.objects.get(pk=attendance.pk)
    assert (saved.lesson, saved.student, saved.code, saved.version) == (lesson, student, code, 1)
    assert (saved.created_by, saved.updated_by) == (w.teacher, w.teacher)
    assert saved.is_absence is (code != "о")


def test_an_unknown_code_is_refused(w) -> None:
    """«п» is not one of this school's codes: the cell's message lists them."""
    messages = refusal(
        services.set_attendance,
        actor=w.teacher,
        lesson=w.lesson(0),
        student=w.students[0],
        code="п",
        expected_version=0,
    )

    assert messages == [MSG_BAD_CELL % {"low": 2}]
    assert Attendance.objects.count() == 0


def test_changing_the_code_updates_the_same_row(w) -> None:
    """«н» turned into «б» (a doctor's note came) keeps the row, raises the version and keeps
    the note."""
    lesson, student = w.lesson(0), w.students[0]
    first = mark_absent(w, lesson, student, "н")

    mark_absent(w, lesson, student, "б", expected_version=1, user=w.deputy, note="Справка № 15")

    saved = Attendance.objects.get()
    assert saved.pk == first.pk
    assert (saved.code, saved.reason, saved.version) == ("б", "Справка № 15", 2)
    assert (saved.created_by, saved.updated_by) == (w.teacher, w.deputy)


def test_setting_the_same_code_again_writes_nothing(w) -> None:
    """Repeating «н» changes nothing and adds no history."""
    lesson, student = w.lesson(0), w.students[0]
    mark_absent(w, lesson, student, "н")

    mark_absent(w, lesson, student, "н", expected_version=1)

    assert Attendance.objects.get().version == 1
    assert JournalChange.objects.filter(kind="attendance").count() == 1


def test_clearing_attendance_removes_the_row(w) -> None:
    """Clearing removes the attendance entry."""
    lesson, student = w.lesson(0), w.students[0]
    attendance = mark_absent(w, lesson, student, "б")

    services.clear_attendance(actor=w.teacher, attendance=attendance, expected_version=1)

    assert not Attendance.objects.exists()


def test_a_student_with_a_mark_can_be_marked_late(w) -> None:
    """«о» stands beside a mark."""
    lesson, student = w.lesson(0), w.students[0]
    services.record_mark(actor=w.teacher, lesson=lesson, student=student, value=4)

    mark_absent(w, lesson, student, "о")

    assert services.cell_state(lesson, 1, student).attendance_code == "о"


def test_a_late_student_with_a_mark_cannot_be_turned_absent(w) -> None:
    """Changing «о» to «н» is refused while the student has a mark at the lesson."""
    lesson, student = w.lesson(0), w.students[0]
    mark_absent(w, lesson, student, "о")
    services.record_mark(actor=w.teacher, lesson=lesson, student=student, value=4)

    messages = refusal(
        services.set_attendance,
        actor=w.teacher,
        lesson=lesson,
        student=student,
        code="н",
        expected_version=1,
    )

    assert messages == [MSG_ABSENT_WITH_MARK % {"student": student.short_name}]
    assert Attendance.objects.get().code == "о"


def test_a_mark_in_the_second_column_also_forbids_an_absence(w) -> None:
    """Attendance is per lesson: a mark in any of its columns forbids «н»."""
    lesson, student = w.lesson(0), w.students[0]
    homework = services.work_type_for(w.school.pk, "homework")
    services.add_mark_column(actor=w.teacher, lesson=lesson, work_type=homework)
    services.record_mark(actor=w.teacher, lesson=lesson, student=student, value=5, position=2)

    messages = refusal(
        services.set_attendance,
        actor=w.teacher,
        lesson=lesson,
        student=student,
        code="н",
        expected_version=0,
    )

    assert messages == [MSG_ABSENT_WITH_MARK % {"student": student.short_name}]


def test_attendance_is_kept_in_the_first_grade(w) -> None:
    """First grade has no marks but its journal keeps attendance."""
    pupil = StudentFactory(school=w.school, last_name="Зайцев", enrolled_in=w.class_1a)
    lesson = w.lesson(0, school_class=w.class_1a)

    mark_absent(w, lesson, pupil, "б")

    assert list(Attendance.objects.values_list("student", "code")) == [(pupil.pk, "б")]


def test_attendance_of_a_student_of_another_class_is_refused(w) -> None:
    """Only students of the lesson's class on its date can be marked."""
    stranger = StudentFactory(school=w.school, last_name="Жуков", enrolled_in=w.class_5b)
    lesson = w.lesson(0)

    messages = refusal(
        services.set_attendance,
        actor=w.teacher,
        lesson=lesson,
        student=stranger,
        code="н",
        expected_version=0,
    )

    assert messages == [
        MSG_NOT_ENROLLED % {"student": stranger.short_name, "cls": "5А", "date": fmt(lesson.date)}
    ]
    assert Attendance.objects.count() == 0


def test_attendance_by_a_teacher_without_the_assignment_is_refused(w) -> None:
    """The teacher of 5Б cannot mark attendance in 5А's математика."""
    messages = refusal(
        services.set_attendance,
        actor=w.other_teacher,
        lesson=w.lesson(0),
        student=w.students[0],
        code="н",
        expected_version=0,
    )

    assert messages == [MSG_NO_RIGHT % {"subject": "Математика", "cls": "5А"}]
    assert Attendance.objects.count() == 0


def test_a_cancelled_lesson_takes_no_attendance(w) -> None:
    """Nobody is absent from a lesson that did not happen."""
    lesson = services.cancel_lesson(actor=w.teacher, lesson=w.lesson(0), reason="Карантин")

    messages = refusal(
        services.set_attendance,
        actor=w.teacher,
        lesson=lesson,
        student=w.students[0],
        code="н",
        expected_version=0,
    )

    assert messages == [MSG_LESSON_INACTIVE % {"date": fmt(lesson.date), "state": "отменён"}]
    assert Attendance.objects.count() == 0


def test_a_closed_period_refuses_attendance_changes(w) -> None:
    """In a closed period a teacher cannot set or clear attendance; the director can, with
    a reason."""
    lesson, student = w.lesson(-1), w.students[0]
    attendance = mark_absent(w, lesson, student, "н")
    lock(w.quarter, by=w.director)

    set_refused = refusal(
        services.set_attendance,
        actor=w.teacher,
        lesson=lesson,
        student=w.students[1],
        code="н",
        expected_version=0,
    )
    clear_refused = refusal(
        services.clear_attendance, actor=w.teacher, attendance=attendance, expected_version=1
    )
    director_without_reason = refusal(
        services.clear_attendance, actor=w.director, attendance=attendance, expected_version=1
    )
    services.clear_attendance(
        actor=w.director, attendance=attendance, expected_version=1, reason="Ошибка учителя"
    )

    assert set_refused == clear_refused == [MSG_PERIOD_CLOSED % {"period": "II четверть"}]
    assert director_without_reason == [MSG_PERIOD_REASON % {"period": "II четверть"}]
    assert not Attendance.objects.exists()
    change = JournalChange.objects.get(kind="attendance", action="delete")
    assert (change.actor, change.reason, change.old) == (
        w.director,
        "Ошибка учителя",
        {"code": "н", "reason": ""},
    )

"""Marks: who may give which mark to whom, when; columns and weights; typing into a cell."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from journal import services
from journal.models import (
    JournalChange,
    JournalSettings,
    LessonStatus,
    LessonType,
    Mark,
    MarkColumn,
)
from journal.selectors import journal_grid, weighted_average
from journal.services.cells import (
    MSG_ABSENT_WITH_MARK,
    MSG_BAD_CELL,
    MSG_BAD_VALUE,
    MSG_MARK_WHEN_ABSENT,
    MSG_NO_COLUMN,
    MSG_NO_ONE,
    CellState,
)
from journal.services.common import (
    MSG_EDIT_WINDOW,
    MSG_FUTURE,
    MSG_LESSON_INACTIVE,
    MSG_NO_RIGHT,
    MSG_NOT_ENROLLED,
    MSG_NOT_IN_GROUP,
    MSG_PERIOD_CLOSED,
    MSG_PERIOD_REASON,
    MSG_UNGRADED_CLASS,
    MSG_UNGRADED_SUBJECT,
    fmt,
)
from school.models import PeriodKind, User
from school.services import transfer_student
from tests.factories import (
    GroupMembershipFactory,
    PeriodFactory,
    SchoolClassFactory,
    StudentFactory,
    StudyGroupFactory,
    SubjectFactory,
    TeachingAssignmentFactory,
)
from tests.journal_factories import JournalSettingsFactory, build_journal_world, lock, teaches
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
    """Call a service that must refuse; return its formatted Russian messages."""
    with pytest.raises(ValidationError) as error:
        service(**kwargs)
    return error.value.messages


def allow_mark_one(w) -> None:
    """``build_journal_world(allow_mark_one=True)`` on the module's shared world."""
    w.school.allow_mark_one = True
    w.school.save(update_fields=["allow_mark_one"])


def fresh(user: User) -> User:
    """The same person as a new request sees them (no cached roles)."""
    return User.objects.get(pk=user.pk)


# --- Values ---------------------------------------------------------------------------


@pytest.mark.parametrize("value", [2, 3, 4, 5])
def test_marks_from_two_to_five_are_recorded(w, value) -> None:
    """A 2, 3, 4 or 5 is saved in the lesson's first column, as an answer (weight 1)."""
    lesson = w.lesson(0)
    student = w.students[0]

    mark = services.record_mark(actor=w.teacher, lesson=lesson, student=student, value=value)

    saved = Mark.objects.select_related("column__work_type").get(pk=mark.pk)
    assert (saved.value, saved.version, saved.student, saved.lesson) == (value, 1, student, lesson)
    assert (saved.created_by, saved.updated_by) == (w.teacher, w.teacher)
    assert saved.column.position == 1
    assert saved.column.work_type.name == "Ответ на уроке"
    assert saved.column.effective_weight == 1


def test_a_one_is_refused_where_the_school_does_not_use_it(w) -> None:
    """A «1» is refused by default: the scale is 2-5."""
    messages = refusal(
        services.record_mark, actor=w.teacher, lesson=w.lesson(0), student=w.students[0], value=1
    )

    assert messages == [MSG_NO_ONE]
    assert Mark.objects.count() == 0


def test_a_one_is_recorded_where_the_school_allows_it(w) -> None:
    """A school that allows «1» may give it."""
    allow_mark_one(w)

    mark = services.record_mark(actor=w.teacher, lesson=w.lesson(0), student=w.students[0], value=1)

    assert Mark.objects.get(pk=mark.pk).value == 1


@pytest.mark.parametrize("value", [0, 6])
def test_values_outside_the_scale_are_refused(w, value) -> None:
    """0 and 6 are not marks."""
    messages = refusal(
        services.record_mark,
        actor=w.teacher,
        lesson=w.lesson(0),
        student=w.students[0],
        value=value,
    )

    assert messages == [MSG_BAD_VALUE % {"low": 2}]
    assert Mark.objects.count() == 0


def test_the_scale_in_the_message_starts_at_one_where_one_is_allowed(w) -> None:
    """Where «1» is allowed, the refusal of a 0 says «от 1 до 5»."""
    allow_mark_one(w)

    messages = refusal(
        services.record_mark, actor=w.teacher, lesson=w.lesson(0), student=w.students[0], value=0
    )

    assert messages == [MSG_BAD_VALUE % {"low": 1}]


# --- Who gets a mark ------------------------------------------------------------------


def test_a_student_of_another_class_cannot_get_a_mark(w) -> None:
    """A mark goes only to a student enrolled in the lesson's class on its date."""
    stranger = StudentFactory(school=w.school, last_name="Жуков", enrolled_in=w.class_5b)
    lesson = w.lesson(0)

    messages = refusal(
        services.record_mark, actor=w.teacher, lesson=lesson, student=stranger, value=5
    )

    assert messages == [
        MSG_NOT_ENROLLED % {"student": stranger.short_name, "cls": "5А", "date": fmt(lesson.date)}
    ]
    assert Mark.objects.count() == 0


def test_a_transferred_student_gets_marks_in_the_old_class_only_before_the_transfer(w) -> None:
    """After a transfer on day D, the old class's lessons before D take the student's marks,
    those from D on refuse them, and the new class's lessons take them from D on."""
    student = w.students[0]
    transfer_student(student=student, to_class=w.class_5b, on_date=w.day(-2), actor=w.director)
    old_before, old_after = w.lesson(-4), w.lesson(-1)
    new_before = w.lesson(-4, school_class=w.class_5b, teacher=w.other_teacher)
    new_after = w.lesson(-1, school_class=w.class_5b, teacher=w.other_teacher)

    services.record_mark(actor=w.teacher, lesson=old_before, student=student, value=4)
    old_refused = refusal(
        services.record_mark, actor=w.teacher, lesson=old_after, student=student, value=4
    )
    services.record_mark(actor=w.other_teacher, lesson=new_after, student=student, value=5)
    new_refused = refusal(
        services.record_mark, actor=w.other_teacher, lesson=new_before, student=student, value=5
    )

    assert old_refused == [
        MSG_NOT_ENROLLED % {"student": student.short_name, "cls": "5А", "date": fmt(w.day(-1))}
    ]
    assert new_refused == [
        MSG_NOT_ENROLLED % {"student": student.short_name, "cls": "5Б", "date": fmt(w.day(-4))}
    ]
    assert sorted(Mark.objects.values_list("lesson__school_class__letter", "value")) == [
        ("А", 4),
        ("Б", 5),
    ]


def test_a_group_lesson_takes_marks_of_its_members_only(w) -> None:
    """A subgroup's lesson refuses a classmate who is not in the subgroup."""
    group = StudyGroupFactory(school_class=w.class_5a, subject=w.math, name="Подгруппа 1")
    member, outsider = w.students[0], w.students[1]
    GroupMembershipFactory(group=group, student=member)
    lesson = w.lesson(0, group=group)

    services.record_mark(actor=w.teacher, lesson=lesson, student=member, value=5)
    messages = refusal(
        services.record_mark, actor=w.teacher, lesson=lesson, student=outsider, value=5
    )

    assert messages == [
        MSG_NOT_IN_GROUP
        % {"student": outsider.short_name, "group": "Подгруппа 1", "date": fmt(lesson.date)}
    ]
    assert list(Mark.objects.values_list("student", flat=True)) == [member.pk]


def test_a_cancelled_lesson_takes_no_marks(w) -> None:
    """Marks cannot be given at a cancelled lesson."""
    lesson = services.cancel_lesson(actor=w.teacher, lesson=w.lesson(-1), reason="Карантин")

    messages = refusal(
        services.record_mark, actor=w.teacher, lesson=lesson, student=w.students[0], value=5
    )

    assert messages == [MSG_LESSON_INACTIVE % {"date": fmt(lesson.date), "state": "отменён"}]
    assert Mark.objects.count() == 0


def test_a_moved_lesson_takes_no_marks_its_new_date_does(w) -> None:
    """The old row of a moved lesson refuses marks; the lesson at its new date takes them."""
    old = w.lesson(-1, number=1)
    new = services.move_lesson(
        actor=w.teacher, lesson=old, new_date=w.school_day(-2), new_number=6, reason="Экскурсия"
    )
    old.refresh_from_db()

    messages = refusal(
        services.record_mark, actor=w.teacher, lesson=old, student=w.students[0], value=5
    )
    services.record_mark(actor=w.teacher, lesson=new, student=w.students[0], value=5)

    assert old.status == LessonStatus.MOVED
    assert messages == [MSG_LESSON_INACTIVE % {"date": fmt(old.date), "state": "перенесён"}]
    assert list(Mark.objects.values_list("lesson", flat=True)) == [new.pk]


# --- When -----------------------------------------------------------------------------


def test_a_future_lesson_takes_no_marks(w) -> None:
    """A lesson after the school's today refuses marks."""
    lesson = w.lesson(1)

    messages = refusal(
        services.record_mark, actor=w.teacher, lesson=lesson, student=w.students[0], value=5
    )

    assert messages == [MSG_FUTURE % {"date": fmt(lesson.date)}]
    assert Mark.objects.count() == 0


def test_future_marks_are_accepted_where_the_school_allows_them(w) -> None:
    """With «разрешены отметки за будущие уроки» a lesson tomorrow takes a mark."""
    JournalSettingsFactory(school=w.school, allow_future_marks=True)

    mark = services.record_mark(actor=w.teacher, lesson=w.lesson(1), student=w.students[0], value=5)

    assert Mark.objects.get(pk=mark.pk).lesson.date == w.day(1)


def test_a_lesson_of_today_takes_marks(w) -> None:
    """Today's lesson is not a future lesson."""
    services.record_mark(actor=w.teacher, lesson=w.lesson(0), student=w.students[0], value=5)

    assert Mark.objects.get().lesson.date == w.today


def test_an_old_lesson_is_closed_to_its_teacher_and_open_to_the_deputy(w) -> None:
    """After the edit window (7 days) a teacher cannot give a back-dated mark; the deputy
    can. The last day of the window is still open to the teacher."""
    old = w.lesson(-8)
    last_open = w.lesson(-7)

    messages = refusal(
        services.record_mark, actor=w.teacher, lesson=old, student=w.students[0], value=4
    )
    services.record_mark(actor=w.deputy, lesson=old, student=w.students[0], value=4)
    services.record_mark(actor=w.teacher, lesson=last_open, student=w.students[0], value=3)

    assert messages == [MSG_EDIT_WINDOW % {"date": fmt(old.date), "days": 7}]
    assert sorted(Mark.objects.values_list("value", "created_by")) == [
        (3, w.teacher.pk),
        (4, w.deputy.pk),
    ]


def test_the_edit_window_follows_the_school_setting(w) -> None:
    """With a 3-day window, a lesson 4 days ago is closed to the teacher, and so is
    correcting a mark given on it earlier by the deputy."""
    JournalSettingsFactory(school=w.school, edit_window_days=3)
    lesson = w.lesson(-4)
    mark = services.record_mark(actor=w.deputy, lesson=lesson, student=w.students[0], value=4)

    record_refused = refusal(
        services.record_mark, actor=w.teacher, lesson=lesson, student=w.students[1], value=5
    )
    correct_refused = refusal(
        services.correct_mark, actor=w.teacher, mark=mark, value=5, expected_version=1
    )

    expected = [MSG_EDIT_WINDOW % {"date": fmt(lesson.date), "days": 3}]
    assert record_refused == correct_refused == expected
    assert list(Mark.objects.values_list("value", flat=True)) == [4]


# --- Graded or not --------------------------------------------------------------------


def test_the_first_grade_takes_no_marks(w) -> None:
    """First grade learns without marks, even from its own teacher."""
    pupil = StudentFactory(school=w.school, last_name="Зайцев", enrolled_in=w.class_1a)
    lesson = w.lesson(0, school_class=w.class_1a)

    messages = refusal(services.record_mark, actor=w.teacher, lesson=lesson, student=pupil, value=5)

    assert messages == [MSG_UNGRADED_CLASS % {"cls": "1А"}]
    assert Mark.objects.count() == 0


def test_an_ungraded_subject_takes_no_marks(w) -> None:
    """ОРКСЭ is learnt without marks in any grade."""
    orkse = SubjectFactory(school=w.school, name="ОРКСЭ", is_graded=False)
    TeachingAssignmentFactory(teacher=w.teacher, school_class=w.class_5a, subject=orkse)
    lesson = w.lesson(0, subject=orkse)

    messages = refusal(
        services.record_mark, actor=w.teacher, lesson=lesson, student=w.students[0], value=5
    )

    assert messages == [MSG_UNGRADED_SUBJECT % {"subject": "ОРКСЭ"}]
    assert Mark.objects.count() == 0


# --- Closed periods -------------------------------------------------------------------


def test_a_closed_period_refuses_new_marks_from_a_teacher_and_the_deputy(w) -> None:
    """Only the director changes a closed period: the teacher and the deputy are refused."""
    lock(w.quarter, by=w.director)
    lesson = w.lesson(-1)

    by_teacher = refusal(
        services.record_mark, actor=w.teacher, lesson=lesson, student=w.students[0], value=5
    )
    by_deputy = refusal(
        services.record_mark,
        actor=w.deputy,
        lesson=lesson,
        student=w.students[0],
        value=5,
        reason="Исправление ошибки",
    )

    assert by_teacher == by_deputy == [MSG_PERIOD_CLOSED % {"period": "II четверть"}]
    assert Mark.objects.count() == 0


def test_the_director_changes_a_closed_period_only_with_a_reason(w) -> None:
    """The director is refused without a reason; with one the mark is saved and the reason
    is kept in the history."""
    lock(w.quarter, by=w.director)
    lesson = w.lesson(-1)

    messages = refusal(
        services.record_mark, actor=w.director, lesson=lesson, student=w.students[0], value=5
    )
    mark = services.record_mark(
        actor=w.director,
        lesson=lesson,
        student=w.students[0],
        value=5,
        reason="Решение педсовета № 3",
    )

    assert messages == [MSG_PERIOD_REASON % {"period": "II четверть"}]
    change = JournalChange.objects.get(kind="mark")
    assert (change.object_id, change.actor, change.reason) == (
        mark.pk,
        w.director,
        "Решение педсовета № 3",
    )


def test_a_closed_period_refuses_corrections_and_deletions_too(w) -> None:
    """A mark given before the period was closed can no longer be changed by its teacher."""
    lesson = w.lesson(-1)
    mark = services.record_mark(actor=w.teacher, lesson=lesson, student=w.students[0], value=3)
    lock(w.quarter, by=w.director)

    corrected = refusal(
        services.correct_mark, actor=w.teacher, mark=mark, value=4, expected_version=1
    )
    deleted = refusal(services.delete_mark, actor=w.teacher, mark=mark, expected_version=1)

    assert corrected == deleted == [MSG_PERIOD_CLOSED % {"period": "II четверть"}]
    assert list(Mark.objects.values_list("value", flat=True)) == [3]


def test_a_closed_previous_quarter_does_not_close_the_current_one(w) -> None:
    """Locking I четверть leaves lessons of II четверть open."""
    lock(w.previous_quarter, by=w.director)

    services.record_mark(actor=w.teacher, lesson=w.lesson(-1), student=w.students[0], value=5)

    assert Mark.objects.count() == 1


def test_a_closed_year_closes_every_lesson_of_it(w) -> None:
    """Closing the whole year closes each of its lessons."""
    lock(w.year_period, by=w.director)

    messages = refusal(
        services.record_mark, actor=w.teacher, lesson=w.lesson(-1), student=w.students[0], value=5
    )

    assert messages == [MSG_PERIOD_CLOSED % {"period": "Год"}]


def test_a_half_year_class_is_closed_by_its_half_year_not_by_a_quarter(w) -> None:
    """10А is assessed by half-years: a closed quarter leaves it open, a closed half-year
    closes it."""
    class_10a = SchoolClassFactory(school=w.school, year=w.year, grade=10, letter="А")
    teaches(w.teacher, class_10a, w.math)
    senior = StudentFactory(school=w.school, last_name="Дьяков", enrolled_in=class_10a)
    half_year = PeriodFactory(
        year=w.year, kind=PeriodKind.HALF_YEAR, number=1, start=w.day(-60), end=w.day(30)
    )
    lock(w.quarter, by=w.director)
    open_lesson = w.lesson(-1, school_class=class_10a)
    closed_lesson = w.lesson(-2, school_class=class_10a)

    services.record_mark(actor=w.teacher, lesson=open_lesson, student=senior, value=4)
    lock(half_year, by=w.director)
    messages = refusal(
        services.record_mark, actor=w.teacher, lesson=closed_lesson, student=senior, value=4
    )

    assert messages == [MSG_PERIOD_CLOSED % {"period": "I полугодие"}]
    assert list(Mark.objects.values_list("lesson", flat=True)) == [open_lesson.pk]


def test_a_closed_period_refuses_retyping_a_lesson_with_marks(w) -> None:
    """Turning a closed period's lesson into a test would re-weigh its marks: refused."""
    lesson = w.lesson(-1)
    services.record_mark(actor=w.teacher, lesson=lesson, student=w.students[0], value=5)
    lock(w.quarter, by=w.director)
    lesson.refresh_from_db()

    messages = refusal(
        services.update_lesson,
        actor=w.teacher,
        lesson=lesson,
        expected_version=lesson.version,
        lesson_type=LessonType.TEST,
    )

    assert messages == [MSG_PERIOD_CLOSED % {"period": "II четверть"}]
    assert lesson.columns.get().work_type.code == "answer"


# --- Who writes -----------------------------------------------------------------------


def test_a_teacher_without_an_assignment_for_the_class_and_subject_is_refused(w) -> None:
    """The teacher of математика in 5Б cannot write into 5А's математика."""
    lesson = w.lesson(0)

    messages = refusal(
        services.record_mark, actor=w.other_teacher, lesson=lesson, student=w.students[0], value=5
    )

    assert messages == [MSG_NO_RIGHT % {"subject": "Математика", "cls": "5А"}]
    assert Mark.objects.count() == 0


def test_a_teacher_of_another_subject_in_the_class_is_refused(w) -> None:
    """Teaching русский язык in 5А gives no right to 5А's математика."""
    messages = refusal(
        services.record_mark,
        actor=w.russian_teacher,
        lesson=w.lesson(0),
        student=w.students[0],
        value=5,
    )

    assert messages == [MSG_NO_RIGHT % {"subject": "Математика", "cls": "5А"}]


def test_the_substitute_of_a_lesson_gives_marks_in_it(w) -> None:
    """A teacher substituting a lesson may give marks in that lesson (not in others)."""
    lesson = w.lesson(0)
    other_lesson = w.lesson(0, number=2)
    services.substitute_lesson(
        actor=w.deputy, lesson=lesson, substitute=w.other_teacher, reason="Больничный"
    )

    mark = services.record_mark(
        actor=fresh(w.other_teacher), lesson=lesson, student=w.students[0], value=4
    )
    messages = refusal(
        services.record_mark,
        actor=fresh(w.other_teacher),
        lesson=other_lesson,
        student=w.students[0],
        value=4,
    )

    assert Mark.objects.get().created_by == w.other_teacher
    assert mark.lesson == lesson
    assert messages == [MSG_NO_RIGHT % {"subject": "Математика", "cls": "5А"}]


# --- Marks and attendance -------------------------------------------------------------


@pytest.mark.parametrize("code", ["н", "б", "у"])
def test_an_absent_student_gets_no_mark(w, code) -> None:
    """A student marked absent (н, б, у) cannot get a mark at that lesson."""
    lesson, student = w.lesson(0), w.students[0]
    services.set_attendance(
        actor=w.teacher, lesson=lesson, student=student, code=code, expected_version=0
    )

    messages = refusal(
        services.record_mark, actor=w.teacher, lesson=lesson, student=student, value=5
    )

    assert messages == [MSG_MARK_WHEN_ABSENT % {"student": student.short_name, "code": code}]
    assert Mark.objects.count() == 0


def test_a_late_student_can_get_a_mark(w) -> None:
    """«о» (late) is not an absence: the mark is saved beside it."""
    lesson, student = w.lesson(0), w.students[0]
    services.set_attendance(
        actor=w.teacher, lesson=lesson, student=student, code="о", expected_version=0
    )

    services.record_mark(actor=w.teacher, lesson=lesson, student=student, value=5)

    assert services.cell_state(lesson, 1, student) == CellState(5, 1, "о", 1)


@pytest.mark.parametrize("code", ["н", "б", "у"])
def test_a_student_with_a_mark_cannot_be_marked_absent(w, code) -> None:
    """A student who has a mark at a lesson cannot be marked absent at it."""
    lesson, student = w.lesson(0), w.students[0]
    services.record_mark(actor=w.teacher, lesson=lesson, student=student, value=5)

    messages = refusal(
        services.set_attendance,
        actor=w.teacher,
        lesson=lesson,
        student=student,
        code=code,
        expected_version=0,
    )

    assert messages == [MSG_ABSENT_WITH_MARK % {"student": student.short_name}]
    assert not lesson.attendance.exists()


# --- Corrections and deletions --------------------------------------------------------


def test_correcting_a_mark_changes_its_value_and_version(w) -> None:
    """A correction keeps the row, raises its version and records who changed it."""
    mark = services.record_mark(actor=w.teacher, lesson=w.lesson(0), student=w.students[0], value=3)

    services.correct_mark(
        actor=fresh(w.deputy), mark=mark, value=4, expected_version=1, comment="Пересдал"
    )

    saved = Mark.objects.get(pk=mark.pk)
    assert (saved.value, saved.version, saved.comment) == (4, 2, "Пересдал")
    assert (saved.created_by, saved.updated_by) == (w.teacher, w.deputy)


def test_correcting_a_mark_to_the_same_value_writes_nothing(w) -> None:
    """Saving the same value again neither raises the version nor adds history."""
    mark = services.record_mark(actor=w.teacher, lesson=w.lesson(0), student=w.students[0], value=3)

    services.correct_mark(actor=w.teacher, mark=mark, value=3, expected_version=1)

    assert Mark.objects.get(pk=mark.pk).version == 1
    assert JournalChange.objects.count() == 1


def test_a_correction_is_validated_like_a_new_mark(w) -> None:
    """A 6 is refused on correction too and the old value stays."""
    mark = services.record_mark(actor=w.teacher, lesson=w.lesson(0), student=w.students[0], value=3)

    messages = refusal(
        services.correct_mark, actor=w.teacher, mark=mark, value=6, expected_version=1
    )

    assert messages == [MSG_BAD_VALUE % {"low": 2}]
    assert Mark.objects.get(pk=mark.pk).value == 3


def test_deleting_a_mark_removes_it(w) -> None:
    """A deleted mark is gone from the lesson."""
    mark = services.record_mark(actor=w.teacher, lesson=w.lesson(0), student=w.students[0], value=3)

    services.delete_mark(actor=w.teacher, mark=mark, expected_version=1)

    assert not Mark.objects.filter(pk=mark.pk).exists()


# --- Columns and weights --------------------------------------------------------------


def test_a_dictation_has_two_marks_in_two_columns(w) -> None:
    """A dictation's «5/4»: the first column is the dictation (weight 2), the second one is
    added for the grammar task; both marks show in the grid."""
    lesson = w.lesson(0, lesson_type=LessonType.DICTATION)
    student = w.students[0]
    services.record_mark(actor=w.teacher, lesson=lesson, student=student, value=5)
    dictation = services.work_type_for(w.school.pk, "dictation")
    column = services.add_mark_column(
        actor=w.teacher, lesson=lesson, work_type=dictation, title="Грамматическое задание"
    )

    services.record_mark(actor=w.teacher, lesson=lesson, student=student, value=4, position=2)

    columns = list(lesson.columns.order_by("position"))
    assert [(c.position, c.work_type.name, c.effective_weight) for c in columns] == [
        (1, "Диктант", 2),
        (2, "Диктант", 2),
    ]
    assert column.title == "Грамматическое задание"
    grid = journal_grid(school_class=w.class_5a, subject=w.math, period=w.quarter)
    row = next(r for r in grid.rows if r.student == student)
    assert "/".join(cell.text for cell in row.cells) == "5/4"
    assert row.average == Decimal("4.50")


def test_a_column_weight_set_by_hand_overrides_the_work_type(w) -> None:
    """A homework column (weight 1) given weight 3 counts three times in the average."""
    lesson = w.lesson(0)
    student = w.students[0]
    homework = services.work_type_for(w.school.pk, "homework")
    column = services.add_mark_column(actor=w.teacher, lesson=lesson, work_type=homework, weight=3)
    services.record_mark(actor=w.teacher, lesson=lesson, student=student, value=2)
    services.record_mark(actor=w.teacher, lesson=lesson, student=student, value=5, position=2)

    grid = journal_grid(school_class=w.class_5a, subject=w.math, period=w.quarter)

    assert (homework.weight, column.position, column.effective_weight) == (1, 2, 3)
    row = next(r for r in grid.rows if r.student == student)
    assert row.average == Decimal("4.25")  # (2×1 + 5×3) / 4


def test_a_mark_in_a_column_the_lesson_lacks_is_refused(w) -> None:
    """Column 2 must be added before marks go into it."""
    lesson = w.lesson(0)

    messages = refusal(
        services.record_mark,
        actor=w.teacher,
        lesson=lesson,
        student=w.students[0],
        value=5,
        position=2,
    )

    assert messages == [MSG_NO_COLUMN % {"position": 2}]
    assert Mark.objects.count() == 0


def test_a_test_lessons_marks_weigh_as_a_test(w) -> None:
    """The first column of a test lesson is «Контрольная работа», weight 3."""
    lesson = w.lesson(0, lesson_type=LessonType.TEST)

    mark = services.record_mark(actor=w.teacher, lesson=lesson, student=w.students[0], value=5)

    column = MarkColumn.objects.select_related("work_type").get(pk=mark.column_id)
    assert (column.work_type.name, column.effective_weight) == ("Контрольная работа", 3)


def test_changing_the_lesson_type_reweighs_its_marks(w) -> None:
    """Turning a lesson into a test makes its existing marks weigh 3; a column whose weight
    was set by hand keeps it."""
    lesson = w.lesson(0)
    student = w.students[0]
    services.record_mark(actor=w.teacher, lesson=lesson, student=student, value=5)
    homework = services.work_type_for(w.school.pk, "homework")
    services.add_mark_column(actor=w.teacher, lesson=lesson, work_type=homework, weight=2)
    services.record_mark(actor=w.teacher, lesson=lesson, student=student, value=3, position=2)
    lesson.refresh_from_db()

    services.update_lesson(
        actor=w.teacher,
        lesson=lesson,
        expected_version=lesson.version,
        lesson_type=LessonType.TEST,
    )

    columns = list(lesson.columns.select_related("work_type").order_by("position"))
    assert [(c.work_type.name, c.effective_weight) for c in columns] == [
        ("Контрольная работа", 3),
        ("Домашняя работа", 2),
    ]
    grid = journal_grid(school_class=w.class_5a, subject=w.math, period=w.quarter)
    row = next(r for r in grid.rows if r.student == student)
    assert row.average == Decimal("4.20")  # (5×3 + 3×2) / 5


def test_a_first_column_weighted_by_hand_keeps_its_work_type_when_the_type_changes(w) -> None:
    """A first column whose weight the teacher set keeps its work type and weight."""
    lesson = w.lesson(0)
    services.record_mark(actor=w.teacher, lesson=lesson, student=w.students[0], value=5)
    # No service sets the first column's weight yet: set it as the admin would.
    MarkColumn.objects.filter(lesson=lesson, position=1).update(weight=2)
    lesson.refresh_from_db()

    services.update_lesson(
        actor=w.teacher, lesson=lesson, expected_version=lesson.version, lesson_type=LessonType.TEST
    )

    column = lesson.columns.select_related("work_type").get(position=1)
    assert (column.work_type.name, column.effective_weight) == ("Ответ на уроке", 2)


# --- Weighted average -----------------------------------------------------------------


def test_the_weighted_average_of_domain_md() -> None:
    """A 5 for a test of weight 2 and a 3 for an answer of weight 1 give 4,33."""
    assert weighted_average([(5, 2), (3, 1)]) == Decimal("4.33")


def test_the_weighted_average_rounds_half_up() -> None:
    """4,125 is shown as 4,13 and 3,625 as 3,63 (not banker's rounding to even)."""
    assert weighted_average([(5, 1), (4, 7)]) == Decimal("4.13")
    assert weighted_average([(4, 5), (3, 3)]) == Decimal("3.63")


def test_the_weighted_average_has_two_decimals() -> None:
    """Even a whole number is shown as 4,00."""
    assert str(weighted_average([(4, 3)])) == "4.00"


def test_no_marks_no_average() -> None:
    """Without marks there is no average (not a zero)."""
    assert weighted_average([]) is None


# --- Typing into a cell ---------------------------------------------------------------


def type_into(w, lesson, student, text, mark_version=0, attendance_version=0, user=None):
    return services.set_cell(
        actor=user or w.teacher,
        lesson=lesson,
        position=1,
        student=student,
        text=text,
        mark_version=mark_version,
        attendance_version=attendance_version,
    )


def test_typing_a_digit_into_an_empty_cell_records_a_mark(w) -> None:
    """«5» in an empty cell records a 5."""
    lesson, student = w.lesson(0), w.students[0]

    state = type_into(w, lesson, student, " 5 ")

    assert state == CellState(
        mark_value=5, mark_version=1, attendance_code=None, attendance_version=0
    )
    assert state.text == "5"
    assert Mark.objects.get().value == 5


def test_typing_over_a_mark_with_its_version_corrects_it(w) -> None:
    """«4» over a 5 whose version the page showed corrects the mark."""
    lesson, student = w.lesson(0), w.students[0]
    type_into(w, lesson, student, "5")

    state = type_into(w, lesson, student, "4", mark_version=1)

    assert state == CellState(4, 2, None, 0)
    assert list(Mark.objects.values_list("value", "version")) == [(4, 2)]


def test_emptying_a_cell_deletes_its_mark(w) -> None:
    """An empty text deletes the cell's mark."""
    lesson, student = w.lesson(0), w.students[0]
    type_into(w, lesson, student, "5")

    state = type_into(w, lesson, student, "", mark_version=1)

    assert state == CellState(None, 0, None, 0)
    assert state.text == ""
    assert Mark.objects.count() == 0


def test_typing_an_attendance_letter_sets_attendance(w) -> None:
    """«Н» (any case) marks the student absent."""
    lesson, student = w.lesson(0), w.students[0]

    state = type_into(w, lesson, student, "Н")

    assert state == CellState(None, 0, "н", 1)
    assert state.text == "н"
    assert list(lesson.attendance.values_list("student", "code")) == [(student.pk, "н")]


def test_emptying_an_attendance_only_cell_clears_the_attendance(w) -> None:
    """An empty text on a cell with only «б» removes the attendance entry."""
    lesson, student = w.lesson(0), w.students[0]
    type_into(w, lesson, student, "б")

    state = type_into(w, lesson, student, "", attendance_version=1)

    assert state == CellState(None, 0, None, 0)
    assert not lesson.attendance.exists()


def test_emptying_a_cell_with_a_mark_and_a_late_keeps_the_late(w) -> None:
    """The empty text removes the mark first; the «о» beside it stays."""
    lesson, student = w.lesson(0), w.students[0]
    type_into(w, lesson, student, "о")
    type_into(w, lesson, student, "5", attendance_version=1)

    state = type_into(w, lesson, student, "", mark_version=1, attendance_version=1)

    assert state == CellState(None, 0, "о", 1)


def test_emptying_an_empty_cell_does_nothing(w) -> None:
    """Nothing to clear: nothing is written."""
    lesson, student = w.lesson(0), w.students[0]

    state = type_into(w, lesson, student, "")

    assert state == CellState(None, 0, None, 0)
    assert JournalChange.objects.count() == 0


def test_typing_a_letter_that_is_not_a_code_is_refused(w) -> None:
    """«x» is neither a mark nor an attendance code."""
    lesson, student = w.lesson(0), w.students[0]

    messages = refusal(
        services.set_cell,
        actor=w.teacher,
        lesson=lesson,
        position=1,
        student=student,
        text="x",
        mark_version=0,
        attendance_version=0,
    )

    assert messages == [MSG_BAD_CELL % {"low": 2}]
    assert Mark.objects.count() == 0
    assert not lesson.attendance.exists()


@pytest.mark.parametrize(
    "text",
    ["55", "²"],
)
def test_typing_garbage_digits_is_refused_as_a_bad_cell(w, text) -> None:
    """«55» or a superscript «²» is not a mark: the cell asks for 2–5 or a letter."""
    lesson, student = w.lesson(0), w.students[0]

    messages = refusal(
        services.set_cell,
        actor=w.teacher,
        lesson=lesson,
        position=1,
        student=student,
        text=text,
        mark_version=0,
        attendance_version=0,
    )

    assert messages == [MSG_BAD_CELL % {"low": 2}]
    assert Mark.objects.count() == 0


def test_a_cell_refuses_a_mark_beside_an_absence(w) -> None:
    """Typing «5» where the student is «н» gets the absence rule's message."""
    lesson, student = w.lesson(0), w.students[0]
    type_into(w, lesson, student, "н")

    messages = refusal(
        services.set_cell,
        actor=w.teacher,
        lesson=lesson,
        position=1,
        student=student,
        text="5",
        mark_version=0,
        attendance_version=1,
    )

    assert messages == [MSG_MARK_WHEN_ABSENT % {"student": student.short_name, "code": "н"}]
    assert services.cell_state(lesson, 1, student) == CellState(None, 0, "н", 1)


# --- Query budget ---------------------------------------------------------------------


def _marked_lesson(w, students: int):
    """Today's lesson of 5А with ``students`` extra students who all have a mark, and one
    student whose cell is empty."""
    lesson = w.lesson(0)
    for index in range(students):
        student = StudentFactory(
            school=w.school, last_name=f"Ученик{index:02d}", enrolled_in=w.class_5a
        )
        services.record_mark(actor=w.teacher, lesson=lesson, student=student, value=4)
    return lesson


def _queries_to_save_a_cell(w, lesson, student) -> int:
    teacher = fresh(w.teacher)  # a new request: roles are looked up again
    with CaptureQueriesContext(connection) as queries:
        type_into(w, lesson, student, "5", user=teacher)
    return len(queries)


# Measured: 26 statements for a new mark in an existing column with a cold role cache:
# 5 SAVEPOINT/RELEASE of the nested atomic blocks, 5 for roles and rights, 3 of the diary's
# projection receiver of ``entry_changed``. A correction takes 23. Two to spare.
SAVE_CELL_BUDGET = 28


def test_saving_a_cell_takes_a_fixed_number_of_queries(w, django_assert_max_num_queries) -> None:
    """Recording a mark through a cell stays within its query budget, the same for a
    lesson where one classmate has a mark as where thirty have."""
    small = _marked_lesson(w, 1)
    small_count = _queries_to_save_a_cell(w, small, w.students[0])
    big = w.lesson(-1)
    for index in range(30):
        student = StudentFactory(
            school=w.school, last_name=f"Ещё{index:02d}", enrolled_in=w.class_5a
        )
        services.record_mark(actor=w.teacher, lesson=big, student=student, value=3)

    big_count = _queries_to_save_a_cell(w, big, w.students[0])
    teacher = fresh(w.teacher)
    with django_assert_max_num_queries(SAVE_CELL_BUDGET):
        type_into(w, big, w.students[1], "4", user=teacher)

    assert small_count == big_count <= SAVE_CELL_BUDGET
    assert Mark.objects.filter(lesson=big).count() == 32


def test_correcting_a_cell_takes_a_fixed_number_of_queries(
    w, django_assert_max_num_queries
) -> None:
    """Correcting a mark through a cell also stays within the budget."""
    lesson = _marked_lesson(w, 3)
    type_into(w, lesson, w.students[0], "5")

    teacher = fresh(w.teacher)
    with django_assert_max_num_queries(SAVE_CELL_BUDGET):
        state = type_into(w, lesson, w.students[0], "3", mark_version=1, user=teacher)

    assert state == CellState(3, 2, None, 0)


def test_checks_read_the_settings_without_writing_them(w) -> None:
    """Marks read the school's journal settings; a school that saved none gets the
    defaults, and the check writes no settings row (reads never write)."""
    assert not JournalSettings.objects.filter(school=w.school).exists()
    old = w.lesson(-8)

    services.record_mark(actor=w.teacher, lesson=w.lesson(0), student=w.students[0], value=5)
    with pytest.raises(ValidationError) as error:  # the default window of 7 days holds
        services.record_mark(actor=w.teacher, lesson=old, student=w.students[0], value=5)

    assert error.value.code == "edit_window"
    assert not JournalSettings.objects.filter(school=w.school).exists()

"""The class journal page for one subject and period (``journal.selectors.journal_grid``):
its rows, columns, cells and averages, and its fixed number of queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from journal import services
from journal.models import Lesson, LessonType, Mark, MarkColumn
from journal.selectors import journal_grid
from school.db import analyze
from school.models import SchoolClass, Subject
from school.services import transfer_student
from tests.factories import GroupMembershipFactory, StudentFactory, StudyGroupFactory
from tests.journal_factories import build_journal_world
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


def grid_of(w, period=None, **extra):
    return journal_grid(
        school_class=extra.pop("school_class", w.class_5a),
        subject=extra.pop("subject", w.math),
        period=period or w.quarter,
        **extra,
    )


def texts(grid) -> dict[str, list[str]]:
    return {row.student.last_name: [cell.text for cell in row.cells] for row in grid.rows}


@pytest.fixture
def quarter_journal(w):
    """Five math lessons of 5А this quarter, one cancelled and one moved, with marks and
    attendance given through the services:

    ========  =====  ===========  ======  =========  ================
    lesson    L1     L2 (test)    L3      L4 → new   L5 (2 columns)
    ========  =====  ===========  ======  =========  ================
    Алексеев  5      3            cancel  moved      4 / 5
    Борисова         н
    Васильев  о, 4
    ========  =====  ===========  ======  =========  ================
    """
    alekseev, borisova, vasiliev = w.students
    l1 = w.lesson(-6)
    l2 = w.lesson(-5, lesson_type=LessonType.TEST)
    l3 = w.lesson(-4)
    l4 = w.lesson(-3)
    l5 = w.lesson(-1)
    w.lesson(-2, subject=w.russian, teacher=w.russian_teacher)
    services.cancel_lesson(actor=w.teacher, lesson=l3, reason="Карантин")
    new = services.move_lesson(
        actor=w.teacher, lesson=l4, new_date=w.school_day(-2), new_number=5, reason="Экскурсия"
    )
    homework = services.work_type_for(w.school.pk, "homework")
    services.add_mark_column(actor=w.teacher, lesson=l5, work_type=homework)

    def give(lesson, student, value, position=1):
        services.record_mark(
            actor=w.teacher, lesson=lesson, student=student, value=value, position=position
        )

    def note(lesson, student, code):
        services.set_attendance(
            actor=w.teacher, lesson=lesson, student=student, code=code, expected_version=0
        )

    give(l1, alekseev, 5)
    give(l2, alekseev, 3)
    give(l5, alekseev, 4)
    give(l5, alekseev, 5, position=2)
    note(l2, borisova, "н")
    note(l1, vasiliev, "о")
    give(l1, vasiliev, 4)
    return {"l1": l1, "l2": l2, "new": new, "l5": l5}


def test_rows_are_the_classs_students_by_surname(w, quarter_journal) -> None:
    """Students are listed by surname and numbered from 1."""
    grid = grid_of(w)

    assert [(row.number, row.student.last_name) for row in grid.rows] == [
        (1, "Алексеев"),
        (2, "Борисова"),
        (3, "Васильев"),
    ]
    assert grid.graded is True
    assert grid.period == w.quarter


def test_columns_are_active_lessons_times_their_mark_columns(w, quarter_journal) -> None:
    """Cancelled and moved lessons are left out, the moved lesson's new date is in, a
    lesson with two columns has two, and another subject's lesson is absent."""
    lessons = quarter_journal

    grid = grid_of(w)

    assert [
        (c.lesson.pk, c.position, c.first_of_lesson, c.lesson_columns) for c in grid.columns
    ] == [
        (lessons["l1"].pk, 1, True, 1),
        (lessons["l2"].pk, 1, True, 1),
        (lessons["new"].pk, 1, True, 1),
        (lessons["l5"].pk, 1, True, 2),
        (lessons["l5"].pk, 2, False, 2),
    ]
    assert grid.columns[2].column is None  # no mark yet: the first cell will make it
    assert grid.columns[1].column.work_type.name == "Контрольная работа"


def test_cells_show_marks_and_attendance(w, quarter_journal) -> None:
    """A cell shows its mark; an absence shows in the lesson's first column only; a mark
    beside «о» shows the mark."""
    grid = grid_of(w)

    assert texts(grid) == {
        "Алексеев": ["5", "3", "", "4", "5"],
        "Борисова": ["", "н", "", "", ""],
        "Васильев": ["4", "", "", "", ""],
    }


def test_rows_carry_the_weighted_average_marks_and_absences(w, quarter_journal) -> None:
    """Алексеев: (5×1 + 3×3 + 4×1 + 5×1) / 6 = 3,83 over four marks; Борисова: no marks,
    no average, one absence; Васильев: 4,00 and a late that is not an absence."""
    grid = grid_of(w)

    assert [(r.student.last_name, r.average, r.marks_count, r.absences) for r in grid.rows] == [
        ("Алексеев", Decimal("3.83"), 4, 0),
        ("Борисова", None, 0, 1),
        ("Васильев", Decimal("4.00"), 1, 0),
    ]


def test_students_who_came_or_left_during_the_period_are_greyed_out(w, quarter_journal) -> None:
    """A student who left 5А before L2 is in the list with only L1 open; one who came from
    5Б on the day of L5 has only L5 open."""
    leaver = StudentFactory(school=w.school, last_name="Абрамов", enrolled_in=w.class_5a)
    newcomer = StudentFactory(school=w.school, last_name="Гаврилов", enrolled_in=w.class_5b)
    transfer_student(student=leaver, to_class=w.class_5b, on_date=w.day(-5), actor=w.director)
    transfer_student(student=newcomer, to_class=w.class_5a, on_date=w.day(-1), actor=w.director)

    grid = grid_of(w)

    enrolled = {row.student.last_name: [cell.enrolled for cell in row.cells] for row in grid.rows}
    assert list(enrolled) == ["Абрамов", "Алексеев", "Борисова", "Васильев", "Гаврилов"]
    assert enrolled["Абрамов"] == [True, False, False, False, False]
    assert enrolled["Гаврилов"] == [False, False, False, True, True]
    assert enrolled["Алексеев"] == [True] * 5


def test_a_groups_journal_has_its_members_and_its_lessons(w, quarter_journal) -> None:
    """A subgroup's journal lists its members and its lessons only; the class's journal
    leaves the subgroup's lessons out."""
    group = StudyGroupFactory(school_class=w.class_5a, subject=w.math, name="Подгруппа 1")
    for student in w.students[:2]:
        GroupMembershipFactory(group=group, student=student)
    group_lesson = w.lesson(-2, number=3, group=group)
    services.record_mark(actor=w.teacher, lesson=group_lesson, student=w.students[1], value=5)

    group_grid = grid_of(w, group=group)
    class_grid = grid_of(w)

    assert [r.student.last_name for r in group_grid.rows] == ["Алексеев", "Борисова"]
    assert [c.lesson for c in group_grid.columns] == [group_lesson]
    assert texts(group_grid) == {"Алексеев": [""], "Борисова": ["5"]}
    assert group_lesson not in [c.lesson for c in class_grid.columns]


def test_ungraded_journals_say_so(w) -> None:
    """First grade's journal is not graded; neither is an ungraded subject's."""
    orkse = Subject.objects.create(school=w.school, name="ОРКСЭ", is_graded=False)

    assert grid_of(w, school_class=w.class_1a).graded is False
    assert grid_of(w, subject=orkse).graded is False


def test_another_period_shows_its_own_lessons(w, quarter_journal) -> None:
    """I четверть has none of II четверть's lessons."""
    grid = grid_of(w, period=w.previous_quarter)

    assert grid.columns == []
    assert [row.cells for row in grid.rows] == [[], [], []]


# --- Query budget ---------------------------------------------------------------------

STUDENTS = 35
LESSONS = 70
GRID_BUDGET = 15


def fill_period(w, start: dt.date, students) -> None:
    """70 math lessons of 5А from ``start`` (two a day), every third with a second column,
    and a mark for every student in every column.

    Made in bulk: the behaviour under test is the read, and some 5,000 marks through
    ``record_mark`` would take minutes."""
    lessons = Lesson.objects.bulk_create(
        Lesson(
            school=w.school,
            school_class=w.class_5a,
            subject=w.math,
            teacher=w.teacher,
            date=start + dt.timedelta(days=index // 2),
            number=index % 2 + 1,
        )
        for index in range(LESSONS)
    )
    answer = services.work_type_for(w.school.pk, "answer")
    homework = services.work_type_for(w.school.pk, "homework")
    columns = MarkColumn.objects.bulk_create(
        [MarkColumn(lesson=lesson, position=1, work_type=answer) for lesson in lessons]
        + [
            MarkColumn(lesson=lesson, position=2, work_type=homework, weight=2)
            for lesson in lessons[::3]
        ]
    )
    Mark.objects.bulk_create(
        Mark(
            school=w.school,
            lesson=column.lesson,
            column=column,
            student=student,
            value=2 + (column.pk + student.pk) % 4,
            created_by=w.teacher,
            updated_by=w.teacher,
        )
        for column in columns
        for student in students
    )
    analyze(Lesson, MarkColumn, Mark)


def queries_for_grid(w, period) -> tuple[int, object]:
    """The grid as a page asks for it: the class and subject freshly loaded."""
    school_class = SchoolClass.objects.select_related("school", "year").get(pk=w.class_5a.pk)
    subject = Subject.objects.get(pk=w.math.pk)
    with CaptureQueriesContext(connection) as queries:
        grid = journal_grid(school_class=school_class, subject=subject, period=period)
    return len(queries), grid


def test_the_grid_takes_a_fixed_number_of_queries(w, django_assert_max_num_queries) -> None:
    """35 students × 70 lessons full of marks take at most 15 queries, and the same number
    once another quarter is just as full (twice the marks history)."""
    students = list(w.students) + [
        StudentFactory(school=w.school, last_name=f"Ученик{n:02d}", enrolled_in=w.class_5a)
        for n in range(STUDENTS - len(w.students))
    ]
    fill_period(w, w.previous_quarter.start, students)
    school_class = SchoolClass.objects.select_related("school", "year").get(pk=w.class_5a.pk)

    with django_assert_max_num_queries(GRID_BUDGET):
        grid = journal_grid(school_class=school_class, subject=w.math, period=w.previous_quarter)
    first_count, _ = queries_for_grid(w, w.previous_quarter)
    fill_period(w, w.quarter.start, students)
    second_count, grid_again = queries_for_grid(w, w.previous_quarter)

    assert Mark.objects.count() == 2 * STUDENTS * (LESSONS + LESSONS // 3 + 1)
    assert (len(grid.rows), len(grid.columns)) == (STUDENTS, LESSONS + LESSONS // 3 + 1)
    assert all(cell.mark is not None for row in grid.rows for cell in row.cells)
    assert first_count == second_count <= GRID_BUDGET
    assert [r.average for r in grid_again.rows] == [r.average for r in grid.rows]


def test_the_grid_does_not_grow_with_the_class(w) -> None:
    """A class of 3 with a few marks and a class of 35 full of them cost the same number of
    queries."""
    fill_period(w, w.previous_quarter.start, w.students)
    small_count, _ = queries_for_grid(w, w.previous_quarter)
    students = [
        StudentFactory(school=w.school, last_name=f"Ученик{n:02d}", enrolled_in=w.class_5a)
        for n in range(STUDENTS - len(w.students))
    ]
    fill_period(w, w.previous_quarter.start + dt.timedelta(days=40), students)

    big_count, grid = queries_for_grid(w, w.previous_quarter)

    assert len(grid.rows) == STUDENTS
    assert big_count == small_count

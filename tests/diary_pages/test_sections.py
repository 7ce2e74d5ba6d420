"""The cabinet's other sections: marks with averages, finals, the test schedule, the
teachers, holidays, the record across years."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from diary.selectors import holidays_for
from journal import services as journal
from journal.models import Lesson, LessonStatus, LessonType
from school.models import (
    GroupKind,
    GroupMembership,
    Holiday,
    Period,
    PeriodKind,
    SchoolClass,
    StudyGroup,
    TeachingAssignment,
)
from school.services import transfer_student
from tests.diary_pages.conftest import url

pytestmark = pytest.mark.django_db


def _writer(dw, teacher):
    """The lesson's teacher, or the director for lessons beyond the edit window."""
    recent = dw.day0 >= dw.school.local_today() - dt.timedelta(days=6)
    return teacher if recent else dw.users["director"]


def _more_marks(dw) -> None:
    """Math: 5 for the test (weight 3) and 3 for an answer (weight 1) → (15 + 3) / 4 = 4,50.
    English: 4 for an answer."""
    math = _writer(dw, dw.math_teacher)
    answer = journal.work_type_for(dw.school.pk, "answer")
    journal.add_mark_column(actor=math, lesson=dw.test_lesson, work_type=answer)
    journal.record_mark(actor=math, lesson=dw.test_lesson, student=dw.child_a, value=3, position=2)
    english = Lesson.objects.get(group=dw.group_1, date=dw.day0)
    journal.record_mark(
        actor=_writer(dw, dw.english_teacher), lesson=english, student=dw.child_a, value=4
    )


def test_marks_per_subject_with_the_weighted_average(dw, as_role) -> None:
    _more_marks(dw)
    response = as_role("parent").get(url("marks", dw.child_a.pk))
    assert response.status_code == 200
    subjects = {row.subject: row for row in response.context["subjects"]}
    math = subjects["Математика"]
    assert sorted((m.mark.value, m.mark.weight) for m in math.marks) == [(3, 1), (5, 3)]
    assert math.average == Decimal("4.50")
    assert subjects["Английский язык"].average == Decimal("4.00")
    assert subjects["Русский язык"].marks == [] and subjects["Русский язык"].missed == 1
    text = response.text
    assert "4,50" in text and "4,00" in text, "two decimals with a comma"
    assert f"{dw.day0:%d.%m}" in text
    # The weight in words under a weighted mark, the legend spells out the abbreviation.
    assert '<span class="mchip__weight">вес 3</span>' in text
    assert "К/р</abbr> — контрольная работа, вес 3" in text
    assert "Отв</abbr> — ответ на уроке, вес 1" in text
    # Period marks are not there yet: said once for the page, not on every subject.
    assert text.count("отметок за период и за год в дневнике пока нет") == 1


def test_the_period_selector_shows_the_periods_marks(dw, as_role) -> None:
    if dw.week0 <= dw.year.start:
        pytest.skip("week0 is the first week of the year")
    first = Period.objects.create(
        year=dw.year,
        kind=PeriodKind.QUARTER,
        number=1,
        start=dw.year.start,
        end=dw.week0 - dt.timedelta(days=1),
    )
    second = Period.objects.create(
        year=dw.year, kind=PeriodKind.QUARTER, number=2, start=dw.week0, end=dw.year.end
    )
    client = as_role("parent")
    default = client.get(url("marks", dw.child_a.pk))
    if dw.year.contains(dw.school.local_today()):
        assert default.context["period"] == second
    response = client.get(url("marks", dw.child_a.pk, period=first.pk))
    assert response.context["period"] == first
    assert response.context["subjects"] == []
    assert "Отметок за этот период пока нет" in response.text
    response = client.get(url("marks", dw.child_a.pk, period=second.pk))
    assert [row.subject for row in response.context["subjects"]] == [
        "Математика",
        "Русский язык",
    ]
    whole = client.get(url("marks", dw.child_a.pk, period="year"))
    assert whole.context["period"] is None and len(whole.context["subjects"]) == 2
    assert "I четверть" in whole.text and "II четверть" in whole.text


def test_new_marks_are_counted_until_the_marks_page_is_opened(dw, as_role) -> None:
    client = as_role("parent")
    nav = {
        item.url_name: item.count
        for item in client.get(url("week", dw.child_a.pk)).context["cabinet"].nav
    }
    assert nav["diary:marks"] == 1
    assert nav["diary:messages"] == 1
    client.get(url("marks", dw.child_a.pk))
    nav = {
        item.url_name: item.count
        for item in client.get(url("week", dw.child_a.pk)).context["cabinet"].nav
    }
    assert nav["diary:marks"] == 0
    _more_marks(dw)
    nav = {
        item.url_name: item.count
        for item in client.get(url("week", dw.child_a.pk)).context["cabinet"].nav
    }
    assert nav["diary:marks"] == 2
    # The student's own visits are their own.
    student_nav = as_role("student").get(url("week", dw.child_a.pk)).context["cabinet"].nav
    assert {i.url_name: i.count for i in student_nav}["diary:marks"] == 3


def test_finals_say_who_puts_them_and_when(dw, as_role) -> None:
    response = as_role("parent").get(url("finals", dw.child_a.pk))
    assert "Итоговые отметки появятся после окончания четверти: их выставляет учитель." in (
        response.text
    )


def test_the_test_schedule_has_the_class_and_the_childs_groups_only(dw, as_role) -> None:
    later = Lesson.objects.filter(date__gt=dw.day0, status=LessonStatus.PLANNED)
    mine = later.filter(group=dw.group_1).order_by("date").first()
    other = later.filter(group=dw.group_2).exclude(date=mine.date).order_by("date").first()
    if mine is None or other is None:
        pytest.skip("no group lessons after day0")
    writer = dw.users["director"]
    for lesson, kind in ((mine, LessonType.DICTATION), (other, LessonType.CHECK)):
        journal.update_lesson(
            actor=writer, lesson=lesson, expected_version=lesson.version, lesson_type=kind
        )
    response = as_role("parent").get(url("tests", dw.child_a.pk, period="year"))
    tests = response.context["tests"]
    assert [t.pk for t in tests] == [dw.test_lesson.pk, mine.pk]
    assert "диктант" in response.text and "проверочная работа" not in response.text


def test_the_teachers_of_the_class_groups_and_individual_plan(dw, as_role) -> None:
    plan = StudyGroup.objects.create(
        school_class=dw.class_5a, subject=dw.english, name="ИУП Соколова", kind=GroupKind.INDIVIDUAL
    )
    GroupMembership.objects.create(group=plan, student=dw.child_a, start=dw.year.start)
    TeachingAssignment.objects.create(
        teacher=dw.substitute,
        subject=dw.english,
        school_class=dw.class_5a,
        group=plan,
        start=dw.year.start,
    )
    response = as_role("parent").get(url("teachers", dw.child_a.pk))
    teachers = response.context["teachers"]
    assert teachers.class_teacher == dw.users["classteacher"]
    assert [(a.subject.name, a.teacher.last_name) for a in teachers.subjects] == [
        ("Математика", "Иванова"),
        ("Русский язык", "Белова"),
    ]
    assert [a.group.name for a in teachers.groups] == ["1 группа"]
    assert [a.teacher.last_name for a in teachers.individual] == ["Петров"]
    assert "Белова Ольга Сергеевна" in response.text
    assert "2 группа" not in response.text


def test_holidays_of_the_year_and_the_first_graders_week(dw, as_role) -> None:
    year = dw.year
    autumn = Holiday.objects.create(
        year=year,
        name="Осенние каникулы",
        start=year.start + dt.timedelta(days=50),
        end=year.start + dt.timedelta(days=59),
    )
    extra = Holiday.objects.create(
        year=year,
        name="Дополнительные каникулы для первоклассников",
        start=year.start + dt.timedelta(days=160),
        end=year.start + dt.timedelta(days=166),
        only_grade=1,
    )
    response = as_role("parent").get(url("holidays", dw.child_a.pk))
    assert response.context["holidays"] == [autumn]
    assert "Осенние каникулы" in response.text
    assert "первоклассников" not in response.text
    first = SchoolClass.objects.create(
        school=dw.school, year=year, grade=1, letter="А", is_graded=False
    )
    assert holidays_for(first) == [autumn, extra]


def test_the_record_keeps_every_class_across_years(dw, as_role) -> None:
    client = as_role("parent")
    response = client.get(url("record", dw.child_a.pk))
    assert "5А класс" in response.text
    assert "Итоговые отметки за год появятся здесь" in response.text
    on = dw.week0 + dt.timedelta(days=7)
    if on > dw.year.end:
        pytest.skip("no room for a transfer in this year")
    transfer_student(
        student=dw.child_a, to_class=dw.class_6b, on_date=on, actor=dw.users["secretary"]
    )
    response = client.get(url("record", dw.child_a.pk))
    [record] = response.context["years"]
    assert [e.school_class.name for e in record.enrolments] == ["6Б", "5А"]
    # Marks given in 5А stay in the diary after the move.
    marks = client.get(url("marks", dw.child_a.pk, period="year"))
    assert "Математика" in [row.subject for row in marks.context["subjects"]]

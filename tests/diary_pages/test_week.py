"""The week page: each school day with its lessons, and on each lesson what the family
needs (diary.selectors.week_for_student through diary:week)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from diary.selectors import default_week_start, monday_of, week_for_student
from journal.models import Lesson
from school.models import Holiday, SchoolClass
from school.services import transfer_student
from tests.diary_pages.conftest import url

pytestmark = pytest.mark.django_db


def week_of(client, student, day: dt.date):
    response = client.get(url("week", student.pk, start=day.isoformat()))
    assert response.status_code == 200
    return response, response.context["week"]


def day_of(week, day: dt.date):
    return next(d for d in week.days if d.date == day)


def lesson_of(week, lesson: Lesson):
    for day in week.days:
        for item in day.lessons:
            if item.lesson.pk == lesson.pk:
                return item
    raise AssertionError(f"{lesson} is not in the week")


def test_a_mark_shows_with_its_work_type_and_weight(dw, as_role) -> None:
    response, week = week_of(as_role("parent"), dw.child_a, dw.day0)
    item = lesson_of(week, dw.test_lesson)
    assert [(m.value, m.weight, m.work_type) for m in item.marks] == [(5, 3, "Контрольная работа")]
    assert item.lesson.topic == "Сложение дробей"
    assert [r.text for r in item.remarks] == ["Лучшая работа в классе"]
    text = response.text
    assert 'class="mark mark--5"' in text
    # The weight in words next to the work type, not a subscript in the badge.
    assert "<sub>" not in text and "5 — контрольная работа (вес 3)" in text
    assert "Похвала" in text


def test_an_absence_shows_as_a_letter_in_a_muted_badge(dw, as_role) -> None:
    response, week = week_of(as_role("parent"), dw.child_a, dw.day0)
    item = lesson_of(week, dw.russian_lesson)
    assert item.absence.code == "б"
    assert item.marks == []
    assert '<span class="absence" title="болел">' in response.text


def test_homework_given_and_due_with_the_file(dw, as_role) -> None:
    client = as_role("parent")
    response, week = week_of(client, dw.child_a, dw.day0)
    given = lesson_of(week, dw.russian_lesson).homework_given
    assert [h.text for h in given] == ["Упражнение 45, выучить правило"]
    assert given[0].files == ((dw.attachment.pk, "правило.pdf"),)
    assert url("attachment", dw.child_a.pk, dw.attachment.pk) in response.text

    due = dw.homework.due_date
    _, week = week_of(client, dw.child_a, due)
    target = lesson_of(week, dw.homework.due_lesson)
    assert [h.text for h in target.homework_due] == ["Упражнение 45, выучить правило"]

    download = client.get(url("attachment", dw.child_a.pk, dw.attachment.pk))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 diary"
    assert "attachment" in download["Content-Disposition"]


def test_the_family_sees_only_the_childs_group(dw, as_role) -> None:
    _, week = week_of(as_role("parent"), dw.child_a, dw.day0)
    groups = {i.lesson.group_id for d in week.days for i in d.lessons if i.lesson.group_id}
    assert groups == {dw.group_1.pk}


def test_lessons_come_in_order_with_the_bell_times(dw, as_role) -> None:
    response, week = week_of(as_role("parent"), dw.child_a, dw.day0)
    day = day_of(week, dw.day0)
    assert [i.lesson.number for i in day.lessons] == [1, 2, 3]
    assert [i.starts_at for i in day.lessons][:2] == [dt.time(8, 30), dt.time(9, 25)]
    assert "08:30–09:15" in response.text


def test_a_substitution_names_the_substitute(dw, as_role) -> None:
    if dw.substituted is None:
        pytest.skip("no lesson after day0 in this school year")
    response, week = week_of(as_role("parent"), dw.child_a, dw.substituted.date)
    item = lesson_of(week, dw.substituted)
    assert item.is_substituted
    assert "замена: Петров И. А." in response.text
    assert "вместо Иванова А. П." in response.text


def test_a_cancelled_lesson_is_marked_with_the_reason(dw, as_role) -> None:
    if dw.cancelled is None:
        pytest.skip("no lesson after day0 in this school year")
    response, week = week_of(as_role("parent"), dw.child_a, dw.cancelled.date)
    assert lesson_of(week, dw.cancelled).state == "cancelled"
    assert "Урок отменён: Учитель на больничном" in response.text


def test_a_moved_lesson_shows_where_it_went_and_the_new_one_where_it_came_from(dw, as_role) -> None:
    if dw.moved is None:
        pytest.skip("no lesson after day0 in this school year")
    client = as_role("parent")
    response, week = week_of(client, dw.child_a, dw.moved.date)
    assert lesson_of(week, dw.moved).state == "moved"
    assert "Урок перенесён на" in response.text
    _, week = week_of(client, dw.child_a, dw.moved_to.date)
    new = lesson_of(week, dw.moved_to)
    assert new.state == "active"
    assert new.moved_from.pk == dw.moved.pk
    assert new.starts_at == dt.time(13, 25)


def test_what_changed_lists_the_coming_timetable_changes(dw, as_role) -> None:
    today = timezone.localdate()
    response, week = week_of(as_role("parent"), dw.child_a, dw.day0)
    changed = {(c.date, c.number, c.status) for c in week.changes}
    for lesson in (dw.substituted, dw.cancelled, dw.moved):
        if lesson is not None and lesson.date >= today:
            assert (lesson.date, lesson.number, lesson.status) in changed
    assert all(c.date >= today for c in week.changes)
    if week.changes:
        assert "Изменения в расписании" in response.text


def test_a_holiday_shows_as_a_holiday(dw, as_role) -> None:
    """Holidays of the child's grade are shown by name; the first graders' extra week is
    not a holiday for 5А."""
    year = dw.year
    monday = monday_of(year.start) + dt.timedelta(days=7)
    for candidate in (dw.week0 + dt.timedelta(days=35), dw.week0 - dt.timedelta(days=35)):
        if year.start <= candidate and candidate + dt.timedelta(days=11) <= year.end:
            monday = candidate
            break
    Holiday.objects.create(
        year=year, name="Осенние каникулы", start=monday, end=monday + dt.timedelta(days=4)
    )
    Holiday.objects.create(
        year=year,
        name="Дополнительные каникулы для 1 класса",
        start=monday + dt.timedelta(days=7),
        end=monday + dt.timedelta(days=11),
        only_grade=1,
    )
    client = as_role("parent")
    response, week = week_of(client, dw.child_a, monday)
    assert [d.off for d in week.days] == ["Осенние каникулы"] * 5
    assert response.text.count("Осенние каникулы") >= 5
    _, week = week_of(client, dw.child_a, monday + dt.timedelta(days=7))
    assert [d.off for d in week.days] == [""] * 5


def test_the_week_opens_on_this_week_or_the_next_monday_at_the_weekend(dw, as_role) -> None:
    response = as_role("parent").get(url("week", dw.child_a.pk))
    today = dw.school.local_today()
    expected = default_week_start(today, 5)
    if dw.year.contains(today):
        assert response.context["week"].start == expected
    assert default_week_start(dt.date(2026, 11, 27), 5) == dt.date(2026, 11, 23)  # Friday
    assert default_week_start(dt.date(2026, 11, 28), 5) == dt.date(2026, 11, 30)  # Saturday
    assert default_week_start(dt.date(2026, 11, 28), 6) == dt.date(2026, 11, 23)  # 6-day week
    assert default_week_start(dt.date(2026, 11, 29), 6) == dt.date(2026, 11, 30)  # Sunday


def test_a_six_day_school_shows_saturday(dw, as_role) -> None:
    dw.school.week_days = 6
    dw.school.save()
    _, week = week_of(as_role("parent"), dw.child_a, dw.week0)
    assert len(week.days) == 6
    assert week.days[-1].date.isoweekday() == 6


def test_a_child_who_changed_class_sees_each_days_class(dw, as_role) -> None:
    """Dated enrolments: lessons of 5А until the transfer, none of them after it."""
    monday = dw.week0 + dt.timedelta(days=7)
    if monday + dt.timedelta(days=4) > dw.year.end:
        pytest.skip("the next week is outside the school year")
    wednesday = monday + dt.timedelta(days=2)
    transfer_student(
        student=dw.child_a,
        to_class=SchoolClass.objects.get(pk=dw.class_6b.pk),
        on_date=wednesday,
        actor=dw.users["secretary"],
    )
    _, week = week_of(as_role("parent"), dw.child_a, monday)
    for day in week.days:
        in_5a = [i for i in day.lessons if i.lesson.school_class_id == dw.class_5a.pk]
        assert bool(in_5a) == (day.date < wednesday), day.date


def test_the_answer_first_today_and_the_next_school_day(dw) -> None:
    """On the current week: today's marks and absences, and the homework due on the next
    school day (asked as if today were day0)."""
    week = week_for_student(student=dw.child_a, week_start=None, today=dw.day0)
    summary = week.summary
    assert [(s, m.value) for s, m in summary.marks] == [("Математика", 5)]
    assert [(s, a.code) for s, a in summary.absences] == [("Русский язык", "б")]
    nxt = dw.day0 + dt.timedelta(days=1)
    while nxt.isoweekday() > 5:
        nxt += dt.timedelta(days=1)
    if nxt > dw.year.end:
        pytest.skip("day0 is the last school day of the year")
    assert summary.next_day == nxt
    assert [h.text for h in summary.homework] == ["Упражнение 45, выучить правило"]


def test_the_summary_is_for_the_current_week_only(dw, as_role) -> None:
    client = as_role("parent")
    _, week = week_of(client, dw.child_a, dw.week0 - dt.timedelta(days=14))
    assert week.summary is None
    response = client.get(url("week", dw.child_a.pk))
    if dw.year.contains(dw.school.local_today()):
        assert response.context["week"].summary is not None
        assert "Задано на" in response.text or "Сегодня" in response.text


def test_a_bad_start_falls_back_to_the_current_week(dw, as_role) -> None:
    response = as_role("parent").get(url("week", dw.child_a.pk, start="30.13.2026"))
    assert response.status_code == 200
    wednesday = dw.week0 + dt.timedelta(days=2)
    _, week = week_of(as_role("parent"), dw.child_a, wednesday)
    assert week.start == dw.week0, "any day of a week opens its Monday"

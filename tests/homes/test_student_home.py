"""The student's home page (issue #11, 3): today's lessons, the homework for the next
school day and the latest marks, read through the diary's own selectors."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from diary import selectors
from tests.diary_world import build_diary_world
from tests.journal_pages.support import signed_in
from tests.world import build_world

pytestmark = pytest.mark.django_db


def test_the_student_home_shows_the_day_the_homework_and_the_latest_marks(
    django_assert_max_num_queries,
) -> None:
    w = build_diary_world()
    client = signed_in("student")
    with django_assert_max_num_queries(16):
        html = client.get(reverse("home")).content.decode()
    assert "Последние отметки" in html
    assert "Математика" in html and "контрольная работа" in html.lower()
    assert 'class="mark mark--5"' in html
    assert f"{w.day0:%d}" in html  # the mark's date
    assert "Сегодня" in html and "Неделя" in html
    assert reverse("diary:marks", args=[w.child_a.pk]) in html
    # the same answer as the diary's week (one rule: the diary's selectors)
    home = selectors.student_home(w.child_a, w.school.local_today())
    week = selectors.week_for_student(
        student=w.child_a, week_start=None, today=w.school.local_today()
    )
    assert home.homework == (week.summary.homework if week.summary else [])
    if home.homework_day:
        assert "Задано на" in html


def test_the_latest_marks_are_the_students_own_newest_first(
    django_assert_max_num_queries,
) -> None:
    w = build_diary_world()
    with django_assert_max_num_queries(1):
        latest = selectors.latest_marks(w.child_a)
    assert [(m.subject, m.mark.value) for m in latest] == [("Математика", 5)]
    assert latest[0].date == w.day0
    assert selectors.latest_marks(w.child_b) == []


def test_a_closed_diary_says_why_on_the_students_home() -> None:
    build_world(consent=False)
    html = signed_in("student").get(reverse("home")).content.decode()
    assert "Электронный дневник закрыт" in html
    assert "Последние отметки" not in html and "mark--5" not in html


def test_on_a_day_off_the_next_school_days_lessons_show() -> None:
    w = build_diary_world()
    saturday = w.week0 + dt.timedelta(days=5)
    home = selectors.student_home(w.child_a, saturday)
    assert home.off == "выходной"
    assert home.next_day is not None and home.next_day.date == saturday + dt.timedelta(days=2)
    assert home.next_day.lessons

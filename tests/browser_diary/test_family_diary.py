"""The family's diary in a real browser: what the teacher writes in the journal is what
the parent sees on reload; another family gets 404; the week prints without navigation.
Every page on a phone and a desktop: test_cabinet_on_a_phone.py."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from journal import services as journal
from journal.models import Lesson
from tests.browser_diary.conftest import (
    DESKTOP,
    PHONE,
    login,
)
from tests.diary_world import build_diary_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _cell(lesson: Lesson, student, text: str, user) -> None:
    """The teacher types into a journal cell (the grid's service)."""
    state = journal.cell_state(lesson, 1, student)
    journal.set_cell(
        actor=user,
        lesson=lesson,
        position=1,
        student=student,
        text=text,
        mark_version=state.mark_version,
        attendance_version=state.attendance_version,
    )


def test_the_parent_sees_the_teachers_mark_as_it_is_given_corrected_and_deleted(
    live_server, new_page
) -> None:
    dw = build_diary_world()
    lesson = Lesson.objects.get(group=dw.group_1, date=dw.day0)
    recent = dw.day0 >= dw.school.local_today() - dt.timedelta(days=6)
    teacher = dw.english_teacher if recent else dw.users["director"]
    week_url = live_server.url + reverse("diary:week", args=[dw.child_a.pk])
    week_url += f"?start={dw.week0.isoformat()}"

    parent = new_page(PHONE)
    login(parent, live_server, "parent")
    parent.goto(week_url)
    english = (
        parent.locator(f"#day-{dw.day0.isoformat()}")
        .locator("..")
        .locator("li.lesson", has_text="Английский язык")
    )
    assert english.locator(".mark").count() == 0

    _cell(lesson, dw.child_a, "4", teacher)
    parent.reload()
    assert english.locator(".mark").inner_text().strip() == "4"
    assert "ответ на уроке" in english.inner_text()

    _cell(lesson, dw.child_a, "3", teacher)
    parent.reload()
    assert english.locator(".mark").inner_text().strip() == "3"

    _cell(lesson, dw.child_a, "", teacher)
    parent.reload()
    assert english.locator(".mark").count() == 0
    # The mark of the other lesson of that day is untouched.
    maths = parent.locator("li.lesson", has_text="Сложение дробей")
    assert maths.locator(".mark").inner_text().strip().startswith("5")

    stranger = new_page(DESKTOP)
    login(stranger, live_server, "other_parent")
    for name in ("week", "marks", "messages", "report_absence"):
        path = reverse(f"diary:{name}", args=[dw.child_a.pk])
        response = stranger.goto(live_server.url + path)
        assert response.status == 404, name
    response = stranger.goto(
        live_server.url + reverse("diary:attachment", args=[dw.child_a.pk, dw.attachment.pk])
    )
    assert response.status == 404


def test_the_week_prints_without_navigation(live_server, new_page) -> None:
    dw = build_diary_world()
    page = new_page(DESKTOP)
    login(page, live_server, "parent")
    page.goto(
        live_server.url
        + reverse("diary:week", args=[dw.child_a.pk])
        + f"?start={dw.week0.isoformat()}"
    )
    page.emulate_media(media="print")
    for selector in (".topbar", ".sections", ".switcher", ".weekjump", ".weekbar__step"):
        assert page.locator(selector).first.is_hidden(), selector
    assert page.locator(".day").first.is_visible()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")

"""The family's diary in a real browser: what the teacher writes in the journal is what
the parent sees on reload; another family gets 404; the week and the marks pages work on a
360 px phone and at 1280 px, pass axe-core, and are screenshotted for people to look at."""

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
    page_overflows,
    screenshot,
    serious_axe_violations,
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


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_the_week_and_marks_pages_on_a_phone_and_a_desktop(live_server, new_page, width) -> None:
    dw = build_diary_world()
    page = new_page(width)
    login(page, live_server, "parent")
    pages = {
        "week": reverse("diary:week", args=[dw.child_a.pk]) + f"?start={dw.week0.isoformat()}",
        "week-now": reverse("diary:week", args=[dw.child_a.pk]),
        "marks": reverse("diary:marks", args=[dw.child_a.pk]),
        "report-absence": reverse("diary:report_absence", args=[dw.child_a.pk]),
        "messages": reverse("diary:messages", args=[dw.child_a.pk]),
    }
    for name, path in pages.items():
        page.goto(live_server.url + path)
        screenshot(page, f"diary-{name}-{width}")
        assert not page_overflows(page), f"{name} scrolls sideways at {width} px"
        if name in ("week", "marks"):
            assert serious_axe_violations(page) == [], name
    if width == PHONE:
        # Tap targets of the cabinet's own navigation are at least 44 px high.
        page.goto(live_server.url + pages["week"])
        for selector in (".sections a", ".switcher__child", ".weekbar__step", ".files a"):
            for box in page.locator(selector).evaluate_all(
                "els => els.map(e => e.getBoundingClientRect().height)"
            ):
                assert box >= 44, selector


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

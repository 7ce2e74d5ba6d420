"""The homes people act from (issue #11: 3, 4, 10, 11), in a real browser: the student's
day, the director's and deputy's overview, the class teacher's flagged absence reports, the
teacher's day; at 360 and 1280 px, no sideways scroll on the phone, no serious or critical
axe-core finding. Screenshots go to artifacts/screenshots/ (home-<role>-<width>.png)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from diary.models import AbsenceKind, AbsenceReport
from school.models import Period, PeriodKind
from tests.browser.conftest import SCREENSHOTS, login, screenshot, serious_axe_violations
from tests.diary_world import build_diary_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE, DESKTOP = 360, 1280


def _world():
    w = build_diary_world()
    today = w.school.local_today()
    # Quarters around today, so that one ends within two weeks.
    start = w.year.start
    for number in range(1, 5):
        end = min(start + dt.timedelta(days=69), w.year.end)
        if number == 2:
            end = max(today + dt.timedelta(days=10), start)
        Period.objects.create(
            year=w.year, kind=PeriodKind.QUARTER, number=number, start=start, end=end
        )
        start = end + dt.timedelta(days=1)
        if start > w.year.end:
            break
    for number, (first, last) in enumerate(
        [
            (w.year.start, w.year.start + dt.timedelta(days=120)),
            (w.year.start + dt.timedelta(days=121), w.year.end),
        ],
        start=1,
    ):
        Period.objects.create(
            year=w.year, kind=PeriodKind.HALF_YEAR, number=number, start=first, end=last
        )
    AbsenceReport.objects.create(
        school=w.school,
        student=w.child_a,
        reported_by=w.users["parent"],
        start=today + dt.timedelta(days=2),
        end=today + dt.timedelta(days=3),
        kind=AbsenceKind.ILLNESS,
        note="Температура, врач на дому",
    )
    return w


EXPECTED = {
    "student": "Последние отметки",
    "director": "Обзор школы",
    "deputy": "Обзор школы",
    "classteacher": "Мой класс",
    "teacher": "Моя нагрузка",
}


PAGES = [("home", role) for role in EXPECTED] + [("overview", "director"), ("overview", "deputy")]


@pytest.mark.parametrize(("name", "role"), PAGES)
def test_each_role_home_at_phone_and_desktop_width(name, role, browser, live_server) -> None:
    w = _world()
    url = reverse("home") if name == "home" else reverse("school_overview", args=[w.school.pk])
    for width in (PHONE, DESKTOP):
        context = browser.new_context(
            viewport={"width": width, "height": 640 if width == PHONE else 900},
            locale="ru-RU",
            timezone_id="Europe/Simferopol",
            is_mobile=width == PHONE,
            has_touch=width == PHONE,
            device_scale_factor=2 if width == PHONE else 1,
        )
        page = context.new_page()
        login(page, live_server, role)
        page.goto(live_server.url + url)
        body = page.inner_text("main")
        if name == "home":
            assert EXPECTED[role] in body, f"{role}: {body[:300]}"
        overflow = page.evaluate(
            "document.documentElement.scrollWidth > document.documentElement.clientWidth"
        )
        screenshot(page, f"roles-{name}-{role}-{width}")
        if width == PHONE:  # the first screen of a 360 × 640 phone
            page.screenshot(path=str(SCREENSHOTS / f"roles-{name}-{role}-{width}-first.png"))
        assert not overflow, f"{role} {url} at {width}px scrolls sideways"
        assert serious_axe_violations(page) == [], (role, url, width)
        context.close()

"""Every demo login reaches its role's home page in a real browser, at phone and desktop
widths, without serious accessibility problems. Screenshots go to artifacts/screenshots/."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from demo.school.logins import DEMO_LOGINS, DEMO_PASSWORD
from tests.browser.conftest import login, screenshot, serious_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.seeding, pytest.mark.django_db(transaction=True)]

# What each role must find on its home page.
EXPECTED = {
    "admin": "Перейти в администрирование",
    "director": "Обзор школы",
    "deputy": "Обзор школы",
    "secretary": "Контингент",
    "classteacher": "Мой класс",
    "teacher": "Моя нагрузка",
    "parent": "Мои дети",
    "student": "Последние отметки",
}


@pytest.fixture
def demo_school():
    call_command(
        "seed_demo", classes_per_grade=1, students_per_class=6, no_journal=True, verbosity=0
    )


def test_each_demo_role_reaches_its_home_page(demo_school, browser, live_server) -> None:
    assert {demo.role for demo in DEMO_LOGINS} == set(EXPECTED)
    for demo in DEMO_LOGINS:
        for width in (360, 1280):
            context = browser.new_context(
                viewport={"width": width, "height": 800},
                locale="ru-RU",
                timezone_id="Europe/Simferopol",
            )
            page = context.new_page()
            login(page, live_server, demo.username, DEMO_PASSWORD)
            assert page.locator("html").get_attribute("lang") == "ru"
            body = page.inner_text("main")
            assert EXPECTED[demo.role] in body, f"{demo.role}: {body[:300]}"
            overflow = page.evaluate(
                "document.documentElement.scrollWidth > document.documentElement.clientWidth"
            )
            assert not overflow, f"{demo.role} at {width}px scrolls sideways"
            screenshot(page, f"home-{demo.role}-{width}")
            if width == 360:
                assert serious_axe_violations(page) == [], demo.role
            context.close()

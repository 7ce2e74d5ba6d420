"""The frame around every page (the top bar, the user menu, the footer's language switch)
is tappable on a phone: its controls are at least 44 × 44 px (WCAG 2.5.5), at 360 px."""

from __future__ import annotations

import pytest

from tests.browser.conftest import horizontal_overflow, login, tap_target_problems
from tests.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FRAME = (
    ".topbar a, .topbar summary, .usermenu__panel a, .usermenu__panel button,"
    " .footer select, .footer button"
)


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        viewport={"width": 360, "height": 800}, locale="ru-RU", timezone_id="Europe/Simferopol"
    )
    yield context.new_page()
    context.close()


def test_the_frame_is_tappable_on_a_phone_before_and_after_login(phone, live_server) -> None:
    build_world()
    phone.goto(f"{live_server.url}/accounts/login/")
    assert tap_target_problems(phone, FRAME) == []

    login(phone, live_server, "parent")
    phone.click(".usermenu summary")
    assert phone.is_visible(".usermenu__panel")
    assert tap_target_problems(phone, FRAME) == []
    assert horizontal_overflow(phone) == []

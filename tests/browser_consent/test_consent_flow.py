"""The guardian's consent in a real browser: the first login shows the consent; refusing
keeps the diary closed; giving it opens the diary; withdrawing it in the settings closes
the diary again and ends the session (on the other device too)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.browser.conftest import horizontal_overflow
from tests.browser_diary.conftest import (
    DESKTOP,
    PHONE,
    screenshot,
    serious_axe_violations,
)
from tests.world import PASSWORD, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def test_consent_opens_and_closes_the_diary(live_server, new_page) -> None:
    world = build_world(consent=False)
    week = live_server.url + reverse("diary:week", args=[world.child_a.pk])

    phone = new_page(PHONE)
    sign_in(phone, live_server, "parent")
    assert "/consent/" in phone.url
    assert phone.get_by_role(
        "heading", name="Согласие на обработку персональных данных", exact=True
    ).is_visible()
    body = phone.locator(".consent-text__body").inner_text()
    assert "Соколов Максим Игоревич" in body
    assert "152-ФЗ" in body
    assert horizontal_overflow(phone) == []
    assert serious_axe_violations(phone) == []
    screenshot(phone, f"consent-prompt-{PHONE}")

    # Refusing: the diary stays closed.
    phone.get_by_role("button", name="Не даю согласия").click()
    phone.wait_for_load_state()
    assert phone.url == f"{live_server.url}/"
    assert phone.get_by_text("Электронный дневник закрыт").is_visible()
    screenshot(phone, f"consent-refused-home-{PHONE}")
    assert phone.goto(week).status == 404

    # Changing one's mind in the settings: giving it opens the diary.
    phone.goto(live_server.url + reverse("consent:settings"))
    screenshot(phone, f"consent-settings-refused-{PHONE}")
    give = phone.locator("form[action$='/consent/give/']")
    give.get_by_label("Личный кабинет: электронный дневник на сайте").check()
    give.get_by_role("button", name="Даю согласие").click()
    phone.wait_for_load_state()
    assert phone.get_by_text("Согласие сохранено").is_visible()
    response = phone.goto(week)
    assert response.status == 200
    assert phone.get_by_text("Соколов").first.is_visible()

    desktop = new_page(DESKTOP)
    sign_in(desktop, live_server, "parent")
    assert desktop.url == f"{live_server.url}/"
    desktop.goto(live_server.url + reverse("consent:settings"))
    assert horizontal_overflow(desktop) == []
    assert serious_axe_violations(desktop) == []
    screenshot(desktop, f"consent-settings-{DESKTOP}")

    # Withdrawing it in the settings closes the diary and ends the sessions.
    phone.goto(live_server.url + reverse("consent:settings"))
    withdraw = phone.locator("form[action$='/consent/withdraw/']")
    withdraw.get_by_label("Отозвать согласие полностью").check()
    withdraw.get_by_role("button", name="Отозвать").click()
    phone.wait_for_load_state()
    assert "/accounts/login/" in phone.url
    assert phone.get_by_text("сеанс завершён").is_visible()
    screenshot(phone, f"consent-withdrawn-{PHONE}")
    phone.goto(week)
    assert "/accounts/login/" in phone.url
    desktop.goto(week)
    assert "/accounts/login/" in desktop.url

    # Back in: not asked again (the decision stands), and the diary is closed.
    sign_in(phone, live_server, "parent")
    assert phone.url == f"{live_server.url}/"
    assert phone.goto(week).status == 404

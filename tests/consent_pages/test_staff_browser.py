"""The staff consent pages in headless Chromium at phone and desktop widths: no sideways
scrolling, no serious accessibility findings; a paper consent registered by clicking.
Screenshots go to artifacts/screenshots/."""

from __future__ import annotations

import pytest
from django.urls import reverse

from consent.models import Contact, ContactSource, Decision, Scope
from consent.services import add_contact, mark_offline
from tests.browser.conftest import login, screenshot, serious_axe_violations
from tests.consent_pages.test_staff_support import add_family, decide
from tests.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def a_class_of_families():
    world = build_world()
    secretary = world.users["secretary"]
    mother = world.users["parent"].guardian
    add_contact(
        guardian=mother,
        kind=Contact.Kind.PHONE,
        value="8 912 345-67-89",
        source=ContactSource.STATEMENT,
        statement_number="41",
        statement_date=world.year.start,
        actor=secretary,
    )
    add_contact(
        guardian=mother,
        kind=Contact.Kind.EMAIL,
        value="sokolova@mail.ru",
        source=ContactSource.STAFF,
        actor=secretary,
    )
    decide(world, mother, [world.child_a], Decision.GIVEN, scopes=[Scope.EMAIL])
    decide(world, mother, [world.child_a], Decision.REFUSED, scopes=[Scope.SMS])
    add_family(world, "Иванов", state=Decision.REFUSED)
    add_family(world, "Петров", state=Decision.WITHDRAWN)
    add_family(world, "Сидоров", state=None)
    _, offline = add_family(world, "Орлов", state=Decision.GIVEN)
    mark_offline(guardian=offline, actor=secretary, note="нет смартфона, выписки забирает бабушка")
    return world


def open_at(browser, live_server, width: int, username: str = "secretary"):
    context = browser.new_context(
        viewport={"width": width, "height": 800}, locale="ru-RU", timezone_id="Europe/Simferopol"
    )
    page = context.new_page()
    login(page, live_server, username)
    return context, page


def no_sideways_scroll(page) -> bool:
    return not page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )


def test_staff_pages_at_phone_and_desktop_widths(browser, live_server):
    world = a_class_of_families()
    mother = world.users["parent"].guardian
    pages = {
        "consent-class-families": reverse("consent:class_families", args=[world.class_5a.pk]),
        "consent-family-card": reverse("consent:family", args=[mother.pk]),
        "consent-register": reverse("consent:register", args=[mother.pk]),
        "consent-offline-list": reverse("consent:offline_list", args=[world.school.pk]),
    }
    for width in (360, 1280):
        context, page = open_at(browser, live_server, width)
        for name, url in pages.items():
            page.goto(f"{live_server.url}{url}")
            assert page.locator("html").get_attribute("lang") == "ru"
            assert no_sideways_scroll(page), f"{name} at {width}px scrolls sideways"
            screenshot(page, f"{name}-{width}")
            assert serious_axe_violations(page) == [], name
        context.close()


def test_registering_a_paper_withdrawal_by_clicking(browser, live_server):
    world = a_class_of_families()
    context, page = open_at(browser, live_server, 360, "classteacher")
    page.goto(f"{live_server.url}{reverse('consent:class_families', args=[world.class_5a.pk])}")
    page.click("text=Соколова Елена Андреевна")
    page.click("text=Отзыв согласия")
    page.fill("#id_paper_number", "77")
    page.click("button:has-text('Зарегистрировать')")
    page.wait_for_selector(".message--success")
    assert "Отзыв согласия зарегистрирован: заявление № 77" in page.inner_text(".messages")
    assert "отозвано" in page.inner_text("#state-title + .cs-tablewrap")
    screenshot(page, "consent-family-card-after-withdrawal-360")
    context.close()

"""The secretary's pages in headless Chromium at 360 and 1280 px: the roster, a class card,
a student card, a family card with a long e-mail, and the offline list (filtered, and as it
prints). No sideways scrolling, nothing cut, tap targets of at least 44 × 44 px, no serious
axe finding. Screenshots go to artifacts/screenshots/secretary-*.png."""

from __future__ import annotations

import pytest
from django.urls import reverse

from consent.models import Contact, ContactSource, Decision
from consent.services import add_contact, mark_offline
from tests.browser.conftest import (
    TAPPABLE,
    horizontal_overflow,
    login,
    screenshot,
    serious_axe_violations,
    tap_target_problems,
)
from tests.consent_pages.test_staff_support import add_family
from tests.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_EMAIL = "konstantinopolskaya.elena.andreevna@example-school.ru"


def a_school_with_paper_families():
    world = build_world()
    secretary = world.users["secretary"]
    mother = world.users["parent"].guardian
    add_contact(
        guardian=mother,
        kind=Contact.Kind.EMAIL,
        value=LONG_EMAIL,
        source=ContactSource.STAFF,
        actor=secretary,
    )
    add_contact(
        guardian=mother,
        kind=Contact.Kind.PHONE,
        value="8 (922) 299-93-18",
        source=ContactSource.STAFF,
        actor=secretary,
    )
    states = [None, Decision.REFUSED, Decision.WITHDRAWN]
    for i in range(12):
        school_class = world.class_5a if i % 2 else world.class_6b
        add_family(world, f"Бумагин{i:02d}", state=states[i % 3], school_class=school_class)
    _, offline = add_family(world, "Орлов", state=Decision.GIVEN)
    mark_offline(guardian=offline, actor=secretary, note="нет смартфона, выписки забирает бабушка")
    return world


def open_at(browser, live_server, width: int):
    context = browser.new_context(
        viewport={"width": width, "height": 800}, locale="ru-RU", timezone_id="Europe/Simferopol"
    )
    page = context.new_page()
    login(page, live_server, "secretary")
    return context, page


# The page's own controls (the top bar and the footer are every page's, checked elsewhere).
IN_MAIN = ", ".join(f"main {selector.strip()}" for selector in TAPPABLE.split(","))

# Cells whose text runs past their box; a header row hidden for screen readers only (the
# phone layout labels each cell instead) is not on the screen.
CUT_TEXT = """(selector) => [...document.querySelectorAll(selector)]
  .filter((el) => !(el.closest("thead") && el.closest("thead").getBoundingClientRect().width <= 1))
  .filter((el) => el.scrollWidth > el.clientWidth + 1)
  .map((el) => el.textContent.trim())"""


def test_secretary_pages_at_phone_and_desktop_widths(browser, live_server):
    world = a_school_with_paper_families()
    mother = world.users["parent"].guardian
    offline = reverse("consent:offline_list", args=[world.school.pk])
    pages = {
        "roster": (reverse("roster", args=[world.school.pk]), ".roster-table a"),
        "class-card": (reverse("class_detail", args=[world.class_5a.pk]), ".pagehead__links a"),
        "student-card": (reverse("student", args=[world.child_a.pk]), ".linkrow a"),
        "family-card": (reverse("consent:family", args=[mother.pk]), ".cs-actions a"),
        "offline-list": (offline, ".cs-offline-class__summary"),
        "offline-list-5a": (f"{offline}?class={world.class_5a.pk}", ".cs-rowactions a"),
    }
    for width in (360, 1280):
        context, page = open_at(browser, live_server, width)
        for name, (url, targets) in pages.items():
            page.goto(f"{live_server.url}{url}")
            screenshot(page, f"secretary-{name}-{width}")
            assert horizontal_overflow(page) == [], f"{name} at {width}px scrolls sideways"
            if width == 360:  # a finger; a mouse at 1280 px needs less
                assert tap_target_problems(page, IN_MAIN) == [], name
            assert tap_target_problems(page, targets) == [], f"{name} at {width}px"
            assert page.evaluate(CUT_TEXT, "td, th, .cs-contact__value") == [], name
            assert serious_axe_violations(page) == [], name
        context.close()


def test_the_roster_shows_whole_birth_dates_and_the_family_card_the_whole_email(
    browser, live_server
):
    world = a_school_with_paper_families()
    context, page = open_at(browser, live_server, 360)
    page.goto(f"{live_server.url}{reverse('roster', args=[world.school.pk])}")
    born = page.locator(".roster-table__born").first
    assert born.is_visible() and born.inner_text() == "01.01.2015"
    label = "(el) => getComputedStyle(el, '::before').content"
    assert "Дата рождения" in born.evaluate(label)
    box = born.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    mother = world.users["parent"].guardian
    page.goto(f"{live_server.url}{reverse('consent:family', args=[mother.pk])}")
    email = page.locator(".cs-contact__value", has_text="konstantinopolskaya")
    assert email.inner_text().replace("\n", "") == LONG_EMAIL
    box = email.bounding_box()
    assert box["x"] + box["width"] <= 360
    assert page.locator(".cs-contact__value", has_text="+7 922 299-93-18").is_visible()
    context.close()


def test_the_offline_list_prints_every_family_of_the_filter(browser, live_server):
    world = a_school_with_paper_families()
    context, page = open_at(browser, live_server, 1280)
    url = reverse("consent:offline_list", args=[world.school.pk])
    page.goto(f"{live_server.url}{url}")
    assert page.locator("[data-print]").is_visible()
    assert page.locator("details[open]").count() == 0
    # What the print button and Ctrl+P do before the dialog: every class opened.
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    page.emulate_media(media="print")
    assert page.locator("details:not([open])").count() == 0
    assert not page.locator(".topbar").is_visible()
    assert not page.locator(".cs-filter").is_visible()
    assert not page.locator(".cs-rowactions").first.is_visible()
    assert page.locator("tbody tr").count() == 13
    screenshot(page, "secretary-offline-list-print")
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    page.emulate_media(media="screen")
    assert page.locator("details[open]").count() == 0
    # Narrowed to one class: only its families go to paper.
    page.goto(f"{live_server.url}{url}?class={world.class_6b.pk}")
    page.emulate_media(media="print")
    assert page.locator("tbody tr").count() == 6
    context.close()

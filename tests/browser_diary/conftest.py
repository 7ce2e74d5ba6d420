"""Headless Chromium for the family's cabinet (Playwright, pytest-django's ``live_server``
and ``transactional_db``).

- ``browser``: one Chromium for the session (skipped on a laptop without it, a failure in
  CI: ``tests.services.require_chromium``);
- ``new_page(width)``: a fresh context (own cookies) of that width, Russian, Crimean time;
- ``login(page, live_server, username)``: through the real login form;
- ``screenshot(page, name)``: a full-page PNG in ``artifacts/screenshots/`` (git-ignored);
- ``serious_axe_violations(page)``: axe-core's serious and critical findings.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.world import PASSWORD

# ``browser`` (one Chromium for the run) lives in tests/conftest.py.

SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
PHONE = 360
DESKTOP = 1280


@pytest.fixture
def new_page(browser):
    contexts = []

    def make(width: int = DESKTOP):
        context = browser.new_context(
            viewport={"width": width, "height": 640 if width <= PHONE else 900},
            locale="ru-RU",
            timezone_id="Europe/Simferopol",
            is_mobile=width <= PHONE,
            has_touch=width <= PHONE,
            device_scale_factor=2 if width <= PHONE else 1,
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def login(page, live_server, username: str, password: str = PASSWORD) -> None:
    """Sign in through the login form, as people do (axes and the backends included)."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def serious_axe_violations(page) -> list[str]:
    """axe-core's serious and critical findings on the current page, readable."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    found = []
    for violation in results.response["violations"]:
        if violation["impact"] in {"serious", "critical"}:
            targets = [", ".join(node["target"]) for node in violation["nodes"][:5]]
            found.append(f"{violation['id']} ({violation['impact']}): {targets}")
    return found

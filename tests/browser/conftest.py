"""Reusable fixtures for tests that drive headless Chromium through Playwright.

- ``browser``: one Chromium for the session (skipped on a laptop without Chromium, a
  failure in CI: ``tests.services.require_chromium``);
- ``page``: a fresh context (cookies) per test, 1280 × 900, Russian, Crimean time;
- ``login(page, live_server, username, password)``: through the real login form;
- ``screenshot(page, name)``: a full-page PNG in ``artifacts/screenshots/`` (git-ignored);
- ``serious_axe_violations(page)``: axe-core's serious and critical findings.

Use them with pytest-django's ``live_server`` and ``transactional_db``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.world import PASSWORD

# ``browser`` (one Chromium for the run) lives in tests/conftest.py.

SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


@pytest.fixture
def page(browser):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900},
        locale="ru-RU",
        timezone_id="Europe/Simferopol",
    )
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
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


# Where the attendance letters sit on the Russian ЙЦУКЕН layout: (code, Windows key code).
RUSSIAN_KEYS = {"н": ("KeyY", 89), "б": ("Comma", 188), "у": ("KeyE", 69), "о": ("KeyJ", 74)}


def press_russian(page, letter: str) -> None:
    """Press a key as a Russian keyboard layout produces it (Playwright's own ``press``
    knows only the US layout): a trusted keydown with ``key`` «н» and ``code`` KeyY."""
    code, key_code = RUSSIAN_KEYS[letter]
    session = page.context.new_cdp_session(page)
    common = {"key": letter, "code": code, "windowsVirtualKeyCode": key_code}
    session.send("Input.dispatchKeyEvent", {"type": "keyDown", "text": letter, **common})
    session.send("Input.dispatchKeyEvent", {"type": "keyUp", **common})
    session.detach()

"""Fixtures shared by every test folder."""

from __future__ import annotations

import os

import pytest

from tests.services import CHROMIUM_ARGS, require_chromium

# A test with one of these marks is also ``slow``: ``make test`` runs it, ``make test-fast``
# (``-m "not slow"``) leaves it out.
SLOW_KINDS = ("browser", "worker", "seeding")


def pytest_collection_modifyitems(items):
    """A test that asks for ``browser`` is a browser test even if its module forgot the
    mark; browser, worker and seeding tests are slow."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
        if any(item.get_closest_marker(kind) for kind in SLOW_KINDS):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run (Playwright's sync API allows one driver per
    thread). Skipped on a laptop without Chromium; a failure in CI (``CI=true``)."""
    path = require_chromium()
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in the test's thread; Django would
    # otherwise refuse database access from it.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=path, args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (the consent text's version, for one, is cached
    across requests; a test's rolled-back rows must not outlive it there)."""
    from django.core.cache import cache

    cache.clear()
    yield

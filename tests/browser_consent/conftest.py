"""Headless Chromium for the consent pages: the fixtures of the diary's browser tests."""

from tests.browser_diary.conftest import new_page  # noqa: F401

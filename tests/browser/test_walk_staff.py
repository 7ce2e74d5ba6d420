"""The walk of tests/browser/test_walk.py for the school's staff roles without a class:
the administrator, the director, the deputy and the secretary (a file of its own so that
xdist runs it beside the families' and teachers' walk)."""

from __future__ import annotations

import pytest

from demo.school.logins import DEMO_LOGINS
from tests.browser.test_walk import STAFF_ROLES, assert_walk_is_clean, demo_school  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.seeding,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("demo_school"),
]


@pytest.mark.parametrize(
    "demo",
    [demo for demo in DEMO_LOGINS if demo.role in STAFF_ROLES],
    ids=lambda demo: demo.role,
)
def test_walk(demo, browser, live_server) -> None:
    assert_walk_is_clean(demo, browser, live_server)

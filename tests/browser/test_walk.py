"""The walk: every demo login, as a newcomer after ``make run``, opens its home and the pages
reachable from it, at 360 and 1280 px (issue 11, «What must show»).

The school is the real demo generator's (``seed_demo``, smaller: one class a grade). For
each role the walk starts at home (and, for the administrator, at the admin's index) and
follows the links of the page's content three steps deep (the admin:
one), one page per URL pattern. On every page, at both widths:

- a full-page screenshot in ``artifacts/screenshots/walk/`` (``<role>-<nn>-<page>-<width>``)
  for people to look at;
- no serious or critical axe-core violation;
- at 360 px, on the family's and the teachers' pages: the page itself does not scroll
  sideways, and links and buttons are at least 44 × 44 px (WCAG 2.5.5).

All problems of a role are collected and reported together.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.urls import Resolver404, resolve

from demo.school.logins import DEMO_LOGINS, DEMO_PASSWORD
from tests.browser.conftest import (
    SCREENSHOTS,
    horizontal_overflow,
    login,
    serious_axe_violations,
    tap_target_problems,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.seeding,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]

WALK = SCREENSHOTS / "walk"
PHONE, DESKTOP = 360, 1280
# Whose pages must work with a thumb on a phone (the issue's «family and teacher pages»).
PHONE_ROLES = {"parent", "student", "teacher", "classteacher"}
# How many links deep the walk goes from its start pages, and how many pages at most.
DEPTH = {"admin": 1}
DEFAULT_DEPTH = 3
MAX_PAGES = 30
# URL patterns the walk does not open: they leave the portal, answer with a file or act.
# (The admin's «add» forms are left out: the walk opens its index and every model's list.)
SKIPPED_VIEWS = re.compile(
    r"logout|set_language|pdf|^admin:(password_change|jsi18n|view_on_site|autocomplete)"
    r"|^admin:.*_(add|delete|history)$"
)


@dataclass
class Walked:
    role: str
    pages: list[tuple[str, str]] = field(default_factory=list)  # (view name, path)
    problems: list[str] = field(default_factory=list)


@pytest.fixture
def demo_school():
    """The demo school as ``make run`` makes it (journal, diary, consents), one class a
    grade. Built for each role's test: the live server's tests flush the database after
    each test (pytest-django), so a school built once for the module would not outlive
    the first role."""
    call_command("seed_demo", classes_per_grade=1, students_per_class=6, quiet=True)


def _context(browser, width: int):
    context = browser.new_context(
        viewport={"width": width, "height": 720 if width == PHONE else 900},
        locale="ru-RU",
        timezone_id="Europe/Simferopol",
        is_mobile=width == PHONE,
        has_touch=width == PHONE,
    )
    context.set_default_timeout(15_000)
    return context


def _view_name(path: str) -> str | None:
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


def _links(page, base: str) -> list[str]:
    """Same-site links of the page's content (not the menu: it is on every page)."""
    hrefs = page.eval_on_selector_all(
        "main a[href], #content a[href]",
        "els => els.filter(a => !a.hasAttribute('download')).map(a => a.href)",
    )
    found = []
    for href in hrefs:
        parts = urlsplit(href)
        if f"{parts.scheme}://{parts.netloc}" != base:
            continue
        found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def _html_page(page, url: str) -> str | None:
    """Where ``url`` leads (redirects followed) if it is a page, not a file or an error."""
    response = page.request.get(url)
    if response.status != 200 or not response.headers.get("content-type", "").startswith(
        "text/html"
    ):
        return None
    parts = urlsplit(response.url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def discover(browser, live_server, role: str, username: str) -> list[tuple[str, str]]:
    """The pages of the role's walk: (view name, path), one per URL pattern, breadth-first
    from home (and the admin's index for the administrator)."""
    context = _context(browser, DESKTOP)
    page = context.new_page()
    login(page, live_server, username, DEMO_PASSWORD)
    starts = ["/"] + (["/admin/"] if role == "admin" else [])
    depth_limit = DEPTH.get(role, DEFAULT_DEPTH)
    queue = deque((path, 0) for path in starts)
    seen_views: set[str] = set()
    pages: list[tuple[str, str]] = []
    tried: set[str] = set()
    while queue and len(pages) < MAX_PAGES:
        path, depth = queue.popleft()
        view = _view_name(urlsplit(path).path)
        if path in tried or view is None or view in seen_views or SKIPPED_VIEWS.search(view):
            continue
        if role != "admin" and view.startswith("admin:"):
            continue
        tried.add(path)
        path = _html_page(page, live_server.url + path)
        view = path and _view_name(urlsplit(path).path)
        if view is None or view in seen_views:
            continue
        seen_views.add(view)
        pages.append((view, path))
        if depth >= depth_limit:
            continue
        page.goto(live_server.url + path)
        queue.extend((link, depth + 1) for link in _links(page, live_server.url))
    context.close()
    return pages


def _slug(view: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", view.lower()).strip("-")


def check_page(
    page, base: str, walked: Walked, number: int, view: str, path: str, width: int
) -> None:
    where = f"{view} ({path}) at {width} px"
    page.goto(base + path)
    page.wait_for_load_state("networkidle")
    shot = WALK / f"{walked.role}-{number:02d}-{_slug(view)}-{width}.png"
    page.screenshot(path=str(shot), full_page=True)
    for found in serious_axe_violations(page):
        walked.problems.append(f"{where}: axe {found}")
    if width == PHONE and walked.role in PHONE_ROLES:
        for found in horizontal_overflow(page):
            walked.problems.append(f"{where}: scrolls sideways: {found}")
        for found in tap_target_problems(page):
            walked.problems.append(f"{where}: small tap target {found}")


def walk(browser, live_server, role: str, username: str) -> Walked:
    walked = Walked(role)
    walked.pages = discover(browser, live_server, role, username)
    WALK.mkdir(parents=True, exist_ok=True)
    for old in WALK.glob(f"{role}-*.png"):
        old.unlink()
    for width in (PHONE, DESKTOP):
        context = _context(browser, width)
        page = context.new_page()
        login(page, live_server, username, DEMO_PASSWORD)
        for number, (view, path) in enumerate(walked.pages, start=1):
            check_page(page, live_server.url, walked, number, view, path, width)
        context.close()
    return walked


# The walk is the suite's longest file: its roles are split over two files so that xdist
# (--dist loadfile) runs them on both workers; test_walk_staff.py walks STAFF_ROLES.
STAFF_ROLES = {"admin", "director", "deputy", "secretary"}


def assert_walk_is_clean(demo, browser, live_server) -> None:
    walked = walk(browser, live_server, demo.role, demo.username)
    pages = "\n".join(f"  {view}: {path}" for view, path in walked.pages)
    assert len(walked.pages) > 1, f"{demo.role}: home links to nothing\n{pages}"
    assert not walked.problems, (
        f"{demo.role}: {len(walked.problems)} problems on {len(walked.pages)} pages:\n"
        + "\n".join(walked.problems)
        + f"\npages walked:\n{pages}"
    )


@pytest.mark.parametrize(
    "demo",
    [demo for demo in DEMO_LOGINS if demo.role not in STAFF_ROLES],
    ids=lambda demo: demo.role,
)
def test_walk(demo, demo_school, browser, live_server) -> None:
    assert_walk_is_clean(demo, browser, live_server)

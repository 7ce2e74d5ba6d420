"""The authorization matrix: every URL pattern, every role, one expected answer each.

The rows live in parts, ``tests/authz_cases_<part>.py`` (a ``CASES`` list each: the site's
own pages and the admin in ``school``, then one part per app), and each part is walked by its
own file ``tests/authz/test_<part>.py``, so that pytest-xdist spreads the walk over its
workers. This module checks that the parts together are the whole matrix: a new URL without a
row fails ``test_every_url_has_expected_answers`` (whoever adds a page must decide who may
open it), a part without its walking file fails ``test_every_part_is_walked``.

Statuses: 200 shown, 302 redirected (to login for the anonymous), 403 forbidden for the role,
404 for objects a role may not even know exist (another family's child answers 404, never
403), 405 wrong method.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.authz_support import TESTS_DIR, all_cases, case_parts
from tests.world import build_world

pytestmark = pytest.mark.django_db

ADMIN_NAMESPACE = "admin"


def _walk(patterns, prefix: str = "") -> list[tuple[str, str]]:
    """(qualified name, route) for every named pattern, descending into includes."""
    found = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            found += _walk(entry.url_patterns, namespace)
        elif isinstance(entry, URLPattern):
            found.append((f"{prefix}{entry.name or ''}", str(entry.pattern)))
    return found


def test_every_url_has_expected_answers() -> None:
    """Each named URL outside the admin has at least one row in the matrix, and the admin
    is covered as a whole (its index, a list and an object page are in the matrix)."""
    covered = {case.url_name for case in all_cases()}
    missing = []
    for name, route in _walk(get_resolver().url_patterns):
        if name.startswith(f"{ADMIN_NAMESPACE}:"):
            continue
        if not name or name.endswith(":"):
            missing.append(f"(unnamed) {route}")
        elif name not in covered:
            missing.append(name)
    assert not missing, f"URLs without an expected answer per role: {missing}"
    assert {"admin:index", "admin:school_student_changelist"} <= covered


def test_every_part_is_walked() -> None:
    """Each part of the matrix has its walking file, and each walking file its part."""
    walkers = sorted(p.stem.removeprefix("test_") for p in (TESTS_DIR / "authz").glob("test_*.py"))
    assert walkers == case_parts()
    assert {"school", "journal", "diary", "notifications"} <= set(case_parts())


def test_anonymous_is_sent_to_the_login_page() -> None:
    """Every protected page redirects a stranger to the login with a way back."""
    world = build_world()
    url = reverse("student", kwargs={"student_id": world.child_a.pk})
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"

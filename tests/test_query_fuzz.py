"""Bad values in the address never give a 500: every URL of the authorization matrix is asked,
by a role that may open it, with impossible dates, ids and ``next`` targets in its query
string and impossible ids in its path. A page answers with the nearest valid page, a 400 or
a 404; a ``next`` never leads off the site.

The world and the walk are the matrix's (``tests/authz_support.py``)."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from tests.authz_support import all_cases, client_for, matrix_world

pytestmark = pytest.mark.django_db

# Every query-string name the views read (school/params.py is their one parser).
DATE_NAMES = ("start", "date", "end", "since")
ID_NAMES = ("period", "group", "child", "page", "to", "student", "code")
NEXT_NAMES = ("next",)
WORD_NAMES = ("section", "format", "show", "decision", "edit")

BAD_DATES = ("0001-01-01", "9999-12-31", "31.12.9999", "2026-02-30")
BAD_IDS = ("0", "99999999999999999999", "abc")
BAD_NEXTS = ("0", "foo", "//evil.example/", "https://evil.example/")
BAD_WORDS = ("", "<script>" + "x" * 300)
HUGE_ID = 99999999999999999999


def _queries() -> list[dict[str, str]]:
    """Each bad value of each kind once; the kinds asked together, so that a page is asked a
    few times, not once per value."""
    rows = max(len(BAD_DATES), len(BAD_IDS), len(BAD_NEXTS), len(BAD_WORDS))
    queries = []
    for row in range(rows):
        query = {}
        for names, values in (
            (DATE_NAMES, BAD_DATES),
            (ID_NAMES, BAD_IDS),
            (NEXT_NAMES, BAD_NEXTS),
            (WORD_NAMES, BAD_WORDS),
        ):
            query |= {name: values[row % len(values)] for name in names}
        queries.append(query)
    return queries


# The role that asks each URL: the first one the matrix lets in (else the first signed-in
# role), so that the page's own code, not the access check, reads the parameters.
OK = (200, 302, 422)


def _asker(expected: dict[str, int]) -> str:
    allowed = [role for role, status in expected.items() if status in OK and role != "anonymous"]
    return allowed[0] if allowed else "director"


def _off_site(location: str) -> bool:
    return location.startswith(("//", "http:", "https:", "javascript:")) and not (
        location.startswith(("http://testserver/", "https://testserver/"))
    )


def test_no_query_string_or_path_id_gives_a_server_error() -> None:
    world = matrix_world()
    clients: dict[str, object] = {}
    failures = []
    seen = set()
    for case in all_cases():
        if case.method != "get" or case.url_name == "logout":
            continue
        role = _asker(case.expected)
        kwargs = case.kwargs(world)
        if case.url_name in seen:  # one row per page: its code reads the same parameters
            continue
        seen.add(case.url_name)
        if role not in clients:
            clients[role] = client_for(role, world)
        client = clients[role]
        client.raise_request_exception = False
        url = reverse(case.url_name, kwargs=kwargs)
        asked = [f"{url}?{urlencode(query)}" for query in _queries()]
        for name in kwargs:
            if name.endswith("_id"):
                asked += [reverse(case.url_name, kwargs={**kwargs, name: HUGE_ID})]
        for address in asked:
            response = client.get(address)
            if response.status_code >= 500:
                failures.append(f"{address} as {role}: {response.status_code}")
            elif response.status_code == 302 and _off_site(response["Location"]):
                failures.append(f"{address} as {role}: off-site {response['Location']}")
    assert not failures, "\n".join(failures)


def test_far_out_dates_and_foreign_nexts_give_the_nearest_page() -> None:
    """Defect 6: ``week_for_student`` and «Мой день» overflowed the calendar, and
    ``redirect()`` took ``?next=foo`` for a view's name: each answered 500."""
    world = matrix_world()
    parent = client_for("parent", world)
    teacher = client_for("teacher", world)
    week = reverse("diary:week", kwargs={"student_id": world.child_a.pk})
    for start, year in (("0001-01-01", 1900), ("9999-12-31", 2199)):
        response = parent.get(week, {"start": start})
        assert response.status_code == 200
        assert response.context["week"].start.year == year
        assert teacher.get(reverse("journal:my_day"), {"date": start}).status_code == 200
    for target in ("0", "foo", "//evil.example/", "https://evil.example/x"):
        response = parent.get(reverse("consent:prompt"), {"next": target})
        assert response.status_code == 302
        assert response["Location"] == reverse("consent:settings")

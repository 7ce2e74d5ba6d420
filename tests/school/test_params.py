"""The one parser of query-string parameters (school/params.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import QueryDict
from django.test import RequestFactory

from school import params


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-11-30", dt.date(2026, 11, 30)),
        ("30.11.2026", dt.date(2026, 11, 30)),
        ("0001-01-01", params.EARLIEST),
        ("9999-12-31", params.LATEST),
        ("2026-02-30", None),
        ("x", None),
        ("", None),
    ],
)
def test_a_date_is_read_clamped_or_absent(value: str, expected: dt.date | None) -> None:
    assert params.query_date(QueryDict(f"d={value}"), "d") == expected


def test_a_date_may_be_clamped_to_the_pages_own_range() -> None:
    year = (dt.date(2026, 9, 1), dt.date(2027, 5, 31))
    query = QueryDict("d=2030-01-01")
    assert params.query_date(query, "d", earliest=year[0], latest=year[1]) == year[1]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("7", 7), ("0", None), ("-1", None), ("abc", None), ("١٢", None), (str(2**63), None)],
)
def test_an_id_is_a_positive_bigint_or_absent(value: str, expected: int | None) -> None:
    assert params.query_id(QueryDict(f"id={value}"), "id") == expected


def test_a_choice_outside_the_list_is_the_default() -> None:
    assert params.query_choice(QueryDict("s=marks"), "s", {"marks"}, "week") == "marks"
    assert params.query_choice(QueryDict("s=evil"), "s", {"marks"}, "week") == "week"


@pytest.mark.parametrize(
    ("target", "safe"),
    [
        ("/diary/", True),
        ("/consent/?next=/x", True),
        ("0", False),
        ("foo", False),
        ("//evil.example/", False),
        ("/\\evil.example/", False),
        ("https://evil.example/", False),
        ("javascript:alert(1)", False),
        ("", False),
    ],
)
def test_next_is_only_a_path_of_this_site(target: str, safe: bool) -> None:
    request = RequestFactory().get("/", {"next": target})
    assert params.safe_next(request, "/home/") == (target if safe else "/home/")

"""What pages read from the query string, parsed in one place: a date, an id, a word among
choices, a flag, and where to go next.

The address is typed by anyone: a value that cannot be read counts as absent (the page shows
its default), a date far out is clamped to the years a school can mean (so a page never
steps past the calendar's ends), an id out of the database's range counts as absent, and
``next`` is only ever a path of this site. None of them answers 500."""

from __future__ import annotations

import datetime as dt
from collections.abc import Container

from django.http import HttpRequest, QueryDict
from django.utils.http import url_has_allowed_host_and_scheme

EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2199, 12, 31)
DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y")
MAX_ID = 2**63 - 1  # PostgreSQL's bigint: every primary key of the project
FLAG_ON = frozenset({"1", "on", "true", "yes"})


def parse_date(value: str) -> dt.date | None:
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(value.strip(), fmt).date()
        except ValueError:
            continue
    return None


def clamp(day: dt.date, earliest: dt.date = EARLIEST, latest: dt.date = LATEST) -> dt.date:
    return min(max(day, earliest), latest)


def query_date(
    query: QueryDict, name: str, *, earliest: dt.date = EARLIEST, latest: dt.date = LATEST
) -> dt.date | None:
    """``?name=2026-11-30`` (or ``30.11.2026``), clamped to ``earliest``..``latest``; None when
    absent or unreadable."""
    day = parse_date(query.get(name, ""))
    return clamp(day, earliest, latest) if day else None


def query_id(query: QueryDict, name: str) -> int | None:
    """``?name=<id>``: a positive integer a primary key can hold, else None."""
    value = query.get(name, "").strip()
    if not value.isascii() or not value.isdigit():
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None


def query_choice(query: QueryDict, name: str, choices: Container[str], default: str) -> str:
    """``?name=<word>`` when it is one of ``choices``, else ``default``."""
    value = query.get(name, default)
    return value if value in choices else default


def query_flag(query: QueryDict, name: str) -> bool:
    return query.get(name, "").strip().lower() in FLAG_ON


def is_safe_next(request: HttpRequest, target: str) -> bool:
    """A path of this site: starts with one slash (``redirect()`` would take a bare word for
    a view's name) and leaves neither the host nor the scheme."""
    return (
        target.startswith("/")
        and not target.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    )


def safe_next(request: HttpRequest, default: str) -> str:
    """``next`` from the form or the address when it is a path of this site, else
    ``default``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    return target if is_safe_next(request, target) else default

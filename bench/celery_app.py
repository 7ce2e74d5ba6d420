"""The Celery application of the benchmarks: ``config.celery``'s, with every Redis key of the
broker under the prefix in ``BENCH_REDIS_KEY_PREFIX``, so that a benchmark shares a Redis
database with anyone (a worker, the tests, another benchmark) and removes only its own keys.

The benchmark's worker runs ``celery -A bench.celery_app worker``; the benchmark itself
calls ``use_key_prefix`` before it publishes."""

from __future__ import annotations

import os

from config.celery import app

PREFIX_VARIABLE = "BENCH_REDIS_KEY_PREFIX"


def use_key_prefix(prefix: str) -> None:
    app.conf.broker_transport_options = {"global_keyprefix": prefix}


def delete_keys(url: str, prefix: str) -> int:
    """Delete the keys under ``prefix`` (never the database: others may be using it)."""
    import redis

    client = redis.Redis.from_url(url)
    keys = list(client.scan_iter(f"{prefix}*", count=1000))
    for first in range(0, len(keys), 1000):
        client.delete(*keys[first : first + 1000])
    return len(keys)


if os.environ.get(PREFIX_VARIABLE):
    use_key_prefix(os.environ[PREFIX_VARIABLE])

__all__ = ["app", "delete_keys", "use_key_prefix"]

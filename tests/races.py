"""Races on real PostgreSQL: calls released together from threads, each thread on its own
database connection (as two requests of two people are)."""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connection


def race(calls: list[Callable]) -> list:
    """Run ``calls`` in threads released together; return what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as error:  # the outcome is what the test checks
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
    return results

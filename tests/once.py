"""Build a test world once for a module (or session) instead of once per test.

    @pytest.fixture(scope="module")
    def _world_once(django_db_setup, django_db_blocker):
        with built_once(django_db_blocker, build_diary_world) as world:
            yield world

    @pytest.fixture
    def dw(db, _world_once):
        return copy_of(_world_once)

The rows are written in a transaction that stays open while the module's tests run and is
rolled back after them; each test's own transaction is a savepoint inside it, so what a test
writes is still undone when it ends. Each test gets a deep copy of the Python objects, so
attributes a test sets on them (or caches Django puts there) do not leak into the next.

Only for modules whose tests are not transactional (``django_db(transaction=True)``, the
browser tests, a live server): those must see committed rows and flush the tables.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db import connection, transaction


@contextmanager
def built_once[T](django_db_blocker, build: Callable[[], T]) -> Iterator[T]:
    with django_db_blocker.unblock(), transaction.atomic():
        world = build()
        # The deferred foreign keys are checked once here; else every test's teardown (a
        # savepoint rollback with a constraint check) would check all of them again.
        connection.check_constraints()
        yield world
        transaction.set_rollback(True)


def copy_of[T](world: T) -> T:
    return copy.deepcopy(world)

"""What every module of authorization-matrix rows shares: the row, the per-role expectation,
the two families of the world, and the walk (``tests/authz/test_<part>.py`` walk the parts,
``tests/test_authorization_matrix.py`` checks that together they cover every URL).

Kept apart from the test modules so that a rows module never imports a test module (no
import cycle, whichever pytest collects first)."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.world import ROLES, World


@dataclass
class Case:
    url_name: str
    kwargs: Callable[[World], dict]
    expected: dict[str, int]
    method: str = "get"
    note: str = ""


def expect(default: int, **by_role: int) -> dict[str, int]:
    unknown = set(by_role) - set(ROLES)
    assert not unknown, f"unknown roles {unknown}"
    return {role: by_role.get(role, default) for role in ROLES}


def mother(w: World) -> int:
    """The guardian of ``child_a`` (5А, class teacher ``classteacher``)."""
    return w.users["parent"].guardian.pk


def father_b(w: World) -> int:
    """The guardian of ``child_b`` (6Б, no class teacher)."""
    return w.users["other_parent"].guardian.pk


def mothers_family(w: World) -> dict:
    return {"guardian_id": mother(w)}


def father_bs_family(w: World) -> dict:
    return {"guardian_id": father_b(w)}


# Who manages a family's data: the school's leadership and secretary, and the child's class
# teacher (6Б has none).
FAMILY_A = {"director": 200, "deputy": 200, "secretary": 200, "classteacher": 200}
FAMILY_B = {"director": 200, "deputy": 200, "secretary": 200}
GUARDIANS = {"parent": 200, "other_parent": 200}


def client_for(role: str, world: World):
    """A client signed in as ``role`` through the login form, as people do (axes and the
    backends included); the anonymous one is not signed in."""
    from django.test import Client
    from django.urls import reverse

    from tests.world import PASSWORD

    client = Client()
    if role != "anonymous":
        response = client.post(
            reverse("login"), {"username": world.users[role].username, "password": PASSWORD}
        )
        assert response.status_code == 302, f"{role} could not log in"
    return client


def walk(cases: list[Case], world: World) -> list[str]:
    """Ask every URL of ``cases`` as every role; the answers that differ from the rows."""
    from django.urls import reverse

    clients = {role: client_for(role, world) for role in ROLES}
    mismatches = []
    for case in cases:
        url = reverse(case.url_name, kwargs=case.kwargs(world))
        for role in ROLES:
            response = getattr(clients[role], case.method)(url)
            if response.status_code != case.expected[role]:
                mismatches.append(
                    f"{case.method.upper()} {url} ({case.url_name}) as {role}: "
                    f"expected {case.expected[role]}, got {response.status_code}"
                )
            if case.url_name == "logout" and case.method == "post" and role != "anonymous":
                clients[role] = client_for(role, world)  # signed out by the row: sign in again
    return mismatches


# --- The whole matrix ------------------------------------------------------------------
# Every ``tests/authz_cases_<part>.py`` is a part of the matrix (a ``CASES`` list), walked by
# its own test file ``tests/authz/test_<part>.py`` so that the parts run in parallel
# (pytest-xdist spreads files); tests/test_authorization_matrix.py checks that the parts
# together have a row for every URL and that every part has its walking file.

TESTS_DIR = Path(__file__).parent
CASES_PREFIX = "authz_cases_"


def case_parts() -> list[str]:
    """The parts of the matrix: ``<part>`` of every ``tests/authz_cases_<part>.py``."""
    return sorted(p.stem.removeprefix(CASES_PREFIX) for p in TESTS_DIR.glob(f"{CASES_PREFIX}*.py"))


def cases_of(part: str) -> list[Case]:
    return importlib.import_module(f"tests.{CASES_PREFIX}{part}").CASES


def all_cases() -> list[Case]:
    """Every row of the matrix, all parts together."""
    return [case for part in case_parts() for case in cases_of(part)]


def matrix_world() -> World:
    """The world every row expects: the school world, its journal and the diary's week."""
    from tests.diary_world import build_diary_world

    return build_diary_world(journal=True)


def walk_part_of(test_module: str) -> list[str]:
    """The mismatches of the part walked by ``tests.authz.test_<part>`` (its ``__name__``)."""
    part = test_module.rsplit(".", 1)[-1].removeprefix("test_")
    return walk(cases_of(part), matrix_world())

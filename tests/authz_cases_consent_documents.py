"""Rows of the authorization matrix for the consent's paper forms (``consent/views/
documents.py``). ``Case`` has the shape of the matrix module's ``Case``; it is declared here
so that importing this module never imports the matrix test module.

Who may print what:
- a family's forms: the secretary and the leadership of the child's school and the child's
  class teacher (``consent.access.guardian_for_staff_or_404``); 404 for everyone else, so
  that a stranger cannot learn the family exists;
- one's own forms: any guardian; everyone else 403 (the page is no secret, there is just
  nothing of theirs on it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

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


def mother(w: World) -> dict:
    """The guardian of ``child_a`` (5А, class teacher ``classteacher``)."""
    return {"guardian_id": w.users["parent"].guardian.pk}


def father_b(w: World) -> dict:
    """The guardian of ``child_b`` (6Б, no class teacher)."""
    return {"guardian_id": w.users["other_parent"].guardian.pk}


FAMILY_A = {"director": 200, "deputy": 200, "secretary": 200, "classteacher": 200}
FAMILY_B = {"director": 200, "deputy": 200, "secretary": 200}
GUARDIANS = {"parent": 200, "other_parent": 200}

CASES: list[Case] = [
    Case(
        "consent:consent_form",
        mother,
        expect(404, anonymous=302, **FAMILY_A),
        note="the class teacher prints the forms of her class's families; a teacher does not",
    ),
    Case(
        "consent:consent_form",
        father_b,
        expect(404, anonymous=302, **FAMILY_B),
        note="6Б has no class teacher: the 5А class teacher does not see this family",
    ),
    Case("consent:withdrawal_form", mother, expect(404, anonymous=302, **FAMILY_A)),
    Case(
        "consent:withdrawal_form",
        mother,
        expect(405, anonymous=302),
        method="post",
        note="a form to print: GET only, refused before the family is even looked up",
    ),
    Case(
        "consent:my_consent_form",
        lambda w: {},
        expect(403, anonymous=302, **GUARDIANS),
        note="a guardian's own form, for all their children; staff and students have none",
    ),
    Case("consent:my_withdrawal_form", lambda w: {}, expect(403, anonymous=302, **GUARDIANS)),
]

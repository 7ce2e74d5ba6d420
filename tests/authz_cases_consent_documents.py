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

from tests.authz_support import FAMILY_A, FAMILY_B, GUARDIANS, Case, expect
from tests.authz_support import father_bs_family as father_b
from tests.authz_support import mothers_family as mother

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

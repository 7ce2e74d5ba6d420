"""Rows of the authorization matrix for the consent app's export pages
(``consent/views/export.py``), walked by ``tests/authz/test_consent_export.py``.

Who may open what:
- the guardian's own export (no id in the URL): any guardian, whatever their consent; 403
  for everyone else (there is nothing of theirs to show, and the page is no secret);
- a family's export: the secretary and the leadership of a child's school and the child's
  class teacher (``consent.access.guardian_for_staff_or_404``); 404 for everyone else,
  guardians included, so that a stranger cannot learn that a family exists. Each staff
  export is written in the family's audit, which changes nothing a later row relies on.
"""

from __future__ import annotations

from tests.authz_support import FAMILY_A, FAMILY_B, Case, expect
from tests.authz_support import father_bs_family as father_b
from tests.authz_support import mothers_family as mother

CASES: list[Case] = [
    Case(
        "consent:my_export",
        lambda w: {},
        expect(403, anonymous=302, parent=200, other_parent=200),
        note="a guardian's own data; staff, students and the admin are not guardians",
    ),
    Case(
        "consent:my_export",
        lambda w: {},
        expect(405, anonymous=302),
        method="post",
        note="reading only",
    ),
    Case(
        "consent:family_export",
        mother,
        expect(404, anonymous=302, **FAMILY_A),
        note="the class teacher of the child; a teacher of the class does not manage families",
    ),
    Case(
        "consent:family_export",
        father_b,
        expect(404, anonymous=302, **FAMILY_B),
        note="6Б has no class teacher: the 5А class teacher does not see this family",
    ),
]

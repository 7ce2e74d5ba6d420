"""The authorization matrix, its part ``tests/authz_cases_consent_family.py``: every row asked
as every role. tests/test_authorization_matrix.py checks that the parts cover every URL."""

import pytest

from tests.authz_support import walk_part_of

pytestmark = pytest.mark.django_db


def test_every_role_gets_the_expected_answer_from_every_url() -> None:
    mismatches = walk_part_of(__name__)
    assert not mismatches, "\n".join(mismatches)

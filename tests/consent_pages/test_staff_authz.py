"""The staff consent pages' rows of the authorization matrix, walked for every role on the
matrix's world (``tests/authz_cases_consent_staff.py``)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from consent.views.staff import urlpatterns
from tests.authz_cases_consent_staff import CASES
from tests.test_authorization_matrix import _client_for, matrix_world
from tests.world import ROLES

pytestmark = pytest.mark.django_db


def test_every_staff_url_has_a_row():
    names = {f"consent:{p.name}" for p in urlpatterns}
    assert names <= {case.url_name for case in CASES}


def test_every_role_gets_the_expected_answer_from_every_staff_page():
    world = matrix_world()
    clients = {role: _client_for(role, world) for role in ROLES}
    mismatches = []
    for case in CASES:
        url = reverse(case.url_name, kwargs=case.kwargs(world))
        for role in ROLES:
            response = getattr(clients[role], case.method)(url)
            if response.status_code != case.expected[role]:
                mismatches.append(
                    f"{case.method.upper()} {url} as {role}: expected "
                    f"{case.expected[role]}, got {response.status_code}"
                )
    assert not mismatches, "\n".join(mismatches)


def test_empty_posts_leave_the_family_as_it_was():
    """The matrix's empty POSTs: no consent, contact or offline mark is added."""
    from consent.models import ConsentRecord, Contact, OfflineFamily

    world = matrix_world()
    guardian = world.users["parent"].guardian
    records = ConsentRecord.objects.filter(guardian=guardian).count()
    client = _client_for("secretary", world)
    for name in ("consent:register", "consent:staff_add_contact", "consent:offline_toggle"):
        assert client.post(reverse(name, args=[guardian.pk])).status_code == 422
    assert ConsentRecord.objects.filter(guardian=guardian).count() == records
    assert not Contact.objects.filter(guardian=guardian).exists()
    assert not OfflineFamily.objects.filter(guardian=guardian).exists()

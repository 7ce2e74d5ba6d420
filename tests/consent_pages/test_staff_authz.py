"""The staff consent pages in the authorization matrix: every URL has rows
(``tests/authz_cases_consent_staff.py``, walked by the matrix test) and the matrix's empty
POSTs change nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from consent.views.staff import urlpatterns
from tests.authz_cases_consent_staff import CASES
from tests.authz_support import client_for, matrix_world

pytestmark = pytest.mark.django_db


def test_every_staff_url_has_a_row():
    names = {f"consent:{p.name}" for p in urlpatterns}
    assert names <= {case.url_name for case in CASES}


def test_empty_posts_leave_the_family_as_it_was():
    """The matrix's empty POSTs: no consent, contact or offline mark is added."""
    from consent.models import ConsentRecord, Contact, OfflineFamily

    world = matrix_world()
    guardian = world.users["parent"].guardian
    records = ConsentRecord.objects.filter(guardian=guardian).count()
    client = client_for("secretary", world)
    for name in ("consent:register", "consent:staff_add_contact", "consent:offline_toggle"):
        assert client.post(reverse(name, args=[guardian.pk])).status_code == 422
    assert ConsentRecord.objects.filter(guardian=guardian).count() == records
    assert not Contact.objects.filter(guardian=guardian).exists()
    assert not OfflineFamily.objects.filter(guardian=guardian).exists()

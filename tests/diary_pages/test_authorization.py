"""The diary's rows of the authorization matrix (tests/authz_cases_diary.py), walked here
against their own world until the matrix imports them."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.authz_cases_diary import CASES
from tests.diary_world import build_diary_world
from tests.world import PASSWORD, ROLES

pytestmark = pytest.mark.django_db


def test_every_diary_url_has_rows() -> None:
    """Each URL of the diary app is in the diary's cases."""
    from diary.urls import urlpatterns

    names = {f"diary:{pattern.name}" for pattern in urlpatterns}
    assert names == {case.url_name for case in CASES}


def test_every_role_gets_the_expected_answer_from_every_diary_url() -> None:
    world = build_diary_world(journal=True)
    clients = {}
    for role in ROLES:
        client = Client()
        if role != "anonymous":
            response = client.post(
                reverse("login"),
                {"username": world.users[role].username, "password": PASSWORD},
            )
            assert response.status_code == 302, role
        clients[role] = client
    mismatches = []
    for case in CASES:
        url = reverse(case.url_name, kwargs=case.kwargs(world))
        for role in ROLES:
            response = getattr(clients[role], case.method)(url)
            if response.status_code != case.expected[role]:
                mismatches.append(
                    f"{case.method.upper()} {url} ({case.url_name}) as {role}: "
                    f"expected {case.expected[role]}, got {response.status_code}"
                )
    assert not mismatches, "\n".join(mismatches)

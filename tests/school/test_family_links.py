"""From the class card to the student card to the family card: names are links, and the
student card links each guardian's family card and deliveries for those who manage the
family's data (``school.access.can_manage_family_data``), through ``SCHOOL_FAMILY_LINKS``
(school does not import consent or notifications)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def client_for(world, role: str) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


def test_class_card_names_open_the_student_card(world):
    html = client_for(world, "secretary").get(reverse("class_detail", args=[world.class_5a.pk]))
    assert f'href="{reverse("student", args=[world.child_a.pk])}"' in html.content.decode()


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        ("secretary", True),
        ("director", True),
        ("classteacher", True),  # child_a is in her class
        ("teacher", False),  # teaches 6Б, not 5А's families
    ],
)
def test_the_student_card_links_the_family_card_to_those_who_may_open_it(world, role, sees):
    mother = world.users["parent"].guardian
    client = client_for(world, role)
    response = client.get(reverse("student", args=[world.child_a.pk]))
    if response.status_code == 404:  # the student card itself is not theirs
        assert not sees
        return
    html = response.content.decode()
    family = reverse("consent:family", args=[mother.pk])
    deliveries = reverse("notifications:family_deliveries", args=[mother.pk])
    assert (family in html) is sees and (deliveries in html) is sees
    if sees:
        assert "Карточка семьи" in html
        assert client.get(family).status_code == 200
        assert client.get(deliveries).status_code == 200


def test_the_family_does_not_see_staff_links_on_their_own_child(world):
    html = client_for(world, "parent").get(reverse("student", args=[world.child_a.pk]))
    mother = world.users["parent"].guardian
    assert reverse("consent:family", args=[mother.pk]) not in html.content.decode()


def test_the_class_teacher_of_another_class_gets_no_link(world):
    """child_b is in 6Б: the class teacher of 5А manages none of its families."""
    father = world.child_b.kinships.get().guardian
    response = client_for(world, "classteacher").get(reverse("student", args=[world.child_b.pk]))
    assert response.status_code in (200, 404)
    assert reverse("consent:family", args=[father.pk]) not in response.content.decode()


def test_class_card_names_read_as_links(world):
    html = client_for(world, "secretary").get(reverse("class_detail", args=[world.class_5a.pk]))
    assert '<span class="list__link">Соколов Максим Игоревич</span>' in html.content.decode()

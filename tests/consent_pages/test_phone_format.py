"""One way to write a phone number: «+7 912 345-67-89» on the family card, in its change
log, on the guardian's settings page, in the list of notifications sent and in the export;
stored in E.164 (``school.phones``)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from consent.models import Contact
from notifications.models import Channel, Kind, Notification, Status
from school.phones import format_phone
from school.templatetags.school_tags import phone_html
from tests.consent_pages.test_staff_support import signed_in
from tests.once import built_once, copy_of
from tests.world import build_world

SHOWN = "+7 912 345-67-89"
STORED = "+79123456789"


def test_format_phone_writes_every_stored_number_one_way():
    assert format_phone(STORED) == SHOWN
    assert format_phone("+79611234567") == "+7 961 123-45-67"
    # Anything that is not a number in E.164 comes back as it was.
    assert format_phone("mother@example.ru") == "mother@example.ru"
    assert format_phone("8 (912) 345-67-89") == "8 (912) 345-67-89"
    assert format_phone("") == "" and format_phone(None) == ""


def test_pages_keep_a_number_on_one_line_and_escape_the_rest():
    assert phone_html(STORED) == f'<span class="nowrap">{SHOWN}</span>'
    assert phone_html("<b>@example.ru") == "&lt;b&gt;@example.ru"


@pytest.fixture(scope="module")
def _world_once(django_db_setup, django_db_blocker):
    with built_once(django_db_blocker, build_world) as world:
        yield world


@pytest.fixture
def world(db, _world_once):
    return copy_of(_world_once)


def flat(response) -> str:
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.mark.django_db
def test_the_same_number_reads_the_same_on_every_page(world):
    mother = world.users["parent"].guardian
    staff = signed_in(world, "secretary")
    added = staff.post(
        reverse("consent:staff_add_contact", args=[mother.pk]),
        {
            "kind": "phone",
            "value": "8 (912) 345-67-89",
            "source": "statement",
            "statement_number": "30",
            "statement_date": timezone.localdate().isoformat(),
        },
    )
    assert added.status_code == 302
    assert Contact.objects.get(guardian=mother).phone.as_e164 == STORED
    Notification.objects.create(
        school=world.school,
        guardian=mother,
        student=world.child_a,
        channel=Channel.SMS,
        kind=Kind.MARKS,
        idempotency_key="test:phone",
        status=Status.SENT,
        due_at=timezone.now(),
        to_address=STORED,
    )
    parent = Client()
    parent.force_login(world.users["parent"])
    pages = {
        "family card": staff.get(reverse("consent:family", args=[mother.pk])),
        "settings": parent.get(reverse("consent:settings")),
        "deliveries": staff.get(reverse("notifications:family_deliveries", args=[mother.pk])),
        "export": staff.get(reverse("consent:family_export", args=[mother.pk])),
    }
    for name, response in pages.items():
        html = flat(response)
        assert SHOWN in html, name
        assert STORED not in html and "8 (912)" not in html, name
    # The family card's change log writes it the same way as its contact list.
    card = flat(pages["family card"])
    log = card.split('id="audit"')[1]
    assert f'добавлен контакт: телефон: <span class="nowrap">{SHOWN}</span>' in log.lower()

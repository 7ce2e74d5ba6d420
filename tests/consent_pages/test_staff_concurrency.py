"""Two staff members registering statements for one family at the same moment, through
the pages, on separate database connections: the history stays consistent and nothing is
lost (the service locks the guardian's row)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from consent.models import ConsentRecord, Decision, FamilyDataChange, Scope
from consent.rules import history_states
from tests.consent_pages.test_staff_support import signed_in
from tests.races import race
from tests.world import build_world

pytestmark = pytest.mark.django_db(transaction=True)


def at_once(world, posts: list[tuple[str, dict]]) -> list[str]:
    """POST each (role, statement) from its own thread, released together; the messages
    the staff members see."""
    guardian = world.users["parent"].guardian
    url = reverse("consent:register", args=[guardian.pk])
    clients = [signed_in(world, role) for role, _ in posts]

    def posting(client, data):
        return lambda: client.post(url, data, follow=True).content.decode()

    seen = race([posting(c, data) for c, (_, data) in zip(clients, posts, strict=True)])
    assert all(isinstance(page, str) for page in seen), seen
    return seen


def statement(decision: str, scopes: list[str], number: str, world) -> dict:
    return {
        "decision": decision,
        "students": [world.child_a.pk],
        "scopes": scopes,
        "paper_number": number,
        "paper_date": timezone.localdate().isoformat(),
    }


def test_the_same_consent_registered_twice_at_once_is_recorded_once():
    world = build_world()
    guardian = world.users["parent"].guardian
    before = ConsentRecord.objects.filter(guardian=guardian).count()
    pages = at_once(
        world,
        [
            ("secretary", statement(Decision.GIVEN, [Scope.SMS], "1", world)),
            ("director", statement(Decision.GIVEN, [Scope.SMS], "2", world)),
        ],
    )
    assert ConsentRecord.objects.filter(guardian=guardian).count() == before + 1
    assert sum("Согласие уже действует, ничего не изменено" in page for page in pages) == 1
    assert sum("Согласие зарегистрировано" in page for page in pages) == 1


def test_a_withdrawal_registered_with_a_consent_at_once_is_never_lost():
    world = build_world()
    guardian = world.users["parent"].guardian
    at_once(
        world,
        [
            ("secretary", statement(Decision.WITHDRAWN, [Scope.PROCESSING], "В-1", world)),
            ("classteacher", statement(Decision.GIVEN, [Scope.EMAIL], "С-1", world)),
        ],
    )
    records = list(ConsentRecord.objects.filter(guardian=guardian).order_by("recorded_at", "id"))
    assert {r.paper_number for r in records[-2:]} == {"В-1", "С-1"}
    assert FamilyDataChange.objects.filter(guardian=guardian).count() == len(records)
    # The state in force is the newest record's, whichever came second.
    newest = records[-1]
    processing = history_states(guardian.pk)[world.child_a.pk][Scope.PROCESSING]
    assert processing.record_id == newest.pk
    assert processing.decision == newest.decision

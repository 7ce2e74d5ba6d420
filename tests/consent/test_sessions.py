"""Closing the cabinet ends the guardian's sessions: a rule of the service that records the
refusal or withdrawal (``register_consent``), not of a receiver of ``consent_closed``."""

from __future__ import annotations

import pytest
from django.utils import timezone

from consent.models import ConsentForm, Decision, Scope
from consent.services import register_consent
from consent.signals import consent_closed
from tests.world import build_world

pytestmark = pytest.mark.django_db


def _epoch(user) -> int:
    user.refresh_from_db(fields=["session_epoch"])
    return user.session_epoch


def _decide(world, decision: str, scopes: list[str]):
    mother = world.users["parent"].guardian
    return register_consent(
        guardian=mother,
        students=[world.child_a],
        decision=decision,
        scopes=scopes,
        form=ConsentForm.PAPER,
        paper_number="7",
        paper_date=timezone.localdate(),
        actor=world.users["secretary"],
    )


@pytest.mark.parametrize(
    ("scopes", "ends"),
    [
        ([Scope.PROCESSING], True),
        ([Scope.CABINET], True),
        ([Scope.SMS], False),
        ([Scope.EMAIL], False),
    ],
)
def test_withdrawing_the_cabinet_or_the_processing_ends_the_sessions(scopes, ends):
    """Withdrawing the processing or the cabinet ends the guardian's sessions at once;
    withdrawing e-mail or SMS leaves them alone."""
    world = build_world()
    parent = world.users["parent"]
    _decide(world, Decision.GIVEN, [Scope.CABINET, Scope.SMS, Scope.EMAIL])
    before = _epoch(parent)
    assert _decide(world, Decision.WITHDRAWN, scopes) is not None
    assert _epoch(parent) == before + (1 if ends else 0)


def test_a_refusal_ends_the_sessions():
    world = build_world(consent=False)
    parent = world.users["parent"]
    before = _epoch(parent)
    _decide(world, Decision.REFUSED, [Scope.PROCESSING])
    assert _epoch(parent) == before + 1


def test_the_signal_alone_ends_no_session():
    """``consent_closed`` only tells listeners (the outbox); the rule is in the service."""
    world = build_world()
    parent = world.users["parent"]
    before = _epoch(parent)
    consent_closed.send(
        sender=None,
        guardian_id=parent.guardian.pk,
        student_ids=[],
        scopes=[Scope.PROCESSING, Scope.CABINET],
        reason="test",
    )
    assert _epoch(parent) == before

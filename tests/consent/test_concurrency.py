"""Two staff registering a family's consent at the same moment, each through their own
database connection: the guardian's row is locked, so the history comes out in one order,
the state in force is the later act, and a withdrawal is never lost."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from consent import rules
from consent.models import ConsentRecord, Decision, FamilyDataChange, Scope
from consent.services import register_consent
from school.models import Guardian, Student, User
from tests.races import race
from tests.world import build_world

RACES = 5  # each race is repeated: one lucky interleaving proves little


def registering(guardian_id: int, student_id: int, username: str, decision: str, scopes: list):
    """What one staff member's request does: load its own objects, register."""

    def call():
        return register_consent(
            guardian=Guardian.objects.get(pk=guardian_id),
            students=[Student.objects.get(pk=student_id)],
            decision=decision,
            scopes=scopes,
            form="paper",
            paper_date=timezone.localdate(),
            paper_number=f"{username}-{decision}",
            actor=User.objects.get(username=username),
        )

    return call


def history(guardian_id: int) -> list[tuple[str, list[str], str]]:
    return list(
        ConsentRecord.objects.filter(guardian_id=guardian_id)
        .order_by("recorded_at", "id")
        .values_list("decision", "scopes", "recorded_by__username")
    )


@pytest.fixture
def family():
    world = build_world(consent=False)
    return world.users["parent"].guardian.pk, world.child_a.pk


@pytest.mark.django_db(transaction=True)
def test_two_staff_registering_at_once_leave_both_records_in_one_order(family) -> None:
    """The secretary registers consent to SMS while the class teacher registers its refusal:
    both records are kept, one after the other, each with its audit row, and SMS is in the
    state the later of them says."""
    guardian_id, student_id = family
    for attempt in range(RACES):
        # SMS refused before each round, so that the «given» always changes something.
        registering(guardian_id, student_id, "director", Decision.REFUSED, [Scope.SMS])()
        before = ConsentRecord.objects.count()
        results = race(
            [
                registering(guardian_id, student_id, "secretary", Decision.GIVEN, [Scope.SMS]),
                registering(guardian_id, student_id, "classteacher", Decision.REFUSED, [Scope.SMS]),
            ]
        )
        assert all(isinstance(r, ConsentRecord) for r in results), results
        records = list(
            ConsentRecord.objects.filter(guardian_id=guardian_id).order_by("recorded_at", "id")
        )[before:]
        assert len(records) == 2
        first, last = records
        assert first.recorded_at < last.recorded_at and first.pk < last.pk  # one total order
        assert {first.recorded_by.username, last.recorded_by.username} == {
            "secretary",
            "classteacher",
        }
        state = rules.history_states(guardian_id)[student_id]
        assert state[Scope.SMS] == rules.ScopeState(last.decision, last.pk, None)
        verdict = rules.channel_open(
            guardian_id=guardian_id, student_id=student_id, channel=Scope.SMS
        )
        assert verdict.open is (last.decision == Decision.GIVEN), attempt
    assert FamilyDataChange.objects.filter(guardian_id=guardian_id).count() == 3 * RACES


@pytest.mark.django_db(transaction=True)
def test_a_withdrawal_racing_a_consent_is_never_lost(family) -> None:
    """Consent to the cabinet is in force. The guardian's withdrawal of the processing is
    registered by the secretary while the class teacher registers a paper consent to e-mail:
    the withdrawal is always recorded, and the state in force is whatever the later record
    says: withdrawn, or given again by a consent that came after it."""
    guardian_id, student_id = family
    for _ in range(RACES):
        registering(guardian_id, student_id, "secretary", Decision.GIVEN, [Scope.CABINET])()
        results = race(
            [
                registering(
                    guardian_id, student_id, "secretary", Decision.WITHDRAWN, [Scope.PROCESSING]
                ),
                registering(guardian_id, student_id, "classteacher", Decision.GIVEN, [Scope.EMAIL]),
            ]
        )
        withdrawal, consent = results
        assert isinstance(withdrawal, ConsentRecord), results
        assert withdrawal.decision == Decision.WITHDRAWN
        assert isinstance(consent, ConsentRecord), results
        later = max((withdrawal, consent), key=lambda r: (r.recorded_at, r.pk))
        status = rules.family_status(rules.history_states(guardian_id)[student_id])
        assert status == later.decision
        opened = rules.open_channels(guardian_id)[student_id]
        if later is withdrawal:
            assert opened == set()
        else:  # the consent after the withdrawal opens e-mail, not the withdrawn cabinet
            assert opened == {Scope.EMAIL}
        # Back to a known start: nothing given, for the next round.
        if later is consent:
            registering(
                guardian_id, student_id, "secretary", Decision.WITHDRAWN, [Scope.PROCESSING]
            )()
    withdrawals = ConsentRecord.objects.filter(
        guardian_id=guardian_id, decision=Decision.WITHDRAWN, recorded_by__username="secretary"
    )
    assert withdrawals.count() >= RACES


@pytest.mark.django_db(transaction=True)
def test_two_identical_consents_at_once_are_recorded_once(family) -> None:
    """Two secretaries enter the same paper consent at the same moment: one record, the
    other call sees it in force and changes nothing."""
    guardian_id, student_id = family
    results = race(
        [
            registering(guardian_id, student_id, "secretary", Decision.GIVEN, [Scope.CABINET]),
            registering(guardian_id, student_id, "director", Decision.GIVEN, [Scope.CABINET]),
        ]
    )
    assert sorted(type(r).__name__ for r in results) == ["ConsentRecord", "NoneType"], results
    assert ConsentRecord.objects.filter(guardian_id=guardian_id).count() == 1
    assert FamilyDataChange.objects.filter(guardian_id=guardian_id).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_withdrawals_at_once_leave_one_and_tell_the_other_why(family) -> None:
    guardian_id, student_id = family
    registering(guardian_id, student_id, "secretary", Decision.GIVEN, [Scope.CABINET])()
    results = race(
        [
            registering(
                guardian_id, student_id, "secretary", Decision.WITHDRAWN, [Scope.PROCESSING]
            ),
            registering(
                guardian_id, student_id, "classteacher", Decision.WITHDRAWN, [Scope.PROCESSING]
            ),
        ]
    )
    errors = [r for r in results if isinstance(r, ValidationError)]
    assert len(errors) == 1, results
    assert errors[0].messages == ["Согласие не было дано: отзывать нечего."]
    assert [d for d, _, _ in history(guardian_id)] == [Decision.GIVEN, Decision.WITHDRAWN]

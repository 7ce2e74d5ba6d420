"""The state in force is derived from the append-only history, never stored twice.

A random sequence of ``register_consent`` calls (given, refused, withdrawn; random children
and scopes; paper and electronic; new text versions published in between; two guardians
sharing children) is replayed by a small, obviously correct model written here, following
the documented semantics:

- giving a channel implies the processing itself;
- refusing or withdrawing the processing closes every channel (the record covers all scopes);
- a «given» while the same is in force for every child and scope (and the same text
  version, for an electronic consent) changes nothing and returns ``None``;
- a withdrawal when nothing asked for was given raises «отзывать нечего»; a withdrawal
  touches only the children for whom something asked for was given;
- for each (guardian, child, scope) the newest record wins.

After each call, ``history_states``, ``channel_open``, ``open_channels``, ``open_pairs`` and
``family_status`` must agree with the model, and the history and its audit hold exactly the
records the model expects.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from consent import rules
from consent.models import ConsentRecord, ConsentText, FamilyDataChange
from consent.services import current_text, register_consent
from consent.signals import consent_closed
from school.models import Guardian, Kinship, Relation, Student
from tests.world import build_world

pytestmark = pytest.mark.django_db

PROCESSING, CABINET, EMAIL, SMS = "processing", "cabinet", "email", "sms"
ALL_SCOPES = (PROCESSING, CABINET, EMAIL, SMS)
CHANNELS = (CABINET, EMAIL, SMS)
GIVEN, REFUSED, WITHDRAWN = "given", "refused", "withdrawn"

# The reasons a closed channel gives, written out here rather than read from the code.
NO_PROCESSING = {
    None: "нет согласия на обработку персональных данных",
    REFUSED: "родитель отказался от обработки персональных данных",
    WITHDRAWN: "родитель отозвал согласие на обработку персональных данных",
}
NO_CHANNEL = {
    None: "нет согласия на этот канал",
    REFUSED: "родитель отказался от этого канала",
    WITHDRAWN: "родитель отозвал согласие на этот канал",
}


# --- The model ------------------------------------------------------------------------


@dataclass
class Model:
    """{guardian: {(student, scope): (decision, record id, text version)}} and the rest."""

    kin: dict[int, set[int]]
    state: dict[int, dict[tuple[int, str], tuple[str, int, int | None]]] = field(
        default_factory=dict
    )
    records: dict[int, list[int]] = field(default_factory=dict)
    published: int | None = None  # the version an electronic consent is given on
    closed_signals: int = 0

    def expect(self, op: Op) -> tuple[str, dict | None]:
        """What the call must do: ("error", code), ("noop", None) or ("record", changes)."""
        scopes = list(dict.fromkeys(op.scopes))
        if not scopes:
            return "error", "no_scopes"
        if op.decision == GIVEN and PROCESSING not in scopes:
            scopes = [PROCESSING, *scopes]
        if op.decision != GIVEN and PROCESSING in scopes:
            scopes = list(ALL_SCOPES)
        version = None
        if op.electronic:
            if self.published is None:
                return "error", "no_text"
            version = self.published
        if not op.students:
            return "error", "no_children"
        if any(s not in self.kin[op.guardian] for s in op.students):
            return "error", "not_child"
        mine = self.state.get(op.guardian, {})
        keys = [(s, scope) for s in op.students for scope in scopes]
        if op.decision == GIVEN and all(
            k in mine and mine[k][0] == GIVEN and (version is None or mine[k][2] == version)
            for k in keys
        ):
            return "noop", None
        if op.decision == WITHDRAWN:
            # Only the children for whom something asked for was given: the others keep
            # «none».
            given = {s for (s, scope) in keys if (s, scope) in mine and mine[s, scope][0] == GIVEN}
            keys = [(s, scope) for (s, scope) in keys if s in given]
            if not keys:
                return "error", "nothing_to_withdraw"
        return "record", {"keys": keys, "version": version, "scopes": scopes}

    def apply(self, op: Op, record_id: int, changes: dict) -> None:
        mine = self.state.setdefault(op.guardian, {})
        for key in changes["keys"]:
            mine[key] = (op.decision, record_id, changes["version"])
        self.records.setdefault(op.guardian, []).append(record_id)
        if op.decision != GIVEN:
            self.closed_signals += 1

    # What the rules must answer.

    def states(self, guardian: int) -> dict[int, dict[str, rules.ScopeState]]:
        result: dict[int, dict[str, rules.ScopeState]] = {}
        for (student, scope), (decision, record, version) in self.state.get(guardian, {}).items():
            result.setdefault(student, {})[scope] = rules.ScopeState(decision, record, version)
        return result

    def decision(self, guardian: int, student: int, scope: str) -> str | None:
        entry = self.state.get(guardian, {}).get((student, scope))
        return entry[0] if entry else None

    def verdict(self, guardian: int, student: int, channel: str) -> tuple[bool, str]:
        processing = self.decision(guardian, student, PROCESSING)
        if processing != GIVEN:
            return False, NO_PROCESSING[processing]
        if channel == PROCESSING:
            return True, ""
        decision = self.decision(guardian, student, channel)
        if decision != GIVEN:
            return False, NO_CHANNEL[decision]
        return True, ""

    def children_with_history(self, guardian: int) -> set[int]:
        return {student for student, _ in self.state.get(guardian, {})}


@dataclass(frozen=True)
class Op:
    guardian: int
    students: tuple[int, ...]
    decision: str
    scopes: tuple[str, ...]
    electronic: bool


# --- The world of the test --------------------------------------------------------------


@dataclass
class Family:
    """Two guardians sharing two of three children (the father is not linked to the
    third), and a child of another school who is nobody's here."""

    guardians: list[Guardian]
    students: list[Student]
    clerk: object

    @classmethod
    def build(cls) -> Family:
        world = build_world(consent=False)
        mother = world.users["parent"].guardian
        father = Guardian.objects.create(last_name="Соколов", first_name="Игорь", gender="m")
        first, second = world.child_a, world.child_b
        third = Student.objects.create(
            school=world.school,
            last_name="Соколова",
            first_name="Ева",
            gender="f",
            birth_date=dt.date(2018, 5, 2),
        )
        for child in (second, third):
            Kinship.objects.create(guardian=mother, student=child, relation=Relation.MOTHER)
        for child in (first, second):
            Kinship.objects.create(guardian=father, student=child, relation=Relation.FATHER)
        return cls(
            guardians=[mother, father],
            students=[first, second, third, world.child_c],
            clerk=world.users["secretary"],
        )

    def by_pk(self, op: Op) -> Op:
        """The operation with database ids instead of positions in the lists."""
        return Op(
            guardian=self.guardians[op.guardian].pk,
            students=tuple(self.students[i].pk for i in op.students),
            decision=op.decision,
            scopes=op.scopes,
            electronic=op.electronic,
        )

    def kin(self) -> dict[int, set[int]]:
        return {
            g.pk: set(Kinship.objects.filter(guardian=g).values_list("student_id", flat=True))
            for g in self.guardians
        }


OPS = st.builds(
    Op,
    guardian=st.sampled_from([0, 0, 1]),
    students=st.lists(st.sampled_from([0, 1, 2, 2, 3]), max_size=3, unique=True).map(tuple),
    decision=st.sampled_from([GIVEN, GIVEN, REFUSED, WITHDRAWN, WITHDRAWN]),
    scopes=st.lists(st.sampled_from(ALL_SCOPES), max_size=4).map(tuple),  # repeats allowed
    electronic=st.booleans(),
)
STEPS = st.lists(st.one_of(OPS, OPS, OPS, OPS, st.just("publish")), min_size=1, max_size=14)


@pytest.fixture
def family() -> Family:
    return Family.build()


def publish() -> int:
    """A new version of the consent's text, in force from now; its number."""
    version = (ConsentText.objects.aggregate(v=Max("version"))["v"] or 0) + 1
    ConsentText.objects.create(
        version=version,
        title="Согласие на обработку персональных данных",
        body="Я, {guardian}, даю согласие…",
        published_at=timezone.now() - dt.timedelta(seconds=1),
    )
    return version


def call(family: Family, op: Op) -> ConsentRecord | None:
    return register_consent(
        guardian=family.guardians[op.guardian],
        students=[family.students[i] for i in op.students],
        decision=op.decision,
        scopes=list(op.scopes),
        form="electronic" if op.electronic else "paper",
        actor=family.clerk,
        paper_date=None if op.electronic else timezone.localdate(),
        shown_text="Я даю согласие…" if op.electronic else "",
        ip="192.0.2.7" if op.electronic else None,
    )


def check_derived_state(family: Family, model: Model) -> None:
    guardian_ids = [g.pk for g in family.guardians]
    student_ids = [s.pk for s in family.students]
    for guardian in guardian_ids:
        expected_states = model.states(guardian)
        states = rules.history_states(guardian)
        assert states == expected_states
        assert set(rules.open_channels(guardian)) == model.children_with_history(guardian)
        for student, channels in rules.open_channels(guardian).items():
            assert channels == {c for c in CHANNELS if model.verdict(guardian, student, c)[0]}
        for student in student_ids:
            assert rules.family_status(states.get(student, {})) == (
                model.decision(guardian, student, PROCESSING) or "none"
            )
            for channel in ALL_SCOPES:
                verdict = rules.channel_open(
                    guardian_id=guardian, student_id=student, channel=channel
                )
                assert (verdict.open, verdict.reason) == model.verdict(guardian, student, channel)
                assert bool(verdict) is verdict.open
    for channel in ALL_SCOPES:
        assert rules.open_pairs(guardian_ids, channel) == {
            (g, s)
            for g in guardian_ids
            for s in model.children_with_history(g)
            if model.verdict(g, s, channel)[0]
        }
    for guardian in guardian_ids:
        records = list(
            ConsentRecord.objects.filter(guardian_id=guardian)
            .order_by("recorded_at", "id")
            .values_list("id", flat=True)
        )
        assert records == model.records.get(guardian, [])
        assert FamilyDataChange.objects.filter(guardian_id=guardian).count() == len(records)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=STEPS)
def test_the_state_in_force_is_the_replay_of_the_history(family: Family, steps: list) -> None:
    """Any sequence of consents, refusals and withdrawals: the derived state equals the
    model's replay, refused calls leave nothing behind, and every refusal or withdrawal
    sends ``consent_closed`` once."""
    signals: list[dict] = []

    def closed(sender, **kwargs):
        signals.append(kwargs)

    consent_closed.connect(closed, dispatch_uid="test-consent-rules")
    try:
        with transaction.atomic():
            text = current_text()  # a deployment may start with a published text
            model = Model(kin=family.kin(), published=text.version if text else None)
            for step in steps:
                if step == "publish":
                    model.published = publish()
                    continue
                outcome, detail = model.expect(family.by_pk(step))
                if outcome == "error":
                    with pytest.raises(ValidationError) as error:
                        call(family, step)
                    assert error.value.code == detail, step
                    assert error.value.messages and all(error.value.messages)
                elif outcome == "noop":
                    assert call(family, step) is None, step
                else:
                    record = call(family, step)
                    assert record is not None, step
                    assert record.scopes == detail["scopes"]
                    assert sorted(record.students.values_list("pk", flat=True)) == sorted(
                        {student for student, _ in detail["keys"]}
                    )
                    model.apply(family.by_pk(step), record.pk, detail)
                check_derived_state(family, model)
            assert len(signals) == model.closed_signals
            transaction.set_rollback(True)
    finally:
        consent_closed.disconnect(dispatch_uid="test-consent-rules")


# --- A few sequences spelled out ----------------------------------------------------------


def replay(family: Family, *ops: Op) -> list:
    return [call(family, op) for op in ops]


def test_refusing_the_processing_closes_a_channel_given_before(family: Family) -> None:
    """Given SMS, then the processing refused: SMS is closed with the refusal of the
    processing as the reason; giving e-mail later opens e-mail only, SMS stays closed."""
    mother, child = family.guardians[0].pk, family.students[0].pk
    replay(
        family,
        Op(0, (0,), GIVEN, (SMS,), False),
        Op(0, (0,), REFUSED, (PROCESSING,), False),
    )
    verdict = rules.channel_open(guardian_id=mother, student_id=child, channel=SMS)
    assert (verdict.open, verdict.reason) == (False, NO_PROCESSING[REFUSED])
    replay(family, Op(0, (0,), GIVEN, (EMAIL,), False))
    assert rules.open_channels(mother) == {child: {EMAIL}}
    verdict = rules.channel_open(guardian_id=mother, student_id=child, channel=SMS)
    assert (verdict.open, verdict.reason) == (False, NO_CHANNEL[REFUSED])


def test_a_second_given_changes_nothing_until_a_new_text_is_published(family: Family) -> None:
    """An electronic consent repeated on the same text version is not recorded again; once
    a new version is published, the guardian is asked again and the new answer recorded."""
    publish()
    cabinet = Op(0, (0,), GIVEN, (CABINET,), True)
    first, again = replay(family, cabinet, cabinet)
    assert first is not None and again is None
    version = publish()
    [renewed] = replay(family, cabinet)
    assert renewed is not None
    states = rules.history_states(family.guardians[0].pk)[family.students[0].pk]
    assert {scope: s.text_version for scope, s in states.items()} == {
        PROCESSING: version,
        CABINET: version,
    }


def test_one_guardians_history_does_not_open_anything_for_the_other(family: Family) -> None:
    """Mother and father of the same child decide each for themselves."""
    replay(family, Op(0, (0, 1), GIVEN, (CABINET, SMS), False))
    father = family.guardians[1].pk
    assert rules.history_states(father) == {}
    assert rules.open_pairs([g.pk for g in family.guardians], CABINET) == {
        (family.guardians[0].pk, family.students[0].pk),
        (family.guardians[0].pk, family.students[1].pk),
    }
    verdict = rules.channel_open(
        guardian_id=father, student_id=family.students[0].pk, channel=CABINET
    )
    assert (verdict.open, verdict.reason) == (False, NO_PROCESSING[None])

"""The rule: the cabinet, e-mail and SMS are open to a guardian for a child only while a
consent covering that channel (and the processing itself) is in force.

Every channel calls ``channel_open`` (or its bulk form ``open_channels``); nothing else
decides it. The state is derived from the append-only history, newest record per scope.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import CHANNEL_SCOPES, ConsentRecord, Decision, Scope

REASONS = {
    None: _("нет согласия на обработку персональных данных"),
    Decision.REFUSED: _("родитель отказался от обработки персональных данных"),
    Decision.WITHDRAWN: _("родитель отозвал согласие на обработку персональных данных"),
}
CHANNEL_REASONS = {
    None: _("нет согласия на этот канал"),
    Decision.REFUSED: _("родитель отказался от этого канала"),
    Decision.WITHDRAWN: _("родитель отозвал согласие на этот канал"),
}


@dataclass(frozen=True)
class ScopeState:
    decision: str | None
    record_id: int | None = None
    text_version: int | None = None


@dataclass(frozen=True)
class Verdict:
    open: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.open


def families_states(guardian_ids: list[int]) -> dict[tuple[int, int], dict[str, ScopeState]]:
    """{(guardian id, student id): {scope: state}} for many families in one query: the
    newest record touching a scope wins."""
    return _states(Q(consentrecord__guardian_id__in=guardian_ids))


def _states(where: Q) -> dict[tuple[int, int], dict[str, ScopeState]]:
    rows = (
        ConsentRecord.students.through.objects.filter(where)
        .order_by("consentrecord__recorded_at", "consentrecord_id")
        .values_list(
            "consentrecord__guardian_id",
            "student_id",
            "consentrecord_id",
            "consentrecord__decision",
            "consentrecord__scopes",
            "consentrecord__text__version",
        )
    )
    states: dict[tuple[int, int], dict[str, ScopeState]] = defaultdict(dict)
    for guardian_id, student_id, record_id, decision, scopes, version in rows:
        for scope in scopes:
            states[(guardian_id, student_id)][scope] = ScopeState(decision, record_id, version)
    return states


def history_states(guardian_id: int) -> dict[int, dict[str, ScopeState]]:
    """{student id: {scope: state}} for every child the guardian ever decided about."""
    return {student: state for (_, student), state in families_states([guardian_id]).items()}


def _verdict(states: dict[str, ScopeState], channel: str) -> Verdict:
    processing = states.get(Scope.PROCESSING, ScopeState(None))
    if processing.decision != Decision.GIVEN:
        return Verdict(False, str(REASONS[processing.decision]))
    if channel == Scope.PROCESSING:
        return Verdict(True)
    state = states.get(channel, ScopeState(None))
    if state.decision != Decision.GIVEN:
        return Verdict(False, str(CHANNEL_REASONS[state.decision]))
    return Verdict(True)


def verdict(states: dict[str, ScopeState], channel: str) -> Verdict:
    """The rule itself, for one child's derived states (see ``history_states``)."""
    return _verdict(states, channel)


def channel_open(*, guardian_id: int, student_id: int, channel: str) -> Verdict:
    """May this guardian get this child's data through ``channel`` right now?"""
    return _verdict(history_states(guardian_id).get(student_id, {}), channel)


def open_channels(guardian_id: int) -> dict[int, set[str]]:
    """{student id: the channels open for that child}: one query for a whole family."""
    result = {}
    for student_id, states in history_states(guardian_id).items():
        result[student_id] = {c for c in CHANNEL_SCOPES if _verdict(states, c)}
    return result


def open_pairs(guardian_ids: list[int], channel: str) -> set[tuple[int, int]]:
    """(guardian, student) pairs for which ``channel`` is open: ``channel_open`` for many
    families in one query (e-mail digests)."""
    return {
        pair for pair, states in families_states(guardian_ids).items() if _verdict(states, channel)
    }


def children_with_cabinet(guardian_id: int) -> set[int]:
    return {s for s, channels in open_channels(guardian_id).items() if Scope.CABINET in channels}


def cabinet_open_for(*, guardian_id: int | None, student_id: int | None) -> frozenset[int]:
    """The children whose cabinet is open to this person, in one query: a guardian's
    children with consent to the cabinet in force; a student themselves, when one of the
    guardians linked to them has given it (the law lets parents decide for a minor)."""
    where = Q(pk__in=[])
    if guardian_id is not None:
        where |= Q(consentrecord__guardian_id=guardian_id)
    if student_id is not None:
        where |= Q(
            student_id=student_id,
            consentrecord__guardian__kinships__student_id=student_id,
        )
    open_ids = set()
    for (guardian, student), states in _states(where).items():
        if _verdict(states, Scope.CABINET) and (guardian == guardian_id or student == student_id):
            open_ids.add(student)
    return frozenset(open_ids)


def family_status(states: dict[str, ScopeState]) -> str:
    """given / refused / withdrawn / none: how the secretary's list shows a family."""
    decision = states.get(Scope.PROCESSING, ScopeState(None)).decision
    return decision or "none"

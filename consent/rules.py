"""The rule: the cabinet, e-mail and SMS are open to a guardian for a child only while a
consent covering that channel (and the processing itself) is in force.

Every channel calls ``channel_open`` (or its bulk form ``open_channels``); nothing else
decides it. The state is derived from the append-only history, newest record per scope.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .models import CHANNEL_SCOPES, ConsentRecord, Decision, Scope

REASONS = {
    None: "нет согласия на обработку персональных данных",
    Decision.REFUSED: "родитель отказался от обработки персональных данных",
    Decision.WITHDRAWN: "родитель отозвал согласие на обработку персональных данных",
}
CHANNEL_REASONS = {
    None: "нет согласия на этот канал",
    Decision.REFUSED: "родитель отказался от этого канала",
    Decision.WITHDRAWN: "родитель отозвал согласие на этот канал",
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
    rows = (
        ConsentRecord.students.through.objects.filter(consentrecord__guardian_id__in=guardian_ids)
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
        return Verdict(False, _(REASONS[processing.decision]))
    if channel == Scope.PROCESSING:
        return Verdict(True)
    state = states.get(channel, ScopeState(None))
    if state.decision != Decision.GIVEN:
        return Verdict(False, _(CHANNEL_REASONS[state.decision]))
    return Verdict(True)


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


def family_status(states: dict[str, ScopeState]) -> str:
    """given / refused / withdrawn / none: how the secretary's list shows a family."""
    decision = states.get(Scope.PROCESSING, ScopeState(None)).decision
    return decision or "none"

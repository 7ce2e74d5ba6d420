"""The guardian's own consent: which children still wait for a decision (the first-login
screen), and what the settings page shows per child and channel."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

from school.models import Guardian, Student

from .models import CHANNEL_SCOPES, ConsentRecord, ConsentText, Decision, Scope
from .rules import ScopeState, history_states, verdict
from .services import current_text

TEXT_VERSION_CACHE = "consent:current-text-version"


def current_version() -> int | None:
    """The published text's version, cached for a minute (asked on every guardian's first
    request of a session); publishing a new version clears it."""
    version = cache.get(TEXT_VERSION_CACHE)
    if version is None:
        text = current_text()
        version = text.version if text else 0
        cache.set(TEXT_VERSION_CACHE, version, 60)
    return version or None


def _forget_version(**kwargs) -> None:
    cache.delete(TEXT_VERSION_CACHE)


post_save.connect(_forget_version, sender=ConsentText, dispatch_uid="consent.text_version")
post_delete.connect(_forget_version, sender=ConsentText, dispatch_uid="consent.text_version_del")


def _waits(state: ScopeState | None, version: int | None) -> bool:
    """A child waits for the guardian's decision when none was ever made, or when the
    consent in force was given to an older text in the cabinet (a new version asks again;
    a paper statement stays valid until the family writes another)."""
    if state is None or state.decision is None:
        return True
    return (
        state.decision == Decision.GIVEN
        and version is not None
        and state.text_version is not None
        and state.text_version < version
    )


def pending_children(guardian_id: int) -> list[int]:
    """Children the first-login screen must ask about. Two queries."""
    version = current_version()
    states = history_states(guardian_id)
    linked = Student.objects.filter(kinships__guardian_id=guardian_id).values_list("pk", flat=True)
    return [
        student_id
        for student_id in linked
        if _waits(states.get(student_id, {}).get(Scope.PROCESSING), version)
    ]


@dataclass(frozen=True)
class ChannelState:
    scope: str
    label: str
    decision: str | None
    open: bool
    reason: str


@dataclass(frozen=True)
class ChildState:
    student: Student
    processing: str | None
    channels: list[ChannelState]

    @property
    def cabinet_open(self) -> bool:
        return any(c.open for c in self.channels if c.scope == Scope.CABINET)


def family_states(guardian: Guardian, children: list[Student]) -> list[ChildState]:
    states = history_states(guardian.pk)
    result = []
    for child in children:
        child_states = states.get(child.pk, {})
        channels = []
        for scope in CHANNEL_SCOPES:
            answer = verdict(child_states, scope)
            state = child_states.get(scope)
            channels.append(
                ChannelState(
                    scope=scope,
                    label=str(Scope(scope).label),
                    decision=state.decision if state else None,
                    open=answer.open,
                    reason=answer.reason,
                )
            )
        processing = child_states.get(Scope.PROCESSING)
        result.append(ChildState(child, processing.decision if processing else None, channels))
    return result


def history(guardian: Guardian) -> list[ConsentRecord]:
    return list(
        guardian.consent_records.select_related("recorded_by", "text")
        .prefetch_related("students")
        .order_by("-recorded_at", "-id")
    )

"""Keeps the diary in step with the journal, inside the journal's own transaction."""

from __future__ import annotations

from typing import Any

from . import services


def on_entry_changed(sender: Any, *, kind: str, action: str, instance: Any, **kwargs: Any) -> None:
    services.apply_change(kind=kind, action=action, source_id=instance.pk)


def on_enrolment_changed(
    sender: Any, *, school_id: int, student_ids: list[int], **kwargs: Any
) -> None:
    services.rebuild(school_id, set(student_ids))


def on_absence_reason_requested(sender: Any, *, student_id: int, date: Any, **kwargs: Any) -> str:
    """The reason the family gave ahead for an absence on ``date``, or "" (an answer to the
    journal's ``absence_reason`` question; a read, nothing is written here)."""
    from . import selectors

    report = selectors.reported_absence(student_id, date)
    return services.absence_reason(report) if report is not None else ""

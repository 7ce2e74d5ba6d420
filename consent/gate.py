"""The consent rule applied to the cabinet: ``school.access`` asks the gate which children a
guardian (or a student) may see as family; a refusal or withdrawal ends the guardian's open
sessions at once."""

from __future__ import annotations

from school.access import Viewer
from school.models import Guardian

from .models import Scope
from .rules import cabinet_open_for

CLOSING_SCOPES = {Scope.PROCESSING, Scope.CABINET}


def family_gate(viewer: Viewer) -> frozenset[int]:
    return cabinet_open_for(guardian_id=viewer.guardian_id, student_id=viewer.student_id)


def end_sessions_on_closed_cabinet(
    sender, *, guardian_id: int, scopes: list[str], **kwargs
) -> None:
    """Refusing or withdrawing the processing or the cabinet ends the guardian's sessions
    (the other channels, e-mail and SMS, do not concern the cabinet)."""
    if not CLOSING_SCOPES.intersection(scopes):
        return
    guardian = Guardian.objects.select_related("user").filter(pk=guardian_id).first()
    if guardian is not None and guardian.user is not None:
        guardian.user.end_sessions()

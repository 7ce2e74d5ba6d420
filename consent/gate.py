"""The consent rule applied to the cabinet: ``school.access`` asks the gate which children a
guardian (or a student) may see as family. (A refusal or withdrawal ending the guardian's
open sessions is part of ``consent.services.register_consent``.)"""

from __future__ import annotations

from school.access import Viewer

from .rules import cabinet_open_for


def family_gate(viewer: Viewer) -> frozenset[int]:
    return cabinet_open_for(guardian_id=viewer.guardian_id, student_id=viewer.student_id)

"""Edit mode: what a page lets this person change now. One decision for the journal grid
and the lesson page, built on the same predicates and the same closed-period rule as the
write guard (``journal.services.common.guard_lesson_write``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from journal.services.common import locked_period_on
from school import access
from school.models import Period, SchoolClass, User


@dataclass(frozen=True)
class EditMode:
    editing: bool  # the forms and cells are live
    can_switch: bool  # «Исправить» may be asked for (the leadership, the director if closed)
    locked_by: Period | None

    @property
    def needs_reason(self) -> bool:
        return self.editing and self.locked_by is not None


def edit_mode(
    user: User,
    school_class: SchoolClass,
    day: dt.date,
    *,
    may_edit: bool,
    own: bool,
    edit_requested: bool,
    active: bool = True,
) -> EditMode:
    """``may_edit``: the right to write (``journal.access``); ``own``: the person teaches it
    (their pages open in edit mode, the leadership's only on request); ``day``: the date
    whose period decides. A closed period: the director only, on request, with a reason."""
    locked_by = locked_period_on(school_class, day)
    if not (may_edit and active):
        return EditMode(editing=False, can_switch=False, locked_by=locked_by)
    if locked_by is not None:
        director = access.can_close_period(user, school_class.school_id)
        return EditMode(
            editing=director and edit_requested, can_switch=director, locked_by=locked_by
        )
    if own:
        return EditMode(editing=True, can_switch=False, locked_by=None)
    return EditMode(editing=edit_requested, can_switch=True, locked_by=None)

"""Writes to the roster. Each service is atomic, validates and raises ``ValidationError``
with a Russian message, records a ``RosterChange`` and sends ``enrolment_changed`` so the
diary follows the student; views, admin actions and commands call these, not ``.save()``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .models import (
    Enrolment,
    GroupMembership,
    RosterAction,
    RosterChange,
    RosterKind,
    SchoolClass,
    Student,
    User,
)
from .signals import enrolment_changed

MSG_SAME_CLASS = _("%(student)s уже учится в классе %(cls)s.")
MSG_TRANSFER_BEFORE_START = _(
    "Перевод возможен не раньше %(date)s: в этот день обучающийся зачислен в текущий класс."
)
MSG_OTHER_SCHOOL = _("Класс %(cls)s относится к другой школе.")

Row = Enrolment | GroupMembership


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _snapshot(row: Row) -> dict[str, Any]:
    """What the audit keeps of a row: enough to read the history without the row."""
    data: dict[str, Any] = {
        "student": row.student_id,
        "start": _iso(row.start),
        "end": _iso(row.end),
    }
    if isinstance(row, Enrolment):
        data |= {"school_class": row.school_class_id, "class": row.school_class.name}
    else:
        data |= {"group": row.group_id, "group_name": str(row.group)}
    return data


def _kind(row: Row) -> str:
    return RosterKind.ENROLMENT if isinstance(row, Enrolment) else RosterKind.GROUP_MEMBERSHIP


def _lock_students(student_ids: Iterable[int]) -> None:
    list(Student.objects.select_for_update().filter(pk__in=set(student_ids)).order_by("pk"))


def _roster_changed(*, school_id: int, student_ids: Iterable[int]) -> None:
    enrolment_changed.send(sender=Enrolment, school_id=school_id, student_ids=sorted(student_ids))


def _save_row(row: Row, *, actor: User, reason: str) -> Row:
    model = type(row)
    with transaction.atomic():
        before = model.objects.filter(pk=row.pk).first() if row.pk else None
        student_ids = {row.student_id} | ({before.student_id} if before else set())
        _lock_students(student_ids)
        row.full_clean()
        row.save()
        RosterChange.objects.create(
            school_id=row.student.school_id,
            actor=actor,
            kind=_kind(row),
            action=RosterAction.UPDATE if before else RosterAction.CREATE,
            object_id=row.pk,
            student_id=row.student_id,
            old=_snapshot(before) if before else None,
            new=_snapshot(row),
            reason=reason,
        )
        _roster_changed(school_id=row.student.school_id, student_ids=student_ids)
    return row


def _delete_row(row: Row, *, actor: User, reason: str) -> None:
    with transaction.atomic():
        _lock_students([row.student_id])
        old, pk = _snapshot(row), row.pk
        row.delete()
        RosterChange.objects.create(
            school_id=row.student.school_id,
            actor=actor,
            kind=_kind(row),
            action=RosterAction.DELETE,
            object_id=pk,
            student_id=row.student_id,
            old=old,
            reason=reason,
        )
        _roster_changed(school_id=row.student.school_id, student_ids=[row.student_id])


def save_enrolment(*, enrolment: Enrolment, actor: User, reason: str = "") -> Enrolment:
    """Add or change an enrolment (a correction of dates or class, not a transfer)."""
    return _save_row(enrolment, actor=actor, reason=reason)


def delete_enrolment(*, enrolment: Enrolment, actor: User, reason: str = "") -> None:
    _delete_row(enrolment, actor=actor, reason=reason)


def save_group_membership(
    *, membership: GroupMembership, actor: User, reason: str = ""
) -> GroupMembership:
    return _save_row(membership, actor=actor, reason=reason)


def delete_group_membership(*, membership: GroupMembership, actor: User, reason: str = "") -> None:
    _delete_row(membership, actor=actor, reason=reason)


def _leave_groups(
    *, student: Student, school_class: SchoolClass, on_date: dt.date, actor: User, reason: str
) -> None:
    """End the student's memberships of ``school_class``'s groups the day before
    ``on_date`` (a membership starting on or after it goes), each with its audit row."""
    memberships = (
        GroupMembership.objects.filter(student=student, group__school_class=school_class)
        .overlapping(on_date, None)
        .select_related("group__subject")
    )
    for membership in memberships:
        old = _snapshot(membership)
        if membership.start >= on_date:
            pk = membership.pk
            membership.delete()
            action, new = RosterAction.DELETE, None
        else:
            membership.end = on_date - dt.timedelta(days=1)
            membership.save(update_fields=["end", "updated_at"])
            pk, action, new = membership.pk, RosterAction.UPDATE, _snapshot(membership)
        RosterChange.objects.create(
            school_id=student.school_id,
            actor=actor,
            kind=RosterKind.GROUP_MEMBERSHIP,
            action=action,
            object_id=pk,
            student_id=student.pk,
            old=old,
            new=new,
            reason=reason,
        )


def transfer_student(
    *, student: Student, to_class: SchoolClass, on_date: dt.date, actor: User, reason: str = ""
) -> Enrolment:
    """Move ``student`` to ``to_class`` from ``on_date``: the current enrolment ends the day
    before, so marks already given stay with the old class, and so do the student's groups
    of the old class (a membership that would only begin in it is removed)."""
    with transaction.atomic():
        _lock_students([student.pk])
        if to_class.school_id != student.school_id:
            raise ValidationError(MSG_OTHER_SCHOOL, params={"cls": to_class.name})
        current = student.enrolments.select_related("school_class").in_force(on_date).first()
        old = None
        if current is not None:
            if current.school_class_id == to_class.pk:
                raise ValidationError(
                    MSG_SAME_CLASS, params={"student": student.short_name, "cls": to_class.name}
                )
            if current.start >= on_date:
                raise ValidationError(
                    MSG_TRANSFER_BEFORE_START,
                    params={"date": (current.start + dt.timedelta(days=1)).strftime("%d.%m.%Y")},
                )
            old = _snapshot(current) | {"enrolment": current.pk}
            current.end = on_date - dt.timedelta(days=1)
            current.save(update_fields=["end", "updated_at"])
            _leave_groups(
                student=student,
                school_class=current.school_class,
                on_date=on_date,
                actor=actor,
                reason=reason,
            )
        enrolment = Enrolment(student=student, school_class=to_class, start=on_date)
        enrolment.full_clean()
        enrolment.save()
        RosterChange.objects.create(
            school_id=student.school_id,
            actor=actor,
            kind=RosterKind.ENROLMENT,
            action=RosterAction.TRANSFER,
            object_id=enrolment.pk,
            student_id=student.pk,
            old=old,
            new=_snapshot(enrolment) | {"previous_end": _iso(current.end if current else None)},
            reason=reason,
        )
        _roster_changed(school_id=student.school_id, student_ids=[student.pk])
    return enrolment

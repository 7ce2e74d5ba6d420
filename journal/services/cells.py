"""Marks and attendance: the cells of the journal grid.

Every write locks the lesson row, so two saves in one lesson are serialised and the rule
«no mark beside an absence» cannot be broken by a race. Every row carries a ``version``;
a caller passes the version it saw (0 for an empty cell) and gets ``Conflict`` instead of
overwriting a newer value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from journal.models import (
    ABSENCE_CODES,
    DEFAULT_WORK_TYPE_FOR_LESSON,
    Attendance,
    AttendanceCode,
    ChangeAction,
    ChangeKind,
    Lesson,
    Mark,
    MarkColumn,
    WorkType,
)
from school.models import Student, User

from .common import (
    Conflict,
    check_marks_allowed,
    check_student_in_lesson,
    guard_lesson_write,
    journal_changed,
    known_absence_reason,
)
from .work_types import work_type_for

MSG_BAD_VALUE = _("Отметка — целое число от %(low)s до 5.")
MSG_NO_ONE = _("Отметка «1» в этой школе не используется: ставьте от 2 до 5.")
MSG_MARK_WHEN_ABSENT = _(
    "%(student)s отмечен(а) на этом уроке как «%(code)s»: отсутствующему отметку не ставят. "
    "Сначала снимите отметку о пропуске."
)
MSG_ABSENT_WITH_MARK = _(
    "У %(student)s есть отметка за этот урок: отсутствующим его отметить нельзя. "
    "Сначала удалите отметку."
)
MSG_BAD_CELL = _(
    "Не понятно, что ввести: наберите отметку (%(low)s–5) или букву пропуска (н, б, у, о)."
)
MSG_NO_COLUMN = _("В этом уроке нет колонки отметок № %(position)s.")


@dataclass(frozen=True)
class CellState:
    """What one grid cell (a lesson column × a student) shows after a save."""

    mark_value: int | None
    mark_version: int
    attendance_code: str | None
    attendance_version: int

    @property
    def text(self) -> str:
        if self.mark_value is not None:
            return str(self.mark_value)
        return self.attendance_code or ""


def _mark_snapshot(mark: Mark) -> dict:
    return {
        "value": mark.value,
        "column": mark.column.position,
        "work_type": mark.column.work_type.name,
        "weight": mark.column.effective_weight,
        "comment": mark.comment,
    }


def _attendance_snapshot(attendance: Attendance) -> dict:
    return {"code": attendance.code, "reason": attendance.reason}


def _lock_lesson(lesson_id: int) -> Lesson:
    return (
        Lesson.objects.select_for_update(of=("self",))
        .select_related("school_class", "school_class__school", "subject", "group")
        .get(pk=lesson_id)
    )


def outside_scale_message(scale: tuple[int, ...]) -> str:
    """What a typed mark outside the school's scale is told (the grid says it at once)."""
    return str(MSG_BAD_VALUE % {"low": min(scale)})


def _lowest_mark(lesson: Lesson) -> int:
    return min(lesson.school_class.school.mark_scale)


def _validate_value(lesson: Lesson, value: int) -> None:
    """A lesson mark is one of the school's scale (``School.mark_scale``)."""
    scale = lesson.school_class.school.mark_scale
    if isinstance(value, int) and value in scale:
        return
    if value == 1:
        raise ValidationError(MSG_NO_ONE, code="bad_value")
    raise ValidationError(MSG_BAD_VALUE, code="bad_value", params={"low": min(scale)})


def column_for(lesson: Lesson, position: int = 1, *, create: bool = True) -> MarkColumn:
    """The lesson's mark column ``position``; the first is made on demand with the work
    type that the lesson type implies (a test lesson's marks weigh as a test)."""
    column = (
        MarkColumn.objects.select_related("work_type")
        .filter(lesson=lesson, position=position)
        .first()
    )
    if column is not None:
        return column
    if not create or position != 1:
        raise ValidationError(MSG_NO_COLUMN, code="no_column", params={"position": position})
    work_type = work_type_for(lesson.school_id, DEFAULT_WORK_TYPE_FOR_LESSON[lesson.lesson_type])
    column, _ = MarkColumn.objects.get_or_create(
        lesson=lesson, position=1, defaults={"work_type": work_type}
    )
    return column


def add_mark_column(
    *,
    actor: User,
    lesson: Lesson,
    work_type: WorkType,
    weight: int | None = None,
    title: str = "",
    reason: str = "",
) -> MarkColumn:
    """Another column of marks in a lesson (homework, the second mark of a dictation)."""
    with transaction.atomic():
        lesson = _lock_lesson(lesson.pk)
        guard_lesson_write(actor, lesson, reason=reason)
        column_for(lesson, 1)
        last = lesson.columns.order_by("-position").values_list("position", flat=True).first()
        column = MarkColumn(
            lesson=lesson, position=(last or 0) + 1, work_type=work_type, weight=weight, title=title
        )
        column.full_clean()
        column.save()
        journal_changed(
            actor=actor,
            instance=lesson,
            kind=ChangeKind.LESSON,
            action=ChangeAction.UPDATE,
            school_id=lesson.school_id,
            old=None,
            new={
                "column": column.position,
                "work_type": work_type.name,
                "weight": column.effective_weight,
            },
            lesson_id=lesson.pk,
        )
    return column


def _check_mark_rules(user: User, lesson: Lesson, student: Student, reason: str) -> None:
    guard_lesson_write(user, lesson, reason=reason, window=True)
    check_student_in_lesson(student, lesson)
    check_marks_allowed(user, lesson)


def _absence(lesson: Lesson, student: Student) -> Attendance | None:
    return Attendance.objects.filter(lesson=lesson, student=student, code__in=ABSENCE_CODES).first()


def record_mark(
    *,
    actor: User,
    lesson: Lesson,
    student: Student,
    value: int,
    position: int = 1,
    comment: str = "",
    reason: str = "",
) -> Mark:
    """A new mark in an empty cell. An occupied cell is a conflict: use ``correct_mark``."""
    with transaction.atomic():
        lesson = _lock_lesson(lesson.pk)
        _check_mark_rules(actor, lesson, student, reason)
        _validate_value(lesson, value)
        absence = _absence(lesson, student)
        if absence is not None:
            raise ValidationError(
                MSG_MARK_WHEN_ABSENT,
                code="absent",
                params={"student": student.short_name, "code": absence.code},
            )
        column = column_for(lesson, position)
        mark = Mark(
            school_id=lesson.school_id,
            lesson=lesson,
            column=column,
            student=student,
            value=value,
            comment=comment,
            created_by=actor,
            updated_by=actor,
        )
        try:
            with transaction.atomic():
                mark.save()
        except IntegrityError as error:
            current = Mark.objects.filter(column=column, student=student).first()
            raise Conflict(str(current.value) if current else "") from error
        journal_changed(
            actor=actor,
            instance=mark,
            kind=ChangeKind.MARK,
            action=ChangeAction.CREATE,
            school_id=lesson.school_id,
            old=None,
            new=_mark_snapshot(mark),
            lesson_id=lesson.pk,
            student_id=student.pk,
            column_id=column.pk,
            reason=reason,
            student_ids=[student.pk],
        )
    return mark


def _locked_mark(mark_id: int, expected_version: int) -> Mark:
    mark = (
        Mark.objects.select_for_update(of=("self",))
        .select_related("column", "column__work_type", "student")
        .filter(pk=mark_id)
        .first()
    )
    if mark is None:
        raise Conflict("")
    if mark.version != expected_version:
        raise Conflict(str(mark.value))
    return mark


def correct_mark(
    *,
    actor: User,
    mark: Mark,
    value: int,
    expected_version: int,
    comment: str | None = None,
    reason: str = "",
) -> Mark:
    """Change a mark's value (and comment). The old value stays in the history."""
    with transaction.atomic():
        lesson = _lock_lesson(mark.lesson_id)
        mark = _locked_mark(mark.pk, expected_version)
        _check_mark_rules(actor, lesson, mark.student, reason)
        _validate_value(lesson, value)
        old = _mark_snapshot(mark)
        if value == mark.value and (comment is None or comment == mark.comment):
            return mark
        mark.value = value
        if comment is not None:
            mark.comment = comment
        mark.updated_by = actor
        mark.version += 1
        mark.save(update_fields=["value", "comment", "updated_by", "version", "updated_at"])
        journal_changed(
            actor=actor,
            instance=mark,
            kind=ChangeKind.MARK,
            action=ChangeAction.UPDATE,
            school_id=lesson.school_id,
            old=old,
            new=_mark_snapshot(mark),
            lesson_id=lesson.pk,
            student_id=mark.student_id,
            column_id=mark.column_id,
            reason=reason,
            student_ids=[mark.student_id],
        )
    return mark


def delete_mark(*, actor: User, mark: Mark, expected_version: int, reason: str = "") -> None:
    with transaction.atomic():
        lesson = _lock_lesson(mark.lesson_id)
        mark = _locked_mark(mark.pk, expected_version)
        _check_mark_rules(actor, lesson, mark.student, reason)
        old = _mark_snapshot(mark)
        mark_id = mark.pk
        mark.delete()
        mark.pk = mark_id
        journal_changed(
            actor=actor,
            instance=mark,
            kind=ChangeKind.MARK,
            action=ChangeAction.DELETE,
            school_id=lesson.school_id,
            old=old,
            new=None,
            lesson_id=lesson.pk,
            student_id=mark.student_id,
            column_id=mark.column_id,
            reason=reason,
            student_ids=[mark.student_id],
        )


def _check_attendance_rules(user: User, lesson: Lesson, student: Student, reason: str) -> None:
    guard_lesson_write(user, lesson, reason=reason)
    check_student_in_lesson(student, lesson)


def set_attendance(
    *,
    actor: User,
    lesson: Lesson,
    student: Student,
    code: str,
    expected_version: int,
    note: str = "",
    reason: str = "",
) -> Attendance:
    """Mark a student absent (н, б, у) or late (о) at a lesson, or change the code."""
    if code not in AttendanceCode.values:
        raise ValidationError(MSG_BAD_CELL, code="bad_value", params={"low": 2})
    with transaction.atomic():
        lesson = _lock_lesson(lesson.pk)
        _check_attendance_rules(actor, lesson, student, reason)
        attendance = (
            Attendance.objects.select_for_update().filter(lesson=lesson, student=student).first()
        )
        current_version = attendance.version if attendance else 0
        if current_version != expected_version:
            raise Conflict(attendance.code if attendance else "")
        if code in ABSENCE_CODES and Mark.objects.filter(lesson=lesson, student=student).exists():
            raise ValidationError(
                MSG_ABSENT_WITH_MARK, code="has_mark", params={"student": student.short_name}
            )
        if attendance is None:
            attendance = Attendance.objects.create(
                school_id=lesson.school_id,
                lesson=lesson,
                student=student,
                code=code,
                reason=note
                or (known_absence_reason(student.pk, lesson.date) if code in ABSENCE_CODES else ""),
                created_by=actor,
                updated_by=actor,
            )
            action, old = ChangeAction.CREATE, None
        else:
            if attendance.code == code and attendance.reason == (note or attendance.reason):
                return attendance
            old = _attendance_snapshot(attendance)
            attendance.code = code
            attendance.reason = note or attendance.reason
            attendance.updated_by = actor
            attendance.version += 1
            attendance.save(update_fields=["code", "reason", "updated_by", "version", "updated_at"])
            action = ChangeAction.UPDATE
        journal_changed(
            actor=actor,
            instance=attendance,
            kind=ChangeKind.ATTENDANCE,
            action=action,
            school_id=lesson.school_id,
            old=old,
            new=_attendance_snapshot(attendance),
            lesson_id=lesson.pk,
            student_id=student.pk,
            reason=reason,
            student_ids=[student.pk],
        )
    return attendance


def clear_attendance(
    *, actor: User, attendance: Attendance, expected_version: int, reason: str = ""
) -> None:
    with transaction.atomic():
        lesson = _lock_lesson(attendance.lesson_id)
        current = Attendance.objects.select_for_update().filter(pk=attendance.pk).first()
        if current is None or current.version != expected_version:
            raise Conflict(current.code if current else "")
        _check_attendance_rules(actor, lesson, current.student, reason)
        old = _attendance_snapshot(current)
        attendance_id = current.pk
        current.delete()
        current.pk = attendance_id
        journal_changed(
            actor=actor,
            instance=current,
            kind=ChangeKind.ATTENDANCE,
            action=ChangeAction.DELETE,
            school_id=lesson.school_id,
            old=old,
            new=None,
            lesson_id=lesson.pk,
            student_id=current.student_id,
            reason=reason,
            student_ids=[current.student_id],
        )


def cell_state(lesson: Lesson, position: int, student: Student) -> CellState:
    mark = Mark.objects.filter(lesson=lesson, column__position=position, student=student).first()
    attendance = Attendance.objects.filter(lesson=lesson, student=student).first()
    return CellState(
        mark_value=mark.value if mark else None,
        mark_version=mark.version if mark else 0,
        attendance_code=attendance.code if attendance else None,
        attendance_version=attendance.version if attendance else 0,
    )


def set_cell(
    *,
    actor: User,
    lesson: Lesson,
    position: int,
    student: Student,
    text: str,
    mark_version: int,
    attendance_version: int,
    reason: str = "",
) -> CellState:
    """What typing into a grid cell does: a digit records or corrects the mark in that
    column, an attendance letter sets the lesson's attendance, an empty text clears the
    cell (its mark, else the attendance). Versions are what the page showed."""
    text = text.strip().lower()
    with transaction.atomic():
        mark = Mark.objects.filter(
            lesson=lesson, column__position=position, student=student
        ).first()
        attendance = Attendance.objects.filter(lesson=lesson, student=student).first()
        if re.fullmatch(r"[0-9]", text):
            value = int(text)
            if mark is None:
                if mark_version:
                    raise Conflict("")
                record_mark(
                    actor=actor,
                    lesson=lesson,
                    student=student,
                    value=value,
                    position=position,
                    reason=reason,
                )
            else:
                correct_mark(
                    actor=actor,
                    mark=mark,
                    value=value,
                    expected_version=mark_version,
                    reason=reason,
                )
        elif text in AttendanceCode.values:
            set_attendance(
                actor=actor,
                lesson=lesson,
                student=student,
                code=text,
                expected_version=attendance_version,
                reason=reason,
            )
        elif text == "":
            if mark is not None or mark_version:
                if mark is None:
                    raise Conflict("")
                delete_mark(actor=actor, mark=mark, expected_version=mark_version, reason=reason)
            elif attendance is not None or attendance_version:
                if attendance is None:
                    raise Conflict("")
                clear_attendance(
                    actor=actor,
                    attendance=attendance,
                    expected_version=attendance_version,
                    reason=reason,
                )
        else:
            raise ValidationError(
                MSG_BAD_CELL, code="bad_value", params={"low": _lowest_mark(lesson)}
            )
        return cell_state(lesson, position, student)

"""Writes to the diary projection: applying one journal change, or rebuilding."""

from __future__ import annotations

from django.db import transaction

from journal.models import ChangeKind

from . import projection
from .models import DiaryEntry, EntryKind

KIND_OF_CHANGE = {
    ChangeKind.MARK: EntryKind.MARK,
    ChangeKind.ATTENDANCE: EntryKind.ABSENCE,
    ChangeKind.HOMEWORK: EntryKind.HOMEWORK,
    ChangeKind.REMARK: EntryKind.REMARK,
    ChangeKind.MESSAGE: EntryKind.MESSAGE,
    ChangeKind.LESSON: EntryKind.LESSON_CHANGE,
}


def _replace(kind: str, source_id: int, rows: list[DiaryEntry]) -> None:
    DiaryEntry.objects.filter(kind=kind, source_id=source_id).delete()
    if rows:
        DiaryEntry.objects.bulk_create(rows)


def apply_change(*, kind: str, action: str, source_id: int) -> None:
    """Make the diary rows of one journal record match it (gone if it was deleted)."""
    entry_kind = KIND_OF_CHANGE[kind]
    if action == "delete":
        _replace(entry_kind, source_id, [])
        return
    if kind == ChangeKind.MARK:
        mark = projection.marks_qs().filter(pk=source_id).first()
        _replace(entry_kind, source_id, projection.mark_rows(mark) if mark else [])
    elif kind == ChangeKind.ATTENDANCE:
        attendance = projection.attendance_qs().filter(pk=source_id).first()
        _replace(
            entry_kind, source_id, projection.attendance_rows(attendance) if attendance else []
        )
    elif kind == ChangeKind.REMARK:
        remark = projection.remarks_qs().filter(pk=source_id).first()
        _replace(entry_kind, source_id, projection.remark_rows(remark) if remark else [])
    elif kind == ChangeKind.HOMEWORK:
        homework = projection.homework_qs().filter(pk=source_id).first()
        rows = []
        if homework is not None:
            members = projection.Membership(
                [homework.lesson.school_class_id], [homework.lesson.group_id]
            )
            rows = projection.homework_rows(homework, members)
        _replace(entry_kind, source_id, rows)
    elif kind == ChangeKind.MESSAGE:
        message = projection.messages_qs().filter(pk=source_id).first()
        rows = []
        if message is not None:
            members = projection.Membership(
                [message.school_class_id] if message.school_class_id else [], []
            )
            rows = projection.message_rows(message, members)
        _replace(entry_kind, source_id, rows)
    elif kind == ChangeKind.LESSON:
        _apply_lesson(source_id)


def _apply_lesson(lesson_id: int) -> None:
    """A lesson changed: its substitution/move/cancellation row, and its marks, whose
    weight follows the lesson type and columns."""
    lesson = (
        projection.Lesson.objects.select_related("substitute", "moved_to")
        .filter(pk=lesson_id)
        .first()
    )
    rows = []
    if lesson is not None:
        members = projection.Membership([lesson.school_class_id], [lesson.group_id])
        rows = projection.lesson_change_rows(lesson, members)
    _replace(EntryKind.LESSON_CHANGE, lesson_id, rows)
    for mark in projection.marks_qs().filter(lesson_id=lesson_id):
        _replace(EntryKind.MARK, mark.pk, projection.mark_rows(mark))


def rebuild(school_id: int, student_ids: set[int] | None = None) -> int:
    """Throw away and rebuild the diary of a school (or of some of its students)."""
    with transaction.atomic():
        existing = DiaryEntry.objects.filter(school_id=school_id)
        if student_ids is not None:
            existing = existing.filter(student_id__in=student_ids)
        existing.delete()
        rows = projection.build_rows(school_id, student_ids)
        DiaryEntry.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


COMPARED_FIELDS = ("date", "due_date", "lesson_id", "subject_id", "payload", "changed_at")


def differences(school_id: int, student_ids: set[int] | None = None) -> list[str]:
    """Every difference between the stored diary and a rebuild, in words."""
    stored = DiaryEntry.objects.filter(school_id=school_id)
    if student_ids is not None:
        stored = stored.filter(student_id__in=student_ids)
    have = {row.key: row for row in stored}
    want = {row.key: row for row in projection.build_rows(school_id, student_ids)}
    problems = []
    for key in sorted(want.keys() - have.keys()):
        problems.append(f"нет записи {key}")
    for key in sorted(have.keys() - want.keys()):
        problems.append(f"лишняя запись {key}")
    for key in sorted(want.keys() & have.keys()):
        for field in COMPARED_FIELDS:
            if getattr(have[key], field) != getattr(want[key], field):
                problems.append(
                    f"{key}: {field} = {getattr(have[key], field)!r}, "
                    f"по журналу {getattr(want[key], field)!r}"
                )
    return problems

"""From journal records to diary rows. The same functions serve the live receivers and the
full rebuild, so «projection == rebuild» holds by construction and is checked by tests and
by ``manage.py check_diary``."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Q

from journal.models import (
    Attendance,
    Homework,
    Lesson,
    LessonStatus,
    Mark,
    Message,
    Remark,
)
from school.models import Enrolment, GroupMembership, is_in_force

from .models import DiaryEntry, EntryKind

Ranges = list[tuple[int, dt.date, dt.date | None]]


class Membership:
    """Who belonged to which class and group when: loaded once, asked many times."""

    def __init__(self, class_ids: Iterable[int], group_ids: Iterable[int]) -> None:
        self.classes: dict[int, Ranges] = defaultdict(list)
        self.groups: dict[int, Ranges] = defaultdict(list)
        for class_id, student_id, start, end in Enrolment.objects.filter(
            school_class_id__in=set(class_ids)
        ).values_list("school_class_id", "student_id", "start", "end"):
            self.classes[class_id].append((student_id, start, end))
        group_ids = {g for g in group_ids if g}
        if group_ids:
            for group_id, student_id, start, end in GroupMembership.objects.filter(
                group_id__in=group_ids
            ).values_list("group_id", "student_id", "start", "end"):
                self.groups[group_id].append((student_id, start, end))

    def on(self, class_id: int, group_id: int | None, day: dt.date) -> list[int]:
        ranges = self.groups[group_id] if group_id else self.classes[class_id]
        return sorted({s for s, start, end in ranges if is_in_force(start, end, day)})


def _entry(
    *,
    kind: str,
    source_id: int,
    student_id: int,
    school_id: int,
    date: dt.date,
    changed_at: dt.datetime,
    payload: dict,
    subject_id: int | None = None,
    lesson_id: int | None = None,
    due_date: dt.date | None = None,
) -> DiaryEntry:
    return DiaryEntry(
        kind=kind,
        source_id=source_id,
        student_id=student_id,
        school_id=school_id,
        date=date,
        due_date=due_date,
        lesson_id=lesson_id,
        subject_id=subject_id,
        payload=payload,
        changed_at=changed_at,
    )


def mark_rows(mark: Mark) -> list[DiaryEntry]:
    lesson, column = mark.lesson, mark.column
    return [
        _entry(
            kind=EntryKind.MARK,
            source_id=mark.pk,
            student_id=mark.student_id,
            school_id=mark.school_id,
            date=lesson.date,
            lesson_id=lesson.pk,
            subject_id=lesson.subject_id,
            changed_at=mark.updated_at,
            payload={
                "value": mark.value,
                "weight": column.effective_weight,
                "work_type": column.work_type.name,
                "work_type_short": column.work_type.short_name,
                "column": column.position,
                "comment": mark.comment,
                "lesson_type": lesson.lesson_type,
            },
        )
    ]


def attendance_rows(attendance: Attendance) -> list[DiaryEntry]:
    lesson = attendance.lesson
    return [
        _entry(
            kind=EntryKind.ABSENCE,
            source_id=attendance.pk,
            student_id=attendance.student_id,
            school_id=attendance.school_id,
            date=lesson.date,
            lesson_id=lesson.pk,
            subject_id=lesson.subject_id,
            changed_at=attendance.updated_at,
            payload={
                "code": attendance.code,
                "label": attendance.get_code_display(),
                "reason": attendance.reason,
            },
        )
    ]


def homework_rows(homework: Homework, members: Membership) -> list[DiaryEntry]:
    lesson = homework.lesson
    if homework.student_id:
        students = [homework.student_id]
    else:
        students = members.on(lesson.school_class_id, lesson.group_id, lesson.date)
    payload = {
        "text": homework.text,
        "individual": bool(homework.student_id),
        "files": [
            [a.pk, a.original_name] for a in sorted(homework.attachments.all(), key=lambda a: a.pk)
        ],
        "due_lesson_id": homework.due_lesson_id,
    }
    return [
        _entry(
            kind=EntryKind.HOMEWORK,
            source_id=homework.pk,
            student_id=student_id,
            school_id=homework.school_id,
            date=lesson.date,
            due_date=homework.due_date,
            lesson_id=lesson.pk,
            subject_id=lesson.subject_id,
            changed_at=homework.updated_at,
            payload=payload,
        )
        for student_id in students
    ]


def remark_rows(remark: Remark) -> list[DiaryEntry]:
    return [
        _entry(
            kind=EntryKind.REMARK,
            source_id=remark.pk,
            student_id=remark.student_id,
            school_id=remark.school_id,
            date=remark.date,
            lesson_id=remark.lesson_id,
            subject_id=remark.subject_id,
            changed_at=remark.updated_at,
            payload={
                "kind": remark.kind,
                "label": remark.get_kind_display(),
                "text": remark.text,
                "author": remark.author.short_name,
            },
        )
    ]


def message_rows(message: Message, members: Membership) -> list[DiaryEntry]:
    day = message.created_at.date()
    if message.student_id:
        students = [message.student_id]
    else:
        students = members.on(message.school_class_id, None, day)
    payload = {
        "subject": message.subject,
        "text": message.text,
        "sender": message.sender.short_name,
        "to_class": message.student_id is None,
    }
    return [
        _entry(
            kind=EntryKind.MESSAGE,
            source_id=message.pk,
            student_id=student_id,
            school_id=message.school_id,
            date=day,
            changed_at=message.updated_at,
            payload=payload,
        )
        for student_id in students
    ]


def is_changed_lesson(lesson: Lesson) -> bool:
    return bool(lesson.substitute_id) or lesson.status in (
        LessonStatus.MOVED,
        LessonStatus.CANCELLED,
    )


def lesson_change_rows(lesson: Lesson, members: Membership) -> list[DiaryEntry]:
    if not is_changed_lesson(lesson):
        return []
    moved_to = lesson.moved_to if lesson.status == LessonStatus.MOVED else None
    payload = {
        "status": lesson.status,
        "number": lesson.number,
        "substitute": lesson.substitute.short_name if lesson.substitute_id else None,
        "moved_to": moved_to.date.isoformat() if moved_to else None,
        "moved_to_number": moved_to.number if moved_to else None,
        "reason": lesson.change_reason,
    }
    return [
        _entry(
            kind=EntryKind.LESSON_CHANGE,
            source_id=lesson.pk,
            student_id=student_id,
            school_id=lesson.school_id,
            date=lesson.date,
            lesson_id=lesson.pk,
            subject_id=lesson.subject_id,
            changed_at=lesson.updated_at,
            payload=payload,
        )
        for student_id in members.on(lesson.school_class_id, lesson.group_id, lesson.date)
    ]


# --- Querysets with what the row builders read ----------------------------------------


def marks_qs():
    return Mark.objects.select_related("lesson", "column", "column__work_type")


def attendance_qs():
    return Attendance.objects.select_related("lesson")


def homework_qs():
    return Homework.objects.select_related("lesson").prefetch_related("attachments")


def remarks_qs():
    return Remark.objects.select_related("author")


def messages_qs():
    return Message.objects.select_related("sender")


def changed_lessons_qs():
    return Lesson.objects.filter(
        Q(substitute__isnull=False) | Q(status__in=[LessonStatus.MOVED, LessonStatus.CANCELLED])
    ).select_related("substitute", "moved_to")


def build_rows(school_id: int, student_ids: set[int] | None = None) -> list[DiaryEntry]:
    """Every diary row the journal implies for a school (or for some of its students)."""

    def only(qs, field: str = "student_id"):
        qs = qs.filter(school_id=school_id)
        return qs.filter(**{f"{field}__in": student_ids}) if student_ids is not None else qs

    rows: list[DiaryEntry] = []
    for mark in only(marks_qs()):
        rows += mark_rows(mark)
    for attendance in only(attendance_qs()):
        rows += attendance_rows(attendance)
    for remark in only(remarks_qs()):
        rows += remark_rows(remark)

    homework_q = homework_qs().filter(school_id=school_id)
    messages_q = messages_qs().filter(school_id=school_id)
    lessons_q = changed_lessons_qs().filter(school_id=school_id)
    if student_ids is not None:
        # Only the classes these students were ever in can give them rows: without this,
        # checking one child reads the whole school's homework.
        classes = Enrolment.objects.filter(student_id__in=student_ids).values("school_class_id")
        homework_q = homework_q.filter(lesson__school_class_id__in=classes)
        messages_q = messages_q.filter(
            Q(school_class_id__in=classes) | Q(student_id__in=student_ids)
        )
        lessons_q = lessons_q.filter(school_class_id__in=classes)
    homework = list(homework_q)
    messages = list(messages_q)
    lessons = list(lessons_q)
    members = Membership(
        [h.lesson.school_class_id for h in homework]
        + [m.school_class_id for m in messages if m.school_class_id]
        + [lesson.school_class_id for lesson in lessons],
        [h.lesson.group_id for h in homework] + [lesson.group_id for lesson in lessons],
    )
    for item in homework:
        rows += homework_rows(item, members)
    for message in messages:
        rows += message_rows(message, members)
    for lesson in lessons:
        rows += lesson_change_rows(lesson, members)
    if student_ids is not None:
        rows = [row for row in rows if row.student_id in student_ids]
    return rows

"""Writes to the diary projection: applying one journal change, or rebuilding."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from journal import services as journal_services
from journal.models import ChangeKind, Message, MessageRead
from school import access
from school.models import SchoolClass, Student, User

from . import projection, selectors
from .models import AbsenceReport, DiaryEntry, DiaryVisit, EntryKind, PersonalDataAccess

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


# --- The family's cabinet ---------------------------------------------------------------

MSG_NOT_GUARDIAN = _("Сообщить о пропуске может только родитель (законный представитель) ребёнка.")
MSG_REPORT_TOO_LATE = _(
    "Сообщить можно о пропуске, который начался не раньше %(date)s: о более давних "
    "пропусках расскажите классному руководителю."
)
MSG_REPORT_TOO_FAR = _("Сообщить можно о днях до %(date)s включительно.")
MSG_REPORT_END_BEFORE_START = _("Последний день пропуска раньше первого.")
MSG_NOT_CLASS_TEACHER = _("Отметить сообщения просмотренными может классный руководитель класса.")
REPORT_DAYS_BACK = 7
REPORT_DAYS_AHEAD = 90


def log_staff_view(*, actor: User, student: Student, page: str, path: str = "") -> None:
    """Write down that a staff member opened a child's diary (DESIGN.md 4, seed 1.7). One
    INSERT, atomic by itself: a page's read does not need a transaction around it."""
    PersonalDataAccess.objects.create(
        school_id=student.school_id, viewer=actor, student=student, page=page, path=path[:300]
    )


def mark_visited(*, actor: User, student: Student, section: str) -> None:
    """Remember when ``user`` last opened ``section`` of the child's diary (what changed
    later is «new» on the navigation). One upsert."""
    DiaryVisit.objects.bulk_create(
        [DiaryVisit(user=actor, student=student, section=section, seen_at=timezone.now())],
        update_conflicts=True,
        unique_fields=["user", "student", "section"],
        update_fields=["seen_at"],
    )


def read_messages(*, actor: User, source_ids: list[int]) -> set[int]:
    """The family member opened the list with these messages: each is marked read for the
    sender (``journal.services.mark_message_read``), the ones already read are left alone.
    Returns the ids of the messages read now for the first time."""
    already = set(
        MessageRead.objects.filter(user=actor, message_id__in=source_ids).values_list(
            "message_id", flat=True
        )
    )
    unread = [pk for pk in source_ids if pk not in already]
    fresh = set()
    for message in Message.objects.filter(pk__in=unread):
        journal_services.mark_message_read(actor=actor, message=message)
        fresh.add(message.pk)
    return fresh


def report_absence(
    *,
    actor: User,
    student: Student,
    start: dt.date,
    end: dt.date,
    kind: str,
    note: str = "",
) -> AbsenceReport:
    """A guardian tells the school ahead that the child will miss days. The class teacher
    sees it on the class's page; an absence recorded on those days takes it as its reason
    (``absence_reason``)."""
    viewer = access.viewer_for(actor)
    if (
        viewer.guardian_id is None
        or not student.kinships.filter(guardian_id=viewer.guardian_id).exists()
    ):
        raise ValidationError(MSG_NOT_GUARDIAN, code="forbidden")
    today = student.school.local_today()
    if end < start:
        raise ValidationError({"end": ValidationError(MSG_REPORT_END_BEFORE_START, code="dates")})
    earliest = today - dt.timedelta(days=REPORT_DAYS_BACK)
    if start < earliest:
        raise ValidationError(
            {
                "start": ValidationError(
                    MSG_REPORT_TOO_LATE, code="too_late", params={"date": f"{earliest:%d.%m.%Y}"}
                )
            }
        )
    latest = today + dt.timedelta(days=REPORT_DAYS_AHEAD)
    if end > latest:
        raise ValidationError(
            {
                "end": ValidationError(
                    MSG_REPORT_TOO_FAR, code="too_far", params={"date": f"{latest:%d.%m.%Y}"}
                )
            }
        )
    with transaction.atomic():
        report = AbsenceReport(
            school_id=student.school_id,
            student=student,
            reported_by=actor,
            start=start,
            end=end,
            kind=kind,
            note=note.strip(),
        )
        report.full_clean()
        report.save()
    return report


def mark_reports_seen(*, actor: User, school_class: SchoolClass, report_ids: list[int]) -> int:
    """The class teacher has read these reports of their class (those still unseen among
    ``report_ids``): the home page and the leadership's overview stop flagging them.
    Returns how many were marked."""
    if school_class.pk not in access.viewer_for(actor).homeroom_class_ids:
        raise ValidationError(MSG_NOT_CLASS_TEACHER, code="forbidden")
    today = school_class.school.local_today()
    unseen = selectors.unseen_absence_reports(
        classes=SchoolClass.objects.filter(pk=school_class.pk), today=today
    )
    ids = [report.pk for report in unseen if report.pk in set(report_ids)]
    with transaction.atomic():
        return AbsenceReport.objects.filter(pk__in=ids, seen_at__isnull=True).update(
            seen_at=timezone.now(), seen_by=actor
        )


def absence_reason(report: AbsenceReport) -> str:
    """The reason an absence takes from the family's report: «Болезнь (сообщили родители
    27.11.2026): температура»; at most 300 characters (``Attendance.reason``)."""
    told = timezone.localtime(report.created_at).strftime("%d.%m.%Y")
    text = f"{report.get_kind_display().capitalize()} (сообщили родители {told})"
    if report.note:
        text = f"{text}: {report.note}"
    return text[:300]

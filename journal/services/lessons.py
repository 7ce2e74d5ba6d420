"""Dated lessons: generated from the timetable, then conducted, substituted, moved,
cancelled or added. Every change keeps its history and tells the diary."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from journal import access as lesson_access
from journal.models import (
    DEFAULT_WORK_TYPE_FOR_LESSON,
    TEST_LESSON_TYPES,
    ChangeAction,
    ChangeKind,
    Lesson,
    LessonStatus,
)
from school.models import Position, SchoolClass, StaffMember, StudyGroup, Subject, User

from .common import (
    MSG_NO_RIGHT,
    Conflict,
    check_marks_allowed,
    check_period_open,
    fmt,
    guard_lesson_write,
    journal_changed,
    settings_for,
)
from .work_types import work_type_for

MSG_TOO_MANY_TESTS = _(
    "У %(cls)s %(date)s уже %(count)s контрольн. работ(а) (%(subjects)s), а школа разрешает не "
    "более %(limit)s в день. Выберите другой день."
)
MSG_HAS_ENTRIES = _(
    "На уроке %(date)s уже есть отметки или посещаемость: сначала удалите их, потом "
    "отменяйте или переносите урок."
)
MSG_SLOT_TAKEN = _("У %(cls)s %(date)s на %(number)s уроке уже стоит %(subject)s.")
MSG_REASON_REQUIRED = _("Укажите причину: её увидят родители и администрация.")
MSG_NOT_A_TEACHER = _("%(person)s не работает учителем в этой школе.")
MSG_INACTIVE = _("Урок %(date)s %(state)s: изменить его нельзя.")
MSG_NOT_A_SCHOOL_DAY = _("%(date)s — не учебный день для %(cls)s (%(why)s).")


def _snapshot(lesson: Lesson) -> dict:
    return {
        "date": fmt(lesson.date),
        "number": lesson.number,
        "topic": lesson.topic,
        "lesson_type": lesson.lesson_type,
        "status": lesson.status,
        "teacher": lesson.teacher.short_name,
        "substitute": lesson.substitute.short_name if lesson.substitute else None,
        "room": lesson.room,
    }


def _locked(lesson: Lesson, expected_version: int | None) -> Lesson:
    locked = (
        Lesson.objects.select_for_update(of=("self",))
        .select_related(
            "school_class", "school_class__school", "subject", "teacher", "substitute", "group"
        )
        .get(pk=lesson.pk)
    )
    if expected_version is not None and locked.version != expected_version:
        raise Conflict(locked.topic or locked.get_lesson_type_display())
    return locked


def _save(lesson: Lesson, fields: list[str]) -> None:
    lesson.version += 1
    lesson.save(update_fields=[*fields, "version", "updated_at"])


def _log(
    actor: User,
    lesson: Lesson,
    old: dict | None,
    reason: str = "",
    action: str = ChangeAction.UPDATE,
) -> None:
    journal_changed(
        actor=actor,
        instance=lesson,
        kind=ChangeKind.LESSON,
        action=action,
        school_id=lesson.school_id,
        old=old,
        new=_snapshot(lesson),
        lesson_id=lesson.pk,
        reason=reason,
    )


def tests_on_day(school_class_id: int, day: dt.date, *, exclude_id: int | None = None):
    return (
        Lesson.objects.filter(
            school_class_id=school_class_id,
            date=day,
            lesson_type__in=TEST_LESSON_TYPES,
            status__in=[LessonStatus.PLANNED, LessonStatus.CONDUCTED],
        )
        .exclude(pk=exclude_id)
        .select_related("subject")
    )


def check_test_limit(lesson: Lesson, lesson_type: str, day: dt.date) -> None:
    """A class may not get more tests on one day than the school allows. The subgroups of
    one subject writing the same test count once: each student sits only one of them."""
    if lesson_type not in TEST_LESSON_TYPES:
        return
    limit = settings_for(lesson.school_id).max_tests_per_day
    others = [
        other
        for other in tests_on_day(lesson.school_class_id, day, exclude_id=lesson.pk)
        if not (other.subject_id == lesson.subject_id and other.group_id and lesson.group_id)
    ]
    subjects = {other.subject_id: other for other in others}
    others = list(subjects.values())
    if len(others) >= limit:
        raise ValidationError(
            MSG_TOO_MANY_TESTS,
            code="too_many_tests",
            params={
                "cls": lesson.school_class.name,
                "date": fmt(day),
                "count": len(others),
                "subjects": ", ".join(o.subject.name for o in others),
                "limit": limit,
            },
        )


def _has_entries(lesson: Lesson) -> bool:
    return lesson.marks.exists() or lesson.attendance.exists()


def update_lesson(
    *,
    actor: User,
    lesson: Lesson,
    expected_version: int,
    topic: str | None = None,
    lesson_type: str | None = None,
    conducted: bool | None = None,
    room: str | None = None,
    reason: str = "",
) -> Lesson:
    """The teacher fills in what happened: topic, lesson type, «проведён»."""
    with transaction.atomic():
        lesson = _locked(lesson, expected_version)
        guard_lesson_write(actor, lesson, reason=reason, active=False)
        _check_active(lesson)
        old = _snapshot(lesson)
        fields = []
        if topic is not None and topic != lesson.topic:
            lesson.topic = topic.strip()
            fields.append("topic")
        if room is not None and room != lesson.room:
            lesson.room = room.strip()
            fields.append("room")
        if lesson_type is not None and lesson_type != lesson.lesson_type:
            if lesson.marks.exists():
                # The marks will weigh differently: the same rules as changing them.
                guard_lesson_write(actor, lesson, reason=reason, window=True)
                check_marks_allowed(actor, lesson)
            check_test_limit(lesson, lesson_type, lesson.date)
            lesson.lesson_type = lesson_type
            fields.append("lesson_type")
            # The first column's marks now weigh as the new kind of work, unless the
            # teacher set its weight by hand.
            column = lesson.columns.filter(position=1, weight__isnull=True).first()
            if column is not None:
                column.work_type = work_type_for(
                    lesson.school_id, DEFAULT_WORK_TYPE_FOR_LESSON[lesson_type]
                )
                column.save(update_fields=["work_type"])
        if conducted is not None:
            status = LessonStatus.CONDUCTED if conducted else LessonStatus.PLANNED
            if status != lesson.status:
                lesson.status = status
                fields.append("status")
        if not fields:
            return lesson
        _save(lesson, fields)
        _log(actor, lesson, old, reason)
    return lesson


def _check_teacher(person: User, school_id: int) -> None:
    """Only those who may teach: teachers, deputies, the director (not the secretary)."""
    if not StaffMember.objects.filter(
        user=person,
        school_id=school_id,
        is_active=True,
        position__in=[Position.TEACHER, Position.DEPUTY, Position.DIRECTOR],
    ).exists():
        raise ValidationError(
            MSG_NOT_A_TEACHER, code="not_teacher", params={"person": person.short_name}
        )


def _require_reason(reason: str) -> None:
    if not reason.strip():
        raise ValidationError(MSG_REASON_REQUIRED, code="reason_required")


def _check_active(lesson: Lesson) -> None:
    if not lesson.is_active:
        raise ValidationError(
            MSG_INACTIVE,
            code="inactive",
            params={"date": fmt(lesson.date), "state": lesson.get_status_display()},
        )


def substitute_lesson(
    *, actor: User, lesson: Lesson, substitute: User | None, reason: str = ""
) -> Lesson:
    """Another teacher gives the lesson (``None`` removes the substitution)."""
    with transaction.atomic():
        lesson = _locked(lesson, None)
        guard_lesson_write(actor, lesson, reason=reason, schedule=True, active=False)
        _check_active(lesson)
        if substitute is not None:
            _check_teacher(substitute, lesson.school_id)
            if substitute.pk == lesson.teacher_id:
                substitute = None
        old = _snapshot(lesson)
        lesson.substitute = substitute
        lesson.change_reason = reason.strip()
        _save(lesson, ["substitute", "change_reason"])
        _log(actor, lesson, old, reason)
    return lesson


def cancel_lesson(*, actor: User, lesson: Lesson, reason: str) -> Lesson:
    _require_reason(reason)
    with transaction.atomic():
        lesson = _locked(lesson, None)
        guard_lesson_write(actor, lesson, reason=reason, schedule=True, active=False)
        _check_active(lesson)
        if _has_entries(lesson):
            raise ValidationError(
                MSG_HAS_ENTRIES, code="has_entries", params={"date": fmt(lesson.date)}
            )
        old = _snapshot(lesson)
        lesson.status = LessonStatus.CANCELLED
        lesson.change_reason = reason.strip()
        _save(lesson, ["status", "change_reason"])
        _log(actor, lesson, old, reason)
    return lesson


def _slot_free(
    school_class: SchoolClass,
    group: StudyGroup | None,
    day: dt.date,
    number: int,
    exclude_id: int | None = None,
) -> None:
    """A class (or the same group) cannot have two lessons in one slot."""
    busy = Lesson.objects.filter(
        school_class=school_class,
        date=day,
        number=number,
        status__in=[LessonStatus.PLANNED, LessonStatus.CONDUCTED],
    ).exclude(pk=exclude_id)
    if group is not None:
        # Subgroups of one class learn in parallel; only the whole class or the same group clash.
        busy = busy.filter(Q(group__isnull=True) | Q(group=group))
    clash = busy.select_related("subject").first()
    if clash is not None:
        raise ValidationError(
            MSG_SLOT_TAKEN,
            code="slot_taken",
            params={
                "cls": school_class.name,
                "date": fmt(day),
                "number": number,
                "subject": clash.subject.name,
            },
        )


def _check_school_day(school_class: SchoolClass, day: dt.date) -> None:
    from .timetable import why_not_a_school_day

    why = why_not_a_school_day(school_class, day)
    if why:
        raise ValidationError(
            MSG_NOT_A_SCHOOL_DAY,
            code="not_school_day",
            params={"date": fmt(day), "cls": school_class.name, "why": why},
        )


def move_lesson(
    *, actor: User, lesson: Lesson, new_date: dt.date, new_number: int, reason: str
) -> Lesson:
    """Move a lesson to another day and slot. The old row stays «перенесён» and points to
    the new one, so families see where it went."""
    _require_reason(reason)
    with transaction.atomic():
        lesson = _locked(lesson, None)
        guard_lesson_write(actor, lesson, reason=reason, schedule=True, active=False)
        _check_active(lesson)
        if _has_entries(lesson):
            raise ValidationError(
                MSG_HAS_ENTRIES, code="has_entries", params={"date": fmt(lesson.date)}
            )
        check_period_open(actor, lesson.school_class, new_date, reason)
        _check_school_day(lesson.school_class, new_date)
        _slot_free(lesson.school_class, lesson.group, new_date, new_number, exclude_id=lesson.pk)
        check_test_limit(lesson, lesson.lesson_type, new_date)
        old = _snapshot(lesson)
        lesson.status = LessonStatus.MOVED
        lesson.change_reason = reason.strip()
        _save(lesson, ["status", "change_reason"])
        new = Lesson.objects.create(
            school_id=lesson.school_id,
            school_class=lesson.school_class,
            group=lesson.group,
            subject=lesson.subject,
            teacher=lesson.teacher,
            substitute=lesson.substitute,
            date=new_date,
            number=new_number,
            room=lesson.room,
            topic=lesson.topic,
            lesson_type=lesson.lesson_type,
            change_reason=reason.strip(),
        )
        lesson.moved_to = new
        lesson.save(update_fields=["moved_to"])
        _log(actor, lesson, old, reason)
        _log(actor, new, None, reason, action=ChangeAction.CREATE)
    return new


def add_extra_lesson(
    *,
    actor: User,
    school_class: SchoolClass,
    subject: Subject,
    teacher: User,
    day: dt.date,
    number: int,
    group: StudyGroup | None = None,
    room: str = "",
    reason: str = "",
) -> Lesson:
    """A lesson that is not in the timetable (catching up after a cancellation...)."""
    with transaction.atomic():
        probe = Lesson(
            school_id=school_class.school_id,
            school_class=school_class,
            subject=subject,
            group=group,
            teacher=teacher,
            date=day,
            number=number,
        )
        if not lesson_access.can_add_lesson(actor, school_class, subject):
            raise ValidationError(
                MSG_NO_RIGHT,
                code="forbidden",
                params={"subject": subject.name, "cls": school_class.name},
            )
        check_period_open(actor, school_class, day, reason)
        _check_teacher(teacher, school_class.school_id)
        _check_school_day(school_class, day)
        _slot_free(school_class, group, day, number)
        probe.room = room
        probe.is_extra = True
        probe.change_reason = reason.strip()
        try:
            with transaction.atomic():
                probe.save()
        except IntegrityError as error:
            raise ValidationError(
                MSG_SLOT_TAKEN,
                code="slot_taken",
                params={
                    "cls": school_class.name,
                    "date": fmt(day),
                    "number": number,
                    "subject": subject.name,
                },
            ) from error
        _log(actor, probe, None, reason, action=ChangeAction.CREATE)
    return probe

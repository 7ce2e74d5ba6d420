"""What every journal service shares: errors, the rules of who may write what and when,
the audit trail and the domain signal."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from journal import access as lesson_access
from journal.models import ChangeAction, JournalChange, JournalSettings, Lesson
from journal.signals import absence_reason, entry_changed
from school import access
from school.models import (
    Enrolment,
    GradeScheme,
    GroupMembership,
    Period,
    PeriodKind,
    SchoolClass,
    Student,
    User,
    default_scheme_for_grade,
)
from school.models.calendar import SCHEME_PERIOD_KIND

MSG_NO_RIGHT = _("У вас нет права вести журнал %(subject)s в %(cls)s.")
MSG_NOT_ENROLLED = _("%(student)s не учится в %(cls)s на %(date)s.")
MSG_NOT_IN_GROUP = _("%(student)s не входит в группу «%(group)s» на %(date)s.")
MSG_LESSON_INACTIVE = _("Урок %(date)s %(state)s: отметки и посещаемость в нём не ведутся.")
MSG_FUTURE = _("Урок %(date)s ещё не прошёл: отметки за будущие уроки не ставятся.")
MSG_UNGRADED_CLASS = _("В %(cls)s безотметочное обучение: отметки не ставятся.")
MSG_UNGRADED_SUBJECT = _("Предмет «%(subject)s» изучается без отметок.")
MSG_PERIOD_CLOSED = _(
    "Период «%(period)s» закрыт: изменения в нём вносит только директор, указав причину."
)
MSG_PERIOD_REASON = _("Период «%(period)s» закрыт: укажите причину изменения.")
MSG_EDIT_WINDOW = _(
    "Урок %(date)s был больше %(days)s дн. назад: исправить отметку задним числом может "
    "заместитель директора или директор."
)
MSG_NO_SCHEDULE_RIGHT = _(
    "Заменить, перенести или отменить урок может его учитель или администрация школы."
)
MSG_CONFLICT = _(
    "Эту запись только что изменил другой пользователь: сейчас в ней «%(current)s». "
    "Проверьте значение и введите заново."
)


class Conflict(ValidationError):
    """A stale page tried to overwrite a newer value: nothing was saved."""

    def __init__(self, current: str) -> None:
        super().__init__(MSG_CONFLICT, code="conflict", params={"current": current or _("пусто")})
        self.current = current


def fmt(day: dt.date) -> str:
    return day.strftime("%d.%m.%Y")


def settings_for(school_id: int) -> JournalSettings:
    """The school's journal rules; the defaults while the school has saved none (a read:
    nothing is written here)."""
    settings = JournalSettings.objects.filter(school_id=school_id).first()
    return settings if settings is not None else JournalSettings(school_id=school_id)


def check_can_edit(user: User, lesson: Lesson) -> None:
    """The right to write into the lesson (``journal.access.can_edit_lesson``, the same
    predicate the pages ask)."""
    if not lesson_access.can_edit_lesson(user, lesson):
        raise ValidationError(
            MSG_NO_RIGHT,
            code="forbidden",
            params={"subject": lesson.subject.name, "cls": lesson.school_class.name},
        )


def check_can_change_schedule(user: User, lesson: Lesson) -> None:
    if not lesson_access.can_change_schedule(user, lesson):
        raise ValidationError(MSG_NO_SCHEDULE_RIGHT, code="forbidden")


def check_lesson_takes_entries(lesson: Lesson) -> None:
    if not lesson.is_active:
        raise ValidationError(
            MSG_LESSON_INACTIVE,
            code="inactive",
            params={"date": fmt(lesson.date), "state": lesson.get_status_display()},
        )


def check_student_in_lesson(student: Student, lesson: Lesson) -> None:
    """The student belongs to the lesson's class (and group) on the lesson's date."""
    if not (
        Enrolment.objects.in_force(lesson.date)
        .filter(student=student, school_class_id=lesson.school_class_id)
        .exists()
    ):
        raise ValidationError(
            MSG_NOT_ENROLLED,
            code="not_enrolled",
            params={
                "student": student.short_name,
                "cls": lesson.school_class.name,
                "date": fmt(lesson.date),
            },
        )
    if (
        lesson.group_id
        and not GroupMembership.objects.in_force(lesson.date)
        .filter(student=student, group_id=lesson.group_id)
        .exists()
    ):
        raise ValidationError(
            MSG_NOT_IN_GROUP,
            code="not_in_group",
            params={
                "student": student.short_name,
                "group": lesson.group.name,
                "date": fmt(lesson.date),
            },
        )


def locked_period_on(school_class: SchoolClass, day: dt.date) -> Period | None:
    """The closed period (of the class's scheme, or the year) that ``day`` falls in, if any."""
    scheme = GradeScheme.objects.filter(
        year_id=school_class.year_id, grade=school_class.grade
    ).values_list("scheme", flat=True).first() or default_scheme_for_grade(school_class.grade)
    return (
        Period.objects.filter(
            year_id=school_class.year_id,
            kind__in=[SCHEME_PERIOD_KIND[scheme], PeriodKind.YEAR],
            start__lte=day,
            end__gte=day,
            is_locked=True,
        )
        .order_by("start")
        .first()
    )


def locked_period(lesson: Lesson) -> Period | None:
    """The closed period the lesson falls in, if any."""
    return locked_period_on(lesson.school_class, lesson.date)


def check_period_open(user: User, school_class: SchoolClass, day: dt.date, reason: str) -> None:
    """A closed period protects every journal entry dated in it: only the director writes
    there, and says why."""
    period = locked_period_on(school_class, day)
    if period is None:
        return
    if not access.can_close_period(user, school_class.school_id):
        raise ValidationError(
            MSG_PERIOD_CLOSED, code="period_closed", params={"period": period.name}
        )
    if not reason.strip():
        raise ValidationError(
            MSG_PERIOD_REASON, code="reason_required", params={"period": period.name}
        )


def check_edit_window(user: User, lesson: Lesson) -> None:
    """Marks of a lesson older than the school's window: the leadership only."""
    settings = settings_for(lesson.school_id)
    today = lesson.school_class.school.local_today()
    too_old = lesson.date < today - dt.timedelta(days=settings.edit_window_days)
    if too_old and not access.viewer_for(user).is_leadership(lesson.school_id):
        raise ValidationError(
            MSG_EDIT_WINDOW,
            code="edit_window",
            params={"date": fmt(lesson.date), "days": settings.edit_window_days},
        )


def guard_lesson_write(
    user: User,
    lesson: Lesson,
    *,
    reason: str = "",
    schedule: bool = False,
    active: bool = True,
    window: bool = False,
) -> None:
    """The one guard in front of every journal write at a lesson, in this order: the right
    (to write into the lesson, or with ``schedule`` to change its place in the timetable),
    the lesson's state (``active``: not cancelled or moved away), the editing window
    (``window``: marks) and the period (a closed one takes the director with a reason)."""
    if schedule:
        check_can_change_schedule(user, lesson)
    else:
        check_can_edit(user, lesson)
    if active:
        check_lesson_takes_entries(lesson)
    if window:
        check_edit_window(user, lesson)
    check_period_open(user, lesson.school_class, lesson.date, reason)


def check_marks_allowed(user: User, lesson: Lesson) -> None:
    """Grading rules: graded class and subject, not a future lesson."""
    school_class = lesson.school_class
    if not school_class.is_graded:
        raise ValidationError(
            MSG_UNGRADED_CLASS, code="ungraded", params={"cls": school_class.name}
        )
    if not lesson.subject.is_graded:
        raise ValidationError(
            MSG_UNGRADED_SUBJECT, code="ungraded", params={"subject": lesson.subject.name}
        )
    settings = settings_for(lesson.school_id)
    today = school_class.school.local_today()
    if lesson.date > today and not settings.allow_future_marks:
        raise ValidationError(MSG_FUTURE, code="future", params={"date": fmt(lesson.date)})


def record_change(
    *,
    actor: User,
    school_id: int,
    kind: str,
    action: str,
    object_id: int,
    old: dict[str, Any] | None,
    new: dict[str, Any] | None,
    lesson_id: int | None = None,
    student_id: int | None = None,
    column_id: int | None = None,
    reason: str = "",
) -> JournalChange:
    return JournalChange.objects.create(
        school_id=school_id,
        actor=actor,
        kind=kind,
        action=action,
        object_id=object_id,
        lesson_id=lesson_id,
        student_id=student_id,
        column_id=column_id,
        old=old,
        new=new,
        reason=reason[:300],
    )


def journal_changed(
    *,
    actor: User,
    instance: Any,
    kind: str,
    action: str,
    school_id: int,
    old: dict[str, Any] | None,
    new: dict[str, Any] | None,
    lesson_id: int | None = None,
    student_id: int | None = None,
    column_id: int | None = None,
    reason: str = "",
    student_ids: list[int] | None = None,
) -> None:
    """What every write ends with: its history row, then the domain signal (both inside the
    write's transaction). For a deletion, ``instance`` still carries its old ``pk``."""
    record_change(
        actor=actor,
        school_id=school_id,
        kind=kind,
        action=action,
        object_id=instance.pk,
        lesson_id=lesson_id,
        student_id=student_id,
        column_id=column_id,
        old=old,
        new=new,
        reason=reason,
    )
    emit(kind=kind, action=action, instance=instance, school_id=school_id, student_ids=student_ids)


def known_absence_reason(student_id: int, day: dt.date) -> str:
    """The reason a family reported in advance for this day, if any (first answer wins)."""
    for _receiver, answer in absence_reason.send(sender=Lesson, student_id=student_id, date=day):
        if answer:
            return str(answer)[:300]
    return ""


def emit(
    *, kind: str, action: str, instance: Any, school_id: int, student_ids: list[int] | None = None
) -> None:
    entry_changed.send(
        sender=type(instance),
        kind=kind,
        action=action,
        instance=instance,
        school_id=school_id,
        student_ids=student_ids or [],
    )


__all__ = [
    "ChangeAction",
    "Conflict",
    "check_can_change_schedule",
    "check_can_edit",
    "check_edit_window",
    "check_lesson_takes_entries",
    "check_marks_allowed",
    "check_period_open",
    "check_student_in_lesson",
    "emit",
    "fmt",
    "guard_lesson_write",
    "journal_changed",
    "locked_period",
    "locked_period_on",
    "record_change",
    "settings_for",
]

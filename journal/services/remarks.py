"""Recommendations, remarks and praise to a student; messages to parents."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from journal import access as lesson_access
from journal.models import (
    ChangeAction,
    ChangeKind,
    Lesson,
    Message,
    MessageRead,
    Remark,
    RemarkKind,
)
from school import access
from school.models import SchoolClass, Student, Subject, User, in_force_q

from .common import check_period_open, check_student_in_lesson, guard_lesson_write, journal_changed

MSG_EMPTY = _("Напишите текст.")
MSG_NO_STUDENT_RIGHT = _("Вы не работаете с %(student)s и не можете писать о нём(ней).")
MSG_NO_CLASS_RIGHT = _("Писать родителям всего %(cls)s могут классный руководитель и его учителя.")
MSG_NO_SUBJECT = _("Укажите тему сообщения.")


def _check_staff_sees(user: User, student: Student) -> None:
    if not access.can_view_student_as_staff(user, student):
        raise ValidationError(
            MSG_NO_STUDENT_RIGHT, code="forbidden", params={"student": student.short_name}
        )


def _guard_remark(user: User, student: Student, lesson: Lesson | None, reason: str) -> None:
    """At a lesson, the lesson's write guard; outside lessons, the staff who work with the
    student, and the period of today in the student's class open."""
    if lesson is not None:
        guard_lesson_write(user, lesson, reason=reason)
        check_student_in_lesson(student, lesson)
        return
    if not lesson_access.can_write_about(user, student, None):
        raise ValidationError(
            MSG_NO_STUDENT_RIGHT, code="forbidden", params={"student": student.short_name}
        )
    today = student.school.local_today()
    # One filter() call: the student and the dates on the same enrolment row.
    for school_class in SchoolClass.objects.filter(
        in_force_q(today, "enrolments__"), enrolments__student=student
    ):
        check_period_open(user, school_class, today, reason)


def add_remark(
    *,
    actor: User,
    student: Student,
    kind: str,
    text: str,
    lesson: Lesson | None = None,
    subject: Subject | None = None,
    reason: str = "",
) -> Remark:
    if kind not in RemarkKind.values:
        raise ValidationError(_("Неизвестный вид записи."), code="bad_kind")
    if not text.strip():
        raise ValidationError(MSG_EMPTY, code="empty")
    with transaction.atomic():
        _guard_remark(actor, student, lesson, reason)
        remark = Remark.objects.create(
            school_id=student.school_id,
            student=student,
            author=actor,
            lesson=lesson,
            subject=subject or (lesson.subject if lesson else None),
            kind=kind,
            text=text.strip(),
            date=lesson.date if lesson else student.school.local_today(),
        )
        journal_changed(
            actor=actor,
            instance=remark,
            kind=ChangeKind.REMARK,
            action=ChangeAction.CREATE,
            school_id=student.school_id,
            old=None,
            new={"kind": kind, "text": remark.text},
            lesson_id=lesson.pk if lesson else None,
            student_id=student.pk,
            reason=reason,
            student_ids=[student.pk],
        )
    return remark


def send_message(
    *,
    actor: User,
    subject: str,
    text: str,
    student: Student | None = None,
    school_class: SchoolClass | None = None,
) -> Message:
    """To the parents of one student, or of every student of a class."""
    if not subject.strip():
        raise ValidationError(MSG_NO_SUBJECT, code="empty")
    if not text.strip():
        raise ValidationError(MSG_EMPTY, code="empty")
    if (student is None) == (school_class is None):
        raise ValidationError(_("Выберите адресата: одного обучающегося или класс."), code="to")
    if student is not None:
        _check_staff_sees(actor, student)
        school_id = student.school_id
    else:
        if not access.can_view_class(actor, school_class):
            raise ValidationError(
                MSG_NO_CLASS_RIGHT, code="forbidden", params={"cls": school_class.name}
            )
        school_id = school_class.school_id
    with transaction.atomic():
        message = Message.objects.create(
            school_id=school_id,
            sender=actor,
            student=student,
            school_class=school_class,
            subject=subject.strip(),
            text=text.strip(),
        )
        journal_changed(
            actor=actor,
            instance=message,
            kind=ChangeKind.MESSAGE,
            action=ChangeAction.CREATE,
            school_id=school_id,
            old=None,
            new={
                "subject": message.subject,
                "text": message.text,
                "to": student.short_name if student else school_class.name,
            },
            student_id=student.pk if student else None,
            student_ids=[student.pk] if student else [],
        )
    return message


def mark_message_read(*, actor: User, message: Message) -> None:
    """Idempotent: the first reading is the one kept."""
    try:
        with transaction.atomic():
            MessageRead.objects.get_or_create(message=message, user=actor)
    except IntegrityError:
        pass

"""Access to dated lessons and their files, built on the school's access policy
(``school.access``): who may see a lesson, write into it, or change its place in the
timetable. One predicate per right: the pages ask these to offer a form, and the journal
services ask the same ones before they write (``journal.services.common``), so a page never
offers what the service would refuse nor refuses what it would allow."""

from __future__ import annotations

from django.http import Http404

from journal.models import HomeworkAttachment, Lesson
from school import access
from school.models import SchoolClass, Student, Subject, User


def _works_in(user: User, school_id: int) -> bool:
    return school_id in access.viewer_for(user).staff_schools


def can_view_lesson(user: User, lesson: Lesson) -> bool:
    """Whoever may read the class's journal in that subject, and the lesson's own teacher
    or substitute (a substitute may not otherwise teach the class)."""
    viewer = access.viewer_for(user)
    if user.pk in (lesson.teacher_id, lesson.substitute_id) and (
        lesson.school_id in viewer.staff_schools
    ):
        return True
    return access.can_view_journal(user, lesson.school_class, lesson.subject)


def can_edit_lesson(user: User, lesson: Lesson) -> bool:
    """Marks, attendance, topic, homework, remarks at the lesson: a teacher of the class's
    subject, the lesson's substitute, the leadership (periods and edit windows are the
    write guard's business, ``journal.services.common.guard_lesson_write``)."""
    if (
        lesson.substitute_id == user.pk
        and lesson.school_id in access.viewer_for(user).staff_schools
    ):
        return True
    return access.can_edit_journal(user, lesson.school_class, lesson.subject)


def can_change_schedule(user: User, lesson: Lesson) -> bool:
    """Substitutions, moves and cancellations are the timetable's business: the leadership
    or the lesson's own teacher (not a co-teacher, not the substitute)."""
    if lesson.teacher_id == user.pk and _works_in(user, lesson.school_id):
        return True
    return access.viewer_for(user).is_leadership(lesson.school_id)


def can_add_lesson(user: User, school_class: SchoolClass, subject: Subject) -> bool:
    """An extra lesson: the leadership, or a teacher of that class's subject."""
    return access.can_edit_journal(user, school_class, subject)


def can_write_about(user: User, student: Student, lesson: Lesson | None) -> bool:
    """A remark, praise or recommendation: at a lesson, whoever may write into it; outside
    lessons, the staff who work with the student."""
    if lesson is not None:
        return can_edit_lesson(user, lesson)
    return access.can_view_student_as_staff(user, student)


def is_leadership_for(user: User, lesson: Lesson) -> bool:
    return access.viewer_for(user).is_leadership(lesson.school_id)


def lesson_for_viewer_or_404(user: User, lesson_id: int) -> Lesson:
    """The lesson, if ``user`` may see it; otherwise 404, so its existence stays unknown."""
    lesson = (
        Lesson.objects.select_related(
            "school_class",
            "school_class__school",
            "school_class__year",
            "school_class__class_teacher",
            "subject",
            "group",
            "teacher",
            "substitute",
            "moved_to",
        )
        .filter(pk=lesson_id)
        .first()
    )
    if lesson is None or not can_view_lesson(user, lesson):
        raise Http404("Урок не найден")
    return lesson


def attachment_for_viewer_or_404(user: User, attachment_id: int) -> HomeworkAttachment:
    """A homework file, for staff who may see the lesson it was given at. (Families will
    reach it through their diary.)"""
    attachment = (
        HomeworkAttachment.objects.select_related(
            "homework__lesson__school_class", "homework__lesson__subject"
        )
        .filter(pk=attachment_id)
        .first()
    )
    if attachment is None or not can_view_lesson(user, attachment.homework.lesson):
        raise Http404("Файл не найден")
    return attachment

"""Homework: given at a lesson, due at the subject's next lesson (or a chosen date),
optionally for one student, with attachments."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from journal.models import (
    ChangeAction,
    ChangeKind,
    Homework,
    HomeworkAttachment,
    Lesson,
    LessonStatus,
)
from school import uploads
from school.models import Student, User

from .common import (
    Conflict,
    check_student_in_lesson,
    fmt,
    guard_lesson_write,
    journal_changed,
)

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS = 5
ALLOWED_EXTENSIONS = {
    ".pdf",
    ".doc",
    ".docx",
    ".odt",
    ".rtf",
    ".txt",
    ".xls",
    ".xlsx",
    ".ods",
    ".ppt",
    ".pptx",
    ".odp",
    ".jpg",
    ".jpeg",
    ".png",
    ".gif",
    ".webp",
    ".mp3",
    ".zip",
}
assert set(uploads.FILE_TYPES) >= ALLOWED_EXTENSIONS, "every allowed file needs a known type"
MSG_EMPTY = _("Напишите текст задания.")
MSG_NO_NEXT_LESSON = _(
    "После %(date)s в расписании нет урока «%(subject)s»: укажите срок сдачи вручную."
)
MSG_DUE_BEFORE = _("Срок сдачи (%(due)s) не может быть раньше урока, на котором задано (%(date)s).")
MSG_DUE_AFTER_YEAR = _(
    "Срок сдачи (%(due)s) позже конца учебного года %(year)s (%(end)s): выберите дату "
    "в этом учебном году."
)
MSG_FILE_TOO_BIG = _("Файл «%(name)s» больше 10 МБ: уменьшите его или дайте ссылку в тексте.")
MSG_FILE_TYPE = _(
    "Файлы «%(ext)s» прикреплять нельзя. Можно: PDF, документы, таблицы, презентации, "
    "картинки, MP3 и ZIP."
)
MSG_FILE_CONTENT = _(
    "Файл «%(name)s» не похож на файл «%(ext)s»: его содержимое другого типа. "
    "Сохраните его заново в нужном формате."
)
MSG_TOO_MANY_FILES = _("К заданию можно прикрепить не больше %(max)s файлов.")
MSG_FIRST_GRADE = _("В первом классе домашние задания не задают.")


def next_lesson(lesson: Lesson) -> Lesson | None:
    """The same subject's next lesson for the same class (and group)."""
    return (
        Lesson.objects.filter(
            school_class_id=lesson.school_class_id,
            subject_id=lesson.subject_id,
            group_id=lesson.group_id,
            status__in=[LessonStatus.PLANNED, LessonStatus.CONDUCTED],
        )
        .filter(Q(date__gt=lesson.date) | Q(date=lesson.date, number__gt=lesson.number))
        .order_by("date", "number")
        .first()
    )


def _lesson_on(lesson: Lesson, day: dt.date) -> Lesson | None:
    """The subject's lesson for the same class (and group) on ``day``, if there is one."""
    return (
        Lesson.objects.filter(
            school_class_id=lesson.school_class_id,
            subject_id=lesson.subject_id,
            group_id=lesson.group_id,
            date=day,
            status__in=[LessonStatus.PLANNED, LessonStatus.CONDUCTED],
        )
        .order_by("number")
        .first()
    )


def _check_due_date(lesson: Lesson, due_date: dt.date) -> None:
    """Due on or after the lesson, within the lesson's academic year."""
    if due_date < lesson.date:
        raise ValidationError(
            MSG_DUE_BEFORE,
            code="due_before",
            params={"due": fmt(due_date), "date": fmt(lesson.date)},
        )
    year = lesson.school_class.year
    if due_date > year.end:
        raise ValidationError(
            MSG_DUE_AFTER_YEAR,
            code="due_after_year",
            params={"due": fmt(due_date), "year": year.name, "end": fmt(year.end)},
        )


def _snapshot(homework: Homework) -> dict:
    return {
        "text": homework.text,
        "due_date": fmt(homework.due_date),
        "student": homework.student.short_name if homework.student else None,
        "files": [a.original_name for a in homework.attachments.all()],
    }


def _validate_files(files: list[UploadedFile], already: int = 0) -> None:
    if len(files) + already > MAX_ATTACHMENTS:
        raise ValidationError(
            MSG_TOO_MANY_FILES, code="too_many_files", params={"max": MAX_ATTACHMENTS}
        )
    for upload in files:
        extension = Path(upload.name).suffix.lower()
        if extension not in ALLOWED_EXTENSIONS:
            raise ValidationError(
                MSG_FILE_TYPE, code="file_type", params={"ext": extension or upload.name}
            )
        if upload.size > MAX_ATTACHMENT_BYTES:
            raise ValidationError(MSG_FILE_TOO_BIG, code="file_size", params={"name": upload.name})
        if not uploads.matches_content(upload):
            raise ValidationError(
                MSG_FILE_CONTENT,
                code="file_content",
                params={"name": Path(upload.name).name, "ext": extension},
            )


def _attach(homework: Homework, files: list[UploadedFile]) -> None:
    for upload in files:
        attachment = HomeworkAttachment(
            homework=homework,
            original_name=Path(upload.name).name[:255],
            size=upload.size,
            content_type=uploads.content_type_for(upload.name)[:100],
        )
        attachment.file.save(Path(upload.name).name, upload, save=False)
        attachment.save()


def _student_ids(homework: Homework) -> list[int]:
    return [homework.student_id] if homework.student_id else []


def assign_homework(
    *,
    actor: User,
    lesson: Lesson,
    text: str,
    due_date: dt.date | None = None,
    student: Student | None = None,
    files: list[UploadedFile] | None = None,
    reason: str = "",
) -> Homework:
    files = files or []
    text = text.strip()
    if not text:
        raise ValidationError(MSG_EMPTY, code="empty")
    _validate_files(files)
    with transaction.atomic():
        lesson = Lesson.objects.select_related(
            "school_class", "school_class__school", "school_class__year", "subject", "group"
        ).get(pk=lesson.pk)
        guard_lesson_write(actor, lesson, reason=reason)
        if lesson.school_class.grade == 1:
            raise ValidationError(MSG_FIRST_GRADE, code="first_grade")
        if student is not None:
            check_student_in_lesson(student, lesson)
        due_lesson = None
        if due_date is None:
            due_lesson = next_lesson(lesson)
            if due_lesson is None:
                raise ValidationError(
                    MSG_NO_NEXT_LESSON,
                    code="no_next_lesson",
                    params={"date": fmt(lesson.date), "subject": lesson.subject.name},
                )
            due_date = due_lesson.date
        else:
            _check_due_date(lesson, due_date)
            due_lesson = _lesson_on(lesson, due_date)
        homework = Homework.objects.create(
            school_id=lesson.school_id,
            lesson=lesson,
            due_lesson=due_lesson,
            due_date=due_date,
            text=text,
            student=student,
            created_by=actor,
        )
        _attach(homework, files)
        journal_changed(
            actor=actor,
            instance=homework,
            kind=ChangeKind.HOMEWORK,
            action=ChangeAction.CREATE,
            school_id=lesson.school_id,
            old=None,
            new=_snapshot(homework),
            lesson_id=lesson.pk,
            student_id=homework.student_id,
            reason=reason,
            student_ids=_student_ids(homework),
        )
    return homework


def update_homework(
    *,
    actor: User,
    homework: Homework,
    expected_version: int,
    text: str | None = None,
    due_date: dt.date | None = None,
    files: list[UploadedFile] | None = None,
    remove_attachment_ids: list[int] | None = None,
    reason: str = "",
) -> Homework:
    files = files or []
    with transaction.atomic():
        homework = (
            Homework.objects.select_for_update(of=("self",))
            .select_related(
                "lesson",
                "lesson__school_class",
                "lesson__school_class__school",
                "lesson__subject",
                "student",
            )
            .get(pk=homework.pk)
        )
        if homework.version != expected_version:
            raise Conflict(homework.text[:60])
        # A lesson cancelled or moved since keeps its homework open to correction.
        guard_lesson_write(actor, homework.lesson, reason=reason, active=False)
        old = _snapshot(homework)
        if text is not None:
            if not text.strip():
                raise ValidationError(MSG_EMPTY, code="empty")
            homework.text = text.strip()
        if due_date is not None:
            _check_due_date(homework.lesson, due_date)
            homework.due_date = due_date
            homework.due_lesson = _lesson_on(homework.lesson, due_date)
        if remove_attachment_ids:
            homework.attachments.filter(pk__in=remove_attachment_ids).delete()
        _validate_files(files, already=homework.attachments.count())
        _attach(homework, files)
        homework.version += 1
        homework.save(update_fields=["text", "due_date", "due_lesson", "version", "updated_at"])
        journal_changed(
            actor=actor,
            instance=homework,
            kind=ChangeKind.HOMEWORK,
            action=ChangeAction.UPDATE,
            school_id=homework.school_id,
            old=old,
            new=_snapshot(homework),
            lesson_id=homework.lesson_id,
            student_id=homework.student_id,
            reason=reason,
            student_ids=_student_ids(homework),
        )
    return homework


def delete_homework(
    *, actor: User, homework: Homework, expected_version: int, reason: str = ""
) -> None:
    with transaction.atomic():
        homework = (
            Homework.objects.select_for_update(of=("self",))
            .select_related(
                "lesson",
                "lesson__school_class",
                "lesson__school_class__school",
                "lesson__subject",
                "student",
            )
            .get(pk=homework.pk)
        )
        if homework.version != expected_version:
            raise Conflict(homework.text[:60])
        # A lesson cancelled or moved since keeps its homework open to correction.
        guard_lesson_write(actor, homework.lesson, reason=reason, active=False)
        old = _snapshot(homework)
        homework_id = homework.pk
        homework.attachments.all().delete()
        homework.delete()
        homework.pk = homework_id
        journal_changed(
            actor=actor,
            instance=homework,
            kind=ChangeKind.HOMEWORK,
            action=ChangeAction.DELETE,
            school_id=homework.school_id,
            old=old,
            new=None,
            lesson_id=homework.lesson_id,
            student_id=homework.student_id,
            reason=reason,
            student_ids=_student_ids(homework),
        )

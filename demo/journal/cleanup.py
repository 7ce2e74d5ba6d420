"""Delete every journal row of a demo school before the school itself (``--reset``):
one ``DELETE`` per table instead of Django's collector loading every protected row."""

from __future__ import annotations

from journal.models import (
    Attendance,
    Bell,
    Homework,
    HomeworkAttachment,
    JournalChange,
    JournalSettings,
    Lesson,
    Mark,
    MarkColumn,
    Message,
    MessageRead,
    Remark,
    TimetableEntry,
    WorkType,
)
from school.models import School

from .writer import delete_where

BY_SCHOOL = "school_id = %s"


def delete_journal(school: School) -> None:
    params = [school.pk]
    delete_where(
        MessageRead,
        f"message_id IN (SELECT id FROM {Message._meta.db_table} WHERE {BY_SCHOOL})",
        params,
    )
    delete_where(
        HomeworkAttachment,
        f"homework_id IN (SELECT id FROM {Homework._meta.db_table} WHERE {BY_SCHOOL})",
        params,
    )
    for model in (Message, Remark, Homework, Mark, Attendance, JournalChange):
        delete_where(model, BY_SCHOOL, params)
    delete_where(
        MarkColumn,
        f"lesson_id IN (SELECT id FROM {Lesson._meta.db_table} WHERE {BY_SCHOOL})",
        params,
    )
    delete_where(Lesson, BY_SCHOOL, params)
    delete_where(
        TimetableEntry,
        f"school_class_id IN (SELECT id FROM {school.classes.model._meta.db_table} "
        f"WHERE {BY_SCHOOL})",
        params,
    )
    for model in (Bell, WorkType, JournalSettings):
        delete_where(model, BY_SCHOOL, params)

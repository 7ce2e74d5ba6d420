"""The journal in the deployment administrator's admin.

The school's settings for the journal (work types and their weights, bell times, the weekly
timetable, the per-school rules) are edited here: no service owns them. Everything a teacher
writes (lessons, mark columns, marks, attendance, homework and its files, remarks, messages)
and the journal's history are read-only: only ``journal.services`` write them, with the
version check, the audit row and the diary's projection in one transaction. Homework files
are not linked: they are served only by the journal's checked view.
"""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from school.admin_site import ReadOnlyAdmin, ReadOnlyInline

from .models import (
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

STUDENT_SEARCH = ("student__last_name", "student__first_name", "student__middle_name")
TEACHER_SEARCH = ("teacher__last_name", "teacher__first_name", "teacher__username")

# --- Settings: edited here ------------------------------------------------------------


@admin.register(JournalSettings)
class JournalSettingsAdmin(admin.ModelAdmin):
    list_display = ("school", "max_tests_per_day", "edit_window_days", "allow_future_marks")
    list_select_related = ("school",)
    search_fields = ("school__short_name", "school__name")


@admin.register(WorkType)
class WorkTypeAdmin(admin.ModelAdmin):
    """A new weight counts in every average at once; the diary shows a work type's name
    and weight as they were projected until ``manage.py rebuild_diary``."""

    list_display = ("name", "short_name", "code", "weight", "order", "school")
    list_filter = ("school", "weight")
    search_fields = ("name", "short_name", "code")
    list_select_related = ("school",)
    ordering = ("school__short_name", "order", "name")


@admin.register(Bell)
class BellAdmin(admin.ModelAdmin):
    list_display = ("number", "starts_at", "ends_at", "shift", "school")
    list_filter = ("school", "shift")
    list_select_related = ("school",)
    ordering = ("school__short_name", "shift", "number")


@admin.register(TimetableEntry)
class TimetableEntryAdmin(admin.ModelAdmin):
    """The weekly timetable. Lessons already generated from a row are not changed by
    editing it: lessons are changed, moved and cancelled on the journal's pages."""

    list_display = (
        "school_class",
        "weekday",
        "number",
        "subject",
        "teacher",
        "group",
        "room",
        "valid_from",
        "valid_to",
    )
    list_filter = ("school_class__school", "school_class__year", "weekday", "school_class__grade")
    search_fields = ("subject__name", *TEACHER_SEARCH, "room")
    list_select_related = ("school_class", "subject", "teacher", "group")
    autocomplete_fields = ("school_class", "group", "subject", "teacher")
    ordering = ("school_class__grade", "school_class__letter", "weekday", "number")


# --- What teachers write: read-only -----------------------------------------------------


@admin.register(Lesson)
class LessonAdmin(ReadOnlyAdmin):
    list_display = (
        "date",
        "number",
        "school_class",
        "subject",
        "teacher",
        "substitute",
        "lesson_type",
        "status",
        "topic",
    )
    list_filter = ("status", "lesson_type", "is_extra", "school", "school_class__grade")
    search_fields = ("topic", "subject__name", *TEACHER_SEARCH, "substitute__last_name")
    date_hierarchy = "date"
    list_select_related = ("school_class", "subject", "teacher", "substitute")
    ordering = ("-date", "number")


@admin.register(MarkColumn)
class MarkColumnAdmin(ReadOnlyAdmin):
    list_display = ("lesson", "position", "work_type", "weight", "title")
    list_filter = ("work_type__school", "work_type")
    search_fields = ("title", "work_type__name", "lesson__subject__name")
    list_select_related = ("lesson__subject", "lesson__school_class", "work_type")
    ordering = ("-lesson__date", "lesson__number", "position")


@admin.register(Mark)
class MarkAdmin(ReadOnlyAdmin):
    list_display = ("student", "value", "lesson", "column", "created_by", "updated_at")
    list_filter = ("value", "school", "column__work_type__name")
    search_fields = (*STUDENT_SEARCH, "lesson__subject__name", "comment")
    date_hierarchy = "created_at"
    list_select_related = (
        "student",
        "lesson__subject",
        "lesson__school_class",
        "column__work_type",
        "column__lesson__subject",
        "column__lesson__school_class",
        "created_by",
    )
    ordering = ("-created_at", "-id")


@admin.register(Attendance)
class AttendanceAdmin(ReadOnlyAdmin):
    list_display = ("student", "code", "lesson", "reason", "created_by", "updated_at")
    list_filter = ("code", "school")
    search_fields = (*STUDENT_SEARCH, "reason", "lesson__subject__name")
    date_hierarchy = "created_at"
    list_select_related = ("student", "lesson__subject", "lesson__school_class", "created_by")
    ordering = ("-created_at", "-id")


class HomeworkAttachmentInline(ReadOnlyInline):
    model = HomeworkAttachment
    fields = ("original_name", "size", "content_type", "created_at")
    readonly_fields = fields


@admin.register(Homework)
class HomeworkAdmin(ReadOnlyAdmin):
    list_display = ("due_date", "lesson", "short_text", "student", "created_by")
    list_filter = ("school", "lesson__subject__name")
    search_fields = ("text", "lesson__subject__name", *STUDENT_SEARCH)
    date_hierarchy = "due_date"
    list_select_related = ("lesson__subject", "lesson__school_class", "student", "created_by")
    ordering = ("-due_date", "-id")
    inlines = (HomeworkAttachmentInline,)

    @admin.display(description=_("задание"))
    def short_text(self, homework: Homework) -> str:
        return homework.text[:80]


@admin.register(HomeworkAttachment)
class HomeworkAttachmentAdmin(ReadOnlyAdmin):
    list_display = ("original_name", "homework", "size", "content_type", "created_at")
    search_fields = ("original_name", "homework__text")
    list_filter = ("content_type",)
    date_hierarchy = "created_at"
    list_select_related = ("homework__lesson__subject",)
    exclude = ("file",)


@admin.register(Remark)
class RemarkAdmin(ReadOnlyAdmin):
    list_display = ("date", "kind", "student", "subject", "author", "text")
    list_filter = ("kind", "school")
    search_fields = (*STUDENT_SEARCH, "text", "author__last_name")
    date_hierarchy = "date"
    list_select_related = ("student", "subject", "author")


class MessageReadInline(ReadOnlyInline):
    model = MessageRead
    fields = ("user", "read_at")
    readonly_fields = fields


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "subject", "sender", "student", "school_class")
    list_filter = ("school",)
    search_fields = ("subject", "text", "sender__last_name", *STUDENT_SEARCH)
    date_hierarchy = "created_at"
    list_select_related = ("sender", "student", "school_class")
    inlines = (MessageReadInline,)


@admin.register(MessageRead)
class MessageReadAdmin(ReadOnlyAdmin):
    list_display = ("read_at", "user", "message")
    search_fields = ("user__last_name", "user__username", "message__subject")
    date_hierarchy = "read_at"
    list_select_related = ("user", "message")
    ordering = ("-read_at",)


@admin.register(JournalChange)
class JournalChangeAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor", "kind", "action", "lesson", "student", "old", "new", "reason")
    list_filter = ("kind", "action", "school")
    search_fields = (*STUDENT_SEARCH, "actor__last_name", "actor__username", "reason")
    date_hierarchy = "at"
    list_select_related = ("actor", "lesson__subject", "lesson__school_class", "student")

"""The family's diary in the deployment administrator's admin: all read-only.

The diary's entries are a projection of the journal (``diary.projection``): a wrong entry is
fixed in the journal, or the projection is rebuilt with ``manage.py rebuild_diary`` and
checked with ``manage.py check_diary``. The log of staff views of a child's diary, the
families' visits and their reports of absences ahead are written by ``diary.services``.
"""

from __future__ import annotations

from django.contrib import admin

from school.admin_site import ReadOnlyAdmin

from .models import AbsenceReport, DiaryEntry, DiaryVisit, PersonalDataAccess

STUDENT_SEARCH = ("student__last_name", "student__first_name", "student__middle_name")


@admin.register(DiaryEntry)
class DiaryEntryAdmin(ReadOnlyAdmin):
    list_display = ("date", "kind", "student", "subject", "due_date", "changed_at", "source_id")
    list_filter = ("kind", "school")
    search_fields = (*STUDENT_SEARCH, "=source_id", "subject__name")
    date_hierarchy = "date"
    list_select_related = ("student", "subject")
    ordering = ("-date", "-changed_at")


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(ReadOnlyAdmin):
    list_display = ("at", "viewer", "student", "page", "path")
    list_filter = ("page", "school")
    search_fields = (*STUDENT_SEARCH, "viewer__last_name", "viewer__username")
    date_hierarchy = "at"
    list_select_related = ("viewer", "student")


@admin.register(DiaryVisit)
class DiaryVisitAdmin(ReadOnlyAdmin):
    list_display = ("seen_at", "user", "student", "section")
    list_filter = ("section",)
    search_fields = (*STUDENT_SEARCH, "user__last_name", "user__username")
    date_hierarchy = "seen_at"
    list_select_related = ("user", "student")
    ordering = ("-seen_at",)


@admin.register(AbsenceReport)
class AbsenceReportAdmin(ReadOnlyAdmin):
    list_display = ("start", "end", "student", "kind", "note", "reported_by", "created_at")
    list_filter = ("kind", "school")
    search_fields = (*STUDENT_SEARCH, "note", "reported_by__last_name")
    date_hierarchy = "start"
    list_select_related = ("student", "reported_by")

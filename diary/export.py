"""What the diary and the journal hold about a child, for the personal-data export
(``consent.export``): who of the staff opened the child's diary, the family's absence
reports, when the family last opened the diary's sections, and a count of marks and
absences per subject and year (the marks themselves are in the diary). Named in settings
``CONSENT_EXPORT_SECTIONS``."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from consent.export import ExportSection
from journal.models import ABSENCE_CODES, Attendance, AttendanceCode, Mark
from school.models import Guardian, Student

from .models import AbsenceReport, DiarySection, DiaryVisit, PersonalDataAccess

# What ``PersonalDataAccess.page`` names, in words (``diary.views``).
PAGES = {
    "week": gettext_lazy("неделя"),
    "marks": gettext_lazy("отметки"),
    "finals": gettext_lazy("итоговые отметки"),
    "tests": gettext_lazy("контрольные"),
    "messages": gettext_lazy("сообщения"),
    "teachers": gettext_lazy("учителя"),
    "holidays": gettext_lazy("каникулы"),
    "record": gettext_lazy("личное дело"),
    "report_absence": gettext_lazy("сообщение о пропуске"),
    "attachment": gettext_lazy("файл к заданию"),
}


def _names(students: list[Student]) -> dict[int, str]:
    return {s.pk: s.full_name for s in students}


def staff_views(guardian: Guardian, students: list[Student]) -> list[dict[str, Any]]:
    """Every time a staff member opened one of the children's diary (DESIGN.md 4)."""
    names = _names(students)
    views = (
        PersonalDataAccess.objects.filter(student_id__in=names)
        .select_related("viewer")
        .order_by("at", "id")
    )
    return [
        {
            _("Когда"): v.at,
            _("Ребёнок"): names[v.student_id],
            _("Кто смотрел"): v.viewer.full_name,
            _("Раздел"): str(PAGES.get(v.page, v.page)),
        }
        for v in views
    ]


def absence_reports(guardian: Guardian, students: list[Student]) -> list[dict[str, Any]]:
    names = _names(students)
    reports = (
        AbsenceReport.objects.filter(student_id__in=names)
        .select_related("reported_by")
        .order_by("start", "created_at")
    )
    return [
        {
            _("Ребёнок"): names[r.student_id],
            _("С"): r.start,
            _("По"): r.end,
            _("Причина"): r.get_kind_display(),
            _("Пояснение"): r.note,
            _("Сообщил"): r.reported_by.full_name,
            _("Когда сообщено"): r.created_at,
        }
        for r in reports
    ]


def visits(guardian: Guardian, students: list[Student]) -> list[dict[str, Any]]:
    """When the guardian last opened a section of a child's diary (what is «new» since)."""
    if guardian.user_id is None:
        return []
    names = _names(students)
    rows = DiaryVisit.objects.filter(user_id=guardian.user_id, student_id__in=names).order_by(
        "student_id", "section"
    )
    return [
        {
            _("Ребёнок"): names[v.student_id],
            _("Раздел"): str(DiarySection(v.section).label),
            _("Последний просмотр"): v.seen_at,
        }
        for v in rows
    ]


def journal_summary(guardian: Guardian, students: list[Student]) -> list[dict[str, Any]]:
    """Per child, year and subject: how many marks and attendance entries the journal
    holds (two aggregate queries, whatever the number of marks)."""
    names = _names(students)
    year = "lesson__school_class__year"
    keys = ("student_id", f"{year}__start", f"{year}__name", "lesson__subject__name")
    counts: dict[tuple, dict[str, int]] = {}
    marks = Mark.objects.filter(student_id__in=names).values(*keys).annotate(n=Count("id"))
    for row in marks:
        counts.setdefault(tuple(row[k] for k in keys), {})["marks"] = row["n"]
    attendance = (
        Attendance.objects.filter(student_id__in=names)
        .values(*keys)
        .annotate(
            absent=Count("id", filter=Q(code__in=list(ABSENCE_CODES))),
            late=Count("id", filter=Q(code=AttendanceCode.LATE)),
        )
    )
    for row in attendance:
        entry = counts.setdefault(tuple(row[k] for k in keys), {})
        entry["absent"], entry["late"] = row["absent"], row["late"]
    return [
        {
            _("Ребёнок"): names[student_id],
            _("Учебный год"): year_name,
            _("Предмет"): subject,
            _("Отметок"): entry.get("marks", 0),
            _("Пропусков уроков"): entry.get("absent", 0),
            _("Опозданий"): entry.get("late", 0),
        }
        for (student_id, _start, year_name, subject), entry in sorted(
            counts.items(), key=lambda item: (names[item[0][0]], item[0][1], item[0][3])
        )
    ]


JOURNAL_SUMMARY = ExportSection(
    key="diary.journal_summary",
    title=gettext_lazy("Отметки и посещаемость: сводка"),
    rows=journal_summary,
    note=gettext_lazy(
        "Сами отметки и пропуски с датами — в электронном дневнике ребёнка (разделы "
        "«Отметки» и «Неделя»); здесь их число по предметам за каждый учебный год."
    ),
)

ABSENCE_REPORTS = ExportSection(
    key="diary.absence_reports",
    title=gettext_lazy("Сообщения о пропусках"),
    rows=absence_reports,
)

STAFF_VIEWS = ExportSection(
    key="diary.staff_views",
    title=gettext_lazy("Кто из сотрудников школы открывал дневник ребёнка"),
    rows=staff_views,
    note=gettext_lazy("Каждый просмотр дневника сотрудником записывается."),
)

VISITS = ExportSection(
    key="diary.visits",
    title=gettext_lazy("Когда родитель открывал разделы дневника"),
    rows=visits,
)

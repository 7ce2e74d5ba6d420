"""What the diary adds to the school's pages (see ``school.extensions``): the student's
day on their home page; the families' absence reports: on a class card, for its class
teacher and the school's leadership, flagged on the class teacher's home until they mark
them seen, and counted in the leadership's «needs attention»."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from school import access
from school.extensions import Attention, AttentionRow, ClassLink, HomeSection
from school.models import School, SchoolClass, Student

from . import selectors
from .access import can_see_absence_reports


def student_section(request: HttpRequest) -> dict | None:
    """A student's own day: today's lessons, the homework for the next school day, the
    latest marks; nothing while the diary is closed (the home page says why)."""
    viewer = access.viewer_for(request.user)
    if viewer.student_id is None or not access.is_open_to_family(viewer, viewer.student_id):
        return None
    student = Student.objects.select_related("school").get(pk=viewer.student_id)
    home = selectors.student_home(student, student.school.local_today())
    return {"student": student, "home": home}


STUDENT_SECTION = HomeSection(
    slot="student", template="diary/home_student.html", context=student_section
)


def class_links(request: HttpRequest, school_class: SchoolClass) -> list[ClassLink]:
    if not can_see_absence_reports(request.user, school_class):
        return []
    return [
        ClassLink(
            _("Сообщения родителей о пропусках"),
            reverse("diary:absence_reports", args=[school_class.pk]),
        )
    ]


# How many rows a home section or an attention block lists before «and N more».
SHOWN_ROWS = 8


def homeroom_section(request: HttpRequest) -> dict | None:
    """The class teacher's flag: the families' absence reports of their class(es) they have
    not marked seen yet, and the way to the class's reports."""
    viewer = access.viewer_for(request.user)
    if not viewer.homeroom_class_ids:
        return None
    classes = SchoolClass.objects.filter(pk__in=viewer.homeroom_class_ids)
    unseen = selectors.unseen_absence_reports(classes=classes, today=viewer.today)
    rows = []
    for school_class in classes.order_by("grade", "letter"):
        reports = [r for r in unseen if r.class_id == school_class.pk]
        rows.append(
            {
                "school_class": school_class,
                "count": len(reports),
                "reports": reports[:SHOWN_ROWS],
                "more": max(len(reports) - SHOWN_ROWS, 0),
            }
        )
    return {"homeroom_reports": rows}


HOMEROOM_SECTION = HomeSection(
    slot="homeroom", template="diary/home_homeroom.html", context=homeroom_section
)


def unseen_absence_reports(school: School, today) -> Attention:
    """For the leadership: the families' absence reports no class teacher has marked
    seen, per class, each class opening its reports."""
    unseen = selectors.unseen_absence_reports(
        classes=SchoolClass.objects.filter(year__school=school), today=today, school_id=school.pk
    )
    per_class: dict[int, int] = {}
    for report in unseen:
        per_class[report.class_id] = per_class.get(report.class_id, 0) + 1
    classes = (
        {
            c.pk: c
            for c in SchoolClass.objects.filter(pk__in=per_class).select_related("class_teacher")
        }
        if per_class
        else {}
    )
    ordered = sorted(per_class, key=lambda pk: (classes[pk].grade, classes[pk].letter))
    rows = [
        AttentionRow(
            label=classes[pk].name,
            url=reverse("diary:absence_reports", args=[pk]),
            detail=_("сообщений: %(n)d") % {"n": per_class[pk]}
            + (f" · {classes[pk].class_teacher.short_name}" if classes[pk].class_teacher else ""),
        )
        for pk in ordered
    ]
    return Attention(
        title=_("Сообщения родителей о пропусках, не просмотренные классными руководителями"),
        count=len(unseen),
        done=_("Все сообщения родителей о пропусках просмотрены."),
        rows=rows[:SHOWN_ROWS],
        more=max(len(rows) - SHOWN_ROWS, 0),
    )

"""What the diary adds to the school's pages (see ``school.extensions``): the student's
day on their home page; the families' absence reports on a class card, for its class
teacher and the school's leadership."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from school import access
from school.extensions import ClassLink, HomeSection
from school.models import SchoolClass, Student

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

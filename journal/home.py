"""What the journal adds to the school's pages (see ``school.extensions``; settings
``SCHOOL_HOME_SECTIONS`` and ``SCHOOL_CLASS_LINKS`` name them): today's lessons on a
teacher's home page, and the journal's links on a class card."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from journal.views.day import day_context
from school import access
from school.extensions import ClassLink, HomeSection
from school.models import SchoolClass


def today_section(request: HttpRequest) -> dict | None:
    """The teacher's lessons today; nothing for those who do not teach."""
    viewer = access.viewer_for(request.user)
    if not viewer.teacher_schools:
        return None
    return day_context(request.user, viewer.today, viewer.today, viewer.teacher_schools)


TODAY_SECTION = HomeSection(
    slot="teacher", template="journal/home_today.html", context=today_section
)


def class_links(request: HttpRequest, school_class: SchoolClass) -> list[ClassLink]:
    if not access.can_view_class_journals(request.user, school_class):
        return []
    return [
        ClassLink(_("Журнал"), reverse("journal:class_journals", args=[school_class.pk])),
        ClassLink(
            _("График контрольных"), reverse("journal:test_schedule", args=[school_class.pk])
        ),
    ]

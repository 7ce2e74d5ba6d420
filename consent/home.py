"""What the consent app adds to the school's pages (see ``school.extensions``; settings
``SCHOOL_CLASS_LINKS``, ``SCHOOL_FAMILY_LINKS`` and ``SCHOOL_HOME_SECTIONS`` name them): a
class card links to its families' consents and contacts, a student card to the family
cards; the secretary's home page gets the offline list and the classes' families; a
guardian's home page links their consent."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from school import access as school_access
from school.extensions import ClassLink, FamilyLink, HomeSection
from school.models import Guardian, School, SchoolClass, Student
from school.selectors import classes_with_counts, current_year

from .access import can_manage_class_families, can_see_offline_list


def class_links(request: HttpRequest, school_class: SchoolClass) -> list[ClassLink]:
    if not can_manage_class_families(request.user, school_class):
        return []
    return [
        ClassLink(
            _("Согласия и контакты семей"),
            reverse("consent:class_families", args=[school_class.pk]),
        )
    ]


def family_links(
    request: HttpRequest, student: Student, guardians: list[Guardian]
) -> list[FamilyLink]:
    """A student card to each guardian's family card, for those who manage the family's
    data (the rule ``access.family_for_staff_or_404`` applies to the card itself)."""
    if not school_access.can_manage_family_data(request.user, student):
        return []
    return [
        FamilyLink(g.pk, _("Карточка семьи"), reverse("consent:family", args=[g.pk]))
        for g in guardians
    ]


def home_section(request: HttpRequest) -> dict | None:
    """Per school whose offline list the person may see: the link to it and the classes,
    each opening its families' consents."""
    viewer = school_access.viewer_for(request.user)
    school_ids = sorted(
        pk
        for pk in viewer.secretary_schools | viewer.leadership_schools
        if can_see_offline_list(request.user, pk)
    )
    if not school_ids:
        return None
    schools = []
    for school in School.objects.filter(pk__in=school_ids).order_by("short_name"):
        today = school.local_today()
        year = current_year(school, today)
        classes = classes_with_counts(SchoolClass.objects.filter(year=year), today) if year else []
        schools.append({"school": school, "classes": classes})
    return {"consent_schools": schools}


def family_section(request: HttpRequest) -> dict | None:
    """A guardian's way to their consent, channels and contacts."""
    viewer = school_access.viewer_for(request.user)
    if viewer.guardian_id is None:
        return None
    return {}


SECRETARY_SECTION = HomeSection(
    slot="secretary", template="consent/staff/home_section.html", context=home_section
)
FAMILY_SECTION = HomeSection(
    slot="family", template="consent/family/home_section.html", context=family_section
)

"""What the notifications app adds to the school's pages (``school.extensions``; setting
``SCHOOL_FAMILY_LINKS``): a student card links to what was sent to each guardian."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from school import access as school_access
from school.extensions import FamilyLink
from school.models import Guardian, Student


def family_links(
    request: HttpRequest, student: Student, guardians: list[Guardian]
) -> list[FamilyLink]:
    """The family's deliveries, for those who manage the family's data (the page itself
    asks ``consent.access.family_for_staff_or_404``, built on the same rule)."""
    if not school_access.can_manage_family_data(request.user, student):
        return []
    return [
        FamilyLink(g.pk, _("Уведомления"), reverse("notifications:family_deliveries", args=[g.pk]))
        for g in guardians
    ]

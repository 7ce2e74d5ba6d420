"""Who may see and change a family's consents and contacts, built on ``school.access``.

Staff: the secretary and the leadership of a school where one of the guardian's children
studies, and the class teacher of one of those children (``can_manage_family_data``).
A guardian manages their own data only through their own cabinet pages (no id in the URL).
Anyone else gets 404, never 403, so that a stranger cannot learn that a family exists."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from school import access
from school.models import Guardian, SchoolClass, User


def manageable_guardians(user: User) -> QuerySet[Guardian]:
    """Every guardian whose consents and contacts ``user`` may manage as staff."""
    viewer = access.viewer_for(user)
    whole_school = viewer.leadership_schools | viewer.secretary_schools
    q = Q(pk__in=[])
    if whole_school:
        q |= Q(kinships__student__school_id__in=whole_school)
    if viewer.homeroom_class_ids:
        q |= Q(
            access.current_enrolment_q(timezone.localdate(), "kinships__student__enrolments__"),
            kinships__student__enrolments__school_class_id__in=viewer.homeroom_class_ids,
        )
    return Guardian.objects.filter(q).distinct()


def guardian_for_staff_or_404(user: User, guardian_id: int) -> Guardian:
    try:
        return manageable_guardians(user).select_related("user").get(pk=guardian_id)
    except Guardian.DoesNotExist as exc:
        raise Http404("Родитель не найден") from exc


def can_manage_class_families(user: User, school_class: SchoolClass) -> bool:
    """The families' list of a class: its school's secretary and leadership, its class
    teacher."""
    viewer = access.viewer_for(user)
    return viewer.sees_whole_school(school_class.school_id) or (
        school_class.pk in viewer.homeroom_class_ids
    )


def can_see_offline_list(user: User, school_id: int) -> bool:
    viewer = access.viewer_for(user)
    return viewer.sees_whole_school(school_id)

"""Who may see and change a family's consents and contacts, built on ``school.access``.

Staff: the secretary and the leadership of a school where one of the guardian's children
studies, and the class teacher of one of those children (``can_manage_family_data``).
A guardian manages their own data only through their own cabinet pages (no id in the URL).
Anyone else gets 404, never 403, so that a stranger cannot learn that a family exists."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from school import access
from school.models import Guardian, SchoolClass, Student, User, in_force_q
from school.selectors import children_of


def manageable_guardians(user: User) -> QuerySet[Guardian]:
    """Every guardian whose consents and contacts ``user`` may manage as staff."""
    viewer = access.viewer_for(user)
    whole_school = viewer.leadership_schools | viewer.secretary_schools
    q = Q(pk__in=[])
    if whole_school:
        q |= Q(kinships__student__school_id__in=whole_school)
    if viewer.homeroom_class_ids:
        q |= Q(
            in_force_q(viewer.today, "kinships__student__enrolments__"),
            kinships__student__enrolments__school_class_id__in=viewer.homeroom_class_ids,
        )
    return Guardian.objects.filter(q).distinct()


def guardian_for_staff_or_404(user: User, guardian_id: int) -> Guardian:
    try:
        return manageable_guardians(user).select_related("user").get(pk=guardian_id)
    except Guardian.DoesNotExist as exc:
        raise Http404(_("Родитель не найден")) from exc


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


def family_for_staff_or_404(user: User, guardian_id: int) -> tuple[Guardian, list[Student]]:
    """The guardian and those of their children whose family data ``user`` manages
    (``school.access.can_manage_family_data``; each child with their current class); 404
    when there are none, so that a stranger cannot learn the family exists."""
    guardian = guardian_for_staff_or_404(user, guardian_id)
    children = [
        child
        for child in children_of(guardian.pk, access.viewer_for(user).today)
        if access.can_manage_family_data(user, child)
    ]
    if not children:
        raise Http404(_("Семья не найдена"))
    return guardian, children


def own_guardian_or_403(user: User) -> Guardian:
    """The signed-in guardian, for the pages of one's own family: the page is no secret, so
    anyone who is not a guardian gets 403."""
    guardian_id = access.viewer_for(user).guardian_id
    if guardian_id is None:
        raise PermissionDenied(_("Эта страница — для родителей (законных представителей)."))
    return Guardian.objects.get(pk=guardian_id)

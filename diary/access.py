"""The diary's access rules, built on the school's access policy (``school.access``)."""

from __future__ import annotations

from school import access
from school.models import SchoolClass, User


def can_see_absence_reports(user: User, school_class: SchoolClass) -> bool:
    """The families' absence reports of a class: its class teacher and the leadership."""
    viewer = access.viewer_for(user)
    return school_class.pk in viewer.homeroom_class_ids or viewer.is_leadership(
        school_class.school_id
    )

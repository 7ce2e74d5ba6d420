"""The access policy: who may see and change which student's, class's and subject's data.

Every view, API endpoint and report calls these functions; none decides access itself.
The authorization-matrix test (tests/test_authorization_matrix.py) walks every URL against
every role to prove it.

Roles, all per school:
- director, deputy (leadership): everything in their school, read; changes that need
  authority (closing periods, changes in a closed period);
- secretary: the roster, families' contacts and consents, paper extracts of their school;
- teacher: the students they teach and the journals of their own assignments;
- class teacher: everything of their own class, read, and its families' contacts;
- guardian: only the children linked to them;
- student: only themselves.
A person may hold several roles (a teacher who is also a parent): rights add up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Q, QuerySet
from django.http import Http404

from .models import (
    Guardian,
    Position,
    SchoolClass,
    StaffMember,
    Student,
    Subject,
    TeachingAssignment,
    User,
)

LEADERSHIP = frozenset({Position.DIRECTOR, Position.DEPUTY})


@dataclass
class Viewer:
    """What one user is, computed once per request (see ``viewer_for``)."""

    user: User
    positions: dict[int, frozenset[str]] = field(default_factory=dict)  # school id -> positions
    guardian_id: int | None = None
    student_id: int | None = None
    homeroom_class_ids: frozenset[int] = frozenset()

    def schools_with(self, *positions: str) -> set[int]:
        wanted = set(positions)
        return {school for school, held in self.positions.items() if held & wanted}

    @cached_property
    def leadership_schools(self) -> set[int]:
        return self.schools_with(*LEADERSHIP)

    @cached_property
    def secretary_schools(self) -> set[int]:
        return self.schools_with(Position.SECRETARY)

    @cached_property
    def teacher_schools(self) -> set[int]:
        return self.schools_with(Position.TEACHER, *LEADERSHIP)

    @property
    def staff_schools(self) -> set[int]:
        return set(self.positions)

    @property
    def is_staff_member(self) -> bool:
        return bool(self.positions)

    @property
    def is_guardian(self) -> bool:
        return self.guardian_id is not None

    @property
    def is_student(self) -> bool:
        return self.student_id is not None

    def is_director(self, school_id: int) -> bool:
        return Position.DIRECTOR in self.positions.get(school_id, frozenset())

    def is_leadership(self, school_id: int) -> bool:
        return school_id in self.leadership_schools

    def is_secretary(self, school_id: int) -> bool:
        return school_id in self.secretary_schools

    def sees_whole_school(self, school_id: int) -> bool:
        return self.is_leadership(school_id) or self.is_secretary(school_id)

    @cached_property
    def taught_class_ids(self) -> set[int]:
        """Classes in which the user teaches the whole class (not only a group)."""
        return set(
            TeachingAssignment.objects.filter(
                teacher=self.user, group__isnull=True, school_class__school_id__in=self.positions
            ).values_list("school_class_id", flat=True)
        )

    @cached_property
    def taught_group_ids(self) -> set[int]:
        return set(
            TeachingAssignment.objects.filter(
                teacher=self.user, group__isnull=False, school_class__school_id__in=self.positions
            ).values_list("group_id", flat=True)
        )


def viewer_for(user: User) -> Viewer:
    """The roles of ``user``, cached on the user object for the rest of the request."""
    cached = getattr(user, "_viewer", None)
    if cached is not None:
        return cached
    viewer = Viewer(user=user)
    if user.is_authenticated and user.is_active:
        positions: dict[int, set[str]] = {}
        for school_id, position in StaffMember.objects.filter(
            user=user, is_active=True
        ).values_list("school_id", "position"):
            positions.setdefault(school_id, set()).add(position)
        viewer.positions = {k: frozenset(v) for k, v in positions.items()}
        viewer.guardian_id = Guardian.objects.filter(user=user).values_list("id", flat=True).first()
        viewer.student_id = Student.objects.filter(user=user).values_list("id", flat=True).first()
        if viewer.positions:
            viewer.homeroom_class_ids = frozenset(
                SchoolClass.objects.filter(
                    class_teacher=user, school_id__in=viewer.positions
                ).values_list("id", flat=True)
            )
    user._viewer = viewer  # type: ignore[attr-defined]
    return viewer


# --- Students -------------------------------------------------------------------------


def _staff_student_filter(viewer: Viewer) -> Q:
    whole_school = viewer.leadership_schools | viewer.secretary_schools
    q = Q(school_id__in=whole_school)
    class_ids = set(viewer.homeroom_class_ids) | viewer.taught_class_ids
    if class_ids:
        q |= Q(enrolments__school_class_id__in=class_ids)
    if viewer.taught_group_ids:
        q |= Q(group_memberships__group_id__in=viewer.taught_group_ids)
    return q


def visible_students(user: User) -> QuerySet[Student]:
    """Every student ``user`` may see, for lists and lookups."""
    viewer = viewer_for(user)
    q = Q(pk__in=[])
    if viewer.is_staff_member:
        q |= _staff_student_filter(viewer)
    if viewer.guardian_id is not None:
        q |= Q(kinships__guardian_id=viewer.guardian_id)
    if viewer.student_id is not None:
        q |= Q(pk=viewer.student_id)
    return Student.objects.filter(q).distinct()


def can_view_student(user: User, student: Student) -> bool:
    viewer = viewer_for(user)
    if viewer.student_id == student.pk:
        return True
    if (
        viewer.guardian_id is not None
        and student.kinships.filter(guardian_id=viewer.guardian_id).exists()
    ):
        return True
    if viewer.sees_whole_school(student.school_id):
        return True
    if viewer.is_staff_member:
        return Student.objects.filter(_staff_student_filter(viewer), pk=student.pk).exists()
    return False


def can_view_student_as_staff(user: User, student: Student) -> bool:
    """Seeing a student through one's work (not as their parent): leadership, secretary,
    their class teacher or one of their teachers."""
    viewer = viewer_for(user)
    if not viewer.is_staff_member:
        return False
    if viewer.sees_whole_school(student.school_id):
        return True
    return Student.objects.filter(_staff_student_filter(viewer), pk=student.pk).exists()


def student_for_viewer_or_404(user: User, student_id: int) -> Student:
    """The student, if ``user`` may see them; otherwise 404, never 403, so that a stranger
    cannot even learn that the id exists."""
    try:
        return visible_students(user).select_related("school").get(pk=student_id)
    except Student.DoesNotExist as exc:
        raise Http404("Обучающийся не найден") from exc


def is_family_of(user: User, student: Student) -> bool:
    """True when ``user`` sees ``student`` as a guardian or as the student."""
    viewer = viewer_for(user)
    if viewer.student_id == student.pk:
        return True
    return (
        viewer.guardian_id is not None
        and student.kinships.filter(guardian_id=viewer.guardian_id).exists()
    )


def can_manage_family_data(user: User, student: Student) -> bool:
    """Contacts and consents of a family: secretary, leadership, the class teacher."""
    viewer = viewer_for(user)
    if viewer.sees_whole_school(student.school_id):
        return True
    return (
        bool(viewer.homeroom_class_ids)
        and student.enrolments.filter(school_class_id__in=viewer.homeroom_class_ids).exists()
    )


# --- Classes and journals -------------------------------------------------------------


def visible_classes(user: User) -> QuerySet[SchoolClass]:
    viewer = viewer_for(user)
    if not viewer.is_staff_member:
        return SchoolClass.objects.none()
    whole_school = viewer.leadership_schools | viewer.secretary_schools
    group_class_ids = (
        set(
            SchoolClass.objects.filter(groups__id__in=viewer.taught_group_ids).values_list(
                "id", flat=True
            )
        )
        if viewer.taught_group_ids
        else set()
    )
    class_ids = set(viewer.homeroom_class_ids) | viewer.taught_class_ids | group_class_ids
    return SchoolClass.objects.filter(Q(school_id__in=whole_school) | Q(id__in=class_ids))


def can_view_class(user: User, school_class: SchoolClass) -> bool:
    return visible_classes(user).filter(pk=school_class.pk).exists()


def class_for_viewer_or_404(user: User, class_id: int) -> SchoolClass:
    try:
        return (
            visible_classes(user).select_related("school", "year", "class_teacher").get(pk=class_id)
        )
    except SchoolClass.DoesNotExist as exc:
        raise Http404("Класс не найден") from exc


def can_view_journal(user: User, school_class: SchoolClass, subject: Subject) -> bool:
    """Read a class's journal for a subject: leadership, the class teacher, its teacher."""
    viewer = viewer_for(user)
    if viewer.is_leadership(school_class.school_id):
        return True
    if school_class.pk in viewer.homeroom_class_ids:
        return True
    return school_class.school_id in viewer.teacher_schools and (
        TeachingAssignment.objects.filter(
            teacher=user, school_class=school_class, subject=subject
        ).exists()
    )


def can_edit_journal(user: User, school_class: SchoolClass, subject: Subject) -> bool:
    """Write marks, attendance and homework: the teacher assigned to that class and subject,
    or the school's leadership (director, deputy). Period locks are checked by services."""
    viewer = viewer_for(user)
    if viewer.is_leadership(school_class.school_id):
        return True
    return school_class.school_id in viewer.teacher_schools and (
        TeachingAssignment.objects.filter(
            teacher=user, school_class=school_class, subject=subject
        ).exists()
    )


# --- School-wide ----------------------------------------------------------------------


def can_manage_roster(user: User, school_id: int) -> bool:
    """Admit, move and discharge students, edit families: secretary and leadership."""
    return viewer_for(user).sees_whole_school(school_id)


def can_view_school_overview(user: User, school_id: int) -> bool:
    return viewer_for(user).is_leadership(school_id)


def can_close_period(user: User, school_id: int) -> bool:
    return viewer_for(user).is_director(school_id)


def roster_schools(user: User) -> set[int]:
    """Schools whose whole roster ``user`` may browse."""
    viewer = viewer_for(user)
    return viewer.leadership_schools | viewer.secretary_schools

"""The access policy: who may see and change which student's, class's and subject's data.

Every view, API endpoint and report calls these functions; none decides access itself.
The authorization matrix (tests/authz_cases_*.py, walked by tests/authz/) asks every URL as
every role to prove it.

Roles, all per school:
- director, deputy (leadership): everything in their school, read; changes that need
  authority (closing periods, changes in a closed period);
- secretary: the roster, families' contacts and consents, paper extracts of their school;
- teacher: the students they teach and the journals of their own assignments;
- class teacher: everything of their own class, read, and its families' contacts;
- guardian: only the children linked to them, while the family gate (consent) allows;
- student: only themselves, likewise.
A person may hold several roles (a teacher who is also a parent): rights add up.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import CharField, Exists, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Coalesce, Concat
from django.http import Http404

from .hooks import hooks
from .models import (
    Kinship,
    Position,
    SchoolClass,
    StaffMember,
    Student,
    Subject,
    TeachingAssignment,
    User,
    today_in,
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
    # The time zone of the person's school: the first one they work in, else their own as a
    # student, else their eldest child's; None for a person attached to no school.
    school_timezone: str | None = None

    @cached_property
    def today(self) -> dt.date:
        """Today where the person's school is (``School.local_today`` for their school)."""
        return today_in(self.school_timezone)

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

    @cached_property
    def teaches(self) -> bool:
        """Holds a teacher's position or teaches something (a director may, too): shows
        the teacher's day and load on the home page."""
        return bool(
            self.schools_with(Position.TEACHER) or self.taught_class_ids or self.taught_group_ids
        )

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

    @cached_property
    def open_family_ids(self) -> frozenset[int] | None:
        """The children whose data this person may see as family (``None``: no gate is
        set, every linked child). Asked of the family gates once per request."""
        gates: list[FamilyGate] = hooks("SCHOOL_FAMILY_GATES")
        if not gates or (self.guardian_id is None and self.student_id is None):
            return None
        return frozenset.intersection(*(gate(self) for gate in gates))


# --- The family gate -------------------------------------------------------------------
# A guardian sees a linked child, and a student themselves, only while the law allows it:
# settings SCHOOL_FAMILY_GATES names the consent app's gate (152-ФЗ); ``school`` does not
# import it. A gate gets the viewer and answers with the ids of the children whose cabinet
# is open; with several, a child must pass them all.

FamilyGate = Callable[[Viewer], frozenset[int]]


def is_open_to_family(viewer: Viewer, student_id: int) -> bool:
    """May ``viewer`` open this child's diary as family now (the gate's answer only)?"""
    return viewer.open_family_ids is None or student_id in viewer.open_family_ids


def family_q(viewer: Viewer) -> Q:
    """The students ``viewer`` sees as family: their linked children and themselves, as far
    as the family gate lets them. An empty filter for someone who is neither."""
    q = Q(pk__in=[])
    if viewer.guardian_id is not None:
        q |= Q(pk__in=Kinship.objects.filter(guardian_id=viewer.guardian_id).values("student_id"))
    if viewer.student_id is not None:
        q |= Q(pk=viewer.student_id)
    if viewer.open_family_ids is not None:
        q &= Q(pk__in=viewer.open_family_ids)
    return q


def _pairs(rows: list[str] | None) -> list[tuple[int, str]]:
    """«12:teacher» strings from ``_keyed`` back into (12, "teacher")."""
    pairs = []
    for row in rows or []:
        first, _, second = row.partition(":")
        pairs.append((int(first), second))
    return pairs


def _keyed(queryset: QuerySet, first: str, second: str) -> ArraySubquery:
    """The rows of ``queryset`` as an array of «first:second» strings, to be read in the same
    query as the user row."""
    return ArraySubquery(
        queryset.annotate(
            key=Concat(Cast(first, CharField()), Value(":"), Cast(second, CharField()))
        )
        .order_by()
        .values("key")
    )


def _school_timezone() -> Coalesce:
    """The time zone of the user's school (see ``Viewer.school_timezone``), in the viewer's
    one query."""
    staff = StaffMember.objects.filter(user=OuterRef("pk"), is_active=True).order_by("school_id")
    child = Student.objects.filter(kinships__guardian__user=OuterRef("pk")).order_by("birth_date")
    return Coalesce(
        Subquery(staff.values("school__timezone")[:1]),
        F("student__school__timezone"),
        Subquery(child.values("school__timezone")[:1]),
    )


def viewer_for(user: User) -> Viewer:
    """The roles of ``user``, cached on the user object for the rest of the request.

    One query whatever the roles (a page's query budget is small): the user row with the
    reverse one-to-one links (guardian, student) and, as arrays, the active staff positions,
    the classes the user leads and the classes and groups the user teaches."""
    cached = getattr(user, "_viewer", None)
    if cached is not None:
        return cached
    viewer = Viewer(user=user)
    if user.is_authenticated and user.is_active:
        row = (
            User.objects.filter(pk=user.pk)
            .annotate(
                staff=_keyed(
                    StaffMember.objects.filter(user=OuterRef("pk"), is_active=True),
                    "school_id",
                    "position",
                ),
                homeroom=_keyed(
                    SchoolClass.objects.filter(class_teacher=OuterRef("pk")), "id", "school_id"
                ),
                taught_classes=_keyed(
                    TeachingAssignment.objects.filter(teacher=OuterRef("pk"), group__isnull=True),
                    "school_class_id",
                    "school_class__school_id",
                ),
                taught_groups=_keyed(
                    TeachingAssignment.objects.filter(teacher=OuterRef("pk"), group__isnull=False),
                    "group_id",
                    "school_class__school_id",
                ),
                school_timezone=_school_timezone(),
            )
            .values_list(
                "guardian__id",
                "student__id",
                "staff",
                "homeroom",
                "taught_classes",
                "taught_groups",
                "school_timezone",
            )
            .first()
        )
        if row is not None:
            guardian_id, student_id, staff, homeroom, taught_classes, taught_groups, zone = row
            viewer.school_timezone = zone
            positions: dict[int, set[str]] = {}
            for school_id, position in _pairs(staff):
                positions.setdefault(school_id, set()).add(position)
            viewer.positions = {k: frozenset(v) for k, v in positions.items()}
            viewer.guardian_id, viewer.student_id = guardian_id, student_id
            schools = viewer.positions.keys()
            viewer.homeroom_class_ids = frozenset(
                class_id for class_id, school in _pairs(homeroom) if int(school) in schools
            )
            # Prime the cached properties: the same sets they would query for.
            viewer.__dict__["taught_class_ids"] = {
                class_id for class_id, school in _pairs(taught_classes) if int(school) in schools
            }
            viewer.__dict__["taught_group_ids"] = {
                group_id for group_id, school in _pairs(taught_groups) if int(school) in schools
            }
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
    if viewer.guardian_id is not None or viewer.student_id is not None:
        q |= family_q(viewer)
    return Student.objects.filter(q).distinct()


def can_view_student(user: User, student: Student) -> bool:
    viewer = viewer_for(user)
    if is_family_of(user, student):
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
    if viewer.open_family_ids is not None and student.pk not in viewer.open_family_ids:
        return False
    if viewer.student_id == student.pk:
        return True
    return (
        viewer.guardian_id is not None
        and student.kinships.filter(guardian_id=viewer.guardian_id).exists()
    )


def can_manage_family_data(user: User, student: Student) -> bool:
    """Contacts and consents of a family: secretary, leadership, the class teacher (of
    the child's class now, not of a class the child has left)."""
    viewer = viewer_for(user)
    if viewer.sees_whole_school(student.school_id):
        return True
    return (
        bool(viewer.homeroom_class_ids)
        and student.enrolments.in_force(viewer.today)
        .filter(school_class_id__in=viewer.homeroom_class_ids)
        .exists()
    )


# --- Classes and journals -------------------------------------------------------------


def _teaches_in_class(viewer: Viewer) -> Exists:
    """The viewer teaches the class (the whole class or one of its groups): one subquery,
    so a class lookup stays a single query."""
    return Exists(
        TeachingAssignment.objects.filter(
            teacher=viewer.user,
            school_class=OuterRef("pk"),
            school_class__school_id__in=list(viewer.positions),
        )
    )


def visible_classes(user: User) -> QuerySet[SchoolClass]:
    viewer = viewer_for(user)
    if not viewer.is_staff_member:
        return SchoolClass.objects.none()
    whole_school = viewer.leadership_schools | viewer.secretary_schools
    return SchoolClass.objects.filter(
        Q(school_id__in=whole_school)
        | Q(id__in=viewer.homeroom_class_ids)
        | _teaches_in_class(viewer)
    )


def can_view_class(user: User, school_class: SchoolClass) -> bool:
    return visible_classes(user).filter(pk=school_class.pk).exists()


def class_for_viewer_or_404(user: User, class_id: int) -> SchoolClass:
    try:
        return (
            visible_classes(user).select_related("school", "year", "class_teacher").get(pk=class_id)
        )
    except SchoolClass.DoesNotExist as exc:
        raise Http404("Класс не найден") from exc


@dataclass(frozen=True)
class JournalRights:
    """What a person may do with one class's journal in one subject (one query at most):
    ``view`` and ``edit`` as ``can_view_journal`` and ``can_edit_journal`` answer, and
    ``teaches``: they hold a teaching assignment for it. The leadership may edit without
    one, and pages let them do so only on request («Исправить»)."""

    view: bool
    edit: bool
    teaches: bool


def journal_rights(user: User, school_class: SchoolClass, subject: Subject) -> JournalRights:
    viewer = viewer_for(user)
    teaches = school_class.school_id in viewer.teacher_schools and (
        TeachingAssignment.objects.filter(
            teacher=user, school_class=school_class, subject=subject
        ).exists()
    )
    edit = teaches or viewer.is_leadership(school_class.school_id)
    view = edit or school_class.pk in viewer.homeroom_class_ids
    return JournalRights(view=view, edit=edit, teaches=teaches)


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


def can_view_class_journals(user: User, school_class: SchoolClass) -> bool:
    """The class's journal pages (its subjects, test schedule, messages to its parents):
    leadership, the class teacher and the teachers of the class. Not the secretary."""
    viewer = viewer_for(user)
    if viewer.is_leadership(school_class.school_id):
        return True
    if school_class.pk in viewer.homeroom_class_ids:
        return True
    return school_class.school_id in viewer.teacher_schools and (
        TeachingAssignment.objects.filter(teacher=user, school_class=school_class).exists()
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
    """The director and deputies of the school; and the deployment's administrator (a
    superuser), for whom the overview's figures are the way into a school's data besides the
    admin. Class cards, journals and diaries stay closed to a superuser without a role."""
    return user.is_superuser or viewer_for(user).is_leadership(school_id)


def can_close_period(user: User, school_id: int) -> bool:
    return viewer_for(user).is_director(school_id)


def roster_schools(user: User) -> set[int]:
    """Schools whose whole roster ``user`` may browse."""
    viewer = viewer_for(user)
    return viewer.leadership_schools | viewer.secretary_schools

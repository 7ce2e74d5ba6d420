"""The access policy (school/access.py) function by function."""

import datetime as dt

import pytest
from django.http import Http404

from consent.services import give_cabinet_consent
from school import access
from school.models import (
    GroupMembership,
    Guardian,
    Kinship,
    Position,
    Relation,
    StaffMember,
    StudyGroup,
    TeachingAssignment,
)
from tests.world import build_world

pytestmark = pytest.mark.django_db


def visible(world, role: str) -> set[str]:
    return {s.last_name for s in access.visible_students(world.users[role])}


def test_each_role_sees_exactly_its_students() -> None:
    world = build_world()
    assert visible(world, "director") == {"Соколов", "Морозова"}
    assert visible(world, "deputy") == {"Соколов", "Морозова"}
    assert visible(world, "secretary") == {"Соколов", "Морозова"}
    assert visible(world, "classteacher") == {"Соколов"}
    assert visible(world, "teacher") == {"Морозова"}
    assert visible(world, "parent") == {"Соколов"}
    assert visible(world, "student") == {"Соколов"}
    assert visible(world, "other_parent") == {"Морозова"}
    assert visible(world, "other_director") == {"Гусева"}
    assert visible(world, "admin") == set()


def test_a_guardian_never_gets_another_familys_child() -> None:
    """Another family's child is a 404, so a guardian cannot even learn that it exists."""
    world = build_world()
    with pytest.raises(Http404):
        access.student_for_viewer_or_404(world.users["parent"], world.child_b.pk)
    assert access.student_for_viewer_or_404(world.users["parent"], world.child_a.pk)
    assert not access.can_view_student(world.users["parent"], world.child_b)


def test_a_parent_who_is_also_a_teacher_has_both_rights() -> None:
    """Rights add up: the teacher of 6Б who is also a parent of a 5А child sees both."""
    world = build_world()
    teacher = world.users["teacher"]
    guardian = Guardian.objects.create(
        user=teacher,
        last_name="Кузнецов",
        first_name="Андрей",
        middle_name="Павлович",
        gender="m",
    )
    Kinship.objects.create(guardian=guardian, student=world.child_a, relation=Relation.FATHER)
    # As a parent only once his consent is in force (152-ФЗ): until then, only his pupils.
    assert {s.last_name for s in access.visible_students(teacher)} == {"Морозова"}
    give_cabinet_consent(guardian, [world.child_a], actor=world.users["secretary"])
    teacher.__dict__.pop("_viewer", None)
    assert {s.last_name for s in access.visible_students(teacher)} == {"Соколов", "Морозова"}
    assert access.is_family_of(teacher, world.child_a)
    assert not access.is_family_of(teacher, world.child_b)


def test_a_teacher_of_a_group_sees_only_its_members() -> None:
    world = build_world()
    group = StudyGroup.objects.create(
        school_class=world.class_5a, subject=world.math, name="1 группа"
    )
    GroupMembership.objects.create(group=group, student=world.child_a, start=world.year.start)
    StaffMember.objects.create(
        user=world.users["deputy"], school=world.school, position=Position.TEACHER
    )
    newcomer = world.users["other_parent"]
    StaffMember.objects.create(user=newcomer, school=world.school, position=Position.TEACHER)
    TeachingAssignment.objects.create(
        teacher=newcomer,
        subject=world.math,
        school_class=world.class_5a,
        group=group,
        start=world.year.start,
    )
    # other_parent: own child (Морозова) as a parent + the group member as a teacher.
    assert {s.last_name for s in access.visible_students(newcomer)} == {"Соколов", "Морозова"}
    assert access.can_view_class(newcomer, world.class_5a)


def test_staff_who_left_lose_access() -> None:
    """A teacher whose position is closed sees nobody, though old assignments remain."""
    world = build_world()
    assert visible(world, "teacher") == {"Морозова"}
    StaffMember.objects.filter(user=world.users["teacher"]).update(is_active=False)
    teacher = type(world.users["teacher"]).objects.get(pk=world.users["teacher"].pk)
    assert set(access.visible_students(teacher)) == set()
    assert not access.can_edit_journal(teacher, world.class_6b, world.math)


def test_journal_rights() -> None:
    world = build_world()
    users = world.users
    assert access.can_edit_journal(users["teacher"], world.class_6b, world.math)
    assert not access.can_edit_journal(users["teacher"], world.class_6b, world.russian)
    assert not access.can_edit_journal(users["teacher"], world.class_5a, world.math)
    assert access.can_view_journal(users["classteacher"], world.class_5a, world.math)
    assert not access.can_edit_journal(users["classteacher"], world.class_5a, world.math)
    assert access.can_edit_journal(users["director"], world.class_5a, world.math)
    assert not access.can_view_journal(users["secretary"], world.class_5a, world.math)
    assert not access.can_view_journal(users["parent"], world.class_5a, world.russian)
    assert not access.can_view_journal(users["other_director"], world.class_5a, world.russian)


def test_school_wide_rights() -> None:
    world = build_world()
    users, school = world.users, world.school.pk
    assert access.can_close_period(users["director"], school)
    assert not access.can_close_period(users["deputy"], school)
    assert not access.can_close_period(users["other_director"], school)
    assert access.can_manage_roster(users["secretary"], school)
    assert not access.can_manage_roster(users["classteacher"], school)
    assert access.can_view_school_overview(users["deputy"], school)
    assert not access.can_view_school_overview(users["secretary"], school)


def test_family_data_is_managed_by_secretary_leadership_and_class_teacher() -> None:
    world = build_world()
    users = world.users
    assert access.can_manage_family_data(users["secretary"], world.child_a)
    assert access.can_manage_family_data(users["classteacher"], world.child_a)
    assert not access.can_manage_family_data(users["classteacher"], world.child_b)
    assert not access.can_manage_family_data(users["teacher"], world.child_b)
    assert not access.can_manage_family_data(users["parent"], world.child_a)


def test_a_class_teacher_keeps_seeing_a_student_who_moved_out_that_year() -> None:
    """Dated enrolments: a student moved from 5А keeps their 5А history visible to 5А's
    class teacher (marks stay with the old class)."""
    world = build_world()
    from school.services import transfer_student

    moved_on = world.year.start + dt.timedelta(days=30)
    transfer_student(
        student=world.child_a,
        to_class=world.class_6b,
        on_date=moved_on,
        actor=world.users["secretary"],
    )
    assert access.can_view_student(world.users["classteacher"], world.child_a)
    assert access.can_view_student(world.users["teacher"], world.child_a)

"""Every write of the roster goes through ``school.services``: the admin's pages and
inlines too. Each write keeps a ``RosterChange`` and tells the diary
(``enrolment_changed``), so class-wide and group items follow the student at once and
``check_diary`` finds nothing to repair."""

import datetime as dt

import pytest
from django.core.management import call_command

from diary import services as diary
from diary.models import DiaryEntry
from journal import services as journal
from school.models import (
    Enrolment,
    GroupMembership,
    RosterAction,
    RosterChange,
    RosterKind,
    Student,
    StudyGroup,
)
from school.services import transfer_student
from tests.factories import StudentFactory, StudyGroupFactory, UserFactory
from tests.journal_factories import build_journal_world
from tests.school.test_admin import admin_url, management_form, student_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser():
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def w():
    return build_journal_world()


def d(day: dt.date) -> str:
    return f"{day:%d.%m.%Y}"


def homework_rows(student: Student) -> list[str]:
    return list(
        DiaryEntry.objects.filter(student=student, kind="homework").values_list(
            "payload__text", flat=True
        )
    )


def assert_diary_clean(school_id: int) -> None:
    assert diary.differences(school_id) == []
    call_command("check_diary")  # raises CommandError on any difference


def test_an_enrolment_added_changed_and_deleted_in_the_admin_keeps_the_diary(
    admin_client, superuser, w
):
    """A student enrolled in 5А through the admin gets the class's homework in the diary at
    once; ending the enrolment (student page inline) and deleting it take it away again."""
    lesson = w.lesson(-3)
    journal.assign_homework(actor=w.teacher, lesson=lesson, text="№ 12", due_date=w.day(2))
    newcomer = StudentFactory(school=w.school, last_name="Новиков")

    added = admin_client.post(
        admin_url(Enrolment, "add"),
        {"student": newcomer.pk, "school_class": w.class_5a.pk, "start": d(w.year.start)},
    )
    assert added.status_code == 302
    enrolment = newcomer.enrolments.get()
    assert homework_rows(newcomer) == ["№ 12"]
    assert_diary_clean(w.school.pk)

    changed = admin_client.post(
        admin_url(Student, "change", newcomer.pk),
        {
            **student_form(newcomer),
            **management_form("enrolments", total=1, initial=1),
            "enrolments-0-id": enrolment.pk,
            "enrolments-0-student": newcomer.pk,
            "enrolments-0-school_class": w.class_5a.pk,
            "enrolments-0-start": d(w.year.start),
            "enrolments-0-end": d(lesson.date - dt.timedelta(days=1)),
        },
    )
    assert changed.status_code == 302
    assert homework_rows(newcomer) == []
    assert_diary_clean(w.school.pk)

    admin_client.post(
        admin_url(Student, "change", newcomer.pk),
        {
            **student_form(newcomer),
            **management_form("enrolments", total=1, initial=1),
            "enrolments-0-id": enrolment.pk,
            "enrolments-0-student": newcomer.pk,
            "enrolments-0-school_class": w.class_5a.pk,
            "enrolments-0-start": d(w.year.start),
            "enrolments-0-end": "",
        },
    )
    assert homework_rows(newcomer) == ["№ 12"]
    deleted = admin_client.post(admin_url(Enrolment, "delete", enrolment.pk), {"post": "yes"})
    assert deleted.status_code == 302
    assert not newcomer.enrolments.exists()
    assert homework_rows(newcomer) == []
    assert_diary_clean(w.school.pk)

    history = RosterChange.objects.filter(student_id=newcomer.pk).order_by("pk")
    assert [(c.kind, c.action, c.actor_id) for c in history] == [
        (RosterKind.ENROLMENT, RosterAction.CREATE, superuser.pk),
        (RosterKind.ENROLMENT, RosterAction.UPDATE, superuser.pk),
        (RosterKind.ENROLMENT, RosterAction.UPDATE, superuser.pk),
        (RosterKind.ENROLMENT, RosterAction.DELETE, superuser.pk),
    ]
    assert history[1].old["end"] is None
    assert history[1].new["end"] == (lesson.date - dt.timedelta(days=1)).isoformat()
    assert history[3].old["class"] == "5А"


def test_a_group_membership_edited_in_the_admin_keeps_the_diary(admin_client, w):
    """Joining a group on the group's page brings its homework into the diary; removing the
    membership (the list's «delete selected» action) takes it away."""
    group = StudyGroupFactory(school_class=w.class_5a, subject=w.math, name="1 подгруппа")
    lesson = w.lesson(-2, group=group)
    journal.assign_homework(actor=w.teacher, lesson=lesson, text="Группе: № 3", due_date=w.day(2))
    student = w.students[0]

    response = admin_client.post(
        admin_url(StudyGroup, "change", group.pk),
        {
            "school_class": group.school_class_id,
            "subject": group.subject_id,
            "name": group.name,
            "kind": group.kind,
            **management_form("memberships", 1),
            "memberships-0-student": student.pk,
            "memberships-0-start": d(w.year.start),
            "memberships-0-end": "",
        },
    )
    assert response.status_code == 302
    membership = group.memberships.get()
    assert homework_rows(student) == ["Группе: № 3"]
    assert_diary_clean(w.school.pk)

    response = admin_client.post(
        admin_url(GroupMembership, "changelist"),
        {"action": "delete_selected", "_selected_action": [membership.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not group.memberships.exists()
    assert homework_rows(student) == []
    assert_diary_clean(w.school.pk)
    assert list(
        RosterChange.objects.filter(kind=RosterKind.GROUP_MEMBERSHIP)
        .order_by("pk")
        .values_list("action", flat=True)
    ) == [RosterAction.CREATE, RosterAction.DELETE]


def test_a_transfer_keeps_an_audit_row(w):
    """Moving a student to another class records who, when, from which class and dates to
    which, and why."""
    student = w.students[0]
    on = w.day(-5)

    enrolment = transfer_student(
        student=student, to_class=w.class_5b, on_date=on, actor=w.secretary, reason="Заявление № 4"
    )

    change = RosterChange.objects.get()
    assert (change.kind, change.action, change.actor, change.object_id, change.reason) == (
        RosterKind.ENROLMENT,
        RosterAction.TRANSFER,
        w.secretary,
        enrolment.pk,
        "Заявление № 4",
    )
    assert change.student_id == student.pk and change.school_id == w.school.pk
    assert change.old["class"] == "5А" and change.old["end"] is None
    assert change.new["class"] == "5Б" and change.new["start"] == on.isoformat()
    assert change.new["previous_end"] == (on - dt.timedelta(days=1)).isoformat()


def test_the_roster_history_is_read_only_in_the_admin(admin_client, w):
    transfer_student(
        student=w.students[0], to_class=w.class_5b, on_date=w.day(-5), actor=w.director
    )
    change = RosterChange.objects.get()

    listing = admin_client.get(admin_url(RosterChange, "changelist"))
    assert listing.status_code == 200
    assert listing.context["cl"].result_count == 1
    assert admin_client.get(admin_url(RosterChange, "add")).status_code == 403
    assert admin_client.post(admin_url(RosterChange, "delete", change.pk)).status_code == 403


def test_a_transfer_ends_the_old_classes_groups(w):
    """A student moved to 5Б leaves 5А's groups the day before the move (the membership that
    would only begin after it goes): the group's homework set after the move stays with
    the group, the history keeps a row for each, and the diary needs no repair."""
    student = w.students[0]
    on = w.day(-5)
    group = StudyGroupFactory(school_class=w.class_5a, subject=w.math, name="1 подгруппа")
    later = StudyGroupFactory(school_class=w.class_5a, subject=w.math, name="2 подгруппа")
    kept = GroupMembership.objects.create(group=group, student=student, start=w.year.start)
    GroupMembership.objects.create(group=later, student=student, start=w.day(-1))
    before, after = w.lesson(-7, group=group), w.lesson(-2, group=group)
    journal.assign_homework(actor=w.teacher, lesson=before, text="До перевода", due_date=w.day(2))
    journal.assign_homework(actor=w.teacher, lesson=after, text="После перевода", due_date=w.day(3))

    transfer_student(
        student=student, to_class=w.class_5b, on_date=on, actor=w.secretary, reason="Заявление № 5"
    )

    kept.refresh_from_db()
    assert kept.end == on - dt.timedelta(days=1)
    assert list(student.group_memberships.values_list("group__name", flat=True)) == ["1 подгруппа"]
    assert not GroupMembership.objects.filter(student=student).in_force(on).exists()
    assert homework_rows(student) == ["До перевода"]
    history = RosterChange.objects.filter(kind=RosterKind.GROUP_MEMBERSHIP).order_by("action")
    assert [(c.action, c.actor, c.reason) for c in history] == [
        (RosterAction.DELETE, w.secretary, "Заявление № 5"),
        (RosterAction.UPDATE, w.secretary, "Заявление № 5"),
    ]
    assert_diary_clean(w.school.pk)

"""The admin a support engineer needs: every model of our apps is registered (or is on a
short list of deliberate exclusions, each with its reason), and every registered list, its
search and a row's page open for the superuser, with rows of every model made the way the
portal makes them (through the services) on top of ``tests/world.py``."""

from __future__ import annotations

import datetime as dt

import pytest
from axes.models import AccessFailureLog
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db.models import Model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from consent import services as consent_services
from consent.models import ContactConfirmation, ContactSource
from diary import services as diary_services
from diary.models import AbsenceKind, DiarySection
from journal import services as journal_services
from journal.models import AttendanceCode, Bell, JournalSettings, RemarkKind, TimetableEntry
from notifications import delivery
from notifications.models import Channel, Frequency, Kind, Notification, Status
from notifications.subscriptions import set_subscription
from school import services as school_services
from school.models import (
    CurriculumItem,
    CurriculumPeriodPlan,
    GradeScheme,
    GroupMembership,
    Holiday,
    Period,
    StudyGroup,
)
from tests.once import built_once, copy_of
from tests.world import PASSWORD, World, build_world

pytestmark = pytest.mark.django_db

OUR_APPS = ("school", "journal", "diary", "consent", "notifications", "reports", "demo")

# Models of our apps deliberately left out of the admin, and why.
NOT_IN_ADMIN: dict[type[Model], str] = {
    ContactConfirmation: (
        "hashes of the codes sent to confirm a contact: only the confirmation flow reads them; "
        "the contact's «подтверждён» shows the outcome"
    ),
}


def our_models() -> set[type[Model]]:
    return {
        model
        for app in OUR_APPS
        if apps.is_installed(app)
        for model in apps.get_app_config(app).get_models()
    }


def test_every_model_staff_need_is_in_the_admin():
    missing = sorted(
        model._meta.label
        for model in our_models() - set(NOT_IN_ADMIN)
        if not admin.site.is_registered(model)
    )
    assert missing == [], "register these in the app's admin.py, or add them to NOT_IN_ADMIN"


def test_the_exclusions_are_real_models_not_in_the_admin():
    assert set(NOT_IN_ADMIN) <= our_models()
    assert not any(admin.site.is_registered(model) for model in NOT_IN_ADMIN)


# --- Every registered model's pages, with rows -------------------------------------------


def build_admin_world() -> World:
    """The access world with its journal, and a row of every model the admin shows."""
    world = build_world(journal=True)
    users, school, year = world.users, world.school, world.year
    teacher, parent = users["teacher"], users["parent"]
    mother = parent.guardian

    # School: calendar, groups, curriculum, the roster's history.
    Holiday.objects.create(year=year, name="Осенние каникулы", start=year.start, end=year.start)
    GradeScheme.objects.create(year=year, grade=5, scheme="quarters")
    group = StudyGroup.objects.create(
        school_class=world.class_6b, subject=world.math, name="1 группа", kind="subgroup"
    )
    school_services.save_group_membership(
        membership=GroupMembership(group=group, student=world.child_b, start=year.start),
        actor=users["director"],
    )
    item = CurriculumItem.objects.create(
        school_class=world.class_5a, subject=world.russian, hours_per_week=5, hours_year=170
    )
    CurriculumPeriodPlan.objects.create(item=item, period=Period.objects.get(year=year), hours=170)
    Group.objects.create(name="Поддержка")

    # Journal: settings, timetable, entries through the services.
    JournalSettings.objects.create(school=school)
    Bell.objects.create(school=school, number=1, starts_at=dt.time(8, 30), ends_at=dt.time(9, 10))
    TimetableEntry.objects.create(
        school_class=world.class_6b,
        subject=world.math,
        teacher=teacher,
        weekday=1,
        number=1,
        valid_from=year.start,
    )
    journal_services.record_mark(
        actor=teacher, lesson=world.lesson_6b, student=world.child_b, value=5
    )
    journal_services.set_attendance(
        actor=users["classteacher"],
        lesson=world.lesson_5a,
        student=world.child_a,
        code=AttendanceCode.LATE,
        expected_version=0,
    )
    journal_services.add_remark(
        actor=teacher, student=world.child_b, kind=RemarkKind.PRAISE, text="Молодец"
    )
    message = journal_services.send_message(
        actor=users["classteacher"],
        subject="Собрание",
        text="В пятницу",
        school_class=world.class_5a,
    )
    journal_services.mark_message_read(actor=parent, message=message)

    # Diary: the staff's views, the family's visits and a report of an absence ahead.
    diary_services.log_staff_view(actor=users["director"], student=world.child_a, page="week")
    diary_services.mark_visited(actor=parent, student=world.child_a, section=DiarySection.MARKS)
    today = school.local_today()
    diary_services.report_absence(
        actor=parent, student=world.child_a, start=today, end=today, kind=AbsenceKind.ILLNESS
    )

    # Consent: a contact and a family without internet access.
    consent_services.add_contact(
        guardian=mother,
        kind="email",
        value="sokolova@example.org",
        source=ContactSource.STAFF,
        actor=users["secretary"],
    )
    consent_services.mark_offline(guardian=users["other_parent"].guardian, actor=users["secretary"])

    # Notifications: a subscription and a failed message resent by staff.
    set_subscription(
        guardian=mother,
        student=world.child_a,
        kind=Kind.MARKS,
        channel=Channel.EMAIL,
        enabled=True,
        frequency=Frequency.INSTANT,
        actor=parent,
    )
    failed = Notification.objects.create(
        school=school,
        guardian=mother,
        student=world.child_a,
        channel=Channel.SMS,
        kind=Kind.MARKS,
        due_at=timezone.now(),
        idempotency_key="admin-test",
        status=Status.FAILED,
    )
    delivery.resend(notification=failed, actor=users["admin"])

    # The login lockout's rows: a successful login, then a failed one (a success clears
    # the failures before it).
    Client().post(reverse("login"), {"username": "parent", "password": PASSWORD})
    Client().post(reverse("login"), {"username": "parent", "password": "wrong"})
    # The failure log is off in our settings (AXES_ENABLE_ACCESS_FAILURE_LOG), its list
    # stays in the admin: a row written by hand.
    AccessFailureLog.objects.create(
        username="parent", ip_address="127.0.0.1", user_agent="test", path_info="/login/"
    )
    return world


@pytest.fixture(scope="module")
def _world_once(django_db_setup, django_db_blocker):
    with built_once(django_db_blocker, build_admin_world) as world:
        yield world


@pytest.fixture
def world(db, _world_once) -> World:
    return copy_of(_world_once)


@pytest.fixture
def superuser(world) -> Client:
    client = Client()
    client.force_login(world.users["admin"])
    return client


REGISTERED = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


def url(model: type[Model], view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize(
    ("model", "model_admin"), REGISTERED, ids=[m._meta.label for m, _ in REGISTERED]
)
def test_every_registered_list_search_and_row_opens(superuser, model, model_admin):
    row = model._default_manager.order_by("pk").first()
    assert row is not None, f"build_admin_world makes no {model._meta.label}"

    response = superuser.get(url(model, "changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count >= 1
    if model_admin.search_fields:
        assert superuser.get(url(model, "changelist"), {"q": "Соколов"}).status_code == 200
    assert superuser.get(url(model, "change", row.pk)).status_code == 200


def test_every_app_section_of_the_index_opens(superuser):
    labels = {model._meta.app_label for model, _ in REGISTERED}
    for label in labels:
        assert superuser.get(reverse("admin:app_list", args=[label])).status_code == 200

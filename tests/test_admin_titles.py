"""The admin's Russian: titles in the accusative («Изменить обучающегося»), django-axes'
section and the selects' empty choice in Russian, English when the interface is English."""

from __future__ import annotations

import re

import pytest
from django.contrib import admin
from django.db.models import Model
from django.test import Client
from django.urls import reverse

from consent.models import ConsentRecord, ConsentText, Contact, FamilyDataChange
from diary.models import AbsenceReport, DiaryEntry, DiaryVisit, PersonalDataAccess
from journal.models import (
    Attendance,
    Bell,
    Homework,
    HomeworkAttachment,
    JournalChange,
    JournalSettings,
    Lesson,
    Message,
    MessageRead,
    WorkType,
)
from notifications.models import Notification, NotificationChange, SubscriptionChange
from school.admin_site import PortalAdmin, accusative
from school.models import (
    AcademicYear,
    CurriculumPeriodPlan,
    Enrolment,
    GroupMembership,
    Holiday,
    Period,
    RosterChange,
    SchoolClass,
    StaffMember,
    Subject,
)
from tests.world import build_world

pytestmark = pytest.mark.django_db

# Registered models whose accusative is their nominative (inanimate masculine and neuter
# nouns, feminine nouns in -ь, plurals). A new model goes here or declares
# ``verbose_name_accusative`` next to its Meta.
SAME_IN_ACCUSATIVE: set[type[Model]] = {
    AcademicYear,
    Period,
    Holiday,
    Subject,
    SchoolClass,
    GroupMembership,
    Enrolment,
    CurriculumPeriodPlan,
    StaffMember,
    RosterChange,
    JournalSettings,
    WorkType,
    Bell,
    Lesson,
    Attendance,
    Homework,
    HomeworkAttachment,
    Message,
    MessageRead,
    JournalChange,
    DiaryEntry,
    PersonalDataAccess,
    DiaryVisit,
    AbsenceReport,
    ConsentText,
    ConsentRecord,
    Contact,
    FamilyDataChange,
    Notification,
    NotificationChange,
    SubscriptionChange,
}


def title(page) -> str:
    return re.search(r"<h1[^>]*>(.*?)</h1>", page.content.decode(), re.S).group(1).strip()


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def superuser(world) -> Client:
    client = Client()
    client.force_login(world.users["admin"])
    return client


def test_every_registered_model_has_its_accusative():
    undeclared = sorted(
        model._meta.label
        for model in admin.site._registry
        if model not in SAME_IN_ACCUSATIVE and accusative(model) == model._meta.verbose_name
    )
    assert undeclared == [], "declare verbose_name_accusative or add to SAME_IN_ACCUSATIVE"


def test_every_admin_has_the_titles_in_the_accusative():
    assert all(isinstance(a, PortalAdmin) for a in admin.site._registry.values())


def test_the_list_asks_to_choose_a_guardian_in_the_accusative(superuser):
    page = superuser.get(reverse("admin:school_guardian_changelist"))
    assert title(page) == "Выберите родителя (законного представителя) для изменения"
    assert "Добавить родителя (законного представителя)" in page.content.decode()


def test_the_student_forms_are_titled_in_the_accusative(world, superuser):
    change = superuser.get(reverse("admin:school_student_change", args=[world.child_a.pk]))
    assert title(change) == "Изменить обучающегося"
    rows = change.content.decode()
    assert "Добавить ещё родителя (законного представителя)" in rows
    assert "Добавить ещё зачисление в класс" in rows
    add = superuser.get(reverse("admin:school_student_add"))
    assert title(add) == "Добавить обучающегося"
    assert '<li aria-current="page">Добавить обучающегося</li>' in add.content.decode()


def test_a_read_only_list_and_row_say_view(world, superuser):
    text = ConsentText.objects.first()
    assert title(superuser.get(reverse("admin:consent_consenttext_change", args=[text.pk]))) == (
        "Просмотреть текст согласия"
    )
    assert title(superuser.get(reverse("admin:journal_mark_changelist"))) == (
        "Выберите отметку для просмотра"
    )


def test_the_login_lockout_section_and_empty_choices_are_russian(superuser):
    index = superuser.get(reverse("admin:index")).content.decode()
    assert "Попытки входа и блокировки" in index and "Axes" not in index
    form = superuser.get(reverse("admin:school_student_add")).content.decode()
    assert "— выберите —" in form and "Select an option" not in form


def test_the_english_admin_stays_english(superuser):
    superuser.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = superuser.get(reverse("admin:school_student_add"))
    assert title(page) == "Add student"
    assert "— choose —" in page.content.decode()

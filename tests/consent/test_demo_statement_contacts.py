"""Defect 1 on the demo: a family that consented on paper, with its phone taken from the
same signed statement, receives mark SMS through the HTTP gateway. The statement confirms
the contact (no code); the demo reaches that state through ``add_statement_contacts``."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from consent.models import ConsentForm, ConsentRecord, Contact, ContactSource, Scope
from consent.rules import channel_open
from demo.school.context import DemoOptions
from demo.school.generator import seed_demo
from journal import services as journal
from journal.models import Attendance, Lesson, Mark
from notifications import delivery
from notifications.fake_gateway import FakeSmsGateway
from notifications.models import (
    ChangeSource,
    Channel,
    Kind,
    Notification,
    Status,
    SubscriptionChange,
)
from school.models import Enrolment, Kinship
from tests.notifications.support import make_due
from tests.world import ensure_consent_text

pytestmark = pytest.mark.django_db

API_KEY = "demo-consent"


@pytest.fixture
def gateway():
    gateway = FakeSmsGateway(api_key=API_KEY).start()
    with override_settings(
        SMS_BACKEND="notifications.sms.smsru.SmsRuBackend",
        SMS_API_URL=gateway.url,
        SMS_API_KEY=API_KEY,
        NOTIFY_MARKS_WINDOW_MINUTES=0,
        NOTIFY_QUIET_HOURS=[],
    ):
        yield gateway
    gateway.stop()


def _paper_sms_families(school) -> list[Kinship]:
    """Kinships of the demo school whose guardian consented on paper to SMS for the child
    and whose child is in a graded class (grades 2-11)."""
    found = []
    for kinship in (
        Kinship.objects.filter(student__school=school, guardian__consent_records__form="paper")
        .select_related("guardian", "student")
        .distinct()
        .order_by("pk")
    ):
        if channel_open(
            guardian_id=kinship.guardian_id, student_id=kinship.student_id, channel=Scope.SMS
        ):
            found.append(kinship)
    return found


def _free_cell(kinship: Kinship) -> Lesson:
    """A conducted lesson of the child's class where they have neither mark nor absence."""
    enrolment = (
        Enrolment.objects.filter(student=kinship.student)
        .select_related("school_class")
        .order_by("-start")
        .first()
    )
    today = kinship.student.school.local_today()
    for lesson in Lesson.objects.filter(
        school_class=enrolment.school_class, date__lte=today, group__isnull=True
    ).order_by("-date", "-number")[:30]:
        taken = Mark.objects.filter(lesson=lesson, student=kinship.student).exists()
        absent = Attendance.objects.filter(lesson=lesson, student=kinship.student).exists()
        if not taken and not absent:
            return lesson
    raise AssertionError("no free cell in the class's recent lessons")


def test_a_paper_consent_familys_statement_phone_gets_mark_sms(gateway):
    ensure_consent_text()
    with transaction.atomic():
        school = seed_demo(DemoOptions(seed=3, classes_per_grade=1, students_per_class=6)).schools[
            1
        ]
    families = [k for k in _paper_sms_families(school) if k.student.enrolments.exists()]
    assert families, "the demo has families that consented to SMS on paper"
    # Every such family's phone came from its statement and is confirmed by it.
    for kinship in families:
        phone = Contact.objects.get(
            guardian=kinship.guardian, kind=Contact.Kind.PHONE, is_active=True
        )
        assert phone.source == ContactSource.STATEMENT and phone.confirmed_at is not None
        record = ConsentRecord.objects.filter(
            guardian=kinship.guardian, form=ConsentForm.PAPER
        ).earliest("recorded_at")
        assert phone.statement_number == record.paper_number
        assert phone.statement_date == record.paper_date

    # The demo's families asked for mark SMS in their statement (the secretary entered it).
    kinship = next(
        k
        for k in families
        if k.student.enrolments.first().school_class.grade > 1
        and SubscriptionChange.objects.filter(
            guardian=k.guardian,
            student=k.student,
            kind=Kind.MARKS,
            channel=Channel.SMS,
            source=ChangeSource.STATEMENT,
        ).exists()
    )
    lesson = _free_cell(kinship)
    journal.record_mark(actor=lesson.teacher, lesson=lesson, student=kinship.student, value=5)

    [row] = Notification.objects.filter(guardian=kinship.guardian, kind=Kind.MARKS)
    assert delivery.deliver(make_due(row).pk) == Status.SENT
    [sms] = gateway.messages
    phone = Contact.objects.get(guardian=kinship.guardian, kind=Contact.Kind.PHONE)
    assert sms.to == phone.value.lstrip("+")
    assert "5" in sms.text
    assert timezone.now() >= row.created_at

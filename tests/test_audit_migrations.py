"""The migrations to the common audit shape keep every row: the family audit's texts turn
into codes that read back as the same words, a subscription change's ``by`` is its
``actor``, and a resent notification stays the row its audit names."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from consent.models import Contact, FamilyDataChange
from notifications.models import (
    Channel,
    Kind,
    Notification,
    NotificationChange,
    Subscription,
    SubscriptionChange,
)
from tests.factories import GuardianFactory, StudentFactory, UserFactory

BEFORE = [
    ("consent", "0004_contact_statement_confirms"),
    ("notifications", "0003_notification_told_and_changes"),
]
AFTER = [
    ("consent", "0005_family_data_change_audit_shape"),
    ("notifications", "0004_audit_shape"),
]
TEXTS = [
    ("согласие дано: SMS-рассылка", {"decision": "given", "scopes": ["sms"], "record": 7}),
    ("согласие дано (заявление № 4)", {"decision": "given", "scopes": ["sms"], "record": 8}),
    ("добавлен контакт: телефон", {"value": "+79781112233", "source": "staff"}),
    ("подтверждён контакт: телефон", {"value": "+79781112233"}),
    ("семья отмечена как не имеющая доступа к интернету", {"note": "нет"}),
    ("отметка «нет доступа к интернету» снята", None),
    ("выгрузка данных семьи по запросу", {"format": "html", "students": [1]}),
]


def _migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor


@pytest.mark.django_db(transaction=True)
def test_the_audit_rows_keep_their_meaning_in_the_new_shape() -> None:
    student = StudentFactory()
    guardian, staff = GuardianFactory(), UserFactory()
    contact = Contact.objects.create(
        guardian=guardian,
        kind=Contact.Kind.PHONE,
        phone="+79781112233",
        source="staff",
        created_by=staff,
    )
    subscription = Subscription.objects.create(
        guardian=guardian, student=student, kind=Kind.MARKS, channel=Channel.SMS
    )
    notification = Notification.objects.create(
        school=student.school,
        guardian=guardian,
        student=student,
        channel=Channel.SMS,
        kind=Kind.MARKS,
        idempotency_key="migration",
        due_at=timezone.now(),
    )
    try:
        old = _migrate(BEFORE).loader.project_state(BEFORE).apps
        for what, new in TEXTS:
            old.get_model("consent", "FamilyDataChange").objects.create(
                guardian_id=guardian.pk, actor_id=staff.pk, what=what, new=new
            )
        old.get_model("consent", "FamilyDataChange").objects.create(
            guardian_id=guardian.pk,
            actor_id=staff.pk,
            what="удалён контакт: телефон",
            old={"value": "+79781112233"},
        )
        old.get_model("notifications", "SubscriptionChange").objects.create(
            guardian_id=guardian.pk,
            student_id=student.pk,
            kind=Kind.MARKS,
            channel=Channel.SMS,
            new={"enabled": False, "frequency": "instant"},
            by_id=staff.pk,
            source="statement",
            statement_number="12",
        )
        old.get_model("notifications", "NotificationChange").objects.create(
            notification_id=notification.pk, actor_id=staff.pk, action="resend"
        )
    finally:
        _migrate(AFTER)

    changes = list(FamilyDataChange.objects.order_by("id"))
    assert [c.what for c in changes] == [
        "согласие дано: SMS-рассылка",
        "согласие дано: SMS-рассылка",
        "добавлен контакт: телефон",
        "подтверждён контакт: телефон",
        "семья отмечена как не имеющая доступа к интернету",
        "отметка «нет доступа к интернету» снята",
        "выгрузка данных семьи по запросу",
        "удалён контакт: телефон",
    ]
    assert [(c.kind, c.action, c.object_id) for c in changes] == [
        ("consent", "create", 7),
        ("consent", "create", 8),
        ("contact", "create", contact.pk),
        ("contact", "confirm", contact.pk),
        ("offline", "create", None),
        ("offline", "delete", None),
        ("export", "create", None),
        ("contact", "delete", contact.pk),
    ]
    assert {c.actor_id for c in changes} == {staff.pk}
    [sub_change] = SubscriptionChange.objects.all()
    assert (sub_change.actor_id, sub_change.object_id) == (staff.pk, subscription.pk)
    [resend] = NotificationChange.objects.all()
    assert (resend.actor_id, resend.object_id) == (staff.pk, notification.pk)

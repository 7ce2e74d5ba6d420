"""The outbox in the Django admin: read-only lists, and the resend action."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import Channel, Kind, Notification, Status
from tests.notifications.support import build_family

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["notification", "subscription", "subscriptionchange"])
def test_the_outbox_lists_open_for_the_administrator(admin_client, model):
    build_family().subscribe()
    assert admin_client.get(reverse(f"admin:notifications_{model}_changelist")).status_code == 200


def test_the_administrator_resends_failed_rows_only(admin_client):
    fam = build_family()
    common = {
        "school": fam.school,
        "guardian": fam.guardian,
        "student": fam.student,
        "channel": Channel.SMS,
        "kind": Kind.MARKS,
        "due_at": timezone.now(),
    }
    failed = Notification.objects.create(**common, idempotency_key="a", status=Status.FAILED)
    sent = Notification.objects.create(**common, idempotency_key="b", status=Status.SENT)
    admin_client.post(
        reverse("admin:notifications_notification_changelist"),
        {"action": "resend_failed", "_selected_action": [failed.pk, sent.pk]},
    )
    failed.refresh_from_db()
    sent.refresh_from_db()
    assert (failed.status, sent.status) == (Status.QUEUED, Status.SENT)

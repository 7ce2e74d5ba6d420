"""The notifications pages through full HTTP requests: the parent's subscriptions and
history, the staff's view of a family with the resend, the statement form, the
unsubscribe link; and every role's answer from every page (the matrix rows)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from notifications.models import (
    ChangeSource,
    Channel,
    Frequency,
    Kind,
    Notification,
    NotificationChange,
    Status,
    Subscription,
    SubscriptionChange,
)
from notifications.subscriptions import preferences
from notifications.tokens import unsubscribe_token
from tests.authz_cases_notifications import CASES
from tests.authz_support import walk
from tests.world import build_world

pytestmark = pytest.mark.django_db


def test_every_role_gets_the_expected_answer_from_every_notifications_page():
    """The rows of ``tests/authz_cases_notifications.py``, walked for every role."""
    mismatches = walk(CASES, build_world(journal=True))
    assert not mismatches, "\n".join(mismatches)


def test_every_notifications_url_has_a_row():
    from notifications.urls import urlpatterns

    names = {f"notifications:{p.name}" for p in urlpatterns}
    assert names <= {case.url_name for case in CASES}


@pytest.fixture
def world():
    return build_world(journal=True)


def signed_in(world, role: str) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


def fail(world, **extra) -> Notification:
    fields = {
        "school": world.school,
        "guardian": world.users["parent"].guardian,
        "student": world.child_a,
        "channel": Channel.SMS,
        "kind": Kind.MARKS,
        "idempotency_key": "test:failed",
        "status": Status.FAILED,
        "due_at": timezone.now(),
        "attempts": 6,
        "error": "500: шлюз недоступен",
        "to_address": "+79123456789",
    }
    return Notification.objects.create(**{**fields, **extra})


def test_the_parent_chooses_what_comes_and_the_change_is_audited(world):
    """Switching marks SMS on and the digest to daily: two subscriptions, two audit rows
    «родитель в личном кабинете»; the rest keeps its defaults."""
    client = signed_in(world, "parent")
    page = client.get(reverse("notifications:my_subscriptions"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Максим Соколов" in html and "нет согласия на этот канал" in html
    form = page.context["form"]
    data = {name: field.initial for name, field in form.fields.items() if field.initial}
    child = world.child_a.pk
    data[f"on_{child}_marks_sms"] = "on"
    data[f"freq_{child}_digest_email"] = Frequency.DAILY

    response = client.post(reverse("notifications:my_subscriptions"), data)
    assert response.status_code == 302
    guardian = world.users["parent"].guardian
    chosen = preferences(guardian.pk, [child])
    assert chosen[(child, Kind.MARKS, Channel.SMS)] == (True, Frequency.INSTANT)
    assert chosen[(child, Kind.DIGEST, Channel.EMAIL)] == (True, Frequency.DAILY)
    assert chosen[(child, Kind.MESSAGE, Channel.EMAIL)] == (True, Frequency.INSTANT)
    changes = SubscriptionChange.objects.filter(guardian=guardian)
    assert {(c.kind, c.channel, c.source, c.actor_id) for c in changes} == {
        (Kind.MARKS, Channel.SMS, ChangeSource.CABINET, world.users["parent"].pk),
        (Kind.DIGEST, Channel.EMAIL, ChangeSource.CABINET, world.users["parent"].pk),
    }


def test_the_parent_sees_their_own_deliveries_only(world):
    fail(world)
    fail(
        world,
        guardian=world.users["other_parent"].guardian,
        student=world.child_b,
        idempotency_key="other",
        error="чужая ошибка",
    )
    html = signed_in(world, "parent").get(reverse("notifications:my_deliveries")).content
    html = html.decode()
    assert "500: шлюз недоступен" in html and "чужая ошибка" not in html
    assert "Отправить повторно" not in html


def test_staff_see_a_familys_failure_and_resend_it(world):
    """The class teacher sees the error and «Отправить повторно»; pressing it queues the
    row again with no attempts and records who resent it."""
    row = fail(world)
    client = signed_in(world, "classteacher")
    url = reverse("notifications:family_deliveries", args=[row.guardian_id])
    html = client.get(url).content.decode()
    assert "500: шлюз недоступен" in html and "Отправить повторно" in html

    response = client.post(reverse("notifications:resend", args=[row.pk]))
    assert response.status_code == 302 and response["Location"] == url
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.QUEUED, 0)
    [audit] = NotificationChange.objects.filter(object_id=row.pk)
    assert (audit.actor, audit.action) == (world.users["classteacher"], "resend")


def test_the_delivery_list_filters_by_status_and_pages(world):
    for n in range(30):
        fail(world, idempotency_key=f"f{n}", status=Status.SENT if n % 2 else Status.FAILED)
    client = signed_in(world, "secretary")
    url = reverse("notifications:family_deliveries", args=[world.users["parent"].guardian.pk])
    page = client.get(url, {"status": Status.FAILED})
    assert page.context["page"].paginator.count == 15
    assert client.get(url).context["page"].paginator.num_pages == 2


def test_the_secretary_sets_subscriptions_from_a_written_statement(world):
    """Without the statement's number nothing changes; with it, the change is saved and
    the audit row keeps the number and the secretary."""
    guardian = world.users["parent"].guardian
    client = signed_in(world, "secretary")
    url = reverse("notifications:family_subscriptions", args=[guardian.pk])
    data = {
        f"freq_{world.child_a.pk}_digest_email": Frequency.WEEKLY,
        f"on_{world.child_a.pk}_timetable_sms": "on",
    }
    assert client.post(url, data).status_code == 422
    assert not Subscription.objects.filter(guardian=guardian).exists()

    assert client.post(url, {**data, "statement_number": "45-р"}).status_code == 302
    change = SubscriptionChange.objects.get(guardian=guardian, kind=Kind.TIMETABLE)
    assert (change.source, change.statement_number, change.actor) == (
        ChangeSource.STATEMENT,
        "45-р",
        world.users["secretary"],
    )
    html = client.get(url).content.decode()
    assert "заявление № 45-р" in html


def test_the_unsubscribe_link_asks_then_unsubscribes_without_a_login(world):
    """GET shows a confirmation, changes nothing; POST switches the digest off for every
    child and records that it came from the link."""
    guardian = world.users["parent"].guardian
    url = reverse(
        "notifications:unsubscribe", args=[unsubscribe_token(guardian.pk, None, Kind.DIGEST)]
    )
    client = Client()
    page = client.get(url)
    assert page.status_code == 200 and "Отписаться от рассылки?" in page.content.decode()
    assert not SubscriptionChange.objects.exists()

    done = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and "Вы отписались" in done.content.decode()
    child = world.child_a.pk
    assert preferences(guardian.pk, [child])[(child, Kind.DIGEST, Channel.EMAIL)][0] is False
    change = SubscriptionChange.objects.get()
    assert (change.source, change.actor) == (ChangeSource.LINK, None)


def test_a_forged_unsubscribe_link_is_refused(world):
    response = Client().get(reverse("notifications:unsubscribe", args=["forged:token"]))
    assert response.status_code == 400
    assert "Ссылка не работает" in response.content.decode()

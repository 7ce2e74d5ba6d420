"""Setting a family's subscriptions: only the combinations that exist, the frequencies
each kind allows, the guardian's own children; staff need the right and the statement's
number; every change leaves an audit row."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from notifications.models import ChangeSource, Channel, Frequency, Kind, SubscriptionChange
from notifications.subscriptions import (
    MSG_NO_RIGHT,
    MSG_STATEMENT_NUMBER,
    MSG_UNKNOWN_CHOICE,
    preferences,
    set_subscription,
    wants,
)
from tests.notifications.support import build_family

pytestmark = pytest.mark.django_db


@pytest.fixture
def fam():
    return build_family()


def change(fam, **kwargs):
    values = {
        "guardian": fam.guardian,
        "student": fam.student,
        "kind": Kind.MARKS,
        "channel": Channel.SMS,
        "enabled": True,
        "frequency": Frequency.INSTANT,
        "actor": fam.user,
    }
    return set_subscription(**{**values, **kwargs})


def refused(fam, **kwargs) -> list[str]:
    with pytest.raises(ValidationError) as error:
        change(fam, **kwargs)
    return error.value.messages


def test_defaults_apply_until_the_family_chooses(fam):
    """Marks by SMS are off by default, the weekly digest on."""
    assert wants(fam.guardian.pk, fam.student.pk, Kind.MARKS, Channel.SMS) == (False, "instant")
    assert wants(fam.guardian.pk, fam.student.pk, Kind.DIGEST, Channel.EMAIL) == (True, "weekly")


def test_a_choice_is_saved_with_an_audit_row(fam):
    subscription = change(fam)
    assert (subscription.enabled, subscription.set_by) == (True, fam.user)
    audit = SubscriptionChange.objects.get()
    assert (audit.old, audit.new, audit.source) == (
        {"enabled": False, "frequency": "instant"},
        {"enabled": True, "frequency": "instant"},
        ChangeSource.CABINET,
    )


def test_the_same_choice_twice_changes_nothing(fam):
    change(fam)
    assert change(fam) is None
    assert SubscriptionChange.objects.count() == 1


def test_only_existing_combinations_can_be_chosen(fam):
    """There is no digest by SMS."""
    assert refused(fam, kind=Kind.DIGEST, frequency=Frequency.WEEKLY) == [
        "Такой подписки нет: «digest» по каналу «sms»."
    ]


def test_each_kind_has_its_frequencies(fam):
    """The digest is daily or weekly, never «сразу»; marks come at once."""
    assert refused(fam, kind=Kind.DIGEST, channel=Channel.EMAIL) == [
        "«сводка дневника» можно получать только так: ежедневно, еженедельно."
    ]
    assert refused(fam, frequency=Frequency.DAILY) == [
        "«новые отметки» можно получать только так: сразу."
    ]


def test_only_the_guardians_own_children(fam):
    other = fam.world.students[1]
    assert refused(fam, student=other) == [
        f"{other.short_name} не указан(а) как ребёнок этого родителя."
    ]


def test_staff_need_the_statements_number(fam):
    assert refused(fam, actor=fam.world.secretary) == [MSG_STATEMENT_NUMBER]
    subscription = change(fam, actor=fam.world.secretary, statement_number=" 12/3 ")
    assert subscription.statement_number == "12/3"
    audit = SubscriptionChange.objects.get()
    assert (audit.source, audit.statement_number) == (ChangeSource.STATEMENT, "12/3")


def test_staff_who_do_not_manage_the_family_are_refused(fam):
    """A subject teacher is not the class teacher: no right to the family's data."""
    assert refused(fam, actor=fam.world.teacher, statement_number="1") == [MSG_NO_RIGHT]


def test_the_unsubscribe_link_acts_without_a_user(fam):
    change(
        fam,
        kind=Kind.DIGEST,
        channel=Channel.EMAIL,
        enabled=False,
        frequency=Frequency.WEEKLY,
        actor=None,
    )
    audit = SubscriptionChange.objects.get()
    assert (audit.source, audit.actor) == (ChangeSource.LINK, None)


@pytest.mark.parametrize("kind", [Kind.FINAL_MARKS, Kind.FORECAST])
def test_nothing_offers_what_nothing_sends(fam, client, kind):
    """Final marks and the forecast are not sent yet: the cabinet's form does not offer
    them, the defaults do not promise them, and choosing one is refused."""
    client.force_login(fam.user)
    page = client.get(reverse("notifications:my_subscriptions"))
    assert page.status_code == 200
    html = page.content.decode()
    assert f"_{Kind.MARKS}_" in html and str(Kind.MARKS.label) in html
    assert f"_{kind}_" not in html
    assert str(Kind(kind).label) not in html
    chosen = preferences(fam.guardian.pk, [fam.student.pk])
    assert not any(k == kind for _, k, _ in chosen)
    for channel in (Channel.SMS, Channel.EMAIL):
        assert refused(fam, kind=kind, channel=channel) == [
            MSG_UNKNOWN_CHOICE % {"kind": kind, "channel": channel}
        ]

"""The consent rule: nothing goes out by a channel without consent in force for it (and
for the processing itself) and a confirmed contact; otherwise the row is suppressed with
the reason. Checked when the row is written and again when it is sent; a refusal or
withdrawal stops waiting rows at once (``consent.signals.consent_closed``)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from consent.models import Contact, Decision, Scope
from consent.services import add_contact
from notifications import channels, delivery, outbox
from notifications.models import Channel, Kind, Notification, Status
from notifications.sms import locmem
from notifications.subscriptions import DEFAULTS
from tests.notifications.support import build_family, make_due

pytestmark = pytest.mark.django_db

NO_PROCESSING = "нет согласия на обработку персональных данных"
REFUSED_PROCESSING = "родитель отказался от обработки персональных данных"
REFUSED_CHANNEL = "родитель отказался от этого канала"
WITHDRAWN_CHANNEL = "родитель отозвал согласие на этот канал"
NO_CHANNEL = "нет согласия на этот канал"


@pytest.fixture(autouse=True)
def clean(settings):
    settings.NOTIFY_QUIET_HOURS = []
    locmem.outbox.clear()


def write_every_kind(fam) -> dict[tuple[str, str], Notification]:
    """A row of every kind by every channel the family could choose."""
    return {
        (kind, channel): outbox.instant(
            school=fam.school,
            guardian=fam.guardian,
            student=fam.student,
            kind=kind,
            channel=channel,
            key=f"test:{kind}:{channel}",
            sources=[],
            recorded_at=timezone.now(),
        )
        for kind, channel in DEFAULTS
    }


def reasons(rows: dict) -> dict:
    return {key: (row.status, row.suppressed_reason) for key, row in rows.items()}


def expected(reason_sms: str, reason_email: str) -> dict:
    return {
        (kind, channel): (
            Status.SUPPRESSED,
            reason_sms if channel == Channel.SMS else reason_email,
        )
        for kind, channel in DEFAULTS
    }


def test_without_any_consent_nothing_of_any_kind_goes_by_any_channel():
    """No consent registered: every kind by every channel is suppressed, with the reason."""
    fam = build_family(scopes=[])
    assert reasons(write_every_kind(fam)) == expected(NO_PROCESSING, NO_PROCESSING)


def test_a_refusal_of_the_processing_closes_every_channel():
    fam = build_family(scopes=[])
    fam.consent(Decision.REFUSED, [Scope.PROCESSING])
    assert reasons(write_every_kind(fam)) == expected(REFUSED_PROCESSING, REFUSED_PROCESSING)


def test_a_refused_channel_is_closed_and_the_other_stays_open():
    """Consent to e-mail, SMS refused: SMS rows suppressed, e-mail rows queued."""
    fam = build_family(scopes=[Scope.EMAIL])
    fam.consent(Decision.REFUSED, [Scope.SMS])
    rows = write_every_kind(fam)
    for (_, channel), row in rows.items():
        if channel == Channel.SMS:
            assert (row.status, row.suppressed_reason) == (Status.SUPPRESSED, REFUSED_CHANNEL)
        else:
            assert row.status == Status.QUEUED


def test_a_withdrawn_consent_closes_its_channels():
    fam = build_family()
    fam.consent(Decision.WITHDRAWN, [Scope.SMS, Scope.EMAIL])
    assert reasons(write_every_kind(fam)) == expected(WITHDRAWN_CHANNEL, WITHDRAWN_CHANNEL)


def test_consent_to_the_processing_alone_opens_no_channel():
    fam = build_family(scopes=[Scope.PROCESSING])
    assert reasons(write_every_kind(fam)) == expected(NO_CHANNEL, NO_CHANNEL)


def test_without_a_confirmed_contact_nothing_goes_out():
    """Consent in force, but the phone and address (said to the staff, not taken from a
    signed statement) were never confirmed by their codes."""
    fam = build_family(phone=None, email=None)
    by = fam.world.secretary
    add_contact(
        guardian=fam.guardian,
        kind=Contact.Kind.PHONE,
        value="+79123456789",
        source="staff",
        actor=by,
    )
    add_contact(
        guardian=fam.guardian,
        kind=Contact.Kind.EMAIL,
        value="a@example.ru",
        source="staff",
        actor=by,
    )
    assert reasons(write_every_kind(fam)) == expected(
        channels.REASON_NO_PHONE, channels.REASON_NO_EMAIL
    )


def test_with_consent_and_confirmed_contacts_every_kind_is_queued():
    fam = build_family()
    assert {row.status for row in write_every_kind(fam).values()} == {Status.QUEUED}


def test_the_rule_is_checked_again_at_sending():
    """A row queued while consent was in force, the phone deactivated since (no signal):
    suppressed at sending with the reason, nothing sent."""
    fam = build_family()
    fam.subscribe(Kind.MARKS, Channel.SMS)
    fam.mark(5)
    [row] = fam.rows()
    Contact.objects.filter(guardian=fam.guardian, kind=Contact.Kind.PHONE).update(is_active=False)
    assert delivery.deliver(make_due(row).pk) == Status.SUPPRESSED
    row.refresh_from_db()
    assert row.suppressed_reason == channels.REASON_NO_PHONE
    assert locmem.outbox == []


def test_withdrawing_sms_stops_waiting_sms_and_leaves_e_mail():
    """The ``consent_closed`` signal suppresses the waiting rows of the closed channel."""
    fam = build_family()
    fam.subscribe(Kind.MARKS, Channel.SMS)
    fam.subscribe(Kind.MARKS, Channel.EMAIL)
    fam.mark(5)
    fam.consent(Decision.WITHDRAWN, [Scope.SMS])
    by_channel = {row.channel: row for row in fam.rows()}
    assert by_channel[Channel.SMS].status == Status.SUPPRESSED
    assert by_channel[Channel.SMS].suppressed_reason.startswith("согласие отозвано")
    assert by_channel[Channel.EMAIL].status == Status.QUEUED


def test_withdrawing_the_processing_stops_everything_waiting_digests_included():
    """A withdrawal of the processing closes every channel: marks rows and a family digest
    that mentions the child are suppressed; a sent row stays sent."""
    fam = build_family()
    fam.subscribe(Kind.MARKS, Channel.SMS)
    fam.mark(5)
    digest = Notification.objects.create(
        school=fam.school,
        guardian=fam.guardian,
        channel=Channel.EMAIL,
        kind=Kind.DIGEST,
        idempotency_key="digest:test",
        sources=[["student", fam.student.pk], ["mark", 1]],
        subject="Дневник",
        text="…",
        due_at=timezone.now(),
    )
    sent = outbox.instant(
        school=fam.school,
        guardian=fam.guardian,
        student=fam.student,
        kind=Kind.FINAL_MARKS,
        channel=Channel.EMAIL,
        key="final:1",
        sources=[],
        recorded_at=timezone.now(),
    )
    Notification.objects.filter(pk=sent.pk).update(status=Status.SENT)

    fam.consent(Decision.WITHDRAWN, [Scope.PROCESSING])

    statuses = {row.pk: row.status for row in fam.rows()}
    assert statuses.pop(sent.pk) == Status.SENT
    assert set(statuses.values()) == {Status.SUPPRESSED}
    digest.refresh_from_db()
    assert digest.suppressed_reason == "согласие отозвано: отправка остановлена"


def test_a_digest_is_checked_for_every_child_it_mentions():
    """A family digest is sent only if the e-mail channel is open for each child in it."""
    fam = build_family()
    digest = Notification.objects.create(
        school=fam.school,
        guardian=fam.guardian,
        channel=Channel.EMAIL,
        kind=Kind.DIGEST,
        idempotency_key="digest:test",
        sources=[["student", fam.student.pk]],
        subject="Дневник",
        text="Текст",
        due_at=timezone.now(),
    )
    # Closed without the signal (as if recorded by another system): caught at sending.
    fam.consent(Decision.WITHDRAWN, [Scope.EMAIL])
    Notification.objects.filter(pk=digest.pk).update(status=Status.QUEUED, suppressed_reason="")
    assert delivery.deliver(digest.pk) == Status.SUPPRESSED
    digest.refresh_from_db()
    assert digest.suppressed_reason == WITHDRAWN_CHANNEL

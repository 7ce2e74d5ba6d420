"""New marks by SMS (and e-mail): one message per child per window listing every new mark,
written in the journal's transaction; corrections and deletions before sending are
reflected; a message says what is true when it is sent, and nothing when nothing changed
since the family was told; idempotency keys; delivery, retries with backoff, the cap and
the resend."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError
from django.utils import timezone

from notifications import channels, delivery, outbox
from notifications.models import (
    Channel,
    Kind,
    Notification,
    NotificationAction,
    NotificationChange,
    Status,
)
from notifications.sms import locmem
from tests.notifications.support import PHONE_E164, build_family, make_due

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def daytime(settings):
    """The window and the quiet hours are tested on their own; here marks go at once."""
    settings.NOTIFY_QUIET_HOURS = []
    settings.NOTIFY_MARKS_WINDOW_MINUTES = 30
    locmem.outbox.clear()


@pytest.fixture
def fam():
    family = build_family()
    family.subscribe(Kind.MARKS, Channel.SMS)
    return family


def test_three_marks_in_a_window_make_one_sms_listing_all(fam):
    """Three marks within the window: one outbox row; the SMS lists them by subject in
    the order given: «Алексеев Пётр: математика 5 4, русский язык 3»."""
    w = fam.world
    first = fam.mark(5)
    fam.mark(4)
    fam.mark(3, subject=w.russian)

    [row] = fam.rows(kind=Kind.MARKS)
    assert row.status == Status.QUEUED
    assert len(row.sources) == 3
    assert row.source_recorded_at == first.updated_at
    assert delivery.deliver(make_due(row).pk) == Status.SENT

    [sms] = locmem.outbox
    assert sms.to == PHONE_E164
    assert sms.text == "Алексеев Пётр: математика 5 4, русский язык 3"
    row.refresh_from_db()
    assert (row.status, row.text, row.to_address, row.parts) == (
        Status.SENT,
        sms.text,
        PHONE_E164,
        1,
    )
    assert row.sent_at >= row.source_recorded_at


def test_the_first_mark_opens_a_window(fam):
    """The SMS waits NOTIFY_MARKS_WINDOW_MINUTES for more marks before it is due."""
    before = timezone.now()
    fam.mark(5)
    [row] = fam.rows()
    assert (
        before + dt.timedelta(minutes=30) <= row.due_at <= timezone.now() + dt.timedelta(minutes=30)
    )
    assert delivery.deliver(row.pk) == "skipped"
    assert locmem.outbox == []


def test_a_mark_given_in_quiet_hours_waits_for_the_morning(fam, settings):
    """With quiet hours from 21:00 to 08:00, the window's end moves to 08:00."""
    settings.NOTIFY_QUIET_HOURS = ["00:00", "23:59"]  # quiet almost all day: surely now
    fam.mark(5)
    [row] = fam.rows()
    local = timezone.localtime(row.due_at)
    assert (local.hour, local.minute) == (23, 59)


def test_a_mark_corrected_before_sending_is_sent_with_its_new_value(fam):
    """A 2 corrected to 4 inside the window: the SMS says 4, and only once."""
    mark = fam.mark(2)
    fam.correct(mark, 4)
    [row] = fam.rows()
    delivery.deliver(make_due(row).pk)
    assert [sms.text for sms in locmem.outbox] == ["Алексеев Пётр: математика 4"]


def test_a_mark_deleted_before_sending_is_left_out(fam):
    """Of a 5 and a 3, the 3 deleted before sending: the SMS tells only the 5."""
    fam.mark(5)
    wrong = fam.mark(3)
    fam.delete(wrong)
    [row] = fam.rows()
    delivery.deliver(make_due(row).pk)
    assert [sms.text for sms in locmem.outbox] == ["Алексеев Пётр: математика 5"]


def test_when_every_mark_was_deleted_nothing_is_sent(fam):
    """All marks deleted before sending: the row is suppressed with the reason."""
    mark = fam.mark(5)
    fam.delete(mark)
    [row] = fam.rows()
    assert delivery.deliver(make_due(row).pk) == Status.SUPPRESSED
    row.refresh_from_db()
    assert row.suppressed_reason == channels.REASON_ALL_GONE
    assert locmem.outbox == []


def test_a_mark_after_the_sms_left_starts_a_new_one(fam):
    """Once the window's SMS is sent, the next mark waits for the next SMS."""
    fam.mark(5)
    [first] = fam.rows()
    delivery.deliver(make_due(first).pk)
    fam.mark(3)
    rows = fam.rows()
    assert [r.status for r in rows] == [Status.SENT, Status.QUEUED]
    delivery.deliver(make_due(rows[1]).pk)
    assert [s.text for s in locmem.outbox] == [
        "Алексеев Пётр: математика 5",
        "Алексеев Пётр: математика 3",
    ]


def test_a_correction_after_sending_is_told_in_a_new_sms(fam):
    """A mark corrected after its SMS left: a new SMS with the new value."""
    mark = fam.mark(2)
    [first] = fam.rows()
    delivery.deliver(make_due(first).pk)
    fam.correct(mark, 4)
    second = fam.rows()[1]
    delivery.deliver(make_due(second).pk)
    assert [s.text for s in locmem.outbox][-1] == "Алексеев Пётр: математика 4"


def test_marks_by_email_come_by_e_mail_when_chosen(fam, mailoutbox):
    """A guardian who chose marks by e-mail gets a letter (and no SMS if SMS is off)."""
    fam.subscribe(Kind.MARKS, Channel.SMS, enabled=False)
    fam.subscribe(Kind.MARKS, Channel.EMAIL)
    mailoutbox.clear()
    fam.mark(5)
    [row] = fam.rows()
    assert row.channel == Channel.EMAIL
    delivery.deliver(make_due(row).pk)
    [letter] = mailoutbox
    assert letter.subject == "Новые отметки: Алексеев Пётр"
    assert letter.body == "Алексеев Пётр: математика 5"
    assert locmem.outbox == []


def test_without_a_subscription_no_row_is_written():
    """Marks by SMS are opt-in (SMS costs money): by default nothing is written."""
    fam = build_family()
    fam.mark(5)
    assert fam.rows() == []


def test_each_cause_has_one_idempotency_key(fam):
    """The database refuses a second row with the same key."""
    fam.mark(5)
    [row] = fam.rows()
    assert row.idempotency_key.startswith(f"marks:{fam.guardian.pk}:{fam.student.pk}:sms:")
    with pytest.raises(IntegrityError):
        Notification.objects.create(
            school=row.school,
            guardian=row.guardian,
            channel=row.channel,
            kind=row.kind,
            idempotency_key=row.idempotency_key,
            due_at=row.due_at,
        )


def test_the_same_cause_twice_gives_the_same_row(fam):
    """``instant`` for a cause already written returns that row: nothing new."""
    kwargs = {
        "school": fam.school,
        "guardian": fam.guardian,
        "student": fam.student,
        "kind": Kind.MESSAGE,
        "channel": Channel.EMAIL,
        "key": "message:1:test",
        "sources": [["message", 1]],
        "recorded_at": timezone.now(),
    }
    assert outbox.instant(**kwargs).pk == outbox.instant(**kwargs).pk
    assert len(fam.rows(kind=Kind.MESSAGE)) == 1


def test_a_second_delivery_of_the_same_task_sends_nothing(fam):
    """The row is claimed once: the second ``deliver`` finds it sent and skips."""
    fam.mark(5)
    [row] = fam.rows()
    make_due(row)
    assert delivery.deliver(row.pk) == Status.SENT
    assert delivery.deliver(row.pk) == "skipped"
    assert len(locmem.outbox) == 1


class Flaky:
    """An SMS backend failing ``failures`` times, then accepting."""

    def __init__(self, failures: int, *, permanent: bool = False) -> None:
        self.failures, self.permanent, self.calls = failures, permanent, 0

    def __call__(self):
        return self

    def send(self, *, to: str, text: str):
        from notifications.sms import SmsError
        from notifications.sms.base import SmsResult

        self.calls += 1
        if self.calls <= self.failures:
            raise SmsError("500: шлюз перегружен", code=500, permanent=self.permanent)
        return SmsResult(message_id="ok-1", parts=1, cost=None)


def test_a_failed_send_waits_with_backoff_and_keeps_the_error(fam, monkeypatch):
    """After a temporary failure the row is queued again, due after the backoff, with the
    attempt counted and the error kept; the next attempt sends it."""
    backend = Flaky(1)
    monkeypatch.setattr(delivery, "get_backend", backend)
    fam.mark(5)
    [row] = fam.rows()
    make_due(row)
    before = timezone.now()

    assert delivery.deliver(row.pk) == Status.QUEUED
    row.refresh_from_db()
    assert (row.status, row.attempts, row.error) == (Status.QUEUED, 1, "500: шлюз перегружен")
    assert row.due_at >= before + delivery.backoff(1)
    assert row.next_attempt_at == row.due_at

    make_due(row)
    assert delivery.deliver(row.pk) == Status.SENT
    row.refresh_from_db()
    assert (row.attempts, row.error, row.provider_message_id) == (2, "", "ok-1")


def test_after_the_last_allowed_attempt_the_row_fails_with_its_error(fam, monkeypatch, settings):
    """NOTIFY_MAX_ATTEMPTS temporary failures: «не доставлено», the last error kept."""
    settings.NOTIFY_MAX_ATTEMPTS = 3
    monkeypatch.setattr(delivery, "get_backend", Flaky(10))
    fam.mark(5)
    [row] = fam.rows()
    results = []
    for _ in range(3):
        results.append(delivery.deliver(make_due(row).pk))
    assert results == [Status.QUEUED, Status.QUEUED, Status.FAILED]
    row.refresh_from_db()
    assert (row.status, row.attempts, row.error) == (Status.FAILED, 3, "500: шлюз перегружен")


def test_a_permanent_error_fails_at_once(fam, monkeypatch):
    """A refused number is not retried."""
    monkeypatch.setattr(delivery, "get_backend", Flaky(1, permanent=True))
    fam.mark(5)
    [row] = fam.rows()
    assert delivery.deliver(make_due(row).pk) == Status.FAILED


def test_staff_resend_a_failed_row_from_a_clean_slate(fam, monkeypatch):
    """«Отправить повторно»: queued again with no attempts, an audit row says who resent
    which row and what it was; the next delivery sends it."""
    backend = Flaky(1, permanent=True)
    monkeypatch.setattr(delivery, "get_backend", backend)
    fam.mark(5)
    [row] = fam.rows()
    delivery.deliver(make_due(row).pk)

    resent = delivery.resend(notification=row, actor=fam.world.secretary)
    assert (resent.status, resent.attempts) == (Status.QUEUED, 0)
    [audit] = NotificationChange.objects.filter(object_id=row.pk)
    assert (audit.actor, audit.action) == (fam.world.secretary, NotificationAction.RESEND)
    assert audit.old == {"status": Status.FAILED, "attempts": 1, "error": "500: шлюз перегружен"}
    assert delivery.deliver(row.pk) == Status.SENT
    row.refresh_from_db()
    assert (row.status, row.attempts, row.error) == (Status.SENT, 1, "")


def test_resend_leaves_anything_but_a_failed_row_alone(fam):
    """A sent row is not sent twice by a stray resend."""
    fam.mark(5)
    [row] = fam.rows()
    delivery.deliver(make_due(row).pk)
    assert delivery.resend(notification=row, actor=fam.world.secretary).status == Status.SENT
    assert not NotificationChange.objects.exists()
    assert len(locmem.outbox) == 1


def test_unsubscribing_before_sending_stops_the_message(fam):
    """The family switched marks SMS off while a row waited: suppressed, not sent."""
    fam.mark(5)
    fam.subscribe(Kind.MARKS, Channel.SMS, enabled=False)
    [row] = fam.rows()
    assert delivery.deliver(make_due(row).pk) == Status.SUPPRESSED
    row.refresh_from_db()
    assert row.suppressed_reason == channels.REASON_UNSUBSCRIBED


class GatewayDownOnce(locmem.LocmemBackend):
    """The gateway refuses the first SMS with a temporary error, then works (into the
    locmem outbox like every other SMS of these tests)."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self):
        return self

    def send(self, *, to: str, text: str):
        from notifications.sms import SmsError

        self.calls += 1
        if self.calls == 1:
            raise SmsError("503: шлюз недоступен", code=503, permanent=False)
        return super().send(to=to, text=text)


def _sent_then_correction_waits_for_a_retry(fam, monkeypatch):
    """A 5 told by SMS, then corrected to 3; the gateway is down for that SMS, which
    waits for its retry. Returns the mark and the row in retry."""
    mark = fam.mark(5)
    [told] = fam.rows()
    delivery.deliver(make_due(told).pk)
    monkeypatch.setattr(delivery, "get_backend", GatewayDownOnce())
    mark = fam.correct(mark, 3)
    retry = fam.rows(status=Status.QUEUED)[0]
    assert delivery.deliver(make_due(retry).pk) == Status.QUEUED
    return mark, retry


def test_a_change_undone_while_its_sms_waited_for_a_retry_is_not_sent(fam, monkeypatch):
    """5 -> 3 -> 5 while the 5 -> 3 SMS waited for a retry: the row in retry takes the
    newer change, and at sending nothing has changed in net since the family was told 5:
    no second SMS, the row suppressed with the reason (defect 10)."""
    mark, retry = _sent_then_correction_waits_for_a_retry(fam, monkeypatch)
    fam.correct(mark, 5)
    assert [r.pk for r in fam.rows(status=Status.QUEUED)] == [retry.pk]

    assert delivery.deliver(make_due(retry).pk) == Status.SUPPRESSED
    retry.refresh_from_db()
    assert retry.suppressed_reason == channels.REASON_ALREADY_TOLD
    assert [sms.text for sms in locmem.outbox] == ["Алексеев Пётр: математика 5"]


def test_an_sms_sent_after_a_retry_tells_what_is_true_then(fam, monkeypatch):
    """5 -> 3 waiting for a retry, then 3 -> 2 and a new 4: one SMS, sent at the retry,
    with the 2 and the 4; the 5 already told is not repeated."""
    mark, retry = _sent_then_correction_waits_for_a_retry(fam, monkeypatch)
    fam.correct(mark, 2)
    fam.mark(4, subject=fam.world.russian)
    assert [r.pk for r in fam.rows(status=Status.QUEUED)] == [retry.pk]

    assert delivery.deliver(make_due(retry).pk) == Status.SENT
    assert [sms.text for sms in locmem.outbox] == [
        "Алексеев Пётр: математика 5",
        "Алексеев Пётр: математика 2, русский язык 4",
    ]
    retry.refresh_from_db()
    assert retry.told[f"mark:{mark.pk}"] == 2


def test_a_mark_told_by_one_channel_is_still_news_for_the_other(fam, mailoutbox):
    """What the SMS told does not silence the e-mail: each channel its own history."""
    fam.subscribe(Kind.MARKS, Channel.EMAIL)
    mailoutbox.clear()
    fam.mark(5)
    sms, letter = fam.rows(channel=Channel.SMS)[0], fam.rows(channel=Channel.EMAIL)[0]
    assert delivery.deliver(make_due(sms).pk) == Status.SENT
    assert delivery.deliver(make_due(letter).pk) == Status.SENT
    assert [m.body for m in mailoutbox] == ["Алексеев Пётр: математика 5"]

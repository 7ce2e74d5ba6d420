"""E-mail digests: what a family's letter holds (from the diary projection), who gets one
(subscription, consent, confirmed address), a fixed number of queries per batch of
families, and the letter as sent (plain text and HTML, Russian, List-Unsubscribe)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from consent.models import Scope
from journal import services as journal
from journal.models import LessonType, RemarkKind
from notifications import delivery
from notifications.digests import (
    build_digest,
    next_school_day,
    send_digests,
)
from notifications.models import Channel, Frequency, Kind, Notification, Status
from notifications.tokens import read_unsubscribe_token
from school.models import Student
from tests.factories import StudentFactory
from tests.journal_factories import build_journal_world
from tests.notifications.support import Family, add_guardian, build_family

pytestmark = pytest.mark.django_db


def a_week(fam: Family) -> dict:
    """A week of the child's diary made through the journal's services."""
    w, student = fam.world, fam.student
    today = w.today
    next_day = next_school_day(today, w.school.week_days)
    ahead = (next_day - today).days
    fam.mark(5)
    journal.set_attendance(
        actor=w.teacher, lesson=fam.lesson(), student=student, code="н", expected_version=0
    )
    journal.assign_homework(
        actor=w.teacher, lesson=fam.lesson(), text="№ 245, 247", due_date=next_day
    )
    journal.add_remark(
        actor=w.teacher, student=student, kind=RemarkKind.RECOMMENDATION, text="Повторить дроби"
    )
    journal.send_message(
        actor=w.teacher, subject="Собрание", text="В четверг в 18:00, каб. 12", student=student
    )
    changed = w.lesson(ahead, number=3)
    journal.substitute_lesson(actor=w.deputy, lesson=changed, substitute=w.other_teacher)
    test = w.lesson(ahead + 1, number=4, lesson_type=LessonType.TEST, topic="Дроби")
    return {"next_day": next_day, "test": test}


def test_a_digest_holds_the_week_of_the_diary():
    """Marks, absences, homework for the next school day, recommendations, messages,
    timetable changes and the tests of the coming week, in Russian."""
    fam = build_family()
    facts = a_week(fam)
    now = timezone.now() + dt.timedelta(seconds=1)
    digest = build_digest(fam.guardian, [fam.student], now - dt.timedelta(days=7), now)

    text = digest.text
    assert text.startswith("Здравствуйте, Елена Андреевна!")
    assert "== Алексеев Пётр, 5А ==" in text
    assert "математика: 5 (Ответ на уроке)" in text
    assert "математика: н (отсутствовал без уважительной причины)" in text
    assert f"Домашнее задание на {digest.children[0].next_day_label}:" in text
    assert "математика: № 245, 247" in text
    assert "рекомендация: Повторить дроби (Кузнецов А. П.)" in text
    assert "«Собрание»" in text and "В четверг в 18:00, каб. 12" in text
    assert "3 урок: замена — Громов И. П." in text
    assert "математика: контрольная работа (4 урок, Дроби)" in text
    assert "Отписаться от сводки: http://" in text
    assert digest.subject.startswith("Дневник за неделю ") and digest.subject.endswith(": Пётр")
    assert '<html lang="ru">' in digest.html
    assert "Алексеев Пётр, 5А" in digest.html and "Повторить дроби" in digest.html
    assert ["student", fam.student.pk] in digest.sources
    assert ["lesson", facts["test"].pk] in digest.sources
    assert digest.recorded_at is not None


def test_nothing_to_tell_makes_no_digest():
    fam = build_family()
    now = timezone.now()
    assert build_digest(fam.guardian, [fam.student], now - dt.timedelta(days=1), now) is None


def test_homework_due_after_the_next_school_day_waits_for_its_digest():
    """Only homework due on the next school day is listed."""
    fam = build_family()
    w = fam.world
    later = next_school_day(next_school_day(w.today, 5), 5)
    journal.assign_homework(actor=w.teacher, lesson=fam.lesson(), text="Эссе", due_date=later)
    now = timezone.now() + dt.timedelta(seconds=1)
    assert build_digest(fam.guardian, [fam.student], now - dt.timedelta(days=1), now) is None


def test_the_next_school_day_skips_the_weekend():
    friday = dt.date(2026, 11, 27)
    assert next_school_day(friday, 5) == dt.date(2026, 11, 30)
    assert next_school_day(friday, 6) == dt.date(2026, 11, 28)


def test_send_digests_queues_one_letter_per_family_and_only_once_a_day(mailoutbox):
    """The weekly digest (the default) of a family with news: one row, queued, with
    subject, text and HTML stored; a second run the same day adds nothing."""
    fam = build_family()
    a_week(fam)
    now = timezone.now() + dt.timedelta(seconds=1)
    assert send_digests(Frequency.WEEKLY, now=now) == 1
    assert send_digests(Frequency.WEEKLY, now=now) == 0
    assert send_digests(Frequency.DAILY, now=now) == 0
    [row] = fam.rows(kind=Kind.DIGEST)
    assert (row.channel, row.status, row.student) == (Channel.EMAIL, Status.QUEUED, None)
    assert row.subject.startswith("Дневник за неделю")
    assert "Алексеев Пётр" in row.text and "<html" in row.html


def test_digests_follow_each_childs_choice():
    """Daily for one child, weekly for the other, off for a third: each digest lists only
    the children who chose it."""
    fam = build_family()
    w = fam.world
    second, third = w.students[1], w.students[2]
    for student in (second, third):
        fam.guardian.kinships.create(student=student, relation="mother")
    fam.consent("given", [Scope.EMAIL], students=[second, third])
    fam.subscribe(Kind.DIGEST, Channel.EMAIL, frequency=Frequency.DAILY, student=second)
    fam.subscribe(
        Kind.DIGEST, Channel.EMAIL, enabled=False, frequency=Frequency.WEEKLY, student=third
    )
    for student in (fam.student, second, third):
        journal.record_mark(actor=w.teacher, lesson=fam.lesson(), student=student, value=4)
    now = timezone.now() + dt.timedelta(seconds=1)
    send_digests(Frequency.DAILY, now=now)
    send_digests(Frequency.WEEKLY, now=now)
    by_key = {row.idempotency_key.split(":")[1]: row for row in fam.rows(kind=Kind.DIGEST)}
    assert [s for k, s in by_key["daily"].sources if k == "student"] == [second.pk]
    assert [s for k, s in by_key["weekly"].sources if k == "student"] == [fam.student.pk]


@pytest.mark.parametrize(
    "family", [{"scopes": [Scope.SMS]}, {"email": None}], ids=["no-email-consent", "no-address"]
)
def test_families_the_letter_may_not_reach_get_no_digest(family):
    fam = build_family(**family)
    fam.mark(5)
    assert send_digests(Frequency.WEEKLY, now=timezone.now() + dt.timedelta(seconds=1)) == 0
    assert fam.rows(kind=Kind.DIGEST) == []


def many_families(world, count: int, start: int) -> list[Student]:
    """``count`` more children of 5А, each with a mother (consent, confirmed address) and a
    mark today, all through the services."""
    lesson = world.lesson(0, number=7 + start // 10)
    students = []
    for n in range(start, start + count):
        student = StudentFactory(school=world.school, enrolled_in=world.class_5a)
        add_guardian(world, student, phone=None, email=f"parent{n}@example.ru")
        journal.record_mark(actor=world.teacher, lesson=lesson, student=student, value=5)
        students.append(student)
    return students


def test_digests_take_a_fixed_number_of_queries_per_batch(django_assert_max_num_queries):
    """10 families and 50 families take the same number of queries (one batch); in
    batches of 10, 50 families take five times one batch's queries."""
    world = build_journal_world()
    many_families(world, 10, 0)
    now = timezone.now() + dt.timedelta(seconds=1)
    with CaptureQueriesContext(connection) as ten:
        assert send_digests(Frequency.WEEKLY, now=now) == 10
    Notification.objects.all().delete()

    many_families(world, 40, 10)
    now = timezone.now() + dt.timedelta(seconds=1)
    with django_assert_max_num_queries(len(ten.captured_queries)):
        assert send_digests(Frequency.WEEKLY, now=now) == 50
    Notification.objects.all().delete()

    with CaptureQueriesContext(connection) as one_batch:
        send_digests(Frequency.WEEKLY, now=now, batch_size=50)
    Notification.objects.all().delete()
    with CaptureQueriesContext(connection) as five_batches:
        assert send_digests(Frequency.WEEKLY, now=now, batch_size=10) == 50
    per_batch = len(one_batch.captured_queries) - 1  # the last, empty page of guardians
    assert len(five_batches.captured_queries) == 5 * per_batch + 1


def test_the_digest_goes_out_as_a_russian_letter_with_an_unsubscribe_header(mailoutbox):
    """Delivered through Django's mailer: plain text and HTML parts, and List-Unsubscribe
    with a signed link that leads back to this guardian's digest."""
    fam = build_family()
    a_week(fam)
    send_digests(Frequency.WEEKLY, now=timezone.now() + dt.timedelta(seconds=1))
    [row] = fam.rows(kind=Kind.DIGEST)
    mailoutbox.clear()
    assert delivery.deliver(row.pk) == Status.SENT

    [letter] = mailoutbox
    assert letter.to == ["sokolova@example.ru"]
    assert letter.subject == row.subject
    assert "Алексеев Пётр" in letter.body
    [(html, mimetype)] = letter.alternatives
    assert mimetype == "text/html" and "Электронный дневник" in html
    header = letter.extra_headers["List-Unsubscribe"]
    assert letter.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    token = header.strip("<>").rstrip("/").rsplit("/", 1)[1]
    assert read_unsubscribe_token(token) == (fam.guardian.pk, None, Kind.DIGEST)
    row.refresh_from_db()
    assert row.provider_message_id.startswith("<") and row.sent_at is not None

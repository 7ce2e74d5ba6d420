"""A family for the notification tests, made through the real services: a school with a
year around today (``tests.journal_factories.build_journal_world``), a guardian of one
5А student with consent registered on paper and contacts confirmed by code, and helpers
to give marks, read the outbox and move the clock.

    fam = build_family()                          # consent for SMS and e-mail, both confirmed
    fam = build_family(scopes=[], phone=False)    # no consent, no phone
    mark = fam.mark(5)                            # математика today, by the math teacher
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from consent import services as consent
from consent.models import ConsentForm, Contact, ContactSource, Decision, Scope
from journal import services as journal
from journal.models import Lesson, Mark
from notifications.models import Channel, Frequency, Kind, Notification
from notifications.subscriptions import set_subscription
from school.models import Guardian, Student, User
from tests.factories import GuardianFactory, KinshipFactory, UserFactory
from tests.journal_factories import JournalWorld, build_journal_world

PHONE = "+7 912 345-67-89"
PHONE_E164 = "+79123456789"
EMAIL = "sokolova@example.ru"


@dataclass
class Family:
    world: JournalWorld
    student: Student
    guardian: Guardian
    user: User
    lessons: int = 0

    @property
    def school(self):
        return self.world.school

    def lesson(self, *, subject=None, offset: int = 0) -> Lesson:
        """A fresh lesson of 5А today (each call the next lesson number)."""
        self.lessons += 1
        w = self.world
        subject = subject or w.math
        teacher = w.teacher if subject == w.math else w.russian_teacher
        return w.lesson(offset, number=self.lessons, subject=subject, teacher=teacher)

    def mark(self, value: int, *, subject=None, lesson: Lesson | None = None) -> Mark:
        w = self.world
        subject = subject or (lesson.subject if lesson else w.math)
        lesson = lesson or self.lesson(subject=subject)
        teacher = w.teacher if subject == w.math else w.russian_teacher
        return journal.record_mark(actor=teacher, lesson=lesson, student=self.student, value=value)

    def correct(self, mark: Mark, value: int) -> Mark:
        teacher = (
            self.world.teacher
            if mark.lesson.subject == self.world.math
            else (self.world.russian_teacher)
        )
        mark = Mark.objects.get(pk=mark.pk)
        return journal.correct_mark(
            actor=teacher, mark=mark, value=value, expected_version=mark.version
        )

    def delete(self, mark: Mark) -> None:
        teacher = (
            self.world.teacher
            if mark.lesson.subject == self.world.math
            else (self.world.russian_teacher)
        )
        mark = Mark.objects.get(pk=mark.pk)
        journal.delete_mark(actor=teacher, mark=mark, expected_version=mark.version)

    def subscribe(
        self,
        kind: str = Kind.MARKS,
        channel: str = Channel.SMS,
        *,
        enabled: bool = True,
        frequency: str = Frequency.INSTANT,
        student: Student | None = None,
    ) -> None:
        set_subscription(
            guardian=self.guardian,
            student=student or self.student,
            kind=kind,
            channel=channel,
            enabled=enabled,
            frequency=frequency,
            actor=self.user,
        )

    def consent(self, decision: str, scopes: list[str], students=None) -> None:
        consent.register_consent(
            guardian=self.guardian,
            students=students or [self.student],
            decision=decision,
            scopes=scopes,
            form=ConsentForm.PAPER,
            actor=self.world.secretary,
            paper_number="17",
            paper_date=self.school.local_today(),
        )

    def rows(self, **filters) -> list[Notification]:
        return list(
            Notification.objects.filter(guardian=self.guardian, **filters).order_by("created_at")
        )


def add_confirmed_contact(guardian: Guardian, kind: str, value: str, by: User) -> Contact:
    """From the family's signed statement, which confirms it (no code is sent: these tests
    count what reaches the gateway; codes are tested in tests/consent)."""
    return consent.add_contact(
        guardian=guardian,
        kind=kind,
        value=value,
        source=ContactSource.STATEMENT,
        statement_number="17",
        statement_date=dt.date(2020, 9, 1),
        actor=by,
    )


def add_guardian(
    world: JournalWorld,
    student: Student,
    *,
    scopes: list[str] | tuple[str, ...] = (Scope.SMS, Scope.EMAIL, Scope.CABINET),
    phone: str | None = PHONE,
    email: str | None = EMAIL,
    username: str | None = None,
) -> Family:
    user = UserFactory(username=username) if username else UserFactory()
    guardian = GuardianFactory(
        user=user, last_name="Соколова", first_name="Елена", middle_name="Андреевна"
    )
    KinshipFactory(guardian=guardian, student=student)
    family = Family(world=world, student=student, guardian=guardian, user=user)
    if scopes:
        family.consent(Decision.GIVEN, list(scopes))
    if phone:
        add_confirmed_contact(guardian, Contact.Kind.PHONE, phone, world.secretary)
    if email:
        add_confirmed_contact(guardian, Contact.Kind.EMAIL, email, world.secretary)
    return family


def build_family(**options) -> Family:
    world = build_journal_world()
    return add_guardian(world, world.students[0], **options)


def at(local: str, tz: str = "Europe/Simferopol") -> dt.datetime:
    """An aware moment from «2026-11-27 20:59» in the school's time zone."""
    from zoneinfo import ZoneInfo

    return dt.datetime.fromisoformat(local).replace(tzinfo=ZoneInfo(tz))


def make_due(notification: Notification) -> Notification:
    """Let the window pass: the row is due now (the clock is not the test's subject)."""
    Notification.objects.filter(pk=notification.pk).update(due_at=timezone.now())
    notification.refresh_from_db()
    return notification

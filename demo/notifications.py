"""The notifications step of ``manage.py seed_demo``: what the families chose to receive,
written through ``notifications.subscriptions.set_subscription`` (each choice with its audit
row), only by a channel their consent opens today (``consent.rules.open_pairs``).

- The showcase ``parent`` chose in the cabinet: new marks and teachers' messages by SMS, new
  marks by e-mail and a daily digest instead of the weekly one.
- Of the families who consented on paper, most who allowed SMS asked in their statement for
  new marks by SMS (some for teachers' messages too), some who gave an e-mail asked for a
  daily digest; the secretary entered it from the statement (its number kept).
Everyone else keeps the defaults (the weekly e-mail digest and teachers' messages by e-mail
where e-mail is open)."""

from __future__ import annotations

from collections import defaultdict

from consent.models import ConsentForm, ConsentRecord, Decision, Scope
from consent.rules import open_pairs
from notifications.models import Channel, Frequency, Kind, Subscription, SubscriptionChange
from notifications.subscriptions import set_subscription
from school.models import Guardian, Kinship, StaffMember, Student
from school.models import Position as StaffPosition

# (kind, channel, frequency) the showcase parent chose in the cabinet.
SHOWCASE_CHOICES = (
    (Kind.MARKS, Channel.SMS, Frequency.INSTANT),
    (Kind.MESSAGE, Channel.SMS, Frequency.INSTANT),
    (Kind.MARKS, Channel.EMAIL, Frequency.INSTANT),
    (Kind.DIGEST, Channel.EMAIL, Frequency.DAILY),
)


def seed_subscriptions(ctx) -> None:
    school = ctx.school
    rng = ctx.rng("subscriptions")
    secretary = (
        StaffMember.objects.filter(school=school, position=StaffPosition.SECRETARY)
        .select_related("user")
        .first()
    )
    if secretary is None:
        return
    families: dict[int, list[int]] = defaultdict(list)
    for guardian_id, student_id in Kinship.objects.filter(student__school=school).values_list(
        "guardian_id", "student_id"
    ):
        families[guardian_id].append(student_id)
    guardian_ids = sorted(families)
    sms = open_pairs(guardian_ids, Scope.SMS)
    email = open_pairs(guardian_ids, Scope.EMAIL)
    # The statement each family's consent came on (its latest paper consent given).
    statements = dict(
        ConsentRecord.objects.filter(
            guardian_id__in=guardian_ids, decision=Decision.GIVEN, form=ConsentForm.PAPER
        )
        .order_by("guardian_id", "recorded_at")
        .values_list("guardian_id", "paper_number")
    )
    showcase = ctx.logins.get("parent")
    guardians = Guardian.objects.select_related("user").in_bulk(guardian_ids)
    students = Student.objects.in_bulk([s for children in families.values() for s in children])
    written = 0
    for guardian_id in guardian_ids:
        guardian = guardians[guardian_id]
        own = guardian.user is not None and guardian.user.username == showcase
        if own:
            choices = [
                (student_id, kind, channel, frequency)
                for student_id in families[guardian_id]
                for kind, channel, frequency in SHOWCASE_CHOICES
                if (guardian_id, student_id) in (sms if channel == Channel.SMS else email)
            ]
        elif guardian_id in statements:
            choices = []
            marks_by_sms, messages_by_sms = rng.random() < 0.7, rng.random() < 0.3
            daily_digest = rng.random() < 0.2
            for student_id in families[guardian_id]:
                if (guardian_id, student_id) in sms:
                    if marks_by_sms:
                        choices.append((student_id, Kind.MARKS, Channel.SMS, Frequency.INSTANT))
                    if messages_by_sms:
                        choices.append((student_id, Kind.MESSAGE, Channel.SMS, Frequency.INSTANT))
                if (guardian_id, student_id) in email and daily_digest:
                    choices.append((student_id, Kind.DIGEST, Channel.EMAIL, Frequency.DAILY))
        else:
            continue
        for student_id, kind, channel, frequency in choices:
            set_subscription(
                guardian=guardian,
                student=students[student_id],
                kind=kind,
                channel=channel,
                enabled=True,
                frequency=frequency,
                actor=guardian.user if own else secretary.user,
                statement_number="" if own else statements[guardian_id],
            )
            written += 1
    ctx.counts["подписки на уведомления"] += written


def delete_subscriptions(school) -> None:
    guardian_ids = list(
        Kinship.objects.filter(student__school=school).values_list("guardian_id", flat=True)
    )
    SubscriptionChange.objects.filter(guardian_id__in=guardian_ids).delete()
    Subscription.objects.filter(guardian_id__in=guardian_ids).delete()

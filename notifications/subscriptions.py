"""What a family receives: the defaults when they have not chosen (seed 1.6, 2.6), reading
the choices, and changing them (by the guardian, by the secretary from a written statement,
or by the unsubscribe link of an e-mail), with an audit row for every change."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from school import access
from school.models import Guardian, Kinship, Student, User

from .models import ChangeSource, Channel, Frequency, Kind, Subscription, SubscriptionChange

# (kind, channel) -> (enabled, frequency) when the guardian has not chosen. Only what is
# sent is offered: final marks (seed 2.6: within 24 h) and the forecast come back here when
# the journal publishes them (their ``Kind`` values stay, for the rows already kept).
DEFAULTS: dict[tuple[str, str], tuple[bool, str]] = {
    (Kind.MARKS, Channel.SMS): (False, Frequency.INSTANT),  # SMS costs money: opt in
    (Kind.MARKS, Channel.EMAIL): (False, Frequency.INSTANT),
    (Kind.DIGEST, Channel.EMAIL): (True, Frequency.WEEKLY),
    (Kind.MESSAGE, Channel.EMAIL): (True, Frequency.INSTANT),
    (Kind.MESSAGE, Channel.SMS): (False, Frequency.INSTANT),
    (Kind.TIMETABLE, Channel.SMS): (False, Frequency.INSTANT),
    (Kind.TIMETABLE, Channel.EMAIL): (False, Frequency.INSTANT),
}
CHOICES = list(DEFAULTS)
# How often each kind may come; a kind not listed comes at once («сразу»).
FREQUENCIES: dict[str, tuple[str, ...]] = {
    Kind.DIGEST: (Frequency.DAILY, Frequency.WEEKLY),
}

MSG_UNKNOWN_CHOICE = _("Такой подписки нет: «%(kind)s» по каналу «%(channel)s».")
MSG_BAD_FREQUENCY = _("«%(kind)s» можно получать только так: %(allowed)s.")
MSG_NOT_A_CHILD = _("%(student)s не указан(а) как ребёнок этого родителя.")
MSG_NO_RIGHT = _("Подписки этой семьи меняют секретарь, администрация и классный руководитель.")
MSG_STATEMENT_NUMBER = _("Укажите номер письменного заявления родителя.")


def frequencies_for(kind: str) -> tuple[str, ...]:
    return FREQUENCIES.get(kind, (Frequency.INSTANT,))


def preferences(
    guardian_id: int, student_ids: list[int]
) -> dict[tuple[int, str, str], tuple[bool, str]]:
    """{(student, kind, channel): (enabled, frequency)} with the defaults filled in."""
    chosen = {
        (s.student_id, s.kind, s.channel): (s.enabled, s.frequency)
        for s in Subscription.objects.filter(guardian_id=guardian_id, student_id__in=student_ids)
    }
    return {
        (student_id, kind, channel): chosen.get((student_id, kind, channel), default)
        for student_id in student_ids
        for (kind, channel), default in DEFAULTS.items()
    }


def wants(guardian_id: int, student_id: int, kind: str, channel: str) -> tuple[bool, str]:
    return preferences(guardian_id, [student_id])[(student_id, kind, channel)]


def _validate(kind: str, channel: str, frequency: str) -> None:
    if (kind, channel) not in DEFAULTS:
        raise ValidationError(
            MSG_UNKNOWN_CHOICE, code="unknown", params={"kind": kind, "channel": channel}
        )
    allowed = frequencies_for(kind)
    if frequency not in allowed:
        raise ValidationError(
            MSG_BAD_FREQUENCY,
            code="frequency",
            params={
                "kind": Kind(kind).label,
                "allowed": ", ".join(str(Frequency(f).label) for f in allowed),
            },
        )


def _source(guardian: Guardian, student: Student, actor: User | None, statement_number: str) -> str:
    if actor is None:
        return ChangeSource.LINK
    if guardian.user_id == actor.pk:
        return ChangeSource.CABINET
    if not access.can_manage_family_data(actor, student):
        raise ValidationError(MSG_NO_RIGHT, code="forbidden")
    if not statement_number.strip():
        raise ValidationError(MSG_STATEMENT_NUMBER, code="statement_number")
    return ChangeSource.STATEMENT


def set_subscription(
    *,
    guardian: Guardian,
    student: Student,
    kind: str,
    channel: str,
    enabled: bool,
    frequency: str,
    actor: User | None,
    statement_number: str = "",
) -> Subscription | None:
    """Set one choice of a guardian for one child. ``actor`` is the guardian's own login (the
    cabinet), a staff member acting on a written statement (its number required), or
    ``None`` for the unsubscribe link of an e-mail. Returns ``None`` when nothing changed;
    otherwise the subscription, with an audit row written."""
    _validate(kind, channel, frequency)
    statement_number = statement_number.strip()
    source = _source(guardian, student, actor, statement_number)
    with transaction.atomic():
        guardian = Guardian.objects.select_for_update().get(pk=guardian.pk)
        if not Kinship.objects.filter(guardian=guardian, student=student).exists():
            raise ValidationError(
                MSG_NOT_A_CHILD, code="not_child", params={"student": student.short_name}
            )
        subscription = (
            Subscription.objects.filter(
                guardian=guardian, student=student, kind=kind, channel=channel
            )
            .select_for_update()
            .first()
        )
        old_enabled, old_frequency = (
            (subscription.enabled, subscription.frequency)
            if subscription is not None
            else DEFAULTS[(kind, channel)]
        )
        if (old_enabled, old_frequency) == (enabled, frequency) and subscription is not None:
            return None
        if subscription is None:
            subscription = Subscription(
                guardian=guardian, student=student, kind=kind, channel=channel
            )
        subscription.enabled = enabled
        subscription.frequency = frequency
        subscription.set_by = actor
        subscription.statement_number = statement_number
        subscription.full_clean()
        subscription.save()
        SubscriptionChange.objects.create(
            guardian=guardian,
            student=student,
            kind=kind,
            channel=channel,
            old={"enabled": old_enabled, "frequency": old_frequency},
            new={"enabled": enabled, "frequency": frequency},
            actor=actor,
            object_id=subscription.pk,
            source=source,
            statement_number=statement_number,
        )
    return subscription

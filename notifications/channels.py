"""Who may get what, by which channel, and when: the consent rule and a confirmed contact
for every child a message speaks about, the quiet hours of SMS, and the channels a refusal
closes. Asked when a row is written (``outbox``) and again when it is sent (``delivery``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.conf import settings

from consent.models import Contact, Scope
from consent.rules import channel_open

from .models import Channel, Notification

SCOPE_OF_CHANNEL = {Channel.SMS: Scope.SMS, Channel.EMAIL: Scope.EMAIL}
CHANNEL_OF_SCOPE = {Scope.SMS: Channel.SMS, Scope.EMAIL: Channel.EMAIL}

REASON_NO_PHONE = "нет подтверждённого номера телефона"
REASON_NO_EMAIL = "нет подтверждённого адреса электронной почты"
REASON_ALL_GONE = "всё, о чём сообщалось, удалено или отменено до отправки"
REASON_UNSUBSCRIBED = "родитель отписался до отправки"
REASON_ALREADY_TOLD = "отметки вернулись к значениям, о которых уже сообщалось"


def _parse_hhmm(value: str) -> dt.time:
    hours, minutes = value.split(":")
    return dt.time(int(hours), int(minutes))


def after_quiet_hours(when: dt.datetime, school_tz: str) -> dt.datetime:
    """Move ``when`` out of the quiet hours (``NOTIFY_QUIET_HOURS``, default 21:00-08:00
    school time) to their end. An empty setting turns quiet hours off."""
    if len(settings.NOTIFY_QUIET_HOURS) != 2:
        return when
    start, end = (_parse_hhmm(v) for v in settings.NOTIFY_QUIET_HOURS)
    if start == end:
        return when
    zone = ZoneInfo(school_tz)
    local = when.astimezone(zone)
    clock = local.time()
    quiet = (start <= clock or clock < end) if start > end else (start <= clock < end)
    if not quiet:
        return when
    morning = local.date() if clock < end else local.date() + dt.timedelta(days=1)
    return dt.datetime.combine(morning, end, tzinfo=zone)


def contact_for(guardian_id: int, channel: str) -> Contact | None:
    """The guardian's newest confirmed, active contact for the channel."""
    kind = Contact.Kind.PHONE if channel == Channel.SMS else Contact.Kind.EMAIL
    return (
        Contact.objects.filter(
            guardian_id=guardian_id, kind=kind, is_active=True, confirmed_at__isnull=False
        )
        .order_by("-confirmed_at")
        .first()
    )


def student_ids_of(notification: Notification) -> list[int]:
    """The children a notification speaks about: its student, or (a family digest) the
    ``["student", id]`` entries of its sources."""
    if notification.student_id is not None:
        return [notification.student_id]
    return [source_id for kind, source_id in notification.sources if kind == "student"]


def check_channel(
    guardian_id: int, student_ids: Iterable[int], channel: str
) -> tuple[str, Contact | None]:
    """(reason, contact): the reason is empty when the message may go out, otherwise it is
    kept on the row. The rule: consent in force for the channel for every child the
    message speaks about (``consent.rules.channel_open``), and a confirmed contact."""
    for student_id in student_ids:
        verdict = channel_open(
            guardian_id=guardian_id, student_id=student_id, channel=SCOPE_OF_CHANNEL[channel]
        )
        if not verdict:
            return verdict.reason, None
    contact = contact_for(guardian_id, channel)
    if contact is None:
        return (REASON_NO_PHONE if channel == Channel.SMS else REASON_NO_EMAIL), None
    return "", contact


def why_closed(guardian_id: int, student_ids: Iterable[int], channel: str) -> str:
    """Empty when the message may go out; otherwise the reason (see ``check_channel``)."""
    return check_channel(guardian_id, student_ids, channel)[0]


def channels_closed_by(scopes: Iterable[str]) -> list[str] | None:
    """The outbox channels a refusal or withdrawal of ``scopes`` closes (``None``: all)."""
    scopes = set(scopes)
    if Scope.PROCESSING in scopes:
        return None
    return [CHANNEL_OF_SCOPE[s] for s in scopes if s in CHANNEL_OF_SCOPE]

"""The words of a notification, made at sending time, so that a mark corrected before the
SMS left is sent with its new value and a deleted one is not sent at all; a mark whose
value is the one this family was last told by this channel (5 -> 3 -> 5 while the message
waited, or a retry) is news no more. Likewise a timetable change undone before sending is
left out. Digests are made when they are built and stored on the row (``digests``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from journal.models import Lesson, LessonStatus, Mark, Message

from .channels import REASON_ALL_GONE, REASON_ALREADY_TOLD
from .models import Channel, Kind, Notification, Status
from .tokens import unsubscribe_headers

WEEKDAYS = ("пн", "вт", "ср", "чт", "пт", "сб", "вс")
MONTHS = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str = ""
    headers: dict = field(default_factory=dict)
    # What the message tells about each source ({"mark:12": 5}), kept on the sent row.
    told: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Nothing:
    """Nothing is left to tell, and why (kept on the suppressed row)."""

    reason: str = REASON_ALL_GONE


def day_label(day: dt.date) -> str:
    """«пн, 30 ноября»: how Russian diaries name a day."""
    return f"{WEEKDAYS[day.weekday()]}, {day.day} {MONTHS[day.month - 1]}"


def short_day(day: dt.date) -> str:
    """«пн 30.11»: for SMS, where every character counts."""
    return f"{WEEKDAYS[day.weekday()]} {day:%d.%m}"


def in_sentence(name: str) -> str:
    """«Алгебра» -> «алгебра», but «ОБЗР» and «ИЗО» stay as they are."""
    if len(name) > 1 and name[1].isupper():
        return name
    return name[:1].lower() + name[1:]


def marks_text(student_name: str, marks: list[Mark]) -> str:
    """«Иванов Пётр: алгебра 5 4, русский язык 4» in the order the marks were given."""
    by_subject: dict[str, list[str]] = {}
    for mark in sorted(marks, key=lambda m: (m.lesson.date, m.lesson.number, m.pk)):
        by_subject.setdefault(in_sentence(mark.lesson.subject.name), []).append(str(mark.value))
    listed = ", ".join(f"{subject} {' '.join(values)}" for subject, values in by_subject.items())
    return f"{student_name}: {listed}"


def _ids(notification: Notification, kind: str) -> list[int]:
    return [source_id for source_kind, source_id in notification.sources if source_kind == kind]


def _name(notification: Notification) -> str:
    student = notification.student
    return f"{student.last_name} {student.first_name}"


def told_before(notification: Notification, keys: list[str]) -> dict:
    """What the messages already sent to this guardian about this child, of this kind and
    by this channel, last told about each of ``keys`` (the newest message wins)."""
    told: dict = {}
    earlier = (
        Notification.objects.filter(
            guardian_id=notification.guardian_id,
            student_id=notification.student_id,
            kind=notification.kind,
            channel=notification.channel,
            status=Status.SENT,
            told__has_any_keys=keys,
        )
        .exclude(pk=notification.pk)
        .order_by("sent_at", "pk")
        .values_list("told", flat=True)
    )
    for row in earlier:
        told.update(row)
    return {key: told[key] for key in keys if key in told}


def _marks(notification: Notification) -> Rendered | Nothing:
    marks = list(
        Mark.objects.filter(pk__in=_ids(notification, "mark")).select_related(
            "lesson", "lesson__subject"
        )
    )
    if not marks:
        return Nothing()
    told = told_before(notification, [f"mark:{mark.pk}" for mark in marks])
    news = [mark for mark in marks if told.get(f"mark:{mark.pk}") != mark.value]
    if not news:
        return Nothing(REASON_ALREADY_TOLD)
    name = _name(notification)
    return Rendered(
        subject=f"Новые отметки: {name}",
        text=marks_text(name, news),
        told={f"mark:{mark.pk}": mark.value for mark in news},
    )


def _message(notification: Notification) -> Rendered | Nothing:
    message = (
        Message.objects.filter(pk__in=_ids(notification, "message"))
        .select_related("sender")
        .first()
    )
    if message is None:
        return Nothing()
    if notification.channel == Channel.SMS:
        return Rendered(
            subject=message.subject,
            text=f"Сообщение от {message.sender.short_name}: {message.subject}. "
            "Текст в электронном дневнике.",
        )
    return Rendered(
        subject=f"Сообщение учителя: {message.subject}",
        text=f"{message.text}\n\n{message.sender.full_name}",
    )


def lesson_change_line(lesson: Lesson, listed: set[int]) -> tuple[dt.date, str] | None:
    """(the day it concerns, «3 урок, математика: отменён»), or ``None`` when the lesson is
    no longer changed or its change is told by another listed lesson."""
    subject = in_sentence(lesson.subject.name)
    if lesson.status == LessonStatus.CANCELLED:
        return lesson.date, f"{lesson.number} урок, {subject}: отменён"
    if lesson.status == LessonStatus.MOVED and lesson.moved_to is not None:
        target = lesson.moved_to
        return target.date, (
            f"{lesson.number} урок {lesson.date:%d.%m}, {subject}: "
            f"перенесён на {target.date:%d.%m}, {target.number} урок"
        )
    if not lesson.is_active:
        return None
    source = moved_from(lesson)
    if source is not None:
        if source.pk in listed:
            return None
        return lesson.date, (
            f"{lesson.number} урок, {subject}: перенесён с {source.date:%d.%m}, "
            f"{source.number} урок"
        )
    if lesson.substitute_id:
        return (
            lesson.date,
            f"{lesson.number} урок, {subject}: замена — {lesson.substitute.short_name}",
        )
    if lesson.is_extra:
        return lesson.date, f"{lesson.number} урок, {subject}: дополнительный урок"
    return None


def moved_from(lesson: Lesson) -> Lesson | None:
    """The lesson this one was moved from (the reverse one-to-one raises when absent)."""
    try:
        return lesson.moved_from
    except Lesson.DoesNotExist:
        return None


def _timetable(notification: Notification) -> Rendered | Nothing:
    ids = _ids(notification, "lesson")
    lessons = list(
        Lesson.objects.filter(pk__in=ids)
        .select_related("subject", "substitute", "moved_to", "moved_from")
        .order_by("date", "number")
    )
    by_day: dict[dt.date, list[str]] = {}
    for lesson in lessons:
        line = lesson_change_line(lesson, set(ids))
        if line is not None:
            by_day.setdefault(line[0], []).append(line[1])
    if not by_day:
        return Nothing()
    name = _name(notification)
    days = "; ".join(
        f"{short_day(day)}: {', '.join(lines)}" for day, lines in sorted(by_day.items())
    )
    first = min(by_day)
    return Rendered(
        subject=f"Изменения в расписании на {day_label(first)}: {name}",
        text=f"{name}, расписание {days}",
    )


def render(notification: Notification) -> Rendered | Nothing:
    """The message as it is to be sent now, or ``Nothing`` (with the reason) when nothing
    is left to tell."""
    if notification.kind == Kind.MARKS:
        return _marks(notification)
    if notification.kind == Kind.MESSAGE:
        return _message(notification)
    if notification.kind == Kind.TIMETABLE:
        return _timetable(notification)
    if not notification.text:
        return Nothing()
    return Rendered(
        subject=notification.subject,
        text=notification.text,
        html=notification.html,
        headers=_stored_headers(notification),
    )


def _stored_headers(notification: Notification) -> dict:
    if notification.kind == Kind.DIGEST:
        return unsubscribe_headers(notification)
    return {}

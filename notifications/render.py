"""The words of a notification, made at sending time, so that a mark corrected before the
SMS left is sent with its new value and a deleted one is not sent at all."""

from __future__ import annotations

from dataclasses import dataclass, field

from journal.models import Mark, Message

from .models import Kind, Notification


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str = ""
    headers: dict = field(default_factory=dict)


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


def render(notification: Notification) -> Rendered | None:
    if notification.kind == Kind.MARKS:
        ids = [source_id for kind, source_id in notification.sources if kind == "mark"]
        marks = list(Mark.objects.filter(pk__in=ids).select_related("lesson", "lesson__subject"))
        if not marks:
            return None
        student = notification.student
        name = f"{student.last_name} {student.first_name}"
        return Rendered(subject="Новые отметки", text=marks_text(name, marks))
    if notification.kind == Kind.MESSAGE:
        ids = [source_id for kind, source_id in notification.sources if kind == "message"]
        message = Message.objects.filter(pk__in=ids).select_related("sender").first()
        if message is None:
            return None
        if notification.channel == "sms":
            return Rendered(
                subject=message.subject,
                text=f"Сообщение от {message.sender.short_name}: {message.subject}. "
                "Текст в электронном дневнике.",
            )
        return Rendered(
            subject=f"Сообщение учителя: {message.subject}",
            text=f"{message.text}\n\n{message.sender.full_name}",
        )
    if not notification.text:
        return None
    return Rendered(
        subject=notification.subject,
        text=notification.text,
        html=notification.html,
        headers=_stored_headers(notification),
    )


def _stored_headers(notification: Notification) -> dict:
    from .digests import unsubscribe_headers

    if notification.kind == Kind.DIGEST:
        return unsubscribe_headers(notification)
    return {}

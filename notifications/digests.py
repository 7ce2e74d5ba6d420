"""E-mail digests of the diary, daily or weekly: one letter per family (a guardian), with
a section per child who is subscribed and whose e-mail channel is open.

A digest reads the diary projection (``diary.models.DiaryEntry``), never the journal's
tables one by one: marks, absences, recommendations and messages recorded during the
period, homework due on the next school day, timetable changes and tests of the coming
week. ``send_digests`` builds them for every family in batches with a fixed number of
queries per batch, stores subject, text and HTML on the outbox row, and queues the rows.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from consent.models import Contact, Scope
from consent.rules import open_pairs
from diary.models import DiaryEntry, EntryKind
from journal.models import ACTIVE_STATUSES, TEST_LESSON_TYPES, Lesson
from school.models import Enrolment, GroupMembership, Guardian, Kinship, Student

from .models import Channel, Frequency, Kind, Notification, Subscription
from .outbox import schedule_many
from .render import day_label, in_sentence
from .subscriptions import DEFAULTS
from .tokens import unsubscribe_url

BATCH_SIZE = 500
PERIODS = {Frequency.DAILY: dt.timedelta(days=1), Frequency.WEEKLY: dt.timedelta(days=7)}
REPORTED = (EntryKind.MARK, EntryKind.ABSENCE, EntryKind.REMARK, EntryKind.MESSAGE)
MARK_COLOURS = {5: "#1b7a3a", 4: "#1c64a8", 3: "#8a5a00", 2: "#b42318", 1: "#b42318"}


# --- What a digest holds ----------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One line of a digest, already in words: the templates only lay it out."""

    day: str
    subject: str
    value: str
    note: str = ""
    colour: str = ""
    who: str = ""


@dataclass
class ChildDigest:
    student: Student
    class_name: str
    next_day: dt.date
    marks: list[Line] = field(default_factory=list)
    absences: list[Line] = field(default_factory=list)
    homework: list[Line] = field(default_factory=list)
    remarks: list[Line] = field(default_factory=list)
    messages: list[Line] = field(default_factory=list)
    lesson_changes: list[Line] = field(default_factory=list)
    tests: list[Line] = field(default_factory=list)
    sources: list[list] = field(default_factory=list)
    recorded: list[dt.datetime] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"{self.student.last_name} {self.student.first_name}"

    @property
    def next_day_label(self) -> str:
        return day_label(self.next_day)

    @property
    def is_empty(self) -> bool:
        return not (
            self.marks
            or self.absences
            or self.homework
            or self.remarks
            or self.messages
            or self.lesson_changes
            or self.tests
        )


@dataclass
class Digest:
    guardian: Guardian
    frequency: str
    period_start: dt.datetime
    period_end: dt.datetime
    children: list[ChildDigest]
    sources: list[list] = field(default_factory=list)
    recorded_at: dt.datetime | None = None
    subject: str = ""
    text: str = ""
    html: str = ""


def next_school_day(day: dt.date, week_days: int) -> dt.date:
    """The next day with lessons: Saturday counts only in a six-day school; Sunday never."""
    day += dt.timedelta(days=1)
    while day.isoweekday() > week_days:
        day += dt.timedelta(days=1)
    return day


def _local_date(moment: dt.datetime, tz: str) -> dt.date:
    return moment.astimezone(ZoneInfo(tz)).date()


class DiaryBatch:
    """The diary rows, classes, groups and tests of many students, in a fixed number of
    queries (four) however many students and entries there are."""

    def __init__(
        self, students: list[Student], period_start: dt.datetime, period_end: dt.datetime
    ) -> None:
        self.period_start, self.period_end = period_start, period_end
        self.next_day: dict[int, dt.date] = {}
        for student in students:
            today = _local_date(period_end, student.school.timezone)
            self.next_day[student.pk] = next_school_day(today, student.school.week_days)
        ids = list(self.next_day)
        first = min(self.next_day.values(), default=period_end.date())
        last = max(self.next_day.values(), default=period_end.date()) + dt.timedelta(days=6)
        self.entries: dict[int, list[DiaryEntry]] = defaultdict(list)
        for entry in (
            DiaryEntry.objects.filter(student_id__in=ids)
            .filter(
                Q(kind__in=REPORTED, changed_at__gte=period_start, changed_at__lt=period_end)
                | Q(kind=EntryKind.HOMEWORK, due_date__gte=first, due_date__lte=last)
                | Q(kind=EntryKind.LESSON_CHANGE, date__gte=first, date__lte=last)
            )
            .select_related("subject")
            .order_by("date", "lesson_id", "id")
        ):
            self.entries[entry.student_id].append(entry)
        self.classes: dict[int, tuple[int, str]] = {}
        for enrolment in (
            Enrolment.objects.in_force(first)
            .filter(student_id__in=ids)
            .select_related("school_class")
        ):
            school_class = enrolment.school_class
            self.classes[enrolment.student_id] = (school_class.pk, school_class.name)
        self.groups: dict[int, set[int]] = defaultdict(set)
        for student_id, group_id in (
            GroupMembership.objects.in_force(first)
            .filter(student_id__in=ids)
            .values_list("student_id", "group_id")
        ):
            self.groups[student_id].add(group_id)
        # The test schedule (journal.selectors.test_schedule) of every class at once.
        self.tests: dict[int, list[Lesson]] = defaultdict(list)
        for lesson in (
            Lesson.objects.filter(
                school_class_id__in={class_id for class_id, _ in self.classes.values()},
                date__gte=first,
                date__lte=last,
                lesson_type__in=TEST_LESSON_TYPES,
                status__in=ACTIVE_STATUSES,
            )
            .select_related("subject", "group")
            .order_by("date", "number")
        ):
            self.tests[lesson.school_class_id].append(lesson)

    def child(self, student: Student) -> ChildDigest:
        next_day = self.next_day[student.pk]
        week_end = next_day + dt.timedelta(days=6)
        class_id, class_name = self.classes.get(student.pk, (None, ""))
        child = ChildDigest(student=student, class_name=class_name, next_day=next_day)
        for entry in self.entries[student.pk]:
            _add_entry(child, entry, next_day, week_end)
        for lesson in self.tests.get(class_id, []):
            if lesson.group_id and lesson.group_id not in self.groups[student.pk]:
                continue
            if next_day <= lesson.date <= week_end:
                child.sources.append(["lesson", lesson.pk])
                child.tests.append(
                    Line(
                        day=day_label(lesson.date),
                        subject=in_sentence(lesson.subject.name),
                        value=lesson.get_lesson_type_display(),
                        note=f"{lesson.number} урок"
                        + (f", {lesson.topic}" if lesson.topic else ""),
                    )
                )
        return child


def _subject(entry: DiaryEntry) -> str:
    return in_sentence(entry.subject.name) if entry.subject_id else ""


def _add_entry(child: ChildDigest, entry: DiaryEntry, next_day: dt.date, week_end: dt.date) -> None:
    if entry.kind == EntryKind.HOMEWORK and entry.due_date != next_day:
        return
    if entry.kind == EntryKind.LESSON_CHANGE and not next_day <= entry.date <= week_end:
        return
    child.sources.append([entry.kind, entry.source_id])
    child.recorded.append(entry.changed_at)
    payload = entry.payload
    day = day_label(entry.date)
    if entry.kind == EntryKind.MARK:
        weight = payload.get("weight") or 1
        note = payload.get("work_type", "") + (f", вес {weight}" if weight != 1 else "")
        child.marks.append(
            Line(day, _subject(entry), str(payload["value"]), note, MARK_COLOURS[payload["value"]])
        )
    elif entry.kind == EntryKind.ABSENCE:
        child.absences.append(Line(day, _subject(entry), payload["code"], payload.get("label", "")))
    elif entry.kind == EntryKind.REMARK:
        child.remarks.append(
            Line(
                day,
                _subject(entry),
                payload.get("label", ""),
                payload["text"],
                who=payload.get("author", ""),
            )
        )
    elif entry.kind == EntryKind.MESSAGE:
        child.messages.append(
            Line(day, payload["subject"], payload["text"], who=payload.get("sender", ""))
        )
    elif entry.kind == EntryKind.HOMEWORK:
        files = ", ".join(name for _, name in payload.get("files", []))
        child.homework.append(
            Line(day_label(entry.due_date), _subject(entry), payload["text"], files)
        )
    elif entry.kind == EntryKind.LESSON_CHANGE:
        child.lesson_changes.append(
            Line(day, _subject(entry), _change_words(payload), payload.get("reason", ""))
        )


def _change_words(payload: dict) -> str:
    number = payload.get("number")
    if payload["status"] == "cancelled":
        return f"{number} урок отменён"
    if payload["status"] == "moved":
        target = payload.get("moved_to")
        when = dt.date.fromisoformat(target).strftime("%d.%m") if target else ""
        return f"{number} урок перенесён на {when}, {payload.get('moved_to_number')} урок"
    return f"{number} урок: замена — {payload.get('substitute')}"


def compose(
    guardian: Guardian,
    children: list[ChildDigest],
    frequency: str,
    start: dt.datetime,
    end: dt.datetime,
) -> Digest | None:
    """Words and sources of one family's digest; ``None`` when there is nothing to tell.
    The sources list the children (``["student", id]``) and every diary item told."""
    children = [child for child in children if not child.is_empty]
    if not children:
        return None
    digest = Digest(guardian, frequency, start, end, children)
    for child in children:
        digest.sources += [["student", child.student.pk], *child.sources]
    digest.recorded_at = min((r for c in children for r in c.recorded), default=None)
    tz = children[0].student.school.timezone
    first, last = _local_date(start, tz), _local_date(end - dt.timedelta(seconds=1), tz)
    names = ", ".join(child.student.first_name for child in children)
    if frequency == Frequency.DAILY:
        period = f"за {last:%d.%m.%Y}"
    else:
        period = f"за неделю {first:%d.%m}–{last:%d.%m.%Y}"
    digest.subject = f"Дневник {period}: {names}"
    context = {
        "digest": digest,
        "period": period,
        "greeting": " ".join(p for p in (guardian.first_name, guardian.middle_name) if p),
        "site_url": settings.SITE_URL.rstrip("/") + "/",
        "unsubscribe_url": unsubscribe_url(guardian.pk, None, Kind.DIGEST),
        "subscriptions_url": settings.SITE_URL.rstrip("/") + "/notifications/my/",
    }
    with translation.override("ru"):
        digest.text = render_to_string("notifications/digest.txt", context)
        digest.html = render_to_string("notifications/digest.html", context)
    return digest


def build_digest(
    guardian: Guardian,
    students: list[Student],
    period_start: dt.datetime,
    period_end: dt.datetime,
    *,
    frequency: str = Frequency.WEEKLY,
) -> Digest | None:
    """One family's digest for ``[period_start, period_end)``; ``None`` if it would be
    empty. Whether the family may get it is decided by the caller and, again, at sending."""
    batch = DiaryBatch(students, period_start, period_end)
    return compose(
        guardian, [batch.child(s) for s in students], frequency, period_start, period_end
    )


# --- Sending them to everyone -----------------------------------------------------------


def _email_open(guardian_ids: list[int]) -> set[tuple[int, int]]:
    """(guardian, student) pairs with the e-mail channel open, in one query."""
    return open_pairs(guardian_ids, Scope.EMAIL)


def _families(guardian_ids: list[int], frequency: str) -> dict[int, tuple[Guardian, list[Student]]]:
    """{guardian id: (guardian, children)} of the families that get this digest: the
    child's digest subscription at this frequency (or the default), e-mail consent in force
    for the child, and a confirmed e-mail address."""
    chosen = {
        (s.guardian_id, s.student_id): (s.enabled, s.frequency)
        for s in Subscription.objects.filter(
            guardian_id__in=guardian_ids, kind=Kind.DIGEST, channel=Channel.EMAIL
        )
    }
    default = DEFAULTS[(Kind.DIGEST, Channel.EMAIL)]
    open_pairs = _email_open(guardian_ids)
    with_email = set(
        Contact.objects.filter(
            guardian_id__in=guardian_ids,
            kind=Contact.Kind.EMAIL,
            is_active=True,
            confirmed_at__isnull=False,
        ).values_list("guardian_id", flat=True)
    )
    families: dict[int, tuple[Guardian, list[Student]]] = {}
    for kinship in (
        Kinship.objects.filter(guardian_id__in=with_email)
        .select_related("guardian", "student", "student__school")
        .order_by("guardian_id", "student__last_name", "student__first_name")
    ):
        pair = (kinship.guardian_id, kinship.student_id)
        enabled, how_often = chosen.get(pair, default)
        if enabled and how_often == frequency and pair in open_pairs:
            families.setdefault(kinship.guardian_id, (kinship.guardian, []))[1].append(
                kinship.student
            )
    return families


def _batch(guardian_ids: list[int], frequency: str, now: dt.datetime) -> int:
    start = now - PERIODS[frequency]
    families = _families(guardian_ids, frequency)
    students = [s for _, children in families.values() for s in children]
    batch = DiaryBatch(students, start, now)
    rows = []
    for guardian, children in families.values():
        digest = compose(guardian, [batch.child(s) for s in children], frequency, start, now)
        if digest is None:
            continue
        school = children[0].school
        rows.append(
            Notification(
                school=school,
                guardian=guardian,
                student=None,
                channel=Channel.EMAIL,
                kind=Kind.DIGEST,
                idempotency_key=(
                    f"digest:{frequency}:{guardian.pk}:"
                    f"{_local_date(now, school.timezone).isoformat()}"
                ),
                sources=digest.sources,
                subject=digest.subject[:300],
                text=digest.text,
                html=digest.html,
                due_at=now,
                source_recorded_at=digest.recorded_at,
            )
        )
    existing = set(
        Notification.objects.filter(
            idempotency_key__in=[row.idempotency_key for row in rows]
        ).values_list("idempotency_key", flat=True)
    )
    rows = [row for row in rows if row.idempotency_key not in existing]
    try:
        with transaction.atomic():
            Notification.objects.bulk_create(rows)
            schedule_many([(row.pk, row.channel, row.due_at) for row in rows])
    except IntegrityError:  # another run wrote some of them a moment ago: it queues them
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
        return 0
    return len(rows)


def send_digests(frequency: str, *, now: dt.datetime | None = None, batch_size: int = 0) -> int:
    """Build and queue the daily or weekly digest of every family, ``batch_size`` families
    at a time. Running it twice on one day queues nothing new. Returns the rows queued."""
    if frequency not in PERIODS:
        raise ValueError(f"unknown digest frequency {frequency!r}")
    now = now or timezone.now()
    size = batch_size or BATCH_SIZE
    queued, last_id = 0, 0
    has_children = Exists(Kinship.objects.filter(guardian_id=OuterRef("pk")))
    while True:
        ids = list(
            Guardian.objects.filter(has_children, pk__gt=last_id)
            .order_by("pk")
            .values_list("pk", flat=True)[:size]
        )
        if not ids:
            return queued
        last_id = ids[-1]
        queued += _batch(ids, frequency, now)

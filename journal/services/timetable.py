"""The weekly timetable and the dated lessons generated from it."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from journal.models import Lesson, LessonStatus, TimetableEntry
from school.models import Holiday, SchoolClass


def why_not_a_school_day(school_class: SchoolClass, day: dt.date) -> str:
    """Empty for a school day of the class, else the reason (translated: call it when the
    answer is shown, not at import time)."""
    year = school_class.year
    if not year.contains(day):
        return _("вне учебного года")
    if day.isoweekday() > school_class.week_days:
        return _("выходной")
    holiday = (
        Holiday.objects.filter(year=year, start__lte=day, end__gte=day)
        .filter(Q(only_grade__isnull=True) | Q(only_grade=school_class.grade))
        .first()
    )
    if holiday is not None:
        return _("каникулы: %(name)s") % {"name": holiday.name.lower()}
    return ""


def school_days(school_class: SchoolClass, start: dt.date, end: dt.date) -> list[dt.date]:
    """The class's school days between two dates: no weekends of its 5- or 6-day week and
    no holidays that apply to its grade."""
    year = school_class.year
    start, end = max(start, year.start), min(end, year.end)
    holidays = [
        (h.start, h.end)
        for h in Holiday.objects.filter(year=year, end__gte=start, start__lte=end).filter(
            Q(only_grade__isnull=True) | Q(only_grade=school_class.grade)
        )
    ]
    days = []
    day = start
    while day <= end:
        if day.isoweekday() <= school_class.week_days and not any(
            first <= day <= last for first, last in holidays
        ):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def generate_lessons(*, school_class: SchoolClass, start: dt.date, end: dt.date) -> int:
    """Create the dated lessons of ``school_class`` between two dates from its weekly
    timetable. Idempotent: lessons that already exist in a slot are kept as they are
    (with their marks, moves and cancellations). Returns the number created."""
    entries = list(
        TimetableEntry.objects.filter(school_class=school_class, valid_from__lte=end).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=start)
        )
    )
    existing = set(
        Lesson.objects.filter(
            school_class=school_class, date__gte=start, date__lte=end
        ).values_list("date", "number", "subject_id", "group_id")
    )
    # Slots already taken by an active lesson (a moved-in or extra one): a whole-class
    # lesson blocks the slot for everyone, a group's lesson blocks the same group.
    busy = set(
        Lesson.objects.filter(
            school_class=school_class,
            date__gte=start,
            date__lte=end,
            status__in=[LessonStatus.PLANNED, LessonStatus.CONDUCTED],
        ).values_list("date", "number", "group_id")
    )
    new = []
    for day in school_days(school_class, start, end):
        weekday = day.isoweekday()
        for entry in entries:
            if entry.weekday != weekday or day < entry.valid_from:
                continue
            if entry.valid_to and day > entry.valid_to:
                continue
            key = (day, entry.number, entry.subject_id, entry.group_id)
            if key in existing:
                continue
            if (day, entry.number, None) in busy or (
                entry.group_id and (day, entry.number, entry.group_id) in busy
            ):
                continue
            existing.add(key)
            new.append(
                Lesson(
                    school_id=school_class.school_id,
                    school_class=school_class,
                    group_id=entry.group_id,
                    subject_id=entry.subject_id,
                    teacher_id=entry.teacher_id,
                    date=day,
                    number=entry.number,
                    room=entry.room,
                    timetable_entry=entry,
                )
            )
    with transaction.atomic():
        before = Lesson.objects.filter(school_class=school_class).count()
        Lesson.objects.bulk_create(new, ignore_conflicts=True, batch_size=2000)
        # ignore_conflicts hides skipped rows: count what really landed.
        return Lesson.objects.filter(school_class=school_class).count() - before

"""«Мой день»: a teacher's lessons of one day, in order, with their changes."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from journal import selectors
from journal.models import Lesson
from school import access, params
from school import selectors as school_selectors
from school.models import School, User

from .common import school_today


def _step(day: dt.date, direction: int, week_days: int) -> dt.date:
    """The previous or next school day (Sundays, and Saturdays of a five-day week, skipped)."""
    day += dt.timedelta(days=direction)
    while day.isoweekday() > week_days:
        day += dt.timedelta(days=direction)
    return day


def day_context(user: User, day: dt.date, today: dt.date, school_ids: set[int]) -> dict:
    """What the day's lesson list needs; shared with the home page's section. A day
    without lessons says why: the school's day off (weekend, holidays), or, for a teacher
    with no timetable at all, where lessons come from; from today, the next day with
    lessons is shown too."""
    lessons: list[Lesson] = selectors.teacher_day(user, day)
    context = {"day": day, "today": today, "lessons": lessons, "me": user}
    if lessons:
        return context
    day_off = school_selectors.school_day_off(school_ids, day)
    next_lessons = selectors.teacher_next_day(user, day) if day >= today else []
    context.update(
        day_off=day_off,
        next_lessons=next_lessons,
        next_day=next_lessons[0].date if next_lessons else None,
        # the setup hint is only for a school day of a teacher with no timetable at all
        has_timetable=bool(day_off or next_lessons) or selectors.has_timetable(user, day),
    )
    return context


@require_GET
def my_day(request: HttpRequest) -> HttpResponse:
    viewer = access.viewer_for(request.user)
    if not viewer.teacher_schools:
        raise PermissionDenied
    today = school_today(request.user)
    day = params.query_date(request.GET, "date") or today
    week_days = max(
        School.objects.filter(pk__in=viewer.teacher_schools).values_list("week_days", flat=True),
        default=5,
    )
    context = {
        **day_context(request.user, day, today, viewer.teacher_schools),
        "previous": _step(day, -1, week_days),
        "next": _step(day, 1, week_days),
    }
    return render(request, "journal/my_day.html", context)

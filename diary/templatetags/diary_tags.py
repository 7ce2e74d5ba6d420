"""Filters of the family's cabinet: dates the way Russian diaries write them."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils.formats import date_format
from django.utils.translation import get_language

register = template.Library()


def _weekday(day: dt.date) -> str:
    weekday = date_format(day, "D")
    return weekday.lower() if (get_language() or "ru").startswith("ru") else weekday


@register.filter
def weekday_date(day: dt.date | None) -> str:
    """«пн, 30 ноября»."""
    if day is None:
        return ""
    return f"{_weekday(day)}, {date_format(day, 'j E')}"


@register.filter
def weekday_short(day: dt.date | None) -> str:
    """«пн»."""
    return _weekday(day) if day is not None else ""


@register.filter
def day_month(day: dt.date | None) -> str:
    """«30 ноября»."""
    return date_format(day, "j E") if day is not None else ""


@register.filter
def week_range(start: dt.date, end: dt.date) -> str:
    """«23–27 ноября», «30 ноября – 4 декабря», «28 декабря 2026 – 1 января 2027»."""
    if start.year != end.year:
        return f"{date_format(start, 'j E Y')} – {date_format(end, 'j E Y')}"
    if start.month != end.month:
        return f"{date_format(start, 'j E')} – {date_format(end, 'j E')}"
    return f"{start.day}–{date_format(end, 'j E')}"

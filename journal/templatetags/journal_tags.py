"""Filters for the journal's pages: dates the Russian way and lesson-type badges."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils.formats import date_format
from django.utils.translation import get_language

from journal.presenters import lesson_type_short

register = template.Library()


@register.filter
def weekday_date(day: dt.date | None) -> str:
    """«пн, 30 ноября»."""
    if day is None:
        return ""
    weekday = date_format(day, "D")
    if (get_language() or "ru").startswith("ru"):
        weekday = weekday.lower()
    return f"{weekday}, {date_format(day, 'j E')}"


@register.filter
def weekday_short(day: dt.date | None) -> str:
    """«пн»."""
    if day is None:
        return ""
    weekday = date_format(day, "D")
    return weekday.lower() if (get_language() or "ru").startswith("ru") else weekday


@register.filter
def type_short(lesson_type: str) -> str:
    """«К/р» for a test lesson, empty for an ordinary one."""
    return lesson_type_short(lesson_type)

"""Filters every app's templates may use: how a phone number is written (``school.phones``)."""

from __future__ import annotations

from typing import Any

from django import template

from school.phones import format_phone

register = template.Library()


@register.filter
def phone(value: Any) -> str:
    """«+7 922 299-93-18» for a stored number; an e-mail address or text as it is."""
    return format_phone(value)

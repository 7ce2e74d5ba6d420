"""Filters every app's templates may use: how a phone number is written (``school.phones``)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html

from school.phones import E164, format_phone

register = template.Library()


@register.filter
def phone(value: Any) -> str:
    """«+7 922 299-93-18» for a stored number; an e-mail address or text as it is."""
    return format_phone(value)


@register.filter
def phone_html(value: Any) -> str:
    """The same, a number kept on one line (``.nowrap``: «+7» never left at a line's end);
    an e-mail address or text escaped, free to wrap."""
    text = format_phone(value)
    if value is not None and E164.match(str(value)):
        return format_html('<span class="nowrap">{}</span>', text)
    return format_html("{}", text)

"""What the journal's views share."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.forms import Form

from school import access
from school.models import User


def messages_of(error: ValidationError) -> list[str]:
    """A service's refusal as the Russian sentences to show."""
    return list(error.messages)


def add_service_error(form: Form, error: ValidationError) -> None:
    """Show a service's refusal above the form, keeping everything the user typed."""
    for message in messages_of(error):
        form.add_error(None, message)


def school_today(user: User) -> dt.date:
    """Today where the person's (first) school is."""
    return access.viewer_for(user).today


def with_edit(url: str, editing: bool) -> str:
    return f"{url}?edit=1" if editing else url

"""How a lower app reaches what the upper apps add to it without importing them: a setting
lists dotted paths (``config/settings/base.py``), and ``hooks(name)`` gives the objects
they name, in the setting's order. Signals stay for domain events; this is for "what goes
on this page" (home sections, class links, export sections) and the family gate."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string

# Every setting read through ``hooks``; tests/test_layers.py checks that each path resolves.
HOOK_SETTINGS = (
    "SCHOOL_HOME_SECTIONS",
    "SCHOOL_CLASS_LINKS",
    "SCHOOL_FAMILY_LINKS",
    "SCHOOL_ATTENTION",
    "SCHOOL_FAMILY_GATES",
    "CONSENT_EXPORT_SECTIONS",
)


def hooks(name: str) -> list[Any]:
    """The objects named by the dotted paths of ``settings.<name>``, in order."""
    return [import_string(path) for path in getattr(settings, name)]

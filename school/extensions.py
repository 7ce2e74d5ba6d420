"""Where other apps add to the school's pages without ``school`` importing them.

Dependencies point one way (``school`` <- ``journal`` <- ``diary``), yet the home page shows
a teacher's lessons today and a class card links to the class's journal. So the school
keeps two small registries, and an app fills them in its ``AppConfig.ready()``:

- home sections: a template and a function giving its context for a request (``None``:
  nothing to show to this person), placed into a named slot of the home page
  (``"teacher"``: inside the teacher's section);
- class links: a function giving the links a person may follow from a class card.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from .models import SchoolClass


@dataclass(frozen=True)
class HomeSection:
    slot: str
    template: str
    context: Callable[[HttpRequest], dict | None]
    order: int = 100


@dataclass(frozen=True)
class ClassLink:
    label: str
    url: str


ClassLinks = Callable[[HttpRequest, SchoolClass], list[ClassLink]]

_home_sections: list[HomeSection] = []
_class_links: list[ClassLinks] = []


def register_home_section(section: HomeSection) -> None:
    """Idempotent: ``ready()`` may run more than once in tests."""
    if section not in _home_sections:
        _home_sections.append(section)
        _home_sections.sort(key=lambda s: s.order)


def register_class_links(provider: ClassLinks) -> None:
    if provider not in _class_links:
        _class_links.append(provider)


def render_home_sections(request: HttpRequest, slot: str) -> list[SafeString]:
    """The rendered sections of one slot, in order, leaving out those with no context."""
    rendered = []
    for section in _home_sections:
        if section.slot != slot:
            continue
        context = section.context(request)
        if context is not None:
            rendered.append(render_to_string(section.template, context, request=request))
    return rendered


def class_links(request: HttpRequest, school_class: SchoolClass) -> list[ClassLink]:
    return [link for provider in _class_links for link in provider(request, school_class)]

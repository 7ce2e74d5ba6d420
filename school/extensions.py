"""What other apps add to the school's pages without ``school`` importing them.

Dependencies point one way (``school`` <- ``journal`` <- ``diary``), yet the home page shows
a teacher's lessons today and a class card links to the class's journal. The upper apps
define these, and settings name them (``school.hooks``):

- ``SCHOOL_HOME_SECTIONS``: ``HomeSection``s, a template and a function giving its context
  for a request (``None``: nothing to show to this person), placed into a named slot of the
  home page (``"teacher"``: inside the teacher's section), in the setting's order;
- ``SCHOOL_CLASS_LINKS``: functions giving the links a person may follow from a class card;
- ``SCHOOL_FAMILY_LINKS``: functions giving, for a student card, the links a person may
  follow from each of the student's guardians (the family card, what was sent to them).
- ``SCHOOL_ATTENTION``: functions giving, for a school and its today, an ``Attention`` (what
  waits for the leadership: the families' absence reports nobody has seen, journals not
  filled in), shown on the leadership's home and the school's overview, in order. The
  final marks' deferrals and decisions join here as their own providers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from .hooks import hooks
from .models import Guardian, School, SchoolClass, Student


@dataclass(frozen=True)
class HomeSection:
    slot: str
    template: str
    context: Callable[[HttpRequest], dict | None]


@dataclass(frozen=True)
class ClassLink:
    label: str
    url: str


ClassLinks = Callable[[HttpRequest, SchoolClass], list[ClassLink]]


@dataclass(frozen=True)
class FamilyLink:
    guardian_id: int
    label: str
    url: str


FamilyLinks = Callable[[HttpRequest, Student, list[Guardian]], list[FamilyLink]]


@dataclass(frozen=True)
class AttentionRow:
    label: str
    url: str
    detail: str = ""


@dataclass(frozen=True)
class Attention:
    """One thing that waits for the school's leadership: ``count`` items (0: all done,
    ``done`` says so), the first rows of them with where to act, ``more`` beyond those."""

    title: str
    count: int
    done: str
    rows: list[AttentionRow] = field(default_factory=list)
    more: int = 0


AttentionProvider = Callable[[School, dt.date], Attention | None]


def render_home_sections(request: HttpRequest, slot: str) -> list[SafeString]:
    """The rendered sections of one slot, in order, leaving out those with no context."""
    rendered = []
    section: HomeSection
    for section in hooks("SCHOOL_HOME_SECTIONS"):
        if section.slot != slot:
            continue
        context = section.context(request)
        if context is not None:
            rendered.append(render_to_string(section.template, context, request=request))
    return rendered


def class_links(request: HttpRequest, school_class: SchoolClass) -> list[ClassLink]:
    providers: list[ClassLinks] = hooks("SCHOOL_CLASS_LINKS")
    return [link for provider in providers for link in provider(request, school_class)]


def family_links(
    request: HttpRequest, student: Student, guardians: list[Guardian]
) -> dict[int, list[FamilyLink]]:
    """Per guardian of ``student``: the links the person may follow, in the setting's order
    (each provider asks its own access rule; no link, no entry)."""
    providers: list[FamilyLinks] = hooks("SCHOOL_FAMILY_LINKS")
    links: dict[int, list[FamilyLink]] = {}
    for provider in providers:
        for link in provider(request, student, guardians):
            links.setdefault(link.guardian_id, []).append(link)
    return links


def attention(school: School, day: dt.date) -> list[Attention]:
    """What waits for the leadership of ``school`` on ``day``, provider by provider (each a
    fixed number of queries)."""
    providers: list[AttentionProvider] = hooks("SCHOOL_ATTENTION")
    return [item for provider in providers if (item := provider(school, day)) is not None]

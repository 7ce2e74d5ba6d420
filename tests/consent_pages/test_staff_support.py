"""Helpers for the staff consent pages' tests (no tests here): families added to the test
world through the consent services, in each consent state."""

from __future__ import annotations

import datetime as dt
import itertools

from django.test import Client
from django.utils import timezone

from consent.models import ConsentForm, Decision, Scope
from consent.services import give_cabinet_consent, register_consent
from school.models import Enrolment, Guardian, Kinship, Relation, SchoolClass, Student
from tests.world import World

_numbers = itertools.count(1)


def signed_in(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


def decide(world: World, guardian: Guardian, students: list[Student], decision: str, **extra):
    """A paper statement registered by the secretary."""
    return register_consent(
        guardian=guardian,
        students=students,
        decision=decision,
        scopes=extra.pop("scopes", [Scope.PROCESSING]),
        form=ConsentForm.PAPER,
        actor=world.users["secretary"],
        paper_number=extra.pop("paper_number", str(next(_numbers))),
        paper_date=extra.pop("paper_date", timezone.localdate()),
        **extra,
    )


def add_family(
    world: World,
    last_name: str,
    *,
    state: str | None = None,
    school_class: SchoolClass | None = None,
    guardian_first_name: str = "Ирина",
) -> tuple[Student, Guardian]:
    """A child of ``school_class`` (5А by default) and their mother, whose consent is
    ``state``: ``"given"`` (processing and cabinet), ``"refused"``, ``"withdrawn"`` (given,
    then withdrawn) or ``None`` (never asked)."""
    school_class = school_class or world.class_5a
    child = Student.objects.create(
        school=world.school,
        last_name=last_name,
        first_name="Пётр",
        middle_name="Ильич",
        gender="m",
        birth_date=dt.date(2015, 1, 1),
    )
    Enrolment.objects.create(student=child, school_class=school_class, start=world.year.start)
    mother = Guardian.objects.create(
        last_name=last_name + "а" if not last_name.endswith("а") else last_name,
        first_name=guardian_first_name,
        middle_name="Петровна",
        gender="f",
    )
    Kinship.objects.create(guardian=mother, student=child, relation=Relation.MOTHER)
    if state in (Decision.GIVEN, Decision.WITHDRAWN):
        give_cabinet_consent(mother, [child], actor=world.users["secretary"])
    if state == Decision.WITHDRAWN:
        decide(world, mother, [child], Decision.WITHDRAWN)
    if state == Decision.REFUSED:
        decide(world, mother, [child], Decision.REFUSED)
    return child, mother

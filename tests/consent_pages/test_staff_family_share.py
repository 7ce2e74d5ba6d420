"""Defect 9: the family card shows staff only the children their share of the family
covers, in the history and in the consent text the guardian saw."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from consent.models import ConsentForm, Decision, Scope
from consent.services import current_text, register_consent
from consent.texts import rendered_text
from school.models import Enrolment, Kinship, Relation, Student
from tests.consent_pages.test_staff_support import add_family, signed_in
from tests.world import build_world

pytestmark = pytest.mark.django_db


def test_a_class_teacher_does_not_see_a_sibling_from_another_class():
    """A consent given in the cabinet for two children, one in 5А and one in 6Б: the class
    teacher of 5А sees their pupil but neither the name nor the birth date of the sibling;
    the secretary, who manages both, sees the whole text."""
    world = build_world()
    child, mother = add_family(world, "Зайцев")
    sibling = Student.objects.create(
        school=world.school,
        last_name="Зайцева",
        first_name="Василиса",
        middle_name="Ильинична",
        gender="f",
        birth_date=dt.date(2011, 7, 23),
    )
    Enrolment.objects.create(student=sibling, school_class=world.class_6b, start=world.year.start)
    Kinship.objects.create(guardian=mother, student=sibling, relation=Relation.MOTHER)
    text = current_text()
    assert text is not None
    shown = rendered_text(text, mother, [child, sibling])
    assert "Василиса" in shown and "23.07.2011" in shown
    register_consent(
        guardian=mother,
        students=[child, sibling],
        decision=Decision.GIVEN,
        scopes=[Scope.CABINET],
        form=ConsentForm.ELECTRONIC,
        text=text,
        shown_text=shown,
        actor=world.users["secretary"],
    )
    url = reverse("consent:family", args=[mother.pk])

    response = signed_in(world, "classteacher").get(url)
    assert response.status_code == 200
    html = re.sub(r"\s+", " ", response.content.decode())
    assert "Зайцев П. И." in html
    assert "Василиса" not in html and "Зайцева В." not in html
    assert "23.07.2011" not in html
    assert "чьи данные вам не видны: 1" in html

    html = signed_in(world, "secretary").get(url).content.decode()
    assert "Василиса" in html and "23.07.2011" in html

"""A class's families as the secretary and the class teacher see them: each guardian's
consent state, channels, contacts and whether they get paper extracts; the filters; a
fixed number of queries whatever the size of the class."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from consent.models import Contact, ContactSource, Decision, Scope
from consent.services import add_contact, mark_offline
from school.models import SchoolClass
from tests.consent_pages.test_staff_support import add_family, decide, signed_in
from tests.world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def families_page(world, role: str = "secretary", show: str = "", school_class=None) -> str:
    school_class = school_class or world.class_5a
    url = reverse("consent:class_families", args=[school_class.pk])
    response = signed_in(world, role).get(url, {"show": show} if show else {})
    assert response.status_code == 200
    return response.content.decode()


def row_of(html: str, name: str) -> str:
    """The table row (``<tr>``) that holds ``name``."""
    for row in re.findall(r"<tr>.*?</tr>", html, flags=re.S):
        if name in row:
            return re.sub(r"\s+", " ", row)
    raise AssertionError(f"{name} not in the table")


def test_each_consent_state_is_shown_per_guardian(world):
    """Given, refused, withdrawn and never asked: the processing badge and the channels."""
    add_family(world, "Иванов", state=Decision.REFUSED)
    add_family(world, "Петров", state=Decision.WITHDRAWN)
    add_family(world, "Сидоров", state=None)
    html = families_page(world)

    given = row_of(html, "Соколова Елена Андреевна")
    assert "badge--ok" in given and "дано" in given
    assert "в личном кабинете" in given
    assert re.search(r"заявление от \d\d\.\d\d\.\d{4}", given)

    refused = row_of(html, "Иванова Ирина Петровна")
    assert "badge--bad" in refused and "отказ от обработки персональных данных" in refused
    assert "на бумаге" in refused

    withdrawn = row_of(html, "Петрова Ирина Петровна")
    assert "отозвано" in withdrawn and "согласие на обработку отозвано" in withdrawn

    none = row_of(html, "Сидорова Ирина Петровна")
    assert "нет согласия на обработку персональных данных" in none
    assert "badge--ok" not in none


def test_channels_and_record_in_force(world):
    """A channel given later shows as given; the statement number of the processing record
    in force is on the row."""
    mother = world.users["parent"].guardian
    decide(
        world,
        mother,
        [world.child_a],
        Decision.GIVEN,
        scopes=[Scope.EMAIL],
        paper_number="17-П",
    )
    decide(world, mother, [world.child_a], Decision.REFUSED, scopes=[Scope.SMS])
    row = row_of(families_page(world), "Соколова Елена Андреевна")
    assert re.search(r"Почта\s*<span class=\"badge badge--ok\">дано", row)
    assert re.search(r"SMS\s*<span class=\"badge badge--bad\">отказ", row)
    assert "заявление № 17-П" in row


def test_contacts_with_source_and_confirmation(world):
    mother = world.users["parent"].guardian
    add_contact(
        guardian=mother,
        kind=Contact.Kind.PHONE,
        value="8 912 345-67-89",
        source=ContactSource.STATEMENT,
        statement_number="41",
        statement_date=world.year.start,
        actor=world.users["secretary"],
    )
    row = row_of(families_page(world), "Соколова Елена Андреевна")
    assert "+7 912 345-67-89" in row
    assert f"из заявления № 41 от {world.year.start:%d.%m.%Y}" in row
    assert "подтверждён" in row and "не подтверждён" not in row


def test_filters_show_only_matching_families(world):
    add_family(world, "Иванов", state=Decision.REFUSED)
    add_family(world, "Петров", state=Decision.WITHDRAWN)
    add_family(world, "Сидоров", state=None)
    _, offline_mother = add_family(world, "Орлов", state=Decision.GIVEN)
    mark_offline(guardian=offline_mother, actor=world.users["secretary"], note="нет смартфона")

    refused = families_page(world, show="refused")
    assert "Иванова Ирина" in refused
    assert "Петрова Ирина" not in refused and "Соколова Елена" not in refused

    assert "Петрова Ирина" in families_page(world, show="withdrawn")
    none = families_page(world, show="none")
    assert "Сидорова Ирина" in none and "Иванова Ирина" not in none

    offline = families_page(world, show="offline")
    for name in ("Иванова Ирина", "Петрова Ирина", "Сидорова Ирина", "Орлова Ирина"):
        assert name in offline
    assert "Соколова Елена" not in offline
    assert "нет доступа к интернету" in offline and "«нет смартфона»" in offline

    everyone = families_page(world)
    assert re.search(r"Бумажные выписки <span class=\"cs-count\">4</span>", everyone)
    assert re.search(r"Все <span class=\"cs-count\">5</span>", everyone)


def test_a_child_without_guardians_needs_paper(world):
    from school.models import Kinship

    child, _ = add_family(world, "Сиротин", state=Decision.GIVEN)
    Kinship.objects.filter(student=child).delete()
    offline = families_page(world, show="offline")
    assert "Сиротин Пётр Ильич" in offline
    assert "Родители не указаны" in offline


def test_only_current_students_are_listed(world):
    """A child who left the class yesterday is not on its list."""
    import datetime as dt

    from django.utils import timezone

    child, _ = add_family(world, "Ушедший", state=None)
    child.enrolments.update(end=timezone.localdate() - dt.timedelta(days=1))
    assert "Ушедший Пётр" not in families_page(world)


def test_family_rows_link_to_the_family_card(world):
    mother = world.users["parent"].guardian
    html = families_page(world, role="classteacher")
    assert reverse("consent:family", args=[mother.pk]) in html


def test_class_card_links_to_the_families_for_those_who_may_see_them(world):
    url = reverse("class_detail", args=[world.class_5a.pk])
    families = reverse("consent:class_families", args=[world.class_5a.pk])
    assert families in signed_in(world, "classteacher").get(url).content.decode()
    assert families in signed_in(world, "secretary").get(url).content.decode()
    other = reverse("class_detail", args=[world.class_6b.pk])
    assert reverse("consent:class_families", args=[world.class_6b.pk]) not in (
        signed_in(world, "teacher").get(other).content.decode()
    )


@pytest.mark.parametrize(
    ("role", "class_name", "status"),
    [
        ("secretary", "class_5a", 200),
        ("director", "class_6b", 200),
        ("classteacher", "class_5a", 200),
        ("classteacher", "class_6b", 404),  # another class
        ("teacher", "class_6b", 404),  # teaches there, not its class teacher
        ("parent", "class_5a", 404),
        ("other_director", "class_5a", 404),  # another school
    ],
)
def test_who_may_open_a_class_families_page(world, role, class_name, status):
    url = reverse("consent:class_families", args=[getattr(world, class_name).pk])
    assert signed_in(world, role).get(url).status_code == status


def _fill(world, school_class: SchoolClass, n: int) -> None:
    """``n`` families in every state, with contacts and offline marks."""
    states = [Decision.GIVEN, Decision.REFUSED, Decision.WITHDRAWN, None]
    for i in range(n):
        _, mother = add_family(
            world, f"Семьёв{i:02d}", state=states[i % 4], school_class=school_class
        )
        add_contact(
            guardian=mother,
            kind=Contact.Kind.PHONE,
            value=f"+7 912 000-{i:02d}-00",
            source=ContactSource.STAFF,
            actor=world.users["secretary"],
        )
        if i % 5 == 0:
            mark_offline(guardian=mother, actor=world.users["secretary"])


def test_the_page_makes_the_same_queries_for_3_and_30_families(
    world, django_assert_max_num_queries
):
    """O(1) in the number of families: a class of 3 and a class of 30 cost the same."""
    small = SchoolClass.objects.create(school=world.school, year=world.year, grade=7, letter="В")
    large = SchoolClass.objects.create(school=world.school, year=world.year, grade=8, letter="Г")
    _fill(world, small, 3)
    _fill(world, large, 30)
    client = signed_in(world, "secretary")
    client.get(reverse("home"))  # the session is warm for both requests

    def page(school_class) -> str:
        response = client.get(reverse("consent:class_families", args=[school_class.pk]))
        assert response.status_code == 200
        return response.content.decode()

    budget = 9  # session, user, roles, class, students, kinships, states, records, contacts
    with django_assert_max_num_queries(budget) as small_queries:
        assert page(small).count('<tbody class="cs-family">') == 3
    with django_assert_max_num_queries(budget) as large_queries:
        assert page(large).count('<tbody class="cs-family">') == 30
    assert len(large_queries.captured_queries) == len(small_queries.captured_queries)

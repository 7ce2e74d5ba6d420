"""The school's offline list: the families paper extracts are printed for, by class, with
the reason; the secretary's home page links to it."""

from __future__ import annotations

import re

import pytest
from django.test import RequestFactory
from django.urls import reverse

from consent.models import Contact, ContactSource, Decision, Scope
from consent.services import add_contact, mark_offline
from school import extensions
from school.models import Kinship, SchoolClass, Student
from tests.consent_pages.test_staff_support import add_family, decide, signed_in
from tests.world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def offline_page(world, role: str = "secretary") -> str:
    response = signed_in(world, role).get(reverse("consent:offline_list", args=[world.school.pk]))
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


def reason_of(html: str, name: str) -> str:
    for row in re.findall(r"<tr>.*?</tr>", html):
        if name in row:
            return row
    raise AssertionError(f"{name} is not on the list")


def test_the_list_has_every_family_without_electronic_access_with_the_reason(world):
    add_family(world, "Иванов", state=Decision.REFUSED)
    add_family(world, "Петров", state=Decision.WITHDRAWN, school_class=world.class_6b)
    add_family(world, "Сидоров", state=None)
    _, offline = add_family(world, "Орлов", state=Decision.GIVEN)
    mark_offline(guardian=offline, actor=world.users["secretary"], note="нет смартфона")
    add_contact(
        guardian=offline,
        kind=Contact.Kind.PHONE,
        value="+79120000001",
        source=ContactSource.STAFF,
        actor=world.users["secretary"],
    )
    mail_only_child, mail_only = add_family(world, "Почтов", state=None)
    decide(world, mail_only, [mail_only_child], Decision.GIVEN, scopes=[Scope.EMAIL])
    orphan, _ = add_family(world, "Сиротин", state=None)
    Kinship.objects.filter(student=orphan).delete()

    html = offline_page(world)
    assert "Отказ от обработки персональных данных" in reason_of(html, "Иванова Ирина")
    assert "Согласие на обработку отозвано" in reason_of(html, "Петрова Ирина")
    assert "Нет согласия на обработку персональных данных" in reason_of(html, "Сидорова Ирина")
    offline_row = reason_of(html, "Орлова Ирина")
    assert "Нет доступа к интернету" in offline_row and "«нет смартфона»" in offline_row
    assert "+7 912 000-00-01" in offline_row
    assert "Нет согласия на личный кабинет" in reason_of(html, "Почтова Ирина")
    assert "Родители не указаны" in reason_of(html, "Сиротин Пётр")

    # The families with the cabinet open are not on it; nor is the other school.
    assert "Соколова Елена" not in html and "Морозов Денис" not in html
    assert "Гусева Вера" not in html
    # Grouped by class, 5А first; the count in the heading.
    assert html.index("5А класс") < html.index("Петрова Ирина") and "6Б класс" in html
    assert "семей: 6" in html


def test_a_second_guardian_with_the_cabinet_is_mentioned(world):
    """The father refused, the mother sees the diary: the secretary sees both facts."""
    from school.models import Guardian, Relation

    father = Guardian.objects.create(
        last_name="Соколов", first_name="Игорь", middle_name="Петрович", gender="m"
    )
    Kinship.objects.create(guardian=father, student=world.child_a, relation=Relation.FATHER)
    decide(world, father, [world.child_a], Decision.REFUSED)
    row = reason_of(offline_page(world), "Соколов Игорь Петрович")
    assert "дневник в кабинете видит: Соколова Е. А." in row


def test_nobody_to_print_for(world):
    assert "Печатать некому" in offline_page(world)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("secretary", 200),
        ("director", 200),
        ("deputy", 200),
        ("classteacher", 404),  # uses the «Бумажные выписки» filter of her class
        ("teacher", 404),
        ("parent", 404),
        ("other_director", 404),  # another school's director
        ("admin", 404),
    ],
)
def test_who_may_open_the_offline_list(world, role, status):
    url = reverse("consent:offline_list", args=[world.school.pk])
    assert signed_in(world, role).get(url).status_code == status


def test_a_secretary_of_another_school_gets_404(world):
    url = reverse("consent:offline_list", args=[world.other_school.pk])
    assert signed_in(world, "secretary").get(url).status_code == 404
    assert signed_in(world, "other_director").get(url).status_code == 200
    assert signed_in(world, "secretary").get("/consent/schools/999999/offline/").status_code == 404


def test_the_list_makes_the_same_queries_for_3_and_30_families(
    world, django_assert_max_num_queries
):
    client = signed_in(world, "secretary")
    client.get(reverse("home"))
    url = reverse("consent:offline_list", args=[world.school.pk])

    def fill(school_class: SchoolClass, n: int) -> None:
        for i in range(n):
            add_family(
                world, f"Бумагин{school_class.pk}-{i}", state=None, school_class=school_class
            )

    fill(SchoolClass.objects.create(school=world.school, year=world.year, grade=7, letter="В"), 3)
    with django_assert_max_num_queries(10) as few:
        assert client.get(url).content.decode().count("Пётр Ильич</a>") == 3
    fill(SchoolClass.objects.create(school=world.school, year=world.year, grade=8, letter="Г"), 27)
    with django_assert_max_num_queries(10) as many:
        assert client.get(url).content.decode().count("Пётр Ильич</a>") == 30
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_secretary_home_section_links_to_the_list_and_the_classes(world):
    request = RequestFactory().get("/")
    request.user = world.users["secretary"]
    html = "".join(extensions.render_home_sections(request, "secretary"))
    assert reverse("consent:offline_list", args=[world.school.pk]) in html
    assert reverse("consent:class_families", args=[world.class_5a.pk]) in html
    assert reverse("consent:class_families", args=[world.class_6b.pk]) in html

    request.user = world.users["teacher"]
    assert extensions.render_home_sections(request, "secretary") == []


def test_a_student_outside_any_class_is_not_listed(world):
    Student.objects.create(
        school=world.school,
        last_name="Незачисленный",
        first_name="Олег",
        gender="m",
        birth_date="2015-01-01",
    )
    assert "Незачисленный" not in offline_page(world)


def test_the_list_narrows_to_a_class_and_to_a_name_and_says_so(world):
    add_family(world, "Иванов", state=Decision.REFUSED)
    add_family(world, "Петров", state=Decision.WITHDRAWN, school_class=world.class_6b)
    add_family(world, "Сидоров", state=None, guardian_first_name="Алёна")
    client = signed_in(world, "secretary")
    url = reverse("consent:offline_list", args=[world.school.pk])

    def page(**query) -> str:
        response = client.get(url, query)
        assert response.status_code == 200
        return re.sub(r"\s+", " ", response.content.decode())

    everyone = page()
    assert "Иванов Пётр" in everyone and "Петров Пётр" in everyone
    # Collapsed by class when nothing is chosen; the print button opens them (print.js).
    assert "<details" in everyone and '<details class="card cs-offline-class" id' in everyone
    assert "Ctrl+P" not in everyone and "data-print" in everyone and "js/print.js" in everyone

    only_6b = page(**{"class": world.class_6b.pk})
    assert "Петров Пётр" in only_6b and "Иванов Пётр" not in only_6b
    assert "6Б класс · показано 1 из" in only_6b and " open>" in only_6b

    # A guardian's name, any case, ё written as е.
    by_mother = page(q="СИДОРОВА алена")
    assert "Сидоров Пётр" in by_mother and "Иванов Пётр" not in by_mother
    assert "поиск «СИДОРОВА алена»" in by_mother
    assert "Никого не нашлось" in page(q="Несуществующий")
    # A class id that is not on the list (or not a number) leaves nothing chosen out.
    assert page(**{"class": "abc"}).count("<details") == everyone.count("<details")


def test_each_row_says_what_to_do_for_the_family(world):
    _, refused = add_family(world, "Иванов", state=Decision.REFUSED)
    _, offline = add_family(world, "Орлов", state=Decision.GIVEN)
    mark_offline(guardian=offline, actor=world.users["secretary"])
    orphan, _ = add_family(world, "Сиротин", state=None)
    Kinship.objects.filter(student=orphan).delete()
    html = offline_page(world)
    refused_row = reason_of(html, "Иванова Ирина")
    assert reverse("consent:family", args=[refused.pk]) in refused_row
    assert reverse("consent:consent_form", args=[refused.pk]) in refused_row
    # Consent given, no internet: the card, no consent form to sign again.
    offline_row = reason_of(html, "Орлова Ирина")
    assert reverse("consent:family", args=[offline.pk]) in offline_row
    assert reverse("consent:consent_form", args=[offline.pk]) not in offline_row
    assert "Карточка ученика" in reason_of(html, "Сиротин Пётр")

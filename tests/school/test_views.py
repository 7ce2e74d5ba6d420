"""Pages of the web shell, through HTTP as people use them."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from school.models import Enrolment, School, Student
from tests.world import PASSWORD, build_world

pytestmark = pytest.mark.django_db


def signed_in(username: str) -> Client:
    client = Client()
    assert (
        client.post(reverse("login"), {"username": username, "password": PASSWORD}).status_code
        == 302
    )
    return client


def add_students(world, count: int) -> None:
    students = Student.objects.bulk_create(
        Student(
            school=world.school,
            last_name=f"Учеников{i:03}",
            first_name="Пётр",
            middle_name="Ильич",
            gender="m",
            birth_date=dt.date(2014, 1, 1),
        )
        for i in range(count)
    )
    Enrolment.objects.bulk_create(
        Enrolment(student=s, school_class=world.class_6b, start=world.year.start) for s in students
    )


def test_home_shows_each_role_its_own_section() -> None:
    build_world()
    assert "Мои дети" in signed_in("parent").get(reverse("home")).content.decode()
    assert "Максим Соколов" in signed_in("parent").get(reverse("home")).content.decode()
    assert "Моя нагрузка" in signed_in("teacher").get(reverse("home")).content.decode()
    assert "Мой класс" in signed_in("classteacher").get(reverse("home")).content.decode()
    assert "Контингент" in signed_in("secretary").get(reverse("home")).content.decode()
    director_home = signed_in("director").get(reverse("home")).content.decode()
    assert "Обзор школы" in director_home
    assert "Последние отметки" in signed_in("student").get(reverse("home")).content.decode()
    admin_home = signed_in("admin").get(reverse("home")).content.decode()
    assert "Роль не назначена" not in admin_home
    assert reverse("admin:index") in admin_home
    assert reverse("school_overview", args=[School.objects.get(short_name="Тестовая СОШ").pk]) in (
        admin_home
    )


def test_parent_home_does_not_mention_other_families() -> None:
    build_world()
    html = signed_in("parent").get(reverse("home")).content.decode()
    assert "Морозова" not in html


def test_roster_search_ignores_case_and_yo() -> None:
    """«петр» finds «Пётр»; the search narrows the list."""
    world = build_world()
    add_students(world, 3)
    client = signed_in("secretary")
    html = client.get(reverse("roster", args=[world.school.pk]), {"q": "учеников001 петр"})
    text = html.content.decode()
    assert "Учеников001 Пётр Ильич" in text
    assert "Учеников002" not in text
    empty = client.get(reverse("roster", args=[world.school.pk]), {"q": "Несуществующий"})
    assert "никого не нашлось" in empty.content.decode()


def test_roster_pages_long_lists_and_answers_htmx_with_the_list_only() -> None:
    world = build_world()
    add_students(world, 60)
    client = signed_in("secretary")
    url = reverse("roster", args=[world.school.pk])
    first = client.get(url).content.decode()
    assert "Страница 1 из 2" in first
    partial = client.get(url, {"q": "Учеников"}, HTTP_HX_REQUEST="true").content.decode()
    assert partial.lstrip().startswith('<div id="student-list"')
    assert "<html" not in partial


def test_pages_make_a_fixed_number_of_queries(django_assert_max_num_queries) -> None:
    """Roster, class and overview pages stay O(1) in queries as the school grows."""
    world = build_world()
    add_students(world, 120)
    director = signed_in("director")
    secretary = signed_in("secretary")
    for client, url in [
        (secretary, reverse("roster", args=[world.school.pk])),
        (director, reverse("class_detail", args=[world.class_6b.pk])),
        (director, reverse("school_overview", args=[world.school.pk])),
        (director, reverse("home")),
        (secretary, reverse("student", args=[world.child_a.pk])),
    ]:
        with django_assert_max_num_queries(16):
            assert client.get(url).status_code == 200


def test_transfer_moves_a_student_and_keeps_the_old_enrolment() -> None:
    world = build_world()
    client = signed_in("secretary")
    on = world.year.start + dt.timedelta(days=40)
    response = client.post(
        reverse("student_transfer", args=[world.child_a.pk]),
        {"to_class": world.class_6b.pk, "on_date": on.isoformat()},
        follow=True,
    )
    assert "перевод в класс 6Б" in response.content.decode()
    rows = list(
        world.child_a.enrolments.order_by("start").values_list(
            "school_class__letter", "start", "end"
        )
    )
    assert rows == [("А", world.year.start, on - dt.timedelta(days=1)), ("Б", on, None)]


def test_transfer_rejects_bad_input_in_russian_and_changes_nothing() -> None:
    world = build_world()
    client = signed_in("secretary")
    url = reverse("student_transfer", args=[world.child_a.pk])
    same = client.post(
        url, {"to_class": world.class_5a.pk, "on_date": world.year.start.isoformat()}
    )
    assert "уже учится в классе 5А" in same.content.decode()
    bad_date = client.post(url, {"to_class": world.class_6b.pk, "on_date": "31.02.2027"})
    assert "Дата записана неверно" in bad_date.content.decode()
    first_day = client.post(
        url, {"to_class": world.class_6b.pk, "on_date": world.year.start.isoformat()}
    )
    assert "Перевод возможен не раньше" in first_day.content.decode()
    outside = client.post(
        url,
        {
            "to_class": world.class_6b.pk,
            "on_date": (world.year.end + dt.timedelta(days=5)).isoformat(),
        },
    )
    assert "выходят за границы учебного года" in outside.content.decode()
    assert world.child_a.enrolments.count() == 1
    assert world.child_a.enrolments.get().end is None


def test_security_headers_are_sent() -> None:
    response = Client().get(reverse("login"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self' 'nonce-" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_teachers_load_opens_the_journal_grid() -> None:
    """Each line of «Моя нагрузка» leads straight to that class's journal for the subject."""
    world = build_world()
    html = signed_in("teacher").get(reverse("home")).content.decode()
    grid = reverse("journal:grid", args=[world.class_6b.pk, world.math.pk])
    assert f'href="{grid}"' in html

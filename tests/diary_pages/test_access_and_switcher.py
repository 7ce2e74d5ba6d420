"""Who may open a child's diary, and the guardian's child switcher."""

from __future__ import annotations

import pytest
from django.urls import reverse

from consent.services import give_cabinet_consent
from school.models import Guardian, Kinship, Relation
from tests.diary_pages.conftest import url

pytestmark = pytest.mark.django_db

FAMILY_PAGES = ("week", "marks", "finals", "tests", "teachers", "holidays", "messages", "record")


def test_a_guardian_opens_every_page_of_their_child(dw, as_role) -> None:
    client = as_role("parent")
    for name in (*FAMILY_PAGES, "report_absence"):
        response = client.get(url(name, dw.child_a.pk))
        assert response.status_code == 200, name
        assert "Соколов Максим" in response.text


def test_another_familys_child_is_404_on_every_diary_url(dw, as_role) -> None:
    """The parent cannot even learn that another family's child exists."""
    client = as_role("parent")
    for name in (*FAMILY_PAGES, "report_absence"):
        assert client.get(url(name, dw.child_b.pk)).status_code == 404, name
        assert client.post(url("report_absence", dw.child_b.pk)).status_code == 404
    assert client.get(url("attachment", dw.child_b.pk, dw.attachment.pk)).status_code == 404
    assert client.get(url("week", 999_999)).status_code == 404


def test_a_student_sees_only_themselves(dw, as_role) -> None:
    client = as_role("student")
    for name in FAMILY_PAGES:
        assert client.get(url(name, dw.child_a.pk)).status_code == 200, name
        assert client.get(url(name, dw.child_a2.pk)).status_code == 404, name
        assert client.get(url(name, dw.child_b.pk)).status_code == 404, name
    response = client.get(url("week", dw.child_a.pk))
    assert "switcher" not in response.text, "a student has no one to switch to"
    assert client.get(url("report_absence", dw.child_a.pk)).status_code == 403


def test_the_diary_opens_the_child_chosen_last(dw, as_role) -> None:
    """The switcher remembers the child a guardian chose (in the session): /diary/ opens
    it next time."""
    client = as_role("parent")
    first = client.get(url("index"))
    assert first.status_code == 302
    assert first["Location"] == url("week", dw.child_a2.pk), "the eldest first"
    switch = client.get(url("index", child=dw.child_a.pk, section="marks"))
    assert switch["Location"] == url("marks", dw.child_a.pk), "the same section"
    assert client.get(url("index"))["Location"] == url("week", dw.child_a.pk)
    client.get(url("teachers", dw.child_a2.pk))  # reading is not choosing
    assert client.get(url("index"))["Location"] == url("week", dw.child_a.pk)
    client.get(url("index", child=dw.child_a2.pk, section="no-such-section"))
    assert client.get(url("index"))["Location"] == url("week", dw.child_a2.pk)


def test_the_switcher_ignores_a_child_of_another_family(dw, as_role) -> None:
    client = as_role("parent")
    client.get(url("index", child=dw.child_a.pk))
    response = client.get(url("index", child=dw.child_b.pk, section="marks"))
    assert response["Location"] == url("week", dw.child_a.pk)


def test_the_switcher_lists_the_children_and_keeps_the_section(dw, as_role) -> None:
    text = as_role("parent").get(url("marks", dw.child_a.pk)).text
    assert 'aria-label="Чей дневник"' in text
    other = f'href="{url("index")}?child={dw.child_a2.pk}&amp;section=marks"'
    this = f'href="{url("index")}?child={dw.child_a.pk}&amp;section=marks" aria-current="page"'
    assert other in text and this in text


def test_index_sends_a_student_to_their_diary_and_staff_home(dw, as_role) -> None:
    assert as_role("student").get(url("index"))["Location"] == url("week", dw.child_a.pk)
    assert as_role("teacher").get(url("index"))["Location"] == reverse("home")
    assert as_role("director").get(url("index"))["Location"] == reverse("home")


def test_a_teacher_who_is_a_parent_reads_their_child_as_family(dw, as_role) -> None:
    """Rights add up: the 6Б teacher who is a father of a 5А child sees his child's diary
    as a parent (no staff notice, no access-log row) and may report an absence."""
    from diary.models import PersonalDataAccess

    teacher = dw.users["teacher"]
    father = Guardian.objects.create(user=teacher, last_name="Кузнецов", first_name="А", gender="m")
    Kinship.objects.create(guardian=father, student=dw.child_a, relation=Relation.FATHER)
    client = as_role("teacher")
    # Not his pupil, and no consent of his yet: the child is not his to see.
    assert client.get(url("week", dw.child_a.pk)).status_code == 404
    give_cabinet_consent(father, [dw.child_a], actor=dw.users["secretary"])
    response = client.get(url("week", dw.child_a.pk))
    assert response.status_code == 200
    assert "как сотрудник школы" not in response.text
    assert client.get(url("report_absence", dw.child_a.pk)).status_code == 200
    assert not PersonalDataAccess.objects.filter(viewer=teacher).exists()
    client.get(url("week", dw.child_b.pk))  # his pupil in 6Б: a staff view
    assert PersonalDataAccess.objects.filter(viewer=teacher, student=dw.child_b).count() == 1


def test_the_navigation_has_a_diary_link_for_families(dw, as_role) -> None:
    home = as_role("parent").get(reverse("home")).text
    assert f'href="{url("index")}"' in home
    assert f'href="{url("index")}"' not in as_role("secretary").get(reverse("home")).text

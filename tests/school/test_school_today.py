"""The school's today, not the server's (issue #10, «the school's today»): with the school
in Asia/Vladivostok at 15:00 UTC it is already tomorrow there while the server
(Europe/Simferopol, 18:00) is still on today; pages and access decisions take the school's
date."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from school import access
from school.models import Enrolment, Student
from tests.authz_support import client_for
from tests.world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def far_east():
    """The world with school A in Vladivostok, and the clock at 15:00 UTC on 5 December of
    the world's school year: the server's date is the 5th, the school's the 6th."""
    world = build_world()
    world.school.timezone = "Asia/Vladivostok"
    world.school.save(update_fields=["timezone"])
    instant = dt.datetime(world.year.start.year, 12, 5, 15, 0, tzinfo=dt.UTC)
    with mock.patch("django.utils.timezone.now", return_value=instant):
        assert timezone.localdate() == dt.date(instant.year, 12, 5)
        assert world.school.local_today() == dt.date(instant.year, 12, 6)
        yield world, dt.date(instant.year, 12, 6)


def test_the_home_page_and_the_teachers_day_show_the_schools_date(far_east) -> None:
    world, school_day = far_east
    client = client_for("teacher", world)
    assert client.get(reverse("home")).context["today"] == school_day
    assert client.get(reverse("journal:my_day")).context["day"] == school_day


def test_the_diary_opens_on_the_schools_date(far_east) -> None:
    world, school_day = far_east
    client = client_for("parent", world)
    response = client.get(reverse("diary:week", kwargs={"student_id": world.child_a.pk}))
    assert response.context["week"].today == school_day


def test_a_class_teacher_manages_a_family_from_the_schools_first_day(far_east) -> None:
    """A child enrolled in 5А from the school's today is the class teacher's already, though
    on the server's date the enrolment has not begun."""
    world, school_day = far_east
    newcomer = Student.objects.create(
        school=world.school,
        last_name="Новиков",
        first_name="Пётр",
        middle_name="Ильич",
        gender="m",
        birth_date=dt.date(2015, 5, 1),
    )
    Enrolment.objects.create(student=newcomer, school_class=world.class_5a, start=school_day)
    teacher = world.users["classteacher"]
    assert access.viewer_for(teacher).today == school_day
    assert access.can_manage_family_data(teacher, newcomer)

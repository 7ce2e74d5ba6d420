"""Helpers for the journal pages' tests: sign in through the login form, add lessons."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.urls import reverse

from journal.models import Lesson, LessonStatus
from school.models import SchoolClass, Student, Subject, User
from tests.world import PASSWORD, World


def signed_in(username: str) -> Client:
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302, f"{username} could not log in"
    return client


def add_lesson(
    world: World,
    *,
    school_class: SchoolClass,
    subject: Subject,
    teacher: User,
    day: dt.date,
    number: int,
    **extra,
) -> Lesson:
    extra.setdefault("status", LessonStatus.CONDUCTED)
    return Lesson.objects.create(
        school=world.school,
        school_class=school_class,
        subject=subject,
        teacher=teacher,
        date=day,
        number=number,
        **extra,
    )


def cell_url(lesson: Lesson, student: Student, position: int = 1) -> str:
    return reverse(
        "journal:cell",
        kwargs={"lesson_id": lesson.pk, "student_id": student.pk, "position": position},
    )


def grid_url(school_class: SchoolClass, subject: Subject) -> str:
    return reverse("journal:grid", kwargs={"class_id": school_class.pk, "subject_id": subject.pk})


def previous_school_day(day: dt.date, start: dt.date) -> dt.date:
    """The weekday before ``day`` (not before ``start``)."""
    day -= dt.timedelta(days=1)
    while day.isoweekday() > 5 and day > start:
        day -= dt.timedelta(days=1)
    return max(day, start)

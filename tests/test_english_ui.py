"""One translation policy: every user-facing message goes through gettext (lazily where it
is defined at import time), and the English interface shows no Russian but the data.

``PAGES`` lists the pages this covers; add an app's pages to it (a name, the role that
opens it, how to build its URL from the world). ``data_of`` lists what is data (names,
subjects, classes, topics...), which stays in whatever language it was typed."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from journal.models import AttendanceCode, Homework, HomeworkAttachment, Lesson, WorkType
from school.models import Period, School, SchoolClass, Student, Subject, User
from tests.world import World, build_world

pytestmark = pytest.mark.django_db

CYRILLIC = re.compile(r"[А-Яа-яЁё]+")

PAGES: list[tuple[str, str, Callable[[World], str]]] = [
    (
        "journal grid",
        "teacher",
        lambda w: reverse("journal:grid", args=[w.class_6b.pk, w.math.pk]),
    ),
    (
        "journal grid, director editing",
        "director",
        lambda w: reverse("journal:grid", args=[w.class_6b.pk, w.math.pk]) + "?edit=1",
    ),
    ("lesson page", "teacher", lambda w: reverse("journal:lesson", args=[w.lesson_6b.pk])),
    (
        "lesson page, director reading",
        "director",
        lambda w: reverse("journal:lesson", args=[w.lesson_6b.pk]),
    ),
    ("teacher's day", "teacher", lambda w: reverse("journal:my_day")),
    (
        "a class's families (consent)",
        "secretary",
        lambda w: reverse("consent:class_families", args=[w.class_5a.pk]),
    ),
    (
        "the family card (consent)",
        "classteacher",
        lambda w: reverse("consent:family", args=[w.users["parent"].guardian.pk]),
    ),
    (
        "the offline list",
        "secretary",
        lambda w: reverse("consent:offline_list", args=[w.school.pk]),
    ),
    (
        "the offline list, one class, nobody found",
        "secretary",
        lambda w: (
            reverse("consent:offline_list", args=[w.school.pk]) + f"?class={w.class_6b.pk}&q=Nobody"
        ),
    ),
    (
        "the student card, staff (links to the family card)",
        "secretary",
        lambda w: reverse("student", args=[w.child_a.pk]),
    ),
    ("the roster", "secretary", lambda w: reverse("roster", args=[w.school.pk])),
    (
        "class journals",
        "teacher",
        lambda w: reverse("journal:class_journals", args=[w.class_6b.pk]),
    ),
    ("the student's home", "student", lambda w: reverse("home")),
    ("the teacher's home", "teacher", lambda w: reverse("home")),
    ("the class teacher's home", "classteacher", lambda w: reverse("home")),
    ("the director's home", "director", lambda w: reverse("home")),
    ("the school overview", "deputy", lambda w: reverse("school_overview", args=[w.school.pk])),
    # The school's own pages.
    ("home, director", "director", lambda w: reverse("home")),
    ("home, teacher", "teacher", lambda w: reverse("home")),
    ("home, parent", "parent", lambda w: reverse("home")),
    ("school overview", "director", lambda w: reverse("school_overview", args=[w.school.pk])),
    ("roster", "secretary", lambda w: reverse("roster", args=[w.school.pk])),
    ("class card", "classteacher", lambda w: reverse("class_detail", args=[w.class_5a.pk])),
    ("student card", "secretary", lambda w: reverse("student", args=[w.child_a.pk])),
    ("student card, parent", "parent", lambda w: reverse("student", args=[w.child_a.pk])),
    (
        "transfer form",
        "secretary",
        lambda w: reverse("student_transfer", args=[w.child_a.pk]),
    ),
    # The family's diary.
    ("diary week", "parent", lambda w: reverse("diary:week", args=[w.child_a.pk])),
    ("diary week, student", "student", lambda w: reverse("diary:week", args=[w.child_a.pk])),
    ("diary marks", "parent", lambda w: reverse("diary:marks", args=[w.child_a.pk])),
    ("diary finals", "parent", lambda w: reverse("diary:finals", args=[w.child_a.pk])),
    ("diary tests", "parent", lambda w: reverse("diary:tests", args=[w.child_a.pk])),
    ("diary teachers", "parent", lambda w: reverse("diary:teachers", args=[w.child_a.pk])),
    ("diary holidays", "parent", lambda w: reverse("diary:holidays", args=[w.child_a.pk])),
    ("diary messages", "parent", lambda w: reverse("diary:messages", args=[w.child_a.pk])),
    ("diary record", "parent", lambda w: reverse("diary:record", args=[w.child_a.pk])),
    (
        "absence report form",
        "parent",
        lambda w: reverse("diary:report_absence", args=[w.child_a.pk]),
    ),
    (
        "a class's absence reports",
        "classteacher",
        lambda w: reverse("diary:absence_reports", args=[w.class_5a.pk]),
    ),
    ("the family's week (diary)", "parent", lambda w: reverse("diary:week", args=[w.child_a.pk])),
    ("the family's marks (diary)", "other_parent", lambda w: marks_page_with_a_mark(w)),
    # Notifications.
    ("my subscriptions", "parent", lambda w: reverse("notifications:my_subscriptions")),
    ("my deliveries", "parent", lambda w: reverse("notifications:my_deliveries")),
    (
        "a family's deliveries",
        "secretary",
        lambda w: reverse("notifications:family_deliveries", args=[w.users["parent"].guardian.pk]),
    ),
    (
        "a family's subscriptions",
        "secretary",
        lambda w: reverse(
            "notifications:family_subscriptions", args=[w.users["parent"].guardian.pk]
        ),
    ),
]


def marks_page_with_a_mark(world: World) -> str:
    """``child_b``'s marks page with a mark on it (the legend and the chips show)."""
    from journal.services import record_mark

    record_mark(
        actor=world.users["teacher"], lesson=world.lesson_6b, student=world.child_b, value=5
    )
    return reverse("diary:marks", args=[world.child_b.pk]) + "?period=year"


# Refusals: the service's message reaches the page in the interface's language.
REFUSALS: list[tuple[str, str, Callable[[World], str], Callable[[World], dict]]] = [
    (
        "homework due after the academic year",
        "teacher",
        lambda w: reverse("journal:homework_add", args=[w.lesson_6b.pk]),
        lambda w: {"text": "Summer reading", "due_date": "9999-12-31"},
    ),
    (
        "a mark out of range",
        "teacher",
        lambda w: reverse("journal:cell", args=[w.lesson_6b.pk, w.child_b.pk, 1]),
        lambda w: {"text": "7", "mark_version": 0, "attendance_version": 0},
    ),
    (
        "a contact that is not a phone (consent)",
        "secretary",
        lambda w: reverse("consent:staff_add_contact", args=[w.users["parent"].guardian.pk]),
        lambda w: {"kind": "phone", "value": "12-34", "source": "staff"},
    ),
    (
        "a lesson moved to a day off",
        "teacher",
        lambda w: reverse("journal:lesson_move", args=[w.lesson_6b.pk]),
        lambda w: {
            "new_date": next_sunday(w.lesson_6b.date).isoformat(),
            "new_number": 7,
            "reason": "Trip",
        },
    ),
]


# Forms that answer in the page itself (refused: the form again; done: the next page with its
# message), with the status they answer with.
FORMS: list[tuple[str, str, Callable[[World], str], Callable[[World], dict], int]] = [
    (
        "an absence whose last day is before the first (diary)",
        "parent",
        lambda w: reverse("diary:report_absence", args=[w.child_a.pk]),
        lambda w: {
            "start": w.school.local_today().isoformat(),
            "end": (w.school.local_today() - dt.timedelta(days=1)).isoformat(),
            "kind": "illness",
        },
        200,
    ),
    (
        "a transfer done (school)",
        "secretary",
        lambda w: reverse("student_transfer", args=[w.child_a.pk]),
        lambda w: {"to_class": w.class_6b.pk, "on_date": w.school.local_today().isoformat()},
        200,
    ),
]


def next_sunday(day):
    return day + dt.timedelta(days=7 - day.isoweekday() or 7)


def data_of(world: World) -> list[str]:
    """Everything typed in by people (or taken over from the school's own tables)."""
    values: list[str] = []
    for user in User.objects.all():
        values += [user.last_name, user.first_name, user.middle_name, user.short_name]
    for student in Student.objects.all():
        values += [student.last_name, student.first_name, student.middle_name]
        values += [student.short_name, student.full_name]
    for school in School.objects.all():
        values += [school.name, school.short_name]
    values += [str(c) for c in SchoolClass.objects.all()] + [
        c.name for c in SchoolClass.objects.all()
    ]
    for subject in Subject.objects.all():
        values += [subject.name, subject.short_name]
    values += [p.name for p in Period.objects.all()]
    for work_type in WorkType.objects.all():  # in a sentence, lower-cased: «5 — диктант»
        values += [work_type.name, work_type.name.lower(), work_type.short_name]
    for lesson in Lesson.objects.all():
        values += [lesson.topic, lesson.room, lesson.change_reason]
    values += list(Homework.objects.values_list("text", flat=True))
    values += list(HomeworkAttachment.objects.values_list("original_name", flat=True))
    values += list(AttendanceCode.values)  # the journal's notation, typed by teachers
    return [v for v in values if v]


def russian_left(page: str, data: list[str]) -> list[str]:
    """The Russian words of the page (scripts aside) that are not words of the data."""
    allowed = {word for value in data for word in CYRILLIC.findall(value)}
    text = html.unescape(re.sub(r"<script\b.*?</script>", " ", page, flags=re.DOTALL))
    return sorted(set(CYRILLIC.findall(text)) - allowed)


@pytest.mark.parametrize(("name", "role", "url"), PAGES, ids=[p[0] for p in PAGES])
def test_the_english_ui_shows_no_russian_but_data(name, role, url, settings) -> None:
    settings.LANGUAGE_CODE = "en"
    world = build_world(journal=True)
    client = Client()
    client.force_login(world.users[role])
    with translation.override("en"):
        response = client.get(url(world))
    assert response.status_code == 200
    assert russian_left(response.content.decode(), data_of(world)) == [], name


@pytest.mark.parametrize(("name", "role", "url", "data"), REFUSALS, ids=[r[0] for r in REFUSALS])
def test_refusals_speak_english_in_the_english_ui(name, role, url, data, settings) -> None:
    settings.LANGUAGE_CODE = "en"
    world = build_world(journal=True)
    client = Client()
    client.force_login(world.users[role])
    with translation.override("en"):
        response = client.post(url(world), data(world))
    assert response.status_code == 422, name
    assert russian_left(response.content.decode(), data_of(world)) == [], name


@pytest.mark.parametrize(
    ("name", "role", "url", "data", "status"), FORMS, ids=[f[0] for f in FORMS]
)
def test_forms_answer_in_english_in_the_english_ui(name, role, url, data, status, settings) -> None:
    settings.LANGUAGE_CODE = "en"
    world = build_world(journal=True)
    client = Client()
    client.force_login(world.users[role])
    with translation.override("en"):
        response = client.post(url(world), data(world), follow=True)
    assert response.status_code == status, name
    page = response.content.decode()
    assert "errorlist" in page or response.redirect_chain, name
    assert russian_left(page, data_of(world)) == [], name


def test_the_check_finds_russian() -> None:
    assert russian_left("<p>Урок сохранён. Иванов И.</p>", ["Иванов И."]) == ["Урок", "сохранён"]

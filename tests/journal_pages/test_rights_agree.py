"""The page and the service give the same answer: for every role, the lesson page offers a
form exactly when its endpoint accepts the post and the service behind it would write (one
predicate per right in ``journal.access``, asked by pages and services alike)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from journal import services
from journal.models import Lesson
from school.models import Position, StaffMember, TeachingAssignment, User
from tests.world import World, _user, build_world

from .support import signed_in

pytestmark = pytest.mark.django_db

ROLES = (
    "teacher",
    "co_teacher",
    "substitute",
    "class_teacher",
    "deputy",
    "director",
    "other_teacher",
    "guardian",
    "student",
)


def roles_around_lesson(w: World) -> dict[str, str]:
    """``lesson_6b`` (6Б математика by ``teacher``) and a username for every role."""
    lesson = w.lesson_6b

    def staff(username: str, last: str) -> User:
        user = _user(username, last, "Тест")
        StaffMember.objects.create(user=user, school=w.school, position=Position.TEACHER)
        return user

    co_teacher = staff("coteacher", "Соколова")
    TeachingAssignment.objects.create(
        teacher=co_teacher, subject=w.math, school_class=w.class_6b, start=w.year.start
    )
    lesson.substitute = staff("substitute", "Орлова")
    lesson.save(update_fields=["substitute"])
    staff("stranger", "Зайцев")
    w.class_6b.class_teacher = w.users["classteacher"]
    w.class_6b.save(update_fields=["class_teacher"])
    w.child_b.user = _user("child_b", "Морозова", "Алиса")
    w.child_b.save(update_fields=["user"])
    return {
        "teacher": "teacher",
        "co_teacher": "coteacher",
        "substitute": "substitute",
        "class_teacher": "classteacher",
        "deputy": "deputy",
        "director": "director",
        "other_teacher": "stranger",
        "guardian": "other_parent",
        "student": "child_b",
    }


class _Rollback(Exception):
    pass


def service_allows(call: Callable[[User, Lesson], object], username: str, lesson: Lesson) -> bool:
    """Whether the service lets this person write (other refusals are not about the
    right); nothing it writes is kept."""
    user = User.objects.get(username=username)  # a fresh object: no cached roles
    lesson = Lesson.objects.get(pk=lesson.pk)
    try:
        with transaction.atomic():
            call(user, lesson)
            raise _Rollback
    except _Rollback:
        return True
    except ValidationError as error:
        return error.code != "forbidden"


@dataclass(frozen=True)
class Right:
    url_name: str
    post: Callable[[Lesson], dict]
    service: Callable[[User, Lesson], object]


RIGHTS = {
    "edit the lesson": Right(
        "journal:lesson_update",
        lambda lesson: {
            "topic": "Дроби",
            "lesson_type": lesson.lesson_type,
            "room": "12",
            "conducted": "on",
            "version": lesson.version,
        },
        lambda user, lesson: services.update_lesson(
            actor=user, lesson=lesson, expected_version=lesson.version, topic="Дроби"
        ),
    ),
    "give homework": Right(
        "journal:homework_add",
        lambda lesson: {"text": "№ 300", "due_date": lesson.date.isoformat()},
        lambda user, lesson: services.assign_homework(
            actor=user, lesson=lesson, text="№ 300", due_date=lesson.date
        ),
    ),
    "change the schedule": Right(
        "journal:lesson_cancel",
        lambda lesson: {"reason": "Карантин"},
        lambda user, lesson: services.cancel_lesson(actor=user, lesson=lesson, reason="Карантин"),
    ),
}


@pytest.mark.parametrize("right", list(RIGHTS))
@pytest.mark.parametrize("role", ROLES)
def test_the_page_answers_as_the_service(role: str, right: str) -> None:
    w = build_world(journal=True)
    username = roles_around_lesson(w)[role]
    lesson, spec = w.lesson_6b, RIGHTS[right]
    action = reverse(spec.url_name, args=[lesson.pk])

    service = service_allows(spec.service, username, lesson)
    client = signed_in(username)
    page = client.get(reverse("journal:lesson", args=[lesson.pk]), {"edit": "1"})
    offered = page.status_code == 200 and f'action="{action}?edit=1"' in page.content.decode()
    posted = client.post(f"{action}?edit=1", spec.post(lesson))
    accepted = posted.status_code not in (403, 404)

    assert (offered, accepted) == (service, service), (role, right, posted.status_code)


def test_the_roles_are_the_expected_ones() -> None:
    """The table above in words: who may do what at another teacher's lesson."""
    w = build_world(journal=True)
    names = roles_around_lesson(w)
    answers = {
        role: tuple(
            service_allows(spec.service, names[role], w.lesson_6b) for spec in RIGHTS.values()
        )
        for role in ROLES
    }
    assert answers == {
        "teacher": (True, True, True),
        "co_teacher": (True, True, False),
        "substitute": (True, True, False),
        "class_teacher": (False, False, False),
        "deputy": (True, True, True),
        "director": (True, True, True),
        "other_teacher": (False, False, False),
        "guardian": (False, False, False),
        "student": (False, False, False),
    }

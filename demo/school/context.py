"""What the demo's build steps share: the options, the context each step fills in, and
the random generator of each step. Every app's demo steps import this; the generator
(``generator.py``) runs them in order."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from school.models import (
    AcademicYear,
    Period,
    School,
    SchoolClass,
    Student,
    StudyGroup,
    Subject,
    User,
)

from . import calendar as cal
from .names import FullName, NamePool, UsernameAllocator
from .schools import SchoolSpec
from .staffing import ClassKey, TeacherPlan

LETTERS = "АБВГДЕЖИКЛМН"
MAX_CLASSES_PER_GRADE = len(LETTERS)


class DemoError(Exception):
    """The demo data cannot be made as asked; the message says why, in Russian."""


@dataclass(frozen=True)
class DemoOptions:
    seed: int = 1
    schools: int = 1
    classes_per_grade: int = 2
    students_per_class: int = 25
    # Whether the journal's steps run (``--no-journal`` turns them off).
    journal: bool = True
    # The demo's "today": lessons up to it are conducted. None: the school's local today,
    # clamped into the academic year.
    until: dt.date | None = None

    def validate(self) -> None:
        if not 1 <= self.schools <= 50:
            raise DemoError("Число школ: от 1 до 50.")
        if not 1 <= self.classes_per_grade <= MAX_CLASSES_PER_GRADE:
            raise DemoError(f"Классов в параллели: от 1 до {MAX_CLASSES_PER_GRADE}.")
        if not 2 <= self.students_per_class <= 40:
            raise DemoError("Обучающихся в классе: от 2 до 40.")
        if self.until is not None and not isinstance(self.until, dt.date):
            raise DemoError("Дата «по» (--until): ГГГГ-ММ-ДД.")


def step_rng(seed: int, school_index: int, step: str) -> random.Random:
    """The random generator of build step ``step`` of demo school ``school_index``."""
    return random.Random(f"demo:{seed}:{school_index}:{step}")


@dataclass
class PersonPlan:
    """A person about to be written: the name, and the login if they get one."""

    name: FullName
    username: str | None = None
    user: User | None = None


@dataclass
class DemoContext:
    """What the steps share. Each step fills in its part."""

    options: DemoOptions
    spec: SchoolSpec
    password_hash: str
    usernames: UsernameAllocator
    counts: Counter[str] = field(default_factory=Counter)
    logins: dict[str, str] = field(default_factory=dict)  # role -> username
    school: School = field(init=False)
    years: dict[str, AcademicYear] = field(default_factory=dict)
    year: AcademicYear = field(init=False)
    year_spec: cal.YearSpec = cal.CURRENT_YEAR
    periods: dict[tuple[str, int], Period] = field(default_factory=dict)  # current year
    subjects: dict[str, Subject] = field(default_factory=dict)
    classes: dict[ClassKey, SchoolClass] = field(default_factory=dict)
    class_sizes: dict[ClassKey, int] = field(default_factory=dict)  # planned on 01.09
    teaching: list[TeacherPlan] = field(default_factory=list)
    teacher_users: dict[int, User] = field(default_factory=dict)  # plan index -> user
    teacher_names: dict[int, tuple[FullName, str, NamePool]] = field(default_factory=dict)
    groups: dict[tuple[ClassKey, str, int], StudyGroup] = field(default_factory=dict)
    class_students: dict[ClassKey, list[Student]] = field(default_factory=dict)  # on 01.09
    special_students: set[int] = field(default_factory=set)  # ids the later steps keep off
    extra: dict[str, Any] = field(default_factory=dict)  # what registered steps share

    @property
    def index(self) -> int:
        return self.spec.index

    def rng(self, step: str) -> random.Random:
        """A random generator of its own for each step (string seeds are stable)."""
        return step_rng(self.options.seed, self.index, step)

    def bulk(self, objs: Sequence[models.Model]) -> list[Any]:
        """``bulk_create`` and count the rows."""
        if not objs:
            return []
        model = type(objs[0])
        created = model._default_manager.bulk_create(objs, batch_size=2000)
        self.counts[model._meta.label] += len(created)
        return created

    def make_users(self, people: Iterable[PersonPlan]) -> None:
        """Create the logins of ``people`` that have a username, in one query."""
        pending = [p for p in people if p.username and p.user is None]
        users = [
            User(
                username=p.username,
                first_name=p.name.first_name,
                last_name=p.name.last_name,
                middle_name=p.name.middle_name,
                password=self.password_hash,
            )
            for p in pending
        ]
        taken = set(
            User.objects.filter(username__in=[u.username for u in users]).values_list(
                "username", flat=True
            )
        )
        if taken:
            raise DemoError(
                "Логины уже заняты: "
                + ", ".join(sorted(taken)[:10])
                + ". Удалите демо-данные (--reset) или выберите другую базу."
            )
        for person, user in zip(pending, self.bulk(users), strict=True):
            person.user = user

    @property
    def start(self) -> dt.date:
        return self.year.start


Step = Callable[[DemoContext], None]

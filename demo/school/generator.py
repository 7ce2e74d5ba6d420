"""Build the demo school(s) step by step: on top of every app, importing what it fills.

``seed_demo(options)`` makes each missing demo school in one transaction by running
``STEPS`` in order: the school's own steps below, then the journal's, the diary's rebuild
and the families' consents. Every step takes the shared ``DemoContext``
(``context.py``), reads what earlier steps left on it, writes rows in bulk and leaves its
own results for later steps.

Determinism: each step draws from its own random generator seeded from (seed, school
index, step name), so the same seed gives the same names, structure and logins, and a new
step never changes what the earlier ones make.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from django.db.models import ProtectedError, Q, RestrictedError

from demo.consent import delete_consents, seed_consents
from demo.diary import rebuild_diary
from demo.journal.cleanup import delete_journal
from demo.journal.steps import STEPS as JOURNAL_STEPS
from demo.notifications import delete_subscriptions, seed_subscriptions
from school.db import analyze
from school.models import (
    AcademicYear,
    CurriculumItem,
    CurriculumPeriodPlan,
    Enrolment,
    Gender,
    GradeScheme,
    GroupKind,
    GroupMembership,
    Guardian,
    Holiday,
    Kinship,
    Period,
    PeriodScheme,
    Position,
    Relation,
    School,
    SchoolClass,
    StaffMember,
    Student,
    StudyGroup,
    Subject,
    TeachingAssignment,
    User,
    default_scheme_for_grade,
)
from school.models.calendar import SCHEME_PERIOD_KIND

from . import calendar as cal
from .context import (
    LETTERS,
    DemoContext,
    DemoError,
    DemoOptions,
    PersonPlan,
    Step,
)
from .curriculum import CURRICULUM, DEFAULT_MALE_SHARE, MALE_SHARE, SUBJECTS, is_split
from .logins import (
    ADMIN_USERNAME,
    DEMO_PASSWORD,
    ROLES,
    DemoLogin,
    demo_logins,
    role_username,
)
from .names import (
    CRIMEAN_TATAR,
    SLAVIC,
    FullName,
    NamePool,
    UsernameAllocator,
    adult_name,
    child_name,
    pick,
)
from .schools import school_spec
from .staffing import ClassKey, TeacherPlan, plan_teaching

FIRST_LOGIN_GRADE = 5  # students get a login from grade 5
TATAR_FAMILY_SHARE = 0.15
TATAR_STAFF_SHARE = 0.12
# The student who changes class mid-year (needs two classes in grade 7).
MOVE_FROM: ClassKey = (7, "А")
MOVE_TO: ClassKey = (7, "Б")
MOVE_DATE = dt.date(2026, 11, 16)

# Households and their shares [typical]: mostly mother and father, some single mothers, a
# few grandmothers and other guardians (опекун).
FAMILY_KINDS: tuple[tuple[str, float], ...] = (
    ("parents", 0.72),
    ("mother", 0.14),
    ("father", 0.03),
    ("mother_grandmother", 0.06),
    ("grandmother", 0.03),
    ("custodian", 0.02),
)
CHILDREN_PER_FAMILY: tuple[tuple[int, float], ...] = ((1, 0.72), (2, 0.23), (3, 0.05))


# --- Steps ----------------------------------------------------------------------------


def create_school(ctx: DemoContext) -> None:
    ctx.school = School.objects.create(**ctx.spec.model_fields())
    ctx.counts[School._meta.label] += 1


def create_calendar(ctx: DemoContext) -> None:
    """Both academic years with their periods, grade schemes and holidays."""
    for spec in cal.YEARS:
        year = AcademicYear.objects.create(
            school=ctx.school, name=spec.name, start=spec.start, end=spec.end
        )
        ctx.counts[AcademicYear._meta.label] += 1
        ctx.years[spec.name] = year
        periods = ctx.bulk(
            [
                Period(year=year, kind=p.kind, number=p.number, start=p.start, end=p.end)
                for p in spec.periods
            ]
        )
        ctx.bulk(
            [
                GradeScheme(year=year, grade=g, scheme=default_scheme_for_grade(g))
                for g in range(1, 12)
            ]
        )
        ctx.bulk(
            [
                Holiday(year=year, name=h.name, start=h.start, end=h.end, only_grade=h.only_grade)
                for h in spec.holidays
            ]
        )
        if spec is cal.CURRENT_YEAR:
            ctx.year = year
            ctx.year_spec = spec
            ctx.periods = {(p.kind, p.number): p for p in periods}


def create_subjects(ctx: DemoContext) -> None:
    subjects = ctx.bulk(
        [
            Subject(
                school=ctx.school,
                name=s.name,
                short_name=s.short_name,
                order=s.order,
                is_graded=s.is_graded,
            )
            for s in SUBJECTS
        ]
    )
    ctx.subjects = {s.key: subject for s, subject in zip(SUBJECTS, subjects, strict=True)}


def create_classes(ctx: DemoContext) -> None:
    """Grades 1-11, ``classes_per_grade`` letters each; grade 1 learns without marks."""
    keys = [
        (grade, LETTERS[i]) for grade in range(1, 12) for i in range(ctx.options.classes_per_grade)
    ]
    classes = ctx.bulk(
        [
            SchoolClass(school=ctx.school, year=ctx.year, grade=g, letter=letter, is_graded=g != 1)
            for g, letter in keys
        ]
    )
    ctx.classes = dict(zip(keys, classes, strict=True))
    ctx.class_sizes = dict.fromkeys(keys, ctx.options.students_per_class)


def create_curriculum(ctx: DemoContext) -> None:
    """A curriculum item per class and subject, split over the periods of the class's
    scheme in proportion to their study days."""
    items: list[CurriculumItem] = []
    for (grade, _), school_class in ctx.classes.items():
        weeks = cal.weeks_in_year(grade)
        for line in CURRICULUM[grade]:
            items.append(
                CurriculumItem(
                    school_class=school_class,
                    subject=ctx.subjects[line.subject],
                    hours_per_week=Decimal(line.hours),
                    hours_year=line.hours * weeks,
                    tests_year=line.tests,
                    practical_works_year=line.practical,
                    lab_works_year=line.lab,
                )
            )
    items = ctx.bulk(items)

    period_days: dict[tuple[int, str], list[tuple[Period, int]]] = {}
    plans: list[CurriculumPeriodPlan] = []
    for item in items:
        grade = item.school_class.grade
        kind = SCHEME_PERIOD_KIND[PeriodScheme(default_scheme_for_grade(grade))]
        key = (grade, kind)
        if key not in period_days:
            period_days[key] = [
                (
                    ctx.periods[(p.kind, p.number)],
                    sum(
                        1
                        for _ in cal.school_days(
                            p.start,
                            p.end,
                            grade=grade,
                            week_days=ctx.school.week_days,
                            holidays=ctx.year_spec.holidays,
                        )
                    ),
                )
                for p in ctx.year_spec.scheme_periods(kind)
            ]
        periods = [p for p, _ in period_days[key]]
        weights = [days for _, days in period_days[key]]
        split = cal.split_proportionally
        for period, hours, tests, practical, lab in zip(
            periods,
            split(item.hours_year, weights),
            split(item.tests_year, weights),
            split(item.practical_works_year, weights),
            split(item.lab_works_year, weights),
            strict=True,
        ):
            plans.append(
                CurriculumPeriodPlan(
                    item=item,
                    period=period,
                    hours=hours,
                    tests=tests,
                    practical_works=practical,
                    lab_works=lab,
                )
            )
    ctx.bulk(plans)


def create_staff(ctx: DemoContext) -> None:
    """The director, two deputies, the secretary and the teachers the curriculum needs;
    class teachers of every class."""
    rng = ctx.rng("staff")
    ctx.teaching = plan_teaching([(g, letter, n) for (g, letter), n in ctx.class_sizes.items()])

    def new_person(male_share: float) -> tuple[FullName, str, NamePool]:
        """A grown-up's name, and the masculine surname and name pool it came from."""
        pool = CRIMEAN_TATAR if rng.random() < TATAR_STAFF_SHARE else SLAVIC
        gender = Gender.MALE if rng.random() < male_share else Gender.FEMALE
        surname = pick(rng, pool.surnames)
        return adult_name(rng, pool, gender, surname=surname), surname, pool

    def with_role(person: PersonPlan, role: str | None) -> PersonPlan:
        if role:
            person.username = ctx.usernames.reserve(role_username(role, ctx.index))
            ctx.logins[role] = person.username
        return person

    # (role login, position, share of men)
    leaders = [
        ("director", Position.DIRECTOR, 0.5),
        ("deputy", Position.DEPUTY, 0.2),
        (None, Position.DEPUTY, 0.2),
        ("secretary", Position.SECRETARY, 0.0),
    ]
    staff: list[tuple[PersonPlan, str, list[str]]] = []  # person, position, subject keys
    for role, position, male_share in leaders:
        name, _, _ = new_person(male_share)
        staff.append((with_role(PersonPlan(name), role), position, []))

    roles = _teacher_roles(ctx.teaching)
    teacher_people: dict[int, PersonPlan] = {}
    for plan in ctx.teaching:
        first = plan.specialties[0]
        male_share = 0.03 if plan.is_primary else MALE_SHARE.get(first, DEFAULT_MALE_SHARE)
        name, surname, pool = new_person(male_share)
        ctx.teacher_names[plan.index] = (name, surname, pool)
        teacher_people[plan.index] = with_role(PersonPlan(name), roles.get(plan.index))
        staff.append((teacher_people[plan.index], Position.TEACHER, plan.subjects))
    for people, _, _ in staff:
        if people.username is None:
            people.username = ctx.usernames.for_person(people.name)

    ctx.make_users(p for p, _, _ in staff)
    members = ctx.bulk(
        [StaffMember(user=p.user, school=ctx.school, position=position) for p, position, _ in staff]
    )
    through = StaffMember.subjects.through
    ctx.bulk(
        [
            through(staffmember_id=member.pk, subject_id=ctx.subjects[key].pk)
            for member, (_, _, keys) in zip(members, staff, strict=True)
            for key in keys
        ]
    )
    ctx.teacher_users = {i: p.user for i, p in teacher_people.items() if p.user}

    for plan in ctx.teaching:
        for key in plan.homerooms:
            ctx.classes[key].class_teacher = ctx.teacher_users[plan.index]
    SchoolClass.objects.bulk_update(ctx.classes.values(), ["class_teacher"])


def _teacher_roles(teaching: list[TeacherPlan]) -> dict[int, str]:
    """``classteacher``: the class teacher of 5А (who teaches it); ``teacher``: the
    mathematics (else Russian) teacher of 5А or 6А that staffing kept without a class of
    their own (else a subject teacher with no class, teaching 5А if one does)."""
    roles: dict[int, str] = {}
    first_5 = (5, LETTERS[0])
    homeroom_5a = next((t for t in teaching if first_5 in t.homerooms), None)
    if homeroom_5a:
        roles[homeroom_5a.index] = "classteacher"
    chosen = next((t for t in teaching if t.no_homeroom and not t.homerooms), None)
    if chosen is not None:
        roles[chosen.index] = "teacher"
        return roles
    subject_teachers = [t for t in teaching if not t.is_primary and not t.homerooms]
    candidates = subject_teachers or [t for t in teaching if t.index not in roles]
    if candidates:

        def rank(t: TeacherPlan) -> tuple[int, int, int]:
            whole_class = sum(u.hours for u in t.units if u.school_class == first_5 and not u.slot)
            return (-whole_class, -t.hours_in(first_5), t.index)

        roles[min(candidates, key=rank).index] = "teacher"
    return roles


def create_groups(ctx: DemoContext) -> None:
    """Two English subgroups in every class of grades 2-11 with 20 or more students."""
    keys = [
        (cls, line.subject, slot)
        for cls, size in ctx.class_sizes.items()
        for line in CURRICULUM[cls[0]]
        if is_split(cls[0], size, line.subject)
        for slot in (1, 2)
    ]
    groups = ctx.bulk(
        [
            StudyGroup(
                school_class=ctx.classes[cls],
                subject=ctx.subjects[subject],
                name=f"{slot} группа",
                kind=GroupKind.SUBGROUP,
            )
            for cls, subject, slot in keys
        ]
    )
    ctx.groups = dict(zip(keys, groups, strict=True))


def create_assignments(ctx: DemoContext) -> None:
    """Who teaches each class (or subgroup) each subject, from 01.09, open-ended."""
    ctx.bulk(
        [
            TeachingAssignment(
                teacher=ctx.teacher_users[plan.index],
                subject=ctx.subjects[unit.subject],
                school_class=ctx.classes[unit.school_class],
                group=ctx.groups[(unit.school_class, unit.subject, unit.slot)]
                if unit.slot
                else None,
                start=ctx.start,
            )
            for plan in ctx.teaching
            for unit in plan.units
        ]
    )


def create_families(ctx: DemoContext) -> None:
    """Students with their parents or other guardians, their logins and enrolments.

    Two families are made on purpose: the ``parent`` login's (children in 5А and in grade
    2) and a teacher's (the teacher is also a guardian, through the same login)."""
    rng = ctx.rng("families")
    free: dict[ClassKey, int] = dict(ctx.class_sizes)
    families: list[Family] = []

    cpg = ctx.options.classes_per_grade
    showcase = Family.parents(rng, SLAVIC)
    showcase.add_child(rng, (5, LETTERS[0]), free)
    showcase.add_child(rng, (2, LETTERS[min(1, cpg - 1)]), free)
    showcase.mother_role = "parent"
    showcase.children[0].role = "student"
    families.append(showcase)

    teacher_index = _teacher_parent(ctx)
    if teacher_index is not None:
        name, surname, pool = ctx.teacher_names[teacher_index]
        family = Family.around(rng, pool, name, surname, ctx.teacher_users[teacher_index])
        homerooms = next(t.homerooms for t in ctx.teaching if t.index == teacher_index)
        options = [k for k, n in free.items() if n and k not in homerooms]
        if options:
            family.add_child(rng, rng.choice(options), free)
            families.append(family)
    special = list(families)

    slots = [key for key, n in free.items() for _ in range(n)]
    rng.shuffle(slots)
    while slots:
        family = Family.random(rng)
        family.add_child(rng, slots.pop(), free)
        wanted = _weighted(rng, CHILDREN_PER_FAMILY)
        while len(family.children) < wanted:
            grades = [c.school_class[0] for c in family.children]
            j = next(
                (
                    j
                    for j in range(len(slots) - 1, -1, -1)
                    if all(abs(slots[j][0] - g) >= 2 for g in grades)
                ),
                None,
            )
            if j is None:
                break
            family.add_child(rng, slots.pop(j), free)
        families.append(family)

    _write_families(ctx, families)
    ctx.special_students.update(c.student.pk for f in special for c in f.children if c.student)


def _teacher_parent(ctx: DemoContext) -> int | None:
    """A subject teacher without a role login, preferably a woman: she is also a mother of
    a student of the school."""
    role_users = set(ctx.logins.values())
    candidates = [
        t.index
        for t in ctx.teaching
        if not t.is_primary and ctx.teacher_users[t.index].username not in role_users
    ]
    women = [i for i in candidates if ctx.teacher_names[i][0].gender == Gender.FEMALE]
    chosen = women or candidates
    return chosen[0] if chosen else None


def _weighted(rng: random.Random, table: Sequence[tuple[Any, float]]) -> Any:
    return rng.choices([v for v, _ in table], weights=[w for _, w in table], k=1)[0]


@dataclass
class ChildPlan:
    school_class: ClassKey
    name: FullName
    birth_date: dt.date
    role: str | None = None
    person: PersonPlan | None = None
    student: Student | None = None


@dataclass
class GuardianPlan:
    person: PersonPlan
    gender: str
    relation: str
    is_legal_representative: bool = True


@dataclass
class Family:
    """A household: its guardians and the children it has in the school."""

    pool: NamePool
    surname: str  # the children's surname, masculine form
    father_name: str  # the children's patronymic comes from it
    guardians: list[GuardianPlan]
    children: list[ChildPlan] = field(default_factory=list)
    mother_role: str | None = None

    @classmethod
    def parents(cls, rng: random.Random, pool: NamePool) -> Family:
        surname = pick(rng, pool.surnames)
        father = adult_name(rng, pool, Gender.MALE, surname=surname)
        mother = adult_name(rng, pool, Gender.FEMALE, surname=surname)
        return cls(
            pool,
            surname,
            father.first_name,
            [
                GuardianPlan(PersonPlan(mother), Gender.FEMALE, Relation.MOTHER),
                GuardianPlan(PersonPlan(father), Gender.MALE, Relation.FATHER),
            ],
        )

    @classmethod
    def around(
        cls, rng: random.Random, pool: NamePool, name: FullName, surname: str, user: User
    ) -> Family:
        """The family of a staff member: the spouse takes the same surname."""
        own = PersonPlan(name, username=user.username, user=user)
        if name.gender == Gender.FEMALE:
            husband = adult_name(rng, pool, Gender.MALE, surname=surname)
            guardians = [
                GuardianPlan(own, Gender.FEMALE, Relation.MOTHER),
                GuardianPlan(PersonPlan(husband), Gender.MALE, Relation.FATHER),
            ]
            father_name = husband.first_name
        else:
            wife = adult_name(rng, pool, Gender.FEMALE, surname=surname)
            guardians = [
                GuardianPlan(PersonPlan(wife), Gender.FEMALE, Relation.MOTHER),
                GuardianPlan(own, Gender.MALE, Relation.FATHER),
            ]
            father_name = name.first_name
        return cls(pool, surname, father_name, guardians)

    @classmethod
    def random(cls, rng: random.Random) -> Family:
        pool = CRIMEAN_TATAR if rng.random() < TATAR_FAMILY_SHARE else SLAVIC
        kind = _weighted(rng, FAMILY_KINDS)
        if kind == "parents":
            return cls.parents(rng, pool)
        surname = pick(rng, pool.surnames)
        father_name = pick(rng, pool.men)  # an absent father still gives the patronymic
        mother = GuardianPlan(
            PersonPlan(adult_name(rng, pool, Gender.FEMALE, surname=surname)),
            Gender.FEMALE,
            Relation.MOTHER,
        )
        grandmother = GuardianPlan(
            PersonPlan(adult_name(rng, pool, Gender.FEMALE, surname=surname, old=True)),
            Gender.FEMALE,
            Relation.GRANDMOTHER,
        )
        if kind == "mother":
            guardians = [mother]
        elif kind == "father":
            father = adult_name(rng, pool, Gender.MALE, surname=surname)
            father_name = father.first_name
            guardians = [GuardianPlan(PersonPlan(father), Gender.MALE, Relation.FATHER)]
        elif kind == "mother_grandmother":
            # The grandmother helps (picks up, reads the diary) but is no legal representative.
            grandmother.is_legal_representative = False
            guardians = [mother, grandmother]
        elif kind == "grandmother":
            guardians = [grandmother]  # appointed guardian: legal representative
        else:
            gender = _weighted(rng, ((Gender.FEMALE, 0.8), (Gender.MALE, 0.2)))
            custodian = adult_name(rng, pool, gender)  # another surname: an aunt, a neighbour
            guardians = [GuardianPlan(PersonPlan(custodian), gender, Relation.GUARDIAN)]
        return cls(pool, surname, father_name, guardians)

    def add_child(
        self, rng: random.Random, school_class: ClassKey, free: dict[ClassKey, int]
    ) -> None:
        grade = school_class[0]
        gender = rng.choice((Gender.MALE, Gender.FEMALE))
        taken = {c.name.first_name for c in self.children}
        name = child_name(
            rng, self.pool, gender, surname=self.surname, father_name=self.father_name
        )
        while name.first_name in taken:
            name = child_name(
                rng, self.pool, gender, surname=self.surname, father_name=self.father_name
            )
        self.children.append(ChildPlan(school_class, name, _birth_date(rng, grade)))
        free[school_class] -= 1


def _birth_date(rng: random.Random, grade: int) -> dt.date:
    """Grade 1 in 2026/27 was born between 01.09.2019 and 31.08.2020; a grade higher, a
    year earlier."""
    first = dt.date(2020 - grade, 9, 1)
    last = dt.date(2021 - grade, 8, 31)
    return first + dt.timedelta(days=rng.randint(0, (last - first).days))


def _write_families(ctx: DemoContext, families: list[Family]) -> None:
    for family in families:
        for guardian in family.guardians:
            if guardian.person.username is None:
                if family.mother_role and guardian.relation == Relation.MOTHER:
                    username = ctx.usernames.reserve(role_username(family.mother_role, ctx.index))
                    ctx.logins[family.mother_role] = username
                else:
                    username = ctx.usernames.for_person(guardian.person.name)
                guardian.person.username = username
        for child in family.children:
            child.person = PersonPlan(child.name)
            if child.role:
                child.person.username = ctx.usernames.reserve(role_username(child.role, ctx.index))
                ctx.logins[child.role] = child.person.username
            elif child.school_class[0] >= FIRST_LOGIN_GRADE:
                child.person.username = ctx.usernames.for_person(child.name)

    guardians = [g for f in families for g in f.guardians]
    children = [c for f in families for c in f.children]
    ctx.make_users([g.person for g in guardians] + [c.person for c in children if c.person])

    guardian_rows = ctx.bulk(
        [
            Guardian(
                user=g.person.user,
                gender=g.gender,
                last_name=g.person.name.last_name,
                first_name=g.person.name.first_name,
                middle_name=g.person.name.middle_name,
            )
            for g in guardians
        ]
    )
    guardian_of = {id(g): row for g, row in zip(guardians, guardian_rows, strict=True)}
    students = ctx.bulk(
        [
            Student(
                school=ctx.school,
                user=c.person.user if c.person else None,
                gender=c.name.gender,
                last_name=c.name.last_name,
                first_name=c.name.first_name,
                middle_name=c.name.middle_name,
                birth_date=c.birth_date,
            )
            for c in children
        ]
    )
    for child, student in zip(children, students, strict=True):
        child.student = student
    ctx.bulk(
        [
            Kinship(
                guardian=guardian_of[id(g)],
                student=c.student,
                relation=g.relation,
                is_legal_representative=g.is_legal_representative,
            )
            for f in families
            for c in f.children
            for g in f.guardians
        ]
    )
    ctx.bulk(
        [
            Enrolment(student=c.student, school_class=ctx.classes[c.school_class], start=ctx.start)
            for c in children
        ]
    )
    ctx.class_students = defaultdict(list)
    for child in children:
        ctx.class_students[child.school_class].append(child.student)


def _journal_order(students: Iterable[Student]) -> list[Student]:
    return sorted(students, key=lambda s: (s.last_name, s.first_name, s.middle_name, s.pk))


def create_group_memberships(ctx: DemoContext) -> None:
    """A split class: the first half of the class list in group 1, the rest in group 2."""
    memberships = []
    for (cls, _subject, slot), group in ctx.groups.items():
        students = _journal_order(ctx.class_students[cls])
        half = (len(students) + 1) // 2
        members = students[:half] if slot == 1 else students[half:]
        memberships += [GroupMembership(group=group, student=s, start=ctx.start) for s in members]
    ctx.bulk(memberships)


def move_student_mid_year(ctx: DemoContext) -> None:
    """A student of 7А moves to 7Б on 16.11.2026: two dated enrolments, and the subgroups
    follow."""
    if MOVE_FROM not in ctx.classes or MOVE_TO not in ctx.classes:
        return
    rng = ctx.rng("move")
    candidates = [s for s in ctx.class_students[MOVE_FROM] if s.pk not in ctx.special_students]
    if not candidates:
        return
    student = rng.choice(_journal_order(candidates))
    ctx.special_students.add(student.pk)
    last_day = MOVE_DATE - dt.timedelta(days=1)
    Enrolment.objects.filter(student=student, school_class=ctx.classes[MOVE_FROM]).update(
        end=last_day
    )
    ctx.bulk([Enrolment(student=student, school_class=ctx.classes[MOVE_TO], start=MOVE_DATE)])
    GroupMembership.objects.filter(
        student=student, group__school_class=ctx.classes[MOVE_FROM]
    ).update(end=last_day)
    new_groups: dict[str, list[StudyGroup]] = defaultdict(list)
    for (cls, subject, _), group in ctx.groups.items():
        if cls == MOVE_TO:
            new_groups[subject].append(group)
    for groups in new_groups.values():
        smallest = min(groups, key=lambda g: (g.memberships.count(), g.name))
        ctx.bulk([GroupMembership(group=smallest, student=student, start=MOVE_DATE)])


def create_individual_plan(ctx: DemoContext) -> None:
    """One student of grades 6-9 learns mathematics on an individual study plan, taught by
    the class's own mathematics teacher."""
    rng = ctx.rng("individual")
    keys = [k for k in ctx.classes if 6 <= k[0] <= 9]
    cls = rng.choice(keys)
    subject = "math" if cls[0] <= 6 else "algebra"
    candidates = [s for s in ctx.class_students[cls] if s.pk not in ctx.special_students]
    if not candidates:
        return
    student = rng.choice(_journal_order(candidates))
    ctx.special_students.add(student.pk)
    teacher = next(
        ctx.teacher_users[t.index]
        for t in ctx.teaching
        for u in t.units
        if u.school_class == cls and u.subject == subject
    )
    (group,) = ctx.bulk(
        [
            StudyGroup(
                school_class=ctx.classes[cls],
                subject=ctx.subjects[subject],
                name=f"ИУП: {student.short_name}",
                kind=GroupKind.INDIVIDUAL,
            )
        ]
    )
    ctx.bulk([GroupMembership(group=group, student=student, start=ctx.start)])
    ctx.bulk(
        [
            TeachingAssignment(
                teacher=teacher,
                subject=ctx.subjects[subject],
                school_class=ctx.classes[cls],
                group=group,
                start=ctx.start,
            )
        ]
    )


# The build steps in order: the school, its journal, the diary rebuilt from that journal
# (written in bulk, without the journal's signals), the families' consents and what they
# chose to receive.
SCHOOL_STEPS: tuple[Step, ...] = (
    create_school,
    create_calendar,
    create_subjects,
    create_classes,
    create_curriculum,
    create_staff,
    create_groups,
    create_assignments,
    create_families,
    create_group_memberships,
    move_student_mid_year,
    create_individual_plan,
)
STEPS: tuple[Step, ...] = (
    *SCHOOL_STEPS,
    *JOURNAL_STEPS,
    rebuild_diary,
    seed_consents,
    seed_subscriptions,
)

Cleanup = Callable[[School], None]
# Run first when a demo school is deleted: the journal and consent rows of that school go
# fast (the generic deletion below would have to load every protected row).
CLEANUPS: tuple[Cleanup, ...] = (delete_journal, delete_subscriptions, delete_consents)


# --- Entry points ---------------------------------------------------------------------


@dataclass(frozen=True)
class StepProgress:
    """A build step starting (``seconds`` None) or done, for the command's progress lines."""

    school_index: int
    number: int  # 1-based, of ``total``
    total: int
    name: str
    seconds: float | None  # the step's own time, once done
    elapsed: float  # since this school's build started


Progress = Callable[[StepProgress], None]
# The progress name of the last step: the transaction's commit (tens of thousands of rows).
COMMIT_STEP = "commit"


@dataclass
class DemoResult:
    schools: dict[int, School] = field(default_factory=dict)  # index -> school
    created: list[School] = field(default_factory=list)
    existing: list[School] = field(default_factory=list)
    deleted: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    logins: list[DemoLogin] = field(default_factory=list)


def find_demo_school(index: int) -> School | None:
    """The demo school number ``index``, found by its fixed ИНН."""
    return School.objects.filter(inn=school_spec(index).inn).order_by("pk").first()


def seed_demo(
    options: DemoOptions, *, reset: bool = False, progress: Progress | None = None
) -> DemoResult:
    """Make the demo schools that are missing (all of them again with ``reset``);
    ``progress`` hears of each build step as it starts and ends."""
    options.validate()
    started = time.perf_counter()
    result = DemoResult(logins=demo_logins(options.schools))
    password_hash: str | None = None
    for index in range(1, options.schools + 1):
        school = find_demo_school(index)
        if school is not None and reset:
            delete_demo_school(school)
            result.deleted += 1
            school = None
        if school is not None:
            result.existing.append(school)
        else:
            if password_hash is None:
                password_hash = make_password(DEMO_PASSWORD)  # once: argon2 is slow on purpose
            school = build_school(options, index, password_hash, result.counts, progress)
            result.created.append(school)
        result.schools[index] = school
    if ensure_admin(password_hash):
        result.counts[User._meta.label] += 1
    result.seconds = time.perf_counter() - started
    return result


def build_school(
    options: DemoOptions,
    index: int,
    password_hash: str,
    counts: Counter[str] | None = None,
    progress: Progress | None = None,
) -> School:
    """Run ``STEPS`` for demo school ``index`` in one transaction."""
    spec = school_spec(index)
    ctx = DemoContext(
        options=options,
        spec=spec,
        password_hash=password_hash,
        usernames=UsernameAllocator(index, reserved=[ADMIN_USERNAME]),
    )
    started = time.perf_counter()
    total = len(STEPS) + 1  # and the commit, which checks every deferred foreign key
    step_started = started

    def tell(number: int, name: str, done: bool) -> None:
        nonlocal step_started
        if progress is None:
            return
        now = time.perf_counter()
        if not done:
            step_started = now
        seconds = now - step_started if done else None
        progress(StepProgress(index, number, total, name, seconds, now - started))

    with transaction.atomic():
        for number, step in enumerate(STEPS, start=1):
            tell(number, step.__name__, done=False)
            before = Counter(ctx.counts)
            step(ctx)
            # The next steps (the diary's rebuild above all) read what this one wrote.
            analyze(*written_models(before, ctx.counts))
            tell(number, step.__name__, done=True)
        missing = [r for r in ROLES if r != "admin" and r not in ctx.logins]
        if missing:
            raise DemoError(f"Не удалось выбрать демо-входы: {', '.join(missing)}.")
        tell(total, COMMIT_STEP, done=False)
    tell(total, COMMIT_STEP, done=True)
    if counts is not None:
        counts.update(ctx.counts)
    return ctx.school


def written_models(before: Counter[str], after: Counter[str]) -> list[type[models.Model]]:
    """The models whose rows a step added, by the model labels it counted."""
    labels = [label for label, n in after.items() if n > before[label]]
    known = {model._meta.label: model for model in apps.get_models()}
    return [known[label] for label in labels if label in known]


def ensure_admin(password_hash: str | None = None) -> bool:
    """The superuser ``admin``, linked to no school. True when it was created now."""
    if User.objects.filter(username=ADMIN_USERNAME).exists():
        return False
    User.objects.create(
        username=ADMIN_USERNAME,
        first_name="Администратор",
        password=password_hash or make_password(DEMO_PASSWORD),
        is_staff=True,
        is_superuser=True,
    )
    return True


def delete_demo_school(school: School) -> None:
    """Delete a demo school with its people and their logins (for ``--reset``)."""
    user_ids = set(
        User.objects.filter(
            Q(staff_roles__school=school)
            | Q(student__school=school)
            | Q(guardian__kinships__student__school=school)
        ).values_list("pk", flat=True)
    )
    guardian_ids = set(
        Guardian.objects.filter(kinships__student__school=school).values_list("pk", flat=True)
    )
    with transaction.atomic():
        for cleanup in CLEANUPS:
            cleanup(school)
        _force_delete(Enrolment.objects.filter(school_class__school=school))
        _force_delete(Student.objects.filter(school=school))
        _force_delete(CurriculumItem.objects.filter(school_class__school=school))
        _force_delete(TeachingAssignment.objects.filter(school_class__school=school))
        _force_delete(School.objects.filter(pk=school.pk))
        _force_delete(Guardian.objects.filter(pk__in=guardian_ids, kinships__isnull=True))
        _force_delete(
            User.objects.filter(
                pk__in=user_ids,
                is_superuser=False,
                staff_roles__isnull=True,
                student__isnull=True,
                guardian__isnull=True,
            )
        )


def _force_delete(queryset: models.QuerySet, depth: int = 0) -> None:
    """Delete, first deleting whatever protects the rows (journal data of later steps
    that points at demo students or teachers). Only for demo data."""
    if depth > 8:
        raise DemoError("Не удалось удалить демо-данные: слишком длинная цепочка ссылок.")
    for _ in range(20):
        try:
            queryset.delete()
            return
        except ProtectedError as exc:
            blockers = exc.protected_objects
        except RestrictedError as exc:
            blockers = exc.restricted_objects
        by_model: dict[type[models.Model], list[Any]] = defaultdict(list)
        for obj in blockers:
            by_model[type(obj)].append(obj.pk)
        for model, pks in by_model.items():
            _force_delete(model._base_manager.filter(pk__in=pks), depth + 1)
    raise DemoError("Не удалось удалить демо-данные.")

"""Who teaches what: the demo school's «тарификация», planned before any row is written.

Pure planning over the curriculum and the class sizes:
- each primary class (1-4) has its own teacher, also its class teacher, who teaches it
  everything except English and PE;
- every other subject belongs to a specialty; a specialty too small for a realistic load
  (18-27 hours a week) merges with a related one (math + informatics, biology + chemistry);
- a specialty's teachers share its classes by the longest-first rule, so loads come out
  even; the two English subgroups of a class always get two different teachers;
- each class of grades 5-11 gets as class teacher one of its own teachers, except one
  mathematics (else Russian) teacher of 5А (else 6А) kept without a class of their own: the
  ``teacher`` demo login, a subject teacher who is not a class teacher.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

from .curriculum import (
    CURRICULUM,
    PARTNERS,
    PRIMARY_SUBJECTS,
    SPECIALTIES,
    SPECIALTY_OF,
    is_split,
)

LOAD_MIN = 18
LOAD_MAX = 27
LOAD_TARGET = 22
# One teacher on 28-30 hours is better than two on 14-15: schools do overload a teacher.
LOAD_SOFT_MAX = 30

ClassKey = tuple[int, str]  # (grade, letter)
SPECIALTY_ORDER = {spec: i for i, spec in enumerate(SPECIALTIES)}


@dataclass(frozen=True)
class Unit:
    """Hours of one subject in one class, or in one subgroup (``slot`` 1 or 2) of it."""

    school_class: ClassKey
    subject: str
    hours: int
    slot: int | None = None


@dataclass
class TeacherPlan:
    index: int
    specialties: tuple[str, ...]  # ("primary",) for a primary-school teacher
    units: list[Unit] = field(default_factory=list)
    homerooms: list[ClassKey] = field(default_factory=list)
    no_homeroom: bool = False  # kept free of a class of their own (the ``teacher`` login)

    @property
    def load(self) -> int:
        return sum(u.hours for u in self.units)

    @property
    def is_primary(self) -> bool:
        return self.specialties == ("primary",)

    @property
    def subjects(self) -> list[str]:
        seen: dict[str, None] = {}
        for unit in self.units:
            seen.setdefault(unit.subject, None)
        return list(seen)

    def hours_in(self, school_class: ClassKey) -> int:
        return sum(u.hours for u in self.units if u.school_class == school_class)


def class_units(grade: int, letter: str, students: int) -> list[Unit]:
    units = []
    for line in CURRICULUM[grade]:
        if is_split(grade, students, line.subject):
            units += [Unit((grade, letter), line.subject, line.hours, slot) for slot in (1, 2)]
        else:
            units.append(Unit((grade, letter), line.subject, line.hours))
    return units


def teachers_needed(hours: int, min_teachers: int = 1) -> int:
    """How many teachers share ``hours``: each as close to 22 hours as the 18-27 range
    allows; above 27, a little overload (to 30) beats two half-loaded teachers."""

    def score(n: int) -> tuple[float, float]:
        load = hours / n
        if load > LOAD_MAX:
            off = (load - LOAD_MAX) * (0.8 if load <= LOAD_SOFT_MAX else 3)
        else:
            off = max(0, LOAD_MIN - load)
        return (off, abs(load - LOAD_TARGET))

    candidates = range(max(1, min_teachers), max(min_teachers, math.ceil(hours / LOAD_MIN)) + 2)
    return min(candidates, key=score)


def _is_good(hours: int) -> bool:
    """Whether ``hours`` can be shared into loads of 18-27 hours each."""
    n = teachers_needed(hours)
    return LOAD_MIN <= hours / n <= LOAD_MAX


def merge_specialties(hours: dict[str, int]) -> list[tuple[str, ...]]:
    """Group specialties into teachers' profiles: a specialty whose hours cannot make
    realistic loads joins a partner's group, smallest first, until nothing changes."""
    groups: list[list[str]] = [[spec] for spec in SPECIALTIES if hours.get(spec)]

    def total(group: list[str]) -> int:
        return sum(hours[s] for s in group)

    changed = True
    while changed:
        changed = False
        for group in sorted(groups, key=lambda g: (total(g), SPECIALTY_ORDER[g[0]])):
            if _is_good(total(group)):
                continue
            partner = next(
                (
                    other
                    for spec in group
                    for wanted in PARTNERS[spec]
                    for other in groups
                    if other is not group and wanted in other
                ),
                None,
            )
            if partner is None:
                continue
            partner.extend(group)
            groups.remove(group)
            changed = True
            break
    return [tuple(sorted(g, key=SPECIALTY_ORDER.__getitem__)) for g in groups]


def plan_teaching(classes: list[tuple[int, str, int]]) -> list[TeacherPlan]:
    """The teachers of a school of ``classes`` (grade, letter, students) and what each
    teaches; primary teachers first, then by specialty."""
    teachers: list[TeacherPlan] = []
    subject_units: dict[str, list[Unit]] = defaultdict(list)
    for grade, letter, students in sorted(classes):
        units = class_units(grade, letter, students)
        if grade <= 4:
            own = [u for u in units if u.subject in PRIMARY_SUBJECTS]
            teacher = TeacherPlan(len(teachers), ("primary",), own, [(grade, letter)])
            teachers.append(teacher)
            units = [u for u in units if u.subject not in PRIMARY_SUBJECTS]
        for unit in units:
            subject_units[SPECIALTY_OF[unit.subject]].append(unit)

    hours = {spec: sum(u.hours for u in units) for spec, units in subject_units.items()}
    for group in merge_specialties(hours):
        units = [u for spec in group for u in subject_units[spec]]
        teachers += _share(units, group, first_index=len(teachers))

    class_keys = sorted({(g, letter) for g, letter, _ in classes})
    subject_teacher = choose_subject_teacher(teachers, class_keys)
    if subject_teacher is not None:
        subject_teacher.no_homeroom = True
    _choose_class_teachers(teachers, class_keys)
    return teachers


# The ``teacher`` demo login teaches one of these (mathematics first), in 5А else 6А.
MAIN_SPECIALTIES = ("math", "russian")


def choose_subject_teacher(
    teachers: list[TeacherPlan], classes: list[ClassKey]
) -> TeacherPlan | None:
    """A mathematics (else Russian) teacher who teaches the first class of grade 5 (else of
    grade 6) and at least one more class: most hours in that class first."""
    firsts = [
        min(k for k in classes if k[0] == g) for g in (5, 6) if any(k[0] == g for k in classes)
    ]
    for specialty in MAIN_SPECIALTIES:
        for cls in firsts:
            candidates = [
                t
                for t in teachers
                if not t.is_primary
                and any(
                    u.school_class == cls and SPECIALTY_OF[u.subject] == specialty for u in t.units
                )
                and len({u.school_class for u in t.units}) >= 2
            ]
            if candidates:
                return min(candidates, key=lambda t: (-t.hours_in(cls), t.index))
    return None


def _share(units: list[Unit], group: tuple[str, ...], first_index: int) -> list[TeacherPlan]:
    """Split a specialty group's units among its teachers, longest bundle first to the
    least loaded teacher; a class's units of the group stay with one teacher."""
    bundles: dict[tuple[ClassKey, int | None], list[Unit]] = defaultdict(list)
    for unit in units:
        bundles[(unit.school_class, unit.slot)].append(unit)
    has_split = any(slot is not None for _, slot in bundles)
    total = sum(u.hours for u in units)
    n = teachers_needed(total, min_teachers=2 if has_split else 1)
    teachers = [TeacherPlan(first_index + i, group) for i in range(n)]

    def bundle_order(item: tuple[tuple[ClassKey, int | None], list[Unit]]) -> tuple:
        (cls, slot), bundle = item
        return (-sum(u.hours for u in bundle), cls, slot or 0)

    for (cls, slot), bundle in sorted(bundles.items(), key=bundle_order):
        allowed = [
            t
            for t in teachers
            if slot is None or not any(u.school_class == cls and u.slot for u in t.units)
        ]
        target = min(allowed or teachers, key=lambda t: (t.load, t.index))
        target.units.extend(bundle)
    return teachers


def _choose_class_teachers(teachers: list[TeacherPlan], classes: list[ClassKey]) -> None:
    """Grades 5-11: the teacher with most hours in the class who has no class yet (if
    every teacher has one already, the one with fewest classes takes a second)."""
    subject_teachers = [t for t in teachers if not t.is_primary and not t.no_homeroom] or [
        t for t in teachers if not t.no_homeroom
    ]
    for cls in classes:
        if cls[0] <= 4:
            continue
        free = [t for t in subject_teachers if not t.homerooms]
        teaching = [t for t in free if t.hours_in(cls)]
        pool = teaching or free or subject_teachers
        chosen = min(pool, key=lambda t: (len(t.homerooms), -t.hours_in(cls), t.index))
        chosen.homerooms.append(cls)

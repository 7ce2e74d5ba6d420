"""A weekly timetable for the demo school: pure planning, no database.

Each class gets its weekly hours spread over its days as evenly as its grade's daily maximum
allows (DOMAIN.md: grade 1 - 4 lessons, one day 5; grades 2-4 - 5; 5-6 - 6; 7-11 - 7),
always from the first lesson with no gaps. The lessons are then placed by a greedy
"most constrained first" rule: the block (a subject with its teacher, or a split subject's
subgroups with their two teachers at once) with the fewest free slots left per hour still
to place goes first, into the slot that keeps the subject on different days and the hard
subjects off the first and the last lessons. No teacher is ever in two places at once.
A class that gets stuck is tried again with other random choices, then with a subject
allowed twice a day; a school that gets stuck starts again with the classes in another order.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

ClassKey = tuple[int, str]
Slot = tuple[int, int]  # (weekday 1-6, lesson number from 1)

# Subjects that need a fresh head: better in lessons 2-4 than first or last [SanPiN-like].
HARD_SUBJECTS = frozenset(
    {"rus", "math", "algebra", "analysis", "geometry", "physics", "chemistry", "english"}
)
# Subjects a timetable usually puts later in the day.
LIGHT_SUBJECTS = frozenset({"pe", "music", "art", "labour", "odnknr", "orkse", "project"})
# The heavier days of the week first: Tuesday, Wednesday, Thursday, then Monday, Friday.
HEAVY_DAYS = (2, 3, 4, 1, 5, 6)

SCHOOL_TRIES = 8
# How often a block may push other lessons out before it may take a subject twice a day.
EJECTIONS_BEFORE_DOUBLING = 6


class TimetableError(Exception):
    """The classes' hours do not fit the week, or the teachers cannot be placed."""


@dataclass(frozen=True)
class Block:
    """What one slot of a class holds: a subject with its teachers (two for a subject the
    class learns in two subgroups at once)."""

    subject: str
    hours: int
    teachers: tuple[int, ...]


@dataclass(frozen=True)
class ClassWeek:
    key: ClassKey
    blocks: tuple[Block, ...]

    @property
    def grade(self) -> int:
        return self.key[0]

    @property
    def hours(self) -> int:
        return sum(b.hours for b in self.blocks)


def max_lessons(grade: int) -> int:
    """Lessons a day at most: grade 1 - 4 (one day a week 5), 2-4 - 5, 5-6 - 6, 7-11 - 7."""
    if grade == 1:
        return 4
    if grade <= 4:
        return 5
    if grade <= 6:
        return 6
    return 7


def week_days_for(grade: int, school_week_days: int) -> int:
    """Grade 1 always learns five days a week."""
    return 5 if grade == 1 else school_week_days


def daily_counts(hours: int, days: int, grade: int) -> dict[int, int]:
    """Lessons on each weekday (1..days): as even as possible, the extra ones on the
    heavier days; grade 1 may have one day of five."""
    counts = dict.fromkeys(range(1, days + 1), hours // days)
    order = [d for d in HEAVY_DAYS if d <= days]
    for day in order[: hours % days]:
        counts[day] += 1
    limit = max_lessons(grade)
    over = [d for d, n in counts.items() if n > limit]
    allowed_over = 1 if grade == 1 else 0  # «one day 5»
    if any(counts[d] > limit + allowed_over for d in over) or len(over) > allowed_over:
        raise TimetableError(
            f"{hours} ч в неделю не помещаются в {days} дн. по {limit} уроков ({grade} класс)."
        )
    return counts


def _score(block: Block, slot: Slot, on_day: int, last: int, jitter: float) -> float:
    _, number = slot
    score = on_day * 10.0
    if block.subject in HARD_SUBJECTS and (number == 1 or number >= max(last, 6)):
        score += 1.0
    if block.subject in LIGHT_SUBJECTS and 2 <= number <= 3:
        score += 0.7
    return score + jitter


class _Stuck(Exception):
    pass


class _Solver:
    """Every class at once, the most constrained block first; a block left without a free
    slot first tries to swap with a lesson already placed in its class."""

    def __init__(
        self, weeks: Sequence[ClassWeek], school_week_days: int, rng: random.Random
    ) -> None:
        self.rng = rng
        self.weeks = list(weeks)
        self.blocks: list[tuple[int, Block]] = [
            (c, block) for c, week in enumerate(self.weeks) for block in week.blocks
        ]
        self.counts = [
            daily_counts(w.hours, week_days_for(w.grade, school_week_days), w.grade)
            for w in self.weeks
        ]
        days = [len(counts) for counts in self.counts]
        self.free: list[set[Slot]] = [
            {(d, n) for d, count in counts.items() for n in range(1, count + 1)}
            for counts in self.counts
        ]
        self.placed: list[dict[Slot, int]] = [{} for _ in self.weeks]
        self.busy: dict[tuple[int, int, int], int] = {}
        self.on_day: dict[tuple[int, int], int] = defaultdict(int)
        self.left = {b: block.hours for b, (_, block) in enumerate(self.blocks) if block.hours}
        self.cap = {b: math.ceil(block.hours / days[c]) for b, (c, block) in enumerate(self.blocks)}
        self.jitter = [rng.random() for _ in self.blocks]
        self.ejected: dict[int, int] = defaultdict(int)  # times taken out by another
        self.kicks: dict[int, int] = defaultdict(int)  # times it took others out
        self.by_class: dict[int, list[int]] = defaultdict(list)
        self.by_teacher: dict[int, list[int]] = defaultdict(list)
        for b, (c, block) in enumerate(self.blocks):
            self.by_class[c].append(b)
            for teacher in block.teachers:
                self.by_teacher[teacher].append(b)
        self.options = {b: self._options_for(b) for b in self.left}

    def _teachers_free(self, b: int, slot: Slot, ignore: int | None = None) -> bool:
        return all(self.busy.get((t, *slot), ignore) == ignore for t in self.blocks[b][1].teachers)

    def _options_for(self, b: int) -> set[Slot]:
        c = self.blocks[b][0]
        return {
            slot
            for slot in self.free[c]
            if self.on_day[(b, slot[0])] < self.cap[b] and self._teachers_free(b, slot)
        }

    def _affected(self, b: int) -> set[int]:
        c, block = self.blocks[b]
        found = set(self.by_class[c])
        for teacher in block.teachers:
            found.update(self.by_teacher[teacher])
        return found & self.left.keys()

    def _place(self, b: int, slot: Slot) -> None:
        c, block = self.blocks[b]
        self.free[c].discard(slot)
        self.placed[c][slot] = b
        self.on_day[(b, slot[0])] += 1
        for teacher in block.teachers:
            self.busy[(teacher, *slot)] = b
        self.left[b] -= 1
        if not self.left[b]:
            del self.left[b]
            self.options.pop(b, None)
        for other in self._affected(b):
            self.options[other].discard(slot)
        if b in self.left and self.on_day[(b, slot[0])] >= self.cap[b]:
            self.options[b] = {s for s in self.options[b] if s[0] != slot[0]}

    def _unplace(self, b: int, slot: Slot) -> None:
        c, block = self.blocks[b]
        del self.placed[c][slot]
        self.free[c].add(slot)
        self.on_day[(b, slot[0])] -= 1
        for teacher in block.teachers:
            del self.busy[(teacher, *slot)]
        self.left[b] = self.left.get(b, 0) + 1
        for other in self._affected(b):
            self.options[other] = self._options_for(other)

    def _repair(self, b: int) -> bool:
        """Put ``b`` where another lesson of its class is, and move that one to a free slot."""
        c = self.blocks[b][0]
        slots = sorted(self.placed[c])
        self.rng.shuffle(slots)
        for slot in slots:
            x = self.placed[c][slot]
            if x == b or self.on_day[(b, slot[0])] >= self.cap[b]:
                continue
            if not self._teachers_free(b, slot, ignore=x):
                continue
            for target in sorted(self.free[c]):
                same_day = 1 if target[0] == slot[0] else 0
                if self.on_day[(x, target[0])] - same_day >= self.cap[x]:
                    continue
                if not self._teachers_free(x, target):
                    continue
                self._unplace(x, slot)
                self._place(b, slot)
                self._place(x, target)
                return True
        return False

    def _eject(self, b: int) -> None:
        """Put ``b`` into a slot of its class that its day cap allows, taking out whatever is
        in the way there (the class's lesson in that slot, its teachers' lessons elsewhere):
        those go back to the lessons still to place."""
        c, block = self.blocks[b]
        best: tuple[float, Slot, set[int]] | None = None
        for slot in sorted(set(self.placed[c]) | self.free[c]):
            if self.on_day[(b, slot[0])] >= self.cap[b] or self.placed[c].get(slot) == b:
                continue
            clash = {self.busy[(t, *slot)] for t in block.teachers if (t, *slot) in self.busy}
            if slot in self.placed[c]:
                clash.add(self.placed[c][slot])
            cost = len(clash) + sum(self.ejected[x] for x in clash) * 0.5 + self.rng.random()
            if best is None or cost < best[0]:
                best = (cost, slot, clash)
        if best is None:
            raise _Stuck
        _, slot, clash = best
        for x in clash:
            x_class = self.blocks[x][0]
            x_slot = next(s for s, y in self.placed[x_class].items() if y == x and s == slot)
            self.ejected[x] += 1
            self._unplace(x, x_slot)
        self._place(b, slot)

    def solve(self) -> dict[ClassKey, dict[Slot, Block]]:
        budget = 40 * len(self.blocks)
        while self.left:
            b = min(self.left, key=lambda k: (len(self.options[k]) / self.left[k], self.jitter[k]))
            if not self.options[b]:
                if self._repair(b):
                    continue
                budget -= 1
                if budget < 0:
                    raise _Stuck
                if self.kicks[b] >= EJECTIONS_BEFORE_DOUBLING and self.cap[b] == self.base_cap[b]:
                    self.cap[b] += 1  # the subject twice on one day, rather than no timetable
                    self.options[b] = self._options_for(b)
                    if self.options[b]:
                        continue
                self.kicks[b] += 1
                self._eject(b)
                continue
            c, block = self.blocks[b]
            slot = min(
                sorted(self.options[b]),
                key=lambda s: _score(
                    block,
                    s,
                    self.on_day[(b, s[0])],
                    self.counts[c][s[0]],
                    self.rng.random(),
                ),
            )
            self._place(b, slot)
        return {
            week.key: {slot: self.blocks[b][1] for slot, b in sorted(self.placed[c].items())}
            for c, week in enumerate(self.weeks)
        }


def schedule(
    weeks: Sequence[ClassWeek], school_week_days: int, rng: random.Random
) -> dict[ClassKey, dict[Slot, Block]]:
    """The weekly timetable of every class: slot -> block."""
    for _ in range(SCHOOL_TRIES):
        try:
            return _Solver(weeks, school_week_days, rng).solve()
        except _Stuck:
            continue
    raise TimetableError("Не удалось составить расписание: учителя не успевают во все классы.")

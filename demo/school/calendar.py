"""The school calendar the demo uses: 2025/26 (ministry dates) and 2026/27.

Pure data and arithmetic; the generator turns it into ``AcademicYear``, ``Period``,
``GradeScheme`` and ``Holiday`` rows. Later steps (timetable, lessons) can reuse
``school_days`` to lay lessons on real school days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from school.models import PeriodKind

D = dt.date


@dataclass(frozen=True)
class PeriodSpec:
    kind: str
    number: int
    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class HolidaySpec:
    name: str
    start: dt.date
    end: dt.date
    only_grade: int | None = None

    def applies_to(self, grade: int) -> bool:
        return self.only_grade is None or self.only_grade == grade


@dataclass(frozen=True)
class YearSpec:
    name: str
    start: dt.date
    end: dt.date
    periods: tuple[PeriodSpec, ...]
    holidays: tuple[HolidaySpec, ...]

    def scheme_periods(self, kind: str) -> list[PeriodSpec]:
        return sorted((p for p in self.periods if p.kind == kind), key=lambda p: p.number)


def _year(
    name: str,
    start: dt.date,
    end: dt.date,
    quarters: Sequence[tuple[dt.date, dt.date]],
    holidays: Sequence[HolidaySpec],
    exam: tuple[dt.date, dt.date],
) -> YearSpec:
    periods = [
        PeriodSpec(PeriodKind.QUARTER, i, s, e) for i, (s, e) in enumerate(quarters, start=1)
    ]
    periods += [
        PeriodSpec(PeriodKind.HALF_YEAR, 1, quarters[0][0], quarters[1][1]),
        PeriodSpec(PeriodKind.HALF_YEAR, 2, quarters[2][0], quarters[3][1]),
        PeriodSpec(PeriodKind.YEAR, 1, start, end),
        PeriodSpec(PeriodKind.EXAM, 1, *exam),
        PeriodSpec(PeriodKind.FINAL, 1, *exam),
    ]
    return YearSpec(name, start, end, tuple(periods), tuple(holidays))


PREVIOUS_YEAR = _year(
    "2025/2026",
    D(2025, 9, 1),
    D(2026, 5, 26),
    quarters=[
        (D(2025, 9, 1), D(2025, 10, 24)),
        (D(2025, 11, 3), D(2025, 12, 30)),
        (D(2026, 1, 12), D(2026, 3, 27)),
        (D(2026, 4, 6), D(2026, 5, 26)),
    ],
    holidays=[
        HolidaySpec("Осенние каникулы", D(2025, 10, 25), D(2025, 11, 2)),
        HolidaySpec("Зимние каникулы", D(2025, 12, 31), D(2026, 1, 11)),
        HolidaySpec("Дополнительные каникулы первоклассников", D(2026, 2, 16), D(2026, 2, 22), 1),
        HolidaySpec("Весенние каникулы", D(2026, 3, 28), D(2026, 4, 5)),
        HolidaySpec("Праздник: День защитника Отечества", D(2026, 2, 23), D(2026, 2, 23)),
        HolidaySpec("Праздник: перенос с 8 марта", D(2026, 3, 9), D(2026, 3, 9)),
        HolidaySpec("Праздник Весны и Труда", D(2026, 5, 1), D(2026, 5, 1)),
        HolidaySpec("Праздник: перенос с Дня Победы", D(2026, 5, 11), D(2026, 5, 11)),
    ],
    exam=(D(2026, 5, 20), D(2026, 5, 26)),
)

CURRENT_YEAR = _year(
    "2026/2027",
    D(2026, 9, 1),
    D(2027, 5, 26),
    quarters=[
        (D(2026, 9, 1), D(2026, 10, 23)),
        (D(2026, 11, 5), D(2026, 12, 30)),
        (D(2027, 1, 11), D(2027, 3, 26)),
        (D(2027, 4, 5), D(2027, 5, 26)),
    ],
    holidays=[
        HolidaySpec("Осенние каникулы", D(2026, 10, 24), D(2026, 11, 4)),
        HolidaySpec("Зимние каникулы", D(2026, 12, 31), D(2027, 1, 10)),
        HolidaySpec("Дополнительные каникулы первоклассников", D(2027, 2, 15), D(2027, 2, 21), 1),
        HolidaySpec("Весенние каникулы", D(2027, 3, 27), D(2027, 4, 4)),
        HolidaySpec("Праздник: День защитника Отечества", D(2027, 2, 23), D(2027, 2, 23)),
        HolidaySpec("Праздник: Международный женский день", D(2027, 3, 8), D(2027, 3, 8)),
        HolidaySpec("Праздник: перенос с 1 мая", D(2027, 5, 3), D(2027, 5, 3)),
        HolidaySpec("Праздник: перенос с Дня Победы", D(2027, 5, 10), D(2027, 5, 10)),
    ],
    exam=(D(2027, 5, 20), D(2027, 5, 26)),
)

YEARS: tuple[YearSpec, ...] = (PREVIOUS_YEAR, CURRENT_YEAR)


def weeks_in_year(grade: int) -> int:
    """33 study weeks in grade 1, 34 in grades 2-11."""
    return 33 if grade == 1 else 34


def school_days(
    start: dt.date,
    end: dt.date,
    *,
    grade: int,
    week_days: int,
    holidays: Sequence[HolidaySpec],
) -> Iterator[dt.date]:
    """The study days between two dates: Monday to Friday (or Saturday on a six-day week;
    grade 1 always five days) outside the holidays that apply to ``grade``. Public holidays
    are not modelled yet."""
    days = 5 if grade == 1 else week_days
    applicable = [h for h in holidays if h.applies_to(grade)]
    day = start
    while day <= end:
        if day.weekday() < days and not any(h.start <= day <= h.end for h in applicable):
            yield day
        day += dt.timedelta(days=1)


def split_proportionally(total: int, weights: Sequence[float]) -> list[int]:
    """Split ``total`` into integers proportional to ``weights`` (largest remainder), so the
    parts always add up to ``total``: 8 tests over quarters of 39/40/55/38 days → 2/2/2/2."""
    if total == 0 or not weights:
        return [0] * len(weights)
    whole = sum(weights)
    exact = [total * w / whole for w in weights]
    parts = [int(x) for x in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in by_remainder[: total - sum(parts)]:
        parts[i] += 1
    return parts

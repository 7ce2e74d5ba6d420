"""The journal part of the demo school: settings, bells, the weekly timetable and a year of
dated lessons with topics, tests, marks, attendance, homework, remarks and messages.

The steps run inside ``demo.school.generator.build_school`` after the school's own steps,
each with its own random generator. They write in bulk, without the services, but keep every
rule the services enforce: lessons only on the class's school days
(``journal.services.school_days``), at most the grade's lessons a day, no teacher in two
places at once, at most ``JournalSettings.max_tests_per_day`` tests a class a day, marks 2-5
only in graded classes and subjects, only for students enrolled (and in the group) on the
lesson's date and never beside an absence, homework due at the subject's next lesson and
none in grade 1.

Lessons up to the demo "today" (``DemoOptions.until``, else the school's local today,
clamped into the year) are conducted and filled in; later ones are planned.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from demo.school.context import DemoContext, DemoError, step_rng
from journal.models import (
    ACTIVE_STATUSES,
    DEFAULT_WORK_TYPE_FOR_LESSON,
    TEST_LESSON_TYPES,
    Attendance,
    AttendanceCode,
    Bell,
    Homework,
    JournalSettings,
    Lesson,
    LessonStatus,
    LessonType,
    Mark,
    MarkColumn,
    Message,
    MessageRead,
    Remark,
    RemarkKind,
    TimetableEntry,
    WorkType,
)
from journal.services import ensure_work_types, school_days
from school.models import (
    CurriculumItem,
    CurriculumPeriodPlan,
    Enrolment,
    GroupKind,
    GroupMembership,
    Kinship,
    PeriodKind,
    School,
    SchoolClass,
    Student,
    TeachingAssignment,
    is_in_force,
)

from . import texts
from .timetable import Block, ClassWeek, TimetableError, max_lessons, schedule
from .topics import lesson_topic
from .writer import allocate_ids, copy_rows, require_postgresql

STATE = "journal"
ABILITIES = "journal:abilities"  # the random generator of the students' ability levels

# Shift 1: lessons of 45 minutes from 08:30; breaks of 10 minutes, 20 after lessons 2 and 3.
LESSON_MINUTES = 45
FIRST_BELL = dt.time(8, 30)
BREAKS = (10, 20, 20, 10, 10, 10)
LESSONS_A_DAY = 7

# A plain lesson of a main subject gets 2-4 marks, of a light one 0-2, of the others 1-3.
MAIN_SUBJECTS = frozenset(
    {"rus", "math", "algebra", "analysis", "geometry", "lit", "english", "history"}
    | {"biology", "physics", "litread", "world", "chemistry"}
)
LIGHT_SUBJECTS = frozenset({"music", "art", "pe", "labour", "odnknr", "obzr", "project"})
EASY_BONUS = 0.45  # marks in music, art, PE... run higher
LEVELS = (("strong", 0.25), ("average", 0.5), ("weak", 0.25))
MIN_MARKS = {PeriodKind.QUARTER: 3, PeriodKind.HALF_YEAR: 5}  # for a period mark (DOMAIN.md)
CATCH_UP = 3  # the last lessons of a period mark whoever has too few marks
LEVEL_MEAN = {"strong": 4.6, "average": 4.0, "weak": 3.3}
MARK_SPREAD = 0.7

# Extra works per quarter (a half-year counts twice), beyond the curriculum's planned tests,
# practical and laboratory works: (lesson type, count, first grade).
EXTRA_WORKS: dict[str, tuple[tuple[str, int, int], ...]] = {
    "rus": (
        (LessonType.DICTATION, 2, 2),
        (LessonType.CHECK, 1, 2),
        (LessonType.INDEPENDENT, 1, 3),
    ),
    "math": ((LessonType.INDEPENDENT, 2, 3), (LessonType.CHECK, 1, 2)),
    "algebra": ((LessonType.INDEPENDENT, 2, 7), (LessonType.CHECK, 1, 7)),
    "analysis": ((LessonType.INDEPENDENT, 2, 10),),
    "geometry": ((LessonType.INDEPENDENT, 1, 7),),
    "lit": ((LessonType.ESSAY, 1, 5),),
    "litread": ((LessonType.CHECK, 1, 2),),
    "english": ((LessonType.TESTING, 1, 3),),
    "world": ((LessonType.CHECK, 1, 2),),
    "history": ((LessonType.INDEPENDENT, 1, 5),),
    "biology": ((LessonType.INDEPENDENT, 1, 5),),
    "physics": ((LessonType.INDEPENDENT, 1, 7),),
    "geography": ((LessonType.INDEPENDENT, 1, 6),),
}
DOUBLE_DICTATION_SHARE = 0.4  # dictations marked «5/4»: the dictation and the grammar task
# What teachers write to a student, by the student's level.
REMARK_KINDS: dict[str, tuple[tuple[str, float], ...]] = {
    "strong": ((RemarkKind.PRAISE, 0.75), (RemarkKind.RECOMMENDATION, 0.25)),
    "average": (
        (RemarkKind.PRAISE, 0.35),
        (RemarkKind.RECOMMENDATION, 0.35),
        (RemarkKind.REMARK, 0.3),
    ),
    "weak": ((RemarkKind.RECOMMENDATION, 0.5), (RemarkKind.REMARK, 0.5)),
}

ClassKey = tuple[int, str]
StreamKey = tuple[int, int, int | None]  # (class id, subject id, group id)


@dataclass(slots=True, eq=False)
class DemoLesson:
    """A dated lesson before it is written."""

    class_id: int
    grade: int
    group_id: int | None
    subject: str
    subject_id: int
    teacher_id: int
    date: dt.date
    number: int
    room: str
    entry_id: int | None
    id: int = 0
    substitute_id: int | None = None
    lesson_type: str = LessonType.LESSON
    status: str = LessonStatus.PLANNED
    topic: str = ""
    theme: str = ""
    moved_to: DemoLesson | None = None
    change_reason: str = ""
    double: bool = False

    @property
    def given_by(self) -> int:
        return self.substitute_id or self.teacher_id

    @property
    def active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def conducted(self) -> bool:
        return self.status == LessonStatus.CONDUCTED

    @property
    def stream(self) -> StreamKey:
        return (self.class_id, self.subject_id, self.group_id)


@dataclass
class StudentInfo:
    id: int
    gender: str
    name: str  # «Иванов Пётр»
    level: str = "average"


@dataclass
class JournalDemo:
    """What the journal steps share (``ctx.extra["journal"]``)."""

    until: dt.date
    tz: ZoneInfo
    bells: dict[int, tuple[dt.time, dt.time]]
    work_types: dict[str, int]
    subject_keys: dict[int, str]
    classes: dict[int, SchoolClass]
    rooms: dict[int, str] = field(default_factory=dict)  # teacher id -> room
    subject_teachers: list[int] = field(default_factory=list)
    teacher_subjects: dict[int, set[str]] = field(default_factory=dict)
    days: dict[int, list[dt.date]] = field(default_factory=dict)  # class id -> school days
    lessons: list[DemoLesson] = field(default_factory=list)
    streams: dict[StreamKey, list[DemoLesson]] = field(default_factory=dict)  # active, in order
    students: dict[int, StudentInfo] = field(default_factory=dict)  # journal order
    enrolments: dict[int, list[tuple[int, dt.date, dt.date | None]]] = field(
        default_factory=dict
    )  # class id -> (student id, start, end)
    memberships: dict[int, list[tuple[int, dt.date, dt.date | None]]] = field(
        default_factory=dict
    )  # group id -> (student id, start, end)
    absent: dict[tuple[int, int], str] = field(default_factory=dict)  # (lesson, student)
    conducted_by_day: dict[tuple[int, dt.date], list[DemoLesson]] = field(default_factory=dict)
    entries: list[tuple] = field(default_factory=list)  # timetable rows, id first
    mark_rows: list[list] = field(default_factory=list)
    _rosters: dict[tuple[int, int | None, dt.date], list[int]] = field(default_factory=dict)

    def stamp(self, day: dt.date, number: int, minutes: int = 3) -> dt.datetime:
        """When something written at lesson ``number`` of ``day`` was saved: just after it."""
        end = self.bells[min(max(number, 1), len(self.bells))][1]
        moment = dt.datetime.combine(day, end, tzinfo=self.tz)
        return moment + dt.timedelta(minutes=minutes)

    def roster(self, lesson: DemoLesson) -> list[int]:
        """The lesson's students on its date (enrolled in the class, in the group)."""
        key = (lesson.class_id, lesson.group_id, lesson.date)
        found = self._rosters.get(key)
        if found is None:
            day = lesson.date
            found = [
                s
                for s, start, end in self.enrolments.get(lesson.class_id, ())
                if is_in_force(start, end, day)
            ]
            if lesson.group_id is not None:
                members = {
                    s
                    for s, start, end in self.memberships.get(lesson.group_id, ())
                    if is_in_force(start, end, day)
                }
                found = [s for s in found if s in members]
            self._rosters[key] = found
        return found

    def present(self, lesson: DemoLesson) -> list[int]:
        return [s for s in self.roster(lesson) if (lesson.id, s) not in self.absent]


def _state(ctx: DemoContext) -> JournalDemo | None:
    return ctx.extra.get(STATE)


def _bell_times() -> dict[int, tuple[dt.time, dt.time]]:
    bells = {}
    start = dt.datetime.combine(dt.date(2000, 1, 1), FIRST_BELL)
    for number in range(1, LESSONS_A_DAY + 1):
        end = start + dt.timedelta(minutes=LESSON_MINUTES)
        bells[number] = (start.time(), end.time())
        if number <= len(BREAKS):
            start = end + dt.timedelta(minutes=BREAKS[number - 1])
    return bells


def _poisson(rng: random.Random, mean: float) -> int:
    """A Poisson-distributed count (Knuth), for small means."""
    if mean <= 0:
        return 0
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _weighted(rng: random.Random, table: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([v for v, _ in table], weights=[w for _, w in table], k=1)[0]


# --- Step 1: settings, work types, bells, who is who -------------------------------------


def create_journal_setup(ctx: DemoContext) -> None:
    """Journal settings with the defaults, the default work types and the bells of shift 1."""
    if not ctx.options.journal:
        return
    try:
        require_postgresql()
    except RuntimeError as exc:
        raise DemoError("Демо-журнал записывается командой COPY: нужна PostgreSQL.") from exc
    school = ctx.school
    JournalSettings.objects.create(school=school)
    ctx.counts[JournalSettings._meta.label] += 1
    ensure_work_types(school.pk)
    bells = _bell_times()
    ctx.bulk(
        [
            Bell(school=school, shift=1, number=n, starts_at=start, ends_at=end)
            for n, (start, end) in bells.items()
        ]
    )
    today = ctx.options.until or school.local_today()
    until = min(max(today, ctx.year.start), ctx.year.end)
    state = JournalDemo(
        until=until,
        tz=ZoneInfo(school.timezone),
        bells=bells,
        work_types=dict(WorkType.objects.filter(school=school).values_list("code", "id")),
        subject_keys={s.pk: key for key, s in ctx.subjects.items()},
        classes={c.pk: c for c in ctx.classes.values()},
    )
    ctx.extra[STATE] = state
    _load_students(ctx, state)


def student_levels(school: School, seed: int, school_index: int = 1) -> dict[int, str]:
    """Each student's ability level (strong, average, weak) as the demo drew it: in journal
    order from the step's own generator. Marks and absences follow it."""
    rng = step_rng(seed, school_index, ABILITIES)
    students = Student.objects.filter(school=school).order_by(
        "last_name", "first_name", "middle_name", "birth_date", "pk"
    )
    return {pk: _weighted(rng, LEVELS) for pk in students.values_list("pk", flat=True)}


def _load_students(ctx: DemoContext, state: JournalDemo) -> None:
    """Students in journal order with an ability level each; enrolments and memberships."""
    levels = student_levels(ctx.school, ctx.options.seed, ctx.index)
    names = Student.objects.filter(school=ctx.school).in_bulk(levels.keys())
    for pk, level in levels.items():
        s = names[pk]
        state.students[pk] = StudentInfo(pk, s.gender, f"{s.last_name} {s.first_name}", level)
    order = {sid: i for i, sid in enumerate(state.students)}
    enrolments: dict[int, list[tuple[int, dt.date, dt.date | None]]] = defaultdict(list)
    for sid, class_id, start, end in Enrolment.objects.filter(
        school_class__school=ctx.school
    ).values_list("student_id", "school_class_id", "start", "end"):
        enrolments[class_id].append((sid, start, end))
    memberships: dict[int, list[tuple[int, dt.date, dt.date | None]]] = defaultdict(list)
    for sid, group_id, start, end in GroupMembership.objects.filter(
        group__school_class__school=ctx.school
    ).values_list("student_id", "group_id", "start", "end"):
        memberships[group_id].append((sid, start, end))
    for rows in (*enrolments.values(), *memberships.values()):
        rows.sort(key=lambda r: (order[r[0]], r[1]))
    state.enrolments = dict(enrolments)
    state.memberships = dict(memberships)


# --- Step 2: the weekly timetable ------------------------------------------------------


def _hours(value: Decimal) -> int:
    """Whole lessons a week: 0.5 h rounds up to one lesson, 1.5 to two."""
    if value <= 0:
        return 0
    return max(1, int(value.to_integral_value(rounding=ROUND_HALF_UP)))


def _assign_rooms(
    state: JournalDemo, taught: dict[int, Counter[str]], primary_room: dict[int, str]
) -> None:
    """A room per teacher: a primary teacher's is the class's own room on the ground floor;
    subject teachers' cabinets are on the second and third floors, PE in the gyms."""
    special = {"pe": ("Спортзал", "Малый спортзал"), "labour": ("Мастерская", "Каб. технологии")}
    floor_2 = ("rus", "lit", "math", "algebra", "analysis", "geometry", "probability")
    next_room = {2: 201, 3: 301}
    used: Counter[str] = Counter()
    for teacher_id in sorted(taught, key=lambda t: (-sum(taught[t].values()), t)):
        if teacher_id in primary_room:
            state.rooms[teacher_id] = primary_room[teacher_id]
            continue
        main = taught[teacher_id].most_common(1)[0][0]
        if main in special:
            names = special[main]
            n = used[main]
            used[main] += 1
            state.rooms[teacher_id] = names[n] if n < len(names) else f"{names[0]} {n}"
            continue
        floor = 2 if main in floor_2 else 3
        state.rooms[teacher_id] = str(next_room[floor])
        next_room[floor] += 1


def create_timetable(ctx: DemoContext) -> None:
    """A weekly timetable per class from its curriculum hours and teaching assignments."""
    state = _state(ctx)
    if state is None:
        return
    rng = ctx.rng("journal:timetable")
    hours = {
        (class_id, subject_id): _hours(h)
        for class_id, subject_id, h in CurriculumItem.objects.filter(
            school_class__school=ctx.school
        ).values_list("school_class_id", "subject_id", "hours_per_week")
    }
    assignments = (
        TeachingAssignment.objects.filter(school_class__school=ctx.school)
        .exclude(group__kind=GroupKind.INDIVIDUAL)  # an individual plan has no class lessons
        .order_by("school_class__grade", "school_class__letter", "subject__order", "group__name")
        .values_list("school_class_id", "subject_id", "group_id", "teacher_id")
    )
    parts: dict[tuple[int, int], list[tuple[int | None, int]]] = defaultdict(list)
    taught: dict[int, Counter[str]] = defaultdict(Counter)
    for class_id, subject_id, group_id, teacher_id in assignments:
        parts[(class_id, subject_id)].append((group_id, teacher_id))
        taught[teacher_id][state.subject_keys[subject_id]] += hours.get((class_id, subject_id), 0)

    weeks = []
    block_parts: dict[tuple[ClassKey, str], list[tuple[int | None, int]]] = {}
    primary_room: dict[int, str] = {}
    for number, (key, school_class) in enumerate(sorted(ctx.classes.items())):
        blocks = []
        for (class_id, subject_id), entries in parts.items():
            if class_id != school_class.pk or not hours.get((class_id, subject_id)):
                continue
            subject = state.subject_keys[subject_id]
            blocks.append(
                Block(subject, hours[(class_id, subject_id)], tuple(t for _, t in entries))
            )
            block_parts[(key, subject)] = entries
            if key[0] <= 4 and subject in ("litread", "world"):
                primary_room[entries[0][1]] = str(101 + number)
        weeks.append(ClassWeek(key, tuple(blocks)))
    try:
        plan = schedule(weeks, ctx.school.week_days, rng)
    except TimetableError as exc:
        raise DemoError(str(exc)) from exc
    _assign_rooms(state, taught, primary_room)
    for teacher_id, subjects in taught.items():
        state.teacher_subjects[teacher_id] = set(subjects)
        if teacher_id not in primary_room:
            state.subject_teachers.append(teacher_id)
    state.subject_teachers.sort()

    rows = []
    for key, slots in sorted(plan.items()):
        school_class = ctx.classes[key]
        for (weekday, number), block in sorted(slots.items()):
            for group_id, teacher_id in block_parts[(key, block.subject)]:
                rows.append(
                    [
                        school_class.pk,
                        group_id,
                        ctx.subjects[block.subject].pk,
                        teacher_id,
                        weekday,
                        number,
                        state.rooms[teacher_id],
                    ]
                )
    ids = allocate_ids(TimetableEntry, len(rows))
    created = dt.datetime.combine(ctx.year.start - dt.timedelta(days=10), dt.time(10), state.tz)
    copy_rows(
        TimetableEntry,
        [
            "id",
            "created_at",
            "updated_at",
            "school_class",
            "group",
            "subject",
            "teacher",
            "weekday",
            "number",
            "room",
            "valid_from",
            "valid_to",
        ],
        (
            [pk, created, created, *row, ctx.year.start, ctx.year.end]
            for pk, row in zip(ids, rows, strict=True)
        ),
        ctx.counts,
    )
    state.entries = [(pk, *row) for pk, row in zip(ids, rows, strict=True)]


# --- Step 3: dated lessons, tests, changes, topics ----------------------------------------


def create_lessons(ctx: DemoContext) -> None:
    """The year's dated lessons from the timetable: the planned tests and works spread over
    each period, a few substitutions, moved lessons and a cancelled one around "today";
    conducted lessons get their topics."""
    state = _state(ctx)
    if state is None:
        return
    by_class: dict[int, dict[int, list[tuple]]] = defaultdict(lambda: defaultdict(list))
    for entry in state.entries:
        by_class[entry[1]][entry[5]].append(entry)
    grade_days: dict[int, list[dt.date]] = {}
    for class_id, school_class in sorted(state.classes.items(), key=lambda kv: kv[1].name):
        grade = school_class.grade
        if grade not in grade_days:
            grade_days[grade] = school_days(school_class, ctx.year.start, ctx.year.end)
        state.days[class_id] = grade_days[grade]
        weekly = by_class[class_id]
        for day in state.days[class_id]:
            for pk, _, group_id, subject_id, teacher_id, _, number, room in sorted(
                weekly.get(day.isoweekday(), ()), key=lambda e: (e[6], e[2] or 0)
            ):
                state.lessons.append(
                    DemoLesson(
                        class_id=class_id,
                        grade=grade,
                        group_id=group_id,
                        subject=state.subject_keys[subject_id],
                        subject_id=subject_id,
                        teacher_id=teacher_id,
                        date=day,
                        number=number,
                        room=room,
                        entry_id=pk,
                    )
                )
    _rebuild_streams(state)
    _place_works(ctx, state, ctx.rng("journal:works"))
    _change_schedule(ctx, state, ctx.rng("journal:changes"))
    for lesson in state.lessons:
        if lesson.active and lesson.date <= state.until:
            lesson.status = LessonStatus.CONDUCTED
    _rebuild_streams(state)
    _set_topics(state)
    _write_lessons(ctx, state)
    for lesson in state.lessons:
        if lesson.conducted:
            state.conducted_by_day.setdefault((lesson.class_id, lesson.date), []).append(lesson)


def _rebuild_streams(state: JournalDemo) -> None:
    streams: dict[StreamKey, list[DemoLesson]] = defaultdict(list)
    for lesson in state.lessons:
        if lesson.active:
            streams[lesson.stream].append(lesson)
    for lessons in streams.values():
        lessons.sort(key=lambda x: (x.date, x.number))
    state.streams = dict(sorted(streams.items(), key=lambda kv: _stream_order(state, kv[0])))


def _stream_order(state: JournalDemo, key: StreamKey) -> tuple:
    class_id, subject_id, group_id = key
    school_class = state.classes[class_id]
    return (school_class.grade, school_class.letter, subject_id, group_id or 0)


def _place(
    lessons: list[DemoLesson],
    count: int,
    lesson_type: str,
    test_days: set[tuple[int, dt.date]],
    bias: float,
) -> list[DemoLesson]:
    """Turn ``count`` plain lessons of a stream's period into ``lesson_type``, evenly spread
    (each near the end of its share of the period); a test never lands on a day when the
    class already has one."""
    placed: list[DemoLesson] = []
    n = len(lessons)
    if not n or not count:
        return placed
    is_test = lesson_type in TEST_LESSON_TYPES
    for i in range(count):
        target = min(n - 1, int((i + bias) * n / count))
        for step in range(n):
            chosen = None
            for j in (target - step, target + step) if step else (target,):
                if not 0 <= j < n:
                    continue
                lesson = lessons[j]
                if lesson.lesson_type != LessonType.LESSON:
                    continue
                if is_test and (lesson.class_id, lesson.date) in test_days:
                    continue
                chosen = lesson
                break
            if chosen is not None:
                chosen.lesson_type = lesson_type
                if is_test:
                    test_days.add((chosen.class_id, chosen.date))
                placed.append(chosen)
                break
    return placed


def _place_works(ctx: DemoContext, state: JournalDemo, rng: random.Random) -> None:
    """The curriculum's tests, practical and laboratory works per period, then the teachers'
    own shorter works (dictations, самостоятельные, проверочные, essays)."""
    plans: dict[tuple[int, int], list[tuple[dt.date, dt.date, int, int, int]]] = defaultdict(list)
    for row in (
        CurriculumPeriodPlan.objects.filter(item__school_class__school=ctx.school)
        .order_by("period__start")
        .values_list(
            "item__school_class_id",
            "item__subject_id",
            "period__start",
            "period__end",
            "tests",
            "practical_works",
            "lab_works",
        )
    ):
        plans[(row[0], row[1])].append(row[2:])
    test_days: set[tuple[int, dt.date]] = set()

    def in_period(lessons: list[DemoLesson], start: dt.date, end: dt.date) -> list[DemoLesson]:
        return [x for x in lessons if start <= x.date <= end]

    for (class_id, subject_id, _), lessons in state.streams.items():
        for start, end, tests, practical, lab in plans.get((class_id, subject_id), ()):
            part = in_period(lessons, start, end)
            _place(part, tests, LessonType.TEST, test_days, 0.8)
            _place(part, practical, LessonType.PRACTICAL, test_days, 0.5)
            _place(part, lab, LessonType.LAB, test_days, 0.35)
    for (class_id, _, _), lessons in state.streams.items():
        school_class = state.classes[class_id]
        if school_class.grade == 1:
            continue  # no tests in the first grade
        kind = PeriodKind.QUARTER if school_class.grade <= 9 else PeriodKind.HALF_YEAR
        subject = lessons[0].subject
        periods = ctx.year_spec.scheme_periods(kind)
        for start, end in ((p.start, p.end) for p in periods):
            part = in_period(lessons, start, end)
            for lesson_type, per_quarter, first_grade in EXTRA_WORKS.get(subject, ()):
                if school_class.grade < first_grade:
                    continue
                if lesson_type == LessonType.DICTATION and school_class.grade >= 10:
                    continue
                count = per_quarter * (2 if kind == PeriodKind.HALF_YEAR else 1)
                bias = rng.uniform(0.3, 0.6)
                for lesson in _place(part, count, lesson_type, test_days, bias):
                    if lesson_type == LessonType.DICTATION:
                        lesson.double = rng.random() < DOUBLE_DICTATION_SHARE


def _window(state: JournalDemo, days: list[dt.date], before: int, after: int) -> list[dt.date]:
    first = state.until - dt.timedelta(days=before)
    last = state.until + dt.timedelta(days=after)
    return [d for d in days if first <= d <= last]


def _change_schedule(ctx: DemoContext, state: JournalDemo, rng: random.Random) -> None:
    """Substitutions, moved lessons and one cancelled lesson in the weeks around "today"."""
    busy = {(x.given_by, x.date, x.number) for x in state.lessons if x.active}
    by_day: dict[tuple[int, dt.date], list[DemoLesson]] = defaultdict(list)
    by_teacher_day: dict[tuple[int, dt.date], list[DemoLesson]] = defaultdict(list)
    for lesson in state.lessons:
        by_day[(lesson.class_id, lesson.date)].append(lesson)
        by_teacher_day[(lesson.teacher_id, lesson.date)].append(lesson)
    school_days_all = sorted({d for days in state.days.values() for d in days})
    past = _window(state, school_days_all, 20, 0)
    coming = [d for d in _window(state, school_days_all, 0, 7) if d > state.until]
    classes = len(state.classes)

    # Substitutions: a teacher is away for a day; each lesson gets a free colleague, one
    # who teaches the same subject if possible.
    days = [rng.choice(past) for _ in range(max(2, classes // 8)) if past]
    days += [rng.choice(coming)] if coming else []
    for day in days:
        away = [t for t in state.subject_teachers if len(by_teacher_day.get((t, day), ())) >= 2]
        if not away:
            continue
        teacher = rng.choice(away)
        reason = rng.choice(texts.SUBSTITUTION_REASONS)
        for lesson in sorted(by_teacher_day[(teacher, day)], key=lambda x: x.number):
            if not lesson.active or lesson.substitute_id:
                continue
            free = [
                t
                for t in state.subject_teachers
                if t != teacher and (t, day, lesson.number) not in busy
            ]
            same = [t for t in free if lesson.subject in state.teacher_subjects.get(t, ())]
            if not (same or free):
                continue
            substitute = rng.choice(same or free)
            lesson.substitute_id = substitute
            lesson.change_reason = reason
            busy.add((substitute, day, lesson.number))

    def plain(lesson: DemoLesson) -> bool:
        return (
            lesson.active
            and lesson.lesson_type == LessonType.LESSON
            and lesson.group_id is None
            and lesson.substitute_id is None
            and lesson.entry_id is not None  # not a lesson moved in already
            and lesson.grade >= 2
        )

    # Moved lessons: to another school day of the class, after its last lesson there.
    def move(lesson: DemoLesson, reason: str) -> bool:
        days = state.days[lesson.class_id]
        later = [d for d in days if lesson.date < d <= lesson.date + dt.timedelta(days=7)]
        earlier = [d for d in days if lesson.date - dt.timedelta(days=7) <= d < lesson.date]
        for day in later + earlier[::-1]:
            numbers = [x.number for x in by_day[(lesson.class_id, day)] if x.active]
            number = max(numbers, default=0) + 1
            if len(set(numbers)) >= max_lessons(lesson.grade) or number > max_lessons(lesson.grade):
                continue
            if (lesson.teacher_id, day, number) in busy:
                continue
            new = DemoLesson(
                class_id=lesson.class_id,
                grade=lesson.grade,
                group_id=None,
                subject=lesson.subject,
                subject_id=lesson.subject_id,
                teacher_id=lesson.teacher_id,
                date=day,
                number=number,
                room=lesson.room,
                entry_id=None,
                change_reason=reason,
            )
            lesson.status = LessonStatus.MOVED
            lesson.moved_to = new
            lesson.change_reason = reason
            busy.discard((lesson.teacher_id, lesson.date, lesson.number))
            busy.add((lesson.teacher_id, day, number))
            by_day[(lesson.class_id, day)].append(new)
            state.lessons.append(new)
            return True
        return False

    for window, count in ((past, max(2, classes // 10)), (coming, 1)):
        candidates = [x for d in window for c in state.classes for x in by_day[(c, d)]]
        candidates = [x for x in candidates if plain(x)]
        moved = 0
        for _ in range(count * 5):
            if moved >= count or not candidates:
                break
            lesson = rng.choice(candidates)
            candidates.remove(lesson)
            moved += move(lesson, rng.choice(texts.MOVE_REASONS))

    # One cancelled lesson, in the past weeks.
    candidates = [x for d in past for c in state.classes for x in by_day[(c, d)] if plain(x)]
    if candidates:
        lesson = rng.choice(candidates)
        lesson.status = LessonStatus.CANCELLED
        lesson.change_reason = texts.CANCEL_REASON


def _set_topics(state: JournalDemo) -> None:
    """Conducted lessons get the topic of their place in the stream's thematic plan; a
    test or a work is titled after the theme it checks."""
    for lessons in state.streams.values():
        total = len(lessons)
        numbers: Counter[str] = Counter()
        for index, lesson in enumerate(lessons):
            topic, theme = lesson_topic(lesson.subject, lesson.grade, index, total)
            lesson.theme = theme
            if lesson.lesson_type != LessonType.LESSON:
                numbers[lesson.lesson_type] += 1
                topic = texts.work_title(
                    lesson.lesson_type, theme, numbers[lesson.lesson_type], lesson.double
                )
            if lesson.conducted:
                lesson.topic = topic


def _write_lessons(ctx: DemoContext, state: JournalDemo) -> None:
    state.lessons.sort(key=lambda x: (x.date, x.number, x.class_id, x.group_id or 0, x.status))
    for lesson, pk in zip(state.lessons, allocate_ids(Lesson, len(state.lessons)), strict=True):
        lesson.id = pk
    created = dt.datetime.combine(ctx.year.start - dt.timedelta(days=7), dt.time(10), state.tz)
    school_id = ctx.school.pk
    copy_rows(
        Lesson,
        [
            "id",
            "created_at",
            "updated_at",
            "school",
            "school_class",
            "group",
            "subject",
            "teacher",
            "substitute",
            "date",
            "number",
            "room",
            "topic",
            "lesson_type",
            "status",
            "is_extra",
            "timetable_entry",
            "moved_to",
            "change_reason",
            "version",
        ],
        (
            [
                x.id,
                created,
                state.stamp(x.date, x.number) if x.conducted else created,
                school_id,
                x.class_id,
                x.group_id,
                x.subject_id,
                x.teacher_id,
                x.substitute_id,
                x.date,
                x.number,
                x.room,
                x.topic,
                x.lesson_type,
                x.status,
                False,
                x.entry_id,
                x.moved_to.id if x.moved_to else None,
                x.change_reason,
                1,
            ]
            for x in state.lessons
        ),
        ctx.counts,
    )


# --- Step 4: attendance -----------------------------------------------------------------


def create_attendance(ctx: DemoContext) -> None:
    """A few absences per student (illness for days, a valid reason, some «н»), some late
    arrivals, and a long illness of a week or two for a handful of students. A missed day
    is every lesson of that day."""
    state = _state(ctx)
    if state is None:
        return
    writer = _AttendanceWriter(ctx.school.pk, state)
    rng = ctx.rng("journal:attendance")
    by_student: dict[int, list[tuple[int, dt.date, dt.date | None]]] = defaultdict(list)
    for class_id, rows in state.enrolments.items():
        for sid, start, end in rows:
            by_student[sid].append((class_id, start, end))
    conducted_days = {
        c: [d for d in days if (c, d) in state.conducted_by_day] for c, days in state.days.items()
    }
    full_year = max((len(days) for days in state.days.values()), default=1)
    students = list(state.students.values())
    long_ill = set(
        rng.sample([s.id for s in students], k=min(len(students), max(2, len(students) // 90)))
    )
    for student in students:
        days = [
            (d, class_id)
            for class_id, start, end in sorted(by_student[student.id], key=lambda r: r[1])
            for d in conducted_days.get(class_id, ())
            if is_in_force(start, end, d)
        ]
        if not days:
            continue
        share = len(days) / full_year
        day_lessons = _DayLessons(state, student.id, days)
        if student.id in long_ill:
            first = rng.randrange(len(days))
            for lesson in day_lessons.span(first, rng.randint(5, 10)):
                writer.add(lesson, student.id, AttendanceCode.ILL, "Справка от врача")
        for _ in range(_poisson(rng, 1.6 * share)):
            first, length = rng.randrange(len(days)), rng.choice((1, 2, 3, 3, 4, 5))
            reason = rng.choice(texts.ILL_REASONS)
            for lesson in day_lessons.span(first, length):
                writer.add(lesson, student.id, AttendanceCode.ILL, reason)
        for _ in range(_poisson(rng, 0.8 * share)):
            first = rng.randrange(len(days))
            if rng.random() < 0.5:
                reason = rng.choice(texts.EXCUSED_DAY_REASONS)
                lessons = day_lessons.span(first, 1)
            else:
                reason = rng.choice(texts.EXCUSED_PART_REASONS)
                lessons = day_lessons.span(first, 1)[: rng.randint(1, 2)]
            for lesson in lessons:
                writer.add(lesson, student.id, AttendanceCode.EXCUSED, reason)
        rate = {"strong": 0.5, "average": 2.0, "weak": 5.0}[student.level]
        for _ in range(_poisson(rng, rate * share)):
            lessons = day_lessons.span(rng.randrange(len(days)), 1)
            if lessons:  # skipping one of the last lessons
                lesson = lessons[-rng.randint(1, min(3, len(lessons)))]
                writer.add(lesson, student.id, AttendanceCode.ABSENT)
        rate = {"strong": 1.0, "average": 3.0, "weak": 6.0}[student.level]
        for _ in range(_poisson(rng, rate * share)):
            lessons = day_lessons.span(rng.randrange(len(days)), 1)
            if lessons:
                writer.add(lessons[0], student.id, AttendanceCode.LATE)
    copy_rows(
        Attendance,
        [
            "school",
            "lesson",
            "student",
            "code",
            "reason",
            "created_by",
            "updated_by",
            "version",
            "created_at",
            "updated_at",
        ],
        writer.rows,
        ctx.counts,
    )


class _DayLessons:
    """A student's conducted lessons day by day (only their group's group lessons)."""

    def __init__(
        self, state: JournalDemo, student_id: int, days: list[tuple[dt.date, int]]
    ) -> None:
        self.state, self.student_id, self.days = state, student_id, days
        self.cache: dict[int, list[DemoLesson]] = {}

    def on(self, i: int) -> list[DemoLesson]:
        if i not in self.cache:
            day, class_id = self.days[i]
            self.cache[i] = [
                x
                for x in sorted(
                    self.state.conducted_by_day[(class_id, day)], key=lambda x: x.number
                )
                if self.student_id in self.state.roster(x)
            ]
        return self.cache[i]

    def span(self, first: int, length: int) -> list[DemoLesson]:
        """Every lesson of ``length`` school days from day ``first``."""
        return [x for i in range(first, min(first + length, len(self.days))) for x in self.on(i)]


class _AttendanceWriter:
    """Attendance rows, one per student and lesson at most; the first code given wins."""

    def __init__(self, school_id: int, state: JournalDemo) -> None:
        self.school_id, self.state = school_id, state
        self.rows: list[list] = []
        self.seen: set[tuple[int, int]] = set()

    def add(self, lesson: DemoLesson, student_id: int, code: str, reason: str = "") -> None:
        key = (lesson.id, student_id)
        if key in self.seen:
            return
        self.seen.add(key)
        if code != AttendanceCode.LATE:
            self.state.absent[key] = code
        stamp = self.state.stamp(lesson.date, lesson.number, 1)
        self.rows.append(
            [
                self.school_id,
                lesson.id,
                student_id,
                code,
                reason,
                lesson.given_by,
                lesson.given_by,
                1,
                stamp,
                stamp,
            ]
        )


# --- Step 5: marks ----------------------------------------------------------------------


def _marks_wanted(subject: str, rng: random.Random) -> int:
    if subject in MAIN_SUBJECTS:
        return rng.randint(2, 4)
    if subject in LIGHT_SUBJECTS:
        return rng.choice((0, 1, 1, 2))
    return rng.randint(1, 3)


def _pick(rng: random.Random, students: list[int], weights: list[float], k: int) -> list[int]:
    """``k`` students without repetition, more likely those not asked for a while."""
    keyed = sorted(
        ((rng.random() ** (1.0 / w), s) for s, w in zip(students, weights, strict=True)),
        reverse=True,
    )
    return [s for _, s in keyed[:k]]


def _periods(ctx: DemoContext, grade: int) -> list[tuple[dt.date, dt.date, str]]:
    """The assessment periods of a grade: quarters in 1-9, half-years in 10-11."""
    kind = PeriodKind.QUARTER if grade <= 9 else PeriodKind.HALF_YEAR
    return [(p.start, p.end, kind) for p in ctx.year_spec.scheme_periods(kind)]


def create_marks(ctx: DemoContext) -> None:
    """Marks for conducted lessons of graded classes and subjects: 2-4 answers a lesson in the
    main subjects, fewer in music, art and PE, everyone present at a test or a work; a few
    dictations in two columns («5/4»). At the last three lessons of a period the teacher marks
    whoever has fewer marks than a period mark needs (3 a quarter, 5 a half-year)."""
    state = _state(ctx)
    if state is None:
        return
    rng = ctx.rng("journal:marks")
    graded_subjects = {s.pk for s in ctx.subjects.values() if s.is_graded}
    offsets: dict[tuple[int, str], float] = {}
    columns: list[list] = []
    marks: list[list] = []
    school_id = ctx.school.pk
    dictation = state.work_types["dictation"]

    def value(student: int, subject: str, test: bool) -> int:
        key = (student, subject)
        if key not in offsets:
            offsets[key] = rng.gauss(0, 0.25)
        mean = LEVEL_MEAN[state.students[student].level] + offsets[key]
        mean += EASY_BONUS if subject in LIGHT_SUBJECTS else 0
        mean -= 0.2 if test else 0
        return min(5, max(2, round(rng.gauss(mean, MARK_SPREAD))))

    for (class_id, subject_id, _), lessons in state.streams.items():
        school_class = state.classes[class_id]
        if not school_class.is_graded or subject_id not in graded_subjects:
            continue
        periods = _periods(ctx, school_class.grade)
        need = MIN_MARKS[periods[0][2]]
        period_of = [
            next(i for i, p in enumerate(periods) if p[0] <= x.date <= p[1]) for x in lessons
        ]
        closing = {  # the last lessons of each period: the teacher catches up
            i
            for i in range(len(lessons))
            if i + CATCH_UP >= len(lessons) or period_of[i + CATCH_UP] != period_of[i]
        }
        last: dict[int, int] = {}
        in_period: Counter[tuple[int, int]] = Counter()  # (period, student) -> marks
        for index, lesson in enumerate(lessons):
            if not lesson.conducted:
                break
            present = state.present(lesson)
            if not present:
                continue
            if lesson.lesson_type != LessonType.LESSON:
                chosen = present
            else:
                k = min(len(present), _marks_wanted(lesson.subject, rng))
                weights = [float(index - last.get(s, -8) + 1) ** 2 for s in present]
                chosen = _pick(rng, present, weights, k) if k else []
                if index in closing:
                    period = period_of[index]
                    chosen += [
                        s for s in present if s not in chosen and in_period[(period, s)] < need
                    ]
            if not chosen:
                continue
            for student in chosen:
                in_period[(period_of[index], student)] += 1
            positions = [(1, state.work_types[DEFAULT_WORK_TYPE_FOR_LESSON[lesson.lesson_type]])]
            titles = [""]
            if lesson.double:
                positions.append((2, dictation))
                titles = ["Диктант", "Грамматическое задание"]
            stamp = state.stamp(lesson.date, lesson.number, 5)
            is_test = lesson.lesson_type != LessonType.LESSON
            for (position, work_type), title in zip(positions, titles, strict=True):
                columns.append([lesson.id, position, work_type, None, title])
                column_index = len(columns) - 1
                for student in chosen:
                    marks.append(
                        [
                            school_id,
                            lesson.id,
                            column_index,
                            student,
                            value(student, lesson.subject, is_test),
                            "",
                            lesson.given_by,
                            lesson.given_by,
                            1,
                            stamp,
                            stamp,
                        ]
                    )
            for student in chosen:
                last[student] = index
    ids = allocate_ids(MarkColumn, len(columns))
    copy_rows(
        MarkColumn,
        ["id", "lesson", "position", "work_type", "weight", "title"],
        ([pk, *row] for pk, row in zip(ids, columns, strict=True)),
        ctx.counts,
    )
    for row in marks:
        row[2] = ids[row[2]]
    copy_rows(
        Mark,
        [
            "school",
            "lesson",
            "column",
            "student",
            "value",
            "comment",
            "created_by",
            "updated_by",
            "version",
            "created_at",
            "updated_at",
        ],
        marks,
        ctx.counts,
    )
    state.mark_rows = marks


# --- Step 6: homework -------------------------------------------------------------------


def create_homework(ctx: DemoContext) -> None:
    """Homework for most conducted lessons of grades 2-11, due at the subject's next lesson;
    a couple of individual assignments."""
    state = _state(ctx)
    if state is None:
        return
    rng = ctx.rng("journal:homework")
    year_days = (ctx.year.end - ctx.year.start).days or 1
    rows: list[list] = []
    school_id = ctx.school.pk

    def add(lesson: DemoLesson, due: DemoLesson, text: str, student: int | None) -> None:
        stamp = state.stamp(lesson.date, lesson.number, 4)
        rows.append(
            [
                school_id,
                lesson.id,
                due.id,
                due.date,
                text,
                student,
                lesson.given_by,
                1,
                stamp,
                stamp,
            ]
        )

    recent: list[tuple[DemoLesson, DemoLesson]] = []
    for lessons in state.streams.values():
        if lessons[0].grade == 1:
            continue  # no homework in the first grade
        subject = lessons[0].subject
        share = texts.HOMEWORK_SHARE.get(subject, 0.85)
        for lesson, due in itertools.pairwise(lessons):
            if not lesson.conducted:
                break
            chance = share * (0.5 if lesson.lesson_type in TEST_LESSON_TYPES else 1)
            if rng.random() >= chance:
                continue
            progress = (lesson.date - ctx.year.start).days / year_days
            add(lesson, due, texts.homework_text(subject, progress, rng), None)
            if (
                subject in MAIN_SUBJECTS
                and lesson.group_id is None
                and state.until - dt.timedelta(days=14) <= lesson.date
            ):
                recent.append((lesson, due))
    wanted = max(2, len(state.classes) // 4)
    rng.shuffle(recent)
    given: set[int] = set()
    for lesson, due in recent:
        if len(given) >= wanted:
            break
        weak = [
            s
            for s in state.present(lesson)
            if state.students[s].level != "average" and s not in given
        ]
        if not weak:
            continue
        student = rng.choice(weak)
        template = rng.choice(texts.INDIVIDUAL_HOMEWORK)
        add(lesson, due, template.format(n=rng.randint(1, 30), theme=lesson.theme), student)
        given.add(student)
    copy_rows(
        Homework,
        [
            "school",
            "lesson",
            "due_lesson",
            "due_date",
            "text",
            "student",
            "created_by",
            "version",
            "created_at",
            "updated_at",
        ],
        rows,
        ctx.counts,
    )


# --- Step 7: remarks and messages -------------------------------------------------------


def create_remarks_and_messages(ctx: DemoContext) -> None:
    """Recommendations, remarks and praise to some students at their lessons; messages from
    class teachers to their classes' parents and from teachers to a few families."""
    state = _state(ctx)
    if state is None:
        return
    rng = ctx.rng("journal:remarks")
    school_id = ctx.school.pk
    by_class: dict[int, list[DemoLesson]] = defaultdict(list)
    for lesson in state.lessons:
        if lesson.conducted and lesson.group_id is None:
            by_class[lesson.class_id].append(lesson)
    classes_of: dict[int, list[int]] = defaultdict(list)
    for class_id, rows in state.enrolments.items():
        for sid, _, _ in rows:
            classes_of[sid].append(class_id)
    remarks: list[list] = []
    for student in rng.sample(list(state.students.values()), k=len(state.students) // 8):
        options = [x for c in sorted(classes_of[student.id]) for x in by_class[c]]
        lesson = None
        for _ in range(10 if options else 0):
            candidate = rng.choice(options)
            if student.id in state.present(candidate):
                lesson = candidate
                break
        if lesson is not None:
            kind = _weighted(rng, REMARK_KINDS[student.level])
            masculine, feminine = rng.choice(texts.REMARKS[kind])
            text = (feminine if student.gender == "f" else masculine).format(theme=lesson.theme)
            stamp = state.stamp(lesson.date, lesson.number, 7)
            remarks.append(
                [
                    school_id,
                    student.id,
                    lesson.given_by,
                    lesson.id,
                    lesson.subject_id,
                    kind,
                    text,
                    lesson.date,
                    stamp,
                    stamp,
                ]
            )
    copy_rows(
        Remark,
        [
            "school",
            "student",
            "author",
            "lesson",
            "subject",
            "kind",
            "text",
            "date",
            "created_at",
            "updated_at",
        ],
        remarks,
        ctx.counts,
    )
    _create_messages(ctx, state, rng, by_class, classes_of)


def _create_messages(
    ctx: DemoContext,
    state: JournalDemo,
    rng: random.Random,
    by_class: dict[int, list[DemoLesson]],
    classes_of: dict[int, list[int]],
) -> None:
    guardians: dict[int, list[int]] = defaultdict(list)
    for student_id, user_id in (
        Kinship.objects.filter(student__school=ctx.school, guardian__user__isnull=False)
        .order_by("student_id", "guardian_id")
        .values_list("student_id", "guardian__user_id")
    ):
        guardians[student_id].append(user_id)
    past = [d for d in sorted({d for ds in state.days.values() for d in ds}) if d <= state.until]
    if not past:
        return
    recent = past[-25:]
    messages: list[list] = []  # sender, student, class, subject, text, sent at
    readers: list[list[int]] = []

    def sent_at() -> dt.datetime:
        day = rng.choice(recent)
        return dt.datetime.combine(day, dt.time(15, rng.randint(0, 59)), state.tz)

    for number, (class_id, school_class) in enumerate(
        sorted(state.classes.items(), key=lambda kv: (kv[1].grade, kv[1].letter))
    ):
        if school_class.class_teacher_id is None:
            continue
        title, template = texts.CLASS_MESSAGES[number % len(texts.CLASS_MESSAGES)]
        moment = sent_at()
        when = (moment + dt.timedelta(days=rng.randint(3, 9))).strftime("%d.%m.%Y")
        room = state.rooms.get(school_class.class_teacher_id, "101")
        messages.append(
            [
                school_class.class_teacher_id,
                None,
                class_id,
                title,
                template.format(date=when, room=room),
                moment,
            ]
        )
        students = {s for s, _, end in state.enrolments.get(class_id, ()) if end is None}
        readers.append([u for s in sorted(students) for u in guardians[s] if rng.random() < 0.6])

    # To a few families: low marks (from the subject's teacher), many «н» (from the class
    # teacher), praise (from a teacher of the student).
    wanted = max(2, len(state.classes) // 6)
    lesson_by_id = {x.id: x for x in state.lessons}
    twos = Counter((row[3], row[1]) for row in state.mark_rows if row[4] == 2)
    by_twos = sorted(twos.items(), key=lambda kv: (-kv[1], kv[0]))[: wanted * 3]
    rng.shuffle(by_twos)
    chosen: list[tuple[tuple[str, str, str], int, DemoLesson, int]] = []
    for (student_id, lesson_id), _ in by_twos:
        if len(chosen) < wanted and all(student_id != c[1] for c in chosen):
            lesson = lesson_by_id[lesson_id]
            chosen.append((texts.LOW_MARKS_MESSAGE, student_id, lesson, lesson.given_by))
    truants = Counter(s for (_, s), code in state.absent.items() if code == AttendanceCode.ABSENT)
    for student_id, count in truants.most_common(wanted):
        if count < 2:
            break
        lesson = next(
            lesson_by_id[lesson_id]
            for (lesson_id, s), code in state.absent.items()
            if s == student_id and code == AttendanceCode.ABSENT
        )
        teacher = state.classes[lesson.class_id].class_teacher_id or lesson.given_by
        chosen.append((texts.ABSENCE_MESSAGE, student_id, lesson, teacher))
    strong = [s for s in state.students.values() if s.level == "strong"]
    for student in rng.sample(strong, k=min(len(strong), wanted)):
        lessons = [x for c in sorted(classes_of[student.id]) for x in by_class[c][-40:]]
        lessons = [x for x in lessons if student.id in state.present(x)]
        if lessons:
            lesson = rng.choice(lessons)
            chosen.append((texts.PRAISE_MESSAGE, student.id, lesson, lesson.given_by))
    for (title, masculine, feminine), student_id, lesson, sender in chosen:
        student = state.students[student_id]
        template = feminine if student.gender == "f" else masculine
        text = template.format(name=student.name, subject=ctx.subjects[lesson.subject].name)
        sent = max(sent_at(), state.stamp(lesson.date, lesson.number, 30))
        messages.append([sender, student_id, None, title, text, sent])
        readers.append([u for u in guardians[student_id] if rng.random() < 0.8])

    ids = allocate_ids(Message, len(messages))
    copy_rows(
        Message,
        [
            "id",
            "created_at",
            "updated_at",
            "school",
            "sender",
            "student",
            "school_class",
            "subject",
            "text",
        ],
        (
            [pk, at, at, ctx.school.pk, sender, student, cls, title, text]
            for pk, (sender, student, cls, title, text, at) in zip(ids, messages, strict=True)
        ),
        ctx.counts,
    )
    copy_rows(
        MessageRead,
        ["message", "user", "read_at"],
        (
            [pk, user, read_at]
            for pk, message, users in zip(ids, messages, readers, strict=True)
            for user in dict.fromkeys(users)
            # read within a day or so; not after the demo's "today"
            if (read_at := message[5] + dt.timedelta(hours=rng.randint(1, 30))).date()
            <= state.until
        ),
        ctx.counts,
    )


STEPS = (
    create_journal_setup,
    create_timetable,
    create_lessons,
    create_attendance,
    create_marks,
    create_homework,
    create_remarks_and_messages,
)

"""Reads of the family's cabinet (the parent's and the student's diary).

Everything per student comes from the ``DiaryEntry`` projection (one indexed range scan on
``(student, date)`` plus the ``due_date`` range of homework); the timetable of the week
comes from the journal's dated lessons. Each read makes a fixed number of queries whatever
the size of the child's history: tests/diary_pages assert the page budgets.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, JSONObject
from django.utils.translation import gettext as _

from journal import selectors as journal_selectors
from journal.models import Bell, Lesson, LessonStatus
from journal.selectors import test_schedule, weighted_average
from school import access
from school.access import Viewer
from school.models import (
    AcademicYear,
    Enrolment,
    GroupKind,
    GroupMembership,
    Holiday,
    Period,
    SchoolClass,
    Student,
    TeachingAssignment,
    User,
    is_in_force,
)
from school.selectors import with_current_class

from .models import AbsenceReport, DiaryEntry, DiarySection, DiaryVisit, EntryKind

# Timetable changes of the coming days shown at the top of the week.
CHANGES_AHEAD_DAYS = 14
# «New» marks and messages when a section was never opened: those of the last week.
NEW_WITHOUT_VISIT = dt.timedelta(days=7)
# Absence codes that mean a missed lesson (not a late arrival).
MISSED_CODES = frozenset({"н", "б", "у"})


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


# --- The family and the navigation --------------------------------------------------------


def _new_since_visit(user: User, kind: str, section: str, now: dt.datetime) -> Coalesce:
    """How many diary rows of ``kind`` changed after the user last opened ``section`` of the
    child's diary (a subquery per child: one index range scan on (student, kind, changed_at))."""
    seen = DiaryVisit.objects.filter(
        user=user, student=OuterRef(OuterRef("pk")), section=section
    ).values("seen_at")[:1]
    since = Coalesce(Subquery(seen), Value(now - NEW_WITHOUT_VISIT), output_field=DateTimeField())
    rows = (
        DiaryEntry.objects.filter(student=OuterRef("pk"), kind=kind, changed_at__gt=since)
        .order_by()
        .values("student")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows), Value(0), output_field=IntegerField())


def family_of(user: User, viewer: Viewer, today: dt.date, now: dt.datetime) -> list[Student]:
    """The children whose diary ``user`` reads as family (a guardian's linked children, a
    student themselves): the same rule as ``school.access.is_family_of``, for all of them
    at once. Each child comes with its current class (``current_grade``, ``current_letter``)
    and the navigation's counts ``new_marks`` and ``new_messages``. One query."""
    if viewer.guardian_id is None and viewer.student_id is None:
        return []
    q = access.family_q(viewer)
    students = with_current_class(
        Student.objects.filter(q).select_related("school"), today
    ).annotate(
        new_marks=_new_since_visit(user, EntryKind.MARK, DiarySection.MARKS, now),
        new_messages=_new_since_visit(user, EntryKind.MESSAGE, DiarySection.MESSAGES, now),
    )
    return list(students.order_by("birth_date", "last_name", "first_name", "pk"))


def family_ids(viewer: Viewer) -> list[int]:
    """Ids of the children ``family_of`` would give, without the counts (for ``/diary/``)."""
    if viewer.guardian_id is None and viewer.student_id is None:
        return []
    q = access.family_q(viewer)
    return list(
        Student.objects.filter(q)
        .order_by("birth_date", "last_name", "first_name", "pk")
        .values_list("pk", flat=True)
    )


def enrolment_for(student: Student, day: dt.date) -> Enrolment | None:
    """The child's class on ``day``; else the last class they had before it; else the first
    after it (a child admitted later in the year). One query."""
    enrolments = list(
        Enrolment.objects.filter(student=student)
        .select_related("school_class", "school_class__year", "school_class__school")
        .order_by("start")
    )
    for enrolment in enrolments:
        if is_in_force(enrolment.start, enrolment.end, day):
            return enrolment
    before = [e for e in enrolments if e.start <= day]
    if before:
        return before[-1]
    return enrolments[0] if enrolments else None


# --- Display pieces -----------------------------------------------------------------------


@dataclass(frozen=True)
class MarkView:
    value: int
    weight: int
    work_type: str
    work_type_short: str = ""
    comment: str = ""

    @property
    def css(self) -> str:
        return f"mark--{self.value}"

    @property
    def weighted(self) -> bool:
        return self.weight != 1


def _mark(entry: DiaryEntry) -> MarkView:
    payload = entry.payload
    return MarkView(
        value=payload.get("value", 0),
        weight=payload.get("weight", 1),
        work_type=payload.get("work_type", ""),
        work_type_short=payload.get("work_type_short", "") or payload.get("work_type", "")[:4],
        comment=payload.get("comment", ""),
    )


@dataclass(frozen=True)
class AbsenceView:
    code: str
    label: str
    reason: str

    @property
    def is_missed(self) -> bool:
        return self.code in MISSED_CODES


def _absence(entry: DiaryEntry) -> AbsenceView:
    payload = entry.payload
    return AbsenceView(payload.get("code", ""), payload.get("label", ""), payload.get("reason", ""))


@dataclass(frozen=True)
class HomeworkView:
    source_id: int
    subject_id: int | None
    subject: str
    text: str
    given_on: dt.date
    due_date: dt.date | None
    individual: bool
    files: tuple[tuple[int, str], ...]


def _homework(entry: DiaryEntry) -> HomeworkView:
    payload = entry.payload
    return HomeworkView(
        source_id=entry.source_id,
        subject_id=entry.subject_id,
        subject=entry.subject.name if entry.subject_id else "",
        text=payload.get("text", ""),
        given_on=entry.date,
        due_date=entry.due_date,
        individual=bool(payload.get("individual")),
        files=tuple((int(pk), str(name)) for pk, name in payload.get("files", [])),
    )


@dataclass(frozen=True)
class RemarkView:
    kind: str
    label: str
    text: str
    author: str
    subject: str


def _remark(entry: DiaryEntry) -> RemarkView:
    payload = entry.payload
    return RemarkView(
        kind=payload.get("kind", ""),
        label=payload.get("label", ""),
        text=payload.get("text", ""),
        author=payload.get("author", ""),
        subject=entry.subject.name if entry.subject_id else "",
    )


# --- The week -----------------------------------------------------------------------------


@dataclass
class WeekLesson:
    lesson: Lesson
    starts_at: dt.time | None
    ends_at: dt.time | None
    moved_from: Lesson | None = None
    marks: list[MarkView] = field(default_factory=list)
    absence: AbsenceView | None = None
    homework_due: list[HomeworkView] = field(default_factory=list)
    homework_given: list[HomeworkView] = field(default_factory=list)
    remarks: list[RemarkView] = field(default_factory=list)

    @property
    def state(self) -> str:
        """«active», «cancelled» or «moved» (for the badge and the CSS class)."""
        if self.lesson.status == LessonStatus.CANCELLED:
            return "cancelled"
        if self.lesson.status == LessonStatus.MOVED:
            return "moved"
        return "active"

    @property
    def is_substituted(self) -> bool:
        return bool(self.lesson.substitute_id) and self.state == "active"


@dataclass
class WeekDay:
    date: dt.date
    is_today: bool
    off: str = ""  # why there are no lessons: «Осенние каникулы», «вне учебного года»
    lessons: list[WeekLesson] = field(default_factory=list)
    homework_due: list[HomeworkView] = field(default_factory=list)  # not tied to a lesson
    remarks: list[RemarkView] = field(default_factory=list)  # not tied to a lesson
    marks: list[tuple[str, MarkView]] = field(default_factory=list)  # lesson not in the week


@dataclass(frozen=True)
class Change:
    """A timetable change of the coming days (a ``lesson_change`` diary row)."""

    date: dt.date
    number: int
    subject: str
    status: str
    substitute: str | None
    moved_to: dt.date | None
    moved_to_number: int | None
    reason: str


@dataclass
class Summary:
    """The answer first: today's marks and absences, the next school day's homework."""

    today: dt.date
    marks: list[tuple[str, MarkView]]
    absences: list[tuple[str, AbsenceView]]
    next_day: dt.date | None
    homework: list[HomeworkView]
    today_is_school_day: bool


@dataclass
class Week:
    student: Student
    start: dt.date
    end: dt.date
    today: dt.date
    days: list[WeekDay]
    changes: list[Change]
    summary: Summary | None
    enrolled: bool

    @property
    def previous(self) -> dt.date:
        return self.start - dt.timedelta(days=7)

    @property
    def next(self) -> dt.date:
        return self.start + dt.timedelta(days=7)

    @property
    def is_current(self) -> bool:
        return self.start <= self.today <= self.end

    @property
    def last_day(self) -> dt.date:
        return self.days[-1].date if self.days else self.end


def default_week_start(today: dt.date, week_days: int) -> dt.date:
    """This week's Monday; on the weekend (a day after the class's 5 or 6 school days) the
    next Monday, since that is the week the family is preparing for."""
    if today.isoweekday() > week_days:
        return monday_of(today) + dt.timedelta(days=7)
    return monday_of(today)


def _holiday_on(holidays: list[Holiday], school_class: SchoolClass, day: dt.date) -> str:
    for holiday in holidays:
        if (
            holiday.year_id == school_class.year_id
            and holiday.start <= day <= holiday.end
            and holiday.applies_to_grade(school_class.grade)
        ):
            return holiday.name
    return ""


def _class_on(enrolments: list[Enrolment], day: dt.date) -> SchoolClass | None:
    for enrolment in enrolments:
        if is_in_force(enrolment.start, enrolment.end, day):
            return enrolment.school_class
    return None


def _why_off(enrolments: list[Enrolment], holidays: list[Holiday], day: dt.date) -> str:
    """Empty for a school day of the child's class, else why there are no lessons: the
    same rules as ``journal.services.why_not_a_school_day`` (weekends of the class's 5- or
    6-day week, holidays of its grade, outside the year), on rows already loaded."""
    return _day_kind(enrolments, holidays, day)[1]


def _day_kind(
    enrolments: list[Enrolment], holidays: list[Holiday], day: dt.date
) -> tuple[str, str]:
    """(kind, words): kind is "" for a school day, else "no_class", "outside", "weekend" or
    "holiday"."""
    school_class = _class_on(enrolments, day)
    if school_class is None:
        return "no_class", _("ребёнок не числится в классе")
    if not school_class.year.contains(day):
        return "outside", _("вне учебного года")
    if day.isoweekday() > school_class.week_days:
        return "weekend", _("выходной")
    holiday = _holiday_on(holidays, school_class, day)
    return ("holiday", holiday) if holiday else ("", "")


def _next_school_day(
    enrolments: list[Enrolment], holidays: list[Holiday], today: dt.date, horizon: dt.date
) -> dt.date | None:
    day = today + dt.timedelta(days=1)
    while day <= horizon:
        if not _why_off(enrolments, holidays, day):
            return day
        day += dt.timedelta(days=1)
    return None


def _holidays_of_year() -> ArraySubquery:
    """The holidays of the enrolment's school year, read with the enrolment (a year has a
    handful of them)."""
    return ArraySubquery(
        Holiday.objects.filter(year_id=OuterRef("school_class__year_id"))
        .order_by("start")
        .values(
            row=JSONObject(
                year_id="year_id", name="name", start="start", end="end", only_grade="only_grade"
            )
        )
    )


def _unpack_holidays(enrolments: list[Enrolment]) -> list[Holiday]:
    holidays: dict[tuple, Holiday] = {}
    for enrolment in enrolments:
        for row in enrolment.year_holidays or []:
            key = (row["year_id"], row["start"], row["end"], row["name"])
            holidays[key] = Holiday(
                year_id=row["year_id"],
                name=row["name"],
                start=dt.date.fromisoformat(row["start"]),
                end=dt.date.fromisoformat(row["end"]),
                only_grade=row["only_grade"],
            )
    return list(holidays.values())


def _lessons_of_week(student: Student, class_ids: list[int], start: dt.date, end: dt.date):
    """The child's lessons in the week: of the classes they were in on each lesson's date,
    whole-class lessons and lessons of the groups they belonged to on that date; moved and
    cancelled ones too. Bell times of the class's shift come in the same query."""
    # In force on each lesson's own date.
    enrolled = Enrolment.objects.in_force(OuterRef("date")).filter(
        student=student, school_class=OuterRef("school_class")
    )
    member = GroupMembership.objects.in_force(OuterRef("date")).filter(
        student=student, group=OuterRef("group")
    )
    bell = Bell.objects.filter(
        school_id=OuterRef("school_id"),
        shift=OuterRef("school_class__shift"),
        number=OuterRef("number"),
    ).order_by()
    return list(
        Lesson.objects.filter(school_class_id__in=class_ids, date__gte=start, date__lte=end)
        .filter(Exists(enrolled))
        .filter(Q(group__isnull=True) | Exists(member))
        .select_related("subject", "group", "teacher", "substitute", "moved_to", "moved_from")
        .annotate(
            starts_at=Subquery(bell.values("starts_at")[:1]),
            ends_at=Subquery(bell.values("ends_at")[:1]),
        )
        .order_by("date", "number", "subject__order", "pk")
    )


def _moved_from(lesson: Lesson) -> Lesson | None:
    try:
        return lesson.moved_from
    except Lesson.DoesNotExist:
        return None


@dataclass
class WeekRows:
    """What the week is read from (three queries, see ``load_week``): the span shown and the
    rows in it."""

    student: Student
    start: dt.date
    end: dt.date
    today: dt.date
    current: bool  # the «answer first» summary and the coming changes are shown
    next_day: dt.date | None  # the next school day after today, for a current week
    enrolments: list[Enrolment]
    holidays: list[Holiday]
    lessons: list[Lesson]
    entries: list[DiaryEntry]


def load_week(*, student: Student, week_start: dt.date | None, today: dt.date) -> WeekRows:
    """The span of the week of ``week_start`` (by default this week, or the next one at the
    weekend) and its rows: enrolments (with their years' holidays), lessons (with bell
    times), diary rows (the week's, the homework due in it, the coming changes)."""
    changes_until = today + dt.timedelta(days=CHANGES_AHEAD_DAYS)
    first = monday_of(week_start or today)
    last = first + dt.timedelta(days=6 if week_start else 13)
    enrolments = list(
        Enrolment.objects.overlapping(min(first, today), max(last, changes_until))
        .filter(student=student)
        .select_related("school_class", "school_class__year", "school_class__school")
        .annotate(year_holidays=_holidays_of_year())
        .order_by("start")
    )
    holidays = _unpack_holidays(enrolments)
    if week_start is None:
        school_class = _class_on(enrolments, today) or (
            enrolments[-1].school_class if enrolments else None
        )
        week_days = school_class.week_days if school_class else student.school.week_days
        start = default_week_start(today, week_days)
    else:
        start = first
    end = start + dt.timedelta(days=6)
    current = start - dt.timedelta(days=2) <= today <= end
    horizon = max(end, changes_until) if current else end
    next_day = _next_school_day(enrolments, holidays, today, horizon) if current else None
    due_until = max(end, next_day) if next_day else end

    class_ids = [e.school_class_id for e in enrolments]
    lessons = _lessons_of_week(student, class_ids, start, end) if class_ids else []
    entries = list(
        DiaryEntry.objects.filter(student=student)
        .filter(
            Q(
                date__gte=start,
                date__lte=end,
                kind__in=[EntryKind.MARK, EntryKind.ABSENCE, EntryKind.HOMEWORK, EntryKind.REMARK],
            )
            | Q(kind=EntryKind.HOMEWORK, due_date__gte=start, due_date__lte=due_until)
            | Q(kind=EntryKind.LESSON_CHANGE, date__gte=today, date__lte=changes_until)
        )
        .select_related("subject")
        .order_by("date", "pk")
    )
    return WeekRows(
        student=student,
        start=start,
        end=end,
        today=today,
        current=current,
        next_day=next_day,
        enrolments=enrolments,
        holidays=holidays,
        lessons=lessons,
        entries=entries,
    )


@dataclass
class WeekLayout:
    """The week's days (the class's 5 or 6 school days, plus any other day with lessons)
    with their lessons in order; entries are placed on them by ``place_entries``."""

    start: dt.date
    end: dt.date
    days: dict[dt.date, WeekDay]
    lessons: dict[int, WeekLesson]  # by lesson id

    def in_week(self, day: dt.date | None) -> bool:
        return day is not None and self.start <= day <= self.end

    def lesson_of(self, entry: DiaryEntry) -> WeekLesson | None:
        return self.lessons.get(entry.lesson_id or 0)

    def due_lesson(self, homework: HomeworkView, due_lesson_id: int | None) -> WeekLesson | None:
        """The lesson a homework is due at: the one named (followed if it was moved), else
        the due day's first active lesson of the subject."""
        target = self.lessons.get(due_lesson_id) if due_lesson_id else None
        if target is not None and target.state == "moved" and target.lesson.moved_to_id:
            target = self.lessons.get(target.lesson.moved_to_id, target)
        if target is None and homework.due_date in self.days:
            for item in self.days[homework.due_date].lessons:
                if item.state == "active" and item.lesson.subject_id == homework.subject_id:
                    return item
        return target


def lay_out_days(rows: WeekRows) -> WeekLayout:
    lesson_days = {lesson.date for lesson in rows.lessons}
    week_days = max(
        (e.school_class.week_days for e in rows.enrolments), default=rows.student.school.week_days
    )
    days: dict[dt.date, WeekDay] = {}
    for offset in range(7):
        day = rows.start + dt.timedelta(days=offset)
        if offset < week_days or day in lesson_days:
            why = _why_off(rows.enrolments, rows.holidays, day)
            days[day] = WeekDay(
                date=day, is_today=day == rows.today, off="" if day in lesson_days else why
            )
    lessons: dict[int, WeekLesson] = {}
    for lesson in rows.lessons:
        item = WeekLesson(
            lesson=lesson,
            starts_at=lesson.starts_at,
            ends_at=lesson.ends_at,
            moved_from=_moved_from(lesson),
        )
        lessons[lesson.pk] = item
        days[lesson.date].lessons.append(item)
    return WeekLayout(start=rows.start, end=rows.end, days=days, lessons=lessons)


def _subject_of(entry: DiaryEntry) -> str:
    return entry.subject.name if entry.subject_id else ""


def _place_mark(layout: WeekLayout, entry: DiaryEntry) -> None:
    """On its lesson; a mark whose lesson is not in the week, on its day."""
    if not layout.in_week(entry.date):
        return
    mark, target = _mark(entry), layout.lesson_of(entry)
    if target is not None:
        target.marks.append(mark)
    elif entry.date in layout.days:
        layout.days[entry.date].marks.append((_subject_of(entry), mark))


def _place_absence(layout: WeekLayout, entry: DiaryEntry) -> None:
    target = layout.lesson_of(entry) if layout.in_week(entry.date) else None
    if target is not None:
        target.absence = _absence(entry)


def _place_remark(layout: WeekLayout, entry: DiaryEntry) -> None:
    """On its lesson; a remark on no lesson of the week (a class teacher's), on its day."""
    if not layout.in_week(entry.date):
        return
    remark, target = _remark(entry), layout.lesson_of(entry)
    if target is not None:
        target.remarks.append(remark)
    elif entry.date in layout.days:
        layout.days[entry.date].remarks.append(remark)


def _place_homework(layout: WeekLayout, entry: DiaryEntry) -> None:
    """Given at its lesson (when in the week) and due at the lesson it is due at (else on
    the due day)."""
    homework = _homework(entry)
    if layout.in_week(entry.date) and entry.lesson_id in layout.lessons:
        layout.lessons[entry.lesson_id].homework_given.append(homework)
    if layout.in_week(homework.due_date):
        target = layout.due_lesson(homework, entry.payload.get("due_lesson_id"))
        if target is not None:
            target.homework_due.append(homework)
        elif homework.due_date in layout.days:
            layout.days[homework.due_date].homework_due.append(homework)


PLACERS = {
    EntryKind.MARK: _place_mark,
    EntryKind.ABSENCE: _place_absence,
    EntryKind.REMARK: _place_remark,
    EntryKind.HOMEWORK: _place_homework,
}


def place_entries(layout: WeekLayout, entries: list[DiaryEntry]) -> None:
    """Each diary row of the week on its lesson or day, by kind (timetable changes are not
    placed: see ``coming_changes``); a lesson's marks, heaviest first."""
    for entry in entries:
        placer = PLACERS.get(entry.kind)
        if placer is not None:
            placer(layout, entry)
    for item in layout.lessons.values():
        item.marks.sort(key=lambda m: -m.weight)


def coming_changes(entries: list[DiaryEntry]) -> list[Change]:
    changes = [
        _change(entry, _subject_of(entry))
        for entry in entries
        if entry.kind == EntryKind.LESSON_CHANGE
    ]
    return sorted(changes, key=lambda c: (c.date, c.number))


def summarize(rows: WeekRows) -> Summary | None:
    """The answer first, for the current week only: today's marks and absences, the
    homework for the next school day."""
    if not rows.current:
        return None
    today = [e for e in rows.entries if e.date == rows.today and rows.start <= e.date <= rows.end]
    return Summary(
        today=rows.today,
        marks=[(_subject_of(e), _mark(e)) for e in today if e.kind == EntryKind.MARK],
        absences=[(_subject_of(e), _absence(e)) for e in today if e.kind == EntryKind.ABSENCE],
        next_day=rows.next_day,
        homework=[
            _homework(e)
            for e in rows.entries
            if e.kind == EntryKind.HOMEWORK
            and rows.next_day is not None
            and e.due_date == rows.next_day
        ],
        today_is_school_day=not _why_off(rows.enrolments, rows.holidays, rows.today),
    )


def week_for_student(*, student: Student, week_start: dt.date | None, today: dt.date) -> Week:
    """The child's diary for the week of ``week_start`` (by default this week, or the next
    one at the weekend): each school day with its lessons in order, and on each lesson the
    child's marks, absence, homework given and due, remarks; holidays as holidays; the
    timetable changes of the coming days; the «answer first» summary when the week is the
    current one.

    Three queries whatever the history (``load_week``); none per lesson."""
    rows = load_week(student=student, week_start=week_start, today=today)
    layout = lay_out_days(rows)
    place_entries(layout, rows.entries)
    return Week(
        student=student,
        start=rows.start,
        end=rows.end,
        today=today,
        days=sorted(layout.days.values(), key=lambda d: d.date),
        changes=coming_changes(rows.entries),
        summary=summarize(rows),
        enrolled=bool(rows.enrolments),
    )


def _change(entry: DiaryEntry, subject: str) -> Change:
    payload = entry.payload
    moved_to = payload.get("moved_to")
    return Change(
        date=entry.date,
        number=payload.get("number", 0),
        subject=subject,
        status=payload.get("status", ""),
        substitute=payload.get("substitute"),
        moved_to=dt.date.fromisoformat(moved_to) if moved_to else None,
        moved_to_number=payload.get("moved_to_number"),
        reason=payload.get("reason", ""),
    )


# --- Marks --------------------------------------------------------------------------------


def assessment_periods(school_class: SchoolClass) -> list[Period]:
    """The periods of the class's scheme (quarters for 5А, half-years for 10А), one query."""
    return journal_selectors.assessment_periods(school_class)[0]


@dataclass(frozen=True)
class DatedMark:
    date: dt.date
    mark: MarkView


@dataclass
class SubjectMarks:
    subject: str
    marks: list[DatedMark] = field(default_factory=list)
    missed: int = 0
    late: int = 0

    @property
    def average(self) -> Decimal | None:
        return weighted_average([(m.mark.value, m.mark.weight) for m in self.marks])


def marks_by_subject(*, student: Student, start: dt.date, end: dt.date) -> list[SubjectMarks]:
    """Every mark of the child between two dates, per subject in the journal's order, with
    the weighted average and the lessons missed. One query."""
    entries = (
        DiaryEntry.objects.filter(
            student=student,
            date__gte=start,
            date__lte=end,
            kind__in=[EntryKind.MARK, EntryKind.ABSENCE],
        )
        .select_related("subject")
        .order_by("subject__order", "subject__name", "date", "pk")
    )
    subjects: dict[int | None, SubjectMarks] = {}
    for entry in entries:
        name = entry.subject.name if entry.subject_id else "—"
        row = subjects.setdefault(entry.subject_id, SubjectMarks(subject=name))
        if entry.kind == EntryKind.MARK:
            row.marks.append(DatedMark(entry.date, _mark(entry)))
        elif entry.payload.get("code") in MISSED_CODES:
            row.missed += 1
        else:
            row.late += 1
    return list(subjects.values())


def work_type_legend(subjects: list[SubjectMarks]) -> list[tuple[str, str, int]]:
    """(short name, name, weight) of every kind of work met on the marks page."""
    seen = {
        (m.mark.work_type_short, m.mark.work_type, m.mark.weight)
        for row in subjects
        for m in row.marks
    }
    return sorted(seen, key=lambda item: (-item[2], item[1]))


# --- Tests, teachers, holidays, record ---------------------------------------------------


def group_ids_of(student: Student, start: dt.date, end: dt.date) -> set[int]:
    """The groups the child belonged to on some day between two dates."""
    return set(
        GroupMembership.objects.overlapping(start, end)
        .filter(student=student)
        .values_list("group_id", flat=True)
    )


def tests_for_student(
    *, student: Student, school_class: SchoolClass, start: dt.date, end: dt.date
) -> list[Lesson]:
    """The class's test schedule (``journal.selectors.test_schedule``) without the tests of
    groups the child is not in."""
    groups = group_ids_of(student, start, end)
    return [
        lesson
        for lesson in test_schedule(school_class, start, end)
        if lesson.group_id is None or lesson.group_id in groups
    ]


@dataclass
class Teachers:
    class_teacher: User | None
    subjects: list[TeachingAssignment]
    groups: list[TeachingAssignment]
    individual: list[TeachingAssignment]


def teachers_of(*, student: Student, school_class: SchoolClass, day: dt.date) -> Teachers:
    """Who works with the child (seed 2.2): the class teacher, each subject's teacher of the
    class, the teachers of the child's groups and of an individual study plan."""
    groups = group_ids_of(student, day, day)
    assignments = list(
        TeachingAssignment.objects.in_force(day)
        .filter(school_class=school_class)
        .filter(Q(group__isnull=True) | Q(group_id__in=groups))
        .select_related("teacher", "subject", "group")
        .order_by("subject__order", "subject__name", "group__name")
    )
    return Teachers(
        class_teacher=school_class.class_teacher,
        subjects=[a for a in assignments if a.group_id is None],
        groups=[a for a in assignments if a.group and a.group.kind == GroupKind.SUBGROUP],
        individual=[a for a in assignments if a.group and a.group.kind == GroupKind.INDIVIDUAL],
    )


def holidays_for(school_class: SchoolClass) -> list[Holiday]:
    """The year's holidays that apply to the class's grade (the first graders' extra
    February week only for first graders)."""
    return list(
        Holiday.objects.filter(year_id=school_class.year_id)
        .filter(Q(only_grade__isnull=True) | Q(only_grade=school_class.grade))
        .order_by("start")
    )


@dataclass
class YearRecord:
    year: AcademicYear
    enrolments: list[Enrolment]


def record_of(student: Student) -> list[YearRecord]:
    """The child's classes year by year, newest first (a child who changed class keeps both
    rows). Final marks will join each year once the journal publishes them."""
    years: dict[int, YearRecord] = {}
    for enrolment in (
        Enrolment.objects.filter(student=student)
        .select_related("school_class", "school_class__year", "school_class__class_teacher")
        .order_by("-school_class__year__start", "-start")
    ):
        year = enrolment.school_class.year
        years.setdefault(year.pk, YearRecord(year=year, enrolments=[])).enrolments.append(enrolment)
    return list(years.values())


# --- Messages -----------------------------------------------------------------------------


def messages_of(student: Student) -> QuerySet[DiaryEntry]:
    """Messages from teachers to the child's family, newest first."""
    return DiaryEntry.objects.filter(student=student, kind=EntryKind.MESSAGE).order_by(
        "-changed_at", "-source_id"
    )


# --- Absence reports ---------------------------------------------------------------------


def absence_reports_for(class_id: int, start: dt.date, end: dt.date) -> QuerySet[AbsenceReport]:
    """Reports of the class's students overlapping [start, end], for the days the student
    belonged to the class."""
    enrolled = Enrolment.objects.overlapping(OuterRef("start"), OuterRef("end")).filter(
        student=OuterRef("student"), school_class_id=class_id
    )
    return (
        AbsenceReport.objects.filter(start__lte=end, end__gte=start)
        .filter(Exists(enrolled))
        .select_related("student", "reported_by")
        .order_by("start", "student__last_name", "student__first_name", "pk")
    )


# A family's absence report waits for the class teacher until they mark it seen
# (``services.mark_reports_seen``); one about days longer ago than this is no longer flagged.
UNSEEN_REPORTS_FOR = dt.timedelta(days=30)


def unseen_absence_reports(
    *, classes: QuerySet[SchoolClass], today: dt.date, school_id: int | None = None
) -> list[AbsenceReport]:
    """The reports of the students of ``classes`` (on the reported days) that their class
    teacher has not marked seen yet, about days from a month ago on, each with
    ``class_id``: the class the child was in then. One query."""
    class_of = (
        Enrolment.objects.overlapping(OuterRef("start"), OuterRef("end"))
        .filter(student=OuterRef("student"), school_class__in=classes)
        .order_by("-start")
        .values("school_class_id")[:1]
    )
    reports = AbsenceReport.objects.filter(
        seen_at__isnull=True, end__gte=today - UNSEEN_REPORTS_FOR
    )
    if school_id is not None:
        reports = reports.filter(school_id=school_id)
    return list(
        reports.annotate(class_id=Subquery(class_of))
        .filter(class_id__isnull=False)
        .select_related("student", "reported_by")
        .order_by("start", "student__last_name", "student__first_name", "pk")
    )


def reports_of(student: Student, since: dt.date) -> QuerySet[AbsenceReport]:
    return (
        AbsenceReport.objects.filter(student=student, end__gte=since)
        .select_related("reported_by")
        .order_by("start", "pk")
    )


def reported_absence(student_id: int, day: dt.date) -> AbsenceReport | None:
    """The family's report covering ``day`` (the latest if several overlap)."""
    return (
        AbsenceReport.objects.filter(student_id=student_id, start__lte=day, end__gte=day)
        .order_by("-created_at", "-pk")
        .first()
    )


# --- The student's home page --------------------------------------------------------------

# How many of the latest marks the student's home shows.
LATEST_MARKS = 6


@dataclass(frozen=True)
class LatestMark:
    date: dt.date
    subject: str
    mark: MarkView


def latest_marks(student: Student, limit: int = LATEST_MARKS) -> list[LatestMark]:
    """The child's latest marks, newest lesson first (then the latest written). One query."""
    entries = (
        DiaryEntry.objects.filter(student=student, kind=EntryKind.MARK)
        .select_related("subject")
        .order_by("-date", "-changed_at", "-pk")[:limit]
    )
    return [LatestMark(e.date, _subject_of(e), _mark(e)) for e in entries]


@dataclass
class StudentHome:
    """The student's first screen: today's lessons (or, on a day off, why, and the next
    school day's lessons), the homework for the next school day, the latest marks."""

    week: Week
    today: WeekDay | None  # None: today is not a day of the shown week (a weekend)
    off: str  # why there are no lessons today («выходной», a holiday's name)
    next_day: WeekDay | None  # the next school day, when today has no lessons
    latest: list[LatestMark]

    @property
    def homework(self) -> list[HomeworkView]:
        return self.week.summary.homework if self.week.summary else []

    @property
    def homework_day(self) -> dt.date | None:
        return self.week.summary.next_day if self.week.summary else None


def student_home(student: Student, today: dt.date) -> StudentHome:
    """What the student's home shows, from the diary's own week (``week_for_student``: the
    same rules for days off, groups, moved lessons and homework as the diary) and the
    latest marks. Four queries."""
    week = week_for_student(student=student, week_start=None, today=today)
    day = next((d for d in week.days if d.date == today), None)
    off = ""
    if day is None or not day.lessons:
        off = day.off if day is not None else _("выходной")
    following = None
    if off and week.summary and week.summary.next_day:
        following = next((d for d in week.days if d.date == week.summary.next_day), None)
    return StudentHome(
        week=week, today=day, off=off, next_day=following, latest=latest_marks(student)
    )

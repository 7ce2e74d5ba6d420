"""Reads of the journal shared by pages, reports and the API. Each makes a fixed number
of queries whatever the size of the history."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, Max, Min, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from journal.models import (
    ABSENCE_CODES,
    ACTIVE_STATUSES,
    TEST_LESSON_TYPES,
    Attendance,
    Homework,
    JournalChange,
    Lesson,
    LessonStatus,
    Mark,
    MarkColumn,
    Message,
    Remark,
    TimetableEntry,
)
from school.models import (
    Enrolment,
    GradeScheme,
    GroupMembership,
    Kinship,
    Period,
    PeriodKind,
    SchoolClass,
    Student,
    StudyGroup,
    Subject,
    User,
    default_scheme_for_grade,
    is_in_force,
)
from school.models.calendar import SCHEME_PERIOD_KIND


def weighted_average(pairs: list[tuple[int, int]]) -> Decimal | None:
    """sum(mark × weight) / sum(weight), two decimals, half up: (5×2 + 3×1) / 3 = 4.33."""
    total_weight = sum(weight for _, weight in pairs)
    if not total_weight:
        return None
    value = Decimal(sum(mark * weight for mark, weight in pairs)) / Decimal(total_weight)
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def periods_for_class(school_class: SchoolClass) -> list[Period]:
    """The assessment periods of the class's scheme (quarters for 5А, half-years for 10А)."""
    return assessment_periods(school_class)[0]


def period_on(periods: list[Period], day: dt.date) -> Period | None:
    """The period containing ``day``, else the last one that started before it, else the
    first (so the grid opens on the current quarter, or the nearest one in holidays)."""
    for period in periods:
        if period.start <= day <= period.end:
            return period
    started = [p for p in periods if p.start <= day]
    return started[-1] if started else (periods[0] if periods else None)


@dataclass
class GridColumn:
    lesson: Lesson
    column: MarkColumn | None  # None: the lesson has no mark column yet (first cell makes it)
    position: int
    first_of_lesson: bool
    lesson_columns: int


@dataclass
class GridCell:
    column: GridColumn
    mark: Mark | None
    attendance: Attendance | None
    enrolled: bool

    @property
    def text(self) -> str:
        if self.mark is not None:
            return str(self.mark.value)
        if self.attendance is not None and self.column.first_of_lesson:
            return self.attendance.code
        return ""


@dataclass
class GridRow:
    number: int
    student: Student
    cells: list[GridCell] = field(default_factory=list)
    average: Decimal | None = None
    marks_count: int = 0
    absences: int = 0


@dataclass
class Grid:
    school_class: SchoolClass
    subject: Subject
    group: StudyGroup | None
    period: Period | None
    periods: list[Period]
    columns: list[GridColumn]
    rows: list[GridRow]
    graded: bool


def _students_in(
    school_class: SchoolClass, group: StudyGroup | None, start: dt.date, end: dt.date
) -> tuple[list[Student], dict[int, list[tuple[dt.date, dt.date | None]]]]:
    """Everyone who belonged to the class (or group) at some day of [start, end], with
    their date ranges, so the grid greys out days before a student came or after they left."""
    if group is not None:
        memberships = GroupMembership.objects.overlapping(start, end).filter(group=group)
    else:
        memberships = Enrolment.objects.overlapping(start, end).filter(school_class=school_class)
    ranges: dict[int, list[tuple[dt.date, dt.date | None]]] = defaultdict(list)
    by_id: dict[int, Student] = {}
    # The students come with their memberships: one query, not two.
    for membership in memberships.select_related("student").order_by(
        "student__last_name", "student__first_name", "student__middle_name", "student_id"
    ):
        ranges[membership.student_id].append((membership.start, membership.end))
        by_id.setdefault(membership.student_id, membership.student)
    return list(by_id.values()), ranges


def _enrolled(ranges: list[tuple[dt.date, dt.date | None]], day: dt.date) -> bool:
    return any(is_in_force(first, last, day) for first, last in ranges)


def journal_grid(
    *,
    school_class: SchoolClass,
    subject: Subject,
    period: Period | None,
    group: StudyGroup | None = None,
    periods: list[Period] | None = None,
) -> Grid:
    """The class journal page for one subject and period: students × lesson columns."""
    periods = periods if periods is not None else periods_for_class(school_class)
    start = period.start if period else school_class.year.start
    end = period.end if period else school_class.year.end
    lessons_qs = Lesson.objects.filter(
        school_class=school_class,
        subject=subject,
        date__gte=start,
        date__lte=end,
        status__in=ACTIVE_STATUSES,
    )
    lessons_qs = lessons_qs.filter(group=group) if group else lessons_qs.filter(group__isnull=True)
    lessons = list(
        lessons_qs.select_related("substitute")
        .prefetch_related(
            Prefetch("columns", queryset=MarkColumn.objects.select_related("work_type"))
        )
        .order_by("date", "number")
    )
    columns: list[GridColumn] = []
    for lesson in lessons:
        lesson_columns = list(lesson.columns.all())
        if not lesson_columns:
            columns.append(GridColumn(lesson, None, 1, True, 1))
            continue
        for index, column in enumerate(lesson_columns):
            columns.append(
                GridColumn(lesson, column, column.position, index == 0, len(lesson_columns))
            )
    students, ranges = _students_in(school_class, group, start, end)
    lesson_ids = [lesson.pk for lesson in lessons]
    marks = {
        (m.column_id, m.student_id): m
        for m in Mark.objects.filter(lesson_id__in=lesson_ids).only(
            "id", "column_id", "student_id", "value", "version", "comment", "lesson_id"
        )
    }
    attendance = {
        (a.lesson_id, a.student_id): a
        for a in Attendance.objects.filter(lesson_id__in=lesson_ids).only(
            "id", "lesson_id", "student_id", "code", "version", "reason"
        )
    }
    rows = []
    for number, student in enumerate(students, start=1):
        row = GridRow(number=number, student=student)
        weighted: list[tuple[int, int]] = []
        for grid_column in columns:
            column = grid_column.column
            mark = marks.get((column.pk, student.pk)) if column else None
            present = attendance.get((grid_column.lesson.pk, student.pk))
            row.cells.append(
                GridCell(
                    column=grid_column,
                    mark=mark,
                    attendance=present,
                    enrolled=_enrolled(ranges[student.pk], grid_column.lesson.date),
                )
            )
            if mark is not None and column is not None:
                weighted.append((mark.value, column.effective_weight))
            if present is not None and grid_column.first_of_lesson and present.is_absence:
                row.absences += 1
        row.average = weighted_average(weighted)
        row.marks_count = len(weighted)
        rows.append(row)
    return Grid(
        school_class=school_class,
        subject=subject,
        group=group,
        period=period,
        periods=periods,
        columns=columns,
        rows=rows,
        graded=school_class.is_graded and subject.is_graded,
    )


def teacher_day(user: User, day: dt.date) -> list[Lesson]:
    """A teacher's lessons on a day: their own (with substitutes shown) and the ones they
    substitute for others; moved and cancelled ones too, so the day reads truthfully."""
    return list(
        Lesson.objects.filter(Q(teacher=user) | Q(substitute=user), date=day)
        .select_related("school_class", "subject", "group", "teacher", "substitute", "moved_to")
        .order_by("number", "school_class__grade", "school_class__letter")
    )


# How far ahead a teacher's home looks for the next day with lessons (past a holiday).
NEXT_LESSONS_AHEAD = dt.timedelta(days=21)


def teacher_next_day(user: User, after: dt.date) -> list[Lesson]:
    """The teacher's lessons on their next day with active lessons after ``after`` (within
    three weeks: the week after the autumn holidays is found from their first Saturday), as
    ``teacher_day``; empty if there is none. Two queries."""
    day = (
        Lesson.objects.filter(
            Q(teacher=user) | Q(substitute=user),
            date__gt=after,
            date__lte=after + NEXT_LESSONS_AHEAD,
            status__in=ACTIVE_STATUSES,
        )
        .order_by("date")
        .values_list("date", flat=True)
        .first()
    )
    return teacher_day(user, day) if day else []


def has_timetable(user: User, day: dt.date) -> bool:
    """Whether the teacher has weekly timetable slots in force on ``day`` or later (their
    lessons come from it); a teacher without any is not set up yet."""
    return (
        TimetableEntry.objects.filter(teacher=user)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .exists()
    )


def filled_q() -> Q:
    """A held lesson is filled in once the teacher wrote anything of it in the journal: its
    topic, a mark or an attendance entry. (For ``Lesson`` querysets.)"""
    return (
        ~Q(topic="")
        | Exists(Mark.objects.filter(lesson=OuterRef("pk")))
        | Exists(Attendance.objects.filter(lesson=OuterRef("pk")))
    )


@dataclass(frozen=True)
class UnfilledJournal:
    """Lessons of one journal (class, subject, group) by one teacher, held and not filled."""

    class_id: int
    class_name: str
    subject_id: int
    subject: str
    group_id: int | None
    group: str
    teacher: str
    lessons: int
    first: dt.date
    last: dt.date


def unfilled_journals(school_id: int, start: dt.date, end: dt.date) -> list[UnfilledJournal]:
    """The journals with lessons held between two dates (planned or conducted, not cancelled
    or moved) that nobody filled in (``filled_q``), per teacher who gave them, the most
    lessons first. Three queries (the lessons, their teachers and classes)."""
    rows = (
        Lesson.objects.filter(
            school_id=school_id, date__gte=start, date__lte=end, status__in=ACTIVE_STATUSES
        )
        .exclude(filled_q())
        .annotate(given_by=Coalesce("substitute_id", "teacher_id"))
        .values(
            "school_class_id",
            "subject_id",
            "subject__name",
            "group_id",
            "group__name",
            "given_by",
        )
        .annotate(lessons=Count("pk"), first=Min("date"), last=Max("date"))
        .order_by("-lessons", "school_class__grade", "school_class__letter", "subject__name")
    )
    rows = list(rows)
    if not rows:
        return []
    teachers = {
        user.pk: user.short_name
        for user in User.objects.filter(pk__in={row["given_by"] for row in rows})
    }
    classes = {
        c.pk: c.name
        for c in SchoolClass.objects.filter(pk__in={r["school_class_id"] for r in rows})
    }
    return [
        UnfilledJournal(
            class_id=row["school_class_id"],
            class_name=classes[row["school_class_id"]],
            subject_id=row["subject_id"],
            subject=row["subject__name"],
            group_id=row["group_id"],
            group=row["group__name"] or "",
            teacher=teachers.get(row["given_by"], ""),
            lessons=row["lessons"],
            first=row["first"],
            last=row["last"],
        )
        for row in rows
    ]


def test_schedule(school_class: SchoolClass, start: dt.date, end: dt.date) -> QuerySet[Lesson]:
    """The class's test schedule (график контрольных работ) for a period: every planned or
    conducted lesson of a test type, groups included."""
    return (
        Lesson.objects.filter(
            school_class=school_class,
            date__gte=start,
            date__lte=end,
            lesson_type__in=TEST_LESSON_TYPES,
            status__in=[LessonStatus.PLANNED, LessonStatus.CONDUCTED],
        )
        .select_related("subject", "group", "teacher", "substitute")
        .order_by("date", "number")
    )


def cell_history(lesson: Lesson, student: Student) -> QuerySet[JournalChange]:
    """Every change of a student's marks and attendance at a lesson, newest first."""
    return (
        JournalChange.objects.filter(lesson=lesson, student=student)
        .select_related("actor")
        .order_by("-at", "-id")
    )


def lesson_history(lesson: Lesson) -> QuerySet[JournalChange]:
    return (
        JournalChange.objects.filter(lesson=lesson)
        .select_related("actor", "student")
        .order_by("-at", "-id")
    )


def year_period(school_class: SchoolClass) -> Period | None:
    return Period.objects.filter(year_id=school_class.year_id, kind=PeriodKind.YEAR).first()


# --- Reads for the journal's pages ------------------------------------------------------


def assessment_periods(school_class: SchoolClass) -> tuple[list[Period], Period | None]:
    """The periods of the class's scheme (as ``periods_for_class``) and the year period,
    in one query: the grid needs both (the year may be closed as a whole)."""
    scheme = GradeScheme.objects.filter(
        year_id=OuterRef("year_id"), grade=school_class.grade
    ).values("scheme")[:1]
    rows = list(
        Period.objects.filter(year_id=school_class.year_id)
        .annotate(scheme=Subquery(scheme))
        .order_by("start", "kind")
    )
    chosen = (rows[0].scheme if rows else None) or default_scheme_for_grade(school_class.grade)
    kind = SCHEME_PERIOD_KIND[chosen]
    periods = [p for p in rows if p.kind == kind]
    year = next((p for p in rows if p.kind == PeriodKind.YEAR), None)
    return periods, year


@dataclass
class RowSummary:
    average: Decimal | None
    marks_count: int
    absences: int


def row_summary(
    *,
    school_class: SchoolClass,
    subject: Subject,
    group: StudyGroup | None,
    student: Student,
    start: dt.date,
    end: dt.date,
) -> RowSummary:
    """One student's weighted average and missed lessons in a subject between two dates:
    the last columns of a grid row, recomputed after a save (two queries)."""
    lessons = Lesson.objects.filter(
        school_class=school_class,
        subject=subject,
        date__gte=start,
        date__lte=end,
        status__in=ACTIVE_STATUSES,
    )
    lessons = lessons.filter(group=group) if group else lessons.filter(group__isnull=True)
    pairs = [
        (mark.value, mark.column.effective_weight)
        for mark in Mark.objects.filter(student=student, lesson__in=lessons).select_related(
            "column__work_type"
        )
    ]
    absences = Attendance.objects.filter(
        student=student, lesson__in=lessons, code__in=[c.value for c in ABSENCE_CODES]
    ).count()
    return RowSummary(weighted_average(pairs), len(pairs), absences)


@dataclass
class SheetRow:
    """One student on the lesson page: attendance and a mark per column."""

    number: int
    student: Student
    attendance: Attendance | None
    marks: list[tuple[MarkColumn | None, int, Mark | None]]  # (column, position, mark)


def lesson_sheet(lesson: Lesson, *, student_id: int | None = None) -> list[SheetRow]:
    """The lesson's class (or group) on the lesson's date with their attendance and marks;
    a fixed number of queries. With ``student_id``, that student's row only."""
    students, _ = _students_in(lesson.school_class, lesson.group, lesson.date, lesson.date)
    numbered = list(enumerate(students, start=1))
    if student_id is not None:  # the row keeps its number in the class list
        numbered = [(n, s) for n, s in numbered if s.pk == student_id]
    columns = list(lesson.columns.select_related("work_type").order_by("position"))
    marks = {
        (m.column_id, m.student_id): m
        for m in Mark.objects.filter(lesson=lesson).only(
            "id", "column_id", "student_id", "value", "version", "lesson_id"
        )
    }
    attendance = {a.student_id: a for a in Attendance.objects.filter(lesson=lesson)}
    slots: list[tuple[MarkColumn | None, int]] = [(c, c.position) for c in columns] or [(None, 1)]
    rows = []
    for number, student in numbered:
        rows.append(
            SheetRow(
                number=number,
                student=student,
                attendance=attendance.get(student.pk),
                marks=[
                    (column, position, marks.get((column.pk, student.pk)) if column else None)
                    for column, position in slots
                ],
            )
        )
    return rows


def homework_of_lesson(lesson: Lesson) -> tuple[list[Homework], list[Homework]]:
    """Homework given at the lesson, and homework due at it, with attachments."""
    related = ("student", "lesson", "lesson__subject", "created_by")
    given = list(
        Homework.objects.filter(lesson=lesson)
        .select_related(*related)
        .prefetch_related("attachments")
        .order_by("created_at")
    )
    due = list(
        Homework.objects.filter(
            Q(due_lesson=lesson)
            | Q(
                due_lesson__isnull=True,
                due_date=lesson.date,
                lesson__school_class_id=lesson.school_class_id,
                lesson__subject_id=lesson.subject_id,
                lesson__group_id=lesson.group_id,
            )
        )
        .exclude(lesson=lesson)
        .select_related(*related)
        .prefetch_related("attachments")
        .order_by("lesson__date")
    )
    return given, due


def lesson_remarks(lesson: Lesson) -> QuerySet[Remark]:
    return lesson.remarks.select_related("student", "author").order_by("-created_at")


def class_messages(school_class: SchoolClass, *, sender: User | None = None) -> list[Message]:
    """Messages to the parents of the class or of its students, newest first, each with
    ``read_count`` (family members who read it) and ``recipients`` (those with a login)."""
    student_ids = list(
        Enrolment.objects.filter(school_class=school_class).values_list("student_id", flat=True)
    )
    messages = Message.objects.filter(Q(school_class=school_class) | Q(student_id__in=student_ids))
    if sender is not None:
        messages = messages.filter(sender=sender)
    result = list(
        messages.select_related("sender", "student")
        .annotate(read_count=Count("reads", distinct=True))
        .order_by("-created_at")[:200]
    )
    logins: dict[int, int] = defaultdict(int)
    for kin_student_id in Kinship.objects.filter(
        student_id__in=student_ids, guardian__user__isnull=False
    ).values_list("student_id", flat=True):
        logins[kin_student_id] += 1
    for message in result:
        message.recipients = (
            logins[message.student_id] if message.student_id else sum(logins.values())
        )
    return result

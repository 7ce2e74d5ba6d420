"""Reads shared by views and reports: querysets with their joins already chosen."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery

from .models import (
    AcademicYear,
    EducationLevel,
    Enrolment,
    Guardian,
    Holiday,
    Kinship,
    Period,
    PeriodKind,
    School,
    SchoolClass,
    StaffMember,
    Student,
    TeachingAssignment,
    User,
    in_force_q,
    today_in,
)


def current_year(school: School, day: dt.date) -> AcademicYear | None:
    """The year containing ``day``, else the nearest one that starts later, else the last."""
    years = list(school.years.order_by("start"))
    for year in years:
        if year.contains(day):
            return year
    upcoming = [y for y in years if y.start > day]
    if upcoming:
        return upcoming[0]
    return years[-1] if years else None


@dataclass(frozen=True)
class DayOff:
    """Why a school has no lessons on a day: ``kind`` is "weekend", "holiday" or
    "outside" (of every academic year); ``name`` is the holiday's."""

    kind: str
    name: str = ""


def school_day_off(school_ids: list[int] | set[int], day: dt.date) -> DayOff | None:
    """None when ``day`` is a school day in at least one of the schools, else why it is
    not: a weekend of the schools' 5- or 6-day week, holidays for every grade, outside the
    academic year. Grade-only holidays (the first graders' February week) do not close the
    school. One query."""
    holiday = Holiday.objects.filter(
        year__school_id=OuterRef("pk"), start__lte=day, end__gte=day, only_grade__isnull=True
    ).order_by("start")
    schools = list(
        School.objects.filter(pk__in=school_ids)
        .annotate(
            in_year=Exists(
                AcademicYear.objects.filter(school=OuterRef("pk"), start__lte=day, end__gte=day)
            ),
            holiday=Subquery(holiday.values("name")[:1]),
        )
        .order_by("pk")
    )
    reasons = []
    for school in schools:
        if day.isoweekday() > school.week_days:
            reasons.append(DayOff("weekend"))
        elif school.holiday:
            reasons.append(DayOff("holiday", school.holiday))
        elif not school.in_year:
            reasons.append(DayOff("outside"))
        else:
            return None
    return reasons[0] if reasons else None


def with_current_class(students: QuerySet[Student], day: dt.date) -> QuerySet[Student]:
    """Annotate ``current_class_id`` and ``current_class_name`` as of ``day``, in one query."""
    enrolment = Enrolment.objects.in_force(day).filter(student=OuterRef("pk")).order_by("-start")
    return students.annotate(
        current_class_id=Subquery(enrolment.values("school_class_id")[:1]),
        current_grade=Subquery(enrolment.values("school_class__grade")[:1]),
        current_letter=Subquery(enrolment.values("school_class__letter")[:1]),
    )


def class_students(school_class: SchoolClass, day: dt.date) -> list[Student]:
    """The class list on ``day``; if the day is outside the class's year, everyone who was
    ever enrolled (e.g. looking back at a finished year)."""
    enrolments = school_class.enrolments.all()
    if school_class.year.contains(day):
        enrolments = enrolments.in_force(day)
    return list(
        Student.objects.filter(pk__in=enrolments.values("student_id")).order_by(
            "last_name", "first_name", "middle_name"
        )
    )


def classes_with_counts(classes: QuerySet[SchoolClass], day: dt.date) -> list[SchoolClass]:
    return list(
        classes.select_related("class_teacher", "year")
        .annotate(
            student_count=Count(
                "enrolments",
                filter=in_force_q(day, "enrolments__"),
            )
        )
        .order_by("grade", "letter")
    )


def subject_teachers(school_class: SchoolClass, day: dt.date) -> list[TeachingAssignment]:
    return list(
        school_class.assignments.in_force(day)
        .select_related("teacher", "subject", "group")
        .order_by("subject__order", "subject__name", "group__name")
    )


def family_today(guardian_id: int) -> dt.date:
    """Today where the guardian's eldest child's school is (for a page that is not the
    guardian's own session, e.g. a link from an e-mail; signed in, ``Viewer.today``)."""
    zone = (
        Student.objects.filter(kinships__guardian_id=guardian_id)
        .order_by("birth_date")
        .values_list("school__timezone", flat=True)
        .first()
    )
    return today_in(zone)


def children_of(guardian_id: int, day: dt.date) -> list[Student]:
    students = Student.objects.filter(kinships__guardian_id=guardian_id).select_related("school")
    return list(with_current_class(students, day).order_by("birth_date"))


def own_student(student_id: int) -> Student:
    return Student.objects.select_related("school").get(pk=student_id)


def guardians_of(student: Student) -> list[Kinship]:
    return list(
        student.kinships.select_related("guardian", "guardian__user").order_by(
            "relation", "guardian__last_name"
        )
    )


def student_enrolments(student: Student) -> list[Enrolment]:
    return list(
        student.enrolments.select_related("school_class", "school_class__year").order_by("-start")
    )


def teacher_assignments(user: User, day: dt.date) -> list[TeachingAssignment]:
    return list(
        TeachingAssignment.objects.in_force(day)
        .filter(teacher=user)
        .select_related("subject", "school_class", "group", "school_class__school")
        .order_by("school_class__grade", "school_class__letter", "subject__order")
    )


def staff_of(school: School) -> list[StaffMember]:
    return list(
        school.staff.filter(is_active=True)
        .select_related("user")
        .order_by("position", "user__last_name", "user__first_name")
    )


def search_students(students: QuerySet[Student], query: str) -> QuerySet[Student]:
    """Search by any part of the name: «Иванов», «иванов пётр», «Петр» (ё = е)."""
    for word in query.replace("ё", "е").replace("Ё", "Е").split():
        students = students.filter(
            Q(last_name__unaccent__icontains=word)
            | Q(first_name__unaccent__icontains=word)
            | Q(middle_name__unaccent__icontains=word)
        )
    return students


@dataclass
class SchoolOverview:
    school: School
    year: AcademicYear | None
    students: int
    classes: int
    staff: int
    guardians: int
    periods: list[Period]
    classes_by_level: list[tuple[str, list[SchoolClass]]]
    today: dt.date | None = None
    attention: list = field(default_factory=list)  # school.extensions.Attention, by the view

    @property
    def ending_periods(self) -> list[Period]:
        """Open periods that end within ``PERIODS_ENDING_WITHIN`` days from today."""
        if self.today is None:
            return []
        until = self.today + PERIODS_ENDING_WITHIN
        return [p for p in self.periods if not p.is_locked and self.today <= p.end <= until]


# The leadership sees a period coming to its end this long before (final marks, closing).
PERIODS_ENDING_WITHIN = dt.timedelta(days=14)
# Periods starting on the same day: the shortest first (a quarter, a half-year, the year).
KIND_ORDER = {kind: index for index, kind in enumerate(PeriodKind.values)}


def calendar_order(periods: list[Period]) -> list[Period]:
    """By start date, then kind (quarter, half-year, trimester, year, exam, final), then
    number: «I четверть, I полугодие, Год, II четверть…»."""
    return sorted(periods, key=lambda p: (p.start, KIND_ORDER.get(p.kind, 99), p.number))


def school_overview(school: School, day: dt.date, *, counts: bool = True) -> SchoolOverview:
    """The school's year, periods (calendar order) and, with ``counts``, its classes and
    people counted (the overview page; the leadership's home leaves them out)."""
    year = current_year(school, day)
    classes = (
        classes_with_counts(SchoolClass.objects.filter(year=year), day) if year and counts else []
    )
    by_level: dict[str, list[SchoolClass]] = {}
    for school_class in classes:
        by_level.setdefault(school_class.level, []).append(school_class)
    students = sum(c.student_count for c in classes)
    guardians = (
        Guardian.objects.filter(kinships__student__enrolments__school_class__year=year)
        .distinct()
        .count()
        if year and counts
        else 0
    )
    staff = school.staff.filter(is_active=True).values("user").distinct().count() if counts else 0
    return SchoolOverview(
        school=school,
        year=year,
        students=students,
        classes=len(classes),
        staff=staff,
        guardians=guardians,
        periods=calendar_order(list(year.periods.all())) if year else [],
        classes_by_level=[
            (EducationLevel(level).label, level_classes)
            for level, level_classes in sorted(by_level.items())
        ],
        today=day,
    )

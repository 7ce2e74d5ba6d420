"""factory_boy factories for the journal app, built on ``tests/factories.py``, and two small
explicit worlds the journal tests share.

``build_journal_world()`` is a school whose academic year contains the school's local
today, so that marks (refused for future lessons and limited by the edit window) can be
given on lessons dated relative to today. ``build_calendar_world()`` is the fixed 2026/27
year of ``tests/factories.py`` with the ministry's holidays, for the timetable, where exact
weekdays and holidays matter and today does not.

Lessons are made with ``LessonFactory``: the services only generate lessons from the
timetable or add extra ones. Marks, attendance and homework are made through the services
(only the grid's query-budget test bulk-creates its thousands of marks).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from journal.models import Bell, JournalSettings, Lesson, TimetableEntry, Weekday
from school.models import (
    AcademicYear,
    Period,
    Position,
    School,
    SchoolClass,
    StaffMember,
    Student,
    Subject,
    TeachingAssignment,
    User,
)
from tests.factories import (
    HOLIDAYS,
    QUARTERS,
    YEAR_END,
    YEAR_START,
    AcademicYearFactory,
    HolidayFactory,
    PeriodFactory,
    SchoolClassFactory,
    SchoolFactory,
    StudentFactory,
    SubjectFactory,
    UserFactory,
)
from tests.world import school_year_start

# The first grade's extra February week of the 2026/27 pattern (DOMAIN.md 1).
FIRST_GRADE_WEEK = (
    "Дополнительные каникулы для 1 класса",
    dt.date(2027, 2, 15),
    dt.date(2027, 2, 21),
)


class JournalSettingsFactory(DjangoModelFactory):
    """The school's journal rules; one row per school, so asking twice changes nothing."""

    class Meta:
        model = JournalSettings
        django_get_or_create = ("school",)

    school = factory.SubFactory(SchoolFactory)
    max_tests_per_day = 1
    edit_window_days = 7
    allow_future_marks = False


class BellFactory(DjangoModelFactory):
    """Lesson ``number`` of the first shift: 45 minutes from 08:00 plus ten-minute breaks."""

    class Meta:
        model = Bell

    school = factory.SubFactory(SchoolFactory)
    shift = 1
    number = factory.Sequence(lambda n: n % 8 + 1)
    starts_at = factory.LazyAttribute(
        lambda o: dt.time(8 + (o.number - 1) * 55 // 60, (o.number - 1) * 55 % 60)
    )
    ends_at = factory.LazyAttribute(
        lambda o: dt.time(8 + ((o.number - 1) * 55 + 45) // 60, ((o.number - 1) * 55 + 45) % 60)
    )


class TimetableEntryFactory(DjangoModelFactory):
    """A weekly slot of a whole class, valid for its whole year (Monday, lesson 1)."""

    class Meta:
        model = TimetableEntry

    school_class = factory.SubFactory(SchoolClassFactory)
    group = None
    subject = factory.SubFactory(
        SubjectFactory, school=factory.SelfAttribute("..school_class.school")
    )
    teacher = factory.SubFactory(UserFactory)
    weekday = Weekday.MONDAY
    number = 1
    room = "21"
    valid_from = factory.LazyAttribute(lambda o: o.school_class.year.start)
    valid_to = None


class LessonFactory(DjangoModelFactory):
    """A planned lesson of a whole class on the school's local today, lesson 1."""

    class Meta:
        model = Lesson

    school_class = factory.SubFactory(SchoolClassFactory)
    school = factory.SelfAttribute("school_class.school")
    group = None
    subject = factory.SubFactory(
        SubjectFactory, school=factory.SelfAttribute("..school_class.school")
    )
    teacher = factory.SubFactory(UserFactory)
    date = factory.LazyAttribute(lambda o: o.school_class.school.local_today())
    number = 1
    room = "21"


def staff(school: School, position: str, username: str, last: str, first: str, middle: str) -> User:
    """A login holding one position in the school (made directly: every journal test builds
    a world, so its few dozen rows are kept cheap)."""
    user = User.objects.create(
        username=username, last_name=last, first_name=first, middle_name=middle
    )
    StaffMember.objects.create(user=user, school=school, position=position)
    return user


def teaches(teacher: User, school_class: SchoolClass, subject: Subject) -> TeachingAssignment:
    """``teacher`` (already staff of the school) teaches ``subject`` to the whole class for
    its whole year."""
    return TeachingAssignment.objects.create(
        teacher=teacher, school_class=school_class, subject=subject, start=school_class.year.start
    )


@dataclass
class JournalWorld:
    """One school with a year that contains today.

    - 5А (class teacher ``russian_teacher``): ``teacher`` teaches математика,
      ``russian_teacher`` русский язык; students Алексеев, Борисова, Васильев.
    - 5Б: ``other_teacher`` teaches математика there (and nothing in 5А).
    - 1А: first grade, ungraded; ``teacher`` teaches математика there too.
    - ``deputy`` and ``director`` lead the school; ``secretary`` keeps the roster.
    - Periods: I четверть up to ``today - 31``, II четверть ``today ± 30``, and the year.
    """

    school: School
    year: AcademicYear
    today: dt.date
    quarter: Period
    previous_quarter: Period
    year_period: Period
    class_5a: SchoolClass
    class_5b: SchoolClass
    class_1a: SchoolClass
    math: Subject
    russian: Subject
    teacher: User
    russian_teacher: User
    other_teacher: User
    deputy: User
    director: User
    secretary: User
    students: list[Student] = field(default_factory=list)

    def day(self, offset: int) -> dt.date:
        return self.today + dt.timedelta(days=offset)

    def school_day(self, offset: int) -> dt.date:
        """The nearest weekday (Monday-Friday: the school has no holidays) on or before
        ``today + offset``."""
        day = self.day(offset)
        while day.isoweekday() > 5:
            day -= dt.timedelta(days=1)
        return day

    def lesson(
        self,
        offset: int = 0,
        *,
        number: int = 1,
        school_class: SchoolClass | None = None,
        subject: Subject | None = None,
        teacher: User | None = None,
        **extra,
    ) -> Lesson:
        """A math lesson of 5А ``offset`` days from today, given by ``teacher``."""
        return LessonFactory(
            school_class=school_class or self.class_5a,
            subject=subject or self.math,
            teacher=teacher or self.teacher,
            date=self.day(offset),
            number=number,
            **extra,
        )


def build_journal_world(*, allow_mark_one: bool = False) -> JournalWorld:
    school = SchoolFactory(short_name="МБОУ «СОШ № 7»", allow_mark_one=allow_mark_one)
    today = school.local_today()
    start = min(school_year_start(today), today - dt.timedelta(days=120))
    end = max(dt.date(start.year + 1, 5, 26), today + dt.timedelta(days=90))
    year = AcademicYearFactory(
        school=school, name=f"{start.year}/{start.year + 1}", start=start, end=end
    )
    previous_quarter = PeriodFactory(
        year=year, number=1, start=start, end=today - dt.timedelta(days=31)
    )
    quarter = PeriodFactory(
        year=year,
        number=2,
        start=today - dt.timedelta(days=30),
        end=today + dt.timedelta(days=30),
    )
    year_period = PeriodFactory(year=year, whole_year=True)

    teacher = staff(school, Position.TEACHER, "math", "Кузнецов", "Андрей", "Павлович")
    russian_teacher = staff(school, Position.TEACHER, "russian", "Белова", "Ольга", "Сергеевна")
    other_teacher = staff(school, Position.TEACHER, "other", "Громов", "Игорь", "Петрович")
    deputy = staff(school, Position.DEPUTY, "deputy", "Осипова", "Марина", "Игоревна")
    director = staff(school, Position.DIRECTOR, "director", "Радченко", "Людмила", "Фёдоровна")
    secretary = staff(school, Position.SECRETARY, "secretary", "Лисицына", "Анна", "Викторовна")

    math = SubjectFactory(school=school, name="Математика", short_name="Матем.")
    russian = SubjectFactory(school=school, name="Русский язык", short_name="Рус. яз.")
    class_5a = SchoolClassFactory(
        school=school, year=year, grade=5, letter="А", class_teacher=russian_teacher
    )
    class_5b = SchoolClassFactory(school=school, year=year, grade=5, letter="Б")
    class_1a = SchoolClassFactory(school=school, year=year, grade=1, letter="А")
    teaches(teacher, class_5a, math)
    teaches(russian_teacher, class_5a, russian)
    teaches(other_teacher, class_5b, math)
    teaches(teacher, class_1a, math)

    # Created out of alphabetical order: lists must sort them by surname.
    students = [
        StudentFactory(
            school=school,
            last_name="Васильев",
            first_name="Илья",
            middle_name="Андреевич",
            enrolled_in=class_5a,
        ),
        StudentFactory(
            school=school,
            last_name="Алексеев",
            first_name="Пётр",
            middle_name="Сергеевич",
            enrolled_in=class_5a,
        ),
        StudentFactory(
            female=True,
            school=school,
            last_name="Борисова",
            first_name="Анна",
            middle_name="Ивановна",
            enrolled_in=class_5a,
        ),
    ]
    students.sort(key=lambda s: s.last_name)
    return JournalWorld(
        school=school,
        year=year,
        today=today,
        quarter=quarter,
        previous_quarter=previous_quarter,
        year_period=year_period,
        class_5a=class_5a,
        class_5b=class_5b,
        class_1a=class_1a,
        math=math,
        russian=russian,
        teacher=teacher,
        russian_teacher=russian_teacher,
        other_teacher=other_teacher,
        deputy=deputy,
        director=director,
        secretary=secretary,
        students=students,
    )


@dataclass
class CalendarWorld:
    """The fixed 2026/27 year (01.09.2026 is a Tuesday) with the ministry's holidays and the
    first grade's February week; 5А and 1А; ``teacher`` teaches математика in both."""

    school: School
    year: AcademicYear
    class_5a: SchoolClass
    class_1a: SchoolClass
    math: Subject
    russian: Subject
    teacher: User
    russian_teacher: User
    deputy: User
    quarters: dict[int, Period]


def build_calendar_world(*, week_days: int = 5) -> CalendarWorld:
    school = SchoolFactory(short_name="МБОУ «СОШ № 3»", week_days=week_days)
    year = AcademicYearFactory(school=school, start=YEAR_START, end=YEAR_END)
    quarters = {n: PeriodFactory(year=year, number=n) for n in QUARTERS}
    for name, first, last in HOLIDAYS:
        HolidayFactory(year=year, name=name, start=first, end=last)
    name, first, last = FIRST_GRADE_WEEK
    HolidayFactory(year=year, name=name, start=first, end=last, only_grade=1)
    teacher = staff(school, Position.TEACHER, "cal_math", "Кузнецов", "Андрей", "Павлович")
    russian_teacher = staff(school, Position.TEACHER, "cal_rus", "Белова", "Ольга", "Сергеевна")
    deputy = staff(school, Position.DEPUTY, "cal_deputy", "Осипова", "Марина", "Игоревна")
    math = SubjectFactory(school=school, name="Математика")
    russian = SubjectFactory(school=school, name="Русский язык")
    class_5a = SchoolClassFactory(school=school, year=year, grade=5, letter="А")
    class_1a = SchoolClassFactory(school=school, year=year, grade=1, letter="А")
    teaches(teacher, class_5a, math)
    teaches(teacher, class_1a, math)
    teaches(russian_teacher, class_5a, russian)
    return CalendarWorld(
        school=school,
        year=year,
        class_5a=class_5a,
        class_1a=class_1a,
        math=math,
        russian=russian,
        teacher=teacher,
        russian_teacher=russian_teacher,
        deputy=deputy,
        quarters=quarters,
    )


def lock(period: Period, by: User) -> Period:
    """Close a period as the director does in the admin (there is no service for it yet)."""
    period.is_locked = True
    period.locked_by = by
    period.locked_at = timezone.now()
    period.save(update_fields=["is_locked", "locked_by", "locked_at", "updated_at"])
    return period

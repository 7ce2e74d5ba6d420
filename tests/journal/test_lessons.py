"""Lessons: generated from the timetable, then substituted, cancelled, moved, added, filled
in; and the limit of tests per day.

The calendar here is the fixed 2026/27 year (``build_calendar_world``): 01.09.2026 is a
Tuesday, autumn holidays 24.10-04.11.2026, the first grade's extra week 15-21.02.2027.
None of these services depends on today's date.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from journal import services
from journal.models import JournalChange, Lesson, LessonStatus, LessonType, Weekday
from journal.selectors import test_schedule as class_test_schedule
from journal.services.common import MSG_NO_RIGHT, MSG_NO_SCHEDULE_RIGHT
from journal.services.lessons import (
    MSG_HAS_ENTRIES,
    MSG_INACTIVE,
    MSG_NOT_A_SCHOOL_DAY,
    MSG_NOT_A_TEACHER,
    MSG_REASON_REQUIRED,
    MSG_SLOT_TAKEN,
    MSG_TOO_MANY_TESTS,
)
from school.models import Position
from tests.factories import (
    SchoolClassFactory,
    SchoolFactory,
    StaffMemberFactory,
    StudentFactory,
    StudyGroupFactory,
    TeachingAssignmentFactory,
    UserFactory,
)
from tests.journal_factories import (
    JournalSettingsFactory,
    LessonFactory,
    TimetableEntryFactory,
    build_calendar_world,
)
from tests.once import built_once, copy_of

pytestmark = pytest.mark.django_db

D = dt.date
MONDAY = D(2026, 9, 14)  # an ordinary school week: Monday 14 - Sunday 20 September 2026


@pytest.fixture(scope="module")
def _c_once(django_db_setup, django_db_blocker):
    with built_once(django_db_blocker, build_calendar_world) as world:
        yield world


@pytest.fixture
def c(db, _c_once):
    """``build_calendar_world()`` built once for the module (``tests.once``)."""
    return copy_of(_c_once)


def six_day_week(c) -> None:
    """``build_calendar_world(week_days=6)`` on the module's shared world."""
    c.school.week_days = 6
    c.school.save(update_fields=["week_days"])


def refusal(service, **kwargs) -> list[str]:
    with pytest.raises(ValidationError) as error:
        service(**kwargs)
    return error.value.messages


def slots(school_class) -> list[tuple[dt.date, int, str]]:
    return list(
        Lesson.objects.filter(school_class=school_class)
        .order_by("date", "number")
        .values_list("date", "number", "subject__name")
    )


def math_lesson(c, day=MONDAY, number=1, **extra) -> Lesson:
    return LessonFactory(
        school_class=c.class_5a, subject=c.math, teacher=c.teacher, date=day, number=number, **extra
    )


def russian_lesson(c, day=MONDAY, number=2, **extra) -> Lesson:
    return LessonFactory(
        school_class=c.class_5a,
        subject=c.russian,
        teacher=c.russian_teacher,
        date=day,
        number=number,
        **extra,
    )


def timetable(c, school_class=None, *rows, **extra):
    """Weekly rows (weekday, number, subject) for a class, taught by the world's teachers."""
    school_class = school_class or c.class_5a
    for weekday, number, subject in rows:
        teacher = c.teacher if subject == c.math else c.russian_teacher
        TimetableEntryFactory(
            school_class=school_class,
            subject=subject,
            teacher=teacher,
            weekday=weekday,
            number=number,
            **extra,
        )


# --- Generating lessons from the timetable --------------------------------------------


def test_lessons_are_generated_on_their_weekdays(c) -> None:
    """A week's timetable (Mon 1, Wed 2, Fri 3) gives lessons on those days with the
    timetable's teacher and room, planned."""
    timetable(
        c,
        None,
        (Weekday.MONDAY, 1, c.math),
        (Weekday.WEDNESDAY, 2, c.russian),
        (Weekday.FRIDAY, 3, c.math),
    )

    created = services.generate_lessons(
        school_class=c.class_5a, start=MONDAY, end=MONDAY + dt.timedelta(days=6)
    )

    assert created == 3
    assert slots(c.class_5a) == [
        (D(2026, 9, 14), 1, "Математика"),
        (D(2026, 9, 16), 2, "Русский язык"),
        (D(2026, 9, 18), 3, "Математика"),
    ]
    first = Lesson.objects.get(date=D(2026, 9, 14))
    assert (first.teacher, first.room, first.status, first.is_extra) == (
        c.teacher,
        "21",
        LessonStatus.PLANNED,
        False,
    )
    assert first.timetable_entry.weekday == Weekday.MONDAY


def test_a_five_day_school_has_no_saturday_lessons(c) -> None:
    """A Saturday row of the timetable makes nothing in a five-day school."""
    timetable(c, None, (Weekday.FRIDAY, 1, c.math), (Weekday.SATURDAY, 1, c.math))

    created = services.generate_lessons(
        school_class=c.class_5a, start=MONDAY, end=MONDAY + dt.timedelta(days=6)
    )

    assert created == 1
    assert slots(c.class_5a) == [(D(2026, 9, 18), 1, "Математика")]


def test_a_six_day_school_has_saturday_lessons_but_not_in_the_first_grade(c) -> None:
    """In a six-day school 5А learns on Saturday; 1А always has a five-day week."""
    six_day_week(c)
    timetable(c, c.class_5a, (Weekday.SATURDAY, 1, c.math))
    timetable(c, c.class_1a, (Weekday.FRIDAY, 1, c.math), (Weekday.SATURDAY, 1, c.math))
    week = {"start": MONDAY, "end": MONDAY + dt.timedelta(days=6)}

    created_5a = services.generate_lessons(school_class=c.class_5a, **week)
    created_1a = services.generate_lessons(school_class=c.class_1a, **week)

    assert (created_5a, created_1a) == (1, 1)
    assert slots(c.class_5a) == [(D(2026, 9, 19), 1, "Математика")]
    assert slots(c.class_1a) == [(D(2026, 9, 18), 1, "Математика")]


def test_holidays_have_no_lessons(c) -> None:
    """The autumn holidays (24.10-04.11) are skipped: Mondays 26.10 and 02.11 and
    Thursday 29.10 get no lessons."""
    timetable(c, None, (Weekday.MONDAY, 1, c.math), (Weekday.THURSDAY, 1, c.math))

    created = services.generate_lessons(
        school_class=c.class_5a, start=D(2026, 10, 19), end=D(2026, 11, 8)
    )

    assert created == 3
    assert [day for day, _, _ in slots(c.class_5a)] == [
        D(2026, 10, 19),
        D(2026, 10, 22),
        D(2026, 11, 5),
    ]


def test_the_february_week_is_a_holiday_for_the_first_grade_only(c) -> None:
    """15-21.02.2027 is a holiday for 1А; 5А learns as usual."""
    timetable(c, c.class_1a, (Weekday.MONDAY, 1, c.math))
    timetable(c, c.class_5a, (Weekday.MONDAY, 1, c.math))
    february = {"start": D(2027, 2, 8), "end": D(2027, 2, 28)}

    services.generate_lessons(school_class=c.class_1a, **february)
    services.generate_lessons(school_class=c.class_5a, **february)

    assert [day for day, _, _ in slots(c.class_1a)] == [D(2027, 2, 8), D(2027, 2, 22)]
    assert [day for day, _, _ in slots(c.class_5a)] == [
        D(2027, 2, 8),
        D(2027, 2, 15),
        D(2027, 2, 22),
    ]


def test_timetable_rows_apply_only_within_their_dates(c) -> None:
    """A row valid up to 13.09 and its replacement valid from 21.09 (with another teacher)
    make lessons only within their dates."""
    TimetableEntryFactory(
        school_class=c.class_5a,
        subject=c.math,
        teacher=c.teacher,
        weekday=Weekday.MONDAY,
        valid_to=D(2026, 9, 13),
    )
    TimetableEntryFactory(
        school_class=c.class_5a,
        subject=c.math,
        teacher=c.deputy,
        weekday=Weekday.MONDAY,
        valid_from=D(2026, 9, 21),
    )

    created = services.generate_lessons(
        school_class=c.class_5a, start=D(2026, 9, 1), end=D(2026, 9, 30)
    )

    assert created == 3
    assert list(Lesson.objects.order_by("date").values_list("date", "teacher__username")) == [
        (D(2026, 9, 7), "cal_math"),
        (D(2026, 9, 21), "cal_deputy"),
        (D(2026, 9, 28), "cal_deputy"),
    ]


def test_lessons_are_generated_only_within_the_year(c) -> None:
    """Asking for dates around the year's start generates nothing before 01.09."""
    timetable(c, None, (Weekday.MONDAY, 1, c.math), (Weekday.TUESDAY, 1, c.math))

    services.generate_lessons(school_class=c.class_5a, start=D(2026, 8, 24), end=D(2026, 9, 1))

    assert slots(c.class_5a) == [(D(2026, 9, 1), 1, "Математика")]


def test_generating_twice_creates_nothing_and_keeps_changed_lessons(c) -> None:
    """A second run creates no lesson; a cancelled and a moved lesson stay as they are."""
    timetable(
        c,
        None,
        (Weekday.MONDAY, 1, c.math),
        (Weekday.WEDNESDAY, 1, c.math),
        (Weekday.FRIDAY, 1, c.math),
    )
    week = {"start": MONDAY, "end": MONDAY + dt.timedelta(days=6)}
    first_run = services.generate_lessons(school_class=c.class_5a, **week)
    monday, wednesday, _ = Lesson.objects.order_by("date")
    services.cancel_lesson(actor=c.teacher, lesson=monday, reason="Карантин")
    moved_to = services.move_lesson(
        actor=c.teacher, lesson=wednesday, new_date=D(2026, 9, 17), new_number=5, reason="Олимпиада"
    )

    second_run = services.generate_lessons(school_class=c.class_5a, **week)

    assert (first_run, second_run) == (3, 0)
    assert list(
        Lesson.objects.order_by("date", "number").values_list("date", "number", "status")
    ) == [
        (D(2026, 9, 14), 1, LessonStatus.CANCELLED),
        (D(2026, 9, 16), 1, LessonStatus.MOVED),
        (D(2026, 9, 17), 5, LessonStatus.PLANNED),
        (D(2026, 9, 18), 1, LessonStatus.PLANNED),
    ]
    assert Lesson.objects.get(date=D(2026, 9, 16)).moved_to == moved_to


def test_generation_does_not_double_book_a_slot_taken_by_a_moved_lesson(c) -> None:
    """A lesson moved into next month's Monday lesson 2 keeps that slot: generating next
    month must not put the timetable's русский язык there as well."""
    timetable(c, None, (Weekday.MONDAY, 2, c.russian))
    lesson = math_lesson(c, MONDAY, 1)
    services.move_lesson(
        actor=c.teacher, lesson=lesson, new_date=D(2026, 10, 5), new_number=2, reason="Олимпиада"
    )

    services.generate_lessons(school_class=c.class_5a, start=D(2026, 10, 5), end=D(2026, 10, 5))

    active = Lesson.objects.filter(
        school_class=c.class_5a, date=D(2026, 10, 5), number=2, status=LessonStatus.PLANNED
    )
    assert list(active.values_list("subject__name", flat=True)) == ["Математика"]


def test_school_days_skip_weekends_and_holidays(c) -> None:
    """19.10-08.11: five days before the autumn holidays and two after them (5-day week)."""
    days = services.school_days(c.class_5a, D(2026, 10, 19), D(2026, 11, 8))

    assert days == [
        D(2026, 10, 19),
        D(2026, 10, 20),
        D(2026, 10, 21),
        D(2026, 10, 22),
        D(2026, 10, 23),
        D(2026, 11, 5),
        D(2026, 11, 6),
    ]


def test_school_days_of_a_six_day_week_include_saturdays(c) -> None:
    """In a six-day school Saturday 07.11 is a school day for 5А but not for 1А."""
    six_day_week(c)

    days_5a = services.school_days(c.class_5a, D(2026, 11, 2), D(2026, 11, 8))
    days_1a = services.school_days(c.class_1a, D(2026, 11, 2), D(2026, 11, 8))

    assert days_5a == [D(2026, 11, 5), D(2026, 11, 6), D(2026, 11, 7)]
    assert days_1a == [D(2026, 11, 5), D(2026, 11, 6)]


@pytest.mark.parametrize(
    ("grade", "day", "why"),
    [
        (5, D(2026, 9, 14), ""),
        (5, D(2026, 8, 31), "вне учебного года"),
        (5, D(2027, 5, 27), "вне учебного года"),
        (5, D(2026, 9, 19), "выходной"),
        (5, D(2026, 9, 20), "выходной"),
        (5, D(2026, 10, 26), "каникулы: осенние каникулы"),
        (5, D(2027, 1, 4), "каникулы: зимние каникулы"),
        (5, D(2027, 2, 15), ""),
        (1, D(2027, 2, 15), "каникулы: дополнительные каникулы для 1 класса"),
    ],
)
def test_why_a_day_is_not_a_school_day(c, grade, day, why) -> None:
    """The reason a day has no lessons, in Russian; empty for a school day."""
    school_class = c.class_1a if grade == 1 else c.class_5a

    assert services.why_not_a_school_day(school_class, day) == why


# --- Substitution ---------------------------------------------------------------------


def test_the_deputy_substitutes_a_lesson(c) -> None:
    """A substitute gives the lesson; the old and new teacher are in the history."""
    lesson = math_lesson(c)

    services.substitute_lesson(
        actor=c.deputy, lesson=lesson, substitute=c.russian_teacher, reason="Больничный"
    )

    lesson.refresh_from_db()
    assert (lesson.substitute, lesson.given_by, lesson.change_reason, lesson.version) == (
        c.russian_teacher,
        c.russian_teacher,
        "Больничный",
        2,
    )
    change = JournalChange.objects.get(kind="lesson")
    assert (change.actor, change.action, change.reason) == (c.deputy, "update", "Больничный")
    assert (change.old["substitute"], change.new["substitute"]) == (None, "Белова О. С.")
    assert change.new["teacher"] == "Кузнецов А. П."


def test_a_substitution_is_removed_with_none(c) -> None:
    """Passing no substitute gives the lesson back to its teacher."""
    lesson = math_lesson(c)
    services.substitute_lesson(actor=c.deputy, lesson=lesson, substitute=c.russian_teacher)

    services.substitute_lesson(actor=c.deputy, lesson=lesson, substitute=None)

    lesson.refresh_from_db()
    assert (lesson.substitute, lesson.given_by, lesson.version) == (None, c.teacher, 3)


def test_the_lessons_own_teacher_as_substitute_means_no_substitute(c) -> None:
    """Naming the timetable's teacher as the substitute leaves no substitute."""
    lesson = math_lesson(c)

    services.substitute_lesson(actor=c.deputy, lesson=lesson, substitute=c.teacher)

    lesson.refresh_from_db()
    assert lesson.substitute is None


def test_a_substitute_must_work_in_the_school(c) -> None:
    """A person who is not staff of this school (a stranger, another school's teacher)
    cannot substitute."""
    lesson = math_lesson(c)
    stranger = UserFactory(last_name="Орлов", first_name="Глеб", middle_name="Ильич")
    elsewhere = StaffMemberFactory(school=SchoolFactory(), position=Position.TEACHER).user

    refusals = [
        refusal(services.substitute_lesson, actor=c.deputy, lesson=lesson, substitute=person)
        for person in (stranger, elsewhere)
    ]

    assert refusals == [
        [MSG_NOT_A_TEACHER % {"person": "Орлов Г. И."}],
        [MSG_NOT_A_TEACHER % {"person": elsewhere.short_name}],
    ]
    lesson.refresh_from_db()
    assert (lesson.substitute, lesson.version) == (None, 1)
    assert not JournalChange.objects.exists()


def test_a_secretary_cannot_substitute_a_lesson(c) -> None:
    """The substitute must work as a teacher: the secretary is refused."""
    secretary = StaffMemberFactory(
        school=c.school,
        position=Position.SECRETARY,
        user=UserFactory(last_name="Лисицына", first_name="Анна", middle_name="Викторовна"),
    ).user
    lesson = math_lesson(c)

    messages = refusal(
        services.substitute_lesson, actor=c.deputy, lesson=lesson, substitute=secretary
    )

    assert messages == [MSG_NOT_A_TEACHER % {"person": "Лисицына А. В."}]


def test_another_teacher_cannot_arrange_a_substitution(c) -> None:
    """A teacher who neither gives the lesson nor leads the school cannot change it."""
    lesson = math_lesson(c)

    messages = refusal(
        services.substitute_lesson, actor=c.russian_teacher, lesson=lesson, substitute=c.deputy
    )

    assert messages == [MSG_NO_SCHEDULE_RIGHT]
    lesson.refresh_from_db()
    assert lesson.substitute is None


# --- Cancelling -----------------------------------------------------------------------


def test_a_lesson_is_cancelled_with_a_reason(c) -> None:
    """A cancelled lesson keeps its row with the status «отменён» and the reason."""
    lesson = math_lesson(c)

    services.cancel_lesson(actor=c.deputy, lesson=lesson, reason="  Карантин по гриппу ")

    lesson.refresh_from_db()
    assert (lesson.status, lesson.change_reason, lesson.version) == (
        LessonStatus.CANCELLED,
        "Карантин по гриппу",
        2,
    )
    change = JournalChange.objects.get(kind="lesson")
    assert (change.old["status"], change.new["status"]) == ("planned", "cancelled")


@pytest.mark.parametrize("reason", ["", "   "])
def test_cancelling_needs_a_reason(c, reason) -> None:
    """Without a reason a lesson is not cancelled."""
    lesson = math_lesson(c)

    messages = refusal(services.cancel_lesson, actor=c.deputy, lesson=lesson, reason=reason)

    assert messages == [MSG_REASON_REQUIRED]
    lesson.refresh_from_db()
    assert lesson.status == LessonStatus.PLANNED


def test_a_lesson_with_entries_cannot_be_cancelled(c) -> None:
    """A lesson where attendance is already marked is not cancelled."""
    lesson = math_lesson(c)
    student = StudentFactory(school=c.school, enrolled_in=c.class_5a)
    services.set_attendance(
        actor=c.teacher, lesson=lesson, student=student, code="б", expected_version=0
    )

    messages = refusal(services.cancel_lesson, actor=c.deputy, lesson=lesson, reason="Карантин")

    assert messages == [MSG_HAS_ENTRIES % {"date": "14.09.2026"}]
    lesson.refresh_from_db()
    assert lesson.status == LessonStatus.PLANNED


def test_a_cancelled_lesson_cannot_be_cancelled_or_changed_again(c) -> None:
    """A cancelled lesson refuses another cancellation and a new topic."""
    lesson = services.cancel_lesson(actor=c.deputy, lesson=math_lesson(c), reason="Карантин")

    cancelled_again = refusal(
        services.cancel_lesson, actor=c.deputy, lesson=lesson, reason="Ещё раз"
    )
    retitled = refusal(
        services.update_lesson,
        actor=c.teacher,
        lesson=lesson,
        expected_version=lesson.version,
        topic="Дроби",
    )

    expected = [MSG_INACTIVE % {"date": "14.09.2026", "state": "отменён"}]
    assert cancelled_again == retitled == expected


# --- Moving ---------------------------------------------------------------------------


def test_a_moved_lesson_points_to_its_new_date(c) -> None:
    """Moving keeps the old row «перенесён» with ``moved_to`` = the new lesson, which has
    the same subject, teacher, topic and type on the new date and number."""
    lesson = math_lesson(c, topic="Дроби", lesson_type=LessonType.INDEPENDENT)

    new = services.move_lesson(
        actor=c.teacher, lesson=lesson, new_date=D(2026, 9, 17), new_number=6, reason="Олимпиада"
    )

    lesson.refresh_from_db()
    assert (lesson.status, lesson.moved_to, lesson.change_reason) == (
        LessonStatus.MOVED,
        new,
        "Олимпиада",
    )
    assert (new.date, new.number, new.status) == (D(2026, 9, 17), 6, LessonStatus.PLANNED)
    assert (new.subject, new.teacher, new.topic, new.lesson_type) == (
        c.math,
        c.teacher,
        "Дроби",
        LessonType.INDEPENDENT,
    )
    assert new.moved_from == lesson
    changes = {ch.object_id: ch for ch in JournalChange.objects.filter(kind="lesson")}
    assert (changes[lesson.pk].action, changes[lesson.pk].new["status"]) == ("update", "moved")
    assert (changes[new.pk].action, changes[new.pk].old) == ("create", None)
    assert changes[new.pk].new["date"] == "17.09.2026"


def test_a_lesson_cannot_be_moved_into_a_taken_slot(c) -> None:
    """The class already has русский язык on Tuesday's lesson 2."""
    lesson = math_lesson(c)
    russian_lesson(c, D(2026, 9, 15), 2)

    messages = refusal(
        services.move_lesson,
        actor=c.teacher,
        lesson=lesson,
        new_date=D(2026, 9, 15),
        new_number=2,
        reason="Олимпиада",
    )

    assert messages == [
        MSG_SLOT_TAKEN % {"cls": "5А", "date": "15.09.2026", "number": 2, "subject": "Русский язык"}
    ]
    lesson.refresh_from_db()
    assert (lesson.status, Lesson.objects.count()) == (LessonStatus.PLANNED, 2)


def test_a_slot_freed_by_a_cancellation_takes_a_moved_lesson(c) -> None:
    """A cancelled lesson does not hold its slot."""
    lesson = math_lesson(c)
    other = russian_lesson(c, D(2026, 9, 15), 2)
    services.cancel_lesson(actor=c.deputy, lesson=other, reason="Карантин")

    new = services.move_lesson(
        actor=c.teacher, lesson=lesson, new_date=D(2026, 9, 15), new_number=2, reason="Замена"
    )

    assert (new.date, new.number, new.subject) == (D(2026, 9, 15), 2, c.math)


def test_subgroups_share_a_slot_but_not_with_the_whole_class(c) -> None:
    """One subgroup's lesson may go to the slot of the other subgroup's lesson, not to the
    slot of a whole-class lesson."""
    first = StudyGroupFactory(school_class=c.class_5a, subject=c.math, name="Подгруппа 1")
    second = StudyGroupFactory(school_class=c.class_5a, subject=c.math, name="Подгруппа 2")
    lesson = math_lesson(c, MONDAY, 1, group=first)
    math_lesson(c, D(2026, 9, 15), 3, group=second)
    russian_lesson(c, D(2026, 9, 15), 4)

    new = services.move_lesson(
        actor=c.teacher, lesson=lesson, new_date=D(2026, 9, 15), new_number=3, reason="Экскурсия"
    )
    messages = refusal(
        services.move_lesson,
        actor=c.teacher,
        lesson=new,
        new_date=D(2026, 9, 15),
        new_number=4,
        reason="Экскурсия",
    )

    assert (new.group, new.number) == (first, 3)
    assert messages == [
        MSG_SLOT_TAKEN % {"cls": "5А", "date": "15.09.2026", "number": 4, "subject": "Русский язык"}
    ]


@pytest.mark.parametrize(
    ("day", "why"),
    [
        (D(2026, 10, 26), "каникулы: осенние каникулы"),
        (D(2026, 9, 19), "выходной"),
        (D(2027, 6, 1), "вне учебного года"),
    ],
)
def test_a_lesson_cannot_be_moved_to_a_day_without_school(c, day, why) -> None:
    """Holidays, weekends and days after the year are refused with the reason."""
    lesson = math_lesson(c)

    messages = refusal(
        services.move_lesson,
        actor=c.teacher,
        lesson=lesson,
        new_date=day,
        new_number=1,
        reason="Олимпиада",
    )

    assert messages == [
        MSG_NOT_A_SCHOOL_DAY % {"date": day.strftime("%d.%m.%Y"), "cls": "5А", "why": why}
    ]
    assert Lesson.objects.count() == 1


def test_moving_needs_a_reason(c) -> None:
    """A move without a reason is refused."""
    lesson = math_lesson(c)

    messages = refusal(
        services.move_lesson,
        actor=c.teacher,
        lesson=lesson,
        new_date=D(2026, 9, 17),
        new_number=6,
        reason="",
    )

    assert messages == [MSG_REASON_REQUIRED]
    assert Lesson.objects.count() == 1


def test_a_lesson_with_entries_cannot_be_moved(c) -> None:
    """Attendance already marked keeps the lesson where it is."""
    lesson = math_lesson(c)
    student = StudentFactory(school=c.school, enrolled_in=c.class_5a)
    services.set_attendance(
        actor=c.teacher, lesson=lesson, student=student, code="н", expected_version=0
    )

    messages = refusal(
        services.move_lesson,
        actor=c.teacher,
        lesson=lesson,
        new_date=D(2026, 9, 17),
        new_number=6,
        reason="Олимпиада",
    )

    assert messages == [MSG_HAS_ENTRIES % {"date": "14.09.2026"}]
    assert Lesson.objects.count() == 1


# --- Extra lessons --------------------------------------------------------------------


def test_the_deputy_adds_an_extra_lesson(c) -> None:
    """An extra lesson is a planned lesson marked «дополнительный», with its history."""
    lesson = services.add_extra_lesson(
        actor=c.deputy,
        school_class=c.class_5a,
        subject=c.math,
        teacher=c.teacher,
        day=D(2026, 9, 17),
        number=7,
        room="12",
        reason="Отработка за 14.09",
    )

    saved = Lesson.objects.get(pk=lesson.pk)
    assert (saved.date, saved.number, saved.teacher, saved.room) == (
        D(2026, 9, 17),
        7,
        c.teacher,
        "12",
    )
    assert (saved.is_extra, saved.status, saved.change_reason) == (
        True,
        LessonStatus.PLANNED,
        "Отработка за 14.09",
    )
    change = JournalChange.objects.get(kind="lesson")
    assert (change.action, change.actor, change.new["number"]) == ("create", c.deputy, 7)


def test_a_teacher_adds_an_extra_lesson_of_their_own_subject_only(c) -> None:
    """The математика teacher may add a математика lesson in 5А, not a русский язык one."""
    mine = services.add_extra_lesson(
        actor=c.teacher,
        school_class=c.class_5a,
        subject=c.math,
        teacher=c.teacher,
        day=D(2026, 9, 17),
        number=7,
    )
    messages = refusal(
        services.add_extra_lesson,
        actor=c.teacher,
        school_class=c.class_5a,
        subject=c.russian,
        teacher=c.teacher,
        day=D(2026, 9, 18),
        number=7,
    )

    assert mine.is_extra is True
    assert messages == [MSG_NO_RIGHT % {"subject": "Русский язык", "cls": "5А"}]
    assert Lesson.objects.count() == 1


def test_an_extra_lesson_needs_a_free_slot_on_a_school_day_and_a_teacher(c) -> None:
    """A taken slot, a holiday and a teacher from outside the school are refused."""
    russian_lesson(c, D(2026, 9, 15), 2)
    stranger = UserFactory(last_name="Орлов", first_name="Глеб", middle_name="Ильич")
    extra = {"actor": c.deputy, "school_class": c.class_5a, "subject": c.math}

    taken = refusal(
        services.add_extra_lesson, teacher=c.teacher, day=D(2026, 9, 15), number=2, **extra
    )
    holiday = refusal(
        services.add_extra_lesson, teacher=c.teacher, day=D(2026, 11, 2), number=1, **extra
    )
    outsider = refusal(
        services.add_extra_lesson, teacher=stranger, day=D(2026, 9, 16), number=1, **extra
    )

    assert taken == [
        MSG_SLOT_TAKEN % {"cls": "5А", "date": "15.09.2026", "number": 2, "subject": "Русский язык"}
    ]
    assert holiday == [
        MSG_NOT_A_SCHOOL_DAY
        % {"date": "02.11.2026", "cls": "5А", "why": "каникулы: осенние каникулы"}
    ]
    assert outsider == [MSG_NOT_A_TEACHER % {"person": "Орлов Г. И."}]
    assert Lesson.objects.count() == 1


# --- Filling in a lesson --------------------------------------------------------------


def test_the_teacher_fills_in_topic_room_and_conducted(c) -> None:
    """Topic, room and «проведён» are saved with a new version and one history entry."""
    lesson = math_lesson(c)

    services.update_lesson(
        actor=c.teacher,
        lesson=lesson,
        expected_version=1,
        topic="  Сложение дробей ",
        room="14",
        conducted=True,
    )

    lesson.refresh_from_db()
    assert (lesson.topic, lesson.room, lesson.status, lesson.version) == (
        "Сложение дробей",
        "14",
        LessonStatus.CONDUCTED,
        2,
    )
    change = JournalChange.objects.get(kind="lesson")
    assert (change.old["topic"], change.new["topic"]) == ("", "Сложение дробей")
    assert (change.old["status"], change.new["status"]) == ("planned", "conducted")


def test_an_update_without_changes_writes_nothing(c) -> None:
    """The same topic again keeps the version and adds no history."""
    lesson = math_lesson(c, topic="Дроби")

    services.update_lesson(actor=c.teacher, lesson=lesson, expected_version=1, topic="Дроби")

    lesson.refresh_from_db()
    assert lesson.version == 1
    assert not JournalChange.objects.exists()


def test_another_teacher_cannot_fill_in_the_lesson(c) -> None:
    """The русский язык teacher cannot write the topic of a математика lesson."""
    lesson = math_lesson(c)

    messages = refusal(
        services.update_lesson,
        actor=c.russian_teacher,
        lesson=lesson,
        expected_version=1,
        topic="Не моё",
    )

    assert messages == [MSG_NO_RIGHT % {"subject": "Математика", "cls": "5А"}]
    lesson.refresh_from_db()
    assert lesson.topic == ""


# --- Tests per day --------------------------------------------------------------------


def test_a_second_test_on_a_day_is_refused(c) -> None:
    """With at most one test a day, making a second lesson of the day a dictation names
    the first test's subject."""
    JournalSettingsFactory(school=c.school, max_tests_per_day=1)
    math = math_lesson(c, number=1)
    russian = russian_lesson(c, number=3)
    services.update_lesson(
        actor=c.teacher, lesson=math, expected_version=1, lesson_type=LessonType.TEST
    )

    messages = refusal(
        services.update_lesson,
        actor=c.russian_teacher,
        lesson=russian,
        expected_version=1,
        lesson_type=LessonType.DICTATION,
    )

    assert messages == [
        MSG_TOO_MANY_TESTS
        % {"cls": "5А", "date": "14.09.2026", "count": 1, "subjects": "Математика", "limit": 1}
    ]
    russian.refresh_from_db()
    assert russian.lesson_type == LessonType.LESSON


def test_the_test_limit_follows_the_school_setting(c) -> None:
    """With two tests a day allowed, the second test is accepted and a third refused."""
    JournalSettingsFactory(school=c.school, max_tests_per_day=2)
    first = math_lesson(c, number=1, lesson_type=LessonType.TEST)
    second = russian_lesson(c, number=2)
    third = russian_lesson(c, number=3)

    services.update_lesson(
        actor=c.russian_teacher, lesson=second, expected_version=1, lesson_type=LessonType.ESSAY
    )
    messages = refusal(
        services.update_lesson,
        actor=c.russian_teacher,
        lesson=third,
        expected_version=1,
        lesson_type=LessonType.DICTATION,
    )

    assert first.is_test
    assert messages == [
        MSG_TOO_MANY_TESTS
        % {
            "cls": "5А",
            "date": "14.09.2026",
            "count": 2,
            "subjects": "Математика, Русский язык",
            "limit": 2,
        }
    ]


def test_ordinary_lessons_and_cancelled_tests_do_not_count(c) -> None:
    """An independent work is not a test, and a cancelled test frees the day."""
    JournalSettingsFactory(school=c.school, max_tests_per_day=1)
    math_lesson(c, number=1, lesson_type=LessonType.INDEPENDENT)
    cancelled = math_lesson(c, number=2, lesson_type=LessonType.TEST)
    services.cancel_lesson(actor=c.teacher, lesson=cancelled, reason="Карантин")
    russian = russian_lesson(c, number=3)

    services.update_lesson(
        actor=c.russian_teacher, lesson=russian, expected_version=1, lesson_type=LessonType.TEST
    )

    assert list(
        services.tests_on_day(c.class_5a.pk, MONDAY).values_list("subject__name", flat=True)
    ) == ["Русский язык"]


def test_a_test_cannot_be_moved_to_a_day_that_has_one(c) -> None:
    """Moving a test onto a day with another test is refused too."""
    JournalSettingsFactory(school=c.school, max_tests_per_day=1)
    test = math_lesson(c, number=1, lesson_type=LessonType.TEST)
    russian_lesson(c, D(2026, 9, 16), 2, lesson_type=LessonType.ESSAY)

    messages = refusal(
        services.move_lesson,
        actor=c.teacher,
        lesson=test,
        new_date=D(2026, 9, 16),
        new_number=4,
        reason="Олимпиада",
    )

    assert messages == [
        MSG_TOO_MANY_TESTS
        % {"cls": "5А", "date": "16.09.2026", "count": 1, "subjects": "Русский язык", "limit": 1}
    ]
    test.refresh_from_db()
    assert test.status == LessonStatus.PLANNED


def test_the_test_schedule_lists_the_classs_tests_with_its_groups(c) -> None:
    """The test schedule of 5А for I четверть lists its tests in date order, a subgroup's
    test included; cancelled ones, ordinary lessons, other classes and other quarters are
    left out."""
    group = StudyGroupFactory(school_class=c.class_5a, subject=c.math, name="Подгруппа 1")
    other_class = SchoolClassFactory(school=c.school, year=c.year, grade=6, letter="А")
    TeachingAssignmentFactory(teacher=c.teacher, school_class=other_class, subject=c.math)
    math_lesson(c, D(2026, 9, 16), 1, lesson_type=LessonType.TEST, group=group)
    russian_lesson(c, D(2026, 9, 14), 2, lesson_type=LessonType.DICTATION)
    math_lesson(c, D(2026, 9, 15), 1)
    cancelled = math_lesson(c, D(2026, 9, 17), 1, lesson_type=LessonType.TEST)
    services.cancel_lesson(actor=c.teacher, lesson=cancelled, reason="Карантин")
    math_lesson(c, D(2026, 11, 9), 1, lesson_type=LessonType.TEST)
    LessonFactory(
        school_class=other_class,
        subject=c.math,
        teacher=c.teacher,
        date=D(2026, 9, 14),
        lesson_type=LessonType.TEST,
    )
    quarter = c.quarters[1]

    schedule = class_test_schedule(c.class_5a, quarter.start, quarter.end)

    assert [(t.date, t.subject.name, t.group and t.group.name) for t in schedule] == [
        (D(2026, 9, 14), "Русский язык", None),
        (D(2026, 9, 16), "Математика", "Подгруппа 1"),
    ]

"""``seed_demo``'s journal: a realistic year of timetable, lessons, marks and attendance that
keeps every rule the journal services enforce."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections import Counter, defaultdict
from statistics import mean

import pytest
from django.db import connection, transaction
from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce

from demo.journal.steps import LIGHT_SUBJECTS, MAIN_SUBJECTS, student_levels
from demo.journal.timetable import max_lessons
from demo.school.context import DemoOptions
from demo.school.curriculum import SUBJECTS
from demo.school.generator import seed_demo
from journal.models import (
    ABSENCE_CODES,
    ACTIVE_STATUSES,
    DEFAULT_WORK_TYPE_FOR_LESSON,
    DEFAULT_WORK_TYPES,
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
from journal.services import generate_lessons, next_lesson, school_days
from school.models import (
    CurriculumItem,
    Enrolment,
    GroupMembership,
    Kinship,
    Position,
    School,
    StaffMember,
    Student,
)

pytestmark = [pytest.mark.seeding, pytest.mark.django_db]

D = dt.date
UNTIL = D(2027, 1, 29)  # the demo's "today": mid-January, after the move of 16.11.2026
SMALL = {"classes_per_grade": 1, "students_per_class": 6}
KEY_OF = {s.name: s.key for s in SUBJECTS}
GENERIC_TOPIC = re.compile(r"^\s*Урок\s*(№\s*)?\d+", re.IGNORECASE)


@pytest.fixture(scope="module")
def school(django_db_setup, django_db_blocker):
    """Two classes a grade of 20 (English in subgroups; 7А and 7Б for the moving student),
    the journal filled in up to 29.01.2027; seeded once for the module, rolled back after."""
    with django_db_blocker.unblock(), transaction.atomic():
        options = DemoOptions(seed=1, classes_per_grade=2, students_per_class=20, until=UNTIL)
        school = seed_demo(options).schools[1]
        # Check the deferred foreign keys once, here: else every test's teardown (a
        # savepoint rollback) would check all of them again.
        connection.check_constraints()
        yield school
        transaction.set_rollback(True)


class Rosters:
    """Who belongs to a lesson on its date, from the dated enrolments and memberships."""

    def __init__(self, school: School) -> None:
        self.enrolments = defaultdict(list)
        for sid, class_id, start, end in Enrolment.objects.filter(
            school_class__school=school
        ).values_list("student_id", "school_class_id", "start", "end"):
            self.enrolments[class_id].append((sid, start, end))
        self.members = defaultdict(list)
        for sid, group_id, start, end in GroupMembership.objects.filter(
            group__school_class__school=school
        ).values_list("student_id", "group_id", "start", "end"):
            self.members[group_id].append((sid, start, end))

    @staticmethod
    def _on(rows, day):
        return {s for s, start, end in rows if start <= day and (end is None or day <= end)}

    def of(self, class_id: int, group_id: int | None, day: dt.date) -> set[int]:
        students = self._on(self.enrolments[class_id], day)
        if group_id is not None:
            students &= self._on(self.members[group_id], day)
        return students


def lessons_of(school: School, *fields: str):
    return Lesson.objects.filter(school=school).values_list(*fields)


def absences(school: School) -> dict[tuple[int, int], str]:
    return {
        (lesson, student): code
        for lesson, student, code in Attendance.objects.filter(school=school).values_list(
            "lesson_id", "student_id", "code"
        )
    }


# --- Settings and the weekly timetable --------------------------------------------------


class TestTimetable:
    def test_settings_work_types_and_bells(self, school):
        """Default journal settings and work types; shift 1 from 08:30, 45-minute lessons,
        breaks of 10 and 20 minutes."""
        assert JournalSettings.objects.get(school=school).max_tests_per_day == 1
        assert set(WorkType.objects.filter(school=school).values_list("code", "weight")) == {
            (code, weight) for code, _, _, weight in DEFAULT_WORK_TYPES
        }
        bells = list(Bell.objects.filter(school=school, shift=1).order_by("number"))
        assert [b.number for b in bells] == list(range(1, 8))
        assert bells[0].starts_at == dt.time(8, 30)
        for bell in bells:
            start = dt.datetime.combine(D(2026, 9, 1), bell.starts_at)
            assert dt.datetime.combine(D(2026, 9, 1), bell.ends_at) - start == dt.timedelta(
                minutes=45
            )
        breaks = [
            (
                dt.datetime.combine(D(2026, 9, 1), b.starts_at)
                - dt.datetime.combine(D(2026, 9, 1), a.ends_at)
            ).seconds
            // 60
            for a, b in itertools.pairwise(bells)
        ]
        assert set(breaks) == {10, 20}

    def test_weekly_lessons_match_curriculum_hours(self, school):
        """Every class and group has as many weekly lessons of a subject as its curriculum
        says, with the teacher of its teaching assignment."""
        entries = Counter(
            TimetableEntry.objects.filter(school_class__school=school).values_list(
                "school_class_id", "subject_id", "group_id"
            )
        )
        for item in CurriculumItem.objects.filter(school_class__school=school):
            counts = {
                group: n
                for (c, s, group), n in entries.items()
                if (c, s) == (item.school_class_id, item.subject_id)
            }
            assert counts and set(counts.values()) == {int(item.hours_per_week)}, item
        for entry in TimetableEntry.objects.filter(school_class__school=school)[:200]:
            assert entry.school_class.assignments.filter(
                teacher=entry.teacher, subject=entry.subject, group=entry.group
            ).exists()

    def test_days_are_full_from_the_first_lesson_within_the_grade_maximum(self, school):
        """Five days a week; each day's lessons run 1..n without gaps, n at most the grade's
        maximum (grade 1: four, one day five at most)."""
        days = defaultdict(set)
        for class_id, grade, weekday, number in TimetableEntry.objects.filter(
            school_class__school=school
        ).values_list("school_class_id", "school_class__grade", "weekday", "number"):
            days[(class_id, grade, weekday)].add(number)
        weekdays = defaultdict(set)
        for (class_id, grade, weekday), numbers in days.items():
            weekdays[class_id].add(weekday)
            assert numbers == set(range(1, len(numbers) + 1))
            assert len(numbers) <= max_lessons(grade) + (1 if grade == 1 else 0)
        assert all(w == {1, 2, 3, 4, 5} for w in weekdays.values())
        for (_, grade, _), numbers in days.items():
            if grade == 1:
                assert len(numbers) <= 5

    def test_no_teacher_in_two_places_and_subgroups_side_by_side(self, school):
        """A teacher has one class a slot; a class's two English subgroups learn at the same
        time; a subject of up to five hours is on different days."""
        slots = Counter(
            TimetableEntry.objects.filter(school_class__school=school).values_list(
                "teacher_id", "weekday", "number"
            )
        )
        assert max(slots.values()) == 1
        hours = {
            (c, s): h
            for c, s, h in CurriculumItem.objects.filter(school_class__school=school).values_list(
                "school_class_id", "subject_id", "hours_per_week"
            )
        }
        group_slots = defaultdict(set)
        per_day = Counter()
        for class_id, subject, group, weekday, number in TimetableEntry.objects.filter(
            school_class__school=school
        ).values_list("school_class_id", "subject_id", "group_id", "weekday", "number"):
            if group:
                group_slots[(class_id, subject)].add((group, weekday, number))
            elif hours[(class_id, subject)] <= 5:
                per_day[(class_id, subject, weekday)] += 1
        for found in group_slots.values():
            groups = {g for g, _, _ in found}
            assert len(groups) == 2
            by_group = [{(w, n) for g2, w, n in found if g2 == g} for g in groups]
            assert by_group[0] == by_group[1]
        assert max(per_day.values()) == 1

    def test_rooms_are_plausible(self, school):
        rooms = set(TimetableEntry.objects.filter(school_class__school=school).values_list("room"))
        assert ("Спортзал",) in rooms
        assert all(re.fullmatch(r"[1-3]\d\d|[А-Яа-я. ]+\d*", r) for (r,) in rooms), rooms


# --- Dated lessons ----------------------------------------------------------------------


class TestLessons:
    def test_lessons_only_on_school_days(self, school):
        """No weekends, no holidays, no lessons of grade 1 in its extra February week (the
        other grades learn then); moved lessons too."""
        by_class = defaultdict(set)
        for class_id, day in lessons_of(school, "school_class_id", "date"):
            by_class[class_id].add(day)
        year = school.years.get(name="2026/2027")
        for school_class in school.classes.all():
            allowed = set(school_days(school_class, year.start, year.end))
            assert by_class[school_class.pk] <= allowed, school_class.name
            assert all(d.weekday() < 5 for d in by_class[school_class.pk])
        extra_week = Q(date__gte=D(2027, 2, 15), date__lte=D(2027, 2, 21))
        assert not Lesson.objects.filter(extra_week, school=school, school_class__grade=1)
        assert Lesson.objects.filter(extra_week, school=school, school_class__grade=2).exists()
        assert not Lesson.objects.filter(school=school, date__gte=D(2026, 12, 31)).filter(
            date__lte=D(2027, 1, 10)
        )

    def test_no_class_over_its_daily_maximum(self, school):
        """At most 4 lessons a day in grade 1 (one day a week 5), 5 in 2-4, 6 in 5-6, 7 in
        7-11, every date of the year."""
        numbers = defaultdict(set)
        for class_id, grade, day, number in lessons_of(
            school, "school_class_id", "school_class__grade", "date", "number"
        ).filter(status__in=ACTIVE_STATUSES):
            numbers[(class_id, grade, day)].add(number)
        fives = Counter()
        for (class_id, grade, day), found in numbers.items():
            assert len(found) <= max_lessons(grade) + (1 if grade == 1 else 0)
            if grade == 1 and len(found) == 5:
                fives[(class_id, day.isocalendar()[:2])] += 1
        assert all(n <= 1 for n in fives.values())

    def test_no_teacher_in_two_places_at_once(self, school):
        """Counting substitutes and moved lessons, a teacher gives one lesson a slot."""
        given = Counter(
            Lesson.objects.filter(school=school, status__in=ACTIVE_STATUSES)
            .annotate(by=Coalesce("substitute_id", "teacher_id"))
            .values_list("by", "date", "number")
        )
        assert max(given.values()) == 1

    def test_the_timetable_service_would_add_nothing(self, school):
        """The bulk lessons are exactly what ``generate_lessons`` makes from the timetable."""
        year = school.years.get(name="2026/2027")
        for school_class in school.classes.all():
            assert generate_lessons(school_class=school_class, start=year.start, end=year.end) == 0

    def test_conducted_up_to_today_with_real_topics(self, school):
        """Lessons up to 29.01.2027 are conducted and have topics (main subjects from a
        thematic plan, never «Урок N»); later ones are planned and empty."""
        rows = lessons_of(school, "date", "status", "topic", "subject__name")
        for day, status, topic, subject in rows.filter(status__in=ACTIVE_STATUSES):
            assert (status == LessonStatus.CONDUCTED) == (day <= UNTIL)
            if status == LessonStatus.CONDUCTED:
                assert topic.strip(), (day, subject)
                assert not GENERIC_TOPIC.search(topic), topic
            else:
                assert topic == ""
        topics = set(
            Lesson.objects.filter(
                school=school,
                school_class__grade=5,
                school_class__letter="А",
                subject__name="Русский язык",
                status=LessonStatus.CONDUCTED,
            ).values_list("topic", flat=True)
        )
        assert len(topics) >= 20
        assert any("Морфемика" in t or "Фонетика" in t for t in topics)

    def test_at_most_one_test_per_class_a_day(self, school):
        tests = Counter(
            lessons_of(school, "school_class_id", "date").filter(
                lesson_type__in=TEST_LESSON_TYPES, status__in=ACTIVE_STATUSES
            )
        )
        assert max(tests.values()) == 1

    def test_planned_tests_and_works_are_all_in_the_year(self, school):
        """The curriculum's tests, practical and laboratory works per class and subject (per
        subgroup) are lessons of those types; plus dictations, проверочные,
        самостоятельные and essays; none in grade 1."""
        counts = Counter(
            lessons_of(school, "school_class_id", "subject_id", "group_id", "lesson_type").filter(
                status__in=ACTIVE_STATUSES
            )
        )
        for item in CurriculumItem.objects.filter(school_class__school=school):
            planned = {
                LessonType.TEST: item.tests_year,
                LessonType.PRACTICAL: item.practical_works_year,
                LessonType.LAB: item.lab_works_year,
            }
            groups = {
                g for (c, s, g, _) in counts if (c, s) == (item.school_class_id, item.subject_id)
            }
            for group in groups:
                for lesson_type, number in planned.items():
                    key = (item.school_class_id, item.subject_id, group, lesson_type)
                    assert counts[key] == number, (item, group, lesson_type)
        types = {t for (_, _, _, t) in counts}
        assert {LessonType.DICTATION, LessonType.CHECK, LessonType.INDEPENDENT} <= types
        assert LessonType.ESSAY in types
        assert not Lesson.objects.filter(school=school, school_class__grade=1).exclude(
            lesson_type=LessonType.LESSON
        )

    def test_substitutions_moves_and_a_cancellation_around_today(self, school):
        """Substitutes are other teachers of the school; a moved lesson stays «перенесён»
        and points to an active lesson on another school day; one lesson is cancelled with
        a reason; all within three weeks before and one week after «today»."""
        around = Q(date__gte=UNTIL - dt.timedelta(days=21), date__lte=UNTIL + dt.timedelta(days=7))
        substituted = Lesson.objects.filter(school=school, substitute__isnull=False)
        assert substituted.count() >= 2 and substituted.filter(around).count() == len(substituted)
        assert substituted.filter(date__gt=UNTIL).exists()
        teachers = set(
            StaffMember.objects.filter(school=school, position=Position.TEACHER).values_list(
                "user_id", flat=True
            )
        )
        for lesson in substituted:
            assert lesson.substitute_id != lesson.teacher_id
            assert lesson.substitute_id in teachers and lesson.change_reason
        moved = Lesson.objects.filter(school=school, status=LessonStatus.MOVED).select_related(
            "moved_to"
        )
        assert moved.count() >= 3
        assert moved.filter(date__lte=UNTIL).exists() and moved.filter(date__gt=UNTIL).exists()
        for lesson in moved:
            new = lesson.moved_to
            assert new is not None and new.status in ACTIVE_STATUSES
            assert new.date != lesson.date and lesson.change_reason and new.change_reason
            assert (new.school_class_id, new.subject_id, new.teacher_id) == (
                lesson.school_class_id,
                lesson.subject_id,
                lesson.teacher_id,
            )
            assert not Lesson.objects.filter(
                school_class_id=new.school_class_id,
                date=new.date,
                number=new.number,
                status__in=ACTIVE_STATUSES,
            ).exclude(pk=new.pk)
            assert not lesson.marks.exists() and not lesson.attendance.exists()
        cancelled = Lesson.objects.filter(school=school, status=LessonStatus.CANCELLED).get()
        assert cancelled.change_reason and cancelled.date <= UNTIL
        assert not cancelled.marks.exists() and not cancelled.attendance.exists()
        assert Lesson.objects.filter(around, school=school).filter(
            Q(status__in=[LessonStatus.MOVED, LessonStatus.CANCELLED]) | Q(substitute__isnull=False)
        ).count() == (substituted.count() + moved.count() + 1)

    def test_rows_pass_model_validation(self, school):
        """The bulk rows satisfy the models' own ``full_clean`` rules."""
        checked = [
            *TimetableEntry.objects.filter(school_class__school=school)[:50],
            *Lesson.objects.filter(school=school).order_by("?")[:50],
            *Lesson.objects.filter(school=school).exclude(status=LessonStatus.PLANNED)[:20],
            *MarkColumn.objects.filter(lesson__school=school)[:50],
            *Mark.objects.filter(school=school)[:50],
            *Attendance.objects.filter(school=school)[:50],
            *Homework.objects.filter(school=school)[:50],
            *Remark.objects.filter(school=school)[:20],
            *Message.objects.filter(school=school)[:20],
        ]
        for obj in checked:
            obj.full_clean()


# --- Marks ------------------------------------------------------------------------------


class TestMarks:
    def test_first_grade_has_no_marks_no_homework_no_tests(self, school):
        first = Q(lesson__school_class__grade=1)
        assert not Mark.objects.filter(first, school=school).exists()
        assert not Homework.objects.filter(first, school=school).exists()
        assert Attendance.objects.filter(first, school=school).exists()  # attendance is kept

    def test_marks_2_to_5_of_graded_subjects_in_graded_classes_at_conducted_lessons(self, school):
        marks = Mark.objects.filter(school=school)
        assert marks.exists()
        assert set(marks.values_list("value", flat=True)) == {2, 3, 4, 5}
        assert not marks.filter(
            Q(lesson__school_class__is_graded=False)
            | Q(lesson__subject__is_graded=False)
            | ~Q(lesson__status=LessonStatus.CONDUCTED)
            | Q(lesson__date__gt=UNTIL)
            | ~Q(column__lesson_id=F("lesson_id"))
        ).exists()
        assert not marks.filter(lesson__subject__short_name="ОРКСЭ").exists()
        assert Lesson.objects.filter(
            school=school, subject__short_name="ОРКСЭ", status=LessonStatus.CONDUCTED
        ).exists()
        givers = marks.annotate(by=Coalesce("lesson__substitute_id", "lesson__teacher_id"))
        assert not givers.exclude(created_by_id=F("by")).exists()

    def test_no_mark_beside_an_absence(self, school):
        absent = {k for k, code in absences(school).items() if code in ABSENCE_CODES}
        marked = set(Mark.objects.filter(school=school).values_list("lesson_id", "student_id"))
        assert absent and not absent & marked
        late = {k for k, code in absences(school).items() if code == AttendanceCode.LATE}
        assert late & marked  # a late student can be marked

    def test_marks_only_for_students_of_the_class_and_group_on_that_date(self, school):
        rosters = Rosters(school)
        for class_id, group_id, day, student in Mark.objects.filter(school=school).values_list(
            "lesson__school_class_id", "lesson__group_id", "lesson__date", "student_id"
        ):
            assert student in rosters.of(class_id, group_id, day)

    def test_the_student_who_moved_class_is_marked_in_each_class_in_turn(self, school):
        moved = Enrolment.objects.get(student__school=school, end__isnull=False)
        marks = Mark.objects.filter(student_id=moved.student_id).values_list(
            "lesson__school_class__letter", "lesson__date"
        )
        old = [d for letter, d in marks if letter == "А"]
        new = [d for letter, d in marks if letter == "Б"]
        assert old and new
        assert max(old) <= D(2026, 11, 15) < D(2026, 11, 16) <= min(new)

    def test_everyone_present_is_marked_at_a_past_test(self, school):
        """At a conducted test or work every enrolled student who was there has a mark."""
        rosters = Rosters(school)
        absent = {k for k, code in absences(school).items() if code in ABSENCE_CODES}
        marked = defaultdict(set)
        for lesson_id, student in Mark.objects.filter(
            school=school, column__position=1
        ).values_list("lesson_id", "student_id"):
            marked[lesson_id].add(student)
        tests = Lesson.objects.filter(
            school=school,
            status=LessonStatus.CONDUCTED,
            school_class__is_graded=True,
            subject__is_graded=True,
        ).exclude(lesson_type=LessonType.LESSON)
        assert tests.filter(lesson_type__in=TEST_LESSON_TYPES).count() > 50
        for lesson_id, class_id, group_id, day in tests.values_list(
            "id", "school_class_id", "group_id", "date"
        ):
            present = {
                s for s in rosters.of(class_id, group_id, day) if (lesson_id, s) not in absent
            }
            assert marked[lesson_id] == present, lesson_id

    def test_a_few_marks_a_plain_lesson(self, school):
        """2-4 marks at a plain lesson of a main subject; mostly at most 2 in music, art,
        PE... (the last lessons of a period add everyone still without enough marks: in a
        subject of an hour a week that is most of the class)."""
        counts = (
            Lesson.objects.filter(
                school=school, status=LessonStatus.CONDUCTED, lesson_type=LessonType.LESSON
            )
            .annotate(n=Count("marks"))
            .values_list("subject__name", "n", "school_class__grade")
        )
        by_kind = defaultdict(list)
        for subject, n, grade in counts:
            if grade == 1 or subject == "Основы религиозных культур и светской этики":
                assert n == 0
                continue
            key = KEY_OF[subject]
            kind = "main" if key in MAIN_SUBJECTS else "light" if key in LIGHT_SUBJECTS else ""
            by_kind[kind].append(n)
        main, light = Counter(by_kind["main"]), Counter(by_kind["light"])
        assert sum(main[n] for n in (2, 3, 4)) > 0.9 * sum(main.values())
        assert sum(light[n] for n in (0, 1, 2)) > 0.6 * sum(light.values())

    def test_enough_marks_for_a_period_mark(self, school):
        """After the first quarter nearly every student has at least 3 marks in every graded
        subject of grades 2-9 (those who were ill at its end may miss some)."""
        first_quarter = Q(lesson__date__gte=D(2026, 9, 1), lesson__date__lte=D(2026, 10, 23))
        counts = Counter(
            Mark.objects.filter(first_quarter, school=school, lesson__school_class__grade__lte=9)
            .filter(column__position=1)
            .values_list("student_id", "lesson__subject_id")
        )
        streams = set(
            Lesson.objects.filter(
                school=school,
                status=LessonStatus.CONDUCTED,
                school_class__is_graded=True,
                school_class__grade__lte=9,
                subject__is_graded=True,
                date__lte=D(2026, 10, 23),
            ).values_list("school_class_id", "subject_id", "group_id")
        )
        rosters = Rosters(school)
        expected = {
            (s, subject)
            for class_id, subject, group in streams
            for s in rosters.of(class_id, group, D(2026, 10, 23))
        }
        enough = sum(1 for key in expected if counts[key] >= 3)
        assert enough > 0.95 * len(expected)

    def test_dictations_in_two_columns_and_work_types_from_the_lesson_type(self, school):
        """Column 1 weighs as the lesson type implies; some dictations have a second column
        («5/4») marked for the same students."""
        codes = dict(WorkType.objects.filter(school=school).values_list("id", "code"))
        for lesson_type, position, work_type in MarkColumn.objects.filter(
            lesson__school=school
        ).values_list("lesson__lesson_type", "position", "work_type_id"):
            if position == 1:
                assert codes[work_type] == DEFAULT_WORK_TYPE_FOR_LESSON[lesson_type]
            else:
                assert lesson_type == LessonType.DICTATION and codes[work_type] == "dictation"
        doubles = Lesson.objects.filter(school=school, columns__position=2).distinct()
        assert doubles.count() >= 3
        for lesson in doubles[:20]:
            first, second = (
                set(lesson.marks.filter(column__position=p).values_list("student_id", flat=True))
                for p in (1, 2)
            )
            assert first and first == second

    def test_marks_follow_the_students_ability(self, school):
        """Strong students mostly get 4 and 5, average ones 3 and 4, weak ones some 2."""
        levels = student_levels(school, seed=1)
        values = defaultdict(list)
        for student, value in Mark.objects.filter(school=school).values_list("student_id", "value"):
            values[levels[student]].append(value)
        averages = {level: mean(v) for level, v in values.items()}
        assert averages["strong"] > averages["average"] + 0.3 > averages["weak"] + 0.6
        share = {level: Counter(v) for level, v in values.items()}  # level -> value -> count
        strong, weak = share["strong"], share["weak"]
        assert (strong[4] + strong[5]) / sum(strong.values()) > 0.85
        assert 0.05 < weak[2] / sum(weak.values()) < 0.25
        average = share["average"]
        assert (average[3] + average[4]) / sum(average.values()) > 0.6
        everyone = Counter(v for vs in values.values() for v in vs)
        assert everyone[2] / sum(everyone.values()) < 0.1


# --- Attendance -------------------------------------------------------------------------


class TestAttendance:
    def test_absences_illnesses_lates(self, school):
        """Most students miss something; a handful are ill for a week or two; «н», «у» and
        «о» appear too; attendance only at conducted lessons of the student's class."""
        rows = list(
            Attendance.objects.filter(school=school).values_list(
                "student_id", "code", "lesson__date", "lesson__status"
            )
        )
        assert {code for _, code, _, _ in rows} == {"н", "б", "у", "о"}
        assert {status for _, _, _, status in rows} == {LessonStatus.CONDUCTED}
        students = Student.objects.filter(school=school).count()
        absent = {s for s, code, _, _ in rows if code in ABSENCE_CODES}
        assert len(absent) > students * 0.5
        ill_days = defaultdict(set)
        for student, code, day, _ in rows:
            if code == AttendanceCode.ILL:
                ill_days[student].add(day)
        all_days = sorted({d for _, _, d, _ in rows})
        longest = 0
        for days in ill_days.values():
            run = best = 0
            for day in all_days:
                run = run + 1 if day in days else 0
                best = max(best, run)
            longest = max(longest, best)
        assert longest >= 5
        rosters = Rosters(school)
        for class_id, group_id, day, student in Attendance.objects.filter(
            school=school
        ).values_list("lesson__school_class_id", "lesson__group_id", "lesson__date", "student_id"):
            assert student in rosters.of(class_id, group_id, day)

    def test_an_ill_day_is_every_lesson_of_that_day(self, school):
        rosters = Rosters(school)
        lessons = defaultdict(set)
        for pk, class_id, group_id, day in Lesson.objects.filter(
            school=school, status=LessonStatus.CONDUCTED
        ).values_list("id", "school_class_id", "group_id", "date"):
            lessons[(class_id, day)].add((pk, group_id))
        ill = defaultdict(set)
        for student, lesson, class_id, day in Attendance.objects.filter(
            school=school, code=AttendanceCode.ILL
        ).values_list("student_id", "lesson_id", "lesson__school_class_id", "lesson__date"):
            ill[(student, class_id, day)].add(lesson)
        for (student, class_id, day), missed in ill.items():
            theirs = {
                pk
                for pk, group_id in lessons[(class_id, day)]
                if student in rosters.of(class_id, group_id, day)
            }
            assert missed == theirs


# --- Homework, remarks, messages --------------------------------------------------------


class TestHomeworkRemarksMessages:
    def test_homework_is_due_at_the_subjects_next_lesson(self, school):
        homework = Homework.objects.filter(school=school, student__isnull=True)
        assert homework.count() > 500
        for item in homework.select_related("lesson", "due_lesson").order_by("?")[:60]:
            assert item.due_lesson == next_lesson(item.lesson)
            assert item.due_date == item.due_lesson.date
            assert item.lesson.status == LessonStatus.CONDUCTED
        assert not homework.filter(due_date__lt=F("lesson__date")).exists()

    def test_most_lessons_of_main_subjects_have_homework(self, school):
        conducted = Lesson.objects.filter(
            school=school,
            status=LessonStatus.CONDUCTED,
            school_class__grade__gte=2,
            lesson_type=LessonType.LESSON,
            subject__name__in=["Русский язык", "Математика", "Алгебра", "История"],
        )
        with_homework = conducted.filter(homework__isnull=False).distinct().count()
        assert with_homework > conducted.count() * 0.7
        assert not Homework.objects.filter(school=school, lesson__subject__short_name="Физкультура")

    def test_individual_homework_for_students_of_that_lesson(self, school):
        rosters = Rosters(school)
        individual = Homework.objects.filter(school=school, student__isnull=False)
        assert individual.count() >= 2
        for item in individual.select_related("lesson"):
            lesson = item.lesson
            assert item.student_id in rosters.of(
                lesson.school_class_id, lesson.group_id, lesson.date
            )

    def test_remarks_at_lessons_the_student_attended(self, school):
        remarks = Remark.objects.filter(school=school).select_related("lesson")
        assert {r.kind for r in remarks} == set(RemarkKind.values)
        absent = {k for k, code in absences(school).items() if code in ABSENCE_CODES}
        rosters = Rosters(school)
        for remark in remarks:
            lesson = remark.lesson
            assert remark.author_id == (lesson.substitute_id or lesson.teacher_id)
            assert remark.date == lesson.date and remark.subject_id == lesson.subject_id
            assert (lesson.pk, remark.student_id) not in absent
            assert remark.student_id in rosters.of(
                lesson.school_class_id, lesson.group_id, lesson.date
            )

    def test_messages_to_parents_read_by_their_addressees_only(self, school):
        messages = Message.objects.filter(school=school).select_related("school_class")
        to_class = [m for m in messages if m.school_class_id]
        to_student = [m for m in messages if m.student_id]
        assert len(to_class) == school.classes.count() and len(to_student) >= 3
        for message in to_class:
            assert message.sender_id == message.school_class.class_teacher_id
        guardians = defaultdict(set)
        for student, user in Kinship.objects.filter(student__school=school).values_list(
            "student_id", "guardian__user_id"
        ):
            guardians[student].add(user)
        class_guardians = defaultdict(set)
        for class_id, student in Enrolment.objects.filter(school_class__school=school).values_list(
            "school_class_id", "student_id"
        ):
            class_guardians[class_id] |= guardians[student]
        reads = MessageRead.objects.filter(message__school=school).select_related("message")
        assert reads.exists()
        for read in reads:
            message = read.message
            assert read.read_at > message.created_at
            if message.student_id:
                assert read.user_id in guardians[message.student_id]
            else:
                assert read.user_id in class_guardians[message.school_class_id]

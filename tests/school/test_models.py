"""The invariants of the school's structure: database constraints and the models' clean()."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from school.models import (
    AcademicYear,
    EducationLevel,
    Enrolment,
    GroupMembership,
    Holiday,
    Period,
    PeriodKind,
    Position,
    SchoolClass,
    TeachingAssignment,
    level_for_grade,
)
from school.models.calendar import MSG_END_BEFORE_START as MSG_YEAR_END_BEFORE_START
from school.models.structure import (
    MSG_END_BEFORE_START,
    MSG_ENROLMENT_OVERLAP,
    MSG_FIRST_GRADE_GRADED,
    MSG_GROUP_MEMBER_OVERLAP,
    MSG_GROUP_OTHER_CLASS,
)
from tests.factories import (
    YEAR_END,
    YEAR_START,
    AcademicYearFactory,
    EnrolmentFactory,
    GroupMembershipFactory,
    GuardianFactory,
    HolidayFactory,
    PeriodFactory,
    SchoolClassFactory,
    SchoolFactory,
    StaffMemberFactory,
    StudentFactory,
    StudyGroupFactory,
    SubjectFactory,
    TeachingAssignmentFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

DUPLICATE_CLASS_MESSAGE = "Класс с такой параллелью и литерой в этом учебном году уже есть."


def d(day: str) -> dt.date:
    """``d("16.11.2026")``: dates as the school writes them."""
    return dt.datetime.strptime(day, "%d.%m.%Y").date()


def errors_of(exc: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return [str(message) for message in exc.value.messages]


# --- Enrolments -----------------------------------------------------------------------


@pytest.fixture
def enrolled():
    """A student enrolled in 5А from 01.09.2026, open-ended; 5Б of the same year exists."""
    class_a = SchoolClassFactory(grade=5, letter="А")
    class_b = SchoolClassFactory(school=class_a.school, year=class_a.year, grade=5, letter="Б")
    enrolment = EnrolmentFactory(school_class=class_a, start=YEAR_START)
    return enrolment, class_b


def test_overlapping_enrolment_is_rejected_by_full_clean(enrolled):
    """A student cannot be in two classes on the same day: full_clean() names the fix."""
    enrolment, class_b = enrolled
    second = Enrolment(student=enrolment.student, school_class=class_b, start=d("16.11.2026"))

    with pytest.raises(ValidationError) as exc:
        second.full_clean()

    assert errors_of(exc) == [str(MSG_ENROLMENT_OVERLAP)]


def test_overlapping_enrolment_is_rejected_by_the_database(enrolled):
    """Saved without validation, an overlapping enrolment fails on the exclusion
    constraint, so no code path can put a student in two classes at once."""
    enrolment, class_b = enrolled

    with pytest.raises(IntegrityError, match="enrolment_no_overlap"), transaction.atomic():
        Enrolment.objects.create(
            student=enrolment.student, school_class=class_b, start=d("16.11.2026")
        )

    assert Enrolment.objects.filter(student=enrolment.student).count() == 1


def test_back_to_back_enrolments_are_accepted(enrolled):
    """Leaving 5А on 15.11 and joining 5Б on 16.11 is a transfer, not an overlap."""
    enrolment, class_b = enrolled
    enrolment.end = d("15.11.2026")
    enrolment.full_clean()
    enrolment.save()
    second = Enrolment(student=enrolment.student, school_class=class_b, start=d("16.11.2026"))

    second.full_clean()
    second.save()

    assert list(enrolment.student.enrolments.values_list("school_class__letter", flat=True)) == [
        "А",
        "Б",
    ]


def test_enrolments_sharing_a_day_overlap(enrolled):
    """The end date is inclusive: leaving on 15.11 and joining another class on 15.11
    would put the student in two classes that day."""
    enrolment, class_b = enrolled
    enrolment.end = d("15.11.2026")
    enrolment.save()
    second = Enrolment(student=enrolment.student, school_class=class_b, start=d("15.11.2026"))

    with pytest.raises(ValidationError) as exc:
        second.full_clean()

    assert errors_of(exc) == [str(MSG_ENROLMENT_OVERLAP)]


def test_open_ended_enrolment_overlaps_any_later_enrolment(enrolled):
    """An enrolment without an end lasts for ever: even the last week of the year clashes."""
    enrolment, class_b = enrolled
    later = Enrolment(
        student=enrolment.student, school_class=class_b, start=d("20.05.2027"), end=YEAR_END
    )

    with pytest.raises(ValidationError) as exc:
        later.full_clean()

    assert errors_of(exc) == [str(MSG_ENROLMENT_OVERLAP)]


def test_other_students_may_share_the_dates(enrolled):
    """The overlap rule is per student: a classmate enrolled on the same dates is fine."""
    enrolment, _ = enrolled
    classmate = StudentFactory(school=enrolment.school_class.school)

    Enrolment(student=classmate, school_class=enrolment.school_class, start=YEAR_START).full_clean()


def test_enrolment_ending_before_it_starts_is_rejected(enrolled):
    """The leaving date cannot precede the joining date."""
    enrolment, class_b = enrolled
    enrolment.end = d("15.11.2026")
    enrolment.save()
    wrong = Enrolment(
        student=enrolment.student,
        school_class=class_b,
        start=d("20.11.2026"),
        end=d("19.11.2026"),
    )

    with pytest.raises(ValidationError) as exc:
        wrong.full_clean()

    assert exc.value.message_dict == {"end": [str(MSG_END_BEFORE_START)]}


def test_enrolment_outside_the_year_is_rejected():
    """A class exists only within its year: an enrolment from August is refused."""
    school_class = SchoolClassFactory()
    student = StudentFactory(school=school_class.school)
    early = Enrolment(student=student, school_class=school_class, start=d("31.08.2026"))

    with pytest.raises(ValidationError) as exc:
        early.full_clean()

    assert errors_of(exc) == ["Даты зачисления выходят за границы учебного года 2026/2027."]


def test_enrolment_in_another_schools_class_is_rejected():
    """A student of one school cannot be enrolled in a class of another."""
    school_class = SchoolClassFactory()
    stranger = StudentFactory(school=SchoolFactory())

    with pytest.raises(ValidationError) as exc:
        Enrolment(student=stranger, school_class=school_class, start=YEAR_START).full_clean()

    assert errors_of(exc) == ["Обучающийся числится в другой школе."]


# --- Classes --------------------------------------------------------------------------


def test_class_teacher_must_be_staff_of_the_school():
    """A user with no position in the school cannot be a class teacher; the message names
    the person and the school."""
    school_class = SchoolClassFactory(school__short_name="МБОУ «СШ № 7»")
    outsider = UserFactory(last_name="Сидорова", first_name="Анна", middle_name="Петровна")
    school_class.class_teacher = outsider

    with pytest.raises(ValidationError) as exc:
        school_class.full_clean()

    assert exc.value.message_dict == {
        "class_teacher": [
            "Сидорова Анна Петровна не работает в школе «МБОУ «СШ № 7»»: классным "
            "руководителем может быть только её сотрудник."
        ]
    }


def test_staff_of_another_school_or_former_staff_cannot_be_class_teacher():
    """Working in a neighbouring school, or having left this one, is not enough."""
    school_class = SchoolClassFactory()
    elsewhere = StaffMemberFactory(school=SchoolFactory()).user
    former = StaffMemberFactory(school=school_class.school, is_active=False).user

    for user in (elsewhere, former):
        school_class.class_teacher = user
        with pytest.raises(ValidationError) as exc:
            school_class.full_clean()
        assert list(exc.value.message_dict) == ["class_teacher"]


def test_staff_member_may_be_class_teacher():
    """Any active position in the school qualifies (a deputy may lead a class)."""
    school_class = SchoolClassFactory()
    school_class.class_teacher = StaffMemberFactory(
        school=school_class.school, position=Position.DEPUTY
    ).user

    school_class.full_clean()


def test_duplicate_class_letter_in_a_year_is_rejected():
    """Two classes 5А in one year are refused, by full_clean() and by the database."""
    first = SchoolClassFactory(grade=5, letter="А")
    duplicate = SchoolClass(school=first.school, year=first.year, grade=5, letter="А")

    with pytest.raises(ValidationError) as exc:
        duplicate.full_clean()
    assert errors_of(exc) == [DUPLICATE_CLASS_MESSAGE]

    with pytest.raises(IntegrityError, match="class_unique_letter"), transaction.atomic():
        duplicate.save()


def test_same_class_letter_in_another_year_is_accepted():
    """5А of 2026/27 and 5А of 2027/28 are different classes."""
    first = SchoolClassFactory(grade=5, letter="А")
    next_year = AcademicYearFactory(
        school=first.school, name="2027/2028", start=d("01.09.2027"), end=d("26.05.2028")
    )
    again = SchoolClass(school=first.school, year=next_year, grade=5, letter="А")

    again.full_clean()
    again.save()


def test_class_year_must_belong_to_the_school():
    """A class cannot be put into another school's year."""
    school_class = SchoolClassFactory.build(
        school=SchoolFactory(), year=AcademicYearFactory(), letter="А"
    )

    with pytest.raises(ValidationError) as exc:
        school_class.full_clean()

    assert exc.value.message_dict == {"year": ["Учебный год принадлежит другой школе."]}


def test_first_grade_cannot_be_graded_in_the_database():
    """The check constraint keeps grade 1 ungraded even for writes that bypass save()."""
    first_grade = SchoolClassFactory(grade=1)

    with pytest.raises(IntegrityError, match="class_first_grade_ungraded"), transaction.atomic():
        SchoolClass.objects.filter(pk=first_grade.pk).update(is_graded=True)


def test_first_grade_graded_violates_the_constraint_with_its_message():
    """Validating the constraints of a graded first grade gives the Russian message."""
    first_grade = SchoolClassFactory(grade=1)
    first_grade.is_graded = True

    with pytest.raises(ValidationError) as exc:
        first_grade.validate_constraints()

    assert errors_of(exc) == [str(MSG_FIRST_GRADE_GRADED)]


def test_the_model_does_not_rewrite_a_graded_first_grade():
    """No rule hides in save() or clean(): a graded first grade is refused (by the
    constraint, with its message), not silently made ungraded."""
    year = AcademicYearFactory()
    saved = SchoolClass(school=year.school, year=year, grade=1, letter="А", is_graded=True)
    cleaned = SchoolClass(school=year.school, year=year, grade=1, letter="Б", is_graded=True)

    with pytest.raises(ValidationError) as exc:
        cleaned.full_clean()
    with pytest.raises(IntegrityError, match="class_first_grade_ungraded"), transaction.atomic():
        saved.save()

    assert errors_of(exc) == [str(MSG_FIRST_GRADE_GRADED)]
    assert cleaned.is_graded is True


@pytest.mark.parametrize(
    ("grade", "level"),
    [
        (1, EducationLevel.PRIMARY),
        (4, EducationLevel.PRIMARY),
        (5, EducationLevel.BASIC),
        (9, EducationLevel.BASIC),
        (10, EducationLevel.SECONDARY),
        (11, EducationLevel.SECONDARY),
    ],
)
def test_level_follows_the_grade(grade, level):
    """НОО for grades 1-4, ООО for 5-9, СОО for 10-11."""
    assert level_for_grade(grade) == level
    assert SchoolClass(grade=grade, letter="А").level == level


# --- The calendar ---------------------------------------------------------------------


def test_year_ending_before_it_starts_is_rejected():
    """An academic year must end after it starts."""
    year = AcademicYear(
        school=SchoolFactory(), name="2026/2027", start=d("01.09.2026"), end=d("31.08.2026")
    )

    with pytest.raises(ValidationError) as exc:
        year.full_clean()

    assert exc.value.message_dict["end"] == [str(MSG_YEAR_END_BEFORE_START)]


def test_period_outside_its_year_is_rejected():
    """A quarter running past the end of the year is refused with its dates in the message."""
    year = AcademicYearFactory()
    period = Period(
        year=year,
        kind=PeriodKind.QUARTER,
        number=4,
        start=d("29.03.2027"),
        end=d("31.05.2027"),
    )

    with pytest.raises(ValidationError) as exc:
        period.full_clean()

    assert errors_of(exc) == [
        "Период IV четверть (29.03.2027 – 31.05.2027) выходит за границы учебного года 2026/2027."
    ]


def test_period_within_its_year_is_accepted():
    """The four default quarters fit the year."""
    year = AcademicYearFactory()
    for number in range(1, 5):
        PeriodFactory.build(year=year, number=number).full_clean()


def test_period_ending_before_it_starts_is_rejected():
    """A period's end cannot precede its start."""
    period = PeriodFactory.build(
        year=AcademicYearFactory(), start=d("05.11.2026"), end=d("04.11.2026")
    )

    with pytest.raises(ValidationError) as exc:
        period.full_clean()

    assert exc.value.message_dict == {"end": [str(MSG_YEAR_END_BEFORE_START)]}


def test_holiday_ending_before_it_starts_is_rejected():
    """Holidays' end cannot precede their start."""
    holiday = HolidayFactory.build(
        year=AcademicYearFactory(), start=d("04.11.2026"), end=d("24.10.2026")
    )

    with pytest.raises(ValidationError) as exc:
        holiday.full_clean()

    assert exc.value.message_dict == {"end": [str(MSG_YEAR_END_BEFORE_START)]}


def test_holiday_outside_the_year_is_rejected():
    """Summer holidays are not part of the academic year."""
    holiday = Holiday(
        year=AcademicYearFactory(), name="Летние", start=d("27.05.2027"), end=d("31.08.2027")
    )

    with pytest.raises(ValidationError) as exc:
        holiday.full_clean()

    assert errors_of(exc) == ["Каникулы выходят за границы учебного года 2026/2027."]


# --- Groups ---------------------------------------------------------------------------


def test_overlapping_group_membership_is_rejected():
    """A student is in a group once at a time: full_clean() and the database refuse a
    second, overlapping membership of the same group."""
    membership = GroupMembershipFactory(start=YEAR_START)
    again = GroupMembership(
        group=membership.group, student=membership.student, start=d("16.11.2026")
    )

    with pytest.raises(ValidationError) as exc:
        again.full_clean()
    assert errors_of(exc) == [str(MSG_GROUP_MEMBER_OVERLAP)]

    with pytest.raises(IntegrityError, match="groupmember_no_overlap"), transaction.atomic():
        again.save()


def test_back_to_back_memberships_and_other_groups_are_accepted():
    """Leaving a group on 15.11 and rejoining on 16.11 is fine, and so is being in two
    groups of different subjects at once."""
    membership = GroupMembershipFactory(start=YEAR_START, end=d("15.11.2026"))
    other_group = StudyGroupFactory(school_class=membership.group.school_class)

    GroupMembership(
        group=membership.group, student=membership.student, start=d("16.11.2026")
    ).full_clean()
    GroupMembership(group=other_group, student=membership.student, start=YEAR_START).full_clean()


def test_group_membership_ending_before_it_starts_is_rejected():
    """A membership's end cannot precede its start, with the usual Russian message."""
    group = StudyGroupFactory()
    student = StudentFactory(school=group.school_class.school, enrolled_in=group.school_class)
    membership = GroupMembership(
        group=group, student=student, start=d("20.11.2026"), end=d("19.11.2026")
    )

    with pytest.raises(ValidationError) as exc:
        membership.full_clean()

    assert exc.value.message_dict == {"end": [str(MSG_END_BEFORE_START)]}


def test_group_takes_only_students_of_its_class():
    """A language subgroup of 5А cannot include a pupil of 5Б."""
    group = StudyGroupFactory(school_class__grade=5, school_class__letter="А")
    class_b = SchoolClassFactory(
        school=group.school_class.school, year=group.school_class.year, grade=5, letter="Б"
    )
    pupil_of_b = StudentFactory(school=class_b.school, enrolled_in=class_b)

    with pytest.raises(ValidationError):
        GroupMembership(group=group, student=pupil_of_b, start=YEAR_START).full_clean()


# --- Teaching assignments -------------------------------------------------------------


def test_teaching_assignment_needs_a_teacher_of_the_school():
    """Only the school's teachers (or its director and deputies) can be given a class."""
    school_class = SchoolClassFactory(school__short_name="МБОУ «СШ № 7»")
    subject = SubjectFactory(school=school_class.school)
    outsider = UserFactory(last_name="Орлов", first_name="Игорь", middle_name="")
    secretary = StaffMemberFactory(school=school_class.school, position=Position.SECRETARY).user

    for user, name in ((outsider, "Орлов Игорь"), (secretary, secretary.full_name)):
        assignment = TeachingAssignment(
            teacher=user, subject=subject, school_class=school_class, start=YEAR_START
        )
        with pytest.raises(ValidationError) as exc:
            assignment.full_clean()
        assert exc.value.message_dict == {
            "teacher": [f"{name} не числится учителем школы «МБОУ «СШ № 7»»."]
        }


def test_teaching_assignment_of_a_teacher_is_accepted():
    """The factory's teacher is staff of the class's school, so the assignment is valid."""
    TeachingAssignmentFactory().full_clean()


def test_teaching_assignment_group_must_be_of_its_class():
    """A group of another class cannot be taught under this class."""
    assignment = TeachingAssignmentFactory()
    assignment.group = StudyGroupFactory(
        school_class__school=assignment.school_class.school,
        school_class__year=assignment.school_class.year,
    )

    with pytest.raises(ValidationError) as exc:
        assignment.full_clean()

    assert exc.value.message_dict == {"group": [str(MSG_GROUP_OTHER_CLASS)]}


def test_teaching_assignment_ending_before_it_starts_is_rejected():
    """An assignment's end cannot precede its start."""
    assignment = TeachingAssignmentFactory()
    assignment.end = assignment.start - dt.timedelta(days=1)

    with pytest.raises(ValidationError) as exc:
        assignment.full_clean()

    assert exc.value.message_dict == {"end": [str(MSG_END_BEFORE_START)]}


# --- Names and dates ------------------------------------------------------------------


def test_short_name_is_surname_and_initials():
    """Journals write «Иванов П. С.»; without a patronymic «Иванов П.»."""
    student = StudentFactory.build(last_name="Иванов", first_name="Пётр", middle_name="Сергеевич")
    guardian = GuardianFactory.build(last_name="Иванова", first_name="Мария", middle_name="")
    teacher = UserFactory.build(last_name="Петрова", first_name="Анна", middle_name="Ивановна")

    assert student.short_name == "Иванов П. С."
    assert student.full_name == "Иванов Пётр Сергеевич"
    assert guardian.short_name == "Иванова М."
    assert teacher.short_name == "Петрова А. И."


def test_user_without_a_name_is_shown_by_username():
    """A login with no name yet is shown by its username."""
    user = UserFactory.build(username="secretary", last_name="", first_name="", middle_name="")

    assert user.short_name == "secretary"
    assert user.full_name == "secretary"


@pytest.mark.parametrize(
    ("utc_time", "school_tz", "expected"),
    [
        (dt.datetime(2026, 11, 27, 21, 5, tzinfo=dt.UTC), "Europe/Simferopol", "28.11.2026"),
        (dt.datetime(2026, 11, 27, 20, 55, tzinfo=dt.UTC), "Europe/Simferopol", "27.11.2026"),
        (dt.datetime(2026, 11, 27, 21, 5, tzinfo=dt.UTC), "Europe/Kaliningrad", "27.11.2026"),
        (dt.datetime(2026, 11, 27, 15, 0, tzinfo=dt.UTC), "Asia/Vladivostok", "28.11.2026"),
    ],
)
def test_local_today_is_the_schools_date(monkeypatch, utc_time, school_tz, expected):
    """Just after 21:00 UTC it is already tomorrow in Crimea (UTC+3) but still today in
    Kaliningrad (UTC+2): the school's time zone decides, not the server's."""
    monkeypatch.setattr(timezone, "now", lambda: utc_time)
    school = SchoolFactory.build(timezone=school_tz)

    assert school.local_today() == d(expected)

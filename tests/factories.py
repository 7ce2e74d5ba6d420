"""factory_boy factories for the school's structure and people, shared by every app's tests.

Defaults describe one ordinary Crimean school in the 2026/27 year (01.09.2026–26.05.2027),
with Russian names. Related objects follow the parent: a class's year belongs to the class's
school, an enrolment's student to the class's school, and so on, so that a factory call with
no arguments gives consistent data that passes the models' ``clean()``.

    school_class = SchoolClassFactory(grade=5, letter="А")
    student = StudentFactory(school=school_class.school, enrolled_in=school_class)
    teacher = StaffMemberFactory(school=school_class.school).user
"""

import datetime as dt
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory, Password

from school.models import (
    AcademicYear,
    CurriculumItem,
    CurriculumPeriodPlan,
    Enrolment,
    Gender,
    GradeScheme,
    GroupKind,
    GroupMembership,
    Guardian,
    Holiday,
    Kinship,
    Period,
    PeriodKind,
    Position,
    Relation,
    School,
    SchoolClass,
    StaffMember,
    Student,
    StudyGroup,
    Subject,
    TeachingAssignment,
    User,
    default_scheme_for_grade,
)

YEAR_NAME = "2026/2027"
YEAR_START = dt.date(2026, 9, 1)
YEAR_END = dt.date(2027, 5, 26)

# The 2026/27 quarters between the holidays of the ministry's pattern (DOMAIN.md 1):
# autumn 24.10–04.11, winter 31.12–10.01, spring 20.03–28.03.
QUARTERS = {
    1: (dt.date(2026, 9, 1), dt.date(2026, 10, 23)),
    2: (dt.date(2026, 11, 5), dt.date(2026, 12, 30)),
    3: (dt.date(2027, 1, 11), dt.date(2027, 3, 19)),
    4: (dt.date(2027, 3, 29), YEAR_END),
}
HALF_YEARS = {
    1: (YEAR_START, dt.date(2026, 12, 30)),
    2: (dt.date(2027, 1, 11), YEAR_END),
}
HOLIDAYS = [
    ("Осенние каникулы", dt.date(2026, 10, 24), dt.date(2026, 11, 4)),
    ("Зимние каникулы", dt.date(2026, 12, 31), dt.date(2027, 1, 10)),
    ("Весенние каникулы", dt.date(2027, 3, 20), dt.date(2027, 3, 28)),
]

SUBJECTS = [
    ("Русский язык", "Рус. яз."),
    ("Литература", "Лит."),
    ("Иностранный язык (английский)", "Англ. яз."),
    ("Математика", "Матем."),
    ("История", "Ист."),
    ("География", "Геогр."),
    ("Биология", "Биол."),
    ("Музыка", "Муз."),
    ("Изобразительное искусство", "ИЗО"),
    ("Труд (технология)", "Труд"),
    ("Физическая культура", "Физ-ра"),
    ("ОДНКНР", "ОДНКНР"),
]

MALE_LAST_NAMES = ["Иванов", "Петров", "Смирнов", "Кузнецов", "Попов", "Соколов", "Лебедев"]
FEMALE_LAST_NAMES = ["Иванова", "Петрова", "Смирнова", "Кузнецова", "Попова", "Соколова"]
MALE_FIRST_NAMES = ["Пётр", "Алексей", "Дмитрий", "Сергей", "Андрей", "Михаил", "Илья"]
FEMALE_FIRST_NAMES = ["Анна", "Мария", "Елена", "Ольга", "Наталья", "Татьяна", "Дарья"]
MALE_MIDDLE_NAMES = ["Сергеевич", "Иванович", "Александрович", "Андреевич", "Павлович"]
FEMALE_MIDDLE_NAMES = ["Сергеевна", "Ивановна", "Александровна", "Андреевна", "Павловна"]

CLASS_LETTERS = "АБВГДЕЖИКЛМН"
USER_PASSWORD = "пароль-для-тестов"


def _unique_subject_name(n: int) -> str:
    name = SUBJECTS[n % len(SUBJECTS)][0]
    return name if n < len(SUBJECTS) else f"{name} ({n // len(SUBJECTS) + 1})"


class SchoolFactory(DjangoModelFactory):
    class Meta:
        model = School

    name = factory.Sequence(
        lambda n: f"Муниципальное бюджетное общеобразовательное учреждение «Школа № {n + 1}»"
    )
    short_name = factory.Sequence(lambda n: f"МБОУ «Школа № {n + 1}»")
    address = "295000, Республика Крым, г. Симферополь, ул. Школьная, д. 1"
    phone = "+7 3652 00-00-00"
    email = factory.Sequence(lambda n: f"school{n + 1}@example.ru")
    timezone = "Europe/Simferopol"
    week_days = 5


class AcademicYearFactory(DjangoModelFactory):
    """The 2026/27 year; asking twice for the same school and name gives the same year."""

    class Meta:
        model = AcademicYear
        django_get_or_create = ("school", "name")

    school = factory.SubFactory(SchoolFactory)
    name = YEAR_NAME
    start = YEAR_START
    end = YEAR_END


class PeriodFactory(DjangoModelFactory):
    """A quarter by default (``number`` 1–4 picks its 2026/27 dates); pass ``kind`` and the
    dates for other periods, or use the ``half_year`` and ``whole_year`` traits."""

    class Meta:
        model = Period

    class Params:
        half_year = factory.Trait(
            kind=PeriodKind.HALF_YEAR,
            start=factory.LazyAttribute(lambda o: HALF_YEARS[o.number][0]),
            end=factory.LazyAttribute(lambda o: HALF_YEARS[o.number][1]),
        )
        whole_year = factory.Trait(
            kind=PeriodKind.YEAR,
            start=factory.SelfAttribute("year.start"),
            end=factory.SelfAttribute("year.end"),
        )

    year = factory.SubFactory(AcademicYearFactory)
    kind = PeriodKind.QUARTER
    number = 1
    start = factory.LazyAttribute(lambda o: QUARTERS[o.number][0])
    end = factory.LazyAttribute(lambda o: QUARTERS[o.number][1])
    is_locked = False


class HolidayFactory(DjangoModelFactory):
    class Meta:
        model = Holiday

    year = factory.SubFactory(AcademicYearFactory)
    name = HOLIDAYS[0][0]
    start = HOLIDAYS[0][1]
    end = HOLIDAYS[0][2]
    only_grade = None


class GradeSchemeFactory(DjangoModelFactory):
    class Meta:
        model = GradeScheme

    year = factory.SubFactory(AcademicYearFactory)
    grade = 5
    scheme = factory.LazyAttribute(lambda o: default_scheme_for_grade(o.grade))


class SubjectFactory(DjangoModelFactory):
    class Meta:
        model = Subject

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(_unique_subject_name)
    short_name = factory.Sequence(lambda n: SUBJECTS[n % len(SUBJECTS)][1])
    is_graded = True
    order = factory.Sequence(lambda n: (n % len(SUBJECTS) + 1) * 10)


class UserFactory(DjangoModelFactory):
    """A login with a Russian full name and the password ``USER_PASSWORD``.
    The ``female`` trait gives a woman's name."""

    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    class Params:
        female = factory.Trait(
            last_name=factory.Iterator(FEMALE_LAST_NAMES),
            first_name=factory.Iterator(FEMALE_FIRST_NAMES),
            middle_name=factory.Iterator(FEMALE_MIDDLE_NAMES),
        )

    username = factory.Sequence(lambda n: f"user{n + 1}")
    last_name = factory.Iterator(MALE_LAST_NAMES)
    first_name = factory.Iterator(MALE_FIRST_NAMES)
    middle_name = factory.Iterator(MALE_MIDDLE_NAMES)
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.ru")
    password = Password(USER_PASSWORD)
    is_active = True


class StaffMemberFactory(DjangoModelFactory):
    """A position in a school (a teacher by default). Idempotent for the same user, school
    and position, so it is safe to call for someone who may already hold the position."""

    class Meta:
        model = StaffMember
        django_get_or_create = ("user", "school", "position")

    user = factory.SubFactory(UserFactory)
    school = factory.SubFactory(SchoolFactory)
    position = Position.TEACHER
    is_active = True


class SchoolClassFactory(DjangoModelFactory):
    """A class of the 2026/27 year of its school. First grade is made ungraded, as the
    model demands. Pass ``class_teacher`` only for a user who is staff of the school."""

    class Meta:
        model = SchoolClass

    school = factory.SubFactory(SchoolFactory)
    year = factory.SubFactory(AcademicYearFactory, school=factory.SelfAttribute("..school"))
    grade = 5
    letter = factory.Sequence(lambda n: CLASS_LETTERS[n % len(CLASS_LETTERS)])
    class_teacher = None
    is_graded = factory.LazyAttribute(lambda o: o.grade != 1)
    shift = 1


class StudentFactory(DjangoModelFactory):
    """A fifth-grader by age. ``enrolled_in=<SchoolClass>`` also enrols the student in the
    class from the start of its year (the student should be of the class's school)."""

    class Meta:
        model = Student
        skip_postgeneration_save = True

    class Params:
        female = factory.Trait(
            last_name=factory.Iterator(FEMALE_LAST_NAMES),
            first_name=factory.Iterator(FEMALE_FIRST_NAMES),
            middle_name=factory.Iterator(FEMALE_MIDDLE_NAMES),
            gender=Gender.FEMALE,
        )

    school = factory.SubFactory(SchoolFactory)
    last_name = factory.Iterator(MALE_LAST_NAMES)
    first_name = factory.Iterator(MALE_FIRST_NAMES)
    middle_name = factory.Iterator(MALE_MIDDLE_NAMES)
    gender = Gender.MALE
    birth_date = dt.date(2015, 3, 15)
    external_id = ""
    user = None

    @factory.post_generation
    def enrolled_in(self, create, extracted, **kwargs):
        if extracted is not None:
            make = EnrolmentFactory.create if create else EnrolmentFactory.build
            make(student=self, school_class=extracted, **kwargs)


class GuardianFactory(DjangoModelFactory):
    """A mother by default (use ``GuardianFactory(male=True)`` for a father); no login."""

    class Meta:
        model = Guardian

    class Params:
        male = factory.Trait(
            last_name=factory.Iterator(MALE_LAST_NAMES),
            first_name=factory.Iterator(MALE_FIRST_NAMES),
            middle_name=factory.Iterator(MALE_MIDDLE_NAMES),
            gender=Gender.MALE,
        )

    last_name = factory.Iterator(FEMALE_LAST_NAMES)
    first_name = factory.Iterator(FEMALE_FIRST_NAMES)
    middle_name = factory.Iterator(FEMALE_MIDDLE_NAMES)
    gender = Gender.FEMALE
    user = None


class KinshipFactory(DjangoModelFactory):
    class Meta:
        model = Kinship

    guardian = factory.SubFactory(GuardianFactory)
    student = factory.SubFactory(StudentFactory)
    relation = factory.LazyAttribute(
        lambda o: Relation.FATHER if o.guardian.gender == Gender.MALE else Relation.MOTHER
    )
    is_legal_representative = True


class EnrolmentFactory(DjangoModelFactory):
    """An open enrolment from the start of the class's year; the student, if not given, is
    made in the class's school."""

    class Meta:
        model = Enrolment

    school_class = factory.SubFactory(SchoolClassFactory)
    student = factory.SubFactory(
        StudentFactory, school=factory.SelfAttribute("..school_class.school")
    )
    start = factory.LazyAttribute(lambda o: o.school_class.year.start)
    end = None


class StudyGroupFactory(DjangoModelFactory):
    class Meta:
        model = StudyGroup

    school_class = factory.SubFactory(SchoolClassFactory)
    subject = factory.SubFactory(
        SubjectFactory, school=factory.SelfAttribute("..school_class.school")
    )
    name = factory.Sequence(lambda n: f"Подгруппа {n + 1}")
    kind = GroupKind.SUBGROUP


class GroupMembershipFactory(DjangoModelFactory):
    class Meta:
        model = GroupMembership
        skip_postgeneration_save = True

    group = factory.SubFactory(StudyGroupFactory)
    student = factory.SubFactory(
        StudentFactory, school=factory.SelfAttribute("..group.school_class.school")
    )
    start = factory.LazyAttribute(lambda o: o.group.school_class.year.start)
    end = None

    @factory.post_generation
    def enrol_in_class(obj, create, extracted, **kwargs):
        """A group member is a student of the group's class (GroupMembership.clean)."""
        school_class = obj.group.school_class
        if create and not obj.student.enrolments.filter(school_class=school_class).exists():
            Enrolment.objects.create(
                student=obj.student, school_class=school_class, start=school_class.year.start
            )


class CurriculumItemFactory(DjangoModelFactory):
    """Five hours a week for 34 weeks."""

    class Meta:
        model = CurriculumItem

    school_class = factory.SubFactory(SchoolClassFactory)
    subject = factory.SubFactory(
        SubjectFactory, school=factory.SelfAttribute("..school_class.school")
    )
    hours_per_week = Decimal("5.0")
    hours_year = 170
    tests_year = 8
    practical_works_year = 0
    lab_works_year = 0


class CurriculumPeriodPlanFactory(DjangoModelFactory):
    class Meta:
        model = CurriculumPeriodPlan

    item = factory.SubFactory(CurriculumItemFactory)
    period = factory.SubFactory(
        PeriodFactory, year=factory.SelfAttribute("..item.school_class.year")
    )
    hours = 40
    tests = 2
    practical_works = 0
    lab_works = 0


class TeachingAssignmentFactory(DjangoModelFactory):
    """A teacher teaching a subject to a whole class for the whole year. The teacher is made
    staff (a teacher) of the class's school; pass ``teacher_staff=None`` to skip that."""

    class Meta:
        model = TeachingAssignment
        skip_postgeneration_save = True

    school_class = factory.SubFactory(SchoolClassFactory)
    subject = factory.SubFactory(
        SubjectFactory, school=factory.SelfAttribute("..school_class.school")
    )
    teacher = factory.SubFactory(UserFactory)
    group = None
    start = factory.LazyAttribute(lambda o: o.school_class.year.start)
    end = None

    teacher_staff = factory.RelatedFactory(
        StaffMemberFactory,
        factory_related_name="",
        user=factory.SelfAttribute("..teacher"),
        school=factory.SelfAttribute("..school_class.school"),
    )

"""The admin of the school's structure, driven through the test client as a superuser."""

import datetime as dt

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from school.models import (
    AcademicYear,
    CurriculumItem,
    CurriculumPeriodPlan,
    Enrolment,
    GradeScheme,
    GroupMembership,
    Guardian,
    Holiday,
    Kinship,
    Period,
    RosterChange,
    School,
    SchoolClass,
    StaffMember,
    Student,
    StudyGroup,
    Subject,
    TeachingAssignment,
    User,
)
from school.models.structure import (
    MSG_END_BEFORE_START,
    MSG_ENROLMENT_OTHER_SCHOOL,
    MSG_ENROLMENT_OVERLAP,
    MSG_GROUP_MEMBER_OVERLAP,
)
from tests.factories import (
    HOLIDAYS,
    USER_PASSWORD,
    YEAR_START,
    AcademicYearFactory,
    CurriculumItemFactory,
    CurriculumPeriodPlanFactory,
    EnrolmentFactory,
    GradeSchemeFactory,
    GroupMembershipFactory,
    HolidayFactory,
    KinshipFactory,
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

SCHOOL_MODELS = [
    School,
    AcademicYear,
    Period,
    Holiday,
    GradeScheme,
    Subject,
    SchoolClass,
    StudyGroup,
    GroupMembership,
    Enrolment,
    CurriculumItem,
    CurriculumPeriodPlan,
    TeachingAssignment,
    Student,
    Guardian,
    Kinship,
    StaffMember,
    User,
]
# Session, user, the layout's roles (3), counts (2), the page, the list filters' choices:
# whatever the number of rows.
MAX_CHANGELIST_QUERIES = 12
DUPLICATE_CLASS_MESSAGE = "Класс с такой параллелью и литерой в этом учебном году уже есть."


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def populate_school(classes: int = 2, students_per_class: int = 3) -> School:
    """A school with a row or more in every table of the school app."""
    school = SchoolFactory()
    year = AcademicYearFactory(school=school)
    periods = [PeriodFactory(year=year, number=number) for number in range(1, 5)]
    for name, start, end in HOLIDAYS:
        HolidayFactory(year=year, name=name, start=start, end=end)
    GradeSchemeFactory(year=year, grade=5)
    GradeSchemeFactory(year=year, grade=10)
    subjects = [SubjectFactory(school=school) for _ in range(3)]
    for number in range(classes):
        teacher = StaffMemberFactory(school=school).user
        teacher.staff_roles.get().subjects.set(subjects)
        StaffMemberFactory(user=teacher, school=school, position="deputy")
        school_class = SchoolClassFactory(
            school=school, year=year, grade=5 + number, class_teacher=teacher
        )
        group = StudyGroupFactory(school_class=school_class, subject=subjects[0])
        item = CurriculumItemFactory(school_class=school_class, subject=subjects[1])
        for period in periods[:2]:
            CurriculumPeriodPlanFactory(item=item, period=period)
        TeachingAssignmentFactory(
            school_class=school_class, subject=subjects[0], teacher=teacher, group=group
        )
        TeachingAssignmentFactory(school_class=school_class, subject=subjects[1])
        for _ in range(students_per_class):
            student = StudentFactory(school=school, enrolled_in=school_class)
            KinshipFactory(student=student)
            KinshipFactory(student=student, guardian__male=True, guardian__user=UserFactory())
            GroupMembershipFactory(group=group, student=student)
    return school


@pytest.fixture
def superuser():
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def superuser_client(client, superuser):
    client.force_login(superuser)
    return client


def management_form(prefix: str, total: int, initial: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def student_form(student: Student) -> dict:
    """The Student change form as the admin shows it, without inline rows."""
    return {
        "school": student.school_id,
        "last_name": student.last_name,
        "first_name": student.first_name,
        "middle_name": student.middle_name,
        "gender": student.gender,
        "birth_date": f"{student.birth_date:%d.%m.%Y}",
        "user": "",
        "external_id": student.external_id,
        **management_form("kinships", 0),
    }


def enrolment_rows(*rows: tuple, prefix: str = "enrolments", first: int = 0) -> dict:
    """Inline rows ``(school_class, "start", "end")`` numbered from ``first``."""
    data = {}
    for number, (school_class, start, end) in enumerate(rows, start=first):
        data[f"{prefix}-{number}-school_class"] = school_class.pk
        data[f"{prefix}-{number}-start"] = start
        data[f"{prefix}-{number}-end"] = end
    return data


# --- Logging in and reading -----------------------------------------------------------


def test_superuser_logs_in_through_the_admin_login_form(client, superuser):
    """The admin's own login form lets a superuser in (django-axes included)."""
    response = client.post(
        reverse("admin:login"),
        {"username": "root", "password": USER_PASSWORD, "next": reverse("admin:index")},
    )

    assert response.status_code == 302
    assert response.url == reverse("admin:index")
    assert client.get(reverse("admin:index")).status_code == 200


def test_every_model_of_the_school_app_is_registered():
    """Each model of school/models has a ModelAdmin (the roster's history a read-only one,
    tested with the roster services)."""
    models = set(apps.get_app_config("school").get_models())

    assert models == {*SCHOOL_MODELS, RosterChange}
    assert all(admin.site.is_registered(model) for model in models)


@pytest.mark.parametrize("model", SCHOOL_MODELS, ids=lambda m: m.__name__)
def test_changelist_answers_with_a_fixed_number_of_queries(
    superuser_client, django_assert_max_num_queries, model
):
    """Every list opens with a small, fixed number of queries, with several rows shown."""
    populate_school()
    populate_school()

    with django_assert_max_num_queries(MAX_CHANGELIST_QUERIES):
        response = superuser_client.get(admin_url(model, "changelist"))

    assert response.status_code == 200
    assert response.context["cl"].result_count >= 2


@pytest.mark.parametrize("model", SCHOOL_MODELS, ids=lambda m: m.__name__)
def test_changelist_queries_do_not_grow_with_rows(superuser_client, model):
    """No N+1: a second school's worth of rows adds no query to the list."""
    url = admin_url(model, "changelist")
    populate_school(classes=1, students_per_class=1)
    superuser_client.get(url)  # warm up the session and the content types
    with CaptureQueriesContext(connection) as few:
        superuser_client.get(url)
    populate_school(classes=3, students_per_class=4)

    with CaptureQueriesContext(connection) as many:
        response = superuser_client.get(url)

    assert response.status_code == 200
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


@pytest.mark.parametrize("model", SCHOOL_MODELS, ids=lambda m: m.__name__)
def test_add_and_change_pages_open(superuser_client, model):
    """Every model's add page and the change page of an existing row answer 200."""
    populate_school(classes=1, students_per_class=1)
    obj = model._default_manager.order_by("pk").last()

    assert superuser_client.get(admin_url(model, "add")).status_code == 200
    assert superuser_client.get(admin_url(model, "change", obj.pk)).status_code == 200


def test_students_are_found_by_surname(superuser_client):
    """Searching the student list by surname shows that student and nobody else."""
    school = populate_school()
    wanted = StudentFactory(school=school, last_name="Шевченко", first_name="Тарас")

    response = superuser_client.get(admin_url(Student, "changelist"), {"q": "шевченко"})

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [wanted]


def test_students_are_found_by_surname_and_name(superuser_client):
    """«Шевченко Олег» matches every word in some name field: only Oleg Shevchenko."""
    school = SchoolFactory()
    StudentFactory(school=school, last_name="Шевченко", first_name="Тарас")
    oleg = StudentFactory(school=school, last_name="Шевченко", first_name="Олег")

    response = superuser_client.get(admin_url(Student, "changelist"), {"q": "Шевченко Олег"})

    assert list(response.context["cl"].result_list) == [oleg]


def test_classes_are_found_by_name(superuser_client):
    """«5а» finds class 5А, as people write it, and not 5Б or 6А."""
    five_a = SchoolClassFactory(grade=5, letter="А")
    SchoolClassFactory(school=five_a.school, year=five_a.year, grade=5, letter="Б")
    SchoolClassFactory(school=five_a.school, year=five_a.year, grade=6, letter="А")

    response = superuser_client.get(admin_url(SchoolClass, "changelist"), {"q": "5а"})

    assert list(response.context["cl"].result_list) == [five_a]


def test_users_are_found_by_username_and_by_patronymic(superuser_client):
    """The user list searches usernames and every part of the name."""
    teacher = UserFactory(username="ivanova_ap", middle_name="Пантелеймоновна")

    by_username = superuser_client.get(admin_url(User, "changelist"), {"q": "ivanova_ap"})
    by_patronymic = superuser_client.get(admin_url(User, "changelist"), {"q": "пантелеймон"})

    assert list(by_username.context["cl"].result_list) == [teacher]
    assert list(by_patronymic.context["cl"].result_list) == [teacher]


def test_user_admin_edits_the_patronymic(superuser_client):
    """The user's change form has the patronymic next to the other names."""
    user = UserFactory(middle_name="Сергеевич")

    response = superuser_client.get(admin_url(User, "change", user.pk))

    assert response.status_code == 200
    assert 'name="middle_name"' in response.text
    assert "Сергеевич" in response.text


def test_user_admin_adds_a_login_with_a_full_name(superuser_client):
    """A new login is created with its surname, name and patronymic in one form."""
    response = superuser_client.post(
        admin_url(User, "add"),
        {
            "username": "petrov",
            "usable_password": "true",
            "password1": "Сложный-пароль-2026",
            "password2": "Сложный-пароль-2026",
            "last_name": "Петров",
            "first_name": "Иван",
            "middle_name": "Андреевич",
            "email": "petrov@example.ru",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert User.objects.get(username="petrov").short_name == "Петров И. А."


# --- Enrolments: the exclusion constraint in forms ------------------------------------


@pytest.fixture
def enrolled():
    """A student in 5А from 01.09.2026, open-ended, and the parallel class 5Б."""
    class_a = SchoolClassFactory(grade=5, letter="А")
    class_b = SchoolClassFactory(school=class_a.school, year=class_a.year, grade=5, letter="Б")
    enrolment = EnrolmentFactory(school_class=class_a, start=YEAR_START)
    return enrolment, class_b


def test_overlapping_enrolment_in_the_admin_shows_the_message(superuser_client, enrolled):
    """Adding an enrolment that overlaps one already saved shows the constraint's Russian
    message on the form, and saves nothing."""
    enrolment, class_b = enrolled

    response = superuser_client.post(
        admin_url(Enrolment, "add"),
        {
            "student": enrolment.student.pk,
            "school_class": class_b.pk,
            "start": "16.11.2026",
            "end": "",
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [str(MSG_ENROLMENT_OVERLAP)]
    assert str(MSG_ENROLMENT_OVERLAP) in response.text
    assert Enrolment.objects.count() == 1


def test_enrolment_inline_rejects_a_row_overlapping_a_saved_one(superuser_client, enrolled):
    """On the student's page a new row overlapping the saved open enrolment is refused."""
    enrolment, class_b = enrolled
    student = enrolment.student
    data = {
        **student_form(student),
        **management_form("enrolments", total=2, initial=1),
        "enrolments-0-id": enrolment.pk,
        "enrolments-0-student": student.pk,
        **enrolment_rows((enrolment.school_class, "01.09.2026", "")),
        **enrolment_rows((class_b, "16.11.2026", ""), first=1),
    }

    response = superuser_client.post(admin_url(Student, "change", student.pk), data)

    assert response.status_code == 200
    assert str(MSG_ENROLMENT_OVERLAP) in response.text
    assert list(student.enrolments.values_list("school_class", "end")) == [
        (enrolment.school_class_id, None)
    ]


def test_two_overlapping_inline_enrolments_are_rejected_in_one_save(superuser_client, enrolled):
    """Two new rows of one save that overlap each other are refused with the same message
    on the second row: neither is in the database yet, so only the formset can see it
    (without that check the save would fail on the exclusion constraint with a 500)."""
    enrolment, class_b = enrolled
    student = StudentFactory(school=class_b.school)
    data = {
        **student_form(student),
        **management_form("enrolments", total=2),
        **enrolment_rows(
            (enrolment.school_class, "01.09.2026", "20.11.2026"),
            (class_b, "16.11.2026", ""),
        ),
    }

    response = superuser_client.post(admin_url(Student, "change", student.pk), data)

    assert response.status_code == 200
    rows = response.context["inline_admin_formsets"][0].formset.forms
    assert rows[0].errors == {}
    assert rows[1].non_field_errors() == [str(MSG_ENROLMENT_OVERLAP)]
    assert not student.enrolments.exists()


def test_new_student_with_overlapping_enrolments_is_not_saved(superuser_client, enrolled):
    """The same check works while adding a student: neither student nor rows are saved."""
    _, class_b = enrolled
    data = {
        **student_form(StudentFactory.build(school=class_b.school, last_name="Новиков")),
        **management_form("enrolments", total=2),
        **enrolment_rows((class_b, "01.09.2026", ""), (class_b, "01.10.2026", "")),
    }

    response = superuser_client.post(admin_url(Student, "add"), data)

    assert response.status_code == 200
    assert str(MSG_ENROLMENT_OVERLAP) in response.text
    assert not Student.objects.filter(last_name="Новиков").exists()


def test_new_student_cannot_be_enrolled_in_another_schools_class(superuser_client, enrolled):
    """A student being added to one school is not enrolled in another school's class."""
    _, foreign_class = enrolled
    data = {
        **student_form(StudentFactory.build(school=SchoolFactory(), last_name="Новиков")),
        **management_form("enrolments", total=1),
        **enrolment_rows((foreign_class, "01.09.2026", "")),
    }

    response = superuser_client.post(admin_url(Student, "add"), data)

    assert response.status_code == 200
    assert str(MSG_ENROLMENT_OTHER_SCHOOL) in response.text
    assert not Student.objects.filter(last_name="Новиков").exists()


def test_transfer_takes_two_saves_in_the_student_inline(superuser_client, enrolled):
    """Closing the old enrolment and adding the new one in the same save is refused, as
    the message says: each row is checked against the rows saved so far. Closing the old
    one first and then adding the new one works."""
    enrolment, class_b = enrolled
    student = enrolment.student
    old_row = {
        "enrolments-0-id": enrolment.pk,
        "enrolments-0-student": student.pk,
        **enrolment_rows((enrolment.school_class, "01.09.2026", "15.11.2026")),
    }
    url = admin_url(Student, "change", student.pk)

    at_once = superuser_client.post(
        url,
        {
            **student_form(student),
            **management_form("enrolments", total=2, initial=1),
            **old_row,
            **enrolment_rows((class_b, "16.11.2026", ""), first=1),
        },
    )
    assert at_once.status_code == 200
    assert str(MSG_ENROLMENT_OVERLAP) in at_once.text

    first = superuser_client.post(
        url,
        {**student_form(student), **management_form("enrolments", 1, initial=1), **old_row},
    )
    second = superuser_client.post(
        url,
        {
            **student_form(student),
            **management_form("enrolments", total=2, initial=1),
            **old_row,
            **enrolment_rows((class_b, "16.11.2026", ""), first=1),
        },
    )

    assert (first.status_code, second.status_code) == (302, 302)
    assert list(student.enrolments.values_list("school_class__letter", "end")) == [
        ("А", dt.date(2026, 11, 15)),
        ("Б", None),
    ]


# --- Classes --------------------------------------------------------------------------


def class_form(school_class: SchoolClass, **changes) -> dict:
    data = {
        "school": school_class.school_id,
        "year": school_class.year_id,
        "grade": school_class.grade,
        "letter": school_class.letter,
        "class_teacher": school_class.class_teacher_id or "",
        "is_graded": "on" if school_class.is_graded else "",
        "shift": school_class.shift,
        **management_form("curriculum", 0),
    }
    data.update(changes)
    return data


def test_duplicate_class_letter_in_the_admin_shows_the_message(superuser_client):
    """A second 5А in the same year is refused with the Russian message, not a 500."""
    first = SchoolClassFactory(grade=5, letter="А")

    response = superuser_client.post(admin_url(SchoolClass, "add"), class_form(first))

    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [DUPLICATE_CLASS_MESSAGE]
    assert SchoolClass.objects.count() == 1


def test_a_first_grade_added_in_the_admin_is_ungraded(superuser_client):
    """The «graded» box is ticked by default; for a first grade the class form clears it
    (the model no longer does it in save())."""
    other = SchoolClassFactory(grade=5, letter="А")

    response = superuser_client.post(
        admin_url(SchoolClass, "add"), class_form(other, grade=1, letter="Б", is_graded="on")
    )

    assert response.status_code == 302
    assert SchoolClass.objects.get(grade=1).is_graded is False


def test_class_teacher_who_is_not_staff_shows_the_message(superuser_client):
    """Choosing a class teacher who does not work at the school is refused on the field."""
    school_class = SchoolClassFactory(school__short_name="МБОУ «СШ № 7»")
    outsider = UserFactory(last_name="Сидорова", first_name="Анна", middle_name="Петровна")

    response = superuser_client.post(
        admin_url(SchoolClass, "change", school_class.pk),
        class_form(school_class, class_teacher=outsider.pk),
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["class_teacher"] == [
        "Сидорова Анна Петровна не работает в школе «МБОУ «СШ № 7»»: классным "
        "руководителем может быть только её сотрудник."
    ]
    school_class.refresh_from_db()
    assert school_class.class_teacher is None


def test_class_teacher_who_is_staff_is_saved(superuser_client):
    """A teacher of the school becomes the class teacher."""
    school_class = SchoolClassFactory()
    teacher = StaffMemberFactory(school=school_class.school).user

    response = superuser_client.post(
        admin_url(SchoolClass, "change", school_class.pk),
        class_form(school_class, class_teacher=teacher.pk),
    )

    assert response.status_code == 302
    school_class.refresh_from_db()
    assert school_class.class_teacher == teacher


# --- The calendar ---------------------------------------------------------------------


def year_form(school: School, **changes) -> dict:
    data = {
        "school": school.pk,
        "name": "2026/2027",
        "start": "01.09.2026",
        "end": "26.05.2027",
        **management_form("periods", 0),
        **management_form("holidays", 0),
        **management_form("schemes", 0),
    }
    data.update(changes)
    return data


def test_new_year_with_a_period_outside_it_shows_the_message(superuser_client):
    """A year added together with a quarter that runs past its end is refused with the
    period's message, though the year is not saved yet."""
    school = SchoolFactory()
    data = year_form(
        school,
        **management_form("periods", 1),
        **{
            "periods-0-kind": "quarter",
            "periods-0-number": "4",
            "periods-0-start": "29.03.2027",
            "periods-0-end": "31.05.2027",
        },
    )

    response = superuser_client.post(admin_url(AcademicYear, "add"), data)

    assert response.status_code == 200
    assert (
        "Период IV четверть (29.03.2027 – 31.05.2027) выходит за границы учебного года "
        "2026/2027." in response.text
    )
    assert not AcademicYear.objects.exists()


def test_period_outside_a_saved_year_shows_the_message(superuser_client):
    """On an existing year the model's own clean() refuses the period."""
    year = AcademicYearFactory()
    data = year_form(
        year.school,
        **management_form("periods", 1),
        **{
            "periods-0-kind": "quarter",
            "periods-0-number": "1",
            "periods-0-start": "25.08.2026",
            "periods-0-end": "23.10.2026",
        },
    )

    response = superuser_client.post(admin_url(AcademicYear, "change", year.pk), data)

    assert response.status_code == 200
    assert "выходит за границы учебного года 2026/2027" in response.text
    assert not year.periods.exists()


def test_new_year_with_holidays_outside_it_shows_the_message(superuser_client):
    """Summer holidays added with a new year are refused with the holidays' message."""
    data = year_form(
        SchoolFactory(),
        **management_form("holidays", 1),
        **{
            "holidays-0-name": "Летние каникулы",
            "holidays-0-start": "27.05.2027",
            "holidays-0-end": "31.08.2027",
        },
    )

    response = superuser_client.post(admin_url(AcademicYear, "add"), data)

    assert response.status_code == 200
    assert "Каникулы выходят за границы учебного года 2026/2027." in response.text
    assert not AcademicYear.objects.exists()


def test_new_year_with_its_quarters_is_saved(superuser_client):
    """A consistent year with four quarters is saved in one form."""
    quarters = {}
    for number, (start, end) in enumerate(
        [("01.09.2026", "23.10.2026"), ("05.11.2026", "30.12.2026")], start=0
    ):
        quarters |= {
            f"periods-{number}-kind": "quarter",
            f"periods-{number}-number": str(number + 1),
            f"periods-{number}-start": start,
            f"periods-{number}-end": end,
        }
    data = year_form(SchoolFactory(), **management_form("periods", 2), **quarters)

    response = superuser_client.post(admin_url(AcademicYear, "add"), data)

    assert response.status_code == 302
    assert AcademicYear.objects.get().periods.count() == 2


# --- Groups ---------------------------------------------------------------------------


def group_form(group: StudyGroup, rows: list[tuple]) -> dict:
    data = {
        "school_class": group.school_class_id,
        "subject": group.subject_id,
        "name": group.name,
        "kind": group.kind,
        **management_form("memberships", len(rows)),
    }
    for number, (student, start, end) in enumerate(rows):
        data |= {
            f"memberships-{number}-student": student.pk,
            f"memberships-{number}-start": start,
            f"memberships-{number}-end": end,
        }
    return data


def test_group_membership_ending_before_it_starts_shows_the_message(superuser_client):
    """A membership ending before it starts is refused on the form, not with a 500 from
    PostgreSQL's date range."""
    group = StudyGroupFactory()
    student = StudentFactory(school=group.school_class.school, enrolled_in=group.school_class)

    response = superuser_client.post(
        admin_url(StudyGroup, "change", group.pk),
        group_form(group, [(student, "20.11.2026", "19.11.2026")]),
    )

    assert response.status_code == 200
    assert str(MSG_END_BEFORE_START) in response.text
    assert not group.memberships.exists()


def test_two_overlapping_memberships_in_one_save_show_the_message(superuser_client):
    """The same student twice in a group on overlapping dates is refused before saving."""
    group = StudyGroupFactory()
    student = StudentFactory(school=group.school_class.school, enrolled_in=group.school_class)
    other = StudentFactory(school=group.school_class.school, enrolled_in=group.school_class)

    response = superuser_client.post(
        admin_url(StudyGroup, "change", group.pk),
        group_form(
            group,
            [
                (student, "01.09.2026", ""),
                (other, "01.09.2026", ""),
                (student, "16.11.2026", ""),
            ],
        ),
    )

    assert response.status_code == 200
    rows = response.context["inline_admin_formsets"][0].formset.forms
    assert [form.non_field_errors() for form in rows] == [[], [], [str(MSG_GROUP_MEMBER_OVERLAP)]]
    assert not group.memberships.exists()

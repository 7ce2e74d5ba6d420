"""``manage.py seed_demo``: deterministic, idempotent, realistic demo data."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import json
import re
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Q

from demo.school.context import DemoOptions
from demo.school.generator import COMMIT_STEP, STEPS, find_demo_school, seed_demo
from demo.school.logins import DEMO_LOGINS, DEMO_PASSWORD, demo_logins
from demo.school.names import PATRONYMICS, patronymic_for, surname_for
from demo.school.schools import is_valid_inn, is_valid_ogrn
from school.access import viewer_for
from school.models import (
    AcademicYear,
    CurriculumItem,
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
)
from tests.world import ensure_consent_text

pytestmark = [pytest.mark.seeding, pytest.mark.django_db]

D = dt.date
# The school part only: the journal steps have their own tests (test_seed_demo_journal*.py).
SMALL = {"classes_per_grade": 1, "students_per_class": 6, "journal": False}

# DOMAIN.md section 1: the typical federal curriculum of grade 5, hours a week.
DOMAIN_GRADE_5 = {
    "Русский язык": 5,
    "Литература": 3,
    "Английский язык": 3,
    "Математика": 5,
    "История": 2,
    "География": 1,
    "Биология": 1,
    "Музыка": 1,
    "Изобразительное искусство": 1,
    "Труд (технология)": 2,
    "Физическая культура": 2,
    "Основы духовно-нравственной культуры народов России": 1,
}

FEMININE_SURNAME = re.compile(r"(ова|ева|ёва|ина|ына|ская|цкая|ая)$")
INVARIANT_SURNAME = re.compile(r"(о|ук|юк|ник|ых|их)$")
FEMININE_PATRONYMIC = re.compile(r"(вна|чна)$")  # -овна, -евна, -ична, -инична
MASCULINE_PATRONYMIC = re.compile(r"(вич|ич)$")


def seed(**options: int) -> School:
    result = seed_demo(DemoOptions(**{**SMALL, **options}))
    return result.schools[1]


def run_command(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def _rows(queryset, *fields: str) -> list[str]:
    return sorted(
        json.dumps(row, default=str, ensure_ascii=False) for row in queryset.values_list(*fields)
    )


def snapshot(school: School) -> dict[str, list[str]]:
    """Everything that makes the demo school what it is, without database ids."""
    student = ("student__last_name", "student__first_name", "student__middle_name")
    cls = ("school_class__grade", "school_class__letter")
    return {
        "school": _rows(School.objects.filter(pk=school.pk), "name", "inn", "ogrn", "address"),
        "classes": _rows(
            school.classes.all(), "grade", "letter", "is_graded", "class_teacher__username"
        ),
        "students": _rows(
            school.students.all(),
            "last_name",
            "first_name",
            "middle_name",
            "gender",
            "birth_date",
            "user__username",
        ),
        "enrolments": _rows(
            Enrolment.objects.filter(student__school=school), *student, *cls, "start", "end"
        ),
        "kinships": _rows(
            Kinship.objects.filter(student__school=school),
            "guardian__last_name",
            "guardian__first_name",
            "guardian__middle_name",
            "guardian__user__username",
            "relation",
            "is_legal_representative",
            *student,
        ),
        "staff": _rows(
            StaffMember.objects.filter(school=school),
            "user__username",
            "user__last_name",
            "user__first_name",
            "user__middle_name",
            "position",
            "subjects__name",
        ),
        "assignments": _rows(
            TeachingAssignment.objects.filter(school_class__school=school),
            "teacher__username",
            "subject__name",
            *cls,
            "group__name",
            "start",
            "end",
        ),
        "groups": _rows(
            GroupMembership.objects.filter(group__school_class__school=school),
            "group__name",
            "group__kind",
            "group__school_class__grade",
            "group__school_class__letter",
            *student,
            "start",
            "end",
        ),
        "curriculum": _rows(
            CurriculumItem.objects.filter(school_class__school=school),
            *cls,
            "subject__name",
            "hours_per_week",
            "hours_year",
            "tests_year",
            "period_plans__period__kind",
            "period_plans__period__number",
            "period_plans__hours",
            "period_plans__tests",
        ),
    }


def row_counts() -> dict[str, int]:
    models = apps.get_app_config("school").get_models(include_auto_created=True)
    return {m._meta.label: m._default_manager.count() for m in models}


# --- Determinism and idempotency ------------------------------------------------------


def test_same_seed_gives_the_same_school_again_after_reset():
    """Seeding, resetting and seeding again with the same seed rebuilds exactly the same
    names, logins, classes, families, curriculum and assignments."""
    first = snapshot(seed(seed=7))
    seed_demo(DemoOptions(seed=7, **SMALL), reset=True)
    second = snapshot(find_demo_school(1))
    for section in first:
        assert second[section] == first[section], section


def test_another_seed_gives_other_people_in_the_same_structure():
    """A different seed changes the people but not the school's structure."""
    first = snapshot(seed(seed=1))
    seed_demo(DemoOptions(seed=2, **SMALL), reset=True)
    second = snapshot(find_demo_school(1))
    assert second["school"] == first["school"]
    assert [r[:8] for r in second["classes"]] == [r[:8] for r in first["classes"]]
    same = set(first["students"]) & set(second["students"])
    assert len(same) < len(first["students"]) // 4


def test_second_run_creates_nothing_and_prints_the_logins_again():
    """Running the command twice with the same arguments adds no row the second time."""
    run_command("--classes-per-grade", "1", "--students-per-class", "6", "--no-journal")
    before = row_counts()
    output = run_command("--classes-per-grade", "1", "--students-per-class", "6", "--no-journal")
    assert row_counts() == before
    assert "уже есть" in output
    assert "Ничего не создано" in output
    for login in DEMO_LOGINS:
        assert f"{login.username} / {DEMO_PASSWORD}" in output


def test_more_schools_later_adds_only_the_new_one_with_suffixed_logins():
    """``--schools 2`` after one school adds the second school only; its role logins end
    in 2 and every other login is unique across both schools."""
    seed()
    before = School.objects.count()
    result = seed_demo(DemoOptions(schools=2, **SMALL))
    assert School.objects.count() == before + 1
    assert [s.short_name for s in result.created] == ["МБОУ «Табачненская СОШ»"]
    for login in demo_logins(2):
        assert User.objects.filter(username=login.username).exists(), login.username
    assert User.objects.filter(username="director2", staff_roles__school=result.created[0])


def test_reset_deletes_the_demo_people_and_their_logins():
    """``--reset`` leaves no person or login of the old demo school behind."""
    old = seed()
    seed_demo(DemoOptions(seed=3, **SMALL), reset=True)
    new = find_demo_school(1)
    assert new.pk != old.pk and School.objects.count() == 1
    assert Guardian.objects.filter(kinships__isnull=True).count() == 0
    orphans = User.objects.exclude(username="admin").exclude(
        Q(staff_roles__school=new)
        | Q(student__school=new)
        | Q(guardian__kinships__student__school=new)
    )
    assert list(orphans) == []


def test_command_prints_a_russian_table_of_role_logins_and_a_summary():
    output = run_command("--classes-per-grade", "1", "--students-per-class", "4", "--no-journal")
    assert "директор" in output and "director / demo2026" in output
    assert "классный руководитель" in output and "classteacher / demo2026" in output
    assert "администратор" in output and "admin / demo2026" in output
    assert re.search(r"Создано: 1 школа, 11 классов, 44 обучающихся, .* за \d+,\d с\.", output)


def test_command_prints_each_build_step_with_its_time_unless_quiet():
    """A school takes tens of seconds: the command names every step of ``STEPS`` as it
    runs, with the step's time and the time so far; ``--quiet`` keeps only the summary."""
    output = run_command("--classes-per-grade", "1", "--students-per-class", "4", "--no-journal")
    names = [step.__name__ for step in STEPS] + [COMMIT_STEP]
    total = len(names)
    assert f"Демо-школа 1: {total} шаг" in output
    lines = [line for line in output.splitlines() if line.startswith("  [")]
    assert len(lines) == total
    for number, (line, name) in enumerate(zip(lines, names, strict=True), start=1):
        assert re.fullmatch(
            rf"  \[ ?{number}/{total}\] {name} … \d+,\d с \(всего \d+,\d с\)", line
        ), line
    quiet = run_command(
        "--classes-per-grade",
        "1",
        "--students-per-class",
        "4",
        "--no-journal",
        "--reset",
        "--quiet",
    )
    assert "Демо-школа 1:" not in quiet and STEPS[0].__name__ not in quiet
    assert "Создано: 1 школа" in quiet and "director / demo2026" in quiet


# --- A realistic school ---------------------------------------------------------------


@pytest.fixture(scope="class")
def demo(django_db_setup, django_db_blocker):
    """Two classes a grade of 20 (so English is split into subgroups), seeded once for
    the class and rolled back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        ensure_consent_text()  # the migration's row, gone after tests that truncate tables
        options = DemoOptions(seed=1, classes_per_grade=2, students_per_class=20, journal=False)
        result = seed_demo(options)
        connection.check_constraints()  # once here, not again at every test's teardown
        yield result.schools[1]
        transaction.set_rollback(True)


def _current_class(student: Student) -> SchoolClass:
    return student.enrolments.order_by("start").first().school_class


def first_day_classes(school: School) -> dict[int, SchoolClass]:
    """Each student's class on 01.09.2026."""
    enrolments = Enrolment.objects.filter(student__school=school, start=D(2026, 9, 1))
    return {e.student_id: e.school_class for e in enrolments.select_related("school_class")}


class TestRealisticSchool:
    def test_school_details_are_the_seed_school(self, demo):
        """School 1 is the Плодовская school of Crimea with valid ОГРН and ИНН."""
        assert demo.short_name == "МБОУ «Плодовская СОШ»"
        assert demo.name.startswith("Муниципальное бюджетное общеобразовательное учреждение")
        assert "с. Плодовое" in demo.address and "Бахчисарайский район" in demo.address
        assert is_valid_ogrn(demo.ogrn) and is_valid_inn(demo.inn)
        assert demo.timezone == "Europe/Simferopol" and demo.week_days == 5

    def test_calendar_2026_27(self, demo):
        """Quarters, half-years, year, exam and final periods and the holidays of 2026/27;
        the previous year exists too."""
        year = AcademicYear.objects.get(school=demo, name="2026/2027")
        assert (year.start, year.end) == (D(2026, 9, 1), D(2027, 5, 26))
        periods = {(p.kind, p.number): (p.start, p.end) for p in year.periods.all()}
        assert periods[(PeriodKind.QUARTER, 1)] == (D(2026, 9, 1), D(2026, 10, 23))
        assert periods[(PeriodKind.QUARTER, 2)] == (D(2026, 11, 5), D(2026, 12, 30))
        assert periods[(PeriodKind.QUARTER, 3)] == (D(2027, 1, 11), D(2027, 3, 26))
        assert periods[(PeriodKind.QUARTER, 4)] == (D(2027, 4, 5), D(2027, 5, 26))
        assert periods[(PeriodKind.HALF_YEAR, 1)] == (D(2026, 9, 1), D(2026, 12, 30))
        assert periods[(PeriodKind.HALF_YEAR, 2)] == (D(2027, 1, 11), D(2027, 5, 26))
        assert periods[(PeriodKind.YEAR, 1)] == (year.start, year.end)
        for kind in (PeriodKind.EXAM, PeriodKind.FINAL):
            start, end = periods[(kind, 1)]
            assert year.start <= start <= end <= year.end
        holidays = set(year.holidays.values_list("start", "end", "only_grade"))
        assert holidays == {
            (D(2026, 10, 24), D(2026, 11, 4), None),
            (D(2026, 12, 31), D(2027, 1, 10), None),
            (D(2027, 3, 27), D(2027, 4, 4), None),
            (D(2027, 2, 15), D(2027, 2, 21), 1),
            # Public holidays that fall on school days (the production calendar).
            (D(2027, 2, 23), D(2027, 2, 23), None),
            (D(2027, 3, 8), D(2027, 3, 8), None),
            (D(2027, 5, 3), D(2027, 5, 3), None),
            (D(2027, 5, 10), D(2027, 5, 10), None),
        }
        schemes = dict(GradeScheme.objects.filter(year=year).values_list("grade", "scheme"))
        assert schemes == {g: "quarters" if g <= 9 else "half_years" for g in range(1, 12)}
        previous = AcademicYear.objects.get(school=demo, name="2025/2026")
        assert (previous.start, previous.end) == (D(2025, 9, 1), D(2026, 5, 26))
        assert Holiday.objects.filter(year=previous, only_grade=1).get().start == D(2026, 2, 16)
        assert previous.periods.count() == 9 and not previous.classes.exists()

    def test_grade_5_curriculum_matches_domain(self, demo):
        """Grade 5 has exactly DOMAIN.md's subjects and weekly hours, over 34 weeks."""
        for school_class in demo.classes.filter(grade=5):
            items = school_class.curriculum.select_related("subject")
            assert {i.subject.name: i.hours_per_week for i in items} == {
                name: Decimal(hours) for name, hours in DOMAIN_GRADE_5.items()
            }
            assert all(i.hours_year == i.hours_per_week * 34 for i in items)

    def test_curriculum_by_grade_follows_the_federal_plan(self, demo):
        """Grade 1 has 33 weeks and no tests; grades 7-9 split mathematics; chemistry and
        ОБЗР start in grade 8; ОРКСЭ (grade 4 only) is ungraded."""
        plan = defaultdict(dict)
        for item in CurriculumItem.objects.filter(school_class__school=demo).select_related(
            "school_class", "subject"
        ):
            plan[item.school_class.grade][item.subject.name] = item
        grade_1 = plan[1].values()
        assert sum(i.hours_per_week for i in grade_1) == 20
        assert all(i.hours_year == i.hours_per_week * 33 for i in grade_1)
        assert not any(i.tests_year or i.practical_works_year or i.lab_works_year for i in grade_1)
        for grade in (7, 8, 9):
            hours = {name: item.hours_per_week for name, item in plan[grade].items()}
            assert "Математика" not in hours
            assert (hours["Алгебра"], hours["Геометрия"]) == (3, 2)
            assert hours["Вероятность и статистика"] == 1
            for subject in ("Физика", "Информатика", "Обществознание"):
                assert subject in hours
            assert ("Химия" in hours) == (grade >= 8)
            assert ("Основы безопасности и защиты Родины" in hours) == (grade >= 8)
            assert plan[grade]["Алгебра"].tests_year >= 6
        assert plan[8]["Физика"].lab_works_year >= 8
        orkse = Subject.objects.get(school=demo, short_name="ОРКСЭ")
        assert orkse.is_graded is False
        assert [g for g in plan if orkse.name in plan[g]] == [4]
        for grade in range(2, 10):
            weekly = sum(i.hours_per_week for i in plan[grade].values())
            assert 22 <= weekly <= 32  # a five-day week: at most 26 (2-4) / 32 (9) hours

    def test_period_plans_split_the_year_over_the_class_periods(self, demo):
        """Every curriculum item has a plan per quarter (grades 1-9) or half-year (10-11)
        whose hours and works add up to the year's."""
        items = CurriculumItem.objects.filter(school_class__school=demo).prefetch_related(
            "period_plans__period"
        )
        for item in items.select_related("school_class"):
            plans = list(item.period_plans.all())
            kinds = {p.period.kind for p in plans}
            grade = item.school_class.grade
            assert kinds == {PeriodKind.QUARTER if grade <= 9 else PeriodKind.HALF_YEAR}
            assert len(plans) == (4 if grade <= 9 else 2)
            assert sum(p.hours for p in plans) == item.hours_year
            assert sum(p.tests for p in plans) == item.tests_year
            assert sum(p.practical_works for p in plans) == item.practical_works_year
            assert sum(p.lab_works for p in plans) == item.lab_works_year

    def test_first_grade_is_ungraded(self, demo):
        """Grade 1 classes learn without marks; every other class is graded."""
        for school_class in demo.classes.all():
            assert school_class.is_graded is (school_class.grade != 1)

    def test_every_class_has_a_class_teacher_from_its_staff(self, demo):
        """Each class's class teacher is a teacher of the school who teaches that class."""
        for school_class in demo.classes.select_related("class_teacher"):
            teacher = school_class.class_teacher
            assert teacher is not None, school_class.name
            assert StaffMember.objects.filter(
                user=teacher, school=demo, position=Position.TEACHER, is_active=True
            ).exists()
            assert TeachingAssignment.objects.filter(
                teacher=teacher, school_class=school_class
            ).exists(), school_class.name

    def test_names_agree_with_gender(self, demo):
        """Every student's surname and patronymic are in the student's gender, and come
        from the father: his surname in the child's gender, a patronymic from his name."""
        students = demo.students.prefetch_related("kinships__guardian")
        for student in students:
            if student.gender == Gender.FEMALE:
                assert FEMININE_PATRONYMIC.search(student.middle_name), student
                assert FEMININE_SURNAME.search(student.last_name) or INVARIANT_SURNAME.search(
                    student.last_name
                ), student
            else:
                assert MASCULINE_PATRONYMIC.search(student.middle_name), student
                assert not FEMININE_SURNAME.search(student.last_name), student
            fathers = [k.guardian for k in student.kinships.all() if k.relation == Relation.FATHER]
            for father in fathers:
                assert student.last_name == surname_for(father.last_name, student.gender)
                assert student.middle_name == patronymic_for(father.first_name, student.gender)
        for guardian in Guardian.objects.filter(kinships__student__school=demo).distinct():
            pattern = (
                FEMININE_PATRONYMIC if guardian.gender == Gender.FEMALE else (MASCULINE_PATRONYMIC)
            )
            assert pattern.search(guardian.middle_name), guardian

    def test_patronymic_table_has_both_forms(self):
        """The patronymic table gives the irregular forms, not a rule's guess."""
        assert PATRONYMICS["Пётр"] == ("Петрович", "Петровна")
        assert PATRONYMICS["Илья"] == ("Ильич", "Ильинична")
        assert PATRONYMICS["Никита"] == ("Никитич", "Никитична")
        assert PATRONYMICS["Лев"] == ("Львович", "Львовна")
        for masculine, feminine in PATRONYMICS.values():
            assert MASCULINE_PATRONYMIC.search(masculine) and FEMININE_PATRONYMIC.search(feminine)

    def test_each_child_has_one_or_two_guardians(self, demo):
        """1-2 guardians per child, at least one a legal representative; most children
        have a mother and a father, some a single mother, a few a grandmother or опекун."""
        relations = defaultdict(list)
        for kinship in Kinship.objects.filter(student__school=demo):
            relations[kinship.student_id].append(kinship)
        assert len(relations) == demo.students.count()
        for kinships in relations.values():
            assert 1 <= len(kinships) <= 2
            assert any(k.is_legal_representative for k in kinships)
        shapes = [tuple(sorted(k.relation for k in ks)) for ks in relations.values()]
        both = shapes.count((Relation.FATHER, Relation.MOTHER))
        assert both > len(shapes) / 2
        assert (Relation.MOTHER,) in shapes
        assert any(Relation.GRANDMOTHER in s or Relation.GUARDIAN in s for s in shapes)

    def test_some_families_have_several_children_in_different_grades(self, demo):
        """Siblings share the same guardians and are in different grades, born at least a
        year apart."""
        children = defaultdict(set)
        for guardian_id, student_id in Kinship.objects.filter(student__school=demo).values_list(
            "guardian_id", "student_id"
        ):
            children[guardian_id].add(student_id)
        guardians = defaultdict(set)
        for guardian_id, students in children.items():
            for student_id in students:
                guardians[student_id].add(guardian_id)
        families = {frozenset(s) for s in children.values() if len(s) > 1}
        assert len(families) >= 3
        classes = first_day_classes(demo)
        for family in families:
            grades = sorted(classes[s].grade for s in family)
            assert all(b - a >= 2 for a, b in itertools.pairwise(grades)), grades
            assert len({frozenset(guardians[s]) for s in family}) == 1

    def test_birth_dates_fit_the_grade(self, demo):
        """Grade 1 in 2026/27 was born in 2019/2020 (01.09.2019-31.08.2020), grade 11
        ten years earlier."""
        classes = first_day_classes(demo)
        for student in demo.students.all():
            grade = classes[student.pk].grade
            assert D(2020 - grade, 9, 1) <= student.birth_date <= D(2021 - grade, 8, 31)

    def test_logins_for_students_from_grade_5_and_every_guardian(self, demo):
        """Students get a login from grade 5; every guardian has one."""
        classes = first_day_classes(demo)
        for student in demo.students.all():
            assert (student.user_id is not None) == (classes[student.pk].grade >= 5)
        guardians = Guardian.objects.filter(kinships__student__school=demo)
        assert not guardians.filter(user__isnull=True).exists()

    def test_a_teacher_is_also_a_guardian(self, demo):
        """One teacher's login is also a parent's: a person can be staff and guardian."""
        both = User.objects.filter(
            staff_roles__school=demo,
            staff_roles__position=Position.TEACHER,
            guardian__kinships__student__school=demo,
        ).distinct()
        assert both.count() == 1
        viewer = viewer_for(both.get())
        assert viewer.is_guardian and demo.pk in viewer.teacher_schools

    def test_each_role_login_has_the_role_the_table_claims(self, demo):
        """Every login of the printed table exists, takes the demo password and holds
        exactly the role the table says."""
        class_5a = demo.classes.get(grade=5, letter="А")
        for login in DEMO_LOGINS:
            user = User.objects.get(username=login.username)
            assert user.check_password(DEMO_PASSWORD), login.username
            viewer = viewer_for(user)
            positions = viewer.positions.get(demo.pk, frozenset())
            if login.role == "admin":
                assert user.is_superuser and user.is_staff
                assert not viewer.positions and not viewer.is_guardian and not viewer.is_student
            elif login.role in ("director", "deputy", "secretary"):
                assert positions == {login.role}
            elif login.role == "classteacher":
                assert positions == {Position.TEACHER}
                assert viewer.homeroom_class_ids == {class_5a.pk}
                assert class_5a.pk in viewer.taught_class_ids
            elif login.role == "teacher":
                # A mathematics teacher of 5А and other classes, with no class of their own.
                assert positions == {Position.TEACHER}
                assert not viewer.homeroom_class_ids
                taught = TeachingAssignment.objects.filter(teacher=user)
                assert taught.filter(school_class=class_5a, subject__name="Математика").exists()
                assert taught.values("school_class").distinct().count() >= 3
            elif login.role == "parent":
                guardian = Guardian.objects.get(user=user)
                classes = {_current_class(k.student) for k in guardian.kinships.all()}
                assert len(classes) == 2 and class_5a in classes
                assert not viewer.positions
            elif login.role == "student":
                assert viewer.is_student and not viewer.positions
                assert _current_class(user.student) == class_5a
            else:
                pytest.fail(f"unknown role {login.role}")

    def test_english_is_taught_in_two_subgroups_with_their_own_teachers(self, demo):
        """Classes of 20+ students in grades 2-11 learn English in two subgroups, each with
        its own teacher; the subgroups split the class list between them."""
        for school_class in demo.classes.filter(grade__gte=2):
            groups = list(
                school_class.groups.filter(kind=GroupKind.SUBGROUP, subject__name="Английский язык")
            )
            assert len(groups) == 2, school_class.name
            teachers = {
                a.teacher_id for g in groups for a in TeachingAssignment.objects.filter(group=g)
            }
            assert len(teachers) == 2
            on_first_day = [
                set(g.memberships.filter(start=D(2026, 9, 1)).values_list("student", flat=True))
                for g in groups
            ]
            enrolled = set(
                school_class.enrolments.filter(start=D(2026, 9, 1)).values_list(
                    "student", flat=True
                )
            )
            assert on_first_day[0] | on_first_day[1] == enrolled
            assert not on_first_day[0] & on_first_day[1]
            assert not TeachingAssignment.objects.filter(
                school_class=school_class, subject__name="Английский язык", group__isnull=True
            ).exists()
        assert not StudyGroup.objects.filter(school_class__school=demo, school_class__grade=1)

    def test_every_curriculum_item_is_taught_from_1_september(self, demo):
        """Each class and subject of the curriculum has a teacher from 01.09.2026 on."""
        assignments = TeachingAssignment.objects.filter(school_class__school=demo)
        taught = set(assignments.values_list("school_class_id", "subject_id"))
        for item in CurriculumItem.objects.filter(school_class__school=demo):
            assert (item.school_class_id, item.subject_id) in taught, item
        assert set(assignments.values_list("start", "end")) == {(D(2026, 9, 1), None)}

    def test_teachers_carry_a_realistic_load(self, demo):
        """Subject teachers teach 17-27 hours a week, primary teachers 17-19."""
        hours = {
            (i.school_class_id, i.subject_id): i.hours_per_week
            for i in CurriculumItem.objects.filter(school_class__school=demo)
        }
        load = defaultdict(Decimal)
        for a in TeachingAssignment.objects.filter(school_class__school=demo).exclude(
            group__kind=GroupKind.INDIVIDUAL
        ):
            load[a.teacher_id] += hours[(a.school_class_id, a.subject_id)]
        teachers = StaffMember.objects.filter(school=demo, position=Position.TEACHER)
        assert {t.user_id for t in teachers} == set(load)
        assert all(17 <= h <= 27 for h in load.values()), sorted(load.values())

    def test_one_student_moved_class_mid_year(self, demo):
        """A student left 7А on 15.11.2026 and is in 7Б from 16.11.2026."""
        moved = Enrolment.objects.filter(student__school=demo, end__isnull=False).get()
        assert (moved.school_class.name, moved.start, moved.end) == (
            "7А",
            D(2026, 9, 1),
            D(2026, 11, 15),
        )
        after = Enrolment.objects.get(student=moved.student, start=D(2026, 11, 16))
        assert after.school_class.name == "7Б" and after.end is None
        memberships = GroupMembership.objects.filter(student=moved.student)
        assert {(m.group.school_class.name, m.end) for m in memberships} == {
            ("7А", D(2026, 11, 15)),
            ("7Б", None),
        }

    def test_one_student_is_on_an_individual_study_plan(self, demo):
        group = StudyGroup.objects.get(school_class__school=demo, kind=GroupKind.INDIVIDUAL)
        assert group.memberships.count() == 1
        assert group.assignments.count() == 1
        assert CurriculumItem.objects.filter(
            school_class=group.school_class, subject=group.subject
        ).exists()

    def test_families_chose_what_they_receive_through_the_service(self, demo):
        """The showcase parent chose mark and message SMS and a daily digest in the cabinet;
        many paper families asked for mark SMS in their statement (the secretary entered it,
        with the number); every choice has its audit row and goes by a channel the family's
        consent opens, to a confirmed contact."""
        from notifications.channels import why_closed
        from notifications.models import (
            ChangeSource,
            Channel,
            Frequency,
            Kind,
            Subscription,
            SubscriptionChange,
        )

        chosen = Subscription.objects.filter(student__school=demo, enabled=True)
        parent = Guardian.objects.get(user__username="parent")
        own = {(s.kind, s.channel, s.frequency) for s in chosen.filter(guardian=parent)}
        assert {
            (Kind.MARKS, Channel.SMS, Frequency.INSTANT),
            (Kind.MESSAGE, Channel.SMS, Frequency.INSTANT),
            (Kind.DIGEST, Channel.EMAIL, Frequency.DAILY),
        } <= own
        changes = SubscriptionChange.objects.filter(student__school=demo)
        assert set(changes.filter(guardian=parent).values_list("source", flat=True)) == {
            ChangeSource.CABINET
        }
        by_statement = changes.filter(source=ChangeSource.STATEMENT)
        assert by_statement.filter(kind=Kind.MARKS, channel=Channel.SMS).count() >= 5
        assert not by_statement.filter(statement_number="").exists()
        assert changes.count() == chosen.count()
        for subscription in chosen:
            assert (
                why_closed(
                    subscription.guardian_id, [subscription.student_id], subscription.channel
                )
                == ""
            ), subscription

    def test_families_consents_are_what_a_school_has_by_late_autumn(self, demo):
        """Most families consented on paper (with a phone from the same statement), a few
        refused, withdrew or have not answered: the lists have every state to show. The
        showcase parent gave every channel in the cabinet, so their diary opens."""
        from consent.models import ConsentForm, ConsentRecord, Contact, ContactSource, Decision
        from consent.rules import cabinet_open_for, families_states, family_status

        guardian_ids = list(
            Guardian.objects.filter(kinships__student__school=demo)
            .distinct()
            .values_list("pk", flat=True)
        )
        states = families_states(guardian_ids)
        statuses = {family_status(state) for state in states.values()}
        assert {Decision.GIVEN, Decision.REFUSED, Decision.WITHDRAWN} <= statuses
        assert len({guardian for guardian, _ in states}) < len(guardian_ids)  # some: none
        given = [pair for pair, state in states.items() if family_status(state) == "given"]
        assert len(given) > len(states) * 0.7
        consented = {guardian for guardian, _ in given}
        with_phone = set(
            Contact.objects.filter(guardian_id__in=consented, kind=Contact.Kind.PHONE).values_list(
                "guardian_id", flat=True
            )
        )
        assert with_phone == consented
        for contact in Contact.objects.filter(guardian_id__in=consented)[:40]:
            contact.full_clean()

        parent = User.objects.get(username="parent").guardian
        children = set(parent.kinships.values_list("student_id", flat=True))
        assert cabinet_open_for(guardian_id=parent.pk, student_id=None) == children
        record = ConsentRecord.objects.get(guardian=parent)
        assert record.form == ConsentForm.ELECTRONIC and record.text is not None
        # As the README's demo logins say: in the cabinet, contacts typed there and
        # confirmed; no paper statement is named for this family.
        mine = list(Contact.objects.filter(guardian=parent))
        assert {c.kind for c in mine} == {Contact.Kind.PHONE, Contact.Kind.EMAIL}
        assert all(
            c.source == ContactSource.CABINET and c.is_confirmed and not c.statement_number
            for c in mine
        )
        # Its change log names the parent and the cabinet, as the service writes it.
        from consent.models import FamilyDataChange

        logged = FamilyDataChange.objects.get(guardian=parent, new__record=record.pk)
        assert logged.actor_id == parent.user_id and logged.new["form"] == "electronic"
        assert "заявление" not in logged.what
        readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
        assert "consent given in the cabinet" in readme

    def test_rows_pass_model_validation(self, demo):
        """The bulk-created rows satisfy the models' own ``full_clean`` rules."""
        checked = [
            demo,
            *AcademicYear.objects.filter(school=demo),
            *Period.objects.filter(year__school=demo),
            *Holiday.objects.filter(year__school=demo),
            *demo.classes.all(),
            *StudyGroup.objects.filter(school_class__school=demo),
            *GroupMembership.objects.filter(group__school_class__school=demo)[:80],
            *TeachingAssignment.objects.filter(school_class__school=demo)[:80],
            *Enrolment.objects.filter(student__school=demo)[:80],
            *CurriculumItem.objects.filter(school_class__school=demo)[:80],
            *demo.students.all()[:40],
            *Guardian.objects.filter(kinships__student__school=demo)[:40],
            *Kinship.objects.filter(student__school=demo)[:40],
            *StaffMember.objects.filter(school=demo),
        ]
        for obj in checked:
            obj.full_clean()

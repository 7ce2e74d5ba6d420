"""A small, explicit school world for access tests: every fact the matrix relies on is
visible here, instead of depending on the random demo data.

School A, the current academic year:
- 5А: class teacher ``classteacher`` (teaches русский язык there); ``child_a`` is in it.
- 6Б: ``teacher`` teaches математика there; ``child_b`` is in it.
- ``parent`` is the mother of ``child_a``; ``child_a`` also has a login (``student``).
- both parents gave consent (on paper, to the secretary) for the cabinet, unless
  ``consent=False``.
- ``other_parent`` is the father of ``child_b``.
- ``director``, ``deputy``, ``secretary`` work in school A.
School B: ``other_director``; its student ``child_c``.
``admin`` is a superuser with no role in any school.

With ``build_world(journal=True)`` the world also has dated lessons on the last school day
up to today (within the year), conducted:
- ``lesson_5a``: 5А русский язык by ``classteacher``;
- ``lesson_5a_math``: 5А математика by ``director`` (so the class teacher sees a journal
  she may read but not write);
- ``lesson_6b``: 6Б математика by ``teacher``, with ``homework_6b`` and its file
  ``attachment_6b``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from consent.services import give_cabinet_consent
from journal.models import Homework, HomeworkAttachment, Lesson, LessonStatus
from school.models import (
    AcademicYear,
    Enrolment,
    Guardian,
    Kinship,
    Period,
    PeriodKind,
    Position,
    Relation,
    School,
    SchoolClass,
    StaffMember,
    Student,
    Subject,
    TeachingAssignment,
    User,
)

PASSWORD = "test-pass-2026"
ROLES = (
    "anonymous",
    "director",
    "deputy",
    "teacher",
    "classteacher",
    "secretary",
    "parent",
    "student",
    "other_parent",
    "other_director",
    "admin",
)


@dataclass
class World:
    school: School
    other_school: School
    year: AcademicYear
    class_5a: SchoolClass
    class_6b: SchoolClass
    math: Subject
    russian: Subject
    child_a: Student
    child_b: Student
    child_c: Student
    users: dict[str, User] = field(default_factory=dict)
    lesson_5a: Lesson | None = None
    lesson_5a_math: Lesson | None = None
    lesson_6b: Lesson | None = None
    homework_6b: Homework | None = None
    attachment_6b: HomeworkAttachment | None = None


def school_year_start(today: dt.date) -> dt.date:
    return dt.date(today.year if today.month >= 8 else today.year - 1, 9, 1)


def _user(username: str, last: str, first: str, middle: str = "", **extra) -> User:
    user = User(username=username, last_name=last, first_name=first, middle_name=middle, **extra)
    user.set_password(PASSWORD)
    user.save()
    return user


def _student(school: School, last: str, first: str, middle: str, gender: str) -> Student:
    return Student.objects.create(
        school=school,
        last_name=last,
        first_name=first,
        middle_name=middle,
        gender=gender,
        birth_date=dt.date(2015, 3, 14),
    )


def last_school_day(today: dt.date, start: dt.date, end: dt.date) -> dt.date:
    """Today, or the last weekday before it, kept inside [start, end]."""
    day = min(max(today, start), end)
    while day.isoweekday() > 5 and day > start:
        day -= dt.timedelta(days=1)
    return day


def _add_journal(world: World) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from journal import services

    users = world.users
    day = last_school_day(timezone.localdate(), world.year.start, world.year.end)
    TeachingAssignment.objects.create(
        teacher=users["director"],
        subject=world.math,
        school_class=world.class_5a,
        start=world.year.start,
    )

    def lesson(school_class: SchoolClass, subject: Subject, teacher: User, number: int):
        return Lesson.objects.create(
            school=world.school,
            school_class=school_class,
            subject=subject,
            teacher=teacher,
            date=day,
            number=number,
            room="12",
            status=LessonStatus.CONDUCTED,
        )

    world.lesson_5a = lesson(world.class_5a, world.russian, users["classteacher"], 1)
    world.lesson_5a_math = lesson(world.class_5a, world.math, users["director"], 4)
    world.lesson_6b = lesson(world.class_6b, world.math, users["teacher"], 1)
    world.homework_6b = services.assign_homework(
        actor=users["teacher"],
        lesson=world.lesson_6b,
        text="№ 245, 247",
        due_date=day,
        files=[SimpleUploadedFile("задачи.pdf", b"%PDF-1.4 test", "application/pdf")],
    )
    world.attachment_6b = world.homework_6b.attachments.get()


def ensure_consent_text() -> None:
    """The consent's wording version 1 (a data migration creates it; tests that truncate
    tables, like the browser tests, remove it, so every world puts it back)."""
    from consent.models import ConsentText
    from consent.texts import DEFAULT_TITLE, configured_body

    if not ConsentText.objects.exists():
        ConsentText.objects.create(
            version=1,
            title=DEFAULT_TITLE,
            body=configured_body(),
            published_at=timezone.now() - dt.timedelta(minutes=1),
        )


def build_world(*, journal: bool = False, consent: bool = True) -> World:
    ensure_consent_text()
    today = timezone.localdate()
    start = school_year_start(today)
    end = dt.date(start.year + 1, 5, 26)
    school = School.objects.create(name="МБОУ «Тестовая СОШ»", short_name="Тестовая СОШ")
    other = School.objects.create(name="МБОУ «Соседняя СОШ»", short_name="Соседняя СОШ")
    year = AcademicYear.objects.create(
        school=school, name=f"{start.year}/{start.year + 1}", start=start, end=end
    )
    other_year = AcademicYear.objects.create(school=other, name=year.name, start=start, end=end)
    Period.objects.create(year=year, kind=PeriodKind.YEAR, number=1, start=start, end=end)

    users = {
        "director": _user("director", "Радченко", "Людмила", "Фёдоровна"),
        "deputy": _user("deputy", "Осипова", "Марина", "Игоревна"),
        "teacher": _user("teacher", "Кузнецов", "Андрей", "Павлович"),
        "classteacher": _user("classteacher", "Белова", "Ольга", "Сергеевна"),
        "secretary": _user("secretary", "Лисицына", "Анна", "Викторовна"),
        "parent": _user("parent", "Соколова", "Елена", "Андреевна"),
        "student": _user("student", "Соколов", "Максим", "Игоревич"),
        "other_parent": _user("other_parent", "Морозов", "Денис", "Олегович"),
        "other_director": _user("other_director", "Гусев", "Павел", "Ильич"),
        "admin": _user("admin", "Админов", "Админ", is_staff=True, is_superuser=True),
    }
    for name, position in [
        ("director", Position.DIRECTOR),
        ("deputy", Position.DEPUTY),
        ("teacher", Position.TEACHER),
        ("classteacher", Position.TEACHER),
        ("secretary", Position.SECRETARY),
    ]:
        StaffMember.objects.create(user=users[name], school=school, position=position)
    StaffMember.objects.create(
        user=users["other_director"], school=other, position=Position.DIRECTOR
    )

    math = Subject.objects.create(school=school, name="Математика", order=1)
    russian = Subject.objects.create(school=school, name="Русский язык", order=2)
    class_5a = SchoolClass.objects.create(
        school=school, year=year, grade=5, letter="А", class_teacher=users["classteacher"]
    )
    class_6b = SchoolClass.objects.create(school=school, year=year, grade=6, letter="Б")
    class_other = SchoolClass.objects.create(school=other, year=other_year, grade=5, letter="А")
    TeachingAssignment.objects.create(
        teacher=users["classteacher"], subject=russian, school_class=class_5a, start=start
    )
    TeachingAssignment.objects.create(
        teacher=users["teacher"], subject=math, school_class=class_6b, start=start
    )

    child_a = _student(school, "Соколов", "Максим", "Игоревич", "m")
    child_a.user = users["student"]
    child_a.save()
    child_b = _student(school, "Морозова", "Алиса", "Денисовна", "f")
    child_c = _student(other, "Гусева", "Вера", "Павловна", "f")
    Enrolment.objects.create(student=child_a, school_class=class_5a, start=start)
    Enrolment.objects.create(student=child_b, school_class=class_6b, start=start)
    Enrolment.objects.create(student=child_c, school_class=class_other, start=start)

    mother = Guardian.objects.create(
        user=users["parent"],
        last_name="Соколова",
        first_name="Елена",
        middle_name="Андреевна",
        gender="f",
    )
    father_b = Guardian.objects.create(
        user=users["other_parent"],
        last_name="Морозов",
        first_name="Денис",
        middle_name="Олегович",
        gender="m",
    )
    Kinship.objects.create(guardian=mother, student=child_a, relation=Relation.MOTHER)
    Kinship.objects.create(guardian=father_b, student=child_b, relation=Relation.FATHER)
    if consent:
        for guardian, child in ((mother, child_a), (father_b, child_b)):
            give_cabinet_consent(guardian, [child], actor=users["secretary"])

    world = World(
        school=school,
        other_school=other,
        year=year,
        class_5a=class_5a,
        class_6b=class_6b,
        math=math,
        russian=russian,
        child_a=child_a,
        child_b=child_b,
        child_c=child_c,
        users=users,
    )
    if journal:
        _add_journal(world)
    return world

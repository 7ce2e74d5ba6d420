"""The family's cabinet on top of ``tests.world``: a week of 5А's journal, written through
the journal's services, so that every diary page has something true to show.

Everything is dated from ``day0``: the last weekday on or before today, kept inside the
school year (marks are refused for future lessons). ``week0`` is day0's Monday.

Added to school A (the roles of ``tests.world`` keep exactly the rights they had):
- bells of the first shift; a weekly timetable of 5А: 1 русский язык (``classteacher``),
  2 математика (``math_teacher``, a new teacher of 5А only), 3 английский язык in two
  groups (``child_a`` is in «1 группа», taught by ``english_teacher``); lessons generated
  from it for the weeks around week0;
- on day0: a test (контрольная работа) in математика where ``child_a`` got a 5 (weight 3),
  with a praise from the teacher; ``child_a`` ill («б») at русский язык, where homework with
  a file was given; a message from the class teacher to ``child_a``'s parents;
- the next lessons after day0: математика given by a substitute (``substitute``), русский
  язык cancelled, the английский язык group lesson moved a day later to lesson 6;
- ``child_a2``: a second child of ``parent`` (6Б), for the switcher (consent given too).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from consent.services import give_cabinet_consent
from journal import services as journal_services
from journal.models import (
    AttendanceCode,
    Bell,
    Homework,
    HomeworkAttachment,
    Lesson,
    LessonType,
    Mark,
    Message,
    RemarkKind,
    TimetableEntry,
)
from school.models import (
    Enrolment,
    GroupMembership,
    Guardian,
    Kinship,
    Position,
    Relation,
    StaffMember,
    Student,
    StudyGroup,
    Subject,
    TeachingAssignment,
    User,
)
from tests.world import PASSWORD, World, build_world

BELLS = [
    (1, dt.time(8, 30), dt.time(9, 15)),
    (2, dt.time(9, 25), dt.time(10, 10)),
    (3, dt.time(10, 30), dt.time(11, 15)),
    (5, dt.time(12, 30), dt.time(13, 15)),
    (6, dt.time(13, 25), dt.time(14, 10)),
]


@dataclasses.dataclass
class DiaryWorld(World):
    day0: dt.date | None = None
    week0: dt.date | None = None
    english: Subject | None = None
    group_1: StudyGroup | None = None
    group_2: StudyGroup | None = None
    child_a2: Student | None = None
    math_teacher: User | None = None
    english_teacher: User | None = None
    substitute: User | None = None
    test_lesson: Lesson | None = None
    russian_lesson: Lesson | None = None
    mark: Mark | None = None
    homework: Homework | None = None
    attachment: HomeworkAttachment | None = None
    message: Message | None = None
    substituted: Lesson | None = None
    cancelled: Lesson | None = None
    moved: Lesson | None = None
    moved_to: Lesson | None = None


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def last_weekday(today: dt.date, start: dt.date, end: dt.date) -> dt.date:
    """Today, or the last weekday before it, inside [start, end]."""
    day = min(max(today, start), end)
    while day.isoweekday() > 5 and day > start:
        day -= dt.timedelta(days=1)
    return day


def _teacher(world: World, username: str, last: str, first: str, middle: str) -> User:
    user = User(username=username, last_name=last, first_name=first, middle_name=middle)
    user.set_password(PASSWORD)
    user.save()
    StaffMember.objects.create(user=user, school=world.school, position=Position.TEACHER)
    return user


def _next_lesson(school_class, subject, after: Lesson, group=None) -> Lesson | None:
    lessons = Lesson.objects.filter(
        school_class=school_class, subject=subject, group=group, date__gt=after.date
    ).order_by("date", "number")
    return lessons.first()


def build_diary_world(*, journal: bool = False) -> DiaryWorld:
    """``tests.world.build_world`` (with its own journal rows when ``journal``) and the
    diary's week on top."""
    base = build_world(journal=True) if journal else build_world()
    world = DiaryWorld(**{f.name: getattr(base, f.name) for f in dataclasses.fields(World)})
    school, year, cls = world.school, world.year, world.class_5a
    today = timezone.localdate()
    day0 = last_weekday(today, year.start, year.end)
    week0 = monday_of(day0)
    world.day0, world.week0 = day0, week0
    users = world.users
    director = users["director"]

    for number, starts, ends in BELLS:
        Bell.objects.create(school=school, shift=1, number=number, starts_at=starts, ends_at=ends)

    world.math_teacher = _teacher(world, "math5a", "Иванова", "Анна", "Петровна")
    world.english_teacher = _teacher(world, "english5a", "Смирнова", "Дарья", "Игоревна")
    world.substitute = _teacher(world, "substitute", "Петров", "Илья", "Андреевич")
    world.english = Subject.objects.create(school=school, name="Английский язык", order=3)
    world.group_1 = StudyGroup.objects.create(
        school_class=cls, subject=world.english, name="1 группа"
    )
    world.group_2 = StudyGroup.objects.create(
        school_class=cls, subject=world.english, name="2 группа"
    )
    GroupMembership.objects.create(group=world.group_1, student=world.child_a, start=year.start)
    TeachingAssignment.objects.create(
        teacher=world.math_teacher, subject=world.math, school_class=cls, start=year.start
    )
    for group in (world.group_1, world.group_2):
        TeachingAssignment.objects.create(
            teacher=world.english_teacher,
            subject=world.english,
            school_class=cls,
            group=group,
            start=year.start,
        )

    slots = [
        (1, world.russian, users["classteacher"], None),
        (2, world.math, world.math_teacher, None),
        (3, world.english, world.english_teacher, world.group_1),
        (3, world.english, world.english_teacher, world.group_2),
    ]
    for weekday in range(1, 6):
        for number, subject, teacher, group in slots:
            TimetableEntry.objects.create(
                school_class=cls,
                group=group,
                subject=subject,
                teacher=teacher,
                weekday=weekday,
                number=number,
                room="12" if group is None else "21",
                valid_from=year.start,
            )
    journal_services.generate_lessons(
        school_class=cls,
        start=max(year.start, week0 - dt.timedelta(days=7)),
        end=min(year.end, week0 + dt.timedelta(days=20)),
    )

    # Back-dated entries beyond the edit window (a summer run) need the leadership.
    recent = day0 >= today - dt.timedelta(days=6)
    math_teacher = world.math_teacher if recent else director
    class_teacher = users["classteacher"] if recent else director

    test = Lesson.objects.get(school_class=cls, subject=world.math, date=day0, number=2)
    test = journal_services.update_lesson(
        actor=math_teacher,
        lesson=test,
        expected_version=test.version,
        topic="Сложение дробей",
        lesson_type=LessonType.TEST,
        conducted=True,
    )
    world.test_lesson = test
    world.mark = journal_services.record_mark(
        actor=math_teacher, lesson=test, student=world.child_a, value=5
    )
    journal_services.add_remark(
        actor=math_teacher,
        student=world.child_a,
        kind=RemarkKind.PRAISE,
        text="Лучшая работа в классе",
        lesson=test,
    )

    russian = Lesson.objects.get(school_class=cls, subject=world.russian, date=day0, number=1)
    russian = journal_services.update_lesson(
        actor=class_teacher,
        lesson=russian,
        expected_version=russian.version,
        topic="Имя существительное",
        conducted=True,
    )
    world.russian_lesson = russian
    journal_services.set_attendance(
        actor=class_teacher,
        lesson=russian,
        student=world.child_a,
        code=AttendanceCode.ILL,
        expected_version=0,
    )
    world.homework = journal_services.assign_homework(
        actor=class_teacher,
        lesson=russian,
        text="Упражнение 45, выучить правило",
        files=[SimpleUploadedFile("правило.pdf", b"%PDF-1.4 diary", "application/pdf")],
    )
    world.attachment = world.homework.attachments.get()
    world.message = journal_services.send_message(
        actor=users["classteacher"],
        student=world.child_a,
        subject="Родительское собрание",
        text="Собрание в четверг в 18:00, кабинет 12.",
    )

    world.substituted = _next_lesson(cls, world.math, test)
    if world.substituted is not None:
        world.substituted = journal_services.substitute_lesson(
            actor=director,
            lesson=world.substituted,
            substitute=world.substitute,
            reason="Учитель на курсах",
        )
    world.cancelled = _next_lesson(cls, world.russian, russian)
    if world.cancelled is not None:
        world.cancelled = journal_services.cancel_lesson(
            actor=director, lesson=world.cancelled, reason="Учитель на больничном"
        )
    world.moved = _next_lesson(cls, world.english, test, group=world.group_1)
    if world.moved is not None:
        target = world.moved.date + dt.timedelta(days=1)
        while target.isoweekday() > 5:
            target += dt.timedelta(days=1)
        if target <= year.end:
            world.moved_to = journal_services.move_lesson(
                actor=director,
                lesson=world.moved,
                new_date=target,
                new_number=6,
                reason="Экскурсия",
            )
            world.moved.refresh_from_db()
        else:
            world.moved = None

    child_a2 = Student.objects.create(
        school=school,
        last_name="Соколова",
        first_name="Анна",
        middle_name="Игоревна",
        gender="f",
        birth_date=dt.date(2014, 5, 2),
    )
    Enrolment.objects.create(student=child_a2, school_class=world.class_6b, start=year.start)
    mother = Guardian.objects.get(user=users["parent"])
    Kinship.objects.create(guardian=mother, student=child_a2, relation=Relation.MOTHER)
    give_cabinet_consent(mother, [child_a2], actor=users["secretary"])
    world.child_a2 = child_a2
    for user in users.values():
        user.__dict__.pop("_viewer", None)
    return world

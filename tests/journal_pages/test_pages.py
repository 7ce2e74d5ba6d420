"""«Мой день», the home page's lessons, a class's journals, its test schedule and the
messages to its parents."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from journal import services
from journal.models import JournalSettings, LessonStatus, LessonType, Message
from school import access
from school.models import Guardian, Kinship, Relation
from tests.world import ROLES, build_world

from .support import add_lesson, signed_in

pytestmark = pytest.mark.django_db


def test_my_day_lists_the_lessons_in_order_with_their_state() -> None:
    w = build_world(journal=True)
    day = w.lesson_6b.date
    teacher = w.users["teacher"]
    add_lesson(
        w,
        school_class=w.class_6b,
        subject=w.math,
        teacher=teacher,
        day=day,
        number=3,
        status=LessonStatus.PLANNED,
        lesson_type=LessonType.TEST,
        room="214",
    )
    client = signed_in("teacher")
    html = client.get(reverse("journal:my_day"), {"date": day.isoformat()}).content.decode()
    assert html.index("проведён") < html.index("запланирован")
    assert "каб. 214" in html and "К/р" in html
    assert reverse("journal:lesson", args=[w.lesson_6b.pk]) in html
    weekday = ["пн", "вт", "ср", "чт", "пт"][day.weekday()]
    assert f"{weekday}, {day.day} " in html
    previous = client.get(reverse("journal:my_day"), {"date": "2000-01-03"}).content.decode()
    assert "Вне учебного года, уроков нет." in previous
    assert "?date=1999-12-31" in previous and "?date=2000-01-04" in previous  # Fri, Tue


def test_my_day_is_for_those_who_teach() -> None:
    build_world(journal=True)
    assert signed_in("secretary").get(reverse("journal:my_day")).status_code == 403
    assert signed_in("parent").get(reverse("journal:my_day")).status_code == 403


def test_the_home_page_shows_a_teachers_lessons_today() -> None:
    w = build_world(journal=True)
    today = timezone.localdate()
    add_lesson(
        w,
        school_class=w.class_6b,
        subject=w.math,
        teacher=w.users["teacher"],
        day=today,
        number=7,
        status=LessonStatus.PLANNED,
    )
    html = signed_in("teacher").get(reverse("home")).content.decode()
    assert "Уроки сегодня" in html
    assert "6Б" in html and "Мой день: уроки по дням" in html
    assert "Здесь будут сегодняшние уроки" not in html
    assert "Уроки сегодня" not in signed_in("parent").get(reverse("home")).content.decode()


def test_the_class_page_links_the_journal_for_those_who_may_read_it() -> None:
    w = build_world(journal=True)
    url = reverse("class_detail", args=[w.class_5a.pk])
    journal_url = reverse("journal:class_journals", args=[w.class_5a.pk])
    assert journal_url in signed_in("classteacher").get(url).content.decode()
    assert journal_url in signed_in("director").get(url).content.decode()
    assert journal_url not in signed_in("secretary").get(url).content.decode()


def test_the_class_journals_list_every_subject_with_its_teacher() -> None:
    w = build_world(journal=True)
    html = (
        signed_in("classteacher")
        .get(reverse("journal:class_journals", args=[w.class_5a.pk]))
        .content.decode()
    )
    assert "Русский язык" in html and "Математика" in html
    assert w.users["director"].short_name in html  # who teaches математика
    assert html.count("вы ведёте") == 1 and html.count(">просмотр<") == 1
    assert reverse("journal:grid", args=[w.class_5a.pk, w.math.pk]) in html
    teacher_view = signed_in("teacher").get(reverse("journal:class_journals", args=[w.class_6b.pk]))
    assert "Математика" in teacher_view.content.decode()


def test_the_test_schedule_flags_days_over_the_schools_limit() -> None:
    w = build_world(journal=True)
    day = w.lesson_6b.date
    for number, subject in ((2, w.math), (3, w.russian)):
        add_lesson(
            w,
            school_class=w.class_6b,
            subject=subject,
            teacher=w.users["teacher"],
            day=day,
            number=number,
            lesson_type=LessonType.TEST,
        )
    html = (
        signed_in("teacher")
        .get(reverse("journal:test_schedule", args=[w.class_6b.pk]))
        .content.decode()
    )
    assert html.count("сверх нормы") == 2
    assert day.strftime("%d.%m.%Y") in html
    assert "Контрольная работа" in html and "не более 1 в день" in html
    JournalSettings.objects.update_or_create(school=w.school, defaults={"max_tests_per_day": 2})
    relaxed = signed_in("teacher").get(reverse("journal:test_schedule", args=[w.class_6b.pk]))
    assert "сверх нормы" not in relaxed.content.decode()


def test_messages_to_parents_with_read_counts() -> None:
    """A message to the whole class is listed with how many parents read it; an empty
    form is refused in Russian."""
    w = build_world(journal=True)
    client = signed_in("teacher")
    url = reverse("journal:messages", args=[w.class_6b.pk])
    sent = client.post(
        url, {"to": "class", "subject": "Собрание", "text": "В четверг в 18:00, каб. 21."}
    )
    assert sent.status_code == 302
    message = Message.objects.get()
    assert message.school_class == w.class_6b and message.student is None
    html = client.get(url).content.decode()
    assert "Собрание" in html and "прочитали 0 из 1" in html
    services.mark_message_read(actor=w.users["other_parent"], message=message)
    assert "прочитали 1 из 1" in client.get(url).content.decode()

    to_one = client.post(url, {"to": str(w.child_b.pk), "subject": "Д/з", "text": "Не сдано."})
    assert to_one.status_code == 302
    assert Message.objects.get(subject="Д/з").student == w.child_b

    empty = client.post(url, {"to": "class", "subject": "", "text": ""})
    assert empty.status_code == 422
    assert "Укажите тему сообщения." in empty.content.decode()
    assert Message.objects.count() == 2


def test_a_teacher_sees_only_own_messages_the_class_teacher_all() -> None:
    w = build_world(journal=True)
    services.send_message(
        actor=w.users["director"], subject="От директора", text="Текст", school_class=w.class_5a
    )
    services.send_message(
        actor=w.users["classteacher"], subject="От классного", text="Текст", student=w.child_a
    )
    mother = Guardian.objects.create(last_name="Иванова", first_name="Ольга", gender="f")
    Kinship.objects.create(guardian=mother, student=w.child_a, relation=Relation.GRANDMOTHER)
    html = (
        signed_in("classteacher")
        .get(reverse("journal:messages", args=[w.class_5a.pk]))
        .content.decode()
    )
    assert "От директора" in html and "От классного" in html
    assert "прочитали 0 из 1" in html  # the grandmother has no login


def test_journal_rights_agree_with_the_access_policy() -> None:
    """``journal_rights`` (one query) answers as ``can_view_journal``/``can_edit_journal``
    for every role, class and subject of the world."""
    w = build_world(journal=True)
    for role in ROLES:
        if role == "anonymous":
            continue
        for school_class in (w.class_5a, w.class_6b):
            for subject in (w.math, w.russian):
                user = type(w.users[role]).objects.get(pk=w.users[role].pk)
                rights = access.journal_rights(user, school_class, subject)
                assert rights.view == access.can_view_journal(user, school_class, subject)
                assert rights.edit == access.can_edit_journal(user, school_class, subject)


def test_day_navigation_skips_the_weekend() -> None:
    build_world(journal=True)
    friday = dt.date(2026, 11, 27)
    html = (
        signed_in("teacher")
        .get(reverse("journal:my_day"), {"date": friday.isoformat()})
        .content.decode()
    )
    assert "?date=2026-11-30" in html and "?date=2026-11-26" in html


def _saturday_ahead(w) -> dt.date:
    """A Saturday inside the world's year, a week or more ahead (future lessons follow it)."""
    day = max(timezone.localdate(), w.year.start) + dt.timedelta(days=7)
    day += dt.timedelta(days=(5 - day.weekday()) % 7)
    assert day + dt.timedelta(days=2) <= w.year.end
    return day


def test_a_day_off_says_so_and_shows_the_next_days_lessons(django_assert_max_num_queries) -> None:
    """A teacher with a full timetable on a Saturday: not the setup hint but «выходной» and
    Monday's lessons (issue #11, 10)."""
    from journal.models import TimetableEntry
    from journal.views.day import day_context

    w = build_world(journal=True)
    teacher = w.users["teacher"]
    saturday = _saturday_ahead(w)
    monday = saturday + dt.timedelta(days=2)
    TimetableEntry.objects.create(
        school_class=w.class_6b,
        subject=w.math,
        teacher=teacher,
        weekday=1,
        number=2,
        valid_from=w.year.start,
    )
    add_lesson(
        w,
        school_class=w.class_6b,
        subject=w.math,
        teacher=teacher,
        day=monday,
        number=2,
        status=LessonStatus.PLANNED,
        room="31",
    )
    with django_assert_max_num_queries(5):
        context = day_context(teacher, saturday, saturday, {w.school.pk})
    assert context["day_off"].kind == "weekend"
    assert [lesson.date for lesson in context["next_lessons"]] == [monday]

    html = (
        signed_in("teacher")
        .get(reverse("journal:my_day"), {"date": saturday.isoformat()})
        .content.decode()
    )
    assert "Выходной, уроков нет." in html
    assert "Уроки появляются здесь из расписания" not in html
    assert f"Ближайшие уроки: пн, {monday.day} " in html and "каб. 31" in html


def test_a_holiday_is_named_and_a_teacher_without_timetable_gets_the_hint() -> None:
    from school.models import Holiday

    w = build_world(journal=True)
    saturday = _saturday_ahead(w)
    wednesday = saturday + dt.timedelta(days=4)
    Holiday.objects.create(year=w.year, name="Осенние каникулы", start=wednesday, end=wednesday)
    client = signed_in("teacher")
    html = client.get(reverse("journal:my_day"), {"date": wednesday.isoformat()}).content.decode()
    assert "Каникулы (Осенние каникулы), уроков нет." in html
    tuesday = wednesday - dt.timedelta(days=1)
    html = client.get(reverse("journal:my_day"), {"date": tuesday.isoformat()}).content.decode()
    assert "У вас пока нет уроков в расписании" in html

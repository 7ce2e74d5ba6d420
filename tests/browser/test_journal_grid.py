"""The journal in a real browser: typing into the grid, the history, the lesson page;
screenshots for people to look at, and axe-core's accessibility checks."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from journal import services
from journal.models import Attendance, Lesson, LessonStatus, LessonType, Mark, MarkColumn
from school.models import Enrolment, Period, PeriodKind, Student
from tests.world import World, build_world

from .conftest import login, press_russian, screenshot, serious_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAMES = [
    ("Абрамов", "Кирилл", "m"),
    ("Белоусова", "Дарья", "f"),
    ("Васильев", "Артём", "m"),
    ("Гончарова", "Полина", "f"),
    ("Данилов", "Матвей", "m"),
    ("Егорова", "Софья", "f"),
    ("Жуков", "Тимур", "m"),
    ("Захарова", "Виктория", "f"),
    ("Ильин", "Никита", "m"),
    ("Калинина", "Ульяна", "f"),
    ("Лаптев", "Роман", "m"),
    ("Мельникова", "Ксения", "f"),
    ("Никитин", "Глеб", "m"),
    ("Орлова", "Варвара", "f"),
    ("Павлов", "Егор", "m"),
    ("Романова", "Алёна", "f"),
    ("Сергеев", "Лев", "m"),
    ("Тихонова", "Ева", "f"),
    ("Ушаков", "Фёдор", "m"),
    ("Фролова", "Милана", "f"),
    ("Хохлов", "Марк", "m"),
    ("Цветкова", "Анна", "f"),
    ("Чернов", "Ярослав", "m"),
    ("Шубина", "Вероника", "f"),
]


def _weekdays_back(day: dt.date, start: dt.date, count: int) -> list[dt.date]:
    days = []
    while len(days) < count and day > start:
        day -= dt.timedelta(days=1)
        if day.isoweekday() <= 5:
            days.append(day)
    return sorted(days)


def journal_of_6b(w: World) -> tuple[Period | None, Lesson, Student]:
    """6Б математика as a teacher meets it: quarters, 25 students, a few weeks of lessons
    with marks and absences. The previous lesson and the world's lesson (the last one up to
    today) are left empty for ``child_b`` and one more student, to be typed into."""
    start = w.year.start
    y = start.year
    quarters = [
        (1, dt.date(y, 9, 1), dt.date(y, 10, 23)),
        (2, dt.date(y, 11, 5), dt.date(y, 12, 30)),
        (3, dt.date(y + 1, 1, 11), dt.date(y + 1, 3, 19)),
        (4, dt.date(y + 1, 3, 29), w.year.end),
    ]
    periods = [
        Period.objects.create(year=w.year, kind=PeriodKind.QUARTER, number=n, start=a, end=b)
        for n, a, b in quarters
    ]
    day = w.lesson_6b.date
    period = next((p for p in periods if p.start <= day <= p.end), None)
    if period is None:  # the last school day fell into holidays: show the whole year
        Period.objects.filter(pk__in=[p.pk for p in periods]).delete()
    students = Student.objects.bulk_create(
        Student(
            school=w.school,
            last_name=last,
            first_name=first,
            gender=gender,
            birth_date=dt.date(2014, 1 + i % 12, 1 + i),
        )
        for i, (last, first, gender) in enumerate(NAMES)
    )
    Enrolment.objects.bulk_create(
        Enrolment(student=s, school_class=w.class_6b, start=start) for s in students
    )
    teacher = w.users["teacher"]
    first_day = period.start if period else start
    days = _weekdays_back(day, first_day, 14)
    lessons = [
        Lesson.objects.create(
            school=w.school,
            school_class=w.class_6b,
            subject=w.math,
            teacher=teacher,
            date=d,
            number=1 if i % 3 else 3,
            status=LessonStatus.CONDUCTED,
            room="21",
            topic="Действия с дробями",
            lesson_type=LessonType.TEST if i == len(days) - 5 else LessonType.LESSON,
        )
        for i, d in enumerate(days)
    ]
    services.ensure_work_types(w.school.pk)
    previous = lessons[-1]
    for lesson in lessons[:-1]:
        column = services.column_for(lesson, 1)
        everyone = [*students, w.child_b]
        for i, student in enumerate(everyone):
            key = (i * 7 + lesson.pk * 3) % 10
            if key < 3:
                Mark.objects.create(
                    school=w.school,
                    lesson=lesson,
                    column=column,
                    student=student,
                    value=[5, 4, 3][key] if key or i % 4 else 2,
                    created_by=teacher,
                    updated_by=teacher,
                )
            elif key == 9 and i % 2:
                Attendance.objects.create(
                    school=w.school,
                    lesson=lesson,
                    student=student,
                    code="нбу"[i % 3],
                    created_by=teacher,
                    updated_by=teacher,
                )
    services.column_for(previous, 1)
    MarkColumn.objects.filter(lesson=lessons[-5]).update(title="")
    return period, previous, students[0]


def _cell(student: Student, lesson: Lesson) -> str:
    return f"#c{student.pk}-{lesson.pk}-1"


def test_a_teacher_types_marks_and_absences_with_the_keyboard(page, live_server) -> None:
    """Type «5», move right, type «н»; both saved, still there after a reload. A mark next
    to an absence is refused in red with the message. The 5 corrected to 4 shows both in
    the cell's history. Screenshots and axe-core on the grid and the lesson page."""
    from playwright.sync_api import expect

    w = build_world(journal=True)
    period, previous, other = journal_of_6b(w)
    grid = f"{live_server.url}/journal/classes/{w.class_6b.pk}/subjects/{w.math.pk}/"
    if period is not None:
        grid += f"?period={period.pk}"
    login(page, live_server, "teacher")
    page.goto(grid)
    expect(page.locator("[data-journal-grid]")).to_be_visible()

    first, second = _cell(w.child_b, previous), _cell(w.child_b, w.lesson_6b)
    page.click(first)
    page.keyboard.press("5")
    page.keyboard.press("ArrowRight")
    expect(page.locator(second)).to_be_focused()
    press_russian(page, "н")
    expect(page.locator(first)).to_have_class(re.compile(r"\bjc--saved\b"))
    expect(page.locator(second)).to_have_class(re.compile(r"\bjc--saved\b"))
    expect(page.locator("#grid-status")).to_contain_text("Сохранено")
    expect(page.locator(f"#avg-{w.child_b.pk}")).not_to_be_empty()

    # The same physical keys on a Latin layout: Y is «н».
    page.click(_cell(other, w.lesson_6b))
    page.keyboard.press("y")
    expect(page.locator(_cell(other, w.lesson_6b))).to_have_class(re.compile(r"jc--saved"))

    page.reload()
    expect(page.locator(f"{first} .mark--5")).to_have_text("5")
    expect(page.locator(f"{second} .absence")).to_have_text("н")
    expect(page.locator(f"{_cell(other, w.lesson_6b)} .absence")).to_have_text("н")
    assert Mark.objects.get(lesson=previous, student=w.child_b).value == 5
    assert Attendance.objects.get(lesson=w.lesson_6b, student=w.child_b).code == "н"

    # A mark beside an absence: refused, kept in red, the message in the status line.
    page.click(second)
    page.keyboard.press("4")
    expect(page.locator(second)).to_have_class(re.compile(r"\bjc--error\b"))
    expect(page.locator(f"{second} .jc__typed")).to_have_text("4")
    expect(page.locator("#grid-status")).to_contain_text("отсутствующему отметку не ставят")
    assert "отсутствующему" in (page.locator(second).get_attribute("title") or "")
    press_russian(page, "н")  # back to what it was
    expect(page.locator(second)).to_have_class(re.compile(r"\bjc--saved\b"))

    # Correct the 5 to a 4 and read the cell's history.
    page.click(first)
    page.keyboard.press("4")
    expect(page.locator(f"{first} .mark--4")).to_have_text("4")
    expect(page.locator(first)).to_have_class(re.compile(r"\bjc--saved\b"))
    page.keyboard.press("h")
    panel = page.locator("#side-panel")
    expect(panel).to_be_visible()
    expect(panel).to_contain_text("5 → 4")
    expect(panel).to_contain_text("(пусто) → 5")
    expect(panel).to_contain_text(w.users["teacher"].short_name)
    screenshot(page, "grid-history-1280")
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()

    page.keyboard.press("?")
    expect(page.locator("#grid-help")).to_be_visible()
    screenshot(page, "grid-help-1280")
    page.keyboard.press("Escape")

    page.reload()
    screenshot(page, "grid-1280")
    assert serious_axe_violations(page) == []

    lesson_page = f"{live_server.url}/journal/lessons/{w.lesson_6b.pk}/"
    page.goto(lesson_page)
    expect(page.locator(f"#att-{w.child_b.pk}")).to_have_value("н")
    screenshot(page, "lesson-1280")
    assert serious_axe_violations(page) == []
    page.set_viewport_size({"width": 360, "height": 740})
    page.reload()
    screenshot(page, "lesson-360")
    assert serious_axe_violations(page) == []


def test_the_lesson_page_list_saves_each_choice(page, live_server) -> None:
    """On a phone: choose «б» for one student and «5» for another; both saved at once."""
    from playwright.sync_api import expect

    w = build_world(journal=True)
    other = Student.objects.create(
        school=w.school,
        last_name="Абрамов",
        first_name="Кирилл",
        gender="m",
        birth_date=dt.date(2014, 3, 3),
    )
    Enrolment.objects.create(student=other, school_class=w.class_6b, start=w.year.start)
    page.set_viewport_size({"width": 360, "height": 740})
    login(page, live_server, "teacher")
    page.goto(f"{live_server.url}/journal/lessons/{w.lesson_6b.pk}/")
    page.select_option(f"#att-{w.child_b.pk}", "б")
    expect(page.locator(f"#row-{w.child_b.pk} .sheet__saved")).to_be_visible()
    page.select_option(f"#mark-{other.pk}-1", "5")
    expect(page.locator(f"#row-{other.pk} .sheet__saved")).to_be_visible()
    page.select_option(f"#mark-{w.child_b.pk}-1", "4")
    expect(page.locator(f"#row-{w.child_b.pk} .sheet__msg")).to_contain_text("отсутствующему")
    assert Attendance.objects.get(lesson=w.lesson_6b, student=w.child_b).code == "б"
    assert Mark.objects.get(lesson=w.lesson_6b).student == other
    screenshot(page, "lesson-list-error-360")


def test_the_director_corrects_a_closed_period_with_a_reason(page, live_server) -> None:
    """A closed quarter: the director's grid is read-only until «Исправить»; a save without
    a reason is refused in red; with the reason typed in «Причина изменения» it is saved
    and the reason is in the history."""
    from playwright.sync_api import expect

    w = build_world(journal=True)
    _period, previous, other = journal_of_6b(w)
    Period.objects.filter(year=w.year).update(is_locked=True)
    login(page, live_server, "director")
    page.goto(f"{live_server.url}/journal/classes/{w.class_6b.pk}/subjects/{w.math.pk}/")
    expect(page.locator(".notice--warn")).to_contain_text("закрыт")
    expect(page.locator("[data-journal-grid]")).to_have_count(0)
    page.click("text=Исправить")
    expect(page.locator("#change-reason")).to_be_visible()
    cell = _cell(other, previous)
    page.click(cell)
    page.keyboard.press("3")
    expect(page.locator(cell)).to_have_class(re.compile(r"\bjc--error\b"))
    expect(page.locator("#grid-status")).to_contain_text("укажите причину")
    page.fill("#change-reason", "Исправление по заявлению родителей от 27.11")
    page.click(cell)
    page.keyboard.press("3")
    expect(page.locator(cell)).to_have_class(re.compile(r"\bjc--saved\b"))
    screenshot(page, "grid-closed-director-1280")
    assert serious_axe_violations(page) == []
    page.keyboard.press("h")
    expect(page.locator("#side-panel")).to_contain_text("Исправление по заявлению родителей")


@pytest.mark.parametrize("width", [360, 1280])
def test_every_journal_page_at_both_widths(page, live_server, width) -> None:
    """Each journal page opens, is screenshotted and has no serious axe-core findings."""
    w = build_world(journal=True)
    journal_of_6b(w)
    services.send_message(
        actor=w.users["teacher"],
        subject="Родительское собрание",
        text="В четверг в 18:00 в кабинете 21.",
        school_class=w.class_6b,
    )
    page.set_viewport_size({"width": width, "height": 900 if width > 400 else 740})
    login(page, live_server, "teacher")
    pages = {
        "home": "/",
        "my-day": f"/journal/day/?date={w.lesson_6b.date.isoformat()}",
        "class-journals": f"/journal/classes/{w.class_6b.pk}/",
        "test-schedule": f"/journal/classes/{w.class_6b.pk}/tests/",
        "messages": f"/journal/classes/{w.class_6b.pk}/messages/",
        "lesson-history": f"/journal/lessons/{w.lesson_6b.pk}/history/",
        "homework-edit": f"/journal/homework/{w.homework_6b.pk}/edit/",
        "grid-page": f"/journal/classes/{w.class_6b.pk}/subjects/{w.math.pk}/",
    }
    problems = {}
    for name, path in pages.items():
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        screenshot(page, f"{name}-{width}")
        found = serious_axe_violations(page)
        if found:
            problems[name] = found
    assert problems == {}

"""Query budgets of the family's busiest pages: at most 10 queries through HTTP (session,
user and roles included), the same with one week or ten years of history."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from diary import services as diary_services
from diary.models import DiaryEntry
from journal import services as journal
from journal.models import (
    Attendance,
    Homework,
    Lesson,
    LessonStatus,
    Mark,
    MarkColumn,
    Message,
)
from school.db import analyze
from school.models import AcademicYear, Enrolment, SchoolClass
from tests.diary_pages.conftest import url

pytestmark = pytest.mark.django_db

BUDGET = 10
YEARS_OF_HISTORY = 10


def add_history(dw, years: int = YEARS_OF_HISTORY) -> int:
    """Ten past school years of 5 lessons a day for ``child_a`` (and this year's weeks
    before week0): a mark on most lessons, some absences, homework, messages; then the
    diary is rebuilt from the journal. Rows are bulk-created: this is volume, not behaviour
    (the behaviour is made through the services in ``build_diary_world``)."""
    school, director = dw.school, dw.users["director"]
    answer = journal.work_type_for(school.pk, "answer")
    subjects = [dw.russian, dw.math, dw.english, dw.russian, dw.math]
    spans = []
    for n in range(1, years + 1):
        start = dt.date(dw.year.start.year - n, 9, 1)
        end = dt.date(start.year + 1, 5, 26)
        year = AcademicYear.objects.create(
            school=school, name=f"{start.year}/{start.year + 1}", start=start, end=end
        )
        school_class = SchoolClass.objects.create(school=school, year=year, grade=5, letter="А")
        Enrolment.objects.create(
            student=dw.child_a, school_class=school_class, start=start, end=end
        )
        spans.append((school_class, start, end))
    if dw.week0 - dt.timedelta(days=8) > dw.year.start:
        spans.append((dw.class_5a, dw.year.start, dw.week0 - dt.timedelta(days=8)))
    lessons = []
    for school_class, start, end in spans:
        day = start
        while day <= end:
            if day.isoweekday() <= 5:
                for number, subject in enumerate(subjects, start=1):
                    lessons.append(
                        Lesson(
                            school=school,
                            school_class=school_class,
                            subject=subject,
                            teacher=director,
                            date=day,
                            number=number,
                            topic=f"Тема урока {number}",
                            status=LessonStatus.CONDUCTED,
                        )
                    )
            day += dt.timedelta(days=1)
    Lesson.objects.bulk_create(lessons, batch_size=5000)
    columns = MarkColumn.objects.bulk_create(
        [MarkColumn(lesson=lesson, position=1, work_type=answer) for lesson in lessons],
        batch_size=5000,
    )
    marks, absences, homework = [], [], []
    for index, (lesson, column) in enumerate(zip(lessons, columns, strict=True)):
        common = {"school": school, "lesson": lesson, "student": dw.child_a}
        if index % 9 == 0:
            absences.append(
                Attendance(**common, code="б", created_by=director, updated_by=director)
            )
        else:
            marks.append(
                Mark(
                    **common,
                    column=column,
                    value=2 + index % 4,
                    created_by=director,
                    updated_by=director,
                )
            )
        if index % 5 == 0:
            homework.append(
                Homework(
                    school=school,
                    lesson=lesson,
                    due_date=lesson.date + dt.timedelta(days=1),
                    text=f"Задание {index}",
                    created_by=director,
                )
            )
    Mark.objects.bulk_create(marks, batch_size=5000)
    Attendance.objects.bulk_create(absences, batch_size=5000)
    Homework.objects.bulk_create(homework, batch_size=5000)
    Message.objects.bulk_create(
        [
            Message(
                school=school,
                sender=dw.users["classteacher"],
                student=dw.child_a,
                subject=f"Сообщение {n}",
                text="Текст",
            )
            for n in range(300)
        ]
    )
    analyze(Lesson, MarkColumn, Mark, Attendance, Homework, Message)
    diary_services.rebuild(school.pk)
    analyze(DiaryEntry)
    return len(marks)


def queries(client, path: str) -> int:
    client.get(path)  # the first visit may remember the chosen child in the session
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(context.captured_queries)


def test_week_and_marks_pages_keep_their_budget_whatever_the_history(
    dw, as_role, django_assert_max_num_queries
) -> None:
    child = dw.child_a.pk
    pages = [
        url("week", child),
        url("week", child, start=dw.week0.isoformat()),
        url("marks", child),
        url("marks", child, period="year"),
    ]
    roles = ("parent", "student", "classteacher", "director")
    one_week = {(role, page): queries(as_role(role), page) for role in roles for page in pages}
    assert max(one_week.values()) <= BUDGET, one_week

    marks = add_history(dw)
    assert marks > 7000
    for role in roles:
        client = as_role(role)
        for page in pages:
            client.get(page)
            with django_assert_max_num_queries(BUDGET):
                client.get(page)
            assert queries(client, page) == one_week[role, page], (role, page)

    # The history is there to be read: a week five years ago has its marks.
    old = dw.week0 - dt.timedelta(weeks=5 * 52)
    old = old - dt.timedelta(days=old.weekday())
    week = as_role("parent").get(url("week", child, start=old.isoformat())).context["week"]
    assert sum(len(item.marks) for day in week.days for item in day.lessons) > 10


def test_switching_children_keeps_the_budget(dw, as_role, django_assert_max_num_queries) -> None:
    """The switcher's hop (which remembers the choice in the session) and the page it
    opens each fit in the budget."""
    client = as_role("parent")
    for child in (dw.child_a2, dw.child_a, dw.child_a2):
        with django_assert_max_num_queries(BUDGET):
            response = client.get(url("index", child=child.pk, section="week"))
        with django_assert_max_num_queries(BUDGET):
            assert client.get(response["Location"]).status_code == 200

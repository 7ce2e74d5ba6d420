"""The journal grid and the save of one cell, through HTTP as teachers use them."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from journal import services
from journal.models import (
    Attendance,
    JournalChange,
    LessonType,
    Mark,
    MarkColumn,
    WorkType,
)
from school.db import analyze
from school.models import (
    Enrolment,
    Period,
    PeriodKind,
    SchoolClass,
    Student,
    TeachingAssignment,
)
from tests.world import build_world

from .support import add_lesson, cell_url, grid_url, previous_school_day, signed_in

pytestmark = pytest.mark.django_db


def _save(client, lesson, student, text, *, mv=0, av=0, reason="", position=1, **extra):
    data = {
        "text": text,
        "mark_version": mv,
        "attendance_version": av,
        "reason": reason,
        "summary": "1",
        **extra,
    }
    return client.post(cell_url(lesson, student, position), data, HTTP_HX_REQUEST="true")


def test_grid_shows_marks_absences_badges_and_the_weighted_average() -> None:
    """A 3 for an answer (weight 1) and a 5 for a test (weight 3) average 4,50; the test
    column carries «К/р»; an absence shows as its letter and is counted."""
    w = build_world(journal=True)
    teacher = w.users["teacher"]
    earlier = add_lesson(
        w,
        school_class=w.class_6b,
        subject=w.math,
        teacher=teacher,
        day=previous_school_day(w.lesson_6b.date, w.year.start),
        number=2,
        lesson_type=LessonType.TEST,
    )
    services.set_cell(
        actor=teacher,
        lesson=w.lesson_6b,
        position=1,
        student=w.child_b,
        text="3",
        mark_version=0,
        attendance_version=0,
    )
    services.set_cell(
        actor=teacher,
        lesson=earlier,
        position=1,
        student=w.child_b,
        text="5",
        mark_version=0,
        attendance_version=0,
    )
    html = signed_in("teacher").get(grid_url(w.class_6b, w.math)).content.decode()
    assert 'class="mark mark--5">5<' in html
    assert 'class="mark mark--3">3<' in html
    assert "К/р" in html
    assert ">4,50<" in html
    assert "data-journal-grid" in html
    assert 'src="/static/js/journal-grid.js" defer' in html

    other = Student.objects.create(
        school=w.school,
        last_name="Ветров",
        first_name="Илья",
        gender="m",
        birth_date=dt.date(2014, 5, 5),
    )
    Enrolment.objects.create(student=other, school_class=w.class_6b, start=w.year.start)
    services.set_cell(
        actor=teacher,
        lesson=earlier,
        position=1,
        student=other,
        text="н",
        mark_version=0,
        attendance_version=0,
    )
    html = signed_in("teacher").get(grid_url(w.class_6b, w.math)).content.decode()
    assert '<span class="absence">н</span>' in html
    assert re.search(rf'id="abs-{other.pk}"[^>]*>1<', html)


def test_a_cell_post_saves_and_returns_the_cell_and_the_new_average() -> None:
    """Typing «5» records the mark through the service; the answer is the cell partial
    (no page) with the row's average out of band."""
    w = build_world(journal=True)
    response = _save(signed_in("teacher"), w.lesson_6b, w.child_b, "5")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith(f'<td id="c{w.child_b.pk}-{w.lesson_6b.pk}-1"')
    assert "<html" not in html
    assert 'class="mark mark--5"' in html and "jc--saved" in html
    assert f'id="avg-{w.child_b.pk}"' in html and 'hx-swap-oob="true"' in html
    assert ">5,00<" in html
    mark = Mark.objects.get(lesson=w.lesson_6b, student=w.child_b)
    assert mark.value == 5
    assert JournalChange.objects.filter(kind="mark", object_id=mark.pk).count() == 1

    corrected = _save(signed_in("teacher"), w.lesson_6b, w.child_b, "4", mv=mark.version)
    assert corrected.status_code == 200
    assert Mark.objects.get(pk=mark.pk).value == 4
    assert 'data-mv="2"' in corrected.content.decode()


def test_letters_set_attendance_and_an_empty_text_clears_the_cell() -> None:
    w = build_world(journal=True)
    client = signed_in("teacher")
    assert _save(client, w.lesson_6b, w.child_b, "Н").status_code == 200
    attendance = Attendance.objects.get(lesson=w.lesson_6b, student=w.child_b)
    assert attendance.code == "н"
    cleared = _save(client, w.lesson_6b, w.child_b, "", av=attendance.version)
    assert cleared.status_code == 200
    assert not Attendance.objects.filter(lesson=w.lesson_6b, student=w.child_b).exists()


def test_a_refused_save_answers_422_in_russian_keeps_the_typed_value_and_changes_nothing() -> None:
    """A «1» where the school does not use it is refused with the service's message; the
    cell keeps «1», marked as an error, and nothing is written."""
    w = build_world(journal=True)
    response = _save(signed_in("teacher"), w.lesson_6b, w.child_b, "1")
    assert response.status_code == 422
    html = response.content.decode()
    assert "Отметка «1» в этой школе не используется" in html
    assert "jc--error" in html and '<span class="jc__typed">1</span>' in html
    assert 'data-mv="0"' in html
    assert not Mark.objects.exists()
    assert not JournalChange.objects.filter(kind="mark").exists()

    absent = _save(signed_in("teacher"), w.lesson_6b, w.child_b, "н")
    assert absent.status_code == 200
    refused = _save(signed_in("teacher"), w.lesson_6b, w.child_b, "5", av=1)
    assert refused.status_code == 422
    assert "отсутствующему отметку не ставят" in refused.content.decode()


def test_a_stale_version_is_a_conflict_showing_the_current_value() -> None:
    """Someone else put a 4 meanwhile: typing 5 over a page that showed an empty cell
    saves nothing and shows the 4 with the conflict message."""
    w = build_world(journal=True)
    services.set_cell(
        actor=w.users["director"],
        lesson=w.lesson_6b,
        position=1,
        student=w.child_b,
        text="4",
        mark_version=0,
        attendance_version=0,
    )
    response = _save(signed_in("teacher"), w.lesson_6b, w.child_b, "5", mv=0)
    assert response.status_code == 422
    html = response.content.decode()
    assert "только что изменил другой пользователь" in html
    assert 'class="mark mark--4">4<' in html
    assert 'data-mv="1"' in html  # the next try goes with the fresh version
    assert Mark.objects.get().value == 4


def test_an_unreadable_request_is_refused_without_a_write() -> None:
    w = build_world(journal=True)
    response = signed_in("teacher").post(cell_url(w.lesson_6b, w.child_b), {"text": "5"})
    assert response.status_code == 422
    assert "страница устарела" in response.content.decode()
    assert not Mark.objects.exists()


def test_the_leadership_reads_the_grid_unless_they_ask_to_edit() -> None:
    """The director sees a read-only grid with an «Исправить» switch (the script only
    opens it on the newest lesson: no typing hook); with ?edit=1 the editing grid."""
    w = build_world(journal=True)
    director = signed_in("director")
    url = grid_url(w.class_6b, w.math)
    html = director.get(url).content.decode()
    assert "data-journal-grid" not in html and "data-cell-url" not in html
    assert "Исправить" in html and "Только просмотр" in html
    assert 'tabindex="-1"' not in html
    edit = director.get(url, {"edit": "1"}).content.decode()
    assert "data-journal-grid" in edit and "journal-grid.js" in edit


def test_the_class_teacher_reads_other_teachers_subjects_only() -> None:
    w = build_world(journal=True)
    client = signed_in("classteacher")
    html = client.get(grid_url(w.class_5a, w.math)).content.decode()
    assert "data-journal-grid" not in html
    assert "Исправить" not in html
    assert "журнал по этому предмету ведёт его учитель" in html
    assert "data-journal-grid" in client.get(grid_url(w.class_5a, w.russian)).content.decode()
    refused = _save(client, w.lesson_5a_math, w.child_a, "5")
    assert refused.status_code == 403
    assert not Mark.objects.exists()


def test_strangers_get_404_and_cannot_save() -> None:
    w = build_world(journal=True)
    assert signed_in("teacher").get(grid_url(w.class_5a, w.russian)).status_code == 404
    assert signed_in("parent").get(grid_url(w.class_5a, w.russian)).status_code == 404
    assert signed_in("other_director").get(grid_url(w.class_6b, w.math)).status_code == 404
    assert _save(signed_in("parent"), w.lesson_5a, w.child_a, "5").status_code == 404
    assert _save(signed_in("teacher"), w.lesson_5a, w.child_a, "5").status_code == 404
    assert not Mark.objects.exists()


def test_a_closed_period_is_read_only_except_for_the_director_with_a_reason() -> None:
    w = build_world(journal=True)
    Period.objects.filter(year=w.year, kind=PeriodKind.YEAR).update(is_locked=True)
    teacher = signed_in("teacher")
    html = teacher.get(grid_url(w.class_6b, w.math)).content.decode()
    assert "закрыт" in html and "data-journal-grid" not in html
    refused = _save(teacher, w.lesson_6b, w.child_b, "5")
    assert refused.status_code == 422
    assert "изменения в нём вносит только директор" in refused.content.decode()

    director = signed_in("director")
    edit = director.get(grid_url(w.class_6b, w.math), {"edit": "1"}).content.decode()
    assert "Причина изменения" in edit and 'id="change-reason"' in edit
    no_reason = _save(director, w.lesson_6b, w.child_b, "5")
    assert no_reason.status_code == 422
    assert "укажите причину изменения" in no_reason.content.decode()
    saved = _save(director, w.lesson_6b, w.child_b, "5", reason="Ошибка при вводе, акт № 3")
    assert saved.status_code == 200
    change = JournalChange.objects.get(kind="mark")
    assert change.reason == "Ошибка при вводе, акт № 3"
    assert signed_in("deputy").get(grid_url(w.class_6b, w.math), {"edit": "1"}).status_code == 200
    deputy_edit = signed_in("deputy").get(grid_url(w.class_6b, w.math), {"edit": "1"})
    assert "data-journal-grid" not in deputy_edit.content.decode()


def test_first_grade_takes_attendance_only() -> None:
    """No marks in grade 1: the grid says so, has no average column, and a digit is
    refused with the service's message while a letter is saved."""
    w = build_world(journal=True)
    first = SchoolClass.objects.create(
        school=w.school, year=w.year, grade=1, letter="А", is_graded=False
    )
    TeachingAssignment.objects.create(
        teacher=w.users["teacher"], subject=w.russian, school_class=first, start=w.year.start
    )
    pupil = Student.objects.create(
        school=w.school,
        last_name="Малышев",
        first_name="Тимофей",
        gender="m",
        birth_date=dt.date(2019, 4, 1),
    )
    Enrolment.objects.create(student=pupil, school_class=first, start=w.year.start)
    lesson = add_lesson(
        w,
        school_class=first,
        subject=w.russian,
        teacher=w.users["teacher"],
        day=w.lesson_6b.date,
        number=2,
    )
    client = signed_in("teacher")
    html = client.get(grid_url(first, w.russian)).content.decode()
    assert "безотметочное обучение" in html
    assert "только посещаемость" in html
    assert f'id="avg-{pupil.pk}"' not in html
    digit = _save(client, lesson, pupil, "5")
    assert digit.status_code == 422
    assert "безотметочное обучение: отметки не ставятся" in digit.content.decode()
    assert _save(client, lesson, pupil, "б").status_code == 200


def test_days_before_a_student_came_are_greyed_and_not_editable() -> None:
    w = build_world(journal=True)
    newcomer = Student.objects.create(
        school=w.school,
        last_name="Новикова",
        first_name="Ева",
        gender="f",
        birth_date=dt.date(2014, 2, 2),
    )
    Enrolment.objects.create(
        student=newcomer, school_class=w.class_6b, start=w.lesson_6b.date + dt.timedelta(days=1)
    )
    html = signed_in("teacher").get(grid_url(w.class_6b, w.math)).content.decode()
    cell = re.search(rf'<td id="c{newcomer.pk}-{w.lesson_6b.pk}-1"[^>]*>', html).group(0)
    assert "jc--off" in cell and "data-l=" not in cell
    assert "Не учился в классе в этот день" in cell


def test_an_extra_mark_column_has_its_own_header_and_cells() -> None:
    w = build_world(journal=True)
    services.ensure_work_types(w.school.pk)
    homework_type = WorkType.objects.get(school=w.school, code="homework")
    services.add_mark_column(
        actor=w.users["teacher"], lesson=w.lesson_6b, work_type=homework_type, weight=2
    )
    html = signed_in("teacher").get(grid_url(w.class_6b, w.math)).content.decode()
    assert f'id="c{w.child_b.pk}-{w.lesson_6b.pk}-2"' in html
    assert "ДЗ" in html and "×2" in html
    assert MarkColumn.objects.filter(lesson=w.lesson_6b).count() == 2
    response = _save(signed_in("teacher"), w.lesson_6b, w.child_b, "4", position=2)
    assert response.status_code == 200
    assert Mark.objects.get().column.position == 2


def test_a_cell_history_shows_who_changed_what_from_what_to_what() -> None:
    """«5 → 4» and «н → (пусто)», with the teacher's name, in the side panel partial."""
    w = build_world(journal=True)
    teacher = w.users["teacher"]
    other = Student.objects.create(
        school=w.school,
        last_name="Ветров",
        first_name="Илья",
        gender="m",
        birth_date=dt.date(2014, 5, 5),
    )
    Enrolment.objects.create(student=other, school_class=w.class_6b, start=w.year.start)
    client = signed_in("teacher")
    _save(client, w.lesson_6b, w.child_b, "5")
    _save(client, w.lesson_6b, w.child_b, "4", mv=1)
    _save(client, w.lesson_6b, other, "н")
    _save(client, w.lesson_6b, other, "", av=1)
    from django.urls import reverse

    url = reverse("journal:cell_history", args=[w.lesson_6b.pk, w.child_b.pk])
    partial = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial
    assert "5 → 4" in partial and "(пусто) → 5" in partial
    assert teacher.short_name in partial
    page = client.get(reverse("journal:cell_history", args=[w.lesson_6b.pk, other.pk]))
    assert "н → (пусто)" in page.content.decode()
    assert "<html" in page.content.decode()


def test_the_grid_makes_at_most_15_queries_for_35_students_and_70_lessons(
    django_assert_max_num_queries,
) -> None:
    """35 students × 70 lessons with marks, absences and a long history: the page costs
    the same handful of queries."""
    w = build_world(journal=True)
    teacher = w.users["teacher"]
    students = Student.objects.bulk_create(
        Student(
            school=w.school,
            last_name=f"Ученик{i:02}",
            first_name="Пётр",
            gender="m",
            birth_date=dt.date(2014, 1, 1),
        )
        for i in range(34)
    )
    Enrolment.objects.bulk_create(
        Enrolment(student=s, school_class=w.class_6b, start=w.year.start) for s in students
    )
    students.append(w.child_b)
    day, lessons = w.lesson_6b.date, []
    while len(lessons) < 69:
        day = previous_school_day(day, w.year.start)
        for number in (2, 3):
            if len(lessons) < 69:
                lessons.append(
                    add_lesson(
                        w,
                        school_class=w.class_6b,
                        subject=w.math,
                        teacher=teacher,
                        day=day,
                        number=number,
                    )
                )
    lessons.append(w.lesson_6b)
    services.ensure_work_types(w.school.pk)
    answer = WorkType.objects.get(school=w.school, code="answer")
    columns = MarkColumn.objects.bulk_create(
        MarkColumn(lesson=lesson, position=1, work_type=answer) for lesson in lessons
    )
    marks, absences, history = [], [], []
    for i, student in enumerate(students):
        for j, (lesson, column) in enumerate(zip(lessons, columns, strict=True)):
            if (i + j) % 3 == 0:
                marks.append(
                    Mark(
                        school=w.school,
                        lesson=lesson,
                        column=column,
                        student=student,
                        value=2 + (i + j) % 4,
                        created_by=teacher,
                        updated_by=teacher,
                    )
                )
            elif (i + j) % 11 == 1:
                absences.append(
                    Attendance(
                        school=w.school,
                        lesson=lesson,
                        student=student,
                        code="н",
                        created_by=teacher,
                        updated_by=teacher,
                    )
                )
            history.append(
                JournalChange(
                    school=w.school,
                    actor=teacher,
                    kind="mark",
                    action="update",
                    object_id=1,
                    lesson=lesson,
                    student=student,
                    old={"value": 3},
                    new={"value": 4},
                )
            )
    Mark.objects.bulk_create(marks)
    Attendance.objects.bulk_create(absences)
    JournalChange.objects.bulk_create(history)
    analyze(Student, Enrolment, MarkColumn, Mark, Attendance, JournalChange)

    for username, query in [("teacher", {}), ("director", {"edit": "1"}), ("director", {})]:
        client = signed_in(username)
        with django_assert_max_num_queries(15):
            response = client.get(grid_url(w.class_6b, w.math), query)
        assert response.status_code == 200
        html = response.content.decode()
        assert html.count('class="jc') >= 35 * 70

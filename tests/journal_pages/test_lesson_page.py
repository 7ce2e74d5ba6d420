"""The lesson page and its forms, through HTTP."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from journal import services
from journal.models import (
    Attendance,
    Homework,
    JournalChange,
    Lesson,
    LessonStatus,
    LessonType,
    Mark,
    MarkColumn,
    Remark,
    WorkType,
)
from school.models import Enrolment, Student
from tests.world import build_world

from .support import add_lesson, cell_url, signed_in

pytestmark = pytest.mark.django_db


def lesson_url(lesson: Lesson, name: str = "journal:lesson") -> str:
    return reverse(name, args=[lesson.pk])


def test_the_teacher_sees_the_class_list_with_attendance_and_mark_lists() -> None:
    w = build_world(journal=True)
    html = signed_in("teacher").get(lesson_url(w.lesson_6b)).content.decode()
    assert "Математика · 6Б" in html
    assert w.child_b.short_name in html
    assert f'id="att-{w.child_b.pk}"' in html and f'id="mark-{w.child_b.pk}-1"' in html
    assert 'hx-post="' + cell_url(w.lesson_6b, w.child_b) in html
    assert "Сохранить урок" in html and "Задать домашнее задание" in html
    assert "Изменения расписания" in html  # the lesson's own teacher
    assert "№ 245, 247" in html  # the homework given at this lesson
    assert reverse("journal:attachment", args=[w.attachment_6b.pk]) in html


def test_the_director_reads_the_lesson_until_asking_to_correct() -> None:
    w = build_world(journal=True)
    director = signed_in("director")
    html = director.get(lesson_url(w.lesson_6b)).content.decode()
    assert "<select" not in html.split("sheet-title")[1].split("</section>")[0]
    assert "Исправить" in html and "Сохранить урок" not in html
    assert "Изменения расписания" in html  # the timetable is the leadership's business
    edit = director.get(lesson_url(w.lesson_6b), {"edit": "1"}).content.decode()
    assert f'id="att-{w.child_b.pk}"' in edit and "Сохранить урок" in edit
    assert f'action="{lesson_url(w.lesson_6b, "journal:lesson_update")}?edit=1"' in edit


def test_the_lesson_list_saves_attendance_and_marks_and_answers_with_the_row() -> None:
    """The phone-friendly list posts to the same cell endpoint; the answer is the
    student's row; choosing «—» in the attendance list removes only the absence."""
    w = build_world(journal=True)
    first = Student.objects.create(
        school=w.school,
        last_name="Абрамов",
        first_name="Кирилл",
        gender="m",
        birth_date=dt.date(2014, 3, 3),
    )
    Enrolment.objects.create(student=first, school_class=w.class_6b, start=w.year.start)
    client = signed_in("teacher")
    url = cell_url(w.lesson_6b, w.child_b)
    late = client.post(
        url,
        {
            "text": "о",
            "kind": "attendance",
            "view": "lesson",
            "mark_version": 0,
            "attendance_version": 0,
        },
        HTTP_HX_REQUEST="true",
    )
    assert late.status_code == 200
    html = late.content.decode()
    assert html.lstrip().startswith(f'<li id="row-{w.child_b.pk}"')
    assert '<option value="о" selected>' in html and "сохранено" in html
    assert '<span class="sheet__n">2</span>' in html  # its place in the class list
    marked = client.post(
        url,
        {"text": "5", "view": "lesson", "mark_version": 0, "attendance_version": 1},
        HTTP_HX_REQUEST="true",
    )
    assert marked.status_code == 200
    assert '<option value="5" selected>' in marked.content.decode()
    cleared = client.post(
        url,
        {
            "text": "",
            "kind": "attendance",
            "view": "lesson",
            "mark_version": 1,
            "attendance_version": 1,
        },
        HTTP_HX_REQUEST="true",
    )
    assert cleared.status_code == 200
    assert not Attendance.objects.filter(lesson=w.lesson_6b).exists()
    assert Mark.objects.get(lesson=w.lesson_6b).value == 5


def test_a_refused_choice_in_the_list_stays_selected_with_the_message() -> None:
    w = build_world(journal=True)
    services.set_cell(
        actor=w.users["teacher"],
        lesson=w.lesson_6b,
        position=1,
        student=w.child_b,
        text="4",
        mark_version=0,
        attendance_version=0,
    )
    response = signed_in("teacher").post(
        cell_url(w.lesson_6b, w.child_b),
        {
            "text": "н",
            "kind": "attendance",
            "view": "lesson",
            "mark_version": 1,
            "attendance_version": 0,
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "есть отметка за этот урок" in html
    assert '<option value="н" selected>' in html and "sel--error" in html
    assert not Attendance.objects.exists()


def test_the_teacher_fills_in_the_topic_type_and_conducted() -> None:
    w = build_world(journal=True)
    lesson = w.lesson_6b
    client = signed_in("teacher")
    response = client.post(
        lesson_url(lesson, "journal:lesson_update"),
        {
            "topic": "Сложение дробей",
            "lesson_type": LessonType.INDEPENDENT,
            "room": "21",
            "conducted": "",
            "version": lesson.version,
        },
    )
    assert response.status_code == 302
    lesson.refresh_from_db()
    assert (lesson.topic, lesson.lesson_type, lesson.room) == (
        "Сложение дробей",
        "independent",
        "21",
    )
    assert lesson.status == LessonStatus.PLANNED
    page = client.get(lesson_url(lesson)).content.decode()
    assert "Урок сохранён." in page


def test_a_stale_lesson_form_is_a_conflict_that_keeps_what_was_typed() -> None:
    w = build_world(journal=True)
    lesson = w.lesson_6b
    services.update_lesson(
        actor=w.users["director"], lesson=lesson, expected_version=lesson.version, topic="Другое"
    )
    response = signed_in("teacher").post(
        lesson_url(lesson, "journal:lesson_update"),
        {
            "topic": "Моя тема",
            "lesson_type": "lesson",
            "room": "",
            "conducted": "on",
            "version": lesson.version,
        },
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "только что изменил другой пользователь" in html
    assert 'value="Моя тема"' in html
    assert f'name="version" value="{lesson.version + 1}"' in html
    lesson.refresh_from_db()
    assert lesson.topic == "Другое"


def test_a_second_test_on_a_day_is_refused_in_russian() -> None:
    w = build_world(journal=True)
    other = add_lesson(
        w,
        school_class=w.class_6b,
        subject=w.russian,
        teacher=w.users["director"],
        day=w.lesson_6b.date,
        number=2,
        lesson_type=LessonType.TEST,
    )
    assert other.is_test
    response = signed_in("teacher").post(
        lesson_url(w.lesson_6b, "journal:lesson_update"),
        {"topic": "", "lesson_type": LessonType.TEST, "room": "", "version": w.lesson_6b.version},
    )
    assert response.status_code == 422
    assert "не более 1 в день" in response.content.decode()
    assert Lesson.objects.get(pk=w.lesson_6b.pk).lesson_type == "lesson"


def test_adding_a_mark_column() -> None:
    w = build_world(journal=True)
    services.ensure_work_types(w.school.pk)
    homework_type = WorkType.objects.get(school=w.school, code="homework")
    response = signed_in("teacher").post(
        lesson_url(w.lesson_6b, "journal:column_add"),
        {"work_type": homework_type.pk, "weight": "2", "title": "Д/з"},
    )
    assert response.status_code == 302
    column = MarkColumn.objects.get(lesson=w.lesson_6b, position=2)
    assert (column.work_type, column.weight, column.title) == (homework_type, 2, "Д/з")
    bad = signed_in("teacher").post(
        lesson_url(w.lesson_6b, "journal:column_add"),
        {"work_type": homework_type.pk, "weight": "11"},
    )
    assert bad.status_code == 422
    assert "Вес — от 1 до 10." in bad.content.decode()


def test_homework_with_files_individual_edit_and_delete() -> None:
    """Homework goes to the next lesson by default, may be for one student, carries files
    that download only through the access policy; editing and deleting keep history."""
    w = build_world(journal=True)
    client = signed_in("teacher")
    later = add_lesson(
        w,
        school_class=w.class_6b,
        subject=w.math,
        teacher=w.users["teacher"],
        day=w.lesson_6b.date + dt.timedelta(days=2),
        number=1,
        status=LessonStatus.PLANNED,
    )
    response = client.post(
        lesson_url(w.lesson_6b, "journal:homework_add"),
        {
            "text": "Прочитать § 12",
            "due_date": "",
            "student": w.child_b.pk,
            "files": [
                SimpleUploadedFile("схема.png", b"\x89PNG test", "image/png"),
                SimpleUploadedFile("текст.txt", "задание".encode(), "text/plain"),
            ],
        },
    )
    assert response.status_code == 302
    homework = Homework.objects.get(text="Прочитать § 12")
    assert (homework.due_lesson, homework.student) == (later, w.child_b)
    assert homework.attachments.count() == 2
    page = client.get(lesson_url(w.lesson_6b)).content.decode()
    assert "индивидуально: " + w.child_b.short_name in page
    attachment = homework.attachments.get(original_name="текст.txt")
    download = client.get(reverse("journal:attachment", args=[attachment.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == "задание".encode()
    assert "attachment" in download["Content-Disposition"]
    assert (
        signed_in("classteacher")
        .get(reverse("journal:attachment", args=[attachment.pk]))
        .status_code
        == 404
    )
    due_page = client.get(lesson_url(later)).content.decode()
    assert "Задано к этому уроку" in due_page and "Прочитать § 12" in due_page

    edit_url = reverse("journal:homework_edit", args=[homework.pk])
    assert "Прочитать § 12" in client.get(edit_url).content.decode()
    edited = client.post(
        edit_url,
        {
            "text": "Прочитать § 12–13",
            "due_date": later.date.isoformat(),
            "remove": [attachment.pk],
            "version": homework.version,
        },
    )
    assert edited.status_code == 302
    homework.refresh_from_db()
    assert homework.text == "Прочитать § 12–13"
    assert homework.attachments.count() == 1
    deleted = client.post(
        reverse("journal:homework_delete", args=[homework.pk]), {"version": homework.version}
    )
    assert deleted.status_code == 302
    assert not Homework.objects.filter(pk=homework.pk).exists()
    assert JournalChange.objects.filter(kind="homework", object_id=homework.pk).count() == 3


def test_homework_without_a_next_lesson_asks_for_a_date_and_keeps_the_text() -> None:
    w = build_world(journal=True)
    response = signed_in("teacher").post(
        lesson_url(w.lesson_6b, "journal:homework_add"),
        {"text": "Решить задачи 1–5", "due_date": ""},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "укажите срок сдачи вручную" in html
    assert "Решить задачи 1–5</textarea>" in html
    bad_date = signed_in("teacher").post(
        lesson_url(w.lesson_6b, "journal:homework_add"),
        {"text": "Решить задачи 1–5", "due_date": "31.02.2027"},
    )
    assert "Дата записана неверно" in bad_date.content.decode()


@pytest.mark.parametrize("due", ["2099-05-01", "9999-12-31"])
def test_homework_due_after_the_academic_year_is_refused_on_the_page(due: str) -> None:
    w = build_world(journal=True)
    response = signed_in("teacher").post(
        lesson_url(w.lesson_6b, "journal:homework_add"), {"text": "Летнее чтение", "due_date": due}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "позже конца учебного года" in html and "Летнее чтение</textarea>" in html
    assert not Homework.objects.filter(text="Летнее чтение").exists()


def test_a_remark_to_a_student() -> None:
    w = build_world(journal=True)
    response = signed_in("teacher").post(
        lesson_url(w.lesson_6b, "journal:remark_add"),
        {"student": w.child_b.pk, "kind": "praise", "text": "Отлично решила у доски"},
    )
    assert response.status_code == 302
    remark = Remark.objects.get()
    assert (remark.student, remark.lesson, remark.kind) == (w.child_b, w.lesson_6b, "praise")
    page = signed_in("teacher").get(lesson_url(w.lesson_6b)).content.decode()
    assert "Отлично решила у доски" in page and "похвала" in page


def test_substitution_move_and_cancellation() -> None:
    """The director puts a substitute in; the lesson's teacher moves another lesson (with a
    reason, else a Russian refusal) and cancels a third; «Мой день» tells each story."""
    w = build_world(journal=True)
    director = signed_in("director")
    substituted = director.post(
        lesson_url(w.lesson_6b, "journal:lesson_substitute"),
        {"substitute": w.users["classteacher"].pk, "reason": "Больничный"},
    )
    assert substituted.status_code == 302
    w.lesson_6b.refresh_from_db()
    assert w.lesson_6b.substitute == w.users["classteacher"]
    # The substitute now sees and keeps the lesson although 6Б is not her class.
    assert signed_in("classteacher").get(lesson_url(w.lesson_6b)).status_code == 200
    day = signed_in("classteacher").get(
        reverse("journal:my_day"), {"date": w.lesson_6b.date.isoformat()}
    )
    assert "вы заменяете " + w.users["teacher"].short_name in day.content.decode()

    teacher = signed_in("teacher")
    planned = add_lesson(
        w,
        school_class=w.class_6b,
        subject=w.math,
        teacher=w.users["teacher"],
        day=w.lesson_6b.date,
        number=5,
        status=LessonStatus.PLANNED,
    )
    no_reason = teacher.post(
        lesson_url(planned, "journal:lesson_move"),
        {"new_date": w.lesson_6b.date.isoformat(), "new_number": 6, "reason": ""},
    )
    assert no_reason.status_code == 422
    assert "Укажите причину" in no_reason.content.decode()
    moved = teacher.post(
        lesson_url(planned, "journal:lesson_move"),
        {"new_date": w.lesson_6b.date.isoformat(), "new_number": 6, "reason": "Экскурсия"},
    )
    assert moved.status_code == 302
    planned.refresh_from_db()
    assert planned.status == LessonStatus.MOVED and planned.moved_to.number == 6
    old_page = teacher.get(lesson_url(planned)).content.decode()
    assert "Урок перенесён на" in old_page and "Экскурсия" in old_page

    cancelled = teacher.post(
        lesson_url(planned.moved_to, "journal:lesson_cancel"), {"reason": "Карантин"}
    )
    assert cancelled.status_code == 302
    day = teacher.get(reverse("journal:my_day"), {"date": w.lesson_6b.date.isoformat()})
    html = day.content.decode()
    assert "отменён" in html and "перенесён" in html
    assert "замена: " + w.users["classteacher"].short_name in html


def test_the_lesson_history_reads_like_sentences() -> None:
    w = build_world(journal=True)
    lesson = w.lesson_6b
    teacher = w.users["teacher"]
    services.update_lesson(
        actor=teacher, lesson=lesson, expected_version=lesson.version, topic="Дроби"
    )
    services.set_cell(
        actor=teacher,
        lesson=lesson,
        position=1,
        student=w.child_b,
        text="5",
        mark_version=0,
        attendance_version=0,
    )
    html = signed_in("teacher").get(lesson_url(lesson, "journal:lesson_history")).content.decode()
    assert "тема: (пусто) → Дроби" in html
    assert "(пусто) → 5" in html
    assert w.child_b.short_name in html
    assert "Домашнее задание" in html  # the homework of the world

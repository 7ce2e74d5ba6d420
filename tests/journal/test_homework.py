"""Homework: due at the subject's next lesson or a chosen date, for the class or one
student, with attachments (stored in memory in the test settings)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from journal import services
from journal.models import Homework, HomeworkAttachment, JournalChange
from journal.services import Conflict
from journal.services.common import MSG_CONFLICT, MSG_NO_RIGHT, MSG_NOT_ENROLLED, fmt
from journal.services.homework import (
    MAX_ATTACHMENT_BYTES,
    MSG_DUE_AFTER_YEAR,
    MSG_DUE_BEFORE,
    MSG_EMPTY,
    MSG_FILE_TOO_BIG,
    MSG_FILE_TYPE,
    MSG_FIRST_GRADE,
    MSG_NO_NEXT_LESSON,
    MSG_TOO_MANY_FILES,
)
from tests.factories import StudentFactory, StudyGroupFactory
from tests.journal_factories import build_journal_world
from tests.once import built_once, copy_of

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _w_once(django_db_setup, django_db_blocker):
    with built_once(django_db_blocker, build_journal_world) as world:
        yield world


@pytest.fixture
def w(db, _w_once):
    """``build_journal_world()`` built once for the module (``tests.once``)."""
    return copy_of(_w_once)


def refusal(service, **kwargs) -> list[str]:
    with pytest.raises(ValidationError) as error:
        service(**kwargs)
    return error.value.messages


def text_file(name: str = "задание.txt", content: bytes = "Решить № 5, 6".encode()):
    return SimpleUploadedFile(name, content, content_type="text/plain")


# --- When it is due -------------------------------------------------------------------


def test_homework_is_due_at_the_subjects_next_lesson(w) -> None:
    """Without a date, homework is due at the next active lesson of the same subject and
    class: another subject's lesson, a subgroup's lesson and a cancelled lesson in between
    are skipped."""
    given_at = w.lesson(-3)
    w.lesson(-2, subject=w.russian, teacher=w.russian_teacher)
    group = StudyGroupFactory(school_class=w.class_5a, subject=w.math, name="Подгруппа 1")
    w.lesson(-2, number=3, group=group)
    services.cancel_lesson(actor=w.teacher, lesson=w.lesson(-1), reason="Карантин")
    next_one = w.lesson(0, number=2)
    w.lesson(2)

    homework = services.assign_homework(actor=w.teacher, lesson=given_at, text="  § 12, № 5  ")

    saved = Homework.objects.get(pk=homework.pk)
    assert (saved.lesson, saved.due_lesson, saved.due_date) == (given_at, next_one, w.day(0))
    assert (saved.text, saved.student, saved.created_by, saved.version) == (
        "§ 12, № 5",
        None,
        w.teacher,
        1,
    )


def test_a_later_lesson_on_the_same_day_is_the_next_lesson(w) -> None:
    """A double period: homework from lesson 1 is due at lesson 3 of the same day."""
    given_at = w.lesson(0, number=1)
    later = w.lesson(0, number=3)

    homework = services.assign_homework(actor=w.teacher, lesson=given_at, text="№ 7")

    assert homework.due_lesson == later


def test_without_a_next_lesson_the_due_date_must_be_given(w) -> None:
    """When the subject has no later lesson, the teacher is asked for a date."""
    lesson = w.lesson(0)

    messages = refusal(services.assign_homework, actor=w.teacher, lesson=lesson, text="№ 7")

    assert messages == [MSG_NO_NEXT_LESSON % {"date": fmt(lesson.date), "subject": "Математика"}]
    assert not Homework.objects.exists()


def test_an_explicit_due_date_finds_that_days_lesson(w) -> None:
    """A chosen date with a lesson of the subject links to it; a date without one does
    not."""
    lesson = w.lesson(0)
    that_day = w.lesson(5, number=4)

    with_lesson = services.assign_homework(
        actor=w.teacher, lesson=lesson, text="Проект", due_date=w.day(5)
    )
    without_lesson = services.assign_homework(
        actor=w.teacher, lesson=lesson, text="Проект", due_date=w.day(6)
    )

    assert (with_lesson.due_date, with_lesson.due_lesson) == (w.day(5), that_day)
    assert (without_lesson.due_date, without_lesson.due_lesson) == (w.day(6), None)


def test_a_due_date_before_the_lesson_is_refused(w) -> None:
    """Homework cannot be due before the lesson it is given at."""
    lesson = w.lesson(0)

    messages = refusal(
        services.assign_homework, actor=w.teacher, lesson=lesson, text="№ 7", due_date=w.day(-1)
    )

    assert messages == [MSG_DUE_BEFORE % {"due": fmt(w.day(-1)), "date": fmt(w.day(0))}]
    assert not Homework.objects.exists()


@pytest.mark.parametrize("due", [dt.date(2099, 5, 1), dt.date(9999, 12, 31), "after the year"])
def test_a_due_date_after_the_academic_year_is_refused(w, due) -> None:
    """Homework is due within the lesson's academic year (its last day is still fine),
    when given and when changed."""
    due = w.year.end + dt.timedelta(days=1) if due == "after the year" else due
    lesson = w.lesson(0)
    expected = [MSG_DUE_AFTER_YEAR % {"due": fmt(due), "year": w.year.name, "end": fmt(w.year.end)}]

    messages = refusal(
        services.assign_homework, actor=w.teacher, lesson=lesson, text="№ 7", due_date=due
    )
    assert messages == expected
    assert not Homework.objects.exists()

    homework = services.assign_homework(
        actor=w.teacher, lesson=lesson, text="№ 7", due_date=w.year.end
    )
    messages = refusal(
        services.update_homework,
        actor=w.teacher,
        homework=homework,
        expected_version=homework.version,
        due_date=due,
    )
    assert messages == expected
    assert Homework.objects.get().due_date == w.year.end


@pytest.mark.parametrize("text", ["", "   \n"])
def test_homework_needs_a_text(w, text) -> None:
    """An empty task is refused."""
    lesson = w.lesson(0)
    w.lesson(1)

    messages = refusal(services.assign_homework, actor=w.teacher, lesson=lesson, text=text)

    assert messages == [MSG_EMPTY]
    assert not Homework.objects.exists()


# --- Who gets it, who gives it --------------------------------------------------------


def test_individual_homework_goes_to_one_student_of_the_lesson(w) -> None:
    """Homework for one student carries that student."""
    lesson = w.lesson(0)
    w.lesson(1)
    student = w.students[1]

    homework = services.assign_homework(
        actor=w.teacher, lesson=lesson, text="Работа над ошибками", student=student
    )

    assert Homework.objects.get(pk=homework.pk).student == student


def test_individual_homework_for_a_student_outside_the_lesson_is_refused(w) -> None:
    """A student of 5Б cannot get 5А's individual homework."""
    stranger = StudentFactory(school=w.school, last_name="Жуков", enrolled_in=w.class_5b)
    lesson = w.lesson(0)
    w.lesson(1)

    messages = refusal(
        services.assign_homework, actor=w.teacher, lesson=lesson, text="№ 7", student=stranger
    )

    assert messages == [
        MSG_NOT_ENROLLED % {"student": stranger.short_name, "cls": "5А", "date": fmt(w.today)}
    ]
    assert not Homework.objects.exists()


def test_the_first_grade_gets_no_homework(w) -> None:
    """First grade has no homework."""
    lesson = w.lesson(0, school_class=w.class_1a)
    w.lesson(1, school_class=w.class_1a)

    messages = refusal(services.assign_homework, actor=w.teacher, lesson=lesson, text="Прописи")

    assert messages == [MSG_FIRST_GRADE]
    assert not Homework.objects.exists()


def test_a_teacher_without_the_assignment_gives_no_homework(w) -> None:
    """The teacher of 5Б's математика cannot give 5А homework."""
    lesson = w.lesson(0)
    w.lesson(1)

    messages = refusal(services.assign_homework, actor=w.other_teacher, lesson=lesson, text="№ 7")

    assert messages == [MSG_NO_RIGHT % {"subject": "Математика", "cls": "5А"}]
    assert not Homework.objects.exists()


# --- Attachments ----------------------------------------------------------------------


def test_a_small_text_file_is_attached(w) -> None:
    """The file is stored with its name, size and type, and reads back the same."""
    lesson = w.lesson(0)
    w.lesson(1)
    content = "Решить № 5, 6".encode()

    homework = services.assign_homework(
        actor=w.teacher, lesson=lesson, text="См. файл", files=[text_file(content=content)]
    )

    attachment = HomeworkAttachment.objects.get(homework=homework)
    assert (attachment.original_name, attachment.size, attachment.content_type) == (
        "задание.txt",
        len(content),
        "text/plain",
    )
    assert attachment.file.name.startswith(f"homework/{w.school.pk}/{homework.pk}/")
    with attachment.file.open("rb") as stored:
        assert stored.read() == content


def test_an_upper_case_extension_is_allowed(w) -> None:
    """«Задание.PDF» is a PDF."""
    lesson = w.lesson(0)
    w.lesson(1)
    upload = SimpleUploadedFile("Задание.PDF", b"%PDF-1.4", content_type="application/pdf")

    homework = services.assign_homework(actor=w.teacher, lesson=lesson, text="Файл", files=[upload])

    assert list(homework.attachments.values_list("original_name", "content_type")) == [
        ("Задание.PDF", "application/pdf")
    ]


def test_a_program_cannot_be_attached(w) -> None:
    """An .exe is refused and nothing is saved."""
    lesson = w.lesson(0)
    w.lesson(1)
    upload = SimpleUploadedFile("game.exe", b"MZ\x90\x00", content_type="application/x-msdownload")

    messages = refusal(
        services.assign_homework, actor=w.teacher, lesson=lesson, text="Файл", files=[upload]
    )

    assert messages == [MSG_FILE_TYPE % {"ext": ".exe"}]
    assert not Homework.objects.exists()
    assert not HomeworkAttachment.objects.exists()


def test_a_file_over_ten_megabytes_is_refused(w) -> None:
    """10 MB plus one byte is too big."""
    lesson = w.lesson(0)
    w.lesson(1)
    upload = SimpleUploadedFile("scan.pdf", b"0" * (MAX_ATTACHMENT_BYTES + 1))

    messages = refusal(
        services.assign_homework, actor=w.teacher, lesson=lesson, text="Файл", files=[upload]
    )

    assert messages == [MSG_FILE_TOO_BIG % {"name": "scan.pdf"}]
    assert not Homework.objects.exists()


def test_a_file_of_exactly_ten_megabytes_is_accepted(w) -> None:
    """The limit itself is allowed."""
    lesson = w.lesson(0)
    w.lesson(1)
    upload = SimpleUploadedFile("scan.pdf", b"%PDF" + b"0" * (MAX_ATTACHMENT_BYTES - 4))

    homework = services.assign_homework(actor=w.teacher, lesson=lesson, text="Файл", files=[upload])

    assert homework.attachments.get().size == MAX_ATTACHMENT_BYTES


def test_more_than_five_files_are_refused(w) -> None:
    """Six files at once are refused; five are fine."""
    lesson = w.lesson(0)
    w.lesson(1)

    messages = refusal(
        services.assign_homework,
        actor=w.teacher,
        lesson=lesson,
        text="Файлы",
        files=[text_file(f"{n}.txt") for n in range(6)],
    )
    homework = services.assign_homework(
        actor=w.teacher,
        lesson=lesson,
        text="Файлы",
        files=[text_file(f"{n}.txt") for n in range(5)],
    )

    assert messages == [MSG_TOO_MANY_FILES % {"max": 5}]
    assert homework.attachments.count() == 5
    assert Homework.objects.count() == 1


def test_files_added_later_count_towards_the_five(w) -> None:
    """With four files attached, adding two more is refused; removing one first makes room."""
    lesson = w.lesson(0)
    w.lesson(1)
    homework = services.assign_homework(
        actor=w.teacher,
        lesson=lesson,
        text="Файлы",
        files=[text_file(f"{n}.txt") for n in range(4)],
    )
    first = homework.attachments.get(original_name="0.txt")

    messages = refusal(
        services.update_homework,
        actor=w.teacher,
        homework=homework,
        expected_version=1,
        files=[text_file("a.txt"), text_file("b.txt")],
    )
    services.update_homework(
        actor=w.teacher,
        homework=homework,
        expected_version=1,
        files=[text_file("a.txt"), text_file("b.txt")],
        remove_attachment_ids=[first.pk],
    )

    assert messages == [MSG_TOO_MANY_FILES % {"max": 5}]
    assert sorted(homework.attachments.values_list("original_name", flat=True)) == [
        "1.txt",
        "2.txt",
        "3.txt",
        "a.txt",
        "b.txt",
    ]


# --- Changing and deleting ------------------------------------------------------------


def test_updating_homework_changes_text_and_date_with_history(w) -> None:
    """A new text and date raise the version; the history keeps both versions."""
    lesson = w.lesson(0)
    w.lesson(1)
    homework = services.assign_homework(actor=w.teacher, lesson=lesson, text="№ 7")

    services.update_homework(
        actor=w.teacher,
        homework=homework,
        expected_version=1,
        text="№ 7, 8",
        due_date=w.day(3),
        reason="Добавил задачу",
    )

    saved = Homework.objects.get(pk=homework.pk)
    assert (saved.text, saved.due_date, saved.version) == ("№ 7, 8", w.day(3), 2)
    change = JournalChange.objects.get(kind="homework", action="update")
    assert change.old == {"text": "№ 7", "due_date": fmt(w.day(1)), "student": None, "files": []}
    assert change.new == {
        "text": "№ 7, 8",
        "due_date": fmt(w.day(3)),
        "student": None,
        "files": [],
    }
    assert change.reason == "Добавил задачу"


def test_changing_the_due_date_moves_the_homework_to_that_days_lesson(w) -> None:
    """Homework due at the next lesson and moved to a later date follows the lesson of that
    date (or none)."""
    lesson = w.lesson(0)
    w.lesson(1)
    later = w.lesson(4)
    homework = services.assign_homework(actor=w.teacher, lesson=lesson, text="№ 7")

    services.update_homework(
        actor=w.teacher, homework=homework, expected_version=1, due_date=w.day(4)
    )

    saved = Homework.objects.get(pk=homework.pk)
    assert (saved.due_date, saved.due_lesson) == (w.day(4), later)


def test_an_update_with_a_due_date_before_the_lesson_is_refused(w) -> None:
    """The date rule holds on update too."""
    lesson = w.lesson(0)
    w.lesson(1)
    homework = services.assign_homework(actor=w.teacher, lesson=lesson, text="№ 7")

    messages = refusal(
        services.update_homework,
        actor=w.teacher,
        homework=homework,
        expected_version=1,
        due_date=w.day(-2),
    )

    assert messages == [MSG_DUE_BEFORE % {"due": fmt(w.day(-2)), "date": fmt(w.today)}]
    assert Homework.objects.get().due_date == w.day(1)


def test_an_update_from_a_stale_page_is_a_conflict(w) -> None:
    """Two teachers edit the same homework: the second, from version 1, gets a conflict
    that shows the current text, and nothing of theirs is saved."""
    lesson = w.lesson(0)
    w.lesson(1)
    homework = services.assign_homework(actor=w.teacher, lesson=lesson, text="№ 7")
    services.update_homework(actor=w.deputy, homework=homework, expected_version=1, text="№ 9")

    with pytest.raises(Conflict) as conflict:
        services.update_homework(actor=w.teacher, homework=homework, expected_version=1, text="№ 8")

    assert conflict.value.messages == [MSG_CONFLICT % {"current": "№ 9"}]
    assert list(Homework.objects.values_list("text", "version")) == [("№ 9", 2)]
    assert JournalChange.objects.filter(kind="homework").count() == 2


def test_deleting_homework_keeps_it_in_the_history(w) -> None:
    """Deleted homework and its files are gone; the history keeps what it was."""
    lesson = w.lesson(0)
    w.lesson(1)
    homework = services.assign_homework(
        actor=w.teacher, lesson=lesson, text="№ 7", files=[text_file()]
    )

    services.delete_homework(
        actor=w.teacher, homework=homework, expected_version=1, reason="Задал по ошибке"
    )

    assert not Homework.objects.exists()
    assert not HomeworkAttachment.objects.exists()
    change = JournalChange.objects.get(kind="homework", action="delete")
    assert (change.object_id, change.actor, change.lesson_id, change.new) == (
        homework.pk,
        w.teacher,
        lesson.pk,
        None,
    )
    assert change.old == {
        "text": "№ 7",
        "due_date": fmt(w.day(1)),
        "student": None,
        "files": ["задание.txt"],
    }
    assert change.reason == "Задал по ошибке"
    assert JournalChange.objects.filter(kind="homework", action="create").exists()


def test_deleting_from_a_stale_page_is_a_conflict(w) -> None:
    """A delete from an old version is refused; the homework stays."""
    lesson = w.lesson(0)
    w.lesson(1)
    homework = services.assign_homework(actor=w.teacher, lesson=lesson, text="№ 7")
    services.update_homework(actor=w.teacher, homework=homework, expected_version=1, text="№ 9")

    with pytest.raises(Conflict) as conflict:
        services.delete_homework(actor=w.teacher, homework=homework, expected_version=1)

    assert conflict.value.messages == [MSG_CONFLICT % {"current": "№ 9"}]
    assert Homework.objects.filter(pk=homework.pk).exists()

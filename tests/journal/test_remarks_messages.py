"""Recommendations, remarks and praise about a student; messages to parents."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from journal import services
from journal.models import JournalChange, Message, MessageRead, Remark, RemarkKind
from journal.services.remarks import (
    MSG_EMPTY,
    MSG_NO_CLASS_RIGHT,
    MSG_NO_STUDENT_RIGHT,
    MSG_NO_SUBJECT,
)
from tests.factories import GuardianFactory, KinshipFactory, UserFactory
from tests.journal_factories import build_journal_world
from tests.once import built_once, copy_of

pytestmark = pytest.mark.django_db

MSG_BAD_KIND = "Неизвестный вид записи."
MSG_ONE_ADDRESSEE = "Выберите адресата: одного обучающегося или класс."


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


def parent_of(student):
    user = UserFactory(username="mother", last_name="Алексеева", first_name="Елена")
    guardian = GuardianFactory(user=user, last_name="Алексеева", first_name="Елена")
    KinshipFactory(guardian=guardian, student=student)
    return user


# --- Remarks --------------------------------------------------------------------------


@pytest.mark.parametrize("kind", [RemarkKind.RECOMMENDATION, RemarkKind.REMARK, RemarkKind.PRAISE])
def test_a_teacher_of_the_student_writes_about_them(w, kind) -> None:
    """The student's математика teacher adds a recommendation, remark or praise, dated the
    school's today, with a history entry."""
    student = w.students[0]

    remark = services.add_remark(actor=w.teacher, student=student, kind=kind, text="  Молодец! ")

    saved = Remark.objects.get(pk=remark.pk)
    assert (saved.student, saved.author, saved.kind, saved.text) == (
        student,
        w.teacher,
        kind,
        "Молодец!",
    )
    assert (saved.date, saved.lesson, saved.subject, saved.school) == (
        w.today,
        None,
        None,
        w.school,
    )
    change = JournalChange.objects.get(kind="remark")
    assert (change.action, change.actor, change.student_id, change.object_id) == (
        "create",
        w.teacher,
        student.pk,
        remark.pk,
    )
    assert change.new == {"kind": kind, "text": "Молодец!"}


def test_a_remark_at_a_lesson_takes_its_subject_and_date(w) -> None:
    """A remark written at a lesson is dated by the lesson and carries its subject."""
    lesson = w.lesson(-2)

    remark = services.add_remark(
        actor=w.teacher,
        student=w.students[0],
        kind=RemarkKind.REMARK,
        text="Не работал на уроке",
        lesson=lesson,
    )

    assert (remark.lesson, remark.subject, remark.date) == (lesson, w.math, w.day(-2))


def test_a_teacher_who_does_not_teach_the_student_is_refused(w) -> None:
    """The teacher of 5Б cannot write about a student of 5А."""
    student = w.students[0]

    messages = refusal(
        services.add_remark,
        actor=w.other_teacher,
        student=student,
        kind=RemarkKind.PRAISE,
        text="Молодец",
    )

    assert messages == [MSG_NO_STUDENT_RIGHT % {"student": student.short_name}]
    assert not Remark.objects.exists()
    assert not JournalChange.objects.exists()


def test_a_parent_cannot_write_remarks(w) -> None:
    """Even about their own child: remarks are the staff's."""
    student = w.students[0]

    messages = refusal(
        services.add_remark,
        actor=parent_of(student),
        student=student,
        kind=RemarkKind.PRAISE,
        text="Молодец",
    )

    assert messages == [MSG_NO_STUDENT_RIGHT % {"student": student.short_name}]


def test_a_remark_needs_a_text_and_a_known_kind(w) -> None:
    """An empty text and an unknown kind are refused."""
    student = w.students[0]

    empty = refusal(
        services.add_remark, actor=w.teacher, student=student, kind=RemarkKind.REMARK, text="  "
    )
    bad_kind = refusal(
        services.add_remark, actor=w.teacher, student=student, kind="warning", text="Текст"
    )

    assert empty == [MSG_EMPTY]
    assert bad_kind == [MSG_BAD_KIND]
    assert not Remark.objects.exists()


# --- Messages -------------------------------------------------------------------------


def test_a_teacher_writes_to_one_students_parents(w) -> None:
    """A message to one student's parents carries the student, not a class."""
    student = w.students[0]

    message = services.send_message(
        actor=w.teacher,
        subject=" Контрольная ",
        text="Подготовьтесь к контрольной.",
        student=student,
    )

    saved = Message.objects.get(pk=message.pk)
    assert (saved.sender, saved.student, saved.school_class, saved.subject, saved.school) == (
        w.teacher,
        student,
        None,
        "Контрольная",
        w.school,
    )
    change = JournalChange.objects.get(kind="message")
    assert change.new == {
        "subject": "Контрольная",
        "text": "Подготовьтесь к контрольной.",
        "to": student.short_name,
    }


def test_a_teacher_of_another_class_cannot_write_to_a_students_parents(w) -> None:
    """The teacher of 5Б does not write to the parents of a 5А student."""
    student = w.students[0]

    messages = refusal(
        services.send_message, actor=w.other_teacher, subject="Тема", text="Текст", student=student
    )

    assert messages == [MSG_NO_STUDENT_RIGHT % {"student": student.short_name}]
    assert not Message.objects.exists()


def test_the_class_teacher_writes_to_the_whole_class(w) -> None:
    """The class teacher of 5А writes to all its parents."""
    message = services.send_message(
        actor=w.russian_teacher,
        subject="Родительское собрание",
        text="В четверг в 18:00.",
        school_class=w.class_5a,
    )

    saved = Message.objects.get(pk=message.pk)
    assert (saved.school_class, saved.student) == (w.class_5a, None)
    assert JournalChange.objects.get(kind="message").new["to"] == "5А"


def test_a_teacher_of_the_class_writes_to_the_whole_class(w) -> None:
    """The математика teacher of 5А may write to its parents too."""
    services.send_message(
        actor=w.teacher, subject="Экскурсия", text="В пятницу.", school_class=w.class_5a
    )

    assert Message.objects.get().school_class == w.class_5a


def test_a_teacher_not_working_with_the_class_cannot_write_to_it(w) -> None:
    """The teacher of 5Б is refused for 5А."""
    messages = refusal(
        services.send_message,
        actor=w.other_teacher,
        subject="Тема",
        text="Текст",
        school_class=w.class_5a,
    )

    assert messages == [MSG_NO_CLASS_RIGHT % {"cls": "5А"}]
    assert not Message.objects.exists()


def test_a_message_needs_a_subject_a_text_and_one_addressee(w) -> None:
    """No subject, no text, no addressee or two addressees are refused."""
    student = w.students[0]
    base = {"actor": w.russian_teacher}

    no_subject = refusal(services.send_message, subject=" ", text="Текст", student=student, **base)
    no_text = refusal(services.send_message, subject="Тема", text="", student=student, **base)
    nobody = refusal(services.send_message, subject="Тема", text="Текст", **base)
    both = refusal(
        services.send_message,
        subject="Тема",
        text="Текст",
        student=student,
        school_class=w.class_5a,
        **base,
    )

    assert (no_subject, no_text, nobody, both) == (
        [MSG_NO_SUBJECT],
        [MSG_EMPTY],
        [MSG_ONE_ADDRESSEE],
        [MSG_ONE_ADDRESSEE],
    )
    assert not Message.objects.exists()


def test_reading_a_message_twice_keeps_the_first_reading(w) -> None:
    """Marking a message read is idempotent: one row, the first time kept."""
    student = w.students[0]
    parent = parent_of(student)
    message = services.send_message(actor=w.teacher, subject="Тема", text="Текст", student=student)

    services.mark_message_read(actor=parent, message=message)
    first = MessageRead.objects.get()
    services.mark_message_read(actor=parent, message=message)

    again = MessageRead.objects.get()
    assert (again.pk, again.user, again.message, again.read_at) == (
        first.pk,
        parent,
        message,
        first.read_at,
    )

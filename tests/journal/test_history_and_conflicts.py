"""The journal's memory and its guard against lost updates: every write leaves a history
row and one domain signal; a refused write leaves neither; a stale page gets a conflict;
two people saving the same cell at the same moment cannot both win."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from journal import services
from journal.models import (
    Attendance,
    Homework,
    JournalChange,
    Lesson,
    LessonStatus,
    Mark,
)
from journal.selectors import cell_history, lesson_history
from journal.services import Conflict
from journal.services.cells import MSG_ABSENT_WITH_MARK, MSG_MARK_WHEN_ABSENT
from journal.services.common import MSG_CONFLICT
from journal.signals import entry_changed
from school.models import User
from tests.journal_factories import build_journal_world
from tests.races import race

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return build_journal_world()


@pytest.fixture
def sent():
    """Every ``entry_changed`` sent during the test, as the receivers get it."""
    signals: list[dict] = []

    def receiver(sender, **kwargs):
        signals.append({"sender": sender, **kwargs})

    entry_changed.connect(receiver, dispatch_uid="test-journal-history")
    yield signals
    entry_changed.disconnect(dispatch_uid="test-journal-history")


def summary(signals: list[dict]) -> list[tuple]:
    return [(s["kind"], s["action"], s["student_ids"]) for s in signals]


def counts() -> dict[str, int]:
    return {
        "marks": Mark.objects.count(),
        "attendance": Attendance.objects.count(),
        "homework": Homework.objects.count(),
        "lessons": Lesson.objects.count(),
        "changes": JournalChange.objects.count(),
    }


def cell(w, lesson, student, text, mark_version=0, attendance_version=0, user=None):
    return services.set_cell(
        actor=user or w.teacher,
        lesson=lesson,
        position=1,
        student=student,
        text=text,
        mark_version=mark_version,
        attendance_version=attendance_version,
    )


# --- History --------------------------------------------------------------------------


def test_a_marks_life_is_kept_in_the_history(w) -> None:
    """Giving, correcting and deleting a mark leave three rows with who, what was and what
    became; deleting the mark deletes none of them."""
    lesson, student = w.lesson(0), w.students[0]
    mark = services.record_mark(
        actor=w.teacher, lesson=lesson, student=student, value=3, comment="Устно"
    )
    services.correct_mark(
        actor=w.deputy, mark=mark, value=4, expected_version=1, reason="Апелляция"
    )
    services.delete_mark(actor=w.teacher, mark=mark, expected_version=2, reason="Не тот ученик")

    history = list(cell_history(lesson, student))

    assert [(c.action, c.actor, c.reason) for c in history] == [
        ("delete", w.teacher, "Не тот ученик"),
        ("update", w.deputy, "Апелляция"),
        ("create", w.teacher, ""),
    ]
    snapshot = {"column": 1, "work_type": "Ответ на уроке", "weight": 1, "comment": "Устно"}
    deleted, corrected, created = history
    assert (created.old, created.new) == (None, {"value": 3, **snapshot})
    assert (corrected.old, corrected.new) == ({"value": 3, **snapshot}, {"value": 4, **snapshot})
    assert (deleted.old, deleted.new) == ({"value": 4, **snapshot}, None)
    assert {(c.kind, c.object_id, c.lesson_id, c.student_id, c.school_id) for c in history} == {
        ("mark", mark.pk, lesson.pk, student.pk, w.school.pk)
    }
    assert {c.column_id for c in history} == {lesson.columns.get().pk}
    assert not Mark.objects.exists()


def test_attendance_changes_are_kept_in_the_history(w) -> None:
    """Setting, changing and clearing attendance leave their old and new codes."""
    lesson, student = w.lesson(0), w.students[0]
    attendance = services.set_attendance(
        actor=w.teacher, lesson=lesson, student=student, code="н", expected_version=0
    )
    services.set_attendance(
        actor=w.teacher,
        lesson=lesson,
        student=student,
        code="б",
        expected_version=1,
        note="Справка",
    )
    services.clear_attendance(actor=w.teacher, attendance=attendance, expected_version=2)

    history = list(cell_history(lesson, student).order_by("id"))

    assert [(c.kind, c.action, c.old, c.new) for c in history] == [
        ("attendance", "create", None, {"code": "н", "reason": ""}),
        ("attendance", "update", {"code": "н", "reason": ""}, {"code": "б", "reason": "Справка"}),
        ("attendance", "delete", {"code": "б", "reason": "Справка"}, None),
    ]
    assert {c.object_id for c in history} == {attendance.pk}


def test_homework_and_lesson_changes_are_kept_in_the_lessons_history(w) -> None:
    """The lesson's history has its homework and its own changes, newest first."""
    lesson = w.lesson(0)
    w.lesson(1)
    services.update_lesson(actor=w.teacher, lesson=lesson, expected_version=1, topic="Дроби")
    homework = services.assign_homework(
        actor=w.teacher,
        lesson=lesson,
        text="№ 7",
        files=[SimpleUploadedFile("схема.png", b"\x89PNG", content_type="image/png")],
    )

    history = list(lesson_history(lesson))

    assert [(c.kind, c.action, c.actor) for c in history] == [
        ("homework", "create", w.teacher),
        ("lesson", "update", w.teacher),
    ]
    assert history[0].object_id == homework.pk
    assert history[0].new == {
        "text": "№ 7",
        "due_date": w.day(1).strftime("%d.%m.%Y"),
        "student": None,
        "files": ["схема.png"],
    }
    assert (history[1].old["topic"], history[1].new["topic"]) == ("", "Дроби")


def test_adding_a_mark_column_is_a_lesson_change(w) -> None:
    """A new column is recorded with its number, work type and weight."""
    lesson = w.lesson(0)
    homework = services.work_type_for(w.school.pk, "homework")

    services.add_mark_column(actor=w.teacher, lesson=lesson, work_type=homework, weight=2)

    change = JournalChange.objects.get()
    assert (change.kind, change.action, change.object_id, change.old) == (
        "lesson",
        "update",
        lesson.pk,
        None,
    )
    assert change.new == {"column": 2, "work_type": "Домашняя работа", "weight": 2}


# --- The domain signal ----------------------------------------------------------------


def test_each_cell_write_sends_one_signal(w, sent) -> None:
    """A mark given, corrected and deleted through the cell, then an absence: four writes,
    four signals, each naming the student."""
    lesson, student = w.lesson(0), w.students[0]

    cell(w, lesson, student, "5")
    cell(w, lesson, student, "4", mark_version=1)
    cell(w, lesson, student, "", mark_version=2)
    cell(w, lesson, student, "н")

    assert summary(sent) == [
        ("mark", "create", [student.pk]),
        ("mark", "update", [student.pk]),
        ("mark", "delete", [student.pk]),
        ("attendance", "create", [student.pk]),
    ]
    assert all(s["school_id"] == w.school.pk for s in sent)
    assert [type(s["instance"]).__name__ for s in sent] == ["Mark", "Mark", "Mark", "Attendance"]
    assert sent[2]["instance"].pk == sent[0]["instance"].pk  # the deleted mark keeps its id


def test_class_wide_changes_send_no_student_ids(w, sent) -> None:
    """Class homework and a lesson change concern the whole class (empty student ids);
    individual homework names its student; a move sends the old and the new lesson."""
    lesson = w.lesson(0)
    w.lesson(1)
    student = w.students[2]

    services.assign_homework(actor=w.teacher, lesson=lesson, text="№ 7")
    services.assign_homework(actor=w.teacher, lesson=lesson, text="№ 8", student=student)
    services.move_lesson(
        actor=w.teacher, lesson=lesson, new_date=w.school_day(-3), new_number=6, reason="Экскурсия"
    )

    assert summary(sent) == [
        ("homework", "create", []),
        ("homework", "create", [student.pk]),
        ("lesson", "update", []),
        ("lesson", "create", []),
    ]
    assert sent[2]["instance"].status == LessonStatus.MOVED


def test_a_refused_mark_writes_nothing_and_sends_nothing(w, sent) -> None:
    """A mark refused beside an absence leaves no mark, no history row and no signal."""
    lesson, student = w.lesson(0), w.students[0]
    cell(w, lesson, student, "н")
    before, signals_before = counts(), len(sent)

    with pytest.raises(ValidationError) as error:
        cell(w, lesson, student, "5", attendance_version=1)

    assert error.value.messages == [
        MSG_MARK_WHEN_ABSENT % {"student": student.short_name, "code": "н"}
    ]
    assert counts() == before
    assert len(sent) == signals_before


def test_refused_writes_of_every_kind_send_nothing(w, sent) -> None:
    """A refused absence, cancellation, homework and correction leave every table as it was
    and send no signal."""
    lesson, student = w.lesson(0), w.students[0]
    mark = services.record_mark(actor=w.teacher, lesson=lesson, student=student, value=5)
    before = counts()
    sent.clear()
    attempts = [
        lambda: services.set_attendance(
            actor=w.teacher, lesson=lesson, student=student, code="н", expected_version=0
        ),
        lambda: services.cancel_lesson(actor=w.teacher, lesson=lesson, reason="Карантин"),
        lambda: services.assign_homework(
            actor=w.teacher,
            lesson=lesson,
            text="№ 7",
            due_date=w.day(1),
            files=[SimpleUploadedFile("virus.exe", b"MZ")],
        ),
        lambda: services.correct_mark(
            actor=w.other_teacher, mark=mark, value=2, expected_version=1
        ),
        lambda: services.update_lesson(
            actor=w.teacher, lesson=lesson, expected_version=99, topic="Устаревшая страница"
        ),
    ]

    for attempt in attempts:
        with pytest.raises(ValidationError):
            attempt()

    assert counts() == before
    assert sent == []


def test_a_failing_receiver_rolls_the_write_back(w) -> None:
    """Receivers run inside the write's transaction: if one fails, neither the mark nor its
    history row is saved."""
    lesson, student = w.lesson(0), w.students[0]

    def broken(sender, **kwargs):
        raise RuntimeError("outbox is down")

    entry_changed.connect(broken, dispatch_uid="test-journal-broken")
    try:
        with pytest.raises(RuntimeError):
            services.record_mark(actor=w.teacher, lesson=lesson, student=student, value=5)
    finally:
        entry_changed.disconnect(dispatch_uid="test-journal-broken")

    assert (Mark.objects.count(), JournalChange.objects.count()) == (0, 0)


# --- Conflicts ------------------------------------------------------------------------


def conflict_messages(call) -> list[str]:
    with pytest.raises(Conflict) as conflict:
        call()
    return conflict.value.messages


def test_correcting_a_mark_from_a_stale_page_is_a_conflict(w) -> None:
    """The deputy changed 3 to 4; the teacher's page still shows version 1: the teacher is
    told the mark is now «4» and nothing is overwritten."""
    mark = services.record_mark(actor=w.teacher, lesson=w.lesson(0), student=w.students[0], value=3)
    services.correct_mark(actor=w.deputy, mark=mark, value=4, expected_version=1)

    messages = conflict_messages(
        lambda: services.correct_mark(actor=w.teacher, mark=mark, value=5, expected_version=1)
    )

    assert messages == [MSG_CONFLICT % {"current": "4"}]
    assert list(Mark.objects.values_list("value", "version")) == [(4, 2)]
    assert JournalChange.objects.count() == 2


def test_deleting_a_mark_from_a_stale_page_is_a_conflict(w) -> None:
    """A delete from version 1 after a correction is refused; the mark stays."""
    mark = services.record_mark(actor=w.teacher, lesson=w.lesson(0), student=w.students[0], value=3)
    services.correct_mark(actor=w.teacher, mark=mark, value=4, expected_version=1)

    messages = conflict_messages(
        lambda: services.delete_mark(actor=w.teacher, mark=mark, expected_version=1)
    )

    assert messages == [MSG_CONFLICT % {"current": "4"}]
    assert Mark.objects.filter(pk=mark.pk).exists()


def test_a_cell_filled_meanwhile_is_a_conflict(w) -> None:
    """The page showed an empty cell (version 0) but someone gave a 5: typing 4 is refused
    with «5», through ``set_cell`` and through ``record_mark`` alike."""
    lesson, student = w.lesson(0), w.students[0]
    cell(w, lesson, student, "5", user=w.deputy)

    via_cell = conflict_messages(lambda: cell(w, lesson, student, "4"))
    via_service = conflict_messages(
        lambda: services.record_mark(actor=w.teacher, lesson=lesson, student=student, value=4)
    )

    assert via_cell == via_service == [MSG_CONFLICT % {"current": "5"}]
    assert list(Mark.objects.values_list("value", "created_by")) == [(5, w.deputy.pk)]


def test_a_cell_emptied_meanwhile_is_a_conflict(w) -> None:
    """The page showed a mark (version 1) that someone deleted: correcting or clearing it
    is refused with «пусто»."""
    lesson, student = w.lesson(0), w.students[0]
    cell(w, lesson, student, "5")
    cell(w, lesson, student, "", mark_version=1, user=w.deputy)

    correcting = conflict_messages(lambda: cell(w, lesson, student, "4", mark_version=1))
    clearing = conflict_messages(lambda: cell(w, lesson, student, "", mark_version=1))

    assert correcting == clearing == [MSG_CONFLICT % {"current": "пусто"}]
    assert not Mark.objects.exists()


def test_attendance_from_a_stale_page_is_a_conflict(w) -> None:
    """«н» became «б» meanwhile: changing from version 1, or setting as if the cell were
    empty, is refused with «б»; clearing from version 1 too."""
    lesson, student = w.lesson(0), w.students[0]
    attendance = services.set_attendance(
        actor=w.teacher, lesson=lesson, student=student, code="н", expected_version=0
    )
    services.set_attendance(
        actor=w.deputy, lesson=lesson, student=student, code="б", expected_version=1
    )

    def set_code(code, version):
        return lambda: services.set_attendance(
            actor=w.teacher, lesson=lesson, student=student, code=code, expected_version=version
        )

    stale = conflict_messages(set_code("у", 1))
    as_if_empty = conflict_messages(set_code("о", 0))
    clearing = conflict_messages(
        lambda: services.clear_attendance(
            actor=w.teacher, attendance=attendance, expected_version=1
        )
    )

    assert stale == as_if_empty == clearing == [MSG_CONFLICT % {"current": "б"}]
    assert list(Attendance.objects.values_list("code", "version")) == [("б", 2)]


def test_a_lesson_changed_meanwhile_is_a_conflict(w) -> None:
    """A topic saved from an old version of the lesson is refused with the current topic;
    a lesson without a topic shows its type."""
    lesson = w.lesson(0)
    untitled = w.lesson(0, number=2)
    services.update_lesson(actor=w.deputy, lesson=lesson, expected_version=1, topic="Дроби")
    services.update_lesson(actor=w.teacher, lesson=untitled, expected_version=1, room="5")

    titled = conflict_messages(
        lambda: services.update_lesson(
            actor=w.teacher, lesson=lesson, expected_version=1, topic="Уравнения"
        )
    )
    plain = conflict_messages(
        lambda: services.update_lesson(
            actor=w.teacher, lesson=untitled, expected_version=1, topic="Уравнения"
        )
    )

    assert titled == [MSG_CONFLICT % {"current": "Дроби"}]
    assert plain == [MSG_CONFLICT % {"current": "урок"}]
    lesson.refresh_from_db()
    assert (lesson.topic, lesson.version) == ("Дроби", 2)


# --- Two connections, one cell --------------------------------------------------------


def _typing(w, lesson, student, text):
    teacher = User.objects.get(pk=w.teacher.pk)  # each request loads its own user
    return lambda: cell(w, lesson, student, text, user=teacher)


@pytest.mark.django_db(transaction=True)
def test_two_teachers_filling_the_same_empty_cell_cannot_both_win() -> None:
    """Two saves of the same empty cell at the same moment: exactly one mark is saved, the
    other save gets a conflict naming the winner's value, and the history has one entry."""
    w = build_journal_world()
    lesson, student = w.lesson(0), w.students[0]

    results = race([_typing(w, lesson, student, "5"), _typing(w, lesson, student, "4")])

    winners = [r for r in results if isinstance(r, services.CellState)]
    losers = [r for r in results if isinstance(r, Conflict)]
    assert (len(winners), len(losers)) == (1, 1), results
    saved = Mark.objects.get()
    assert winners[0].mark_value == saved.value
    assert losers[0].messages == [MSG_CONFLICT % {"current": str(saved.value)}]
    history = JournalChange.objects.filter(kind="mark")
    assert list(history.values_list("action", "object_id")) == [("create", saved.pk)]


@pytest.mark.django_db(transaction=True)
def test_a_mark_and_an_absence_typed_at_once_cannot_both_stand() -> None:
    """«5» and «н» saved for the same student at the same moment: one is saved, the other is
    refused by the rule that no mark stands beside an absence."""
    w = build_journal_world()
    lesson, student = w.lesson(0), w.students[0]

    results = race([_typing(w, lesson, student, "5"), _typing(w, lesson, student, "н")])

    errors = [r for r in results if isinstance(r, ValidationError)]
    assert len(errors) == 1, results
    has_mark, has_absence = Mark.objects.exists(), Attendance.objects.exists()
    assert has_mark != has_absence
    expected = (
        MSG_ABSENT_WITH_MARK % {"student": student.short_name}
        if has_mark
        else MSG_MARK_WHEN_ABSENT % {"student": student.short_name, "code": "н"}
    )
    assert errors[0].messages == [expected]
    assert JournalChange.objects.count() == 1

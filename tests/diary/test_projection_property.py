"""The diary is a projection of the journal: after any sequence of journal operations
(records, corrections, deletions, lesson moves, enrolment changes...), the live diary equals
a rebuild from scratch."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from diary import services as diary
from diary.models import DiaryEntry
from journal import services as journal
from journal.models import Attendance, Homework, Lesson, Mark, WorkType
from school.models import Enrolment, Student
from school.services import transfer_student
from tests.world import build_world

pytestmark = pytest.mark.django_db

VALUES = st.sampled_from(["2", "3", "4", "5", "5", "н", "б", "у", "о", ""])
LESSONS = st.integers(0, 2)


def school_days_back(count: int) -> list[dt.date]:
    day, days = timezone.localdate(), []
    while len(days) < count:
        if day.isoweekday() <= 5:
            days.append(day)
        day -= dt.timedelta(days=1)
    return days


class JournalMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        world = build_world()
        self.world = world
        self.teacher = world.users["classteacher"]
        self.director = world.users["director"]
        for index, (last, first) in enumerate(
            [("Волков", "Иван"), ("Зайцева", "Мария"), ("Орлов", "Глеб")]
        ):
            student = Student.objects.create(
                school=world.school,
                last_name=last,
                first_name=first,
                gender="m",
                birth_date=dt.date(2015, 1, 1 + index),
            )
            Enrolment.objects.create(
                student=student, school_class=world.class_5a, start=world.year.start
            )
        # Few lessons and students, so that random operations often meet in one cell.
        days = school_days_back(2)
        self.lessons = [
            Lesson.objects.create(
                school=world.school,
                school_class=world.class_5a,
                subject=world.russian,
                teacher=self.teacher,
                date=day,
                number=number,
                status="conducted",
            )
            for day, number in ((days[0], 2), (days[0], 3), (days[1], 2))
        ]
        self.students = list(Student.objects.filter(school=world.school))

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    def _try(self, operation, **kwargs) -> None:
        try:
            with transaction.atomic():
                operation(**kwargs)
        except ValidationError:
            pass  # refused operations change nothing; the invariant still must hold

    @rule(lesson=LESSONS, student=st.integers(0, 3), text=VALUES, column=st.sampled_from([1, 1, 2]))
    def type_into_cell(self, lesson: int, student: int, text: str, column: int) -> None:
        lesson_obj = Lesson.objects.get(pk=self.lessons[lesson].pk)
        person = self.students[student]
        state = journal.cell_state(lesson_obj, column, person)
        self._try(
            journal.set_cell,
            actor=self.teacher,
            lesson=lesson_obj,
            position=column,
            student=person,
            text=text,
            mark_version=state.mark_version,
            attendance_version=state.attendance_version,
        )

    @rule(lesson=LESSONS)
    def add_column(self, lesson: int) -> None:
        work_type = journal.work_type_for(self.world.school.pk, "homework")
        self._try(
            journal.add_mark_column,
            actor=self.teacher,
            lesson=Lesson.objects.get(pk=self.lessons[lesson].pk),
            work_type=work_type,
        )

    @rule(lesson=LESSONS, kind=st.sampled_from(["test", "lesson", "dictation"]))
    def change_lesson_type(self, lesson: int, kind: str) -> None:
        lesson_obj = Lesson.objects.get(pk=self.lessons[lesson].pk)
        self._try(
            journal.update_lesson,
            actor=self.teacher,
            lesson=lesson_obj,
            expected_version=lesson_obj.version,
            lesson_type=kind,
        )

    @rule(lesson=LESSONS, individual=st.integers(-1, 3))
    def give_homework(self, lesson: int, individual: int) -> None:
        self._try(
            journal.assign_homework,
            actor=self.teacher,
            lesson=self.lessons[lesson],
            text="Упр. 125",
            due_date=self.lessons[lesson].date + dt.timedelta(days=1),
            student=self.students[individual] if individual >= 0 else None,
        )

    @rule(data=st.data())
    def edit_or_delete_homework(self, data) -> None:
        homework = list(Homework.objects.filter(school=self.world.school).order_by("pk"))
        if not homework:
            return
        item = data.draw(st.sampled_from(homework))
        if data.draw(st.booleans()):
            self._try(
                journal.update_homework,
                actor=self.teacher,
                homework=item,
                expected_version=item.version,
                text="Упр. 126, правило на с. 40",
            )
        else:
            self._try(
                journal.delete_homework,
                actor=self.teacher,
                homework=item,
                expected_version=item.version,
            )

    @rule(student=st.integers(0, 3), kind=st.sampled_from(["praise", "remark"]))
    def remark(self, student: int, kind: str) -> None:
        self._try(
            journal.add_remark,
            actor=self.teacher,
            student=self.students[student],
            kind=kind,
            text="Активно работал на уроке",
        )

    @rule(student=st.integers(-1, 3))
    def message(self, student: int) -> None:
        if student >= 0:
            self._try(
                journal.send_message,
                actor=self.teacher,
                subject="Собрание",
                text="Завтра в 18:00",
                student=self.students[student],
            )
        else:
            self._try(
                journal.send_message,
                actor=self.teacher,
                subject="Собрание",
                text="Завтра в 18:00",
                school_class=self.world.class_5a,
            )

    @rule(lesson=LESSONS, action=st.sampled_from(["substitute", "cancel", "move"]))
    def change_schedule(self, lesson: int, action: str) -> None:
        lesson_obj = Lesson.objects.get(pk=self.lessons[lesson].pk)
        if action == "substitute":
            self._try(
                journal.substitute_lesson,
                actor=self.director,
                lesson=lesson_obj,
                substitute=self.world.users["teacher"],
                reason="Болезнь учителя",
            )
        elif action == "cancel":
            self._try(
                journal.cancel_lesson, actor=self.director, lesson=lesson_obj, reason="Карантин"
            )
        else:
            self._try(
                journal.move_lesson,
                actor=self.director,
                lesson=lesson_obj,
                new_date=lesson_obj.date,
                new_number=6,
                reason="Олимпиада",
            )

    @rule(student=st.integers(0, 3), days_ago=st.integers(0, 6))
    def change_class(self, student: int, days_ago: int) -> None:
        person = self.students[student]
        current = person.enrolments.order_by("-start").first()
        target = (
            self.world.class_6b
            if current.school_class_id == self.world.class_5a.pk
            else self.world.class_5a
        )
        self._try(
            transfer_student,
            student=person,
            to_class=target,
            on_date=timezone.localdate() - dt.timedelta(days=days_ago),
            actor=self.world.users["secretary"],
        )

    @invariant()
    def diary_equals_rebuild(self) -> None:
        problems = diary.differences(self.world.school.pk)
        assert problems == [], problems


def test_projection_equals_rebuild_after_any_sequence_of_journal_operations() -> None:
    run_state_machine_as_test(
        JournalMachine,
        settings=settings(
            max_examples=40,
            stateful_step_count=15,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )


def test_the_machine_really_exercises_the_journal() -> None:
    """Guards the property test against vacuity: the operations it uses do write."""
    machine = JournalMachine()
    try:
        machine.type_into_cell(lesson=0, student=0, text="5", column=1)
        machine.type_into_cell(lesson=1, student=1, text="н", column=1)
        machine.give_homework(lesson=0, individual=-1)
        machine.message(student=-1)
        assert Mark.objects.count() == 1
        assert Attendance.objects.count() == 1
        assert DiaryEntry.objects.filter(kind="mark").count() == 1
        assert DiaryEntry.objects.filter(kind="homework").count() == 4
        assert DiaryEntry.objects.filter(kind="message").count() == 4
        assert WorkType.objects.filter(school=machine.world.school).exists()
        machine.diary_equals_rebuild()
    finally:
        machine.teardown()

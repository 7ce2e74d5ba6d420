"""Every write to the journal. Views, the API, admin actions and commands call these."""

from .cells import (
    CellState,
    add_mark_column,
    cell_state,
    clear_attendance,
    column_for,
    correct_mark,
    delete_mark,
    outside_scale_message,
    record_mark,
    set_attendance,
    set_cell,
)
from .common import Conflict, locked_period
from .homework import assign_homework, delete_homework, next_lesson, update_homework
from .lessons import (
    add_extra_lesson,
    cancel_lesson,
    move_lesson,
    substitute_lesson,
    tests_on_day,
    update_lesson,
)
from .remarks import add_remark, mark_message_read, send_message
from .timetable import generate_lessons, school_days, why_not_a_school_day
from .work_types import ensure_work_types, work_type_for

__all__ = [
    "CellState",
    "Conflict",
    "add_extra_lesson",
    "add_mark_column",
    "add_remark",
    "assign_homework",
    "cancel_lesson",
    "cell_state",
    "clear_attendance",
    "column_for",
    "correct_mark",
    "delete_homework",
    "delete_mark",
    "ensure_work_types",
    "generate_lessons",
    "locked_period",
    "mark_message_read",
    "move_lesson",
    "next_lesson",
    "outside_scale_message",
    "record_mark",
    "school_days",
    "send_message",
    "set_attendance",
    "set_cell",
    "substitute_lesson",
    "tests_on_day",
    "update_homework",
    "update_lesson",
    "why_not_a_school_day",
    "work_type_for",
]

"""The teacher's journal pages. Each view parses with a form, calls one service (or one
selector), and renders a page or its partial; access goes through ``school.access`` and
``journal.access``."""

from .classes import class_journals, class_messages, test_schedule
from .day import my_day
from .files import attachment
from .grid import cell, cell_history, grid
from .lesson import (
    column_add,
    homework_add,
    homework_delete,
    homework_edit,
    lesson_cancel,
    lesson_history,
    lesson_move,
    lesson_page,
    lesson_substitute,
    lesson_update,
    remark_add,
)

__all__ = [
    "attachment",
    "cell",
    "cell_history",
    "class_journals",
    "class_messages",
    "column_add",
    "grid",
    "homework_add",
    "homework_delete",
    "homework_edit",
    "lesson_cancel",
    "lesson_history",
    "lesson_move",
    "lesson_page",
    "lesson_substitute",
    "lesson_update",
    "my_day",
    "remark_add",
    "test_schedule",
]

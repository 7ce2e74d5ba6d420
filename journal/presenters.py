"""How the journal's pages show things: cells, lesson-type badges, history lines.

No queries and no rules here: only turning what selectors and services return into what
templates print.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from journal.models import (
    ChangeAction,
    ChangeKind,
    JournalChange,
    Lesson,
    LessonStatus,
    LessonType,
    RemarkKind,
)

# The small badge over a grid column and in lesson lists («К/р» for a test).
LESSON_TYPE_SHORT = {
    LessonType.TEST: gettext_lazy("К/р"),
    LessonType.INDEPENDENT: gettext_lazy("С/р"),
    LessonType.CHECK: gettext_lazy("П/р"),
    LessonType.LAB: gettext_lazy("Лаб"),
    LessonType.PRACTICAL: gettext_lazy("Пр"),
    LessonType.DICTATION: gettext_lazy("Дикт"),
    LessonType.ESSAY: gettext_lazy("Соч"),
    LessonType.PRESENTATION: gettext_lazy("Изл"),
    LessonType.CREDIT: gettext_lazy("Зач"),
    LessonType.TESTING: gettext_lazy("Тест"),
    LessonType.DIAGNOSTIC: gettext_lazy("Диаг"),
    LessonType.PROJECT: gettext_lazy("Пр-т"),
    LessonType.EXAM: gettext_lazy("Экз"),
}

EMPTY = gettext_lazy("(пусто)")


def lesson_type_short(lesson_type: str) -> str:
    return str(LESSON_TYPE_SHORT.get(lesson_type, ""))


@dataclass
class CellView:
    """One grid cell (a lesson's mark column × a student) as the cell partial draws it.

    ``code`` is the lesson's attendance letter, drawn in the lesson's first column only;
    ``av`` (its version) travels with every cell of the lesson. ``typed`` is what the
    teacher typed when the save was refused: the cell keeps it, marked red."""

    student_id: int
    lesson_id: int
    position: int
    mark: int | None = None
    mv: int = 0
    code: str | None = None
    av: int = 0
    enrolled: bool = True
    editable: bool = False
    state: str = ""  # "", "saved", "error"
    message: str = ""
    typed: str | None = None
    first: bool = True
    navigable: bool = False  # in an editing grid every cell takes the keyboard focus
    oob: bool = False  # sent out of band with another cell's answer

    @property
    def dom_id(self) -> str:
        return f"c{self.student_id}-{self.lesson_id}-{self.position}"

    def html(self) -> SafeString:
        """The cell's ``<td>``. A grid draws up to a few thousand cells and Django's
        template language costs about 0.1 ms for each with this many conditions, so the
        markup is built here once; the partial ``journal/grid.html#cell`` prints it, for
        the page and for the answer to a save alike."""
        classes = ["jc"]
        if not self.enrolled:
            classes.append("jc--off")
        if self.state:
            classes.append(f"jc--{self.state}")
        if not self.first:
            classes.append("jc--extra")
        attrs = ""
        if self.editable:
            attrs = (
                f' tabindex="-1" data-l="{self.lesson_id}" data-p="{self.position}"'
                f' data-mv="{self.mv}" data-av="{self.av}"'
            )
        elif self.navigable:
            attrs = ' tabindex="-1"'
        if self.message:
            message = escape(self.message)
            attrs += f' title="{message}" data-message="{message}"'
        elif not self.enrolled:
            attrs += f' title="{escape(_("Не учился в классе в этот день"))}"'
        if self.typed is not None:
            inner = f'<span class="jc__typed">{escape(self.typed)}</span>'
        elif self.mark is not None:
            inner = f'<span class="mark mark--{self.mark}">{self.mark}</span>'
            if self.code == "о":
                inner += f'<span class="absence absence--late" title="{_("опоздал")}">о</span>'
        elif self.code:
            inner = f'<span class="absence">{escape(self.code)}</span>'
        else:
            inner = ""
        if self.oob:
            attrs += ' hx-swap-oob="true"'
        # Every value above is an int, a fixed string or escaped.
        return mark_safe(f'<td id="{self.dom_id}" class="{" ".join(classes)}"{attrs}>{inner}</td>')

    @property
    def text(self) -> str:
        if self.typed is not None:
            return self.typed
        if self.mark is not None:
            return str(self.mark)
        return self.code or ""


def cell_from_grid(grid_cell, *, student_id: int, editable: bool) -> CellView:
    """From ``journal.selectors.GridCell``."""
    column = grid_cell.column
    attendance = grid_cell.attendance
    return CellView(
        student_id=student_id,
        lesson_id=column.lesson.pk,
        position=column.position,
        mark=grid_cell.mark.value if grid_cell.mark is not None else None,
        mv=grid_cell.mark.version if grid_cell.mark is not None else 0,
        code=attendance.code if attendance is not None and column.first_of_lesson else None,
        av=attendance.version if attendance is not None else 0,
        enrolled=grid_cell.enrolled,
        editable=editable and grid_cell.enrolled,
        first=column.first_of_lesson,
        navigable=editable,
    )


def cell_from_state(
    state, *, student_id: int, lesson_id: int, position: int, first: bool = True
) -> CellView:
    """From ``journal.services.CellState`` (what a save leaves in the cell)."""
    return CellView(
        student_id=student_id,
        lesson_id=lesson_id,
        position=position,
        mark=state.mark_value,
        mv=state.mark_version,
        code=state.attendance_code if first else None,
        av=state.attendance_version,
        editable=True,
        first=first,
    )


# --- History ---------------------------------------------------------------------------

FIELD_LABELS = {
    "topic": gettext_lazy("тема"),
    "lesson_type": gettext_lazy("тип урока"),
    "status": gettext_lazy("состояние"),
    "teacher": gettext_lazy("учитель"),
    "substitute": gettext_lazy("замена"),
    "room": gettext_lazy("кабинет"),
    "date": gettext_lazy("дата"),
    "number": gettext_lazy("номер урока"),
    "text": gettext_lazy("текст"),
    "due_date": gettext_lazy("срок"),
    "student": gettext_lazy("для"),
    "files": gettext_lazy("файлы"),
    "column": gettext_lazy("колонка"),
    "work_type": gettext_lazy("вид работы"),
    "weight": gettext_lazy("вес"),
    "comment": gettext_lazy("комментарий"),
    "reason": gettext_lazy("пояснение"),
    "kind": gettext_lazy("вид"),
    "subject": gettext_lazy("тема"),
    "to": gettext_lazy("кому"),
}


def _value_text(key: str, value: Any) -> str:
    if value is None or value == "" or value == []:
        return str(EMPTY)
    if key == "lesson_type" and value in LessonType.values:
        return str(LessonType(value).label)
    if key == "status" and value in LessonStatus.values:
        return str(LessonStatus(value).label)
    if key == "kind" and value in RemarkKind.values:
        return str(RemarkKind(value).label)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    text = str(value)
    return text if len(text) <= 120 else text[:117] + "…"


@dataclass
class ChangeLine:
    """One history entry in words: «Отметка: 5 → 4», who, when and why."""

    at: dt.datetime
    actor: str
    what: str
    student: str
    main: str  # «5 → 4» for cells; empty for other kinds
    details: list[str] = field(default_factory=list)
    reason: str = ""


def describe_change(change: JournalChange) -> ChangeLine:
    old, new = change.old or {}, change.new or {}
    what = str(ChangeKind(change.kind).label).capitalize()
    student = change.student.short_name if change.student_id and change.student else ""
    main = ""
    details: list[str] = []
    if change.kind == ChangeKind.MARK:
        before = str(old["value"]) if "value" in old else str(EMPTY)
        after = str(new["value"]) if "value" in new else str(EMPTY)
        main = f"{before} → {after}"
        snapshot = new or old
        if snapshot.get("work_type"):
            details.append(
                _("%(work)s, вес %(weight)s")
                % {"work": snapshot["work_type"], "weight": snapshot.get("weight", 1)}
            )
        if (new or {}).get("column", 1) != 1:
            details.append(_("колонка %(n)s") % {"n": new["column"]})
    elif change.kind == ChangeKind.ATTENDANCE:
        before = old.get("code") or str(EMPTY)
        after = new.get("code") or str(EMPTY)
        main = f"{before} → {after}"
    elif change.action == ChangeAction.CREATE:
        details = [
            f"{FIELD_LABELS.get(k, k)}: {_value_text(k, v)}"
            for k, v in new.items()
            if v not in (None, "", [])
        ]
        main = str(ChangeAction(change.action).label)
    elif change.action == ChangeAction.DELETE:
        details = [
            f"{FIELD_LABELS.get(k, k)}: {_value_text(k, v)}"
            for k, v in old.items()
            if v not in (None, "", [])
        ]
        main = str(ChangeAction(change.action).label)
    else:
        for key in [*new.keys(), *(k for k in old if k not in new)]:
            if old.get(key) != new.get(key):
                details.append(
                    f"{FIELD_LABELS.get(key, key)}: {_value_text(key, old.get(key))} → "
                    f"{_value_text(key, new.get(key))}"
                )
        if not old and new:  # a mark column added to a lesson
            details = [
                _("добавлена колонка отметок: %(work)s, вес %(weight)s")
                % {"work": new.get("work_type", ""), "weight": new.get("weight", 1)}
            ]
        main = str(ChangeAction(change.action).label)
    return ChangeLine(
        at=change.at,
        actor=change.actor.short_name,
        what=what,
        student=student,
        main=main,
        details=details,
        reason=change.reason,
    )


def lesson_where(lesson: Lesson) -> str:
    """«30.11, 3-й урок»: where a moved lesson went."""
    return _("%(date)s, %(n)s-й урок") % {"date": lesson.date.strftime("%d.%m"), "n": lesson.number}

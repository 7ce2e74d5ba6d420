"""The lesson page: what happened at one lesson, and every form that changes it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from journal import access as lesson_access
from journal import selectors, services
from journal.forms import (
    CancelForm,
    HomeworkEditForm,
    HomeworkForm,
    LessonForm,
    MarkColumnForm,
    MessageForm,
    MoveForm,
    RemarkForm,
    SubstituteForm,
    VersionForm,
)
from journal.models import AttendanceCode, Homework, Lesson
from journal.modes import edit_mode
from journal.presenters import describe_change, lesson_where
from school import access, params
from school.models import Student

from .common import add_service_error, messages_of, with_edit

ATTENDANCE_OPTIONS = [
    ("", "—"),
    (AttendanceCode.ABSENT, "н"),
    (AttendanceCode.ILL, "б"),
    (AttendanceCode.EXCUSED, "у"),
    (AttendanceCode.LATE, "о"),
]


@dataclass
class MarkSlot:
    position: int
    label: str
    value: str
    version: int


@dataclass
class SheetRowView:
    number: int
    student: Student
    attendance: str
    av: int
    marks: list[MarkSlot] = field(default_factory=list)
    state: str = ""
    message: str = ""
    error_field: str = ""


def _sheet_row_view(row: selectors.SheetRow) -> SheetRowView:
    return SheetRowView(
        number=row.number,
        student=row.student,
        attendance=row.attendance.code if row.attendance else "",
        av=row.attendance.version if row.attendance else 0,
        marks=[
            MarkSlot(
                position=position,
                label=(column.title or column.work_type.name) if column else "",
                value=str(mark.value) if mark else "",
                version=mark.version if mark else 0,
            )
            for column, position, mark in row.marks
        ],
    )


@dataclass
class LessonMode:
    """What this person may do on this lesson's page right now."""

    may_edit: bool  # the services would let them write
    editing: bool  # the forms are shown (the leadership asks for it with «Исправить»)
    cells: bool  # attendance and marks can be changed (closed periods: the director only)
    needs_reason: bool
    can_switch: bool
    schedule: bool  # substitution, move, cancellation
    locked_by: object | None
    graded: bool
    mark_scale: tuple[int, ...]  # the school's marks, best first (``School.mark_scale``)


def _mode(request: HttpRequest, lesson: Lesson) -> LessonMode:
    user = request.user
    may_edit = lesson_access.can_edit_lesson(user, lesson)
    own = user.pk in (lesson.teacher_id, lesson.substitute_id) or (
        may_edit and access.journal_rights(user, lesson.school_class, lesson.subject).teaches
    )
    mode = edit_mode(
        user,
        lesson.school_class,
        lesson.date,
        may_edit=may_edit,
        own=own,
        edit_requested=params.query_flag(request.GET, "edit"),
        active=lesson.is_active,
    )
    director = access.can_close_period(user, lesson.school_id)
    return LessonMode(
        may_edit=may_edit,
        editing=mode.editing,
        cells=mode.editing,
        needs_reason=mode.needs_reason,
        can_switch=mode.can_switch and not mode.editing,
        schedule=lesson.is_active
        and lesson_access.can_change_schedule(user, lesson)
        and (mode.locked_by is None or director),
        locked_by=mode.locked_by,
        graded=lesson.school_class.is_graded and lesson.subject.is_graded,
        mark_scale=lesson.school_class.school.mark_scale,
    )


def _students(rows) -> object:
    return Student.objects.filter(pk__in=[r.student.pk for r in rows]).order_by(
        "last_name", "first_name", "middle_name"
    )


def _lesson_url(request: HttpRequest, lesson: Lesson) -> str:
    return with_edit(
        reverse("journal:lesson", args=[lesson.pk]), params.query_flag(request.GET, "edit")
    )


def _page(request: HttpRequest, lesson: Lesson, *, status: int = 200, **bound: Form):
    mode = _mode(request, lesson)
    sheet = selectors.lesson_sheet(lesson)
    students = _students(sheet)
    next_lesson = services.next_lesson(lesson)
    given, due = selectors.homework_of_lesson(lesson)
    school_id = lesson.school_id
    columns = list(lesson.columns.select_related("work_type").order_by("position"))
    forms = {
        "lesson_form": LessonForm(
            initial={
                "topic": lesson.topic,
                "lesson_type": lesson.lesson_type,
                "room": lesson.room,
                "conducted": lesson.status == "conducted",
                "version": lesson.version,
            }
        ),
        # The school's work types are made by its first mark (a write), never by a GET:
        # until then there is nothing to choose for a second column.
        "column_form": MarkColumnForm(school_id=school_id),
        "homework_form": HomeworkForm(
            students=students, next_lesson_date=next_lesson.date if next_lesson else None
        ),
        "remark_form": RemarkForm(students=students),
        "substitute_form": SubstituteForm(
            school_id=school_id, initial={"substitute": lesson.substitute_id}
        ),
        "move_form": MoveForm(initial={"new_number": lesson.number}),
        "cancel_form": CancelForm(),
        "message_form": MessageForm(
            school_class=lesson.school_class, students=[r.student for r in sheet]
        ),
    }
    forms.update(bound)
    context = {
        "lesson": lesson,
        "school_class": lesson.school_class,
        "subject": lesson.subject,
        "mode": mode,
        "rows": [_sheet_row_view(row) for row in sheet],
        "columns": columns,
        "slot_labels": [c.title or c.work_type.short_name or c.work_type.name for c in columns]
        or [_("Отметка")],
        "attendance_options": ATTENDANCE_OPTIONS,
        "mark_options": _mark_options(mode.mark_scale),
        "given": given,
        "due": due,
        "remarks": list(selectors.lesson_remarks(lesson)),
        "next_lesson": next_lesson,
        "edit_suffix": "?edit=1" if params.query_flag(request.GET, "edit") else "",
        "can_write_parents": access.can_view_class_journals(request.user, lesson.school_class),
        "moved_to": lesson_where(lesson.moved_to) if lesson.moved_to_id else "",
        "work_types_ready": forms["column_form"].fields["work_type"].queryset.exists(),
        **forms,
    }
    return render(request, "journal/lesson.html", context, status=status)


def _mark_options(scale: tuple[int, ...]) -> list[str]:
    return [str(value) for value in scale]


@require_GET
def lesson_page(request: HttpRequest, lesson_id: int) -> HttpResponse:
    lesson = lesson_access.lesson_for_viewer_or_404(request.user, lesson_id)
    return _page(request, lesson)


def render_sheet_row(
    request: HttpRequest,
    lesson: Lesson,
    student: Student,
    *,
    status: int,
    message: str,
    field: str,
    typed: str | None,
) -> HttpResponse:
    """One student's row of the lesson page after a save (the same cell endpoint as the
    grid); on a refusal the chosen value stays selected, marked, with the message."""
    rows = selectors.lesson_sheet(lesson, student_id=student.pk)
    if not rows:
        return HttpResponse(message or _("Обучающегося нет в этом уроке."), status=422)
    row = _sheet_row_view(rows[0])
    row.state = "saved" if status == 200 else "error"
    row.message = message
    if status != 200 and typed is not None:
        row.error_field = field
        if field == "att":
            row.attendance = typed
        else:
            for slot in row.marks:
                if str(slot.position) == field:
                    slot.value = typed
    mode = _mode(request, lesson)
    context = {
        "lesson": lesson,
        "row": row,
        "mode": mode,
        "attendance_options": ATTENDANCE_OPTIONS,
        "mark_options": _mark_options(mode.mark_scale),
    }
    return render(request, "journal/lesson.html#student-row", context, status=status)


# --- Forms posted from the lesson page ----------------------------------------------------


def _post(
    request: HttpRequest,
    lesson: Lesson,
    *,
    key: str,
    form: Form,
    act: Callable[[dict], object],
    done: Callable[[object], str],
    redirect_to: Callable[[object], str] | None = None,
) -> HttpResponse:
    """Parse, call one service, go back to the lesson page; on a refusal show the page
    again with the form as typed and the service's message (status 422)."""
    if form.is_valid():
        try:
            result = act(form.cleaned_data)
        except services.Conflict as conflict:
            add_service_error(form, conflict)
            if "version" in form.fields:  # let a second «Сохранить» overwrite knowingly
                data = form.data.copy()
                data["version"] = str(Lesson.objects.get(pk=lesson.pk).version)
                form.data = data
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, done(result))
            url = redirect_to(result) if redirect_to else _lesson_url(request, lesson)
            return redirect(url)
    return _page(request, lesson, status=422, **{key: form})


def _editable_lesson(request: HttpRequest, lesson_id: int) -> Lesson:
    lesson = lesson_access.lesson_for_viewer_or_404(request.user, lesson_id)
    if not lesson_access.can_edit_lesson(request.user, lesson):
        raise PermissionDenied
    return lesson


@require_POST
def lesson_update(request: HttpRequest, lesson_id: int) -> HttpResponse:
    lesson = _editable_lesson(request, lesson_id)
    return _post(
        request,
        lesson,
        key="lesson_form",
        form=LessonForm(request.POST),
        act=lambda d: services.update_lesson(
            actor=request.user,
            lesson=lesson,
            expected_version=d["version"],
            topic=d["topic"],
            lesson_type=d["lesson_type"],
            conducted=d["conducted"],
            room=d["room"],
        ),
        done=lambda _lesson: _("Урок сохранён."),
    )


@require_POST
def column_add(request: HttpRequest, lesson_id: int) -> HttpResponse:
    lesson = _editable_lesson(request, lesson_id)
    return _post(
        request,
        lesson,
        key="column_form",
        form=MarkColumnForm(request.POST, school_id=lesson.school_id),
        act=lambda d: services.add_mark_column(
            actor=request.user,
            lesson=lesson,
            work_type=d["work_type"],
            weight=d["weight"],
            title=d["title"],
        ),
        done=lambda column: (
            _("Добавлена колонка отметок: %(name)s, вес %(weight)s.")
            % {"name": column.title or column.work_type.name, "weight": column.effective_weight}
        ),
    )


@require_POST
def homework_add(request: HttpRequest, lesson_id: int) -> HttpResponse:
    lesson = _editable_lesson(request, lesson_id)
    students = _students(selectors.lesson_sheet(lesson))
    return _post(
        request,
        lesson,
        key="homework_form",
        form=HomeworkForm(request.POST, request.FILES, students=students),
        act=lambda d: services.assign_homework(
            actor=request.user,
            lesson=lesson,
            text=d["text"],
            due_date=d["due_date"],
            student=d["student"],
            files=d["files"],
        ),
        done=lambda homework: (
            _("Задание записано к %(date)s.") % {"date": homework.due_date.strftime("%d.%m.%Y")}
        ),
    )


def _homework_for_editor(request: HttpRequest, homework_id: int) -> Homework:
    homework = get_object_or_404(Homework.objects.select_related("lesson"), pk=homework_id)
    lesson = lesson_access.lesson_for_viewer_or_404(request.user, homework.lesson_id)
    if not lesson_access.can_edit_lesson(request.user, lesson):
        raise PermissionDenied
    homework.lesson = lesson
    return homework


@require_http_methods(["GET", "POST"])
def homework_edit(request: HttpRequest, homework_id: int) -> HttpResponse:
    homework = _homework_for_editor(request, homework_id)
    lesson = homework.lesson
    attachments = homework.attachments.all()
    initial = {"text": homework.text, "due_date": homework.due_date, "version": homework.version}
    form = HomeworkEditForm(
        request.POST or None, request.FILES or None, attachments=attachments, initial=initial
    )
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.update_homework(
                    actor=request.user,
                    homework=homework,
                    expected_version=data["version"],
                    text=data["text"],
                    due_date=data["due_date"],
                    files=data["files"],
                    remove_attachment_ids=[a.pk for a in data["remove"]],
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Задание изменено."))
                return redirect(_lesson_url(request, lesson))
    context = {"homework": homework, "lesson": lesson, "form": form}
    return render(request, "journal/homework_edit.html", context, status=status)


@require_POST
def homework_delete(request: HttpRequest, homework_id: int) -> HttpResponse:
    homework = _homework_for_editor(request, homework_id)
    lesson = homework.lesson
    form = VersionForm(request.POST)
    if form.is_valid():
        try:
            services.delete_homework(
                actor=request.user, homework=homework, expected_version=form.cleaned_data["version"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(messages_of(error)))
        else:
            messages.success(request, _("Задание удалено."))
    else:
        messages.error(request, _("Не удалось удалить: страница устарела. Обновите её."))
    return redirect(_lesson_url(request, lesson))


@require_POST
def remark_add(request: HttpRequest, lesson_id: int) -> HttpResponse:
    lesson = _editable_lesson(request, lesson_id)
    students = _students(selectors.lesson_sheet(lesson))
    return _post(
        request,
        lesson,
        key="remark_form",
        form=RemarkForm(request.POST, students=students),
        act=lambda d: services.add_remark(
            actor=request.user, student=d["student"], kind=d["kind"], text=d["text"], lesson=lesson
        ),
        done=lambda remark: (
            _("Запись «%(kind)s» для %(name)s сохранена.")
            % {"kind": remark.get_kind_display(), "name": remark.student.short_name}
        ),
    )


def _schedulable_lesson(request: HttpRequest, lesson_id: int) -> Lesson:
    lesson = lesson_access.lesson_for_viewer_or_404(request.user, lesson_id)
    if not lesson_access.can_change_schedule(request.user, lesson):
        raise PermissionDenied
    return lesson


@require_POST
def lesson_substitute(request: HttpRequest, lesson_id: int) -> HttpResponse:
    lesson = _schedulable_lesson(request, lesson_id)
    return _post(
        request,
        lesson,
        key="substitute_form",
        form=SubstituteForm(request.POST, school_id=lesson.school_id),
        act=lambda d: services.substitute_lesson(
            actor=request.user, lesson=lesson, substitute=d["substitute"], reason=d["reason"]
        ),
        done=lambda result: (
            _("Замена назначена: %(name)s.") % {"name": result.substitute.short_name}
            if result.substitute_id
            else _("Замена снята: урок ведёт %(name)s.") % {"name": result.teacher.short_name}
        ),
    )


@require_POST
def lesson_move(request: HttpRequest, lesson_id: int) -> HttpResponse:
    lesson = _schedulable_lesson(request, lesson_id)
    return _post(
        request,
        lesson,
        key="move_form",
        form=MoveForm(request.POST),
        act=lambda d: services.move_lesson(
            actor=request.user,
            lesson=lesson,
            new_date=d["new_date"],
            new_number=d["new_number"],
            reason=d["reason"],
        ),
        done=lambda new: _("Урок перенесён на %(where)s.") % {"where": lesson_where(new)},
        redirect_to=lambda new: reverse("journal:lesson", args=[new.pk]),
    )


@require_POST
def lesson_cancel(request: HttpRequest, lesson_id: int) -> HttpResponse:
    lesson = _schedulable_lesson(request, lesson_id)
    return _post(
        request,
        lesson,
        key="cancel_form",
        form=CancelForm(request.POST),
        act=lambda d: services.cancel_lesson(actor=request.user, lesson=lesson, reason=d["reason"]),
        done=lambda _lesson: _("Урок отменён."),
    )


@require_GET
def lesson_history(request: HttpRequest, lesson_id: int) -> HttpResponse:
    """Everything that changed at this lesson: the lesson itself, marks, attendance,
    homework, remarks; who, when, from what to what, why."""
    lesson = lesson_access.lesson_for_viewer_or_404(request.user, lesson_id)
    changes = [describe_change(c) for c in selectors.lesson_history(lesson)[:500]]
    return render(request, "journal/lesson_history.html", {"lesson": lesson, "changes": changes})

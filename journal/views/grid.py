"""The class journal grid (students × lesson columns) and the save of one cell."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from journal import access as lesson_access
from journal import selectors, services
from journal.forms import CellForm
from journal.models import Attendance, Lesson, LessonType
from journal.modes import edit_mode
from journal.presenters import (
    CellView,
    cell_from_grid,
    cell_from_state,
    describe_change,
    lesson_type_short,
)
from school import access, params
from school.models import Period, SchoolClass, Student, StudyGroup, Subject, TeachingAssignment

from .common import messages_of
from .lesson import render_sheet_row

# Sentinels reversed into URL templates that the grid's script fills in per cell.
_LESSON, _STUDENT, _POSITION = 990000001, 990000002, 990000003

MSG_BAD_REQUEST = gettext_lazy("Не удалось сохранить: страница устарела. Обновите её (F5).")


@dataclass
class HeaderView:
    lesson: Lesson
    position: int
    first: bool
    badge: str
    label: str  # the extra column's title or work type
    weight: int | None  # shown when it is not 1
    substitute: str
    future: bool
    current: bool
    title: str


def _headers(grid, today: dt.date) -> list[HeaderView]:
    current = -1
    for index, column in enumerate(grid.columns):
        if column.lesson.date <= today:
            current = index
    headers = []
    for index, column in enumerate(grid.columns):
        lesson = column.lesson
        work = column.column.work_type if column.column is not None else None
        weight = column.column.effective_weight if column.column is not None else None
        label = ""
        if not column.first_of_lesson and column.column is not None:
            label = column.column.title or work.short_name or work.name
        title_parts = [
            _("%(date)s, %(n)s-й урок") % {"date": f"{lesson.date:%d.%m.%Y}", "n": lesson.number},
        ]
        if lesson.lesson_type != LessonType.LESSON:
            title_parts.append(lesson.get_lesson_type_display())
        if work is not None:
            title_parts.append(
                _("%(work)s, вес %(weight)s") % {"work": work.name, "weight": weight}
            )
        if lesson.topic:
            title_parts.append(lesson.topic)
        if lesson.substitute_id:
            title_parts.append(_("замена: %(name)s") % {"name": lesson.substitute.short_name})
        headers.append(
            HeaderView(
                lesson=lesson,
                position=column.position,
                first=column.first_of_lesson,
                badge=lesson_type_short(lesson.lesson_type) if column.first_of_lesson else "",
                label=label,
                weight=weight if weight and weight != 1 else None,
                substitute=lesson.substitute.short_name if lesson.substitute_id else "",
                future=lesson.date > today,
                current=index == current,
                title=" · ".join(str(p) for p in title_parts),
            )
        )
    return headers


def _pick_group(
    request: HttpRequest, school_class: SchoolClass, subject: Subject, wanted: int | None
) -> tuple[list[StudyGroup], StudyGroup | None]:
    if not subject.group_count:
        if wanted:
            raise Http404("Группа не найдена")
        return [], None
    groups = list(
        StudyGroup.objects.filter(school_class=school_class, subject=subject).order_by("name")
    )
    if wanted:
        group = next((g for g in groups if g.pk == wanted), None)
        if group is None:
            raise Http404("Группа не найдена")
        return groups, group
    if groups and "group" not in request.GET:  # a subgroup teacher opens on their group
        own = set(
            TeachingAssignment.objects.filter(
                teacher=request.user,
                school_class=school_class,
                subject=subject,
                group__isnull=False,
            ).values_list("group_id", flat=True)
        )
        group = next((g for g in groups if g.pk in own), None)
        return groups, group
    return groups, None


def _pick_period(periods: list[Period], wanted: int | None, today: dt.date) -> Period | None:
    if wanted:
        period = next((p for p in periods if p.pk == wanted), None)
        if period is None:
            raise Http404("Период не найден")
        return period
    return selectors.period_on(periods, today)


@require_GET
def grid(request: HttpRequest, class_id: int, subject_id: int) -> HttpResponse:
    """The journal of a class in a subject for a period: marks, absences, averages."""
    user = request.user
    school_class = access.class_for_viewer_or_404(user, class_id)
    subject = get_object_or_404(
        Subject.objects.annotate(  # whether the class learns it in groups: no extra query
            group_count=Count("groups", filter=Q(groups__school_class=school_class))
        ),
        pk=subject_id,
        school_id=school_class.school_id,
    )
    rights = access.journal_rights(user, school_class, subject)
    if not rights.view:
        raise PermissionDenied
    groups, group = _pick_group(
        request, school_class, subject, params.query_id(request.GET, "group")
    )
    periods, _year = selectors.assessment_periods(school_class)
    today = school_class.school.local_today()
    period = _pick_period(periods, params.query_id(request.GET, "period"), today)

    viewer = access.viewer_for(user)
    edit_requested = params.query_flag(request.GET, "edit")
    mode = edit_mode(
        user,
        school_class,
        period.start if period is not None else today,
        may_edit=rights.edit,
        own=rights.teaches,
        edit_requested=edit_requested,
    )
    locked_by, editable, can_switch = mode.locked_by, mode.editing, mode.can_switch

    grid_data = selectors.journal_grid(
        school_class=school_class, subject=subject, period=period, group=group, periods=periods
    )
    rows = [
        (
            row,
            [
                cell_from_grid(cell, student_id=row.student.pk, editable=editable)
                for cell in row.cells
            ],
        )
        for row in grid_data.rows
    ]
    cell_url = reverse(
        "journal:cell",
        kwargs={"lesson_id": _LESSON, "student_id": _STUDENT, "position": _POSITION},
    )
    history_url = reverse(
        "journal:cell_history", kwargs={"lesson_id": _LESSON, "student_id": _STUDENT}
    )

    def placeholders(url: str) -> str:
        return (
            url.replace(str(_LESSON), "{lesson}")
            .replace(str(_STUDENT), "{student}")
            .replace(str(_POSITION), "{position}")
        )

    context = {
        "school_class": school_class,
        "subject": subject,
        "grid": grid_data,
        "rows": rows,
        "headers": _headers(grid_data, today),
        "groups": groups,
        "group": group,
        "periods": periods,
        "period": period,
        "locked_by": locked_by,
        "editable": editable,
        "can_switch": can_switch,
        "edit_requested": edit_requested,
        "needs_reason": mode.needs_reason,
        "rights": rights,
        "is_leadership": viewer.is_leadership(school_class.school_id),
        "cell_url": placeholders(cell_url),
        "history_url": placeholders(history_url),
        "today": today,
        "mark_scale": school_class.school.mark_scale,
        "marks_hint": services.outside_scale_message(school_class.school.mark_scale),
    }
    return render(request, "journal/grid.html", context)


def _clear_attendance(*, request, lesson, student, version: int, reason: str) -> None:
    """The lesson page's attendance list set to «был»: remove the attendance entry only
    (an empty grid cell clears its mark first, which is not what was asked)."""
    attendance = Attendance.objects.filter(lesson=lesson, student=student).first()
    if attendance is None:
        if version:
            raise services.Conflict("")
        return
    services.clear_attendance(
        actor=request.user, attendance=attendance, expected_version=version, reason=reason
    )


@require_POST
def cell(request: HttpRequest, lesson_id: int, student_id: int, position: int) -> HttpResponse:
    """Save what was typed into one cell; answer with the cell re-rendered (and, for the
    grid, the row's average and absences out of band). A refusal answers 422 with the
    cell still showing what was typed, marked red, and the service's message."""
    lesson = lesson_access.lesson_for_viewer_or_404(request.user, lesson_id)
    if not lesson_access.can_edit_lesson(request.user, lesson):
        raise PermissionDenied
    student = get_object_or_404(Student, pk=student_id, school_id=lesson.school_id)
    form = CellForm(request.POST)
    in_lesson_page = request.POST.get("view") == "lesson"
    status, message, typed, state = 200, "", None, None
    if not form.is_valid():
        status, message, typed = 422, str(MSG_BAD_REQUEST), request.POST.get("text", "")[:3]
    else:
        data = form.cleaned_data
        try:
            if data["kind"] == "attendance" and not data["text"]:
                _clear_attendance(
                    request=request,
                    lesson=lesson,
                    student=student,
                    version=data["attendance_version"],
                    reason=data["reason"],
                )
                state = services.cell_state(lesson, position, student)
            else:
                state = services.set_cell(
                    actor=request.user,
                    lesson=lesson,
                    position=position,
                    student=student,
                    text=data["text"],
                    mark_version=data["mark_version"],
                    attendance_version=data["attendance_version"],
                    reason=data["reason"],
                )
        except services.Conflict as conflict:
            # Someone else changed it: show what is there now, with the message.
            status, message = 422, " ".join(messages_of(conflict))
        except ValidationError as error:
            status, message, typed = 422, " ".join(messages_of(error)), data["text"]
    if in_lesson_page:
        return render_sheet_row(
            request,
            lesson,
            student,
            status=status,
            message=message,
            field=("att" if request.POST.get("kind") == "attendance" else str(position)),
            typed=typed,
        )
    return _render_cell(
        request,
        lesson=lesson,
        student=student,
        position=position,
        state=state,
        status=status,
        message=message,
        typed=typed,
        form=form,
    )


def _render_cell(
    request, *, lesson, student, position, state, status, message, typed, form
) -> HttpResponse:
    if state is None:
        if typed is not None and form.is_valid():
            # Refused: nothing changed, so the page's versions still hold.
            current = services.CellState(
                mark_value=None,
                mark_version=form.cleaned_data["mark_version"],
                attendance_code=None,
                attendance_version=form.cleaned_data["attendance_version"],
            )
        else:
            current = services.cell_state(lesson, position, student)
    else:
        current = state
    view = cell_from_state(
        current,
        student_id=student.pk,
        lesson_id=lesson.pk,
        position=position,
        first=position == 1,
    )
    view.state = "error" if status != 200 else "saved"
    view.message = message
    view.typed = typed
    context: dict = {"cell": view, "lesson": lesson}
    if position != 1 and status == 200:
        # Attendance is drawn in the lesson's first column: refresh it too.
        context["first_cell"] = cell_from_state(
            services.cell_state(lesson, 1, student),
            student_id=student.pk,
            lesson_id=lesson.pk,
            position=1,
        )
        context["first_cell"].oob = True
    if status == 200 and request.POST.get("summary"):
        periods, _year = selectors.assessment_periods(lesson.school_class)
        period = selectors.period_on(periods, lesson.date)
        year = lesson.school_class.year
        in_period = period is not None and period.start <= lesson.date <= period.end
        context["summary"] = selectors.row_summary(
            school_class=lesson.school_class,
            subject=lesson.subject,
            group=lesson.group,
            student=student,
            start=period.start if in_period else year.start,
            end=period.end if in_period else year.end,
        )
        context["student_id"] = student.pk
        context["graded"] = lesson.school_class.is_graded and lesson.subject.is_graded
    return render(request, "journal/grid.html#cell-response", context, status=status)


@require_GET
def cell_history(request: HttpRequest, lesson_id: int, student_id: int) -> HttpResponse:
    """Who changed this student's marks and attendance at this lesson, when, from what to
    what and why. A side panel of the grid (htmx) or a page of its own."""
    lesson = lesson_access.lesson_for_viewer_or_404(request.user, lesson_id)
    student = get_object_or_404(Student, pk=student_id, school_id=lesson.school_id)
    if not access.can_view_student(request.user, student):
        raise Http404("Обучающийся не найден")
    changes = [describe_change(c) for c in selectors.cell_history(lesson, student)]
    context = {"lesson": lesson, "student": student, "changes": changes}
    if request.htmx:
        return render(request, "journal/cell_history.html#history", context)
    return render(request, "journal/cell_history.html", context)


__all__ = ["CellView", "cell", "cell_history", "grid"]

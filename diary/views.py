"""The family's cabinet: a child's diary for their parents and for the child (seed 1.6, 2.2).

Every page takes the child's id and goes through the access policy
(``school.access.student_for_viewer_or_404``): a guardian sees only their linked children,
a student only themselves, anyone else gets 404. Staff who may see the child (the class
teacher, the child's teachers, the leadership, the secretary) may open it too, and each such
view is written to the personal-data access log (``diary.services.log_staff_view``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from journal.models import HomeworkAttachment
from journal.selectors import period_on
from school import access, params, uploads
from school.models import Period, SchoolClass, Student

from . import selectors, services
from .access import can_see_absence_reports
from .forms import AbsenceReportForm
from .models import DiaryEntry, DiarySection, EntryKind

# The child a guardian chose last: ``/diary/`` opens it.
SESSION_CHILD = "diary_student_id"
MESSAGES_PER_PAGE = 20
OPEN_REPORTS_AHEAD = dt.timedelta(days=120)
RECENT_REPORTS = dt.timedelta(days=30)


@dataclass(frozen=True)
class Tab:
    url_name: str
    label: str
    counter: str = ""  # the Student attribute with the «new» count


TABS = (
    Tab("week", gettext_lazy("Неделя")),
    Tab("marks", gettext_lazy("Отметки"), counter="new_marks"),
    Tab("finals", gettext_lazy("Итоговые")),
    Tab("tests", gettext_lazy("Контрольные")),
    Tab("messages", gettext_lazy("Сообщения"), counter="new_messages"),
    Tab("teachers", gettext_lazy("Учителя")),
    Tab("holidays", gettext_lazy("Каникулы")),
    Tab("record", gettext_lazy("Личное дело")),
)


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str
    count: int
    current: bool


@dataclass
class Cabinet:
    """The child, who is looking and how: what every cabinet page shares."""

    student: Student
    family: list[Student]  # the switcher: the viewer's children (with counts), may be empty
    me: Student | None  # the child's row in ``family`` when the viewer is family
    is_guardian: bool  # the viewer is this child's guardian (may report absences)
    today: dt.date
    section: str

    @property
    def is_family(self) -> bool:
        return self.me is not None

    @property
    def nav(self) -> list[NavItem]:
        items = []
        for tab in TABS:
            current = tab.url_name == self.section
            count = 0
            if self.me is not None and tab.counter and not current:
                count = getattr(self.me, tab.counter, 0)
            items.append(NavItem(f"diary:{tab.url_name}", tab.label, count, current))
        return items

    @property
    def switcher(self) -> list[Student]:
        return self.family if len(self.family) > 1 else []

    def context(self, **extra) -> dict:
        return {"cabinet": self, "student": self.student, "today": self.today, **extra}


def _open(request: HttpRequest, student_id: int, section: str) -> Cabinet:
    """The child's cabinet for this request: 404 for a child the person may not see; a
    staff view is logged. Reads only (the choice of child is remembered by ``index``)."""
    viewer = access.viewer_for(request.user)
    now = timezone.now()
    family: list[Student] = []
    me = None
    if viewer.is_guardian or viewer.is_student:
        # The family list (the switcher) already holds the child when the viewer is family:
        # it answers the access question too, one query less than asking the policy again.
        guess = viewer.today  # their eldest child's school's: checked below
        family = selectors.family_of(request.user, viewer, guess, now)
        me = next((child for child in family if child.pk == student_id), None)
        if me is not None and me.school.local_today() != guess:
            family = selectors.family_of(request.user, viewer, me.school.local_today(), now)
            me = next((child for child in family if child.pk == student_id), None)
    student = me if me is not None else access.student_for_viewer_or_404(request.user, student_id)
    today = student.school.local_today()
    if me is None:
        # Not their family, yet visible: a staff member sees the child through their work.
        services.log_staff_view(
            actor=request.user, student=student, page=section, path=request.get_full_path()
        )
    return Cabinet(
        student=student,
        family=family,
        me=me,
        is_guardian=me is not None and viewer.is_guardian and viewer.student_id != student.pk,
        today=today,
        section=section,
    )


SWITCHABLE = {tab.url_name for tab in TABS} | {"report_absence"}
WHOLE_YEAR = "year"  # ?period=year on the marks page


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """``/diary/``: the child a guardian chose last (else the eldest), a student's own diary;
    staff without children of their own go home. ``?child=<id>&section=marks`` is the
    switcher: it remembers the choice (in the session) and opens that section, so that the
    pages themselves only read."""
    viewer = access.viewer_for(request.user)
    ids = selectors.family_ids(viewer)
    if not ids:
        return redirect("home")
    chosen = params.query_id(request.GET, "child")
    if chosen in ids:
        if request.session.get(SESSION_CHILD) != chosen:
            request.session[SESSION_CHILD] = chosen
        section = params.query_choice(request.GET, "section", SWITCHABLE, "week")
        return redirect(f"diary:{section}", student_id=chosen)
    remembered = request.session.get(SESSION_CHILD)
    if remembered in ids:
        target = remembered
    elif viewer.student_id in ids:
        target = viewer.student_id
    else:
        target = ids[0]
    return redirect("diary:week", student_id=target)


@require_GET
def week(request: HttpRequest, student_id: int) -> HttpResponse:
    cabinet = _open(request, student_id, "week")
    start = params.query_date(request.GET, "start")
    data = selectors.week_for_student(
        student=cabinet.student, week_start=start, today=cabinet.today
    )
    return render(request, "diary/week.html", cabinet.context(week=data))


def _period_choice(request: HttpRequest, school_class, today: dt.date):
    """(periods, chosen period or None for the whole year, start, end)."""
    periods = selectors.assessment_periods(school_class)
    year = school_class.year
    if params.query_choice(request.GET, "period", {WHOLE_YEAR}, "") or not periods:
        return periods, None, year.start, year.end
    wanted = params.query_id(request.GET, "period")
    period: Period | None = next((p for p in periods if p.pk == wanted), None)
    period = period or period_on(periods, today)
    return periods, period, period.start, period.end


@require_GET
def marks(request: HttpRequest, student_id: int) -> HttpResponse:
    cabinet = _open(request, student_id, "marks")
    enrolment = selectors.enrolment_for(cabinet.student, cabinet.today)
    context = cabinet.context(enrolment=enrolment)
    if enrolment is not None:
        periods, period, start, end = _period_choice(request, enrolment.school_class, cabinet.today)
        subjects = selectors.marks_by_subject(student=cabinet.student, start=start, end=end)
        context.update(
            periods=periods,
            period=period,
            start=start,
            end=end,
            subjects=subjects,
            legend=selectors.work_type_legend(subjects),
        )
    if cabinet.is_family:
        services.mark_visited(
            actor=request.user, student=cabinet.student, section=DiarySection.MARKS
        )
    return render(request, "diary/marks.html", context)


@require_GET
def finals(request: HttpRequest, student_id: int) -> HttpResponse:
    cabinet = _open(request, student_id, "finals")
    return render(request, "diary/finals.html", cabinet.context())


@require_GET
def tests(request: HttpRequest, student_id: int) -> HttpResponse:
    cabinet = _open(request, student_id, "tests")
    enrolment = selectors.enrolment_for(cabinet.student, cabinet.today)
    context = cabinet.context(enrolment=enrolment)
    if enrolment is not None:
        school_class = enrolment.school_class
        periods, period, start, end = _period_choice(request, school_class, cabinet.today)
        context.update(
            periods=periods,
            period=period,
            start=start,
            end=end,
            tests=selectors.tests_for_student(
                student=cabinet.student, school_class=school_class, start=start, end=end
            ),
        )
    return render(request, "diary/tests.html", context)


@require_GET
def teachers(request: HttpRequest, student_id: int) -> HttpResponse:
    cabinet = _open(request, student_id, "teachers")
    enrolment = selectors.enrolment_for(cabinet.student, cabinet.today)
    context = cabinet.context(enrolment=enrolment)
    if enrolment is not None:
        day = cabinet.today
        if not enrolment.school_class.year.contains(day):
            day = min(max(day, enrolment.start), enrolment.end or enrolment.school_class.year.end)
        context["teachers"] = selectors.teachers_of(
            student=cabinet.student, school_class=enrolment.school_class, day=day
        )
    return render(request, "diary/teachers.html", context)


@require_GET
def holidays(request: HttpRequest, student_id: int) -> HttpResponse:
    cabinet = _open(request, student_id, "holidays")
    enrolment = selectors.enrolment_for(cabinet.student, cabinet.today)
    context = cabinet.context(enrolment=enrolment)
    if enrolment is not None:
        school_class = enrolment.school_class
        context.update(
            holidays=selectors.holidays_for(school_class),
            periods=selectors.assessment_periods(school_class),
            year=school_class.year,
        )
    return render(request, "diary/holidays.html", context)


@require_GET
def messages_page(request: HttpRequest, student_id: int) -> HttpResponse:
    """Messages from teachers. Opening the list is reading it: each message shown is marked
    read for its sender (a staff member looking through their work reads nothing)."""
    cabinet = _open(request, student_id, "messages")
    page = Paginator(selectors.messages_of(cabinet.student), MESSAGES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    entries: list[DiaryEntry] = list(page.object_list)
    fresh: set[int] = set()
    if cabinet.is_family:
        fresh = services.read_messages(
            actor=request.user, source_ids=[entry.source_id for entry in entries]
        )
        services.mark_visited(
            actor=request.user, student=cabinet.student, section=DiarySection.MESSAGES
        )
    return render(
        request,
        "diary/messages.html",
        cabinet.context(page=page, entries=entries, fresh=fresh),
    )


@require_GET
def record(request: HttpRequest, student_id: int) -> HttpResponse:
    cabinet = _open(request, student_id, "record")
    return render(
        request, "diary/record.html", cabinet.context(years=selectors.record_of(cabinet.student))
    )


@require_http_methods(["GET", "POST"])
def report_absence(request: HttpRequest, student_id: int) -> HttpResponse:
    """A guardian tells the school ahead that the child will miss days."""
    cabinet = _open(request, student_id, "report_absence")
    if not cabinet.is_guardian:
        raise PermissionDenied(_("Сообщить о пропуске может только родитель ребёнка."))
    form = AbsenceReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_absence(
                actor=request.user,
                student=cabinet.student,
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
                kind=form.cleaned_data["kind"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for name, errors in error.error_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Классный руководитель увидит ваше сообщение: %(dates)s.")
                % {"dates": _dates(report.start, report.end)},
            )
            return redirect("diary:report_absence", student_id=cabinet.student.pk)
    reports = selectors.reports_of(cabinet.student, cabinet.today - RECENT_REPORTS)
    return render(request, "diary/report_absence.html", cabinet.context(form=form, reports=reports))


def _dates(start: dt.date, end: dt.date) -> str:
    if start == end:
        return f"{start:%d.%m.%Y}"
    return f"{start:%d.%m.%Y} – {end:%d.%m.%Y}"


@require_GET
def attachment(request: HttpRequest, student_id: int, attachment_id: int) -> FileResponse:
    """A file of a homework that is in the child's diary (never a public media URL)."""
    cabinet = _open(request, student_id, "attachment")
    homework = DiaryEntry.objects.filter(student=cabinet.student, kind=EntryKind.HOMEWORK).values(
        "source_id"
    )
    item = HomeworkAttachment.objects.filter(pk=attachment_id, homework_id__in=homework).first()
    if item is None:
        raise Http404("Файл не найден")
    return uploads.file_response(item.file.open("rb"), item.original_name)


# --- For the school: the families' absence reports of a class -----------------------------


@require_GET
def absence_reports(request: HttpRequest, class_id: int) -> HttpResponse:
    """Open absence reports of a class's students, and the last month's ones."""
    school_class = access.class_for_viewer_or_404(request.user, class_id)
    if not can_see_absence_reports(request.user, school_class):
        raise PermissionDenied
    today = school_class.school.local_today()
    unseen = selectors.unseen_absence_reports(
        classes=SchoolClass.objects.filter(pk=school_class.pk), today=today
    )
    context = {
        "school_class": school_class,
        "today": today,
        "unseen_ids": [report.pk for report in unseen],
        "is_class_teacher": school_class.pk in access.viewer_for(request.user).homeroom_class_ids,
        "open_reports": list(
            selectors.absence_reports_for(school_class.pk, today, today + OPEN_REPORTS_AHEAD)
        ),
        "past_reports": list(
            selectors.absence_reports_for(
                school_class.pk, today - RECENT_REPORTS, today - dt.timedelta(days=1)
            ).filter(end__lt=today)
        ),
    }
    return render(request, "diary/absence_reports.html", context)


@require_POST
def absence_reports_seen(request: HttpRequest, class_id: int) -> HttpResponse:
    """The class teacher marks the class's new absence reports seen."""
    school_class = access.class_for_viewer_or_404(request.user, class_id)
    if school_class.pk not in access.viewer_for(request.user).homeroom_class_ids:
        raise PermissionDenied
    ids = [int(pk) for pk in request.POST.getlist("report") if pk.isdigit()]
    count = services.mark_reports_seen(
        actor=request.user, school_class=school_class, report_ids=ids
    )
    if count:
        messages.success(
            request,
            _("Отмечено просмотренными: %(count)d.") % {"count": count},
        )
    return redirect("diary:absence_reports", class_id=school_class.pk)

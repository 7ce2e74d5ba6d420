"""A class's journals: its subjects, its test schedule, messages to its parents."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from journal import selectors, services
from journal.forms import MessageForm
from journal.models import JournalSettings
from school import access, params
from school import selectors as school_selectors
from school.models import SchoolClass, StudyGroup, Subject, TeachingAssignment, User

from .common import add_service_error


def _journal_class(request: HttpRequest, class_id: int) -> SchoolClass:
    """The class (404 if the person may not see it), if they may open its journal pages
    (403 for the secretary, who keeps the roster but not the journal)."""
    school_class = access.class_for_viewer_or_404(request.user, class_id)
    if not access.can_view_class_journals(request.user, school_class):
        raise PermissionDenied
    return school_class


@dataclass
class SubjectJournal:
    subject: Subject
    group: StudyGroup | None
    teachers: list[User] = field(default_factory=list)
    editable: bool = False


@require_GET
def class_journals(request: HttpRequest, class_id: int) -> HttpResponse:
    """Every subject of the class the person may read, with its teacher, linking to the
    grid; read-only for those who do not teach it."""
    school_class = _journal_class(request, class_id)
    today = school_class.school.local_today()
    assignments: list[TeachingAssignment] = school_selectors.subject_teachers(school_class, today)
    journals: dict[tuple[int, int | None], SubjectJournal] = {}
    rights_cache: dict[int, access.JournalRights] = {}
    for assignment in assignments:
        subject = assignment.subject
        if subject.pk not in rights_cache:
            rights_cache[subject.pk] = access.journal_rights(request.user, school_class, subject)
        rights = rights_cache[subject.pk]
        if not rights.view:
            continue
        key = (subject.pk, assignment.group_id)
        journal = journals.setdefault(key, SubjectJournal(subject=subject, group=assignment.group))
        if assignment.teacher not in journal.teachers:
            journal.teachers.append(assignment.teacher)
        journal.editable = journal.editable or assignment.teacher_id == request.user.pk
    context = {
        "school_class": school_class,
        "journals": list(journals.values()),
        "is_leadership": access.viewer_for(request.user).is_leadership(school_class.school_id),
    }
    return render(request, "journal/class_journals.html", context)


@require_GET
def test_schedule(request: HttpRequest, class_id: int) -> HttpResponse:
    """The class's tests in a period (график контрольных работ), days over the school's
    limit flagged."""
    school_class = _journal_class(request, class_id)
    wanted = params.query_id(request.GET, "period")
    periods, _year = selectors.assessment_periods(school_class)
    today = school_class.school.local_today()
    if wanted:
        period = next((p for p in periods if p.pk == wanted), None)
        if period is None:
            raise Http404("Период не найден")
    else:
        period = selectors.period_on(periods, today)
    start = period.start if period else school_class.year.start
    end = period.end if period else school_class.year.end
    tests = list(selectors.test_schedule(school_class, start, end))
    limit = (
        JournalSettings.objects.filter(school_id=school_class.school_id)
        .values_list("max_tests_per_day", flat=True)
        .first()
    ) or JournalSettings._meta.get_field("max_tests_per_day").default
    per_day = Counter(t.date for t in tests)
    context = {
        "school_class": school_class,
        "periods": periods,
        "period": period,
        "tests": tests,
        "limit": limit,
        "over": {day for day, count in per_day.items() if count > limit},
    }
    return render(request, "journal/test_schedule.html", context)


@require_http_methods(["GET", "POST"])
def class_messages(request: HttpRequest, class_id: int) -> HttpResponse:
    """Write to the parents of one student or of the whole class; the messages sent, with
    how many family members have read each."""
    school_class = _journal_class(request, class_id)
    today = school_class.school.local_today()
    students = school_selectors.class_students(school_class, today)
    initial = {"to": request.GET.get("to", MessageForm.WHOLE_CLASS)}
    form = MessageForm(
        request.POST or None, school_class=school_class, students=students, initial=initial
    )
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            student = form.recipient()
            try:
                services.send_message(
                    actor=request.user,
                    subject=form.cleaned_data["subject"],
                    text=form.cleaned_data["text"],
                    student=student,
                    school_class=None if student else school_class,
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Сообщение отправлено родителям."))
                return redirect(reverse("journal:messages", args=[school_class.pk]))
    viewer = access.viewer_for(request.user)
    sees_all = (
        viewer.is_leadership(school_class.school_id) or school_class.pk in viewer.homeroom_class_ids
    )
    context = {
        "school_class": school_class,
        "form": form,
        "sent": selectors.class_messages(school_class, sender=None if sees_all else request.user),
        "sees_all": sees_all,
    }
    return render(request, "journal/messages.html", context, status=status)

"""The web shell: home pages per role, the roster, class and student cards."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import access, extensions, selectors, services
from .forms import StudentSearchForm, TransferForm
from .models import School, SchoolClass

STUDENTS_PER_PAGE = 50


def home(request: HttpRequest) -> HttpResponse:
    """One page, a section per role the person holds (a teacher who is a parent sees both)."""
    viewer = access.viewer_for(request.user)
    today = viewer.today
    schools = {s.pk: s for s in School.objects.filter(pk__in=viewer.staff_schools)}
    context = {
        "today": today,
        "leadership": [
            _overview_with_attention(schools[pk], counts=False)
            for pk in sorted(viewer.leadership_schools)
        ],
        "roster_schools": [schools[pk] for pk in sorted(viewer.secretary_schools)],
        "assignments": selectors.teacher_assignments(request.user, today)
        if viewer.teacher_schools
        else [],
        "homeroom": selectors.classes_with_counts(
            SchoolClass.objects.filter(pk__in=viewer.homeroom_class_ids), today
        )
        if viewer.homeroom_class_ids
        else [],
        "children": selectors.children_of(viewer.guardian_id, today) if viewer.guardian_id else [],
        "own_student": selectors.own_student(viewer.student_id) if viewer.student_id else None,
        "secretary_sections": extensions.render_home_sections(request, "secretary")
        if viewer.secretary_schools or viewer.leadership_schools
        else [],
        "family_sections": extensions.render_home_sections(request, "family")
        if viewer.guardian_id or viewer.student_id
        else [],
        "homeroom_sections": extensions.render_home_sections(request, "homeroom")
        if viewer.homeroom_class_ids
        else [],
        "student_sections": extensions.render_home_sections(request, "student")
        if viewer.student_id
        else [],
        "teacher_sections": extensions.render_home_sections(request, "teacher")
        if viewer.teacher_schools
        else [],
    }
    if request.user.is_superuser:
        context["admin_schools"] = School.objects.order_by("short_name")
    for student in [*context["children"], context["own_student"]]:
        if student is not None:
            student.diary_open = access.is_open_to_family(viewer, student.pk)
    return render(request, "school/home.html", context)


def _overview_with_attention(school: School, *, counts: bool) -> selectors.SchoolOverview:
    """The school's overview with what waits for its leadership (``overview.attention``)."""
    today = school.local_today()
    overview = selectors.school_overview(school, today, counts=counts)
    overview.attention = extensions.attention(school, today)
    return overview


def school_overview(request: HttpRequest, school_id: int) -> HttpResponse:
    """The place the director and the deputies act from: what waits for them (absence
    reports nobody saw, journals not filled in, periods ending), then the school."""
    school = get_object_or_404(School, pk=school_id)
    if not access.can_view_school_overview(request.user, school.pk):
        raise PermissionDenied
    overview = _overview_with_attention(school, counts=True)
    return render(request, "school/overview.html", {"overview": overview, "school": school})


def roster(request: HttpRequest, school_id: int) -> HttpResponse:
    """The secretary's roster: classes with their size, and a student search with paging."""
    school = get_object_or_404(School, pk=school_id)
    if not access.can_manage_roster(request.user, school.pk):
        raise PermissionDenied
    today = school.local_today()
    year = selectors.current_year(school, today)
    form = StudentSearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    students = selectors.with_current_class(school.students.all(), today)
    if query:
        students = selectors.search_students(students, query)
    page = Paginator(
        students.order_by("last_name", "first_name", "middle_name"), STUDENTS_PER_PAGE
    ).get_page(request.GET.get("page"))
    classes = (
        selectors.classes_with_counts(SchoolClass.objects.filter(year=year), today) if year else []
    )
    context = {
        "school": school,
        "year": year,
        "classes": classes,
        "form": form,
        "query": query,
        "page": page,
    }
    if request.htmx:
        return render(request, "school/roster.html#student-list", context)
    return render(request, "school/roster.html", context)


def class_detail(request: HttpRequest, class_id: int) -> HttpResponse:
    school_class = access.class_for_viewer_or_404(request.user, class_id)
    today = school_class.school.local_today()
    context = {
        "school_class": school_class,
        "students": selectors.class_students(school_class, today),
        "teachers": selectors.subject_teachers(school_class, today),
        "can_see_students": True,
        "links": extensions.class_links(request, school_class),
    }
    return render(request, "school/class_detail.html", context)


def student_detail(request: HttpRequest, student_id: int) -> HttpResponse:
    student = access.student_for_viewer_or_404(request.user, student_id)
    viewer = access.viewer_for(request.user)
    is_staff_view = viewer.is_staff_member and not access.is_family_of(request.user, student)
    kinships = list(selectors.guardians_of(student)) if is_staff_view else []
    links = (
        extensions.family_links(request, student, [k.guardian for k in kinships])
        if kinships
        else {}
    )
    for kinship in kinships:
        kinship.links = links.get(kinship.guardian_id, [])
    context = {
        "student": student,
        "enrolments": selectors.student_enrolments(student),
        "kinships": kinships,
        "is_staff_view": is_staff_view,
        "can_transfer": access.can_manage_roster(request.user, student.school_id),
    }
    return render(request, "school/student_detail.html", context)


@require_http_methods(["GET", "POST"])
def student_transfer(request: HttpRequest, student_id: int) -> HttpResponse:
    """Move a student to another class from a date (secretary, leadership)."""
    student = access.student_for_viewer_or_404(request.user, student_id)
    if not access.can_manage_roster(request.user, student.school_id):
        raise PermissionDenied
    today = student.school.local_today()
    year = selectors.current_year(student.school, today)
    classes = SchoolClass.objects.filter(year=year).order_by("grade", "letter")
    form = TransferForm(request.POST or None, classes=classes, initial={"on_date": today})
    if request.method == "POST" and form.is_valid():
        try:
            services.transfer_student(
                student=student,
                to_class=form.cleaned_data["to_class"],
                on_date=form.cleaned_data["on_date"],
                actor=request.user,
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                _("%(student)s: перевод в класс %(cls)s с %(date)s.")
                % {
                    "student": student.short_name,
                    "cls": form.cleaned_data["to_class"].name,
                    "date": f"{form.cleaned_data['on_date']:%d.%m.%Y}",
                },
            )
            return redirect("student", student_id=student.pk)
    return render(
        request,
        "school/student_transfer.html",
        {"student": student, "form": form, "enrolments": selectors.student_enrolments(student)},
    )


@login_not_required
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers: the web process answers and the database is reachable."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})

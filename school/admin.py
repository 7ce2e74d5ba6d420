"""The Django admin for the school's structure and people.

Validation stays in the models (``clean()`` and ``Meta.constraints`` with Russian messages);
Django's model forms run both, so the admin shows those messages instead of failing on the
database. What a single form cannot see is added here, and only that:

- rows of one inline checked against each other (``NoOverlapInlineFormSet``): the exclusion
  constraints on enrolments and group memberships compare a row with the rows already in
  the database, so two new overlapping rows of one save would pass their forms and fail
  at INSERT;
- rows added together with a new parent (a new year with its periods, a new student with
  an enrolment): the models' ``clean()`` looks at ``year_id``/``student_id``, which are
  empty until the parent is saved, so the forms repeat those checks against the unsaved
  parent, with the models' messages;
- a group membership ending before it starts: the model has no ``clean()`` for it and its
  exclusion constraint cannot even build such a date range (see ``GroupMembershipForm``).

Enrolments and group memberships, on their own pages and in the inlines, are written by
``school.services`` (``RosterServiceAdmin``): the service keeps the audit and tells the diary,
which a plain ``save()`` would not.
"""

import datetime as dt
import re

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from . import services
from .models import (
    AcademicYear,
    CurriculumItem,
    CurriculumPeriodPlan,
    Enrolment,
    GradeScheme,
    GroupMembership,
    Guardian,
    Holiday,
    Kinship,
    Period,
    RosterChange,
    School,
    SchoolClass,
    StaffMember,
    Student,
    StudyGroup,
    Subject,
    TeachingAssignment,
    User,
    spans_overlap,
)
from .models.calendar import MSG_HOLIDAY_OUTSIDE_YEAR, MSG_PERIOD_OUTSIDE_YEAR
from .models.structure import (
    MSG_END_BEFORE_START,
    MSG_ENROLMENT_OTHER_SCHOOL,
    MSG_ENROLMENT_OVERLAP,
    MSG_GROUP_MEMBER_OVERLAP,
)

PERSON_SEARCH = ("last_name", "first_name", "middle_name")


def _person_search(prefix: str) -> tuple[str, ...]:
    return tuple(f"{prefix}__{name}" for name in PERSON_SEARCH)


CLASS_NAME_RE = re.compile(r"^\s*(\d{1,2})\s*-?\s*([^\W\d_]{1,4})\s*$")


class NoOverlapInlineFormSet(BaseInlineFormSet):
    """Rejects rows of one save whose dates overlap, with the model constraint's message.

    ``overlap_fields`` are the fields besides the parent that must be equal for two rows to
    clash. Each row is still checked against the database by its own form (Django's
    ``validate_constraints``), so every intermediate state of the save is consistent too.
    """

    overlap_fields: tuple[str, ...] = ()
    overlap_message = ""

    def clean(self) -> None:
        super().clean()
        seen: list[tuple[tuple, tuple[dt.date, dt.date | None]]] = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or not data.get("start") or self._should_delete_form(form):
                continue
            key = tuple(data.get(name) for name in self.overlap_fields)
            span = (data["start"], data.get("end"))
            if any(key == other_key and spans_overlap(span, other) for other_key, other in seen):
                form.add_error(None, ValidationError(self.overlap_message, code="overlap"))
                continue
            seen.append((key, span))


# The services that write each roster model: (save, delete), called with the row and the user.
ROSTER_WRITES = {
    Enrolment: (
        lambda row, user: services.save_enrolment(enrolment=row, actor=user),
        lambda row, user: services.delete_enrolment(enrolment=row, actor=user),
    ),
    GroupMembership: (
        lambda row, user: services.save_group_membership(membership=row, actor=user),
        lambda row, user: services.delete_group_membership(membership=row, actor=user),
    ),
}


class RosterServiceAdmin(admin.ModelAdmin):
    """Saves and deletes enrolments and group memberships (the page's own rows, its inlines'
    rows and the «delete selected» action) through ``school.services``."""

    def save_model(self, request, obj, form, change) -> None:
        if type(obj) in ROSTER_WRITES:
            ROSTER_WRITES[type(obj)][0](obj, request.user)
        else:
            super().save_model(request, obj, form, change)

    def delete_model(self, request, obj) -> None:
        if type(obj) in ROSTER_WRITES:
            ROSTER_WRITES[type(obj)][1](obj, request.user)
        else:
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset) -> None:
        if queryset.model in ROSTER_WRITES:
            for obj in queryset:
                ROSTER_WRITES[queryset.model][1](obj, request.user)
        else:
            super().delete_queryset(request, queryset)

    def save_formset(self, request, form, formset, change) -> None:
        if formset.model not in ROSTER_WRITES:
            super().save_formset(request, form, formset, change)
            return
        save, delete = ROSTER_WRITES[formset.model]
        rows = formset.save(commit=False)
        # Deletions first: they free the dates the other rows may take.
        for row in formset.deleted_objects:
            delete(row, request.user)
        for row in rows:
            save(row, request.user)
        formset.save_m2m()


# --- The calendar ---------------------------------------------------------------------


class YearRowForm(forms.ModelForm):
    """A period or holiday row of a year, checked against a year that is not saved yet."""

    def outside_year_error(self, year: AcademicYear) -> ValidationError:
        raise NotImplementedError

    def clean(self) -> dict:
        cleaned = super().clean()
        year, start, end = cleaned.get("year"), cleaned.get("start"), cleaned.get("end")
        if (
            isinstance(year, AcademicYear)
            and year.pk is None
            and year.start
            and year.end
            and start
            and end
            and start <= end
            and (start < year.start or end > year.end)
        ):
            self.add_error(None, self.outside_year_error(year))
        return cleaned


class PeriodInlineForm(YearRowForm):
    def outside_year_error(self, year: AcademicYear) -> ValidationError:
        data = self.cleaned_data
        period = Period(kind=data.get("kind"), number=data.get("number") or 1)
        return ValidationError(
            MSG_PERIOD_OUTSIDE_YEAR,
            params={
                "period": period.name,
                "start": data["start"].strftime("%d.%m.%Y"),
                "end": data["end"].strftime("%d.%m.%Y"),
                "year": year.name,
            },
        )


class HolidayInlineForm(YearRowForm):
    def outside_year_error(self, year: AcademicYear) -> ValidationError:
        return ValidationError(MSG_HOLIDAY_OUTSIDE_YEAR, params={"year": year.name})


class PeriodInline(admin.TabularInline):
    model = Period
    form = PeriodInlineForm
    fields = ("kind", "number", "start", "end", "is_locked", "locked_at", "locked_by")
    # Closing a period is the director's act with an audit trail, not an admin checkbox.
    readonly_fields = ("is_locked", "locked_at", "locked_by")
    extra = 0


class HolidayInline(admin.TabularInline):
    model = Holiday
    form = HolidayInlineForm
    fields = ("name", "start", "end", "only_grade")
    extra = 0


class GradeSchemeInline(admin.TabularInline):
    model = GradeScheme
    fields = ("grade", "scheme")
    extra = 0


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ("short_name", "name", "inn", "timezone", "week_days", "allow_mark_one")
    list_filter = ("week_days", "allow_mark_one", "timezone")
    search_fields = ("short_name", "name", "inn", "ogrn")
    ordering = ("short_name",)
    fieldsets = (
        (None, {"fields": ("name", "short_name", "address", "ogrn", "inn", "phone", "email")}),
        (_("Учебный процесс"), {"fields": ("timezone", "week_days", "allow_mark_one")}),
    )


@admin.register(AcademicYear)
class AcademicYearAdmin(admin.ModelAdmin):
    list_display = ("name", "school", "start", "end")
    list_filter = ("school",)
    search_fields = ("name", "school__short_name")
    list_select_related = ("school",)
    ordering = ("school__short_name", "-start")
    inlines = (PeriodInline, HolidayInline, GradeSchemeInline)


@admin.register(Period)
class PeriodAdmin(admin.ModelAdmin):
    list_display = ("__str__", "year", "school", "start", "end", "is_locked", "locked_by")
    list_filter = ("year__school", "year", "kind", "is_locked")
    search_fields = ("year__name", "year__school__short_name")
    list_select_related = ("year__school", "locked_by")
    ordering = ("year__school__short_name", "-year__start", "kind", "number")
    fields = ("year", "kind", "number", "start", "end", "is_locked", "locked_at", "locked_by")
    readonly_fields = ("is_locked", "locked_at", "locked_by")

    @admin.display(description=_("школа"), ordering="year__school__short_name")
    def school(self, obj: Period) -> School:
        return obj.year.school


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ("name", "year", "school", "start", "end", "only_grade")
    list_filter = ("year__school", "year", "only_grade")
    search_fields = ("name", "year__name")
    list_select_related = ("year__school",)
    ordering = ("year__school__short_name", "-year__start", "start")

    @admin.display(description=_("школа"), ordering="year__school__short_name")
    def school(self, obj: Holiday) -> School:
        return obj.year.school


@admin.register(GradeScheme)
class GradeSchemeAdmin(admin.ModelAdmin):
    list_display = ("grade", "scheme", "year", "school")
    list_filter = ("year__school", "year", "grade", "scheme")
    list_select_related = ("year__school",)
    ordering = ("year__school__short_name", "-year__start", "grade")

    @admin.display(description=_("школа"), ordering="year__school__short_name")
    def school(self, obj: GradeScheme) -> School:
        return obj.year.school


# --- Subjects, classes, groups, curriculum ----------------------------------------------


@admin.register(Subject)
class SubjectAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name", "school", "is_graded", "order")
    list_filter = ("school", "is_graded")
    search_fields = ("name", "short_name")
    list_select_related = ("school",)
    ordering = ("school__short_name", "order", "name")


class CurriculumItemInline(admin.TabularInline):
    model = CurriculumItem
    fields = (
        "subject",
        "hours_per_week",
        "hours_year",
        "tests_year",
        "practical_works_year",
        "lab_works_year",
    )
    autocomplete_fields = ("subject",)
    extra = 0


class SchoolClassForm(forms.ModelForm):
    """A first grade learns without marks (the ``class_first_grade_ungraded`` constraint):
    the «graded» box, ticked by default, does not apply to it and is cleared here."""

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("grade") == 1:
            cleaned["is_graded"] = False
        return cleaned


@admin.register(SchoolClass)
class SchoolClassAdmin(admin.ModelAdmin):
    list_display = ("name", "year", "school", "class_teacher", "is_graded", "shift", "level")
    list_filter = ("school", "year", "grade", "shift", "is_graded")
    search_fields = ("letter", "year__name", "school__short_name", "class_teacher__last_name")
    list_select_related = ("school", "year", "class_teacher")
    ordering = ("school__short_name", "-year__start", "grade", "letter")
    form = SchoolClassForm
    autocomplete_fields = ("class_teacher",)
    fields = ("school", "year", "grade", "letter", "class_teacher", "is_graded", "shift")
    inlines = (CurriculumItemInline,)

    @admin.display(description=_("класс"), ordering="grade")
    def name(self, obj: SchoolClass) -> str:
        return obj.name

    @admin.display(description=_("уровень образования"))
    def level(self, obj: SchoolClass) -> str:
        return obj.level

    def get_search_results(self, request, queryset, search_term):
        """«5А», «5 а» or «5-А» finds the classes 5А of every year."""
        match = CLASS_NAME_RE.match(search_term)
        if match:
            grade, letter = match.groups()
            return queryset.filter(grade=int(grade), letter__iexact=letter), False
        return super().get_search_results(request, queryset, search_term)


class GroupMembershipForm(forms.ModelForm):
    """The model has no ``clean()`` for the dates, and its exclusion constraint's
    DATERANGE(start, end) fails in PostgreSQL when ``end < start``: the form checks the
    order first, so that the constraint is skipped for the erroneous field."""

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", ValidationError(MSG_END_BEFORE_START, code="end_before_start"))
        return cleaned


class GroupMembershipFormSet(NoOverlapInlineFormSet):
    overlap_fields = ("student",)
    overlap_message = MSG_GROUP_MEMBER_OVERLAP


class GroupMembershipInline(admin.TabularInline):
    model = GroupMembership
    form = GroupMembershipForm
    formset = GroupMembershipFormSet
    fields = ("student", "start", "end")
    autocomplete_fields = ("student",)
    extra = 0


@admin.register(StudyGroup)
class StudyGroupAdmin(RosterServiceAdmin):
    list_display = ("name", "school_class", "subject", "kind", "year")
    list_filter = ("school_class__school", "school_class__year", "kind")
    search_fields = ("name", "subject__name")
    list_select_related = ("school_class__year", "subject")
    ordering = ("-school_class__year__start", "school_class__grade", "school_class__letter")
    autocomplete_fields = ("school_class", "subject")
    inlines = (GroupMembershipInline,)

    @admin.display(description=_("учебный год"), ordering="school_class__year__start")
    def year(self, obj: StudyGroup) -> AcademicYear:
        return obj.school_class.year


@admin.register(GroupMembership)
class GroupMembershipAdmin(RosterServiceAdmin):
    form = GroupMembershipForm
    list_display = ("student", "group", "start", "end")
    list_filter = ("group__school_class__school", "group__school_class__year")
    search_fields = (*_person_search("student"), "group__name")
    list_select_related = ("student", "group__school_class", "group__subject")
    ordering = ("group", "student__last_name", "start")
    autocomplete_fields = ("group", "student")


class CurriculumPeriodPlanInline(admin.TabularInline):
    model = CurriculumPeriodPlan
    fields = ("period", "hours", "tests", "practical_works", "lab_works")
    extra = 0

    def get_formset(self, request, obj=None, **kwargs):
        """Only the periods of the class's year are offered."""
        formset = super().get_formset(request, obj, **kwargs)
        if obj is not None and "period" in formset.form.base_fields:
            field = formset.form.base_fields["period"]
            field.queryset = field.queryset.filter(year_id=obj.school_class.year_id)
        return formset


@admin.register(CurriculumItem)
class CurriculumItemAdmin(admin.ModelAdmin):
    list_display = (
        "school_class",
        "subject",
        "year",
        "hours_per_week",
        "hours_year",
        "tests_year",
        "practical_works_year",
        "lab_works_year",
    )
    list_filter = ("school_class__school", "school_class__year", "school_class__grade")
    search_fields = ("subject__name",)
    list_select_related = ("school_class__year", "subject")
    ordering = (
        "-school_class__year__start",
        "school_class__grade",
        "school_class__letter",
        "subject__order",
    )
    autocomplete_fields = ("school_class", "subject")
    inlines = (CurriculumPeriodPlanInline,)

    @admin.display(description=_("учебный год"), ordering="school_class__year__start")
    def year(self, obj: CurriculumItem) -> AcademicYear:
        return obj.school_class.year


@admin.register(CurriculumPeriodPlan)
class CurriculumPeriodPlanAdmin(admin.ModelAdmin):
    list_display = ("item", "period", "hours", "tests", "practical_works", "lab_works")
    list_filter = ("item__school_class__school", "period__year", "period__kind")
    search_fields = ("item__subject__name",)
    list_select_related = ("item__school_class", "item__subject", "period")
    ordering = ("item__school_class__grade", "item__school_class__letter", "period__start")
    autocomplete_fields = ("item",)


@admin.register(TeachingAssignment)
class TeachingAssignmentAdmin(admin.ModelAdmin):
    list_display = ("teacher", "subject", "school_class", "group", "start", "end")
    list_filter = ("school_class__school", "school_class__year", "school_class__grade")
    search_fields = (*_person_search("teacher"), "subject__name")
    list_select_related = (
        "teacher",
        "subject",
        "school_class",
        "group__school_class",
        "group__subject",
    )
    ordering = ("-school_class__year__start", "school_class__grade", "school_class__letter")
    autocomplete_fields = ("teacher", "subject", "school_class", "group")


# --- People ---------------------------------------------------------------------------


class EnrolmentInlineForm(forms.ModelForm):
    """``Enrolment.clean()`` compares schools only once the student is saved; for a new
    student the form compares them here."""

    def clean(self) -> dict:
        cleaned = super().clean()
        student, school_class = cleaned.get("student"), cleaned.get("school_class")
        if (
            isinstance(student, Student)
            and student.pk is None
            and student.school_id
            and school_class is not None
            and school_class.school_id != student.school_id
        ):
            self.add_error(None, ValidationError(MSG_ENROLMENT_OTHER_SCHOOL))
        return cleaned


class EnrolmentFormSet(NoOverlapInlineFormSet):
    overlap_message = MSG_ENROLMENT_OVERLAP


class EnrolmentInline(admin.TabularInline):
    model = Enrolment
    form = EnrolmentInlineForm
    formset = EnrolmentFormSet
    fields = ("school_class", "start", "end")
    autocomplete_fields = ("school_class",)
    extra = 0


@admin.register(Enrolment)
class EnrolmentAdmin(RosterServiceAdmin):
    list_display = ("student", "school_class", "year", "start", "end")
    list_filter = ("school_class__school", "school_class__year", "school_class__grade")
    search_fields = _person_search("student")
    list_select_related = ("student", "school_class__year")
    ordering = ("student__last_name", "student__first_name", "start")
    autocomplete_fields = ("student", "school_class")

    @admin.display(description=_("учебный год"), ordering="school_class__year__start")
    def year(self, obj: Enrolment) -> AcademicYear:
        return obj.school_class.year


class StudentKinshipInline(admin.TabularInline):
    model = Kinship
    fields = ("guardian", "relation", "is_legal_representative")
    autocomplete_fields = ("guardian",)
    extra = 0
    verbose_name = _("родитель (законный представитель)")
    verbose_name_plural = _("родители (законные представители)")
    verbose_name_accusative = _("родителя (законного представителя)")


class GuardianKinshipInline(admin.TabularInline):
    model = Kinship
    fields = ("student", "relation", "is_legal_representative")
    autocomplete_fields = ("student",)
    extra = 0
    verbose_name = _("ребёнок")
    verbose_name_plural = _("дети")
    verbose_name_accusative = _("ребёнка")


@admin.register(Student)
class StudentAdmin(RosterServiceAdmin):
    list_display = ("last_name", "first_name", "middle_name", "birth_date", "gender", "school")
    list_display_links = ("last_name", "first_name")
    list_filter = ("school", "gender", "enrolments__school_class__year")
    search_fields = (*PERSON_SEARCH, "=external_id")
    list_select_related = ("school",)
    ordering = ("last_name", "first_name", "middle_name")
    autocomplete_fields = ("user",)
    fieldsets = (
        (None, {"fields": ("school", *PERSON_SEARCH, "gender", "birth_date")}),
        (_("Учётная запись и обмен"), {"fields": ("user", "external_id")}),
    )
    inlines = (EnrolmentInline, StudentKinshipInline)


@admin.register(Guardian)
class GuardianAdmin(admin.ModelAdmin):
    list_display = ("last_name", "first_name", "middle_name", "gender", "user")
    list_display_links = ("last_name", "first_name")
    list_filter = ("gender", "kinships__relation", "kinships__student__school")
    search_fields = (*PERSON_SEARCH, "user__username", "user__email")
    list_select_related = ("user",)
    ordering = ("last_name", "first_name", "middle_name")
    autocomplete_fields = ("user",)
    inlines = (GuardianKinshipInline,)


@admin.register(Kinship)
class KinshipAdmin(admin.ModelAdmin):
    list_display = ("guardian", "relation", "student", "is_legal_representative")
    list_filter = ("relation", "is_legal_representative", "student__school")
    search_fields = (*_person_search("student"), *_person_search("guardian"))
    list_select_related = ("guardian", "student")
    ordering = ("student__last_name", "student__first_name", "guardian__last_name")
    autocomplete_fields = ("guardian", "student")


class StaffMemberInline(admin.TabularInline):
    model = StaffMember
    fk_name = "user"
    fields = ("school", "position", "subjects", "is_active")
    autocomplete_fields = ("subjects",)
    extra = 0


@admin.register(StaffMember)
class StaffMemberAdmin(admin.ModelAdmin):
    list_display = ("user", "position", "school", "is_active")
    list_filter = ("school", "position", "is_active")
    search_fields = (*_person_search("user"), "user__username")
    list_select_related = ("user", "school")
    ordering = ("school__short_name", "position", "user__last_name", "user__first_name")
    autocomplete_fields = ("user", "subjects")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Личные данные"), {"fields": ("last_name", "first_name", "middle_name", "email")}),
        *DjangoUserAdmin.fieldsets[2:],
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Личные данные"), {"fields": ("last_name", "first_name", "middle_name", "email")}),
    )
    list_display = (
        "username",
        "last_name",
        "first_name",
        "middle_name",
        "email",
        "is_staff",
        "is_active",
    )
    list_filter = (
        "is_active",
        "is_staff",
        "is_superuser",
        "staff_roles__position",
        "staff_roles__school",
    )
    search_fields = ("username", *PERSON_SEARCH, "email")
    ordering = ("last_name", "first_name", "username")

    def get_inlines(self, request, obj):
        """Positions are added once the login exists (Django's own two-step user form)."""
        return (StaffMemberInline,) if obj is not None else ()


@admin.register(RosterChange)
class RosterChangeAdmin(admin.ModelAdmin):
    """The roster's history: read only, written by ``school.services``."""

    list_display = ("at", "actor", "action", "kind", "student", "old", "new", "reason")
    list_filter = ("school", "kind", "action")
    search_fields = _person_search("student")
    list_select_related = ("actor", "student")
    ordering = ("-at", "-id")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

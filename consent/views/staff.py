"""The staff's consent pages: a class's families with their consents and contacts, the
family card (history, contacts, the offline mark, the audit), registering a paper consent,
refusal or withdrawal, and the school's offline list for paper extracts.

Who: the secretary and the leadership of the school, the class teacher for the families of
their class (``consent.access``); 404 for everyone else. Writes go through
``consent.services``; a refused form comes back with what was typed and status 422."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from school import access as school_access
from school import params, uploads
from school.models import Guardian, School, SchoolClass, Student

from .. import access, selectors, services
from ..models import ConsentForm, ConsentRecord, ConsentText, Contact, Decision, Scope
from ..staff_forms import DECISION_LABELS, OfflineForm, RegisterForm, StaffContactForm

FILTER_LABELS = {
    "all": gettext_lazy("Все"),
    selectors.NONE: gettext_lazy("Нет согласия"),
    Decision.REFUSED: gettext_lazy("Отказ"),
    Decision.WITHDRAWN: gettext_lazy("Отозвано"),
    "offline": gettext_lazy("Бумажные выписки"),
}
# Which field of the register form a service's refusal belongs to (by its code).
REGISTER_FIELDS = {
    "no_children": "students",
    "not_child": "students",
    "no_scopes": "scopes",
    "paper_date": "paper_date",
}

# Which field of the contact form a service's refusal belongs to (by its code).
CONTACT_FIELDS = {
    "statement_number": "statement_number",
    "statement_date": "statement_date",
}

# --- Who is asking ----------------------------------------------------------------------


def _card_url(guardian: Guardian, anchor: str = "") -> str:
    url = reverse("consent:family", args=[guardian.pk])
    return f"{url}#{anchor}" if anchor else url


# --- A class's families -----------------------------------------------------------------


def class_families(request: HttpRequest, class_id: int) -> HttpResponse:
    """Every child of the class with each guardian: consents, contacts, paper extracts."""
    school_class = school_access.class_for_viewer_or_404(request.user, class_id)
    if not access.can_manage_class_families(request.user, school_class):
        raise Http404(_("Класс не найден"))
    show = params.query_choice(request.GET, "show", selectors.FILTERS, "all")
    today = school_class.school.local_today()
    families = selectors.class_families(school_class, today)
    context = {
        "school_class": school_class,
        "today": today,
        "show": show,
        "tabs": [(key, FILTER_LABELS[key], families.counts[key]) for key in selectors.FILTERS],
        "rows": families.shown(show),
        "total": len(families.children),
        "can_see_offline_list": access.can_see_offline_list(request.user, school_class.school_id),
    }
    return render(request, "consent/staff/class_families.html", context)


# --- The family card --------------------------------------------------------------------


def _render_card(
    request: HttpRequest,
    guardian: Guardian,
    children: list[Student],
    *,
    contact_form: StaffContactForm | None = None,
    offline_form: OfflineForm | None = None,
    status: int = 200,
) -> HttpResponse:
    card = selectors.family_card(guardian, children)
    class_ids = {c.current_class_id for c in children if c.current_class_id}
    classes = [
        school_class
        for school_class in SchoolClass.objects.filter(pk__in=class_ids).order_by("grade", "letter")
        if access.can_manage_class_families(request.user, school_class)
    ]
    context = {
        "guardian": guardian,
        "children": children,
        "card": card,
        "classes": classes,
        "contact_form": contact_form or StaffContactForm(),
        "offline_form": offline_form or OfflineForm(),
        "decisions": DECISION_LABELS,
    }
    return render(request, "consent/staff/family.html", context, status=status)


def family(request: HttpRequest, guardian_id: int) -> HttpResponse:
    guardian, children = access.family_for_staff_or_404(request.user, guardian_id)
    return _render_card(request, guardian, children)


def _published_texts():
    return ConsentText.objects.filter(
        published_at__isnull=False, published_at__lte=timezone.now()
    ).order_by("-version")


def _register_initial(request: HttpRequest, children: list[Student]) -> dict:
    decision = params.query_choice(request.GET, "decision", DECISION_LABELS, Decision.GIVEN)
    scopes = [Scope.PROCESSING, Scope.CABINET] if decision == Decision.GIVEN else [Scope.PROCESSING]
    return {
        "decision": decision,
        "students": [c.pk for c in children],
        "scopes": scopes,
        "paper_date": children[0].school.local_today() if children else None,
        "text": services.current_text(),
    }


def _registered_message(record: ConsentRecord) -> str:
    number, day = record.paper_number, record.paper_date.strftime("%d.%m.%Y")
    if record.decision == Decision.GIVEN:
        return _("Согласие зарегистрировано: заявление № %(n)s от %(d)s.") % {"n": number, "d": day}
    closed = (
        _("Личный кабинет, почта и SMS для выбранных детей закрыты.")
        if Scope.PROCESSING in record.scopes
        else _("Выбранные каналы для этих детей закрыты.")
    )
    if record.decision == Decision.REFUSED:
        message = _("Отказ зарегистрирован: заявление № %(n)s от %(d)s.")
    else:
        message = _("Отзыв согласия зарегистрирован: заявление № %(n)s от %(d)s.")
    return f"{message % {'n': number, 'd': day}} {closed}"


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest, guardian_id: int) -> HttpResponse:
    """A paper consent, refusal or withdrawal: the form, then back to the family card."""
    guardian, children = access.family_for_staff_or_404(request.user, guardian_id)
    posted = request.method == "POST"
    texts = _published_texts()
    form = RegisterForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        children=children,
        texts=texts,
        initial=_register_initial(request, children),
    )
    if posted and form.is_valid():
        data = form.cleaned_data
        try:
            record = services.register_consent(
                guardian=guardian,
                students=list(data["students"]),
                decision=data["decision"],
                scopes=data["scopes"],
                form=ConsentForm.PAPER,
                actor=request.user,
                paper_number=data["paper_number"],
                paper_date=data["paper_date"],
                scan=data["scan"],
                text=data["text"] if data["decision"] == Decision.GIVEN else None,
                note=data["note"],
            )
        except ValidationError as error:
            for item in error.error_list:
                form.add_error(REGISTER_FIELDS.get(item.code), item)
        else:
            if record is None:
                messages.info(request, _("Согласие уже действует, ничего не изменено."))
            else:
                messages.success(request, _registered_message(record))
            return redirect(_card_url(guardian, "history"))
    lost_scan = posted and bool(request.FILES) and not form.is_valid()
    return render(
        request,
        "consent/staff/register.html",
        {
            "guardian": guardian,
            "form": form,
            "lost_scan": lost_scan,
            "has_texts": texts.exists(),
        },
        status=422 if posted else 200,
    )


def record_scan(request: HttpRequest, guardian_id: int, record_id: int) -> FileResponse:
    """The scan of a paper statement: never a public media URL."""
    guardian, children = access.family_for_staff_or_404(request.user, guardian_id)
    record = get_object_or_404(
        ConsentRecord.objects.filter(students__in=children).distinct(),
        pk=record_id,
        guardian=guardian,
    )
    if not record.scan:
        raise Http404(_("Скан не приложен"))
    name = Path(record.scan.name).name
    return uploads.file_response(record.scan.open("rb"), name, as_attachment=False)


# --- Contacts and the offline mark ------------------------------------------------------


@require_POST
def add_contact(request: HttpRequest, guardian_id: int) -> HttpResponse:
    guardian, children = access.family_for_staff_or_404(request.user, guardian_id)
    form = StaffContactForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            contact = services.add_contact(
                guardian=guardian,
                kind=data["kind"],
                value=data["value"],
                source=data["source"],
                actor=request.user,
                statement_number=data["statement_number"],
                statement_date=data["statement_date"],
            )
        except ValidationError as error:
            form.add_error(CONTACT_FIELDS.get(error.code, "value"), error)
        else:
            if contact.is_confirmed:
                message = _(
                    "Контакт добавлен: %(value)s. Он подтверждён заявлением № %(number)s: "
                    "SMS и письма по подпискам семьи будут приходить на него."
                )
            else:
                message = _(
                    "Контакт добавлен: %(value)s. Он станет подтверждённым, когда родитель "
                    "введёт код из SMS или письма в личном кабинете."
                )
            messages.success(
                request,
                message % {"value": contact.display, "number": contact.statement_number},
            )
            return redirect(_card_url(guardian, "contacts"))
    return _render_card(request, guardian, children, contact_form=form, status=422)


@require_POST
def remove_contact(request: HttpRequest, guardian_id: int, contact_id: int) -> HttpResponse:
    guardian, _children = access.family_for_staff_or_404(request.user, guardian_id)
    contact = get_object_or_404(Contact, pk=contact_id, guardian=guardian)
    if contact.is_active:
        services.deactivate_contact(contact=contact, actor=request.user)
        messages.success(request, _("Контакт удалён: %(value)s.") % {"value": contact.display})
    else:
        messages.info(request, _("Этот контакт уже удалён."))
    return redirect(_card_url(guardian, "contacts"))


@require_POST
def offline_toggle(request: HttpRequest, guardian_id: int) -> HttpResponse:
    guardian, children = access.family_for_staff_or_404(request.user, guardian_id)
    form = OfflineForm(request.POST)
    if not form.is_valid():
        return _render_card(request, guardian, children, offline_form=form, status=422)
    was_offline = hasattr(guardian, "offline")
    if form.cleaned_data["action"] == "mark":
        services.mark_offline(guardian=guardian, actor=request.user, note=form.cleaned_data["note"])
        if was_offline:
            messages.info(request, _("Семья уже отмечена: ничего не изменено."))
        else:
            messages.success(
                request,
                _(
                    "Отмечено: у семьи нет доступа к интернету. Она попадёт в список бумажных "
                    "выписок."
                ),
            )
    else:
        services.unmark_offline(guardian=guardian, actor=request.user)
        if was_offline:
            messages.success(request, _("Отметка «нет доступа к интернету» снята."))
        else:
            messages.info(request, _("Отметки не было: ничего не изменено."))
    return redirect(_card_url(guardian, "offline"))


# --- The school's offline list ----------------------------------------------------------


def offline_list(request: HttpRequest, school_id: int) -> HttpResponse:
    """Families who get paper extracts, by class, with the reason; printable."""
    school = School.objects.filter(pk=school_id).first()
    if school is None or not access.can_see_offline_list(request.user, school.pk):
        raise Http404(_("Школа не найдена"))
    today = school.local_today()
    everyone = selectors.offline_list(school, today)
    class_id = params.query_id(request.GET, "class")
    query = request.GET.get("q", "").strip()[:100]
    classes = selectors.narrow_offline_list(everyone, class_id=class_id, query=query)
    chosen = next((c.school_class for c in everyone if c.school_class.pk == class_id), None)
    return render(
        request,
        "consent/staff/offline_list.html",
        {
            "school": school,
            "today": today,
            "classes": classes,
            "all_classes": [(c.school_class, len(c.rows)) for c in everyone],
            "chosen_class": chosen,
            "query": query,
            "narrowed": bool(chosen or query),
            "total": sum(len(c.rows) for c in everyone),
            "shown": sum(len(c.rows) for c in classes),
        },
    )


urlpatterns = [
    path("classes/<int:class_id>/families/", class_families, name="class_families"),
    path("families/<int:guardian_id>/", family, name="family"),
    path("families/<int:guardian_id>/register/", register, name="register"),
    path("families/<int:guardian_id>/contacts/add/", add_contact, name="staff_add_contact"),
    path(
        "families/<int:guardian_id>/contacts/<int:contact_id>/remove/",
        remove_contact,
        name="staff_remove_contact",
    ),
    path("families/<int:guardian_id>/offline/", offline_toggle, name="offline_toggle"),
    path(
        "families/<int:guardian_id>/records/<int:record_id>/scan/",
        record_scan,
        name="record_scan",
    ),
    path("schools/<int:school_id>/offline/", offline_list, name="offline_list"),
]

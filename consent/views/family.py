"""The guardian's own consent pages: the first-login consent screen, the settings page
(state per child and channel, the history, giving more, withdrawing) and the contacts with
their confirmation. No id of another person is ever in these URLs: a guardian manages only
their own data; anyone who is not a guardian gets 403."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from school.access import viewer_for
from school.models import Guardian, Student
from school.params import safe_next
from school.selectors import children_of

from .. import access, services
from .. import guardian as family
from ..family_forms import CodeForm, ContactForm, DecisionForm, GiveChannelsForm, WithdrawForm
from ..middleware import recheck
from ..models import (
    CHANNEL_SCOPES,
    ConsentForm,
    ConsentRecord,
    ConsentText,
    Contact,
    ContactSource,
    Decision,
    Scope,
)
from ..texts import rendered_text

CLOSES_CABINET = {"all", Scope.CABINET}


def _today(request: HttpRequest) -> dt.date:
    return viewer_for(request.user).today


def _guardian(request: HttpRequest) -> Guardian:
    return access.own_guardian_or_403(request.user)


def _register(
    request: HttpRequest,
    guardian: Guardian,
    children: list[Student],
    decision: str,
    scopes: list[str],
    *,
    text: ConsentText | None,
    shown: str,
) -> ConsentRecord | None:
    """The guardian's own decision, made in the cabinet: the text as shown, with the time,
    address and browser it was made from."""
    return services.register_consent(
        guardian=guardian,
        students=children,
        decision=decision,
        scopes=scopes,
        form=ConsentForm.ELECTRONIC,
        text=text,
        shown_text=shown,
        actor=request.user,
        ip=request.META.get("REMOTE_ADDR") or None,
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
    )


def _keep_session(request: HttpRequest) -> None:
    """A decision of the guardian's own ends their other sessions (see ``consent.gate``);
    this one, where they made it, goes on (as after changing one's password)."""
    request.user.refresh_from_db(fields=["session_epoch"])
    update_session_auth_hash(request, request.user)


def _text_for(children: list[Student], guardian: Guardian):
    text = services.current_text()
    if text is None:
        return None, ""
    return text, rendered_text(text, guardian, children)


def prompt(request: HttpRequest) -> HttpResponse:
    """The consent text for the children who wait for a decision; give or refuse."""
    guardian = _guardian(request)
    waiting = set(family.pending_children(guardian.pk))
    children = [c for c in children_of(guardian.pk, _today(request)) if c.pk in waiting]
    text, shown = _text_for(children, guardian)
    if not children or text is None:
        return redirect(safe_next(request, reverse("consent:settings")))
    form = DecisionForm(request.POST or None, initial={"version": text.version})
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["version"] != text.version:
            messages.warning(
                request, _("Текст согласия обновился, пока страница была открыта. Прочтите его.")
            )
            return redirect(request.get_full_path())
        decision = form.cleaned_data["decision"]
        scopes = [Scope.PROCESSING, *form.cleaned_data["channels"]]
        if decision == Decision.REFUSED:
            scopes = [Scope.PROCESSING]
        _register(request, guardian, children, decision, scopes, text=text, shown=shown)
        _keep_session(request)
        recheck(request)
        if decision == Decision.GIVEN:
            messages.success(request, _("Спасибо! Согласие сохранено, дневник открыт."))
            return redirect(safe_next(request, reverse("diary:index")))
        messages.info(
            request,
            _(
                "Вы не дали согласия: электронный дневник и рассылки закрыты. Сведения об "
                "успеваемости ребёнка выдаёт классный руководитель на бумаге. Передумаете — "
                "дайте согласие в настройках."
            ),
        )
        return redirect("home")
    return render(
        request,
        "consent/family/prompt.html",
        {
            "form": form,
            "children": children,
            "text": text,
            "shown": shown,
            "next": safe_next(request, ""),
        },
    )


def _settings_context(request: HttpRequest, guardian: Guardian, **forms) -> dict:
    children = children_of(guardian.pk, _today(request))
    text, shown = _text_for(children, guardian)
    states = family.family_states(guardian, children)

    def anywhere(scope: str, is_open: bool) -> bool:
        return any(
            channel.open == is_open
            for state in states
            for channel in state.channels
            if channel.scope == scope
        )

    closed = [scope for scope in CHANNEL_SCOPES if anywhere(scope, False)]
    given = [scope for scope in CHANNEL_SCOPES if anywhere(scope, True)]
    return {
        "guardian": guardian,
        "states": states,
        "history": family.history(guardian),
        "contacts": guardian.contacts.filter(is_active=True).order_by("kind", "created_at"),
        "give_form": GiveChannelsForm(
            initial={"version": text.version if text else 0}, offered=closed
        ),
        "withdraw_form": WithdrawForm(given=given),
        "contact_form": ContactForm(),
        "text": text,
        "shown": shown,
        "any_given": any(state.processing == Decision.GIVEN for state in states),
        **forms,
    }


def settings_page(request: HttpRequest) -> HttpResponse:
    guardian = _guardian(request)
    return render(request, "consent/family/settings.html", _settings_context(request, guardian))


@require_POST
def give(request: HttpRequest) -> HttpResponse:
    guardian = _guardian(request)
    children = children_of(guardian.pk, _today(request))
    text, shown = _text_for(children, guardian)
    form = GiveChannelsForm(request.POST)
    if text is None:
        messages.error(request, _("Текст согласия ещё не опубликован: обратитесь в школу."))
        return redirect("consent:settings")
    if not form.is_valid():
        for error in form.errors.get("channels", []) + form.non_field_errors():
            messages.error(request, error)
        return redirect("consent:settings")
    if form.cleaned_data["version"] != text.version:
        messages.warning(request, _("Текст согласия обновился. Прочтите его и повторите."))
        return redirect("consent:settings")
    try:
        scopes = [Scope.PROCESSING, *form.cleaned_data["channels"]]
        record = _register(
            request, guardian, children, Decision.GIVEN, scopes, text=text, shown=shown
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("consent:settings")
    recheck(request)
    if record is None:
        messages.info(request, _("Это согласие уже действует: ничего не изменилось."))
    else:
        messages.success(request, _("Согласие сохранено."))
    return redirect("consent:settings")


def _withdrawal_text(guardian: Guardian, children: list[Student], scopes: list[str]) -> str:
    what = ", ".join(str(Scope(scope).label) for scope in scopes)
    names = "; ".join(child.full_name for child in children)
    return _("Я, %(guardian)s, отзываю согласие на %(what)s в отношении: %(children)s.") % {
        "guardian": guardian.full_name,
        "what": what,
        "children": names,
    }


@require_POST
def withdraw(request: HttpRequest) -> HttpResponse:
    guardian = _guardian(request)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Выберите, что вы отзываете."))
        return redirect("consent:settings")
    what = form.cleaned_data["what"]
    scopes = [Scope.PROCESSING] if what == "all" else [what]
    children = children_of(guardian.pk, _today(request))
    try:
        _register(
            request,
            guardian,
            children,
            Decision.WITHDRAWN,
            scopes,
            text=services.current_text(),
            shown=_withdrawal_text(guardian, children, scopes),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("consent:settings")
    if what in CLOSES_CABINET:
        # The law closes the cabinet at once: this session ends with the others.
        logout(request)
        messages.info(
            request,
            _(
                "Согласие отозвано, сеанс завершён. Электронный дневник и рассылки закрыты; "
                "сведения об успеваемости выдаёт классный руководитель на бумаге."
            ),
        )
        return redirect("login")
    messages.success(request, _("Согласие на этот способ отозвано: рассылка остановлена."))
    return redirect("consent:settings")


# --- Contacts -------------------------------------------------------------------------


def _own_contact(guardian: Guardian, contact_id: int) -> Contact:
    return get_object_or_404(Contact, pk=contact_id, guardian=guardian, is_active=True)


def _send_code(request: HttpRequest, contact: Contact) -> None:
    try:
        services.start_confirmation(contact=contact)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return
    if contact.kind == Contact.Kind.PHONE:
        messages.info(request, _("Мы отправили код в SMS на номер %s.") % contact.display)
    else:
        messages.info(request, _("Мы отправили письмо с кодом на %s.") % contact.email)


@require_POST
def add_contact(request: HttpRequest) -> HttpResponse:
    guardian = _guardian(request)
    form = ContactForm(request.POST)
    if form.is_valid():
        try:
            contact = services.add_contact(
                guardian=guardian,
                kind=form.cleaned_data["kind"],
                value=form.cleaned_data["value"],
                source=ContactSource.CABINET,
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error("value", error)
        else:
            messages.success(request, _("Контакт добавлен. Подтвердите его кодом."))
            _send_code(request, contact)
            return redirect(reverse("consent:settings") + f"#contact-{contact.pk}")
    # Re-show the settings with the typed value and the message: nothing is lost.
    context = _settings_context(request, guardian, contact_form=form)
    return render(request, "consent/family/settings.html", context)


@require_POST
def send_code(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = _own_contact(_guardian(request), contact_id)
    if contact.is_confirmed:
        messages.info(request, _("Этот контакт уже подтверждён."))
    else:
        _send_code(request, contact)
    return redirect(reverse("consent:settings") + f"#contact-{contact.pk}")


def confirm_contact(request: HttpRequest, contact_id: int) -> HttpResponse:
    """POST: check the code. GET (the link in the e-mail): the form with the code filled in."""
    guardian = _guardian(request)
    contact = _own_contact(guardian, contact_id)
    form = CodeForm(request.POST or None, initial={"code": request.GET.get("code", "")})
    if request.method == "POST" and form.is_valid():
        try:
            services.confirm_contact(
                contact=contact, code=form.cleaned_data["code"], actor=request.user
            )
        except ValidationError as error:
            form.add_error("code", error)
        else:
            messages.success(request, _("Контакт подтверждён."))
            return redirect(reverse("consent:settings") + f"#contact-{contact.pk}")
    return render(request, "consent/family/confirm.html", {"contact": contact, "form": form})


@require_POST
def remove_contact(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = _own_contact(_guardian(request), contact_id)
    services.deactivate_contact(contact=contact, actor=request.user)
    messages.success(request, _("Контакт удалён: на него больше ничего не придёт."))
    return redirect("consent:settings")


urlpatterns = [
    path("", prompt, name="prompt"),
    path("settings/", settings_page, name="settings"),
    path("give/", give, name="give"),
    path("withdraw/", withdraw, name="withdraw"),
    path("contacts/add/", add_contact, name="add_contact"),
    path("contacts/<int:contact_id>/code/", send_code, name="send_code"),
    path("contacts/<int:contact_id>/confirm/", confirm_contact, name="confirm_contact"),
    path("contacts/<int:contact_id>/remove/", remove_contact, name="remove_contact"),
]

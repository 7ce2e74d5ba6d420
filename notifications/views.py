"""The family's subscriptions and delivery history; the staff's view of a family's
deliveries with a resend, and their form for a written statement; the unsubscribe link."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from consent.access import family_for_staff_or_404, own_guardian_or_403
from consent.models import Contact
from consent.rules import open_channels
from school.access import viewer_for
from school.models import Guardian, Student
from school.selectors import children_of, family_today

from . import delivery
from .forms import CHANNELS, DeliveryFilterForm, SubscriptionsForm
from .models import Channel, Kind, Notification, Status, SubscriptionChange
from .subscriptions import DEFAULTS, preferences, set_subscription
from .tokens import read_unsubscribe_token

PER_PAGE = 25


# --- What the pages show ----------------------------------------------------------------


def _channel_state(guardian: Guardian, children: list[Student]) -> dict[int, list[dict]]:
    """Per child, per channel: may anything go out, and if not, why (two queries)."""
    opened = open_channels(guardian.pk)
    confirmed = set(
        Contact.objects.filter(
            guardian=guardian, is_active=True, confirmed_at__isnull=False
        ).values_list("kind", flat=True)
    )
    contact_of = {Channel.SMS: Contact.Kind.PHONE, Channel.EMAIL: Contact.Kind.EMAIL}
    missing = {
        Channel.SMS: _("нет подтверждённого номера телефона"),
        Channel.EMAIL: _("нет подтверждённого адреса электронной почты"),
    }
    state = {}
    for child in children:
        rows = []
        for channel in CHANNELS:
            problem = ""
            if channel not in opened.get(child.pk, set()):
                problem = _("нет согласия на этот канал")
            elif contact_of[channel] not in confirmed:
                problem = missing[channel]
            rows.append({"label": Channel(channel).label, "problem": problem})
        state[child.pk] = rows
    return state


def _sections(
    form: SubscriptionsForm, guardian: Guardian, children: list[Student]
) -> list[tuple[Student, list[dict], list[dict]]]:
    state = _channel_state(guardian, children)
    return [(child, form.rows(child), state[child.pk]) for child in children]


def _deliveries(request: HttpRequest, rows: QuerySet[Notification]) -> dict:
    form = DeliveryFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    if status:
        rows = rows.filter(status=status)
    page = Paginator(
        rows.select_related("student").order_by("-created_at", "-id"), PER_PAGE
    ).get_page(request.GET.get("page"))
    return {"page": page, "filter_form": form, "status": status}


def _save_subscriptions(
    request: HttpRequest, form: SubscriptionsForm, guardian: Guardian, statement_number: str
) -> bool:
    try:
        with transaction.atomic():
            changes = form.changes()
            for change in changes:
                set_subscription(
                    guardian=guardian,
                    student=change.student,
                    kind=change.kind,
                    channel=change.channel,
                    enabled=change.enabled,
                    frequency=change.frequency,
                    actor=request.user,
                    statement_number=statement_number,
                )
    except ValidationError as error:
        for message in error.messages:
            form.add_error(None, message)
        return False
    if changes:
        messages.success(request, _("Подписки сохранены."))
    else:
        messages.info(request, _("Ничего не изменилось."))
    return True


# --- The family's pages -----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def my_subscriptions(request: HttpRequest) -> HttpResponse:
    """What the parent gets about each child, by SMS and e-mail, and how often."""
    guardian = own_guardian_or_403(request.user)
    children = children_of(guardian.pk, viewer_for(request.user).today)
    current = preferences(guardian.pk, [c.pk for c in children])
    form = SubscriptionsForm(request.POST or None, children=children, current=current)
    if (
        request.method == "POST"
        and form.is_valid()
        and _save_subscriptions(request, form, guardian, "")
    ):
        return redirect("notifications:my_subscriptions")
    return render(
        request,
        "notifications/subscriptions.html",
        {
            "guardian": guardian,
            "form": form,
            "children": _sections(form, guardian, children),
            "own": True,
        },
        status=422 if request.method == "POST" else 200,
    )


def my_deliveries(request: HttpRequest) -> HttpResponse:
    """Everything sent (or not sent, and why) to the parent."""
    guardian = own_guardian_or_403(request.user)
    context = _deliveries(request, Notification.objects.filter(guardian=guardian))
    return render(request, "notifications/deliveries.html", {**context, "guardian": guardian})


# --- The staff's pages ------------------------------------------------------------------


def _staff_rows(guardian: Guardian, children: list[Student]) -> QuerySet[Notification]:
    """The family's rows about the children the staff member manages (family digests of
    their schools included)."""
    return Notification.objects.filter(
        Q(student__in=children)
        | Q(student__isnull=True, school_id__in={c.school_id for c in children}),
        guardian=guardian,
    )


def family_deliveries(request: HttpRequest, guardian_id: int) -> HttpResponse:
    """A family's deliveries with status and error, and a resend for the failed ones."""
    guardian, children = family_for_staff_or_404(request.user, guardian_id)
    context = _deliveries(request, _staff_rows(guardian, children))
    return render(
        request,
        "notifications/deliveries.html",
        {**context, "guardian": guardian, "children": children, "staff": True},
    )


@require_http_methods(["GET", "POST"])
def family_subscriptions(request: HttpRequest, guardian_id: int) -> HttpResponse:
    """The secretary sets a family's subscriptions from their written statement."""
    guardian, children = family_for_staff_or_404(request.user, guardian_id)
    current = preferences(guardian.pk, [c.pk for c in children])
    form = SubscriptionsForm(
        request.POST or None, children=children, current=current, statement=True
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and _save_subscriptions(request, form, guardian, form.cleaned_data["statement_number"])
    ):
        return redirect("notifications:family_subscriptions", guardian_id=guardian.pk)
    history = (
        SubscriptionChange.objects.filter(guardian=guardian, student__in=children)
        .select_related("student", "actor")
        .order_by("-at", "-id")[:20]
    )
    return render(
        request,
        "notifications/subscriptions.html",
        {
            "guardian": guardian,
            "form": form,
            "children": _sections(form, guardian, children),
            "history": history,
            "own": False,
        },
        status=422 if request.method == "POST" else 200,
    )


@require_POST
def resend(request: HttpRequest, notification_id: int) -> HttpResponse:
    """«Отправить повторно» for a failed delivery."""
    notification = get_object_or_404(Notification, pk=notification_id)
    guardian, children = family_for_staff_or_404(request.user, notification.guardian_id)
    if not _staff_rows(guardian, children).filter(pk=notification.pk).exists():
        raise Http404(_("Уведомление не найдено"))
    notification = delivery.resend(notification=notification, actor=request.user)
    if notification.status == Status.QUEUED:
        messages.success(request, _("Уведомление поставлено в очередь на отправку."))
    else:
        messages.info(
            request, _("Уведомление уже не в состоянии «не доставлено»: повторять нечего.")
        )
    return redirect("notifications:family_deliveries", guardian_id=guardian.pk)


# --- The unsubscribe link (no login) ----------------------------------------------------


@login_not_required
@csrf_exempt  # the signed token is the authority; mail clients POST without a CSRF token
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows what the link will stop and a button; POST (the button, or a mail
    client's one-click request, RFC 8058) stops it."""
    data = read_unsubscribe_token(token)
    guardian = Guardian.objects.filter(pk=data[0]).first() if data else None
    if data is None or guardian is None or (data[2], Channel.EMAIL) not in DEFAULTS:
        return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=400)
    _, student_id, kind = data
    children = [
        c
        for c in children_of(guardian.pk, family_today(guardian.pk))
        if student_id is None or c.pk == student_id
    ]
    done = False
    if request.method == "POST":
        current = preferences(guardian.pk, [c.pk for c in children])
        with transaction.atomic():
            for child in children:
                enabled, frequency = current[(child.pk, kind, Channel.EMAIL)]
                if enabled:
                    set_subscription(
                        guardian=guardian,
                        student=child,
                        kind=kind,
                        channel=Channel.EMAIL,
                        enabled=False,
                        frequency=frequency,
                        actor=None,
                    )
        done = True
    return render(
        request,
        "notifications/unsubscribe.html",
        {"kind_label": Kind(kind).label, "done": done, "token": token},
    )

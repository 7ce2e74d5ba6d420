"""The paper forms as PDF: the consent and the withdrawal statement, prefilled, to print and
sign. Staff print them for a family they manage (secretary, leadership, the class teacher;
404 for anyone else), listing the children they may manage; a guardian prints their own,
for all their children (403 for anyone who is not a guardian)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.http import require_safe

from school.access import viewer_for
from school.models import Guardian, Student, User
from school.selectors import children_of

from .. import access
from ..documents import consent_form_pdf, withdrawal_form_pdf


def _own_family(user: User) -> tuple[Guardian, list[Student]]:
    guardian = access.own_guardian_or_403(user)
    # Every linked child, whatever the consent's state: the form is how one is given.
    return guardian, children_of(guardian.pk, viewer_for(user).today)


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _render(
    make: Callable[[Guardian, list[Student]], bytes],
    family: tuple[Guardian, list[Student]],
    filename: str,
) -> HttpResponse:
    guardian, children = family
    return _pdf_response(make(guardian, children), filename)


@require_safe
def consent_form(request: HttpRequest, guardian_id: int) -> HttpResponse:
    return _render(
        consent_form_pdf,
        access.family_for_staff_or_404(request.user, guardian_id),
        f"soglasie-pd-{guardian_id}.pdf",
    )


@require_safe
def withdrawal_form(request: HttpRequest, guardian_id: int) -> HttpResponse:
    return _render(
        withdrawal_form_pdf,
        access.family_for_staff_or_404(request.user, guardian_id),
        f"otzyv-soglasiya-pd-{guardian_id}.pdf",
    )


@require_safe
def my_consent_form(request: HttpRequest) -> HttpResponse:
    return _render(consent_form_pdf, _own_family(request.user), "soglasie-pd.pdf")


@require_safe
def my_withdrawal_form(request: HttpRequest) -> HttpResponse:
    return _render(withdrawal_form_pdf, _own_family(request.user), "otzyv-soglasiya-pd.pdf")


urlpatterns = [
    path("families/<int:guardian_id>/consent-form.pdf", consent_form, name="consent_form"),
    path(
        "families/<int:guardian_id>/withdrawal-form.pdf",
        withdrawal_form,
        name="withdrawal_form",
    ),
    path("my/consent-form.pdf", my_consent_form, name="my_consent_form"),
    path("my/withdrawal-form.pdf", my_withdrawal_form, name="my_withdrawal_form"),
]

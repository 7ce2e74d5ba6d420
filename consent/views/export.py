"""What the system holds about a family (152-ФЗ art. 14), as a printable page or a JSON file
(``?format=json``).

- ``my_export``: the signed-in guardian's own data and their children's; anyone who is not a
  guardian gets 403 (there is nothing of theirs to show). Open whatever the consent: the
  right to know what is held does not depend on it.
- ``family_export``: the same for the staff who manage the family's data (secretary and
  leadership of a child's school, the child's class teacher: ``consent.access``), limited to
  the children they manage; 404 for everyone else. Each staff export is written in the
  family's audit.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from school import params
from school.models import Guardian
from school.selectors import family_today

from .. import access
from ..export import display_table, guardian_data, record_staff_export, to_json

# Sections of one row read better as a list of facts than as a one-row table.
FACT_SECTIONS = frozenset({"guardian", "offline"})
# Wider sections are shown as one small card per row (phones, print).
MAX_TABLE_COLUMNS = 7


def _wants_json(request: HttpRequest) -> bool:
    return params.query_choice(request.GET, "format", {"json"}, "") == "json"


def _json_response(data: dict, guardian: Guardian) -> HttpResponse:
    response = HttpResponse(to_json(data), content_type="application/json; charset=utf-8")
    name = f"personal-data-{guardian.pk}-{family_today(guardian.pk):%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _page(request: HttpRequest, data: dict, guardian: Guardian, *, staff: bool) -> HttpResponse:
    sections = []
    for section in data["sections"]:
        headers, rows = display_table(section["rows"])
        if section["key"] in FACT_SECTIONS:
            layout = "facts"
        elif len(headers) > MAX_TABLE_COLUMNS:
            layout = "cards"
        else:
            layout = "table"
        sections.append(
            {
                **section,
                "headers": headers,
                "cells": rows,
                "records": [list(zip(headers, row, strict=True)) for row in rows],
                "layout": layout,
            }
        )
    return render(
        request,
        "consent/export/page.html",
        {
            "data": data,
            "sections": sections,
            "guardian": guardian,
            "staff": staff,
            "json_url": f"{request.path}?format=json",
        },
    )


@require_GET
def my_export(request: HttpRequest) -> HttpResponse:
    guardian = access.own_guardian_or_403(request.user)
    data = guardian_data(guardian)
    if _wants_json(request):
        return _json_response(data, guardian)
    return _page(request, data, guardian, staff=False)


@require_GET
def family_export(request: HttpRequest, guardian_id: int) -> HttpResponse:
    guardian, children = access.family_for_staff_or_404(request.user, guardian_id)
    fmt = "json" if _wants_json(request) else "html"
    record_staff_export(guardian=guardian, actor=request.user, students=children, fmt=fmt)
    data = guardian_data(guardian, children)
    if fmt == "json":
        return _json_response(data, guardian)
    return _page(request, data, guardian, staff=True)


urlpatterns = [
    path("my/export/", my_export, name="my_export"),
    path("families/<int:guardian_id>/export/", family_export, name="family_export"),
]

"""What the diary adds to the school's pages (see ``school.extensions``): the families'
absence reports on a class card, for its class teacher and the school's leadership."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from school.extensions import ClassLink
from school.models import SchoolClass

from .access import can_see_absence_reports


def class_links(request: HttpRequest, school_class: SchoolClass) -> list[ClassLink]:
    if not can_see_absence_reports(request.user, school_class):
        return []
    return [
        ClassLink(
            _("Сообщения родителей о пропусках"),
            reverse("diary:absence_reports", args=[school_class.pk]),
        )
    ]

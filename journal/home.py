"""What the journal adds to the school's pages (see ``school.extensions``; settings
``SCHOOL_HOME_SECTIONS`` and ``SCHOOL_CLASS_LINKS`` name them): today's lessons on a
teacher's home page, and the journal's links on a class card."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from journal import selectors
from journal.views.day import day_context
from school import access
from school.extensions import Attention, AttentionRow, ClassLink, HomeSection
from school.models import School, SchoolClass


def today_section(request: HttpRequest) -> dict | None:
    """The teacher's lessons today; nothing for those who do not teach."""
    viewer = access.viewer_for(request.user)
    if not viewer.teacher_schools:
        return None
    return day_context(request.user, viewer.today, viewer.today, viewer.teacher_schools)


TODAY_SECTION = HomeSection(
    slot="teacher", template="journal/home_today.html", context=today_section
)


def class_links(request: HttpRequest, school_class: SchoolClass) -> list[ClassLink]:
    if not access.can_view_class_journals(request.user, school_class):
        return []
    return [
        ClassLink(_("Журнал"), reverse("journal:class_journals", args=[school_class.pk])),
        ClassLink(
            _("График контрольных"), reverse("journal:test_schedule", args=[school_class.pk])
        ),
    ]


# The past days whose lessons the leadership's «needs attention» checks for an empty journal
# (today's are left to the evening).
UNFILLED_DAYS = 7
SHOWN_ROWS = 8


def unfilled_journals(school: School, today: dt.date) -> Attention:
    """For the leadership: journals with lessons of the past week that nobody filled in,
    per teacher, each opening its grid."""
    journals = selectors.unfilled_journals(
        school.pk, today - dt.timedelta(days=UNFILLED_DAYS), today - dt.timedelta(days=1)
    )
    rows = []
    for journal in journals[:SHOWN_ROWS]:
        url = reverse("journal:grid", args=[journal.class_id, journal.subject_id])
        if journal.group_id:
            url += f"?group={journal.group_id}"
        dates = f"{journal.first:%d.%m}" + (
            f"–{journal.last:%d.%m}" if journal.last != journal.first else ""
        )
        lessons = _("уроков: %(n)d") % {"n": journal.lessons}
        rows.append(
            AttentionRow(
                label=" · ".join(
                    part for part in (journal.class_name, journal.subject, journal.group) if part
                ),
                url=url,
                detail=f"{journal.teacher} · {lessons}, {dates}",
            )
        )
    return Attention(
        title=_("Журналы, не заполненные за прошедшую неделю"),
        count=sum(j.lessons for j in journals),
        done=_("За прошедшую неделю все проведённые уроки заполнены."),
        rows=rows,
        more=max(len(journals) - SHOWN_ROWS, 0),
    )

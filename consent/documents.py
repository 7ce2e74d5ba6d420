"""The paper forms as PDF (WeasyPrint): the consent and the withdrawal statement, addressed
to the school's director, prefilled with the family's names and the operator's details and
ready to be signed. One form per school: a consent is given to one operator.

The PDF is made offline: the only resource the HTML may load is the print stylesheet from
the project's static files (``StaticOnlyFetcher``); anything else is refused."""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from school.models import Guardian, School, Student

from .models import ConsentRecord, ConsentText, Decision
from .services import current_text
from .texts import (
    BOX_PAPER,
    DEFAULT_BODY,
    DEFAULT_TITLE,
    WITHDRAWAL_TITLE,
    by_school,
    class_names,
    given_description,
    rendered_text,
    withdrawal_text,
)

STATIC_SCHEME = "static:"
STYLESHEET = "css/consent_print.css"

# Values taken from the database are wrapped in these while the text is plain, and become
# underlined «written in» spans once it is escaped.
_FILL_START, _FILL_END = "\x02", "\x03"


class StaticOnlyFetcher(URLFetcher):
    """Serves ``static:<path>`` from the project's static files; refuses every other URL,
    so a PDF never reaches the network or the rest of the file system."""

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        if url.startswith(STATIC_SCHEME):
            relative = url.removeprefix(STATIC_SCHEME).lstrip("/")
            found = finders.find(relative) if ".." not in relative else None
            if found:
                content_type = mimetypes.guess_type(relative)[0] or "application/octet-stream"
                return URLFetcherResponse(
                    url, Path(found).read_bytes(), headers={"Content-Type": content_type}
                )
        raise ValueError(f"В PDF можно подключать только статические файлы проекта: {url}")


def _mark(value: str) -> str:
    return f"{_FILL_START}{value}{_FILL_END}"


def _line_html(line: str) -> str:
    html = escape(line)
    html = html.replace(_FILL_START, '<span class="fill">').replace(_FILL_END, "</span>")
    return html.replace(BOX_PAPER, '<span class="box"></span>')


def text_html(text: str) -> SafeString:
    """Plain text to print HTML: paragraphs at blank lines, each line a block, list items
    (a tick box or a dash in front) with a hanging indent."""
    blocks = []
    for paragraph in text.split("\n\n"):
        lines = []
        for number, line in enumerate(paragraph.splitlines()):
            kind = "line"
            if line.startswith((BOX_PAPER, "— ")):
                kind = "line item"
            elif number == 0 and line[:1].isdigit():
                kind = "line numbered"
            if "____" in line:
                kind += " blanks"  # justified, a wrapped blank would stretch the words
            lines.append(f'<div class="{kind}">{_line_html(line)}</div>')
        blocks.append('<div class="para">' + "".join(lines) + "</div>")
    # Safe: every line went through escape() before the spans were added.
    return mark_safe("".join(blocks))


@dataclass
class FormPart:
    """One school's form: the operator, the children, the text to print."""

    school: School | None
    students: list[Student]
    html: SafeString


def _parts(guardian: Guardian, students: list[Student], make_text) -> list[FormPart]:
    classes = class_names(students)
    groups = by_school(students) or [(None, [])]
    return [
        FormPart(school, group, text_html(make_text(group, classes))) for school, group in groups
    ]


def _pdf(template: str, context: dict) -> bytes:
    html = render_to_string(template, context)
    return HTML(
        string=html, base_url=STATIC_SCHEME, url_fetcher=StaticOnlyFetcher(fail_on_errors=True)
    ).write_pdf()


def _published_text() -> ConsentText:
    text = current_text()
    if text is None:
        # Only if every version was unpublished by hand: print the default, marked version 1.
        text = ConsentText(version=1, title=DEFAULT_TITLE, body=DEFAULT_BODY)
    return text


def consent_form_pdf(
    guardian: Guardian, students: list[Student], *, text: ConsentText | None = None
) -> bytes:
    """The consent on paper: the published wording (or ``text``) filled for this family,
    blank lines for the documents and addresses, a box per channel, signature lines."""
    text = text or _published_text()

    def make_text(group: list[Student], classes: dict[int, str]) -> str:
        return rendered_text(text, guardian, group, paper=True, classes=classes, mark=_mark)

    return _pdf(
        "consent/documents/consent_form.html",
        {
            "guardian": guardian,
            "parts": _parts(guardian, students, make_text),
            "title": text.title,
            "version": text.version,
            "stylesheet": f"{STATIC_SCHEME}{STYLESHEET}",
        },
    )


def _last_given(guardian: Guardian, students: list[Student]) -> ConsentRecord | None:
    return (
        ConsentRecord.objects.filter(
            guardian=guardian, decision=Decision.GIVEN, students__in=students
        )
        .select_related("text")
        .order_by("-recorded_at", "-id")
        .first()
    )


def _given(guardian: Guardian, students: list[Student]) -> str:
    """When and how the consent being withdrawn was given, if the system knows it."""
    record = _last_given(guardian, students) if students else None
    if record is None:
        return given_description(None)
    on = record.paper_date or timezone.localtime(record.recorded_at).date()
    version = record.text.version if record.text else None
    return _mark(given_description(on, form=record.get_form_display(), version=version))


def withdrawal_form_pdf(guardian: Guardian, students: list[Student]) -> bytes:
    """The withdrawal statement on paper: which consent (its date and form, when the system
    knows it), full or per channel, and what happens after it."""

    def make_text(group: list[Student], classes: dict[int, str]) -> str:
        return withdrawal_text(
            guardian,
            group,
            given=_given(guardian, group),
            paper=True,
            classes=classes,
            mark=_mark,
        )

    return _pdf(
        "consent/documents/withdrawal_form.html",
        {
            "guardian": guardian,
            "parts": _parts(guardian, students, make_text),
            "title": WITHDRAWAL_TITLE,
            "stylesheet": f"{STATIC_SCHEME}{STYLESHEET}",
        },
    )

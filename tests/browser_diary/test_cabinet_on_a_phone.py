"""Every page of the family's cabinet on a 360 px phone and at 1280 px: nothing makes the
page scroll sideways, every link and button is at least 44 × 44 px (links inside a sentence
excepted, WCAG 2.5.5), no serious axe-core finding; the marks page says what a weight is and
how the average is counted, and says once that period marks are not there; the sections
strip shows the current section and that there are more. Screenshots go to
artifacts/screenshots/ (diary-*-360.png, diary-*-1280.png)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from journal import services as journal
from journal.models import Lesson
from journal.services.work_types import work_type_for
from tests.browser.conftest import horizontal_overflow, tap_target_problems
from tests.browser_diary.conftest import (
    DESKTOP,
    PHONE,
    login,
    screenshot,
    serious_axe_violations,
)
from tests.diary_world import build_diary_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = (
    "week",
    "marks",
    "finals",
    "tests",
    "messages",
    "teachers",
    "holidays",
    "record",
    "report_absence",
)
PLACEHOLDER = "отметок за период и за год в дневнике пока нет"


def _more_marks(dw) -> None:
    """A fortnight of marks for ``child_a`` before day0: answers (weight 1), dictations in
    a second column (weight 2), so that the marks page looks like a real one."""
    director = dw.users["director"]
    dictation = work_type_for(dw.school.pk, "dictation")
    lessons = Lesson.objects.filter(
        school_class=dw.class_5a,
        date__gte=dw.week0 - dt.timedelta(days=7),
        date__lt=dw.day0,
        group__isnull=True,
    ).order_by("date", "number")
    values = [4, 5, 3, 5, 4, 5, 2, 4]
    for n, lesson in enumerate(lessons):
        journal.record_mark(
            actor=director,
            lesson=lesson,
            student=dw.child_a,
            value=values[n % len(values)],
            reason="Проверка дневника",
        )
        if n % 3 == 0:
            journal.add_mark_column(
                actor=director, lesson=lesson, work_type=dictation, reason="Проверка дневника"
            )
            journal.record_mark(
                actor=director,
                lesson=lesson,
                student=dw.child_a,
                value=values[(n + 3) % len(values)],
                position=2,
                reason="Проверка дневника",
            )


def _url(live_server, name: str, student) -> str:
    return live_server.url + reverse(f"diary:{name}", args=[student.pk])


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_every_cabinet_page_fits_the_screen_and_the_finger(live_server, new_page, width) -> None:
    dw = build_diary_world()
    _more_marks(dw)
    page = new_page(width)
    login(page, live_server, "parent")
    week = _url(live_server, "week", dw.child_a)
    urls = {name: _url(live_server, name, dw.child_a) for name in PAGES}
    # day0's week (marks, a file, a praise) and a fortnight earlier (no «today» brief: the
    # link back to the current week shows).
    urls["week-day0"] = f"{week}?start={dw.week0}"
    urls["week-past"] = f"{week}?start={dw.week0 - dt.timedelta(days=14)}"
    for name, url in urls.items():
        page.goto(url)
        screenshot(page, f"diary-{name}-{width}")
        assert horizontal_overflow(page) == [], f"{name} at {width} px"
        assert serious_axe_violations(page) == [], f"{name} at {width} px"
        if width == PHONE:
            assert tap_target_problems(page) == [], name


def test_the_marks_page_spells_out_weights_and_the_average_once(live_server, new_page) -> None:
    dw = build_diary_world()
    _more_marks(dw)
    page = new_page(PHONE)
    login(page, live_server, "parent")
    page.goto(_url(live_server, "marks", dw.child_a))

    text = page.inner_text("main")
    assert text.count(PLACEHOLDER) == 1, text
    assert "появятся позже" not in text
    legend = page.locator(".legend")
    assert legend.is_visible()
    assert "сумма произведений «отметка × вес», делённая на сумму весов" in legend.inner_text()
    assert "К/р — контрольная работа, вес 3" in legend.inner_text()
    assert "Дикт — диктант, вес 2" in legend.inner_text()
    # No subscripts: the weight is written under the mark, in words, when it is not 1.
    assert page.locator(".mark sub").count() == 0
    maths = page.locator(".subject", has_text="Математика")
    test_chip = maths.locator(".mchip", has_text="К/р")
    assert test_chip.locator(".mchip__weight").inner_text() == "вес 3"
    answer_chip = maths.locator(".mchip", has_text="Отв").first
    assert answer_chip.locator(".mchip__weight").count() == 0
    # Dates and work types are legible: at least 12 px.
    sizes = page.locator(".mchip__date, .mchip__type, .mchip__weight").evaluate_all(
        "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))"
    )
    assert sizes and min(sizes) >= 12, sizes
    # The link to the legend lands on it.
    page.click(".marks-note a")
    assert page.locator("#legend-title").is_visible()


def _strip(page) -> dict:
    return page.evaluate(
        """() => {
          const strip = document.querySelector('.sections__strip').getBoundingClientRect();
          const tab = document.querySelector('.sections [aria-current=page]')
            .getBoundingClientRect();
          const shown = (sel) => {
            const el = document.querySelector(sel);
            const box = el.getBoundingClientRect();
            return getComputedStyle(el).display !== 'none' ? [box.width, box.height] : null;
          };
          return {
            inside: tab.left >= strip.left - 0.5 && tab.right <= strip.right + 0.5,
            prev: shown('.sections__more--prev'),
            next: shown('.sections__more--next'),
            scrollLeft: document.querySelector('.sections__strip').scrollLeft,
          };
        }"""
    )


def test_the_sections_strip_shows_the_current_section_and_that_there_are_more(
    live_server, new_page
) -> None:
    dw = build_diary_world()
    page = new_page(PHONE)
    login(page, live_server, "parent")

    page.goto(_url(live_server, "week", dw.child_a))
    strip = _strip(page)
    assert strip["inside"] and strip["prev"] is None
    assert strip["next"] is not None and min(strip["next"]) >= 44, strip
    page.click(".sections__more--next")
    page.wait_for_function("() => document.querySelector('.sections__strip').scrollLeft > 0")
    screenshot(page, "diary-sections-scrolled-360")

    # The last section, far off the first screen's strip, is scrolled into view.
    page.goto(_url(live_server, "record", dw.child_a))
    strip = _strip(page)
    assert strip["inside"] and strip["scrollLeft"] > 0, strip
    assert strip["prev"] is not None and strip["next"] is None, strip
    page.locator(".sections__more--prev").click()
    page.wait_for_function(
        "(before) => document.querySelector('.sections__strip').scrollLeft < before",
        arg=strip["scrollLeft"],
    )

    # On a desktop the sections wrap: no arrows.
    wide = new_page(DESKTOP)
    login(wide, live_server, "parent")
    wide.goto(_url(live_server, "record", dw.child_a))
    strip = _strip(wide)
    assert strip["inside"] and strip["prev"] is None and strip["next"] is None

"""The tap-target and sideways-scroll helpers of tests/browser/conftest.py find what they
should and nothing else (a page set inline, no server)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import horizontal_overflow, tap_target_problems

pytestmark = [pytest.mark.browser]

PAGE = """
<!doctype html><html lang="ru"><body style="margin:0">
<style>.big { display: inline-block; min-width: 44px; min-height: 44px; }</style>
<a class="skip" href="#m" style="position:absolute; left:-999px">К содержанию</a>
<nav><a class="big" href="#1">Неделя</a> <a class="small" href="#2">Оценки</a></nav>
<p>Оценок пока нет: <a class="inline" href="#3">напишите учителю</a>.</p>
<button class="big">Сохранить</button>
<span style="position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)">
  <a href="#4">скрытая</a></span>
<button style="display:none">нет</button>
<div style="overflow-x:auto; width:300px"><div style="width:900px">таблица</div></div>
</body></html>
"""


def test_tap_targets_are_measured_except_inline_hidden_and_parked_ones(page) -> None:
    page.set_viewport_size({"width": 360, "height": 640})
    page.set_content(PAGE)
    problems = tap_target_problems(page)
    assert len(problems) == 1, problems
    assert problems[0].startswith("a.small «Оценки»")
    assert tap_target_problems(page, selector="button") == []


def test_sideways_scroll_names_the_culprit_and_ignores_scrolling_boxes(page) -> None:
    page.set_viewport_size({"width": 360, "height": 640})
    page.set_content(PAGE)
    assert horizontal_overflow(page) == []
    wide = '<p class="wide" style="width:500px">длинная строка</p>'
    page.evaluate("html => document.body.insertAdjacentHTML('beforeend', html)", wide)
    found = horizontal_overflow(page)
    assert found[0] == "the page is 500 px wide in a 360 px window"
    assert found[1].startswith("p.wide «длинная строка» ends at 500 px")


def test_an_absolute_element_escaping_its_scrolling_box_is_named(page) -> None:
    """A positioned ancestor outside the scrolling strip is its containing block: the strip
    does not clip it, and the page scrolls sideways."""
    page.set_viewport_size({"width": 360, "height": 640})
    page.set_content(
        '<body style="margin:0"><nav style="position:relative">'
        '<div style="overflow-x:auto"><div style="width:900px">'
        '<span class="far" style="position:absolute; left:600px">ещё</span>'
        "</div></div></nav></body>"
    )
    found = horizontal_overflow(page)
    assert len(found) == 2 and found[1].startswith("span.far «ещё»"), found

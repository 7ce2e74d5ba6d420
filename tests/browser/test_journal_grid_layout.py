"""The grid's layout as people see it, measured in a real browser: at 1280 px the newest
lesson opens fully visible between the sticky names and «Ср.»; at 360 px the lesson
dates the page tells to tap are 44 × 44 px, names are whole, the page itself does not
scroll sideways; the lesson page saves a chosen mark without a console error; the marks
offered and accepted are the school's scale (``School.mark_scale``) everywhere."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from journal import services
from journal.models import JournalChange, Lesson, LessonStatus, Mark, MarkColumn
from school.models import Period, School
from tests.world import World, build_world

from .conftest import (
    horizontal_overflow,
    login,
    screenshot,
    serious_axe_violations,
    tap_target_problems,
)
from .test_journal_grid import journal_of_6b

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def wide_journal_of_6b(w: World) -> str:
    """``journal_of_6b`` made wider than a 1280 px screen, as a real quarter is: a second
    mark column (homework) in every past lesson and three planned lessons after today, so
    the newest lesson up to today is neither the first nor the last column. Returns the
    grid's address."""
    period, _previous, _other = journal_of_6b(w)
    homework = services.work_type_for(w.school.pk, "homework")
    for lesson in Lesson.objects.filter(school_class=w.class_6b, subject=w.math):
        services.column_for(lesson, 1)
        MarkColumn.objects.get_or_create(
            lesson=lesson, position=2, defaults={"work_type": homework}
        )
    end = period.end if period is not None else w.year.end
    day, added = w.school.local_today(), 0
    while added < 3 and day < end:
        day += dt.timedelta(days=1)
        if day.isoweekday() <= 5:
            Lesson.objects.create(
                school=w.school,
                school_class=w.class_6b,
                subject=w.math,
                teacher=w.users["teacher"],
                date=day,
                number=2,
                status=LessonStatus.PLANNED,
            )
            added += 1
    url = f"/journal/classes/{w.class_6b.pk}/subjects/{w.math.pk}/"
    return url + (f"?period={period.pk}" if period is not None else "")


# Bounding boxes of what the tests compare: the box, the sticky names and «Ср.», the
# newest lesson's header and its cells, every lesson header.
MEASURE = """() => {
  const rect = el => { const r = el.getBoundingClientRect();
    return {left: r.left, right: r.right, top: r.top, bottom: r.bottom,
            width: r.width, height: r.height}; };
  const box = document.querySelector('.jbox');
  const head = document.querySelector('.jgrid thead tr');
  const heads = [...head.querySelectorAll('th.jh:not(.jh--name)')];
  const current = heads.findIndex(th => th.hasAttribute('data-current'));
  const rows = [...document.querySelectorAll('.jgrid tbody tr')];
  const b = box.getBoundingClientRect();
  return {
    box: {left: b.left + box.clientLeft, right: b.left + box.clientLeft + box.clientWidth},
    scrolls: box.scrollWidth > box.clientWidth,
    names: rect(head.cells[0]),
    avg: rect(head.querySelector('.jsum')),
    current: current,
    currentHead: rect(heads[current]),
    currentCells: rows.slice(0, 5).map(tr => rect(tr.querySelectorAll('td.jc')[current])),
    heads: heads.map(rect),
  };
}"""


def _inside(inner: dict, left: float, right: float) -> bool:
    """Within [left, right], give or take the pixel that scroll rounding may cost."""
    return inner["left"] >= left - 1 and inner["right"] <= right + 1


def _topmost_in(page, x: float, y: float, selector: str) -> bool:
    """Whether what is painted on top at (x, y) belongs to ``selector``."""
    return page.evaluate(
        "([x, y, s]) => { const e = document.elementFromPoint(x, y);"
        " return !!(e && e.closest(s)); }",
        [x, y, selector],
    )


def test_at_1280_the_newest_lesson_opens_fully_visible_beside_the_sticky_columns(
    page, live_server
) -> None:
    """The box scrolls (more lessons than fit); it opens with the newest lesson up to today
    wholly between the names and «Ср.», on top where it is drawn; no lesson column is
    half under the names; keyboard moves to the first and the last column keep the cell
    clear of the sticky columns too."""
    from playwright.sync_api import expect

    w = build_world(journal=True)
    grid = wide_journal_of_6b(w)
    login(page, live_server, "teacher")
    page.goto(f"{live_server.url}{grid}")
    expect(page.locator("[data-journal-grid]")).to_be_visible()
    m = page.evaluate(MEASURE)
    assert m["scrolls"], "the test needs a grid wider than the screen"
    assert 0 < m["current"] < len(m["heads"]) - 1
    band = (m["names"]["right"], m["avg"]["left"])
    assert _inside(m["currentHead"], *band), m
    for cell in m["currentCells"]:
        assert _inside(cell, *band), (cell, band)
        x, y = (cell["left"] + cell["right"]) / 2, (cell["top"] + cell["bottom"]) / 2
        assert _topmost_in(page, x, y, "td.jc")
    half_hidden = [h for h in m["heads"] if h["left"] < band[0] - 1 and h["right"] > band[0] + 1]
    assert half_hidden == [], "a lesson column is cut by the names' edge"
    # The names cover what scrolls under them (the badges slide beneath).
    name_cell = page.locator(".jgrid tbody tr").first.locator("th.jname").bounding_box()
    assert _topmost_in(
        page, name_cell["x"] + name_cell["width"] - 2, name_cell["y"] + 10, "th.jname"
    )
    screenshot(page, "grid-wide-1280")
    assert serious_axe_violations(page) == []

    # Arrows far to the right, then far to the left: the cell moved to is never under
    # the sticky columns (the scroll padding is the measured sticky widths).
    page.locator("td.jc--cur").click()
    for start, key in (("Home", "ArrowRight"), ("End", "ArrowLeft")):
        page.keyboard.press(start)
        for _ in range(25):
            page.keyboard.press(key)
        m = page.evaluate(MEASURE)
        focused = page.evaluate(
            "() => { const r = document.activeElement.getBoundingClientRect();"
            " return {left: r.left, right: r.right}; }"
        )
        assert _inside(focused, m["names"]["right"], m["avg"]["left"]), (key, focused, m)


def test_the_read_only_grid_opens_on_the_newest_lesson_too(page, live_server) -> None:
    """The class teacher's and the leadership's read-only grid (no typing script) opens on
    the newest lesson as well, not on September."""
    from playwright.sync_api import expect

    w = build_world(journal=True)
    grid = wide_journal_of_6b(w)
    login(page, live_server, "deputy")
    page.goto(f"{live_server.url}{grid}")
    expect(page.locator(".jgrid")).to_be_visible()
    assert page.locator("[data-journal-grid]").count() == 0
    m = page.evaluate(MEASURE)
    assert m["scrolls"]
    assert _inside(m["currentHead"], m["names"]["right"], m["avg"]["left"]), m


def test_at_360_the_dates_to_tap_are_44_px_and_names_are_whole(page, live_server) -> None:
    """The page says «нажмите на дату урока»: every date is a 44 × 44 px target, so are
    the period tabs and buttons above the grid; the page body does not scroll sideways
    (the grid's own box does); each name is shown whole (wrapped, not cut) with the full
    name as its title and as the row header's accessible name."""
    from playwright.sync_api import expect

    w = build_world(journal=True)
    grid = wide_journal_of_6b(w)
    page.set_viewport_size({"width": 360, "height": 740})
    login(page, live_server, "teacher")
    page.goto(f"{live_server.url}{grid}")
    expect(page.locator(".phone-only")).to_contain_text("нажмите на дату урока")

    dates = tap_target_problems(page, ".jh__date, .gridbar a, .gridbar button")
    assert dates == []
    assert horizontal_overflow(page) == []
    assert page.evaluate(
        "() => { const b = document.querySelector('.jbox'); return b.scrollWidth > b.clientWidth; }"
    )

    cut = page.evaluate(
        """() => [...document.querySelectorAll('th.jname')]
          .filter(th => th.scrollWidth > th.clientWidth + 1
            || [...th.querySelectorAll('.jname__t')].some(t => t.scrollWidth > t.clientWidth + 1))
          .map(th => th.textContent.trim())"""
    )
    assert cut == []
    student = w.child_b
    row_header = page.locator(f"th.jname[title='{student.full_name}']")
    expect(row_header).to_have_count(1)
    expect(row_header).to_contain_text(student.last_name)
    expect(
        page.get_by_role("rowheader", name=re.compile(re.escape(student.full_name)))
    ).to_have_count(1)

    screenshot(page, "grid-wide-360")
    assert serious_axe_violations(page) == []
    # The tap does what the page says: the lesson page opens.
    page.locator("th[data-current] .jh__date").click()
    expect(page).to_have_url(re.compile(r"/journal/lessons/\d+/$"))


def _settled(page) -> None:
    """htmx wires a swapped-in row up when it settles (20 ms later): wait for that."""
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, "
        ".htmx-added')"
    )


def _choose(page, select: str, value: str) -> None:
    """Choose in a lesson page list and wait for its save to come back and settle."""
    _settled(page)
    with page.expect_response(lambda r: r.request.method == "POST"):
        page.select_option(select, value)
    page.locator(".sheet__saved, .sheet__msg").first.wait_for()
    _settled(page)


def _console_errors(page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


def test_on_a_phone_choosing_a_mark_saves_without_a_console_error(page, live_server) -> None:
    """The teacher's lesson page has no «Причина изменения» field: choosing a mark and an
    absence saves each at once and logs nothing (htmx used to look for the missing
    field). The director correcting a closed period has the field: the reason typed
    there goes with the save."""
    from playwright.sync_api import expect

    w = build_world(journal=True)
    journal_of_6b(w)
    errors = _console_errors(page)
    page.set_viewport_size({"width": 360, "height": 740})
    login(page, live_server, "teacher")
    page.goto(f"{live_server.url}/journal/lessons/{w.lesson_6b.pk}/")
    expect(page.locator("#change-reason")).to_have_count(0)
    student = w.child_b
    _choose(page, f"#mark-{student.pk}-1", "5")
    expect(page.locator(f"#row-{student.pk} .sheet__saved")).to_be_visible()
    assert Mark.objects.get(lesson=w.lesson_6b, student=student).value == 5
    _choose(page, f"#mark-{student.pk}-1", "4")
    expect(page.locator(f"#mark-{student.pk}-1")).to_have_value("4")
    expect(page.locator(f"#row-{student.pk} .sheet__saved")).to_be_visible()
    assert Mark.objects.get(lesson=w.lesson_6b, student=student).value == 4
    screenshot(page, "lesson-mark-saved-360")
    assert errors == []
    assert tap_target_problems(page, ".lesson-layout :is(a[href], button, select, summary)") == []
    assert horizontal_overflow(page) == []

    Period.objects.filter(year=w.year).update(is_locked=True)
    page.context.clear_cookies()
    login(page, live_server, "director")
    page.goto(f"{live_server.url}/journal/lessons/{w.lesson_6b.pk}/?edit=1")
    page.fill("#change-reason", "Ошибка при вводе, заявление учителя")
    _choose(page, f"#mark-{student.pk}-1", "3")
    expect(page.locator(f"#row-{student.pk} .sheet__saved")).to_be_visible()
    assert Mark.objects.get(lesson=w.lesson_6b, student=student).value == 3
    change = JournalChange.objects.filter(lesson=w.lesson_6b).order_by("-pk").first()
    assert change is not None and change.reason == "Ошибка при вводе, заявление учителя"
    assert errors == []


@pytest.mark.parametrize("allow_one", [False, True])
def test_the_marks_offered_are_the_schools_scale_everywhere(page, live_server, allow_one) -> None:
    """The lesson page's lists, the grid's key help and the keys the grid takes are the
    school's scale: with «1» not used, typing 1 in the grid is refused at once with the
    rule (nothing is sent); where «1» is used, it is offered and saved."""
    from playwright.sync_api import expect

    w = build_world(journal=True)
    grid = wide_journal_of_6b(w)
    School.objects.filter(pk=w.school.pk).update(allow_mark_one=allow_one)
    scale = [str(m) for m in School.objects.get(pk=w.school.pk).mark_scale]
    assert scale == ["5", "4", "3", "2", *(["1"] if allow_one else [])]
    login(page, live_server, "teacher")

    page.goto(f"{live_server.url}/journal/lessons/{w.lesson_6b.pk}/")
    options = page.locator(f"#mark-{w.child_b.pk}-1 option").evaluate_all(
        "os => os.map(o => o.value).filter(v => v)"
    )
    assert options == scale

    page.goto(f"{live_server.url}{grid}")
    help_keys = page.locator("#grid-help dt").first.locator("kbd").all_inner_texts()
    assert help_keys == scale
    cell = page.locator("td.jc--cur")
    cell_id = cell.get_attribute("id")
    cell.click()
    page.keyboard.press("1")
    if allow_one:
        expect(page.locator(f"#{cell_id} .mark--1")).to_have_text("1")
        expect(page.locator(f"#{cell_id}")).to_have_class(re.compile(r"\bjc--saved\b"))
        assert Mark.objects.filter(lesson=w.lesson_6b, value=1).count() == 1
    else:
        expect(page.locator("#grid-status")).to_have_text("Отметка — целое число от 2 до 5.")
        expect(page.locator(f"#{cell_id}")).to_have_text("")
        assert not Mark.objects.filter(lesson=w.lesson_6b).exists()
    page.keyboard.press("2")
    expect(page.locator(f"#{cell_id} .mark--2")).to_have_text("2")
    expect(page.locator(f"#{cell_id}")).to_have_class(re.compile(r"\bjc--saved\b"))

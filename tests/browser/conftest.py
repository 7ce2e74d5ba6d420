"""Reusable fixtures for tests that drive headless Chromium through Playwright.

- ``browser``: one Chromium for the session (skipped on a laptop without Chromium, a
  failure in CI: ``tests.services.require_chromium``);
- ``page``: a fresh context (cookies) per test, 1280 × 900, Russian, Crimean time;
- ``login(page, live_server, username, password)``: through the real login form;
- ``screenshot(page, name)``: a full-page PNG in ``artifacts/screenshots/`` (git-ignored);
- ``serious_axe_violations(page)``: axe-core's serious and critical findings;
- ``tap_target_problems(page, selector=...)``: visible links and buttons smaller than
  44 × 44 px (WCAG 2.5.5), links inside running text excepted;
- ``horizontal_overflow(page)``: what makes the page itself scroll sideways.

Use them with pytest-django's ``live_server`` and ``transactional_db``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.world import PASSWORD

# ``browser`` (one Chromium for the run) lives in tests/conftest.py.

SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


@pytest.fixture
def page(browser):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900},
        locale="ru-RU",
        timezone_id="Europe/Simferopol",
    )
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()


def login(page, live_server, username: str, password: str = PASSWORD) -> None:
    """Sign in through the login form, as people do (axes and the backends included)."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def serious_axe_violations(page) -> list[str]:
    """axe-core's serious and critical findings on the current page, readable."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    found = []
    for violation in results.response["violations"]:
        if violation["impact"] in {"serious", "critical"}:
            targets = [", ".join(node["target"]) for node in violation["nodes"][:5]]
            found.append(f"{violation['id']} ({violation['impact']}): {targets}")
    return found


# What a finger can tap. Text inputs and checkboxes are left out: a checkbox's target is its
# label, and a field's height is the form's business (pass a selector to check them too).
TAPPABLE = (
    "a[href], button, summary, select, input[type=submit], input[type=button], "
    "[role=button], [role=tab], [role=link]"
)

_TAP_TARGETS_JS = """
([selector, minWidth, minHeight]) => {
  const inert = "a, button, summary, select, input, label, [role=button], [role=tab], [role=link]";
  // A link in a sentence is exempt (WCAG 2.5.5 «inline»): its block has text of its own
  // outside any control.
  const inRunningText = (el) => {
    if (getComputedStyle(el).display !== "inline") return false;
    let block = el.parentElement;
    while (block && getComputedStyle(block).display === "inline") block = block.parentElement;
    if (!block) return false;
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.textContent.trim()) continue;
      if (node.parentElement.closest(inert)) continue;
      return true;
    }
    return false;
  };
  const hidden = (el, rect) => {
    const style = getComputedStyle(el);
    if (style.visibility === "hidden" || style.display === "none") return true;
    if (rect.width <= 1 || rect.height <= 1) return true;           // .visually-hidden
    if (rect.right <= 0 || rect.bottom <= 0) return true;           // the skip link, parked
    for (let up = el.parentElement; up; up = up.parentElement) {     // inside a hidden box
      const box = up.getBoundingClientRect();
      const clips = getComputedStyle(up).overflow !== "visible";
      if (clips && (box.width <= 1 || box.height <= 1)) return true;
    }
    return false;
  };
  const problems = [];
  for (const el of document.querySelectorAll(selector)) {
    if (!el.getClientRects().length) continue;
    const rect = el.getBoundingClientRect();
    if (hidden(el, rect) || inRunningText(el)) continue;
    if (rect.width + 0.5 >= minWidth && rect.height + 0.5 >= minHeight) continue;
    const name = (el.innerText || el.value || el.getAttribute("aria-label") || "").trim()
      .replace(/\\s+/g, " ").slice(0, 40);
    const cls = el.classList.length ? "." + [...el.classList].join(".") : "";
    problems.push(`${el.tagName.toLowerCase()}${cls} «${name}»: ` +
      `${Math.round(rect.width)}×${Math.round(rect.height)} px`);
  }
  return problems;
}
"""


def tap_target_problems(
    page, selector: str = TAPPABLE, min_width: float = 44, min_height: float = 44
) -> list[str]:
    """Visible controls matching ``selector`` smaller than ``min_width`` × ``min_height``
    CSS px, readable («a.tab «Оценки»: 80×30 px»); an empty list when all are big enough.
    Hidden ones (``display: none``, ``.visually-hidden``, the parked skip link) and links
    inside running text (an inline ``<a>`` whose block has text of its own) are skipped."""
    return page.evaluate(_TAP_TARGETS_JS, [selector, min_width, min_height])


_OVERFLOW_JS = """
() => {
  const width = document.documentElement.clientWidth;
  const scrollWidth = Math.max(document.documentElement.scrollWidth, document.body.scrollWidth);
  if (scrollWidth <= width) return [];
  // Boxes that scroll or clip sideways keep their content to themselves; but an absolutely
  // positioned element escapes every such box between it and its containing block (its
  // nearest positioned ancestor), and a fixed one escapes them all.
  const contained = (el) => {
    let position = getComputedStyle(el).position;
    if (position === "fixed") return false;
    let escaping = position === "absolute";
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      const style = getComputedStyle(up);
      const positioned = style.position !== "static" || style.transform !== "none";
      if (escaping && !positioned) continue;
      if (style.overflowX !== "visible") return true;
      if (style.position === "fixed") return false;
      if (escaping) escaping = style.position === "absolute";
    }
    return false;
  };
  const found = [];
  for (const el of document.body.querySelectorAll("*")) {
    const rect = el.getBoundingClientRect();
    if (rect.right <= width + 0.5 || !rect.width || contained(el)) continue;
    if (found.some((outer) => outer.contains(el))) continue;
    found.push(el);
  }
  const describe = (el) => {
    const cls = el.classList.length ? "." + [...el.classList].join(".") : "";
    const text = (el.innerText || "").trim().replace(/\\s+/g, " ").slice(0, 40);
    return `${el.tagName.toLowerCase()}${cls} «${text}» ends at ` +
      `${Math.round(el.getBoundingClientRect().right)} px`;
  };
  const lines = [`the page is ${scrollWidth} px wide in a ${width} px window`];
  return lines.concat(found.slice(0, 10).map(describe));
}
"""


def horizontal_overflow(page) -> list[str]:
    """Why the page itself scrolls sideways: an empty list when it does not; otherwise the
    page's width and the outermost elements reaching past the window's right edge (those
    inside a box that scrolls or clips sideways are that box's business, not the page's)."""
    return page.evaluate(_OVERFLOW_JS)


# Where the attendance letters sit on the Russian ЙЦУКЕН layout: (code, Windows key code).
RUSSIAN_KEYS = {"н": ("KeyY", 89), "б": ("Comma", 188), "у": ("KeyE", 69), "о": ("KeyJ", 74)}


def press_russian(page, letter: str) -> None:
    """Press a key as a Russian keyboard layout produces it (Playwright's own ``press``
    knows only the US layout): a trusted keydown with ``key`` «н» and ``code`` KeyY."""
    code, key_code = RUSSIAN_KEYS[letter]
    session = page.context.new_cdp_session(page)
    common = {"key": letter, "code": code, "windowsVirtualKeyCode": key_code}
    session.send("Input.dispatchKeyEvent", {"type": "keyDown", "text": letter, **common})
    session.send("Input.dispatchKeyEvent", {"type": "keyUp", **common})
    session.detach()

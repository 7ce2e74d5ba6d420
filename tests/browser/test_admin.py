"""The admin in a real browser, as the deployment's administrator opens it: the index, a
list and the student's form, with no serious accessibility problem. Screenshots go to
artifacts/screenshots/."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.browser.conftest import login, screenshot, serious_axe_violations
from tests.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_admin_pages_pass_axe(page, live_server) -> None:
    world = build_world(journal=True)
    login(page, live_server, "admin")
    pages = {
        "admin-index": reverse("admin:index"),
        "admin-guardians": reverse("admin:school_guardian_changelist"),
        "admin-marks": reverse("admin:journal_mark_changelist"),
        "admin-student": reverse("admin:school_student_change", args=[world.child_a.pk]),
        "admin-student-add": reverse("admin:school_student_add"),
        "admin-consent-text-add": reverse("admin:consent_consenttext_add"),
    }
    found = {}
    for name, path in pages.items():
        page.goto(f"{live_server.url}{path}")
        screenshot(page, f"{name}-1280")
        found[name] = serious_axe_violations(page)
    assert found == {name: [] for name in pages}
    page.goto(f"{live_server.url}{pages['admin-student']}")
    assert page.inner_text("h1") == "Изменить обучающегося"

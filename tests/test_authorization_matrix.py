"""The authorization matrix: every URL pattern, every role, one expected answer each.

A new URL without a row here fails ``test_every_url_has_expected_answers``: whoever adds a
page must decide who may open it. Statuses: 200 shown, 302 redirected (to login for the
anonymous), 403 forbidden for the role, 404 for objects a role may not even know exist
(another family's child answers 404, never 403), 405 wrong method.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.authz_support import Case, expect, walk
from tests.world import ROLES, World, build_world

pytestmark = pytest.mark.django_db

ADMIN_NAMESPACE = "admin"


SIGNED_IN = {role: 200 for role in ROLES if role != "anonymous"}


CASES: list[Case] = [
    Case("home", lambda w: {}, expect(200, anonymous=302)),
    Case("login", lambda w: {}, expect(302, anonymous=200), note="signed-in users go home"),
    Case("logout", lambda w: {}, expect(302), method="post"),
    Case("logout", lambda w: {}, expect(405, anonymous=302), note="logout is POST only"),
    Case("password_change", lambda w: {}, expect(200, anonymous=302)),
    Case("password_change_done", lambda w: {}, expect(200, anonymous=302)),
    Case("set_language", lambda w: {}, expect(302), method="post"),
    Case("healthz", lambda w: {}, expect(200)),
    Case(
        "school_overview",
        lambda w: {"school_id": w.school.pk},
        expect(403, anonymous=302, director=200, deputy=200),
    ),
    Case(
        "school_overview",
        lambda w: {"school_id": w.other_school.pk},
        expect(403, anonymous=302, other_director=200),
        note="a director sees only their own school",
    ),
    Case(
        "roster",
        lambda w: {"school_id": w.school.pk},
        expect(403, anonymous=302, director=200, deputy=200, secretary=200),
    ),
    Case(
        "class_detail",
        lambda w: {"class_id": w.class_5a.pk},
        expect(404, anonymous=302, director=200, deputy=200, secretary=200, classteacher=200),
    ),
    Case(
        "class_detail",
        lambda w: {"class_id": w.class_6b.pk},
        expect(404, anonymous=302, director=200, deputy=200, secretary=200, teacher=200),
    ),
    Case(
        "student",
        lambda w: {"student_id": w.child_a.pk},
        expect(
            404,
            anonymous=302,
            director=200,
            deputy=200,
            secretary=200,
            classteacher=200,
            parent=200,
            student=200,
        ),
    ),
    Case(
        "student",
        lambda w: {"student_id": w.child_b.pk},
        expect(
            404,
            anonymous=302,
            director=200,
            deputy=200,
            secretary=200,
            teacher=200,
            other_parent=200,
        ),
    ),
    Case(
        "student",
        lambda w: {"student_id": w.child_c.pk},
        expect(404, anonymous=302, other_director=200),
        note="no one in school A sees school B's children",
    ),
    Case(
        "student_transfer",
        lambda w: {"student_id": w.child_a.pk},
        expect(
            404,
            anonymous=302,
            director=200,
            deputy=200,
            secretary=200,
            classteacher=403,
            parent=403,
            student=403,
        ),
    ),
    # --- The teacher's journal (journal/urls.py) ---------------------------------------
    # POSTs are sent empty: 422 means «allowed, the empty form refused», so no row changes.
    Case(
        "journal:my_day",
        lambda w: {},
        expect(
            403,
            anonymous=302,
            director=200,
            deputy=200,
            teacher=200,
            classteacher=200,
            other_director=200,
        ),
        note="for those who teach (the leadership may teach too)",
    ),
    Case(
        "journal:class_journals",
        lambda w: {"class_id": w.class_5a.pk},
        expect(404, anonymous=302, director=200, deputy=200, classteacher=200, secretary=403),
        note="the secretary sees the class but not its journal",
    ),
    Case(
        "journal:class_journals",
        lambda w: {"class_id": w.class_6b.pk},
        expect(404, anonymous=302, director=200, deputy=200, teacher=200, secretary=403),
    ),
    Case(
        "journal:test_schedule",
        lambda w: {"class_id": w.class_5a.pk},
        expect(404, anonymous=302, director=200, deputy=200, classteacher=200, secretary=403),
    ),
    Case(
        "journal:messages",
        lambda w: {"class_id": w.class_6b.pk},
        expect(404, anonymous=302, director=200, deputy=200, teacher=200, secretary=403),
    ),
    Case(
        "journal:messages",
        lambda w: {"class_id": w.class_5a.pk},
        expect(404, anonymous=302, director=422, deputy=422, classteacher=422, secretary=403),
        method="post",
    ),
    Case(
        "journal:grid",
        lambda w: {"class_id": w.class_5a.pk, "subject_id": w.russian.pk},
        expect(404, anonymous=302, director=200, deputy=200, classteacher=200, secretary=403),
    ),
    Case(
        "journal:grid",
        lambda w: {"class_id": w.class_5a.pk, "subject_id": w.math.pk},
        expect(404, anonymous=302, director=200, deputy=200, classteacher=200, secretary=403),
        note="the class teacher reads every subject of her class",
    ),
    Case(
        "journal:grid",
        lambda w: {"class_id": w.class_6b.pk, "subject_id": w.russian.pk},
        expect(404, anonymous=302, director=200, deputy=200, teacher=403, secretary=403),
        note="a teacher of the class, not of this subject",
    ),
    Case(
        "journal:grid",
        lambda w: {"class_id": w.class_6b.pk, "subject_id": w.math.pk},
        expect(404, anonymous=302, director=200, deputy=200, teacher=200, secretary=403),
    ),
    Case(
        "journal:cell",
        lambda w: {"lesson_id": w.lesson_5a.pk, "student_id": w.child_a.pk, "position": 1},
        expect(404, anonymous=302, director=422, deputy=422, classteacher=422),
        method="post",
    ),
    Case(
        "journal:cell",
        lambda w: {"lesson_id": w.lesson_5a_math.pk, "student_id": w.child_a.pk, "position": 1},
        expect(404, anonymous=302, director=422, deputy=422, classteacher=403),
        method="post",
        note="the class teacher reads this journal but does not write it",
    ),
    Case(
        "journal:cell",
        lambda w: {"lesson_id": w.lesson_6b.pk, "student_id": w.child_b.pk, "position": 1},
        expect(405, anonymous=302),
        note="saving a cell is POST only",
    ),
    Case(
        "journal:cell_history",
        lambda w: {"lesson_id": w.lesson_5a.pk, "student_id": w.child_a.pk},
        expect(404, anonymous=302, director=200, deputy=200, classteacher=200),
    ),
    Case(
        "journal:lesson",
        lambda w: {"lesson_id": w.lesson_5a.pk},
        expect(404, anonymous=302, director=200, deputy=200, classteacher=200),
    ),
    Case(
        "journal:lesson",
        lambda w: {"lesson_id": w.lesson_6b.pk},
        expect(404, anonymous=302, director=200, deputy=200, teacher=200),
    ),
    Case(
        "journal:lesson_update",
        lambda w: {"lesson_id": w.lesson_5a_math.pk},
        expect(404, anonymous=302, director=422, deputy=422, classteacher=403),
        method="post",
    ),
    Case(
        "journal:column_add",
        lambda w: {"lesson_id": w.lesson_6b.pk},
        expect(404, anonymous=302, director=422, deputy=422, teacher=422),
        method="post",
    ),
    Case(
        "journal:homework_add",
        lambda w: {"lesson_id": w.lesson_6b.pk},
        expect(404, anonymous=302, director=422, deputy=422, teacher=422),
        method="post",
    ),
    Case(
        "journal:remark_add",
        lambda w: {"lesson_id": w.lesson_5a.pk},
        expect(404, anonymous=302, director=422, deputy=422, classteacher=422),
        method="post",
    ),
    Case(
        "journal:lesson_substitute",
        lambda w: {"lesson_id": w.lesson_5a.pk},
        expect(404, anonymous=302, director=302, deputy=302, classteacher=302),
        method="post",
        note="an empty form is valid: «no substitute» (the lesson's own teacher)",
    ),
    Case(
        "journal:lesson_substitute",
        lambda w: {"lesson_id": w.lesson_5a_math.pk},
        expect(404, anonymous=302, director=302, deputy=302, classteacher=403),
        method="post",
        note="the timetable is the leadership's and the lesson teacher's business",
    ),
    Case(
        "journal:lesson_move",
        lambda w: {"lesson_id": w.lesson_5a.pk},
        expect(404, anonymous=302, director=422, deputy=422, classteacher=422),
        method="post",
    ),
    Case(
        "journal:lesson_cancel",
        lambda w: {"lesson_id": w.lesson_5a_math.pk},
        expect(404, anonymous=302, director=422, deputy=422, classteacher=403),
        method="post",
    ),
    Case(
        "journal:lesson_history",
        lambda w: {"lesson_id": w.lesson_6b.pk},
        expect(404, anonymous=302, director=200, deputy=200, teacher=200),
    ),
    Case(
        "journal:homework_edit",
        lambda w: {"homework_id": w.homework_6b.pk},
        expect(404, anonymous=302, director=200, deputy=200, teacher=200),
    ),
    Case(
        "journal:homework_delete",
        lambda w: {"homework_id": w.homework_6b.pk},
        expect(404, anonymous=302, director=302, deputy=302, teacher=302),
        method="post",
        note="an empty form deletes nothing and goes back to the lesson",
    ),
    Case(
        "journal:attachment",
        lambda w: {"attachment_id": w.attachment_6b.pk},
        expect(404, anonymous=302, director=200, deputy=200, teacher=200),
        note="never a public media URL: files go through the access policy",
    ),
    # The Django admin is for the deployment's administrator only.
    Case("admin:index", lambda w: {}, expect(302, admin=200)),
    Case("admin:school_student_changelist", lambda w: {}, expect(302, admin=200)),
    Case(
        "admin:school_student_change",
        lambda w: {"object_id": w.child_a.pk},
        expect(302, admin=200),
    ),
]


def _walk(patterns, prefix: str = "") -> list[tuple[str, str]]:
    """(qualified name, route) for every named pattern, descending into includes."""
    found = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            found += _walk(entry.url_patterns, namespace)
        elif isinstance(entry, URLPattern):
            found.append((f"{prefix}{entry.name or ''}", str(entry.pattern)))
    return found


# Apps keep their rows in their own modules (``tests/authz_cases_<app>.py``, a ``CASES``
# list); they are read when the tests run, since they import ``Case`` from here.
CASE_MODULES = (
    "tests.authz_cases_diary",
    "tests.authz_cases_notifications",
    "tests.authz_cases_consent_family",
    "tests.authz_cases_consent_staff",
    "tests.authz_cases_consent_documents",
    "tests.authz_cases_consent_export",
)


def all_cases() -> list[Case]:
    import importlib

    cases = list(CASES)
    for module in CASE_MODULES:
        cases += importlib.import_module(module).CASES
    return cases


def matrix_world() -> World:
    """The world every row expects: the school world, its journal and the diary's week."""
    from tests.diary_world import build_diary_world

    return build_diary_world(journal=True)


def test_every_url_has_expected_answers() -> None:
    """Each named URL outside the admin has at least one row in the matrix, and the admin
    is covered as a whole (its index, a list and an object page are in the matrix)."""
    covered = {case.url_name for case in all_cases()}
    missing = []
    for name, route in _walk(get_resolver().url_patterns):
        if name.startswith(f"{ADMIN_NAMESPACE}:"):
            continue
        if not name or name.endswith(":"):
            missing.append(f"(unnamed) {route}")
        elif name not in covered:
            missing.append(name)
    assert not missing, f"URLs without an expected answer per role: {missing}"


def test_every_role_gets_the_expected_answer_from_every_url() -> None:
    """Walk the whole matrix; report every mismatch at once."""
    mismatches = walk(all_cases(), matrix_world())
    assert not mismatches, "\n".join(mismatches)


def test_anonymous_is_sent_to_the_login_page() -> None:
    """Every protected page redirects a stranger to the login with a way back."""
    world = build_world()
    url = reverse("student", kwargs={"student_id": world.child_a.pk})
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"

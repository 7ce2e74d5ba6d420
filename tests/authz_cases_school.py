"""The authorization matrix's rows for the site's own pages (``config/urls.py``, the
``school`` app): home, sign-in and -out, the school's overview, roster, class and student
cards, and the Django admin (for the deployment's administrator only, covered as a whole by
its index, a list and an object page). Walked by ``tests/authz/test_school.py``."""

from __future__ import annotations

from tests.authz_support import Case, expect

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
        expect(403, anonymous=302, director=200, deputy=200, admin=200),
        note="the superuser's home leads to every school's overview",
    ),
    Case(
        "school_overview",
        lambda w: {"school_id": w.other_school.pk},
        expect(403, anonymous=302, other_director=200, admin=200),
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
    # The Django admin is for the deployment's administrator only.
    Case("admin:index", lambda w: {}, expect(302, admin=200)),
    Case("admin:school_student_changelist", lambda w: {}, expect(302, admin=200)),
    Case(
        "admin:school_student_change",
        lambda w: {"object_id": w.child_a.pk},
        expect(302, admin=200),
    ),
]

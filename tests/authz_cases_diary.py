"""The family's cabinet in the authorization matrix (tests/authz/test_diary.py).

``CASES`` are ``Case`` rows for every ``diary:`` URL. They expect the world of
``tests.diary_world.build_diary_world()`` (``tests.world.build_world()`` plus a week of 5А's
journal and a second child of ``parent`` in 6Б): build the matrix's world with it
(``build_diary_world(journal=True)`` keeps the journal's own rows too).

Who may open a child's diary: the family (a guardian their linked children, a student
themselves) and the staff who see the child through their work (leadership, secretary, the
class teacher, the child's teachers); anyone else gets 404, never 403. Reporting an absence
is for the child's guardian only: staff and the student themselves get 403 (they may know
the child exists). The families' absence reports of a class: its class teacher and the
leadership; the secretary and the class's teachers 403, others 404.
"""

from __future__ import annotations

from tests.authz_support import Case, expect

CHILD_PAGES = (
    "diary:week",
    "diary:marks",
    "diary:finals",
    "diary:tests",
    "diary:teachers",
    "diary:holidays",
    "diary:messages",
    "diary:record",
)

# child_a: 5А, son of ``parent``, has the login ``student``; ``classteacher`` leads 5А.
CHILD_A = expect(
    404,
    anonymous=302,
    director=200,
    deputy=200,
    secretary=200,
    classteacher=200,
    parent=200,
    student=200,
)
# child_b: 6Б, daughter of ``other_parent``; ``teacher`` teaches 6Б.
CHILD_B = expect(
    404, anonymous=302, director=200, deputy=200, secretary=200, teacher=200, other_parent=200
)
# child_a2: 6Б, the second child of ``parent`` (the switcher).
CHILD_A2 = expect(
    404, anonymous=302, director=200, deputy=200, secretary=200, teacher=200, parent=200
)
# child_c: school B.
CHILD_C = expect(404, anonymous=302, other_director=200)

CASES: list[Case] = [
    Case(
        "diary:index",
        lambda w: {},
        expect(302),
        note="family to the remembered child's week, staff home, the anonymous to the login",
    ),
]
for name in CHILD_PAGES:
    CASES += [
        Case(name, lambda w: {"student_id": w.child_a.pk}, CHILD_A),
        Case(
            name,
            lambda w: {"student_id": w.child_b.pk},
            CHILD_B,
            note="another family's child: 404 for the parent and the student",
        ),
        Case(name, lambda w: {"student_id": w.child_a2.pk}, CHILD_A2),
        Case(name, lambda w: {"student_id": w.child_c.pk}, CHILD_C, note="another school"),
    ]
CASES += [
    Case(
        "diary:attachment",
        lambda w: {"student_id": w.child_a.pk, "attachment_id": w.attachment.pk},
        CHILD_A,
        note="a file of homework that is in the child's diary",
    ),
    Case(
        "diary:attachment",
        lambda w: {"student_id": w.child_b.pk, "attachment_id": w.attachment.pk},
        expect(404, anonymous=302),
        note="5А's file asked through 6Б's child: not in her diary, 404 for everyone",
    ),
    Case(
        "diary:report_absence",
        lambda w: {"student_id": w.child_a.pk},
        expect(
            404,
            anonymous=302,
            parent=200,
            student=403,
            director=403,
            deputy=403,
            secretary=403,
            classteacher=403,
        ),
        note="only the child's guardian reports an absence",
    ),
    Case(
        "diary:report_absence",
        lambda w: {"student_id": w.child_a.pk},
        expect(
            404,
            anonymous=302,
            parent=200,
            student=403,
            director=403,
            deputy=403,
            secretary=403,
            classteacher=403,
        ),
        method="post",
        note="sent empty: the form is shown again with its errors, nothing is saved",
    ),
    Case(
        "diary:report_absence",
        lambda w: {"student_id": w.child_b.pk},
        expect(
            404,
            anonymous=302,
            other_parent=200,
            director=403,
            deputy=403,
            secretary=403,
            teacher=403,
        ),
    ),
    Case(
        "diary:absence_reports",
        lambda w: {"class_id": w.class_5a.pk},
        expect(404, anonymous=302, director=200, deputy=200, classteacher=200, secretary=403),
    ),
    Case(
        "diary:absence_reports",
        lambda w: {"class_id": w.class_6b.pk},
        expect(404, anonymous=302, director=200, deputy=200, secretary=403, teacher=403),
        note="a teacher of the class who does not lead it",
    ),
    Case(
        "diary:absence_reports_seen",
        lambda w: {"class_id": w.class_5a.pk},
        expect(404, anonymous=302, director=403, deputy=403, secretary=403, classteacher=302),
        method="post",
        note="only the class's class teacher marks its reports seen (then back to the list)",
    ),
    Case(
        "diary:absence_reports_seen",
        lambda w: {"class_id": w.class_6b.pk},
        expect(404, anonymous=302, director=403, deputy=403, secretary=403, teacher=403),
        method="post",
        note="a class without a class teacher: nobody marks its reports",
    ),
    Case(
        "diary:absence_reports_seen",
        lambda w: {"class_id": w.class_5a.pk},
        expect(405, anonymous=302),
        note="POST only",
    ),
]

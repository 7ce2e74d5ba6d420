"""The authorization matrix's rows for the teacher's journal (``journal/urls.py``).
Walked by ``tests/authz/test_journal.py``."""

from __future__ import annotations

from tests.authz_support import Case, expect

CASES: list[Case] = [
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
]

"""Benchmark the family's diary: the week page and the marks page with 1 and 10 years of
history.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ediary_diary \\
        .venv/bin/python -m bench.diary_bench [--rounds 20] [--runs 5] [--explain] [--keep]

1. Creates the database ``ediary_diary_bench`` on the server of ``DATABASE_URL`` (dropping
   an old one), migrates it and seeds 1 school of 4 classes a grade × 23 students (1,012
   students) with the journal of the **whole year** (``--until`` the year's end): the demo
   rebuilds the diary from it. The demo parent (login ``parent``, a child in 5А and one in
   2Б) has the cabinet consent (``consent.services.give_cabinet_consent`` by the secretary
   when the demo has not given it). The year's tables take ids from 1,000,000,000 up
   (their sequences are moved before the seed); their indexes are built afresh after it
   (as the 10x side's are after its load).
2. Copies it (``CREATE DATABASE ... TEMPLATE``) into ``ediary_diary_bench_10x`` and there
   adds 9 past school years for every student (``--years``): each a copy of this year's
   calendar, classes, groups, enrolments, lessons, mark columns, marks, absences, homework,
   remarks and diary rows, 52·n weeks earlier (weekdays kept), every id and reference
   minus n·10,000,000 (older rows have smaller ids); ``INSERT ... SELECT`` on the server,
   the secondary indexes dropped during the load and built again after it, then
   ``ANALYZE``. Checks that the history is really
   there: the child's diary rows per school year, the children's diary rows equal to what
   the projection (``diary.projection``) makes of their journal, a week five years back
   with lessons and marks.
3. Measures, as the parent through ``django.test.Client`` (``force_login``), the week page
   ``diary:week`` (this week and four weeks across the year) and the marks page
   ``diary:marks`` (the current quarter and ``period=year``) of the 5А child, on both
   databases **in alternation** (``--rounds`` rounds; in each, ``--runs`` requests of
   every page on one database, then on the other, the order switching every round), so a
   change of the machine's load hits both sides alike. Prints the median and p95 of each
   page, its queries and the ratio 10x/1x of the sums of the medians: at most 1.2
   (``--budget``) for the week pages and for the marks pages; at most 10 queries a page.

Drops both databases unless ``--keep``; ``--seeded <kept database>`` starts from a copy of
a seeded one instead of seeding again. Exit status 1 when a budget is not met.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time

from bench.common import p95, recreate_database, server_url, with_database

BENCH_DATABASE = "ediary_diary_bench"
HISTORY_SUFFIX = "_10x"
QUERY_BUDGET = 10  # tests/diary_pages/test_budgets.py
WEEKS = 52  # one year earlier = 52 weeks earlier: the same weekdays


def _maintenance(url: str):
    import psycopg

    return psycopg.connect(
        with_database(url, "postgres").replace("postgres://", "postgresql://", 1),
        autocommit=True,
    )


def _copy_database(url: str, source: str, target: str) -> None:
    """``target`` becomes a copy of ``source`` (which must have no other connections)."""
    with _maintenance(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{target}" TEMPLATE "{source}"')


def _use_database(name: str) -> None:
    """Point Django's default connection at another database of the same server."""
    from django.db import connections

    connection = connections["default"]
    connection.close()
    connection.settings_dict["NAME"] = name


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--classes-per-grade", type=int, default=4)
    parser.add_argument("--students-per-class", type=int, default=23)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--years", type=int, default=9, help="past years added (9: 10x)")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--runs", type=int, default=5, help="requests of a page per round")
    parser.add_argument("--budget", type=float, default=1.2)
    parser.add_argument("--database", default=BENCH_DATABASE)
    parser.add_argument(
        "--seeded",
        metavar="DATABASE",
        help="copy this database (one kept by --keep) instead of migrating and seeding",
    )
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE at 10x")
    parser.add_argument("--keep", action="store_true", help="не удалять базы после замера")
    args = parser.parse_args(argv)

    base_url = server_url()
    if not base_url:
        return 2
    one, ten = args.database, args.database + HISTORY_SUFFIX
    if args.seeded in (one, ten):
        print(f"--seeded: copy a database other than {one} and {ten}.", file=sys.stderr)
        return 2
    recreate_database(base_url, ten, drop_only=True)
    if args.seeded:
        _copy_database(base_url, args.seeded, one)
    else:
        recreate_database(base_url, one)
    os.environ["DATABASE_URL"] = with_database(base_url, one)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ["DEBUG"] = "False"  # no query log, no debug templates: as in production
    os.environ.setdefault("LOG_LEVEL", "WARNING")

    import django

    django.setup()
    from django.conf import settings
    from django.db import connections

    # Static files straight from the apps (no collectstatic and manifest needed here).
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    print(f"diary bench: {os.cpu_count()} CPU, databases {one} and {ten}")
    started = time.perf_counter()
    try:
        family = _seed(args)
        _reindex()
        connections.close_all()
        t = time.perf_counter()
        _copy_database(base_url, one, ten)
        print(f"copy into {ten}: {time.perf_counter() - t:.1f} s")
        _use_database(ten)
        _add_history(family, args.years)
        _check_history(family, args.years)
        ok = _measure(family, one, ten, args)
        if args.explain:
            _explain(family, one, ten)
    finally:
        connections.close_all()
        if not args.keep:
            recreate_database(base_url, ten, drop_only=True)
            recreate_database(base_url, one, drop_only=True)
    print(f"\nwhole bench: {time.perf_counter() - started:.0f} s")
    return 0 if ok else 1


# --- 1. The school of one year ------------------------------------------------------------


class Family:
    """The demo parent, their children, the 5А child whose pages are measured."""

    def __init__(self) -> None:
        from demo.school.generator import find_demo_school
        from school.models import Guardian, Student, User

        self.school = find_demo_school(1)
        self.user = User.objects.get(username="parent")
        self.guardian = Guardian.objects.get(user=self.user)
        self.children = list(
            Student.objects.filter(kinships__guardian=self.guardian).order_by("birth_date")
        )
        self.child = self.children[0]  # the eldest: 5А, graded
        self.secretary = User.objects.get(username="secretary")


def _seed(args: argparse.Namespace) -> Family:
    from django.core.management import call_command
    from django.db.models import Count

    from consent.rules import children_with_cabinet
    from consent.services import give_cabinet_consent
    from demo.school.calendar import CURRENT_YEAR
    from demo.school.context import DemoOptions
    from demo.school.generator import seed_demo
    from diary.models import DiaryEntry

    t = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrate: {time.perf_counter() - t:.1f} s")
    if not args.seeded:
        options = DemoOptions(
            seed=args.seed,
            classes_per_grade=args.classes_per_grade,
            students_per_class=args.students_per_class,
            until=CURRENT_YEAR.end,
        )
        _move_sequences()
        result = seed_demo(options)
        print(
            f"seed_demo, full year (--until {CURRENT_YEAR.end:%Y-%m-%d}), "
            f"--classes-per-grade {args.classes_per_grade} "
            f"--students-per-class {args.students_per_class}: {result.seconds:.1f} s, "
            f"{sum(result.counts.values())} rows"
        )
    else:
        print(f"seeded database copied from {args.seeded}")
    family = Family()
    consent = "the demo's"
    if {c.pk for c in family.children} - children_with_cabinet(family.guardian.pk):
        give_cabinet_consent(family.guardian, family.children, actor=family.secretary)
        consent = "given now by the secretary"
    missing = {c.pk for c in family.children} - children_with_cabinet(family.guardian.pk)
    assert not missing, f"no cabinet consent for {missing}"
    print(
        f"guardian {family.user.username} (cabinet consent: {consent}), children: "
        + ", ".join(f"{c.pk} {_class_name(c)}" for c in family.children)
    )
    kinds = dict(DiaryEntry.objects.values_list("kind").annotate(n=Count("id")).order_by())
    print(
        f"diary rows: {sum(kinds.values())} ({', '.join(f'{k} {n}' for k, n in kinds.items())}); "
        f"the measured child's: {DiaryEntry.objects.filter(student=family.child).count()}"
    )
    return family


def _reindex() -> None:
    """Build the indexes of the seeded tables afresh, as the 10x copy's are built after its
    load: both sides then differ in the volume of data, not in how their indexes grew."""
    from django.db import connection

    t = time.perf_counter()
    with connection.cursor() as cursor:
        for table in HISTORY_TABLES:
            cursor.execute(f"REINDEX TABLE {table}")
            cursor.execute(f"ANALYZE {table}")
    print(f"REINDEX and ANALYZE of the seeded tables: {_since(t)}; database {_size()}")


def _size() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        return cursor.fetchone()[0]


def _class_name(student) -> str:
    enrolment = student.enrolments.select_related("school_class").order_by("-start").first()
    return enrolment.school_class.name if enrolment else "—"


# --- 2. Nine more years ------------------------------------------------------------------

# The tables of a school year. Before the seed their sequences are moved to FIRST_ID, so
# this year's rows have ids from FIRST_ID up and the copy of row ``id`` in past year n gets
# ``id - n * STRIDE``: older rows have smaller ids, as in a school that has used the diary
# for ten years, and a reference is mapped to its copy by the same arithmetic.
HISTORY_TABLES = [
    "school_schoolclass",
    "school_studygroup",
    "school_enrolment",
    "school_groupmembership",
    "journal_lesson",
    "journal_markcolumn",
    "journal_mark",
    "journal_attendance",
    "journal_homework",
    "journal_remark",
    "diary_diaryentry",
]
STRIDE = 10_000_000  # more than the rows of one year in any of these tables
FIRST_ID = 100 * STRIDE  # room for 99 past years

# %(ids)s: n * STRIDE; %(days)s: 364 * n; %(year)s: the past year's AcademicYear; %(end)s:
# this year's end (open enrolments and memberships end there); %(first)s: FIRST_ID.
SHIFT = "- make_interval(days => %(days)s)"
STAMPS = f"created_at {SHIFT}, updated_at {SHIFT}"
INSERTS = [
    f"""INSERT INTO school_schoolclass (id, created_at, updated_at, grade, letter, is_graded,
        shift, class_teacher_id, school_id, year_id)
    SELECT id - %(ids)s, {STAMPS}, grade, letter, is_graded, shift, class_teacher_id,
        school_id, %(year)s
    FROM school_schoolclass WHERE id >= %(first)s AND school_id = %(school)s""",
    f"""INSERT INTO school_studygroup (id, created_at, updated_at, name, kind, school_class_id,
        subject_id)
    SELECT id - %(ids)s, {STAMPS}, name, kind, school_class_id - %(ids)s, subject_id
    FROM school_studygroup WHERE id >= %(first)s""",
    f"""INSERT INTO school_enrolment (id, created_at, updated_at, start, "end", school_class_id,
        student_id)
    SELECT id - %(ids)s, {STAMPS}, start - %(days)s, COALESCE("end", %(end)s) - %(days)s,
        school_class_id - %(ids)s, student_id
    FROM school_enrolment WHERE id >= %(first)s""",
    f"""INSERT INTO school_groupmembership (id, created_at, updated_at, start, "end",
        student_id, group_id)
    SELECT id - %(ids)s, {STAMPS}, start - %(days)s, COALESCE("end", %(end)s) - %(days)s,
        student_id, group_id - %(ids)s
    FROM school_groupmembership WHERE id >= %(first)s""",
    f"""INSERT INTO journal_lesson (id, created_at, updated_at, date, number, room, topic,
        lesson_type, status, is_extra, change_reason, version, group_id, moved_to_id,
        school_id, school_class_id, subject_id, substitute_id, teacher_id, timetable_entry_id)
    SELECT id - %(ids)s, {STAMPS}, date - %(days)s, number, room, topic, lesson_type, status,
        is_extra, change_reason, version, group_id - %(ids)s, moved_to_id - %(ids)s,
        school_id, school_class_id - %(ids)s, subject_id, substitute_id, teacher_id, NULL
    FROM journal_lesson WHERE id >= %(first)s""",
    """INSERT INTO journal_markcolumn (id, position, weight, title, lesson_id, work_type_id)
    SELECT id - %(ids)s, position, weight, title, lesson_id - %(ids)s, work_type_id
    FROM journal_markcolumn WHERE id >= %(first)s""",
    f"""INSERT INTO journal_mark (id, created_at, updated_at, value, comment, version,
        created_by_id, lesson_id, school_id, student_id, updated_by_id, column_id)
    SELECT id - %(ids)s, {STAMPS}, value, comment, version, created_by_id,
        lesson_id - %(ids)s, school_id, student_id, updated_by_id, column_id - %(ids)s
    FROM journal_mark WHERE id >= %(first)s""",
    f"""INSERT INTO journal_attendance (id, created_at, updated_at, code, reason, version,
        created_by_id, school_id, student_id, updated_by_id, lesson_id)
    SELECT id - %(ids)s, {STAMPS}, code, reason, version, created_by_id, school_id,
        student_id, updated_by_id, lesson_id - %(ids)s
    FROM journal_attendance WHERE id >= %(first)s""",
    f"""INSERT INTO journal_homework (id, created_at, updated_at, due_date, text, version,
        created_by_id, school_id, student_id, due_lesson_id, lesson_id)
    SELECT id - %(ids)s, {STAMPS}, due_date - %(days)s, text, version, created_by_id,
        school_id, student_id, due_lesson_id - %(ids)s, lesson_id - %(ids)s
    FROM journal_homework WHERE id >= %(first)s""",
    f"""INSERT INTO journal_remark (id, created_at, updated_at, kind, text, date, author_id,
        lesson_id, school_id, student_id, subject_id)
    SELECT id - %(ids)s, {STAMPS}, kind, text, date - %(days)s, author_id,
        lesson_id - %(ids)s, school_id, student_id, subject_id
    FROM journal_remark WHERE id >= %(first)s""",
    # The diary rows point at the copies, as a rebuild from the copied journal would make
    # them. Messages belong to no school year: they are not copied.
    f"""INSERT INTO diary_diaryentry (id, kind, source_id, date, due_date, lesson_id, payload,
        changed_at, school_id, student_id, subject_id)
    SELECT id - %(ids)s, kind, source_id - %(ids)s, date - %(days)s, due_date - %(days)s,
        lesson_id - %(ids)s,
        CASE
            WHEN kind = 'homework' AND payload->>'due_lesson_id' IS NOT NULL THEN
                jsonb_set(payload, '{{due_lesson_id}}',
                    to_jsonb((payload->>'due_lesson_id')::bigint - %(ids)s))
            WHEN kind = 'lesson_change' AND payload->>'moved_to' IS NOT NULL THEN
                jsonb_set(payload, '{{moved_to}}',
                    to_jsonb(((payload->>'moved_to')::date - %(days)s)::text))
            ELSE payload
        END,
        changed_at {SHIFT}, school_id, student_id, subject_id
    FROM diary_diaryentry WHERE id >= %(first)s AND kind <> 'message'""",
]
# Their indexes that back no constraint are dropped during the load and built again after
# it: building an index over 8 million rows takes seconds, keeping it up to date row by row
# takes minutes. The primary keys and unique constraints stay.
SECONDARY_INDEXES = """
    SELECT ci.relname, pg_get_indexdef(i.indexrelid)
    FROM pg_index i
    JOIN pg_class ci ON ci.oid = i.indexrelid
    JOIN pg_class ct ON ct.oid = i.indrelid
    WHERE ct.relname = ANY(%s)
      AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
    ORDER BY ct.relname, ci.relname"""


def _move_sequences() -> None:
    """Before the seed: this year's rows get ids from FIRST_ID up."""
    from django.db import connection

    with connection.cursor() as cursor:
        for table in HISTORY_TABLES:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s, false)", [table, FIRST_ID]
            )


def _check_ids(years: int) -> None:
    """This year's rows are all above FIRST_ID, and no more than STRIDE of them a table."""
    from django.db import connection

    with connection.cursor() as cursor:
        for table in HISTORY_TABLES:
            cursor.execute(f"SELECT min(id), max(id) FROM {table}")
            low, high = cursor.fetchone()
            if low is not None and (low < FIRST_ID or high >= FIRST_ID + STRIDE):
                raise SystemExit(
                    f"{table}: ids {low}-{high} are not in [{FIRST_ID}, {FIRST_ID + STRIDE}): "
                    "seed with this bench (--keep keeps its database for --seeded)."
                )
    assert years * STRIDE < FIRST_ID, "--years: at most 99"


def _add_history(family: Family, years: int) -> None:
    """``years`` past school years for every student of the school, made from this year's
    rows 52·n weeks earlier: each year in its own transaction."""
    from django.db import connection

    from demo.school.calendar import CURRENT_YEAR
    from school.models import AcademicYear

    _check_ids(years)
    school = family.school
    current = AcademicYear.objects.get(school=school, name=CURRENT_YEAR.name)
    started = time.perf_counter()
    print(f"\nhistory: {years} past years of {school.short_name}, 52·n weeks before this one")
    with connection.cursor() as cursor:
        cursor.execute(SECONDARY_INDEXES, [HISTORY_TABLES])
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    try:
        for n in range(1, years + 1):
            t = time.perf_counter()
            year = _add_year(current, n)
            print(f"  {year.name} ({year.start:%d.%m.%Y}–{year.end:%d.%m.%Y}): {_since(t)}")
    finally:
        t = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '256MB'")
            for _, definition in indexes:
                cursor.execute(definition)
            cursor.execute("RESET maintenance_work_mem")
        print(f"  {len(indexes)} secondary indexes built again: {_since(t)}")
    t = time.perf_counter()
    with connection.cursor() as cursor:
        for table in HISTORY_TABLES:
            cursor.execute(f"ANALYZE {table}")
    print(f"  ANALYZE: {_since(t)}; the history in all: {_since(started)}; database {_size()}")


def _since(started: float) -> str:
    return f"{time.perf_counter() - started:.1f} s"


def _add_year(current, n: int):
    """Past year ``n``: this year's calendar and rows, 52·n weeks earlier. The rows are
    copies of valid rows with every reference mapped to its copy, so the foreign key
    triggers are off for the transaction (``session_replication_role``): checking 1.2
    million rows at the commit took longer than writing them."""
    from django.db import connection, transaction

    from school.models import AcademicYear, GradeScheme, Holiday, Period

    days = WEEKS * 7 * n
    shift = dt.timedelta(days=days)
    start, end = current.start - shift, current.end - shift
    with transaction.atomic():
        # The demo's empty 2025/2026 takes this year's calendar shifted, as the others.
        year, _ = AcademicYear.objects.update_or_create(
            school=current.school,
            name=f"{start.year}/{start.year + 1}",
            defaults={"start": start, "end": end},
        )
        for model in (Period, GradeScheme, Holiday):
            model.objects.filter(year=year).delete()
        Period.objects.bulk_create(
            Period(
                year=year, kind=p.kind, number=p.number, start=p.start - shift, end=p.end - shift
            )
            for p in Period.objects.filter(year=current)
        )
        GradeScheme.objects.bulk_create(
            GradeScheme(year=year, grade=g.grade, scheme=g.scheme)
            for g in GradeScheme.objects.filter(year=current)
        )
        Holiday.objects.bulk_create(
            Holiday(
                year=year,
                name=h.name,
                start=h.start - shift,
                end=h.end - shift,
                only_grade=h.only_grade,
            )
            for h in Holiday.objects.filter(year=current)
        )
        values = {
            "ids": n * STRIDE,
            "days": days,
            "year": year.pk,
            "end": current.end,
            "first": FIRST_ID,
            "school": current.school_id,
        }
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
            for sql in INSERTS:
                cursor.execute(sql, values)
    return year


def _check_history(family: Family, years: int) -> None:
    """The history is there: rows ×(years + 1), the children's diary is what the projection
    makes of the journal, a week five years ago has lessons and marks."""
    from django.db import connection

    from diary.models import DiaryEntry, EntryKind
    from diary.selectors import monday_of, week_for_student
    from journal.models import Lesson, Mark

    totals = {}
    with connection.cursor() as cursor:
        for model in (Lesson, Mark, DiaryEntry):
            cursor.execute(f"SELECT count(*) FROM {model._meta.db_table}")
            totals[model] = cursor.fetchone()[0]
    by_year: dict[int, int] = {}
    rows = DiaryEntry.objects.filter(student=family.child).exclude(kind=EntryKind.MESSAGE)
    for day in rows.values_list("date", flat=True):
        year = day.year if day.month >= 8 else day.year - 1
        by_year[year] = by_year.get(year, 0) + 1
    print(
        f"  now: {totals[Lesson]} lessons, {totals[Mark]} marks, {totals[DiaryEntry]} diary "
        f"rows; the child's diary rows (without messages) by school year: "
        + ", ".join(f"{year}: {n}" for year, n in sorted(by_year.items()))
    )
    assert len(by_year) == years + 1 and len(set(by_year.values())) == 1, by_year
    t = time.perf_counter()
    for child in family.children:
        problems = _differences(child)
        assert not problems, problems[:10]
    print(f"  the children's diary rows equal the projection of their journal: {_since(t)}")
    today = family.school.local_today()
    back = min(5, years)
    old = monday_of(today - dt.timedelta(weeks=back * WEEKS))
    week = week_for_student(student=family.child, week_start=old, today=today)
    lessons = sum(len(day.lessons) for day in week.days)
    marks = sum(len(item.marks) for day in week.days for item in day.lessons)
    print(f"  the week of {old:%d.%m.%Y} ({back} years ago): {lessons} lessons, {marks} marks")
    assert lessons and marks, "the old week is empty"


def _differences(student) -> list[str]:
    """``diary.services.differences`` for one child, messages aside, reading only the
    journal rows of the child and of their classes (the service's rebuild reads the
    homework of the whole school: minutes at this size)."""
    from diary import projection
    from diary.models import DiaryEntry, EntryKind
    from diary.services import COMPARED_FIELDS
    from school.models import Enrolment

    rows = []
    for mark in projection.marks_qs().filter(student=student):
        rows += projection.mark_rows(mark)
    for attendance in projection.attendance_qs().filter(student=student):
        rows += projection.attendance_rows(attendance)
    for remark in projection.remarks_qs().filter(student=student):
        rows += projection.remark_rows(remark)
    classes = list(
        Enrolment.objects.filter(student=student).values_list("school_class_id", flat=True)
    )
    homework = list(projection.homework_qs().filter(lesson__school_class_id__in=classes))
    lessons = list(projection.changed_lessons_qs().filter(school_class_id__in=classes))
    members = projection.Membership(
        classes, [h.lesson.group_id for h in homework] + [lesson.group_id for lesson in lessons]
    )
    for item in homework:
        rows += projection.homework_rows(item, members)
    for lesson in lessons:
        rows += projection.lesson_change_rows(lesson, members)
    want = {row.key: row for row in rows if row.student_id == student.pk}
    have = {
        row.key: row
        for row in DiaryEntry.objects.filter(student=student).exclude(kind=EntryKind.MESSAGE)
    }
    problems = [f"missing {key}" for key in want.keys() - have.keys()]
    problems += [f"extra {key}" for key in have.keys() - want.keys()]
    for key in want.keys() & have.keys():
        for name in COMPARED_FIELDS:
            if getattr(have[key], name) != getattr(want[key], name):
                problems.append(f"{key}: {name} {getattr(have[key], name)!r}")
    return problems


# --- 3. The pages --------------------------------------------------------------------------


def _pages(family: Family) -> list[tuple[str, str, str]]:
    """(group, label, URL): the week pages and the marks pages of the measured child."""
    from django.urls import reverse

    from demo.school.calendar import CURRENT_YEAR
    from journal.selectors import period_on
    from school.models import Period

    child = family.child.pk
    week = reverse("diary:week", args=[child])
    marks = reverse("diary:marks", args=[child])
    pages = [("week", "this week (default)", week)]
    for day in (
        dt.date(CURRENT_YEAR.start.year, 9, 14),
        dt.date(CURRENT_YEAR.start.year, 12, 7),
        dt.date(CURRENT_YEAR.end.year, 2, 8),
        dt.date(CURRENT_YEAR.end.year, 4, 19),
    ):
        pages.append(("week", f"week of {day:%d.%m.%Y}", f"{week}?start={day.isoformat()}"))
    periods = list(Period.objects.filter(year__name=CURRENT_YEAR.name, year__school=family.school))
    quarter = period_on(
        sorted((p for p in periods if p.kind == "quarter"), key=lambda p: p.start),
        family.school.local_today(),
    )
    pages.append(("marks", f"marks, current period ({quarter.number} quarter)", marks))
    pages.append(("marks", "marks, period=year", f"{marks}?period=year"))
    return pages


def _client(family: Family):
    from django.test import Client

    client = Client()
    client.force_login(family.user)
    return client


def _get(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(response.content)


def _measure(family: Family, one: str, ten: str, args: argparse.Namespace) -> bool:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from diary.selectors import monday_of

    setup_test_environment()  # lets the test client in (ALLOWED_HOSTS)
    pages = _pages(family)
    sides = {"1x": one, "10x": ten}
    clients, queries, sizes = {}, {}, {}
    for side, database in sides.items():
        _use_database(database)
        clients[side] = _client(family)
        for _, label, url in pages:
            _get(clients[side], url)  # warm up: templates, the remembered visit
            with CaptureQueriesContext(connection) as captured:
                sizes[side, label] = _get(clients[side], url)
            queries[side, label] = len(captured)
    times: dict[tuple[str, str], list[float]] = {key: [] for key in queries}
    order = list(sides)
    for round_ in range(args.rounds):
        for side in order if round_ % 2 == 0 else order[::-1]:
            _use_database(sides[side])
            client = clients[side]
            _get(client, pages[0][2])  # reconnects: not timed
            for _ in range(args.runs):
                for _, label, url in pages:
                    t = time.perf_counter()
                    _get(client, url)
                    times[side, label].append(time.perf_counter() - t)

    n = args.rounds * args.runs
    print(
        f"\npages of child {family.child.pk} as {family.user.username}, {n} requests each per "
        f"database ({args.rounds} alternating rounds of {args.runs}), django.test.Client:"
    )
    print(
        "\n| page | 1x median | 1x p95 | 10x median | 10x p95 | 10x/1x (median) "
        "| queries 1x / 10x | HTML |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    totals = {
        ("week", "1x"): 0.0,
        ("week", "10x"): 0.0,
        ("marks", "1x"): 0.0,
        ("marks", "10x"): 0.0,
    }
    for group, label, _ in pages:
        m1 = statistics.median(times["1x", label])
        m10 = statistics.median(times["10x", label])
        totals[group, "1x"] += m1
        totals[group, "10x"] += m10
        print(
            f"| {label} | {m1 * 1000:.1f} ms | {p95(times['1x', label]) * 1000:.1f} ms "
            f"| {m10 * 1000:.1f} ms | {p95(times['10x', label]) * 1000:.1f} ms "
            f"| {m10 / m1:.2f} | {queries['1x', label]} / {queries['10x', label]} "
            f"| {sizes['10x', label] / 1024:.0f} KB |"
        )
    ok = True
    print()
    for group in ("week", "marks"):
        ratio = totals[group, "10x"] / totals[group, "1x"]
        verdict = "PASS" if ratio <= args.budget else "FAIL"
        ok = ok and ratio <= args.budget
        print(
            f"{group} pages, sum of medians: 1x {totals[group, '1x'] * 1000:.1f} ms, "
            f"10x {totals[group, '10x'] * 1000:.1f} ms, ratio {ratio:.2f} "
            f"(budget {args.budget:.1f}x): {verdict}"
        )
    # A week five years back exists at 10x only: its figures, not a ratio.
    _use_database(ten)
    client = clients["10x"]
    old = monday_of(family.school.local_today() - dt.timedelta(weeks=5 * WEEKS))
    url = f"{pages[0][2]}?start={old.isoformat()}"
    _get(client, url)
    with CaptureQueriesContext(connection) as captured:
        _get(client, url)
    queries["10x", "old week"] = len(captured)  # now: the next request empties the log
    old_times = []
    for _ in range(n):
        t = time.perf_counter()
        _get(client, url)
        old_times.append(time.perf_counter() - t)
    print(
        f"10x only, the week of {old:%d.%m.%Y} (five years back): median "
        f"{statistics.median(old_times) * 1000:.1f} ms, p95 {p95(old_times) * 1000:.1f} ms, "
        f"{queries['10x', 'old week']} queries"
    )
    most = max(queries.values())
    print(
        f"queries per page: {min(queries.values())}-{most} (budget {QUERY_BUDGET}): "
        + ("PASS" if most <= QUERY_BUDGET else "FAIL")
    )
    return ok and most <= QUERY_BUDGET


def _explain(family: Family, one: str, ten: str) -> None:
    """Each query of a week page and of the year's marks page, run under ``EXPLAIN
    ANALYZE`` on both databases (planning + execution, the best of 3); then the plans of
    the diary's and the lessons' queries at 10x."""
    import json

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    pages = _pages(family)
    for _, label, url in (pages[0], pages[-1]):
        timings: dict[str, list[float]] = {}
        plans: dict[int, str] = {}
        for side, database in (("1x", one), ("10x", ten)):
            _use_database(database)
            client = _client(family)
            _get(client, url)
            with CaptureQueriesContext(connection) as captured:
                _get(client, url)
            queries = [q["sql"] for q in captured.captured_queries]
            timings[side] = []
            for index, sql in enumerate(queries):
                if not sql.startswith("SELECT"):
                    timings[side].append(float("nan"))
                    continue
                best = float("inf")
                for _ in range(3):
                    with connection.cursor() as cursor:
                        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
                        (result,) = cursor.fetchone()
                    result = json.loads(result) if isinstance(result, str) else result
                    best = min(best, result[0]["Planning Time"] + result[0]["Execution Time"])
                timings[side].append(best)
                if side == "10x" and _table(sql) in ("diary_diaryentry", "journal_lesson"):
                    with connection.cursor() as cursor:
                        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
                        plans[index] = "\n    ".join(row[0] for row in cursor.fetchall())
        print(f"\nEXPLAIN ANALYZE, {label}: {url}\n\n| query | 1x ms | 10x ms |\n|---|---:|---:|")
        rows = zip(queries, timings["1x"], timings["10x"], strict=False)
        for index, (sql, t1, t10) in enumerate(rows):
            print(f"| {index + 1}. {sql.split()[0]} {_table(sql)} | {t1:.2f} | {t10:.2f} |")
        for index, plan in plans.items():
            print(f"\nquery {index + 1} at 10x:\n    {plan}")


def _table(sql: str) -> str:
    """The table a query is about: the first column's of a SELECT, else the written one."""
    import re

    found = re.match(r'SELECT (?:DISTINCT )?"(\w+)"\.', sql) or re.match(
        r'(?:INSERT INTO|UPDATE|DELETE FROM) "(\w+)"', sql
    )
    return found.group(1) if found else ""


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark the journal on a full year of data: the grid page and the save of one cell.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/ediary_seed
    .venv/bin/python -m bench.journal_bench

Creates the database ``ediary_bench_journal`` on the server of ``DATABASE_URL`` (dropping an
old one), migrates it and seeds 1 school of 4 classes a grade × 23 students (1,012 students)
with the journal of the whole year (``--until`` the year's end). Then measures:

(a) the journal grid of the largest class × main subject × period (the most lesson columns):
    the full page ``journal:grid`` through ``django.test.Client`` logged in as the subject's
    teacher when that view exists, else ``journal.selectors.journal_grid`` alone;
(b) ``journal.services.set_cell`` on different cells of that journal (the teacher's last
    week, within the editing window): a new mark in an empty cell, or a corrected one.

Prints the seed timings and row counts, the median and p95 of each measure and its query
count, and drops the database (``--keep`` keeps it).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

from bench.common import p95, recreate_database, server_url, with_database

BENCH_DATABASE = "ediary_bench_journal"


def _ms(values: list[float]) -> str:
    return f"median {statistics.median(values) * 1000:.1f} ms, p95 {p95(values) * 1000:.1f} ms"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--classes-per-grade", type=int, default=4)
    parser.add_argument("--students-per-class", type=int, default=23)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--grid-runs", type=int, default=20)
    parser.add_argument("--saves", type=int, default=50)
    parser.add_argument("--database", default=BENCH_DATABASE)
    parser.add_argument("--keep", action="store_true", help="не удалять базу после замера")
    args = parser.parse_args(argv)

    base_url = server_url()
    if not base_url:
        return 2
    recreate_database(base_url, args.database)
    os.environ["DATABASE_URL"] = with_database(base_url, args.database)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ["DEBUG"] = "False"  # no query log, no debug templates: as in production

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    # Static files straight from the apps (no collectstatic and manifest needed here).
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from django.db import connections

    try:
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        print(f"journal bench: {os.cpu_count()} CPU, database {args.database}")
        print(f"migrate (fresh database): {time.perf_counter() - started:.1f} s")
        school = _seed(args)
        grid = _bench_grid(school, args.grid_runs)
        _bench_cells(grid, args.saves)
    finally:
        connections.close_all()
        if not args.keep:
            recreate_database(base_url, args.database, drop_only=True)
    return 0


def _seed(args: argparse.Namespace):
    from django.apps import apps

    from demo.school.calendar import CURRENT_YEAR
    from demo.school.context import DemoOptions
    from demo.school.generator import seed_demo

    options = DemoOptions(
        seed=args.seed,
        classes_per_grade=args.classes_per_grade,
        students_per_class=args.students_per_class,
        until=CURRENT_YEAR.end,
    )
    first = seed_demo(options)
    second = seed_demo(options)
    print(
        f"seed_demo, full year (--until {CURRENT_YEAR.end:%Y-%m-%d}), "
        f"--classes-per-grade {args.classes_per_grade} "
        f"--students-per-class {args.students_per_class}:"
    )
    print(f"  first run:  {first.seconds:.1f} s, {sum(first.counts.values())} rows")
    print(f"  second run: {second.seconds:.2f} s, {sum(second.counts.values())} rows created")
    print("\n| journal table | rows |\n|---|---:|")
    for model in apps.get_app_config("journal").get_models():
        count = model._default_manager.count()
        if count:
            print(f"| {model._meta.label} | {count} |")
    return first.schools[1]


class GridCase:
    """The class × subject × period with the most lesson columns, and its teacher."""

    def __init__(self, school) -> None:
        from django.db.models import Count

        from demo.school.curriculum import SUBJECTS
        from journal.models import ACTIVE_STATUSES, Lesson
        from journal.selectors import periods_for_class
        from school.models import TeachingAssignment

        main = [s.name for s in SUBJECTS if s.key in {"rus", "math", "algebra", "analysis"}]
        best = None
        for school_class in school.classes.order_by("grade", "letter"):
            for period in periods_for_class(school_class):
                rows = (
                    Lesson.objects.filter(
                        school_class=school_class,
                        group__isnull=True,
                        subject__name__in=main,
                        status__in=ACTIVE_STATUSES,
                        date__gte=period.start,
                        date__lte=period.end,
                    )
                    .values("subject_id")
                    .annotate(n=Count("id"))
                    .order_by("-n", "subject_id")
                )
                for row in rows[:1]:
                    if best is None or row["n"] > best[0]:
                        best = (row["n"], school_class, row["subject_id"], period)
        assert best is not None, "no lessons were seeded"
        self.lessons, self.school_class, subject_id, self.period = best
        self.subject = school.subjects.get(pk=subject_id)
        self.teacher = (
            TeachingAssignment.objects.filter(
                school_class=self.school_class, subject=self.subject, group__isnull=True
            )
            .select_related("teacher")
            .first()
            .teacher
        )


def _bench_grid(school, runs: int) -> GridCase:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import NoReverseMatch, reverse

    from journal.selectors import journal_grid, periods_for_class

    case = GridCase(school)
    print(
        f"\n(a) grid: {case.school_class.name} × {case.subject.name} × {case.period.name} "
        f"({case.lessons} lessons), teacher {case.teacher.username}"
    )
    try:
        url = reverse(
            "journal:grid",
            kwargs={"class_id": case.school_class.pk, "subject_id": case.subject.pk},
        )
    except NoReverseMatch:
        url = None
    if url is not None:
        setup_test_environment()  # lets the test client in (ALLOWED_HOSTS)
        client = Client()
        client.force_login(case.teacher)
        url = f"{url}?period={case.period.pk}"

        def run() -> int:
            response = client.get(url)
            assert response.status_code == 200, response.status_code
            return len(response.content)

        what = f"full page GET {url} (django.test.Client, logged in)"
    else:
        periods = periods_for_class(case.school_class)

        def run() -> int:
            grid = journal_grid(
                school_class=case.school_class,
                subject=case.subject,
                period=case.period,
                periods=periods,
            )
            return len(grid.rows) * len(grid.columns)

        what = "journal.selectors.journal_grid only (the grid view does not exist yet)"
    size = run()  # warm up: templates, caches
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    with CaptureQueriesContext(connection) as queries:
        run()
    print(f"  {what}")
    print(f"  {runs} runs: {_ms(times)}; {len(queries)} queries; {size} bytes (or cells)")
    if url is not None:  # the selector's share of the page
        periods = periods_for_class(case.school_class)
        selector = []
        for _ in range(runs):
            started = time.perf_counter()
            grid = journal_grid(
                school_class=case.school_class,
                subject=case.subject,
                period=case.period,
                periods=periods,
            )
            selector.append(time.perf_counter() - started)
        print(
            f"  of which journal.selectors.journal_grid alone: {_ms(selector)} "
            f"({len(grid.rows)} students × {len(grid.columns)} columns)"
        )
    return case


def _bench_cells(case: GridCase, saves: int) -> None:
    import datetime as dt

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from journal.models import ABSENCE_CODES, Attendance, JournalSettings, Lesson, LessonStatus
    from journal.services import cell_state, set_cell
    from school.models import Student

    school = case.school_class.school
    today = school.local_today()
    settings = JournalSettings.objects.get(school=school)
    lessons = Lesson.objects.filter(
        school_class=case.school_class,
        subject=case.subject,
        group__isnull=True,
        status=LessonStatus.CONDUCTED,
        date__gte=today - dt.timedelta(days=settings.edit_window_days),
        date__lte=today,
    ).order_by("date", "number")
    user, who = case.teacher, "the teacher, lessons of the last week"
    if not lessons.exists():  # "today" is outside the school year: the director may
        from school.models import Position, StaffMember

        user = StaffMember.objects.get(school=school, position=Position.DIRECTOR).user
        lessons = Lesson.objects.filter(
            school_class=case.school_class,
            subject=case.subject,
            group__isnull=True,
            status=LessonStatus.CONDUCTED,
        ).order_by("-date", "number")[:8]
        if not lessons or lessons[0].date > today:
            settings.allow_future_marks = True
            settings.save(update_fields=["allow_future_marks"])
        who = "the director (today is outside the year)"
    lessons = list(lessons)
    students = list(
        Student.objects.filter(
            enrolments__school_class=case.school_class, enrolments__end__isnull=True
        ).order_by("last_name", "first_name", "middle_name")
    )
    absent = set(
        Attendance.objects.filter(lesson__in=lessons, code__in=ABSENCE_CODES).values_list(
            "lesson_id", "student_id"
        )
    )
    cells = [
        (lesson, student)
        for student in students
        for lesson in lessons
        if (lesson.pk, student.pk) not in absent
    ][:saves]
    times, queries, kinds = [], [], {"new": 0, "corrected": 0}
    for index, (lesson, student) in enumerate(cells):
        state = cell_state(lesson, 1, student)
        value = 5 if state.mark_value != 5 else 4
        kinds["new" if state.mark_value is None else "corrected"] += 1
        kwargs = {
            "actor": user,
            "lesson": lesson,
            "position": 1,
            "student": student,
            "text": str(value),
            "mark_version": state.mark_version,
            "attendance_version": state.attendance_version,
        }
        if index % 5 == 4:  # every fifth save also counts its queries
            with CaptureQueriesContext(connection) as captured:
                set_cell(**kwargs)
            queries.append(len(captured))
            continue
        started = time.perf_counter()
        set_cell(**kwargs)
        times.append(time.perf_counter() - started)
    print(
        f"\n(b) journal.services.set_cell, {len(cells)} different cells of "
        f"{len(lessons)} lessons ({who}): {kinds['new']} new marks, "
        f"{kinds['corrected']} corrections"
    )
    print(
        f"  {len(times)} timed saves: {_ms(times)}; queries per save "
        f"{min(queries)}-{max(queries)} (median {statistics.median(queries):.0f})"
    )


if __name__ == "__main__":
    sys.exit(main())

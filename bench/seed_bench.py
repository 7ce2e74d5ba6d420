"""Benchmark ``seed_demo``: one school of about 1,000 students, into a fresh database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ediary_seed .venv/bin/python -m bench.seed_bench

Creates the database ``ediary_bench`` on the server of ``DATABASE_URL`` (dropping an old
one), migrates it, seeds 4 classes a grade of 23 students (44 classes, 1,012 students with
their families; with the journal up to ``--until``, default today, unless ``--no-journal``),
runs the seed a second time to time the idempotent path, prints wall times
and the rows per model, and drops the database again (``--keep`` keeps it).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import sys
import time

from bench.common import recreate_database, server_url, with_database

BENCH_DATABASE = "ediary_bench"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--classes-per-grade", type=int, default=4)
    parser.add_argument("--students-per-class", type=int, default=23)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--until", type=dt.date.fromisoformat, default=None)
    parser.add_argument("--no-journal", action="store_true", help="только школа, без журнала")
    parser.add_argument("--database", default=BENCH_DATABASE)
    parser.add_argument("--keep", action="store_true", help="не удалять базу после замера")
    args = parser.parse_args(argv)

    base_url = server_url()
    if not base_url:
        return 2
    recreate_database(base_url, args.database)
    os.environ["DATABASE_URL"] = with_database(base_url, args.database)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

    import django

    django.setup()
    from django.apps import apps
    from django.core.management import call_command
    from django.db import connections

    from demo.school.context import DemoOptions
    from demo.school.generator import seed_demo

    try:
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        migrate_s = time.perf_counter() - started

        options = DemoOptions(
            seed=args.seed,
            classes_per_grade=args.classes_per_grade,
            students_per_class=args.students_per_class,
            journal=not args.no_journal,
            until=args.until,
        )
        first = seed_demo(options)
        second = seed_demo(options)

        models = [
            *apps.get_app_config("school").get_models(include_auto_created=True),
            *apps.get_app_config("journal").get_models(),
        ]
        rows = {m._meta.label: m._default_manager.count() for m in models}
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"seed_demo bench: {os.cpu_count()} CPU, database {args.database}")
        print(
            f"options: --classes-per-grade {args.classes_per_grade} "
            f"--students-per-class {args.students_per_class} --seed {args.seed}"
            + (" --no-journal" if args.no_journal else f" --until {args.until or 'today'}")
        )
        print(f"migrate (fresh database): {migrate_s:.2f} s")
        print(f"seed_demo, first run:     {first.seconds:.2f} s")
        print(
            f"seed_demo, second run:    {second.seconds:.2f} s, "
            f"rows created {sum(second.counts.values())}"
        )
        print(f"peak memory (process):    {peak_mb:.0f} MB")
        print()
        print("| model | rows |")
        print("|---|---:|")
        for label, count in sorted(rows.items(), key=lambda kv: -kv[1]):
            if count:
                print(f"| {label} | {count} |")
        print(f"| total | {sum(rows.values())} |")
        created = sum(first.counts.values())
        print(f"\nrows created by the first run: {created} ({created / first.seconds:.0f}/s)")
    finally:
        connections.close_all()
        if not args.keep:
            recreate_database(base_url, args.database, drop_only=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

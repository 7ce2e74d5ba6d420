"""The demo's bulk writes leave the planner real statistics inside the build's transaction
(defect 0 of issue #10: a diary rebuild planned for empty tables ran for 29 minutes in a
test). Nothing here waits for autovacuum: a test's transaction never commits."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from demo.school.context import DemoOptions
from demo.school.generator import seed_demo
from diary.models import DiaryEntry
from journal.models import Attendance, Lesson, Mark

pytestmark = [pytest.mark.seeding, pytest.mark.django_db]


def planner_rows(model) -> tuple[float, int]:
    """The planner's row estimate of the model's table and how many columns have stats."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [table])
        (reltuples,) = cursor.fetchone()
        cursor.execute(
            "SELECT count(*) FROM pg_stats WHERE schemaname = current_schema() AND tablename = %s",
            [table],
        )
        (columns,) = cursor.fetchone()
    return reltuples, columns


def test_the_big_tables_are_analyzed_inside_the_seeding_transaction():
    options = DemoOptions(classes_per_grade=1, students_per_class=6, until=dt.date(2026, 10, 30))
    school = seed_demo(options).schools[1]
    for model in (Lesson, Mark, Attendance, DiaryEntry):
        rows = model.objects.filter(school=school).count()
        reltuples, columns = planner_rows(model)
        assert rows > 100, model
        # Not the never-analyzed -1 nor an empty table's 0: what this transaction wrote.
        assert rows / 2 <= reltuples <= rows * 2, (model, rows, reltuples)
        assert columns > 0, model

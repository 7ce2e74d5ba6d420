"""The diary's step of ``manage.py seed_demo``: the demo journal is written in bulk, without
the journal's signals, so the diary of each demo school is rebuilt from it afterwards."""

from __future__ import annotations

from diary import services
from diary.models import DiaryEntry


def rebuild_diary(ctx) -> None:
    ctx.counts[DiaryEntry._meta.label] += services.rebuild(ctx.school.pk)

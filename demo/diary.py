"""The diary's step of ``manage.py seed_demo``: the demo journal is written in bulk, without
the journal's signals, so the diary of each demo school is rebuilt from it afterwards."""

from __future__ import annotations

from diary import services


def rebuild_diary(ctx) -> None:
    services.rebuild(ctx.school.pk)

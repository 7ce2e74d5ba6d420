"""The diary's part of ``manage.py seed_demo``: the demo journal is written in bulk, without
the journal's signals, so the diary of each demo school is rebuilt from it afterwards."""

from __future__ import annotations

from . import services


def rebuild_diary(ctx) -> None:
    services.rebuild(ctx.school.pk)


def register() -> None:
    from school.demo.generator import register_step

    register_step(rebuild_diary)  # last: after the journal's steps (INSTALLED_APPS order)

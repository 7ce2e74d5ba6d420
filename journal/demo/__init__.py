"""The journal's part of ``manage.py seed_demo``: registered into the school's demo
generator from ``JournalConfig.ready()`` (the school app never imports the journal)."""

from __future__ import annotations


def register() -> None:
    """Add the journal steps after the school's last step, and the fast deletion of the
    journal rows of a demo school to ``--reset``."""
    from school.demo.generator import STEPS, register_cleanup, register_step

    from .cleanup import delete_journal
    from .steps import STEPS as JOURNAL_STEPS

    after = next(s for s in STEPS if s.__name__ == "create_individual_plan")
    for step in JOURNAL_STEPS:
        register_step(step, after=after)
        after = step
    register_cleanup(delete_journal)

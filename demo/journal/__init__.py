"""The demo journal: timetable, lessons, marks, attendance, homework and remarks of a
demo school, written in bulk (``steps.STEPS``; ``cleanup.delete_journal`` for ``--reset``)."""

"""Domain signals of the roster. ``enrolment_changed(school_id, student_ids)`` is sent by
``school.services`` inside the transaction that moved students between classes, so class-wide
diary items (homework, messages, timetable changes) can follow the student."""

from django.dispatch import Signal

enrolment_changed = Signal()

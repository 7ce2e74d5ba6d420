"""Writes to the roster. Each service is atomic, validates and raises ``ValidationError``
with a Russian message; views, admin actions and commands call these, not ``.save()``."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from .models import Enrolment, SchoolClass, Student, User
from .signals import enrolment_changed

MSG_SAME_CLASS = "%(student)s уже учится в классе %(cls)s."
MSG_TRANSFER_BEFORE_START = (
    "Перевод возможен не раньше %(date)s: в этот день обучающийся зачислен в текущий класс."
)
MSG_OTHER_SCHOOL = "Класс %(cls)s относится к другой школе."


def transfer_student(
    *, student: Student, to_class: SchoolClass, on_date: dt.date, by: User
) -> Enrolment:
    """Move ``student`` to ``to_class`` from ``on_date``: the current enrolment ends the day
    before, so marks already given stay with the old class."""
    with transaction.atomic():
        Student.objects.select_for_update().get(pk=student.pk)
        if to_class.school_id != student.school_id:
            raise ValidationError(MSG_OTHER_SCHOOL, params={"cls": to_class.name})
        current = student.enrolments.select_related("school_class").in_force(on_date).first()
        if current is not None:
            if current.school_class_id == to_class.pk:
                raise ValidationError(
                    MSG_SAME_CLASS, params={"student": student.short_name, "cls": to_class.name}
                )
            if current.start >= on_date:
                raise ValidationError(
                    MSG_TRANSFER_BEFORE_START,
                    params={"date": (current.start + dt.timedelta(days=1)).strftime("%d.%m.%Y")},
                )
            current.end = on_date - dt.timedelta(days=1)
            current.save(update_fields=["end", "updated_at"])
        enrolment = Enrolment(student=student, school_class=to_class, start=on_date)
        enrolment.full_clean()
        enrolment.save()
        enrolment_changed.send(
            sender=Enrolment, school_id=student.school_id, student_ids=[student.pk]
        )
    return enrolment

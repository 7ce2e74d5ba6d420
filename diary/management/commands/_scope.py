from __future__ import annotations

from django.core.management.base import CommandError, CommandParser

from school.models import Enrolment, School, SchoolClass


def add_scope_arguments(parser: CommandParser) -> None:
    parser.add_argument("--school", type=int, help="id школы (по умолчанию все школы)")
    parser.add_argument(
        "--class",
        dest="class_id",
        type=int,
        help="id класса: только его обучающиеся (за всё время)",
    )


def scopes(options: dict) -> list[tuple[School, set[int] | None]]:
    """(school, student ids or None for all) pairs the command should work on."""
    if options.get("class_id"):
        school_class = (
            SchoolClass.objects.select_related("school").filter(pk=options["class_id"]).first()
        )
        if school_class is None:
            raise CommandError(f"Класса с id {options['class_id']} нет.")
        students = set(
            Enrolment.objects.filter(school_class=school_class).values_list("student_id", flat=True)
        )
        return [(school_class.school, students)]
    schools = School.objects.all()
    if options.get("school"):
        schools = schools.filter(pk=options["school"])
        if not schools.exists():
            raise CommandError(f"Школы с id {options['school']} нет.")
    return [(school, None) for school in schools.order_by("pk")]

from django.core.management.base import BaseCommand, CommandError, CommandParser

from diary import services

from ._scope import add_scope_arguments, scopes


class Command(BaseCommand):
    help = (
        "Сверяет электронный дневник с классным журналом: печатает каждое расхождение и "
        "завершается с ошибкой, если они есть."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        add_scope_arguments(parser)

    def handle(self, *args, **options) -> None:
        total = 0
        for school, students in scopes(options):
            problems = services.differences(school.pk, students)
            for problem in problems:
                self.stdout.write(f"{school.short_name}: {problem}")
            total += len(problems)
        if total:
            raise CommandError(
                f"Расхождений дневника с журналом: {total}. Исправьте: manage.py rebuild_diary"
            )
        self.stdout.write("Дневник совпадает с журналом.")

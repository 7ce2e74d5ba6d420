from django.core.management.base import BaseCommand, CommandParser

from diary import services
from diary.models import DiaryEntry
from school.db import analyze

from ._scope import add_scope_arguments, scopes


class Command(BaseCommand):
    help = "Пересобирает электронный дневник из классного журнала (школа, класс или все)."

    def add_arguments(self, parser: CommandParser) -> None:
        add_scope_arguments(parser)

    def handle(self, *args, **options) -> None:
        for school, students in scopes(options):
            count = services.rebuild(school.pk, students)
            scope = "все обучающиеся" if students is None else f"обучающихся: {len(students)}"
            self.stdout.write(f"{school.short_name} ({scope}): записей дневника {count}")
        analyze(DiaryEntry)  # the pages read what was just rewritten in bulk

"""``manage.py seed_demo``: the demo school(s), with one login per role."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError, CommandParser

from demo.school.context import DemoError, DemoOptions
from demo.school.generator import DemoResult, StepProgress, seed_demo
from demo.school.logins import DEMO_PASSWORD

# Russian plural forms for the summary line: one, few, many.
PLURALS = {
    "school.School": ("школа", "школы", "школ"),
    "school.SchoolClass": ("класс", "класса", "классов"),
    "school.Student": ("обучающийся", "обучающихся", "обучающихся"),
    "school.Guardian": ("родитель", "родителя", "родителей"),
    "school.StaffMember": ("сотрудник", "сотрудника", "сотрудников"),
    "school.User": ("учётная запись", "учётные записи", "учётных записей"),
}
# Rows of the journal steps (registered by the journal app), printed when there are any.
JOURNAL_PLURALS = {
    "journal.TimetableEntry": ("строка расписания", "строки расписания", "строк расписания"),
    "journal.Lesson": ("урок", "урока", "уроков"),
    "journal.Mark": ("отметка", "отметки", "отметок"),
    "journal.Attendance": ("пропуск/опоздание", "пропуска/опоздания", "пропусков/опозданий"),
    "journal.Homework": ("домашнее задание", "домашних задания", "домашних заданий"),
}


def parse_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"Дата «{value}»: нужен формат ГГГГ-ММ-ДД.") from exc


def seconds_text(seconds: float) -> str:
    """«12,3 с»: seconds with a decimal comma."""
    return f"{seconds:.1f}".replace(".", ",") + " с"


def plural(n: int, forms: tuple[str, str, str]) -> str:
    if n % 10 == 1 and n % 100 != 11:
        return forms[0]
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return forms[1]
    return forms[2]


class Command(BaseCommand):
    help = (
        "Создаёт демонстрационную школу (или несколько): календарь 2026/27, учебный план, "
        "сотрудников, классы, обучающихся и их родителей с учётными записями, а также "
        "классный журнал: расписание, уроки с темами, отметки, пропуски и домашние задания "
        "до «сегодня». Повторный запуск с теми же параметрами ничего не создаёт и снова "
        "печатает логины."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=1, help="зерно генератора (1)")
        parser.add_argument("--schools", type=int, default=1, help="число школ (1)")
        parser.add_argument(
            "--classes-per-grade", type=int, default=2, help="классов в параллели (2)"
        )
        parser.add_argument(
            "--students-per-class", type=int, default=25, help="обучающихся в классе (25)"
        )
        parser.add_argument(
            "--until",
            type=parse_date,
            default=None,
            metavar="ГГГГ-ММ-ДД",
            help="«сегодня» демо-журнала: уроки до этой даты проведены и заполнены "
            "(по умолчанию — сегодняшняя дата школы в пределах учебного года)",
        )
        parser.add_argument(
            "--no-journal",
            action="store_true",
            help="без классного журнала (расписание, уроки, отметки...)",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="удалить демо-школы (вместе с их людьми и логинами) и создать заново",
        )
        parser.add_argument(
            "--quiet",
            action="store_true",
            help="не печатать ход работы по шагам (только логины и итог)",
        )

    def handle(self, *args: object, **options: object) -> None:
        demo = DemoOptions(
            seed=options["seed"],
            schools=options["schools"],
            classes_per_grade=options["classes_per_grade"],
            students_per_class=options["students_per_class"],
            journal=not options["no_journal"],
            until=options["until"],
        )
        quiet = bool(options["quiet"]) or options["verbosity"] == 0
        try:
            result = seed_demo(
                demo, reset=bool(options["reset"]), progress=None if quiet else self.progress
            )
        except DemoError as exc:
            raise CommandError(str(exc)) from exc
        self.report(result)

    def progress(self, step: StepProgress) -> None:
        """One line per build step: its name when it starts, its time when it ends (a
        whole school takes tens of seconds, so a silent terminal looks stuck)."""
        if step.seconds is None:
            if step.number == 1:
                steps = plural(step.total, ("шаг", "шага", "шагов"))
                self.stdout.write(f"Демо-школа {step.school_index}: {step.total} {steps}.")
            self.stdout.write(f"  [{step.number:>2}/{step.total}] {step.name} …", ending="")
            self.stdout.flush()
        else:
            self.stdout.write(f" {seconds_text(step.seconds)} (всего {seconds_text(step.elapsed)})")

    def report(self, result: DemoResult) -> None:
        for school in result.existing:
            self.stdout.write(
                f"Демо-школа «{school.short_name}» уже есть (ИНН {school.inn}): ничего не "
                "создано. Пересоздать: --reset."
            )
        self.stdout.write("")
        self.stdout.write(f"Демо-входы (пароль у всех: {DEMO_PASSWORD}):")
        title_width = max(len(login.title) for login in result.logins) + 2
        credentials_width = max(len(f"{x.username} / {x.password}") for x in result.logins) + 2
        school_index = None
        for login in result.logins:
            if login.school_index is not None and login.school_index != school_index:
                school_index = login.school_index
                school = result.schools.get(school_index)
                self.stdout.write(f"  {school.short_name if school else school_index}:")
            credentials = f"{login.username} / {login.password}"
            self.stdout.write(
                f"  {login.title:<{title_width}}{credentials:<{credentials_width}}{login.sees}"
            )
        self.stdout.write("")
        seconds = seconds_text(result.seconds)
        if not result.counts:
            self.stdout.write(self.style.SUCCESS(f"Ничего не создано; проверка заняла {seconds}."))
            return
        parts = [
            f"{result.counts[label]} {plural(result.counts[label], forms)}"
            for label, forms in PLURALS.items()
        ]
        parts += [
            f"{result.counts[label]} {plural(result.counts[label], forms)}"
            for label, forms in JOURNAL_PLURALS.items()
            if result.counts[label]
        ]
        rows = sum(result.counts.values())
        self.stdout.write(
            self.style.SUCCESS(f"Создано: {', '.join(parts)}; всего строк: {rows}; за {seconds}.")
        )

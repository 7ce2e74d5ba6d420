"""Texts of the demo journal: test titles, homework, remarks, messages, change reasons."""

from __future__ import annotations

import random

from journal.models import LessonType, RemarkKind

# --- Lesson titles of tests and works -------------------------------------------------


def _quoted(theme: str) -> str:
    return f": {theme}" if "«" in theme else f" «{theme}»"


def work_title(lesson_type: str, theme: str, number: int, double: bool = False) -> str:
    """«Контрольная работа № 2 «Обыкновенные дроби»», «Лабораторная работа № 3 ...»."""
    q = _quoted(theme)
    match lesson_type:
        case LessonType.TEST:
            return f"Контрольная работа № {number}{q}"
        case LessonType.DICTATION:
            if double:
                return f"Контрольный диктант с грамматическим заданием{q}"
            return f"Диктант{q}"
        case LessonType.CHECK:
            return f"Проверочная работа{q}"
        case LessonType.INDEPENDENT:
            return f"Самостоятельная работа{q}"
        case LessonType.LAB:
            return f"Лабораторная работа № {number}{q}"
        case LessonType.PRACTICAL:
            return f"Практическая работа № {number}{q}"
        case LessonType.ESSAY:
            return f"Сочинение{q}"
        case LessonType.TESTING:
            return f"Тестирование{q}"
    return theme


# --- Homework -------------------------------------------------------------------------

# Templates by subject; {p} page, {p2} a later page, {ex} exercise, {n}/{n2}/{n3} task numbers,
# {par} paragraph, {wp} workbook page. Numbers grow through the year.
_PARAGRAPH = (
    "§ {par}, вопросы на с. {p}",
    "§ {par}, пересказ",
    "§ {par}, конспект в тетради",
    "§ {par}, задания в рабочей тетради",
)
_MATH = (
    "№ {n}, {n2}",
    "№ {n}, {n2}, {n3}",
    "П. {par}, № {n}, {n2}",
    "№ {n} (а, б), № {n2}",
)
HOMEWORK: dict[str, tuple[str, ...]] = {
    "rus": (
        "Упр. {ex}",
        "Упр. {ex}, {ex2}",
        "Упр. {ex}; выучить правило на с. {p}",
        "Словарные слова на с. {p}, упр. {ex}",
    ),
    "math": _MATH,
    "algebra": _MATH,
    "analysis": _MATH,
    "geometry": ("П. {par}, № {n}, {n2}", "№ {n}, {n2}", "Выучить теорему (п. {par}), № {n}"),
    "probability": ("§ {par}, № {n}, {n2}", "№ {n}, {n2}"),
    "lit": (
        "Прочитать произведение до конца",
        "Ответить на вопросы на с. {p}",
        "Выучить стихотворение наизусть",
        "Выразительное чтение, с. {p}–{p2}",
        "Письменно: характеристика главного героя",
    ),
    "litread": (
        "Выразительное чтение, с. {p}–{p2}",
        "Выучить стихотворение наизусть, с. {p}",
        "Пересказ, с. {p}–{p2}",
    ),
    "english": (
        "Ex. {n}, p. {p}",
        "Выучить слова, p. {p}",
        "WB p. {wp}, ex. {n}",
        "Ex. {n}, {n2}, p. {p} (письменно)",
    ),
    "world": ("Учебник с. {p}–{p2}, рабочая тетрадь с. {wp}", "Ответить на вопросы на с. {p}"),
    "physics": (
        "§ {par}, упр. {n}",
        "§ {par}, вопросы после параграфа",
        "§ {par}, задачи № {n}, {n2}",
    ),
    "chemistry": ("§ {par}, упр. {n}", "§ {par}, задачи № {n}, {n2}", "§ {par}, вопросы"),
    "informatics": ("§ {par}, задания в тетради", "§ {par}, вопросы на с. {p}"),
    "history": _PARAGRAPH,
    "social": _PARAGRAPH,
    "geography": (*_PARAGRAPH, "§ {par}, контурная карта"),
    "biology": _PARAGRAPH,
    "obzr": ("§ {par}, вопросы на с. {p}",),
    "odnknr": ("§ {par}, вопросы на с. {p}",),
    "orkse": ("Подготовить рассказ по теме урока",),
    "project": ("Продолжить работу над проектом",),
    "music": ("Выучить слова песни",),
    "art": ("Принести альбом и краски", "Закончить рисунок"),
    "labour": ("Принести материалы к уроку",),
}
# How often a conducted lesson gets homework, by subject (else 0.85).
HOMEWORK_SHARE: dict[str, float] = {
    "pe": 0.0,
    "music": 0.1,
    "art": 0.15,
    "labour": 0.1,
    "project": 0.5,
    "orkse": 0.3,
    "odnknr": 0.5,
    "obzr": 0.5,
}


def homework_text(subject: str, progress: float, rng: random.Random) -> str:
    """A homework text with numbers that grow with ``progress`` (0 at the year's start, 1 at
    its end)."""
    templates = HOMEWORK.get(subject, _PARAGRAPH)
    base_n = 1 + int(progress * 1200)
    values = {
        "p": 5 + int(progress * 230) + rng.randint(0, 3),
        "par": 1 + int(progress * 30),
        "ex": 3 + int(progress * 580) + rng.randint(0, 4),
        "n": base_n + rng.randint(0, 6),
        "wp": 2 + int(progress * 90) + rng.randint(0, 2),
    }
    values["p2"] = values["p"] + rng.randint(2, 6)
    values["ex2"] = values["ex"] + rng.randint(1, 3)
    values["n2"] = values["n"] + rng.randint(1, 4)
    values["n3"] = values["n2"] + rng.randint(1, 4)
    return rng.choice(templates).format(**values)


INDIVIDUAL_HOMEWORK = (
    "Индивидуальное задание: карточка № {n} по теме «{theme}»",
    "Повторить тему «{theme}», решить карточку № {n} (индивидуально)",
    "Подготовить сообщение по теме «{theme}» (по желанию, для отличной отметки)",
)


# --- Remarks, praise, recommendations -------------------------------------------------

# (kind, masculine text, feminine text)
REMARKS: dict[str, tuple[tuple[str, str], ...]] = {
    RemarkKind.PRAISE: (
        ("Отличный ответ у доски", "Отличный ответ у доски"),
        ("Активно работал на уроке", "Активно работала на уроке"),
        ("Помог однокласснику разобраться в задаче", "Помогла однокласснице разобраться в задаче"),
        ("Прекрасно выполненная творческая работа", "Прекрасно выполненная творческая работа"),
        ("Победитель школьного этапа олимпиады", "Победительница школьного этапа олимпиады"),
    ),
    RemarkKind.REMARK: (
        ("Не выполнил домашнее задание", "Не выполнила домашнее задание"),
        ("Отвлекался на уроке, мешал одноклассникам", "Отвлекалась на уроке"),
        ("Забыл учебник и тетрадь", "Забыла учебник и тетрадь"),
        ("Пользовался телефоном на уроке", "Пользовалась телефоном на уроке"),
    ),
    RemarkKind.RECOMMENDATION: (
        ("Повторить тему «{theme}»", "Повторить тему «{theme}»"),
        (
            "Рекомендую дополнительно позаниматься по теме «{theme}»",
            "Рекомендую дополнительно позаниматься по теме «{theme}»",
        ),
        ("Больше читать вслух дома", "Больше читать вслух дома"),
        ("Следить за аккуратностью в тетради", "Следить за аккуратностью в тетради"),
    ),
}


# --- Messages to parents --------------------------------------------------------------

CLASS_MESSAGES: tuple[tuple[str, str], ...] = (
    (
        "Родительское собрание",
        "Уважаемые родители! {date} в 18:00 в кабинете {room} состоится родительское "
        "собрание: итоги четверти, питание, подготовка к каникулам. Явка обязательна.",
    ),
    (
        "Медицинский осмотр",
        "Уважаемые родители! {date} в школе пройдёт плановый медицинский осмотр. Просим "
        "подписать информированное согласие и передать его классному руководителю.",
    ),
    (
        "Экскурсия",
        "Уважаемые родители! {date} класс едет на экскурсию в Бахчисарайский "
        "историко-культурный заповедник. Сбор у школы в 8:15, с собой — вода и обед.",
    ),
)
# (title, masculine text, feminine text); {name} is the student's name and surname.
LOW_MARKS_MESSAGE = (
    "Успеваемость",
    "Уважаемые родители! {name} за последние недели получил несколько "
    "неудовлетворительных отметок по предмету «{subject}». Прошу связаться со мной, чтобы "
    "договориться о дополнительных занятиях.",
    "Уважаемые родители! {name} за последние недели получила несколько "
    "неудовлетворительных отметок по предмету «{subject}». Прошу связаться со мной, чтобы "
    "договориться о дополнительных занятиях.",
)
ABSENCE_MESSAGE = (
    "Пропуски уроков",
    "Уважаемые родители! {name} пропустил несколько уроков без уважительной причины. "
    "Прошу прийти в школу для беседы.",
    "Уважаемые родители! {name} пропустила несколько уроков без уважительной причины. "
    "Прошу прийти в школу для беседы.",
)
PRAISE_MESSAGE = (
    "Благодарность",
    "Уважаемые родители! {name} отлично работает на уроках по предмету «{subject}» и "
    "успешно выступил на школьном этапе олимпиады. Спасибо!",
    "Уважаемые родители! {name} отлично работает на уроках по предмету «{subject}» и "
    "успешно выступила на школьном этапе олимпиады. Спасибо!",
)


# --- Attendance and lesson changes ----------------------------------------------------

ILL_REASONS = ("", "", "Справка от врача", "ОРВИ")
EXCUSED_DAY_REASONS = (
    "Заявление родителей (семейные обстоятельства)",
    "Участие в соревнованиях",
    "Муниципальный этап олимпиады",
)
EXCUSED_PART_REASONS = ("Приём у врача", "Заявление родителей")
SUBSTITUTION_REASONS = ("Болезнь учителя", "Курсы повышения квалификации", "Учитель на семинаре")
MOVE_REASONS = (
    "Учитель сопровождает обучающихся на олимпиаду",
    "Перенос по просьбе учителя: методический день",
    "Класс на экскурсии",
)
CANCEL_REASON = "Отключение электроэнергии в школе"

"""The federal basic curriculum (ФОП, five-day week) the demo school follows.

Grade 5 is DOMAIN.md section 1 exactly; the other grades follow the federal plan's
mandatory part: grades 7-9 split математика into алгебра, геометрия and вероятность и
статистика, and add физика, химия (8-9), информатика, обществознание and ОБЗР (8-9);
grades 10-11 are the universal profile at the base level. The part formed by the school
(1-3 hours a week of its own courses) is not seeded, so annual totals sit at or a little
under the lower bound of DOMAIN.md's annual-load ranges.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SubjectSpec:
    key: str
    name: str
    short_name: str
    order: int
    is_graded: bool = True


# Journal order: the order subjects appear in a class journal and a report card.
SUBJECTS: tuple[SubjectSpec, ...] = (
    SubjectSpec("rus", "Русский язык", "Рус. яз.", 10),
    SubjectSpec("litread", "Литературное чтение", "Лит. чтение", 20),
    SubjectSpec("lit", "Литература", "Литература", 30),
    SubjectSpec("english", "Английский язык", "Англ. яз.", 40),
    SubjectSpec("math", "Математика", "Математика", 50),
    SubjectSpec("algebra", "Алгебра", "Алгебра", 60),
    SubjectSpec("analysis", "Алгебра и начала математического анализа", "Алг. и нач. ан.", 70),
    SubjectSpec("geometry", "Геометрия", "Геометрия", 80),
    SubjectSpec("probability", "Вероятность и статистика", "Вер. и стат.", 90),
    SubjectSpec("informatics", "Информатика", "Информатика", 100),
    SubjectSpec("world", "Окружающий мир", "Окр. мир", 110),
    SubjectSpec("history", "История", "История", 120),
    SubjectSpec("social", "Обществознание", "Обществозн.", 130),
    SubjectSpec("geography", "География", "География", 140),
    SubjectSpec("biology", "Биология", "Биология", 150),
    SubjectSpec("physics", "Физика", "Физика", 160),
    SubjectSpec("chemistry", "Химия", "Химия", 170),
    SubjectSpec(
        "orkse", "Основы религиозных культур и светской этики", "ОРКСЭ", 180, is_graded=False
    ),
    SubjectSpec("odnknr", "Основы духовно-нравственной культуры народов России", "ОДНКНР", 190),
    SubjectSpec("music", "Музыка", "Музыка", 200),
    SubjectSpec("art", "Изобразительное искусство", "ИЗО", 210),
    SubjectSpec("labour", "Труд (технология)", "Труд", 220),
    SubjectSpec("obzr", "Основы безопасности и защиты Родины", "ОБЗР", 230),
    SubjectSpec("pe", "Физическая культура", "Физкультура", 240),
    SubjectSpec("project", "Индивидуальный проект", "Инд. проект", 250),
)
SUBJECT_BY_KEY = {s.key: s for s in SUBJECTS}


@dataclass(frozen=True)
class PlanLine:
    """One subject of a grade's plan: hours a week and the works planned for the year."""

    subject: str
    hours: int
    tests: int = 0
    practical: int = 0
    lab: int = 0


def _line(subject: str, hours: int, tests: int = 0, practical: int = 0, lab: int = 0) -> PlanLine:
    return PlanLine(subject, hours, tests, practical, lab)


L = _line

# Grade 1 learns without marks: no tests, practical or laboratory works are planned.
_GRADE_1 = (
    L("rus", 5), L("litread", 4), L("math", 4), L("world", 2),
    L("music", 1), L("art", 1), L("labour", 1), L("pe", 2),
)  # fmt: skip

_GRADES_2_3 = (
    L("rus", 5, 6), L("litread", 4, 4), L("english", 2, 4), L("math", 4, 8),
    L("world", 2, 2, 4), L("music", 1), L("art", 1), L("labour", 1), L("pe", 2),
)  # fmt: skip

_GRADE_4 = (*_GRADES_2_3, L("orkse", 1))

_GRADE_5 = (
    L("rus", 5, 8), L("lit", 3, 4), L("english", 3, 4), L("math", 5, 10),
    L("history", 2, 4), L("geography", 1, 2, 3), L("biology", 1, 2, 0, 4),
    L("music", 1), L("art", 1), L("labour", 2, 0, 8), L("pe", 2), L("odnknr", 1),
)  # fmt: skip

_GRADE_6 = (
    L("rus", 6, 8), L("lit", 3, 4), L("english", 3, 4), L("math", 5, 10),
    L("history", 2, 4), L("social", 1, 2), L("geography", 1, 2, 3), L("biology", 1, 2, 0, 4),
    L("music", 1), L("art", 1), L("labour", 2, 0, 8), L("pe", 2), L("odnknr", 1),
)  # fmt: skip

_GRADE_7 = (
    L("rus", 4, 6), L("lit", 2, 4), L("english", 3, 4), L("algebra", 3, 8),
    L("geometry", 2, 5), L("probability", 1, 2), L("informatics", 1, 2, 8),
    L("history", 2, 4), L("social", 1, 2), L("geography", 2, 2, 5), L("biology", 1, 2, 0, 5),
    L("physics", 2, 4, 0, 10), L("music", 1), L("art", 1), L("labour", 2, 0, 8), L("pe", 2),
)  # fmt: skip

_GRADE_8 = (
    L("rus", 3, 6), L("lit", 2, 4), L("english", 3, 4), L("algebra", 3, 8),
    L("geometry", 2, 5), L("probability", 1, 2), L("informatics", 1, 2, 8),
    L("history", 2, 4), L("social", 1, 2), L("geography", 2, 2, 5), L("biology", 2, 2, 0, 6),
    L("physics", 2, 4, 0, 10), L("chemistry", 2, 4, 6), L("music", 1), L("labour", 1, 0, 6),
    L("obzr", 1, 2, 4), L("pe", 2),
)  # fmt: skip

_GRADE_9 = (
    L("rus", 3, 6), L("lit", 3, 4), L("english", 3, 4), L("algebra", 3, 8),
    L("geometry", 2, 5), L("probability", 1, 2), L("informatics", 1, 2, 8),
    L("history", 2, 4), L("social", 1, 2), L("geography", 2, 2, 5), L("biology", 2, 2, 0, 6),
    L("physics", 3, 5, 0, 8), L("chemistry", 2, 4, 6), L("labour", 1, 0, 6),
    L("obzr", 1, 2, 4), L("pe", 2),
)  # fmt: skip

_GRADE_11 = (
    L("rus", 2, 4), L("lit", 3, 4), L("english", 3, 4), L("analysis", 3, 6),
    L("geometry", 2, 4), L("probability", 1, 2), L("informatics", 1, 2, 6),
    L("history", 2, 4), L("social", 2, 4), L("geography", 1, 2, 3), L("biology", 1, 2, 0, 3),
    L("physics", 2, 4, 0, 6), L("chemistry", 1, 2, 4), L("obzr", 1, 2, 2), L("pe", 2),
)  # fmt: skip

_GRADE_10 = (*_GRADE_11, L("project", 1))

CURRICULUM: dict[int, tuple[PlanLine, ...]] = {
    1: _GRADE_1,
    2: _GRADES_2_3,
    3: _GRADES_2_3,
    4: _GRADE_4,
    5: _GRADE_5,
    6: _GRADE_6,
    7: _GRADE_7,
    8: _GRADE_8,
    9: _GRADE_9,
    10: _GRADE_10,
    11: _GRADE_11,
}

# The foreign language is taught in two subgroups in classes of this size or more.
SPLIT_SUBJECT = "english"
SPLIT_MIN_STUDENTS = 20
SPLIT_GRADES = range(2, 12)


def is_split(grade: int, students: int, subject: str) -> bool:
    """Whether a class learns ``subject`` in two subgroups."""
    return subject == SPLIT_SUBJECT and grade in SPLIT_GRADES and students >= SPLIT_MIN_STUDENTS


# --- Teachers' specialties --------------------------------------------------------------

# What one teacher may teach: a primary-school teacher teaches their own class everything
# but English, music and PE; subject teachers teach their specialty in every grade.
PRIMARY_SUBJECTS = ("rus", "litread", "math", "world", "art", "labour", "orkse")

SPECIALTIES: dict[str, tuple[str, ...]] = {
    "russian": ("rus", "lit"),
    "math": ("math", "algebra", "analysis", "geometry", "probability"),
    "informatics": ("informatics",),
    "english": ("english",),
    "history": ("history", "social", "odnknr", "project"),
    "geography": ("geography",),
    "biology": ("biology",),
    "chemistry": ("chemistry",),
    "physics": ("physics",),
    "music": ("music",),
    "art": ("art",),
    "labour": ("labour",),
    "pe": ("pe",),
    "obzr": ("obzr",),
}
SPECIALTY_OF = {subject: spec for spec, subjects in SPECIALTIES.items() for subject in subjects}

# A specialty with too few hours for a teacher of its own is merged with a related one,
# as small schools do: «учитель математики и информатики», «химии и биологии».
PARTNERS: dict[str, tuple[str, ...]] = {
    "informatics": ("math", "physics"),
    "physics": ("informatics", "math"),
    "chemistry": ("biology", "geography", "physics"),
    "biology": ("chemistry", "geography"),
    "geography": ("biology", "history"),
    "history": ("geography",),
    "music": ("art", "labour"),
    "art": ("music", "labour"),
    "labour": ("art", "music"),
    "obzr": ("pe",),
    "pe": ("obzr",),
    "russian": (),
    "math": ("informatics",),
    "english": (),
}

# Share of men among teachers of a specialty [typical for a Russian village school].
MALE_SHARE: dict[str, float] = {
    "pe": 0.6,
    "obzr": 0.8,
    "labour": 0.5,
    "physics": 0.4,
    "informatics": 0.4,
    "history": 0.25,
}
DEFAULT_MALE_SHARE = 0.1

"""Who did something is named with a neutral label («Кто внёс: …»), never with a verb whose
ending is guessed («внёс(ла)»): the staff's accounts do not say whether a man or a woman
typed the row."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("school", "journal", "diary", "consent", "notifications", "reports", "demo", "templates")
# The consent statement is the guardian's own words in the first person («я отметил(а)»), the
# usual form of a signed statement, and its wording is versioned: not a label of who did what.
NOT_LABELS = {"consent/texts.py"}
GUESSED = re.compile(r"\b[а-яё]+(?:л|ёс|ес)\((?:а|ла)\)", re.IGNORECASE)


def test_no_acting_person_is_named_with_a_guessed_ending() -> None:
    found = []
    for app in APPS:
        for path in (ROOT / app).rglob("*"):
            name = str(path.relative_to(ROOT))
            if path.suffix not in {".py", ".html", ".txt"} or "migrations" in path.parts:
                continue
            if name not in NOT_LABELS:
                for match in GUESSED.finditer(path.read_text(encoding="utf-8")):
                    found.append(f"{name}: {match.group()}")
    assert not found, found


def test_the_check_finds_a_guessed_ending() -> None:
    assert GUESSED.findall("внёс(ла): Иванова · отметил(а) · сообщил(а)") == [
        "внёс(ла)",
        "отметил(а)",
        "сообщил(а)",
    ]
    assert not GUESSED.findall("переведён(а) в 6Б; кто внёс: Иванова")

"""What the product says must be true (issue #10): the demo's login list and the README
promise nothing the portal does not do yet. The features below are the next issues; when
one lands, its test drops it from ``NOT_YET``."""

from __future__ import annotations

import re
from pathlib import Path

from demo.school.logins import demo_logins

README = Path(__file__).resolve().parents[2] / "README.md"

# Words that claim a feature that does not exist yet, in Russian (the product) and English.
NOT_YET_RU = ("статистик", "выписк", "закрыти", "закрывает", "итогов", "прогноз", "успеваемост")
NOT_YET_EN = (r"statistic", r"extract", r"clos\w* periods", r"final marks", r"forecast", r"\bapi\b")
# The one README sentence that names them as the next issues.
NEXT_ISSUES = re.compile(r"^Not there yet, and the next issues:.*?\n\n", re.M | re.S)


def test_the_demo_logins_promise_only_what_exists() -> None:
    for login in demo_logins(2):
        text = f"{login.title} {login.sees}".lower()
        assert not [word for word in NOT_YET_RU if word in text], login


def test_the_readme_names_missing_features_only_as_the_next_issues() -> None:
    text = README.read_text()
    assert NEXT_ISSUES.search(text), "the README lists what is not there yet"
    about = text.split("## Configuration")[0]  # what it is, what works, the demo logins
    about = NEXT_ISSUES.sub("", about).lower()
    claims = [
        line
        for line in about.splitlines()
        if any(re.search(pattern, line) for pattern in NOT_YET_EN)
    ]
    assert claims == []

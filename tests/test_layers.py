"""The import graph runs one way (DESIGN.md 2): ``school`` at the bottom, ``demo`` on top,
and no app imports one of its own layer or above, not even inside a function. What an
upper app adds to a lower app's pages is named in settings (``school.hooks``)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

from school.hooks import HOOK_SETTINGS, hooks

ROOT = Path(__file__).resolve().parent.parent

# Bottom to top. An app may import the apps of lower layers only.
LAYERS: tuple[frozenset[str], ...] = (
    frozenset({"school"}),
    frozenset({"journal", "consent"}),
    frozenset({"diary"}),
    frozenset({"notifications"}),
    frozenset({"reports"}),
    frozenset({"demo"}),
)
RANK = {app: rank for rank, layer in enumerate(LAYERS) for app in layer}

# Which app reads each hook setting: every path it names must live above that app.
HOOK_READERS = {
    "SCHOOL_HOME_SECTIONS": "school",
    "SCHOOL_CLASS_LINKS": "school",
    "SCHOOL_FAMILY_LINKS": "school",
    "SCHOOL_ATTENTION": "school",
    "SCHOOL_FAMILY_GATES": "school",
    "CONSENT_EXPORT_SECTIONS": "consent",
}


def project_apps() -> set[str]:
    return {c.name for c in apps.get_app_configs() if (ROOT / c.name).is_dir()}


def imported_apps(path: Path) -> set[tuple[str, int]]:
    """The project apps a module imports, anywhere in it, with the line."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found |= {(name.split(".")[0], node.lineno) for name in names}
    return {(app, line) for app, line in found if app in RANK}


def test_every_project_app_has_a_layer() -> None:
    assert project_apps() == set(RANK)


def test_no_app_imports_its_own_layer_or_above() -> None:
    wrong = []
    for app in RANK:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for other, line in sorted(imported_apps(path)):
                if other != app and RANK[other] >= RANK[app]:
                    wrong.append(f"{path.relative_to(ROOT)}:{line} imports {other}")
    assert wrong == []


def test_the_check_sees_an_upward_import(tmp_path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from demo.school import generator\n")
    assert imported_apps(module) == {("demo", 2)}


@pytest.mark.parametrize("name", HOOK_SETTINGS)
def test_each_hook_names_objects_of_an_app_above_its_reader(name: str) -> None:
    assert set(HOOK_SETTINGS) == set(HOOK_READERS)
    objects = hooks(name)
    assert len(objects) == len(getattr(settings, name)) > 0
    for path in getattr(settings, name):
        assert RANK[path.split(".")[0]] > RANK[HOOK_READERS[name]], path

"""One name for the acting user: every service that records who did something takes that
user as the keyword-only ``actor``. Predicates and guards (``check_*``, ``guard_*``, ``can_*``)
ask about a user and keep their positional ``user``."""

import importlib
import inspect

import pytest

SERVICE_MODULES = [
    "consent.export",
    "consent.services",
    "diary.services",
    "journal.services.cells",
    "journal.services.common",
    "journal.services.homework",
    "journal.services.lessons",
    "journal.services.remarks",
    "journal.services.timetable",
    "journal.services.work_types",
    "notifications.delivery",
    "notifications.outbox",
    "notifications.subscriptions",
    "school.services",
]
OTHER_NAMES = {"by", "user", "recorded_by", "viewer", "author", "changed_by", "staff"}
PREDICATES = ("check_", "guard_", "can_", "_")


def _functions(module_name: str):
    module = importlib.import_module(module_name)
    for name, function in inspect.getmembers(module, inspect.isfunction):
        if function.__module__ == module_name and not name.startswith(PREDICATES):
            yield name, inspect.signature(function)


@pytest.mark.parametrize("module_name", SERVICE_MODULES)
def test_the_acting_user_is_a_keyword_only_actor(module_name: str) -> None:
    wrong = []
    for name, signature in _functions(module_name):
        for parameter in signature.parameters.values():
            if parameter.name in OTHER_NAMES:
                wrong.append(f"{name}({parameter.name})")
            if parameter.name == "actor" and parameter.kind is not parameter.KEYWORD_ONLY:
                wrong.append(f"{name}(actor is not keyword-only)")
    assert wrong == []

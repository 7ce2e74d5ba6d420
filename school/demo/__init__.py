"""The demo school: ``manage.py seed_demo`` and the logins tests and browser tests use.

Public interface:
- ``seed_demo(DemoOptions(...), reset=False) -> DemoResult``: make the missing demo schools;
- ``demo_logins(schools=1)`` / ``DEMO_LOGINS``: one login per role, with ``DEMO_PASSWORD``;
- ``STEPS`` and ``DemoContext``: the build steps; ``register_step`` / ``register_cleanup``
  let another app (the journal) add its steps and the deletion of its rows.
"""

from .logins import DEMO_LOGINS, DEMO_PASSWORD, DemoLogin, demo_logins, role_username

__all__ = [
    "DEMO_LOGINS",
    "DEMO_PASSWORD",
    "STEPS",
    "DemoContext",
    "DemoError",
    "DemoLogin",
    "DemoOptions",
    "DemoResult",
    "demo_logins",
    "register_cleanup",
    "register_step",
    "role_username",
    "seed_demo",
]


def __getattr__(name: str) -> object:  # the generator imports models: load it only when used
    if name in {
        "STEPS",
        "DemoContext",
        "DemoError",
        "DemoOptions",
        "DemoResult",
        "register_cleanup",
        "register_step",
        "seed_demo",
    }:
        from . import generator

        return getattr(generator, name)
    raise AttributeError(name)

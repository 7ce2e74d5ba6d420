"""The demo school: ``manage.py seed_demo`` and the logins tests and browser tests use.

Public interface:
- ``generator.seed_demo(DemoOptions(...), reset=False) -> DemoResult``: make the missing
  demo schools, running ``generator.STEPS`` (every app's steps, in order);
- ``logins.demo_logins(schools=1)`` / ``DEMO_LOGINS``: one login per role, with
  ``DEMO_PASSWORD``;
- ``context.DemoContext``: what the steps share.
"""

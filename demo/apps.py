from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo school (``manage.py seed_demo``): on top of every app, importing what it
    fills. No other app imports it."""

    name = "demo"
    verbose_name = _("Демонстрационная школа")

import axes.apps
from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models import fields
from django.utils.translation import gettext_lazy as _


class SchoolConfig(AppConfig):
    name = "school"
    verbose_name = _("Школа")

    def ready(self) -> None:
        # Django 6.1's «- Select an option -» of every select is not in its Russian
        # catalogue yet; Django asks for it to be set here (fields.BLANK_CHOICE_LABEL).
        fields.BLANK_CHOICE_LABEL = _("— выберите —")


class SchoolAdminConfig(admin_apps.AdminConfig):
    """Django's admin with the portal's site (``school.admin_site``): every ModelAdmin
    registered on it gets the Russian titles in the right case."""

    default = False  # named in INSTALLED_APPS instead of django.contrib.admin
    default_site = "school.admin_site.SchoolAdminSite"


class AxesConfig(axes.apps.AppConfig):
    """django-axes (the login lockout) under a Russian name in the admin's index."""

    default = False  # named in INSTALLED_APPS instead of axes
    verbose_name = _("Попытки входа и блокировки")

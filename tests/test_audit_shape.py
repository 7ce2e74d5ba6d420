"""One shape of audit row across the apps: every history model (``*Change``) derives from
``school.models.AuditRecord`` (who, when, which row, before, after, why), and where the admin
shows one it only reads it."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import RequestFactory

from school.models import AuditRecord

SHAPE = {"actor", "at", "object_id", "old", "new", "reason"}


def _histories() -> list[type]:
    return [
        model
        for model in apps.get_models()
        if model.__name__.endswith("Change") and model.__module__.split(".")[0] != "django"
    ]


def test_every_history_model_derives_from_the_audit_record() -> None:
    names = {model.__name__ for model in _histories()}
    assert names >= {
        "FamilyDataChange",
        "JournalChange",
        "NotificationChange",
        "RosterChange",
        "SubscriptionChange",
    }
    assert [m.__name__ for m in _histories() if not issubclass(m, AuditRecord)] == []
    for model in _histories():
        assert {f.name for f in model._meta.get_fields()} >= SHAPE, model.__name__


@pytest.mark.django_db
def test_the_admin_only_reads_the_histories(admin_user) -> None:
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    shown = [m for m in _histories() if admin.site.is_registered(m)]
    assert shown
    for model in shown:
        model_admin = admin.site.get_model_admin(model)
        assert not model_admin.has_add_permission(request), model.__name__
        assert not model_admin.has_change_permission(request), model.__name__
        assert not model_admin.has_delete_permission(request), model.__name__

"""Consent in the Django admin, as the README describes it: the administrator publishes a
new version of the consent's text (through the service) and the guardian who gave the old
one in the cabinet sees the consent screen at their next login. Records, statements,
contacts, the offline list and the audit are read-only."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from consent.models import (
    ConsentForm,
    ConsentRecord,
    ConsentText,
    Contact,
    Decision,
    FamilyDataChange,
    OfflineFamily,
    Scope,
)
from consent.services import current_text, register_consent
from consent.texts import rendered_text
from tests.world import PASSWORD, build_world

pytestmark = pytest.mark.django_db


def admin_client(world) -> Client:
    client = Client()
    client.force_login(world.users["admin"])
    return client


def test_a_published_text_asks_the_guardian_again_at_the_next_login():
    world = build_world(consent=False)
    parent = world.users["parent"]
    text = current_text()
    register_consent(
        guardian=parent.guardian,
        students=[world.child_a],
        decision=Decision.GIVEN,
        scopes=[Scope.CABINET],
        form=ConsentForm.ELECTRONIC,
        text=text,
        shown_text=rendered_text(text, parent.guardian, [world.child_a]),
        actor=parent,
    )
    admin = admin_client(world)
    add = reverse("admin:consent_consenttext_add")
    page = admin.get(add)
    assert page.status_code == 200
    assert text.title in page.content.decode()  # the form starts from the current wording

    response = admin.post(
        add, {"title": "Согласие (редакция 2)", "body": "Я, {guardian}, даю согласие…"}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    new = ConsentText.objects.get(title="Согласие (редакция 2)")
    assert new.version == text.version + 1 and new.published_at is not None
    assert current_text() == new

    client = Client()
    response = client.post(
        reverse("login"), {"username": "parent", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0].startswith(reverse("consent:prompt"))
    assert "Согласие (редакция 2)" in response.content.decode()


def test_a_published_text_cannot_be_changed_or_deleted():
    world = build_world()
    admin = admin_client(world)
    text = current_text()
    url = reverse("admin:consent_consenttext_change", args=[text.pk])
    assert admin.get(url).status_code == 200  # view only
    admin.post(url, {"title": "Другое", "body": "Другой текст"})
    text.refresh_from_db()
    assert text.title != "Другое"
    delete = reverse("admin:consent_consenttext_delete", args=[text.pk])
    assert admin.get(delete).status_code == 403


@pytest.mark.parametrize(
    "model", [ConsentRecord, Contact, OfflineFamily, FamilyDataChange], ids=lambda m: m.__name__
)
def test_records_contacts_and_audit_are_read_only_with_search(model):
    world = build_world()
    admin = admin_client(world)
    name = model._meta.model_name
    changelist = reverse(f"admin:consent_{name}_changelist")
    response = admin.get(changelist, {"q": "Соколова"})
    assert response.status_code == 200
    assert str(model._meta.verbose_name_plural).capitalize() in response.content.decode()
    assert admin.get(reverse(f"admin:consent_{name}_add")).status_code == 403
    row = model.objects.first()
    if row is not None:
        url = reverse(f"admin:consent_{name}_change", args=[row.pk])
        assert admin.get(url).status_code == 200
        assert admin.get(reverse(f"admin:consent_{name}_delete", args=[row.pk])).status_code == 403


def test_the_admin_index_names_the_consent_app_in_russian():
    world = build_world()
    page = admin_client(world).get(reverse("admin:index")).content.decode()
    assert "Согласия на обработку персональных данных" in page
    assert "Тексты согласия" in page and "Согласия и отказы" in page

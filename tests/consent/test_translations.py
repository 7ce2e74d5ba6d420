"""Defect 11 in consent: every user-facing message of the services, the rule and the lists
is lazily translated, and extracted by makemessages (the English catalogue has them)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from consent import rules, selectors, services
from consent.models import ContactSource, Decision, Scope

pytestmark = pytest.mark.django_db


def test_the_rules_reasons_follow_the_active_language():
    with translation.override("en"):
        assert rules.verdict({}, Scope.SMS).reason == (
            "no consent to the processing of personal data"
        )
        states = {Scope.PROCESSING: rules.ScopeState(Decision.GIVEN)}
        assert rules.verdict(states, Scope.SMS).reason == "no consent for this channel"
        assert str(selectors.CABINET_REASONS[Decision.REFUSED]) == "refused the personal account"
    assert rules.verdict({}, Scope.SMS).reason == "нет согласия на обработку персональных данных"


def test_a_services_refusal_is_in_english_for_an_english_page(settings):
    from tests.world import build_world

    settings.CONSENT_CODE_LIMITS = {"contact": (1, 1)}
    world = build_world()
    parent = world.users["parent"]
    contact = services.add_contact(
        guardian=parent.guardian,
        kind="phone",
        value="+7 912 345-67-89",
        source=ContactSource.CABINET,
        actor=parent,
    )
    services.start_confirmation(contact=contact)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.start_confirmation(contact=contact)
    with translation.override("en"):  # lazy: the page's language when it is shown
        [message] = error.value.messages
    assert message.startswith("Too many confirmation codes have been requested.")
    assert "after " in message
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.add_contact(
            guardian=parent.guardian,
            kind="phone",
            value="12-34",
            source=ContactSource.CABINET,
            actor=parent,
        )
    with translation.override("en"):
        messages = error.value.messages
    assert messages == [
        "“12-34” does not look like a Russian phone number. Write it as +7 912 345-67-89 "
        "or 8 912 345-67-89."
    ]

"""Defect 5: confirmation codes are limited per contact, per guardian and per number, each
per hour and per day, with a Russian message saying when to try again; wrong guesses are
capped per contact, so a new code brings no fresh guesses. Races: two requests at once
count each other."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from consent import services
from consent.models import Contact, ContactConfirmation, ContactSource
from school.models import Guardian
from tests.races import race
from tests.world import build_world

HOUR = dt.timedelta(hours=1)
LIMITS = {"contact": (2, 3), "guardian": (3, 4), "number": (3, 4)}


@pytest.fixture
def limits(settings):
    settings.CONSENT_CODE_LIMITS = LIMITS
    settings.CONSENT_CODE_GUESSES = 4


def cabinet_phone(guardian: Guardian, value: str, by) -> Contact:
    return services.add_contact(
        guardian=guardian, kind="phone", value=value, source=ContactSource.CABINET, actor=by
    )


def refused(contact: Contact) -> str:
    with pytest.raises(ValidationError) as error:
        services.start_confirmation(contact=contact)
    [message] = error.value.messages
    return message


def age(minutes: int) -> None:
    """Every code sent so far was sent ``minutes`` earlier."""
    for row in ContactConfirmation.objects.all():
        row.sent_at -= dt.timedelta(minutes=minutes)
        row.save(update_fields=["sent_at"])


@pytest.mark.django_db
def test_codes_per_contact_per_hour_then_per_day(limits):
    """Two an hour: the third is refused saying when (the first code's time plus an hour,
    in the school's time); an hour later it goes; the fourth of the day is refused till the
    next day."""
    world = build_world()
    parent = world.users["parent"]
    contact = cabinet_phone(parent.guardian, "+7 912 345-67-89", parent)
    services.start_confirmation(contact=contact)
    first = ContactConfirmation.objects.get().sent_at
    services.start_confirmation(contact=contact)
    message = refused(contact)
    local = timezone.localtime(first + HOUR, zoneinfo.ZoneInfo(world.school.timezone))
    assert message.startswith(
        "Кодов для подтверждения запрошено слишком много. "
        f"Новый код можно запросить после {local:%H:%M}"
    )
    assert ContactConfirmation.objects.count() == 2

    age(61)
    services.start_confirmation(contact=contact)  # the third of the day
    age(61)
    message = refused(contact)  # the day's cap of 3
    assert re.search(r"Новый код можно запросить после \d\d:\d\d", message)


@pytest.mark.django_db
def test_codes_per_guardian_across_their_contacts(limits):
    world = build_world()
    parent = world.users["parent"]
    contacts = [cabinet_phone(parent.guardian, f"+7 912 345-67-8{n}", parent) for n in range(3)]
    services.start_confirmation(contact=contacts[0])
    services.start_confirmation(contact=contacts[1])
    services.start_confirmation(contact=contacts[2])
    extra = services.add_contact(
        guardian=parent.guardian,
        kind="email",
        value="sokolova@mail.ru",
        source=ContactSource.CABINET,
        actor=parent,
    )
    assert "слишком много" in refused(extra)


@pytest.mark.django_db
def test_codes_per_number_across_families(limits):
    """Three families typing the same number: the number gets at most its cap of codes."""
    world = build_world()
    parent, other = world.users["parent"], world.users["other_parent"]
    mine = cabinet_phone(parent.guardian, "+7 912 345-67-89", parent)
    theirs = cabinet_phone(other.guardian, "8 912 345 67 89", other)
    services.start_confirmation(contact=mine)
    services.start_confirmation(contact=mine)
    services.start_confirmation(contact=theirs)
    assert "слишком много" in refused(theirs)
    assert ContactConfirmation.objects.count() == 3


@pytest.mark.django_db
def test_guesses_are_capped_per_contact_not_per_code(limits):
    """Four wrong guesses over two codes reach the contact's cap: even the right code of the
    latest code is refused, with when to try again."""
    world = build_world()
    parent = world.users["parent"]
    contact = cabinet_phone(parent.guardian, "+7 912 345-67-89", parent)
    for _ in range(2):
        code = services.start_confirmation(contact=contact)
        for _ in range(2):
            with pytest.raises(ValidationError):
                services.confirm_contact(contact=contact, code=wrong(code), actor=parent)
    with pytest.raises(ValidationError) as error:
        services.confirm_contact(contact=contact, code=code, actor=parent)
    assert re.fullmatch(
        r"Слишком много неверных кодов для этого контакта\. Попробовать снова можно после "
        r"\d\d:\d\d( \d\d\.\d\d\.\d{4})?\.",
        error.value.messages[0],
    )
    contact.refresh_from_db()
    assert not contact.is_confirmed


def wrong(code: str) -> str:
    return "111111" if code != "111111" else "222222"


@pytest.mark.django_db
def test_the_cabinet_page_says_when_to_ask_again(limits, client):
    world = build_world()
    parent = world.users["parent"]
    contact = cabinet_phone(parent.guardian, "+7 912 345-67-89", parent)
    client.force_login(parent)
    url = reverse("consent:send_code", args=[contact.pk])
    for _ in range(2):
        client.post(url)
    page = client.post(url, follow=True).content.decode()
    assert "Новый код можно запросить после" in page
    assert ContactConfirmation.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_requests_at_once_count_each_other(settings):
    """With one code an hour, two requests released together send one code."""
    settings.CONSENT_CODE_LIMITS = {"contact": (1, 5)}
    world = build_world()
    parent = world.users["parent"]
    contact = cabinet_phone(parent.guardian, "+7 912 345-67-89", parent)
    for round_ in range(3):
        ContactConfirmation.objects.all().delete()
        results = race(
            [
                lambda: services.start_confirmation(contact=Contact.objects.get(pk=contact.pk))
                for _ in range(2)
            ]
        )
        assert sum(isinstance(r, str) for r in results) == 1, (round_, results)
        assert sum(isinstance(r, ValidationError) for r in results) == 1
        assert ContactConfirmation.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_guesses_at_once_are_both_counted(settings):
    """One guess left: two wrong guesses released together are refused, and the contact's
    count stops at the cap (the contact's row is locked)."""
    settings.CONSENT_CODE_GUESSES = 3
    world = build_world()
    parent = world.users["parent"]
    contact = cabinet_phone(parent.guardian, "+7 912 345-67-89", parent)
    code = services.start_confirmation(contact=contact)
    for _ in range(2):
        with pytest.raises(ValidationError):
            services.confirm_contact(contact=contact, code=wrong(code), actor=parent)
    results = race(
        [
            lambda: services.confirm_contact(
                contact=Contact.objects.get(pk=contact.pk), code=wrong(code), actor=parent
            )
            for _ in range(2)
        ]
    )
    codes = sorted(r.code for r in results)
    assert codes == ["bad_code", "guesses"]
    assert ContactConfirmation.objects.get().attempts == 3

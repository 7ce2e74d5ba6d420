"""The guardian's own consent: the first-login screen, the gate of the diary, the settings
page (giving, withdrawing, contacts) and the sessions that end with the cabinet."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from consent import services
from consent.models import (
    ConsentForm,
    ConsentRecord,
    ConsentText,
    Contact,
    ContactSource,
    Decision,
    FamilyDataChange,
    Scope,
)
from notifications.sms import locmem
from tests.world import PASSWORD, World, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    """School A without any consent yet: the parents meet the consent screen."""
    return build_world(consent=False)


def login(world: World, role: str) -> Client:
    client = Client(REMOTE_ADDR="192.0.2.17", HTTP_USER_AGENT="Firefox/140 (тест)")
    response = client.post(
        reverse("login"), {"username": world.users[role].username, "password": PASSWORD}
    )
    assert response.status_code == 302, f"{role} could not log in"
    return client


def week(world: World) -> str:
    return reverse("diary:week", args=[world.child_a.pk])


def give(client: Client, *channels: str, next_url: str = ""):
    page = client.get(reverse("consent:prompt"))
    version = page.context["text"].version
    return client.post(
        reverse("consent:prompt"),
        {"decision": "given", "channels": list(channels), "version": version, "next": next_url},
    )


def test_first_login_shows_the_consent_before_anything_else(world) -> None:
    client = login(world, "parent")
    for target in (reverse("home"), week(world), reverse("notifications:my_subscriptions")):
        response = client.get(target)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("consent:prompt"))
    page = client.get(reverse("consent:prompt"))
    assert page.status_code == 200
    text = page.content.decode()
    # The text names the child and the operator, and says what the law requires.
    assert "Соколов Максим Игоревич" in text
    assert "Соколова Елена Андреевна" in text
    assert world.school.name.replace("«", "&laquo;") in text or world.school.name in text
    assert "Даю согласие" in text and "Не даю согласия" in text


def test_giving_consent_opens_the_diary_and_keeps_what_was_shown(world) -> None:
    client = login(world, "parent")
    assert client.get(week(world)).status_code == 302
    response = give(client, Scope.CABINET, Scope.SMS, next_url=week(world))
    assert response.status_code == 302 and response["Location"] == week(world)
    assert client.get(week(world)).status_code == 200
    record = ConsentRecord.objects.get(guardian__user=world.users["parent"])
    assert record.decision == Decision.GIVEN
    assert record.form == ConsentForm.ELECTRONIC
    assert set(record.scopes) == {Scope.PROCESSING, Scope.CABINET, Scope.SMS}
    assert record.text.version == ConsentText.objects.order_by("-version").first().version
    assert "Соколов Максим Игоревич" in record.shown_text
    assert record.ip == "192.0.2.17"
    assert "Firefox" in record.user_agent
    assert list(record.students.all()) == [world.child_a]
    assert FamilyDataChange.objects.filter(
        guardian=record.guardian, actor=world.users["parent"]
    ).exists()


def test_giving_needs_at_least_one_channel(world) -> None:
    client = login(world, "parent")
    page = client.get(reverse("consent:prompt"))
    response = client.post(
        reverse("consent:prompt"), {"decision": "given", "version": page.context["text"].version}
    )
    assert response.status_code == 200
    assert "Отметьте хотя бы один способ" in response.content.decode()
    assert not ConsentRecord.objects.exists()


def test_refusing_keeps_the_diary_closed_without_asking_again(world) -> None:
    client = login(world, "parent")
    page = client.get(reverse("consent:prompt"))
    response = client.post(
        reverse("consent:prompt"),
        {"decision": "refused", "version": page.context["text"].version},
    )
    assert response.status_code == 302 and response["Location"] == reverse("home")
    # The session where they refused goes on; the diary stays closed (404, as for strangers).
    home = client.get(reverse("home"))
    assert home.status_code == 200
    assert "Электронный дневник закрыт" in home.content.decode()
    assert client.get(week(world)).status_code == 404
    record = ConsentRecord.objects.get()
    assert record.decision == Decision.REFUSED
    assert Scope.CABINET in record.scopes
    # A new login is not stopped at the consent screen again: the decision is made.
    again = login(world, "parent")
    assert again.get(reverse("home")).status_code == 200


def test_the_child_own_login_follows_the_parents_consent(world) -> None:
    student = login(world, "student")
    assert student.get(week(world)).status_code == 404
    assert "когда родитель даст согласие" in student.get(reverse("home")).content.decode()
    give(login(world, "parent"), Scope.CABINET)
    assert student.get(week(world)).status_code == 200


def test_withdrawing_in_settings_closes_the_diary_and_ends_every_session(world) -> None:
    client = login(world, "parent")
    give(client, Scope.CABINET, Scope.EMAIL)
    phone = login(world, "parent")  # the same parent on a phone
    assert phone.get(week(world)).status_code == 200

    settings_page = client.get(reverse("consent:settings"))
    assert settings_page.status_code == 200
    response = client.post(reverse("consent:withdraw"), {"what": "all"})
    assert response.status_code == 302 and response["Location"] == reverse("login")
    for device in (client, phone):
        answer = device.get(week(world))
        assert answer.status_code == 302 and answer["Location"].startswith(reverse("login"))
    latest = ConsentRecord.objects.order_by("-recorded_at", "-id").first()
    assert latest.decision == Decision.WITHDRAWN
    assert set(latest.scopes) == {Scope.PROCESSING, Scope.CABINET, Scope.EMAIL, Scope.SMS}
    # Back in: the diary stays closed and the withdrawal is not asked about again.
    again = login(world, "parent")
    assert again.get(reverse("home")).status_code == 200
    assert again.get(week(world)).status_code == 404


def test_withdrawing_one_channel_keeps_the_session_and_the_diary(world) -> None:
    client = login(world, "parent")
    give(client, Scope.CABINET, Scope.SMS)
    response = client.post(reverse("consent:withdraw"), {"what": Scope.SMS})
    assert response.status_code == 302 and response["Location"] == reverse("consent:settings")
    assert client.get(week(world)).status_code == 200
    states = client.get(reverse("consent:settings")).context["states"]
    sms = next(c for c in states[0].channels if c.scope == Scope.SMS)
    assert not sms.open and "отозвал" in sms.reason


def test_a_paper_refusal_registered_by_staff_ends_the_guardians_sessions(world) -> None:
    client = login(world, "parent")
    give(client, Scope.CABINET)
    assert client.get(week(world)).status_code == 200
    services.register_consent(
        guardian=world.users["parent"].guardian,
        students=[world.child_a],
        decision=Decision.WITHDRAWN,
        scopes=[Scope.PROCESSING],
        form=ConsentForm.PAPER,
        paper_number="41",
        paper_date=timezone.localdate(),
        actor=world.users["secretary"],
    )
    answer = client.get(week(world))
    assert answer.status_code == 302 and answer["Location"].startswith(reverse("login"))


def test_a_second_give_changes_nothing(world) -> None:
    client = login(world, "parent")
    give(client, Scope.CABINET)
    page = client.get(reverse("consent:settings"))
    version = page.context["text"].version
    response = client.post(
        reverse("consent:give"), {"channels": [Scope.CABINET], "version": version}, follow=True
    )
    assert "уже действует" in response.content.decode()
    assert ConsentRecord.objects.count() == 1


def test_a_new_text_version_asks_again(world) -> None:
    client = login(world, "parent")
    give(client, Scope.CABINET)
    assert client.get(reverse("home")).status_code == 200
    current = ConsentText.objects.order_by("-version").first()
    ConsentText.objects.create(
        version=current.version + 1,
        title=current.title,
        body=current.body + "\n\nДобавлен пункт о хранении журнала.",
        published_at=timezone.now() - dt.timedelta(seconds=1),
    )
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("consent:prompt"))
    # Until they decide again, the consent given to the old text still holds.
    assert client.get(reverse("consent:prompt")).context["text"].version == current.version + 1


def test_staff_who_are_parents_are_not_stopped_at_the_door(world) -> None:
    from school.models import Guardian, Kinship, Relation

    teacher = world.users["teacher"]
    father = Guardian.objects.create(user=teacher, last_name="Кузнецов", first_name="А", gender="m")
    Kinship.objects.create(guardian=father, student=world.child_a, relation=Relation.FATHER)
    client = login(world, "teacher")
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("consent:prompt")).status_code == 200


def test_pages_are_for_guardians_only(world) -> None:
    client = login(world, "secretary")
    for name in ("consent:prompt", "consent:settings"):
        assert client.get(reverse(name)).status_code == 403


# --- Contacts -------------------------------------------------------------------------


def test_an_invalid_phone_gets_a_russian_message_and_keeps_what_was_typed(world) -> None:
    client = login(world, "parent")
    give(client, Scope.CABINET, Scope.SMS)
    response = client.post(reverse("consent:add_contact"), {"kind": "phone", "value": "12-34"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "не похож на российский телефон" in text
    assert 'value="12-34"' in text
    assert not Contact.objects.exists()


def test_a_phone_is_confirmed_by_the_code_sent_through_the_sms_gateway(
    world, django_capture_on_commit_callbacks
) -> None:
    locmem.outbox.clear()
    client = login(world, "parent")
    give(client, Scope.CABINET, Scope.SMS)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("consent:add_contact"), {"kind": "phone", "value": "8 (912) 345-67-89"}
        )
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert contact.phone.as_e164 == "+79123456789"
    assert contact.source == ContactSource.CABINET and not contact.is_confirmed
    assert len(locmem.outbox) == 1 and locmem.outbox[0].to == "+79123456789"
    code = locmem.outbox[0].text.split(": ")[1][:6]

    confirm = reverse("consent:confirm_contact", args=[contact.pk])
    wrong = client.post(confirm, {"code": "000000" if code != "000000" else "111111"})
    assert "Код не подходит" in wrong.content.decode()
    assert client.post(confirm, {"code": code}).status_code == 302
    contact.refresh_from_db()
    assert contact.is_confirmed
    assert FamilyDataChange.objects.filter(kind="contact", action="confirm").exists()


def test_an_email_gets_a_link_with_the_code(world, django_capture_on_commit_callbacks) -> None:
    mail.outbox = []
    client = login(world, "parent")
    give(client, Scope.CABINET, Scope.EMAIL)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("consent:add_contact"), {"kind": "email", "value": "sokolova@Mail.RU"})
    contact = Contact.objects.get()
    assert contact.email == "sokolova@mail.ru"
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    link = next(line for line in body.splitlines() if "/consent/contacts/" in line)
    path = link[link.index("/consent/") :]
    page = client.get(path)
    assert page.status_code == 200
    code = page.context["form"]["code"].value()
    assert client.post(path.split("?")[0], {"code": code}).status_code == 302
    contact.refresh_from_db()
    assert contact.is_confirmed


def test_a_guardian_cannot_touch_another_familys_contact(world) -> None:
    other = services.add_contact(
        guardian=world.users["other_parent"].guardian,
        kind=Contact.Kind.PHONE,
        value="+79001112233",
        source=ContactSource.STAFF,
        actor=world.users["secretary"],
    )
    client = login(world, "parent")
    give(client, Scope.CABINET)
    for name in ("consent:confirm_contact", "consent:send_code", "consent:remove_contact"):
        assert client.post(reverse(name, args=[other.pk]), {"code": "1"}).status_code == 404
    other.refresh_from_db()
    assert other.is_active


def test_removing_a_contact(world) -> None:
    client = login(world, "parent")
    give(client, Scope.CABINET)
    client.post(reverse("consent:add_contact"), {"kind": "phone", "value": "+7 912 345 67 89"})
    contact = Contact.objects.get()
    assert client.post(reverse("consent:remove_contact", args=[contact.pk])).status_code == 302
    contact.refresh_from_db()
    assert not contact.is_active


def test_the_home_page_leads_a_parent_to_their_consent_and_contacts(world) -> None:
    client = login(world, "parent")
    give(client, Scope.CABINET)
    home = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("consent:settings")}"' in home
    assert f"?child={world.child_a.pk}" in home  # the open diary is a link

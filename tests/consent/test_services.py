"""Consent services: bad input gets a clear Russian message and leaves nothing behind;
every change of a family's data leaves an audit row naming who made it; a refusal or
withdrawal tells the outbox at once, inside the same transaction."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from consent import services
from consent.models import (
    ConsentRecord,
    ConsentText,
    Contact,
    ContactConfirmation,
    ContactSource,
    Decision,
    FamilyDataChange,
    OfflineFamily,
    Scope,
)
from consent.signals import consent_closed
from notifications import outbox
from notifications.models import Channel, Kind, Notification, Status
from school.models import Kinship, Relation
from tests.notifications.support import build_family
from tests.world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return build_world(consent=False)


@pytest.fixture
def mother(w):
    return w.users["parent"].guardian


@pytest.fixture
def clerk(w):
    return w.users["secretary"]


def audit(guardian) -> list[tuple[str, str]]:
    """(what, who) of the guardian's audit, oldest first."""
    return [
        (change.what, change.actor.username)
        for change in FamilyDataChange.objects.filter(guardian=guardian)
        .select_related("actor")
        .order_by("at", "id")
    ]


def phone(guardian, value: str, by) -> Contact:
    return services.add_contact(
        guardian=guardian,
        kind=Contact.Kind.PHONE,
        value=value,
        source=ContactSource.STAFF,
        actor=by,
    )


def email(guardian, value: str, by) -> Contact:
    return services.add_contact(
        guardian=guardian,
        kind=Contact.Kind.EMAIL,
        value=value,
        source=ContactSource.STAFF,
        actor=by,
    )


# --- Phones and e-mails ---------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    ["8 912 345-67-89", "+7 912 345-67-89", "+7 (912) 345-67-89", "89123456789", " 9123456789 "],
)
def test_a_russian_phone_written_any_usual_way_is_kept_in_e164(mother, clerk, written):
    contact = phone(mother, written, clerk)
    contact.refresh_from_db()
    assert contact.value == "+79123456789"
    assert (contact.source, contact.created_by, contact.is_confirmed) == (
        ContactSource.STAFF,
        clerk,
        False,
    )


@pytest.mark.parametrize("written", ["12345", "8 912 345", "телефон мамы", "", "+7 000 000-00-00"])
def test_a_phone_that_is_not_a_phone_gets_a_russian_message_and_nothing_is_kept(
    mother, clerk, written
):
    with pytest.raises(ValidationError) as error:
        phone(mother, written, clerk)
    assert error.value.messages == [
        f"Номер «{written}» не похож на российский телефон. Запишите его как "
        "+7 912 345-67-89 или 8 912 345-67-89."
    ]
    assert not Contact.objects.exists()
    assert not FamilyDataChange.objects.exists()


def test_an_e_mail_is_trimmed_and_its_domain_lowercased(mother, clerk):
    contact = email(mother, "  Ivanova.Elena@Mail.RU ", clerk)
    contact.refresh_from_db()
    assert contact.value == "Ivanova.Elena@mail.ru"


@pytest.mark.parametrize("written", ["ivanova", "ivanova@", "@mail.ru", "ivanova@mail", "a b@c.ru"])
def test_a_bad_e_mail_gets_a_russian_message_with_an_example(mother, clerk, written):
    with pytest.raises(ValidationError) as error:
        email(mother, written, clerk)
    assert error.value.messages == [
        f"Адрес «{written.strip()}» не похож на адрес электронной почты (пример: ivanova@mail.ru)."
    ]
    assert not Contact.objects.exists()


def test_the_same_contact_written_differently_is_refused_as_a_duplicate(mother, clerk):
    """«+7 912…» and «8 (912)…» are one number; «…@MAIL.RU» and «…@mail.ru» one address."""
    phone(mother, "+7 912 345-67-89", clerk)
    email(mother, "sokolova@mail.ru", clerk)
    for add, value in ((phone, "8 (912) 3456789"), (email, "sokolova@MAIL.RU")):
        with pytest.raises(ValidationError) as error:
            add(mother, value, clerk)
        assert error.value.messages == ["Такой контакт у родителя уже есть."]
    assert Contact.objects.count() == 2


def test_another_family_may_have_the_same_number(w, mother, clerk):
    """Two guardians sharing a landline: each has it as their own contact."""
    phone(mother, "+7 912 345-67-89", clerk)
    phone(w.users["other_parent"].guardian, "+7 912 345-67-89", clerk)
    assert Contact.objects.count() == 2


def test_a_removed_contact_may_be_added_again_and_both_steps_are_audited(w, mother, clerk):
    contact = phone(mother, "+7 912 345-67-89", clerk)
    services.deactivate_contact(contact=contact, actor=w.users["classteacher"])
    services.deactivate_contact(contact=contact, actor=w.users["classteacher"])  # nothing new
    again = phone(mother, "8 912 345-67-89", clerk)
    assert again.pk != contact.pk
    assert audit(mother) == [
        ("добавлен контакт: телефон", "secretary"),
        ("удалён контакт: телефон", "classteacher"),
        ("добавлен контакт: телефон", "secretary"),
    ]
    added = FamilyDataChange.objects.filter(guardian=mother).order_by("at", "id").first()
    assert added.new == {"kind": "phone", "value": "+79123456789", "source": "staff"}


def test_an_unknown_source_is_refused(mother, clerk):
    with pytest.raises(ValidationError) as error:
        services.add_contact(
            guardian=mother, kind=Contact.Kind.PHONE, value="+79123456789", source="x", actor=clerk
        )
    assert error.value.messages == ["Неизвестный источник контакта."]


# --- Confirmation codes ---------------------------------------------------------------


def wrong(code: str) -> str:
    return "111111" if code != "111111" else "222222"


def test_the_right_code_confirms_the_contact_and_is_audited(mother, clerk, w):
    contact = phone(mother, "+7 912 345-67-89", clerk)
    code = services.start_confirmation(contact=contact)
    assert len(code) == 6 and code.isdigit()
    assert ContactConfirmation.objects.get().code_hash != code  # only the hash is kept

    services.confirm_contact(contact=contact, code=f" {code} ", actor=w.users["parent"])

    contact.refresh_from_db()
    assert contact.is_confirmed
    assert audit(mother)[-1] == ("подтверждён контакт: телефон", "parent")
    with pytest.raises(ValidationError) as error:  # a code works once
        services.confirm_contact(contact=contact, code=code, actor=w.users["parent"])
    assert error.value.messages == [services.MSG_BAD_CODE]


def test_a_wrong_code_is_refused_and_the_attempt_counted(mother, clerk):
    """The count survives the error: it is what stops someone guessing the code."""
    contact = phone(mother, "+7 912 345-67-89", clerk)
    code = services.start_confirmation(contact=contact)
    for attempt in (1, 2):
        with pytest.raises(ValidationError) as error:
            services.confirm_contact(contact=contact, code=wrong(code), actor=clerk)
        assert error.value.messages == ["Код не подходит. Проверьте SMS или запросите новый код."]
        assert ContactConfirmation.objects.get().attempts == attempt
    contact.refresh_from_db()
    assert not contact.is_confirmed
    assert audit(mother) == [("добавлен контакт: телефон", "secretary")]


def test_after_too_many_attempts_even_the_right_code_is_refused_until_a_new_one(mother, clerk):
    contact = phone(mother, "+7 912 345-67-89", clerk)
    code = services.start_confirmation(contact=contact)
    for _ in range(services.MAX_CODE_ATTEMPTS):
        with pytest.raises(ValidationError):
            services.confirm_contact(contact=contact, code=wrong(code), actor=clerk)
    with pytest.raises(ValidationError) as error:
        services.confirm_contact(contact=contact, code=code, actor=clerk)
    assert error.value.messages == ["Слишком много попыток: запросите новый код."]
    contact.refresh_from_db()
    assert not contact.is_confirmed

    fresh = services.start_confirmation(contact=contact)
    services.confirm_contact(contact=contact, code=fresh, actor=clerk)
    contact.refresh_from_db()
    assert contact.is_confirmed


def test_an_expired_code_is_refused_with_its_own_message(mother, clerk):
    contact = phone(mother, "+7 912 345-67-89", clerk)
    code = services.start_confirmation(contact=contact)
    ContactConfirmation.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    with pytest.raises(ValidationError) as error:
        services.confirm_contact(contact=contact, code=code, actor=clerk)
    assert error.value.messages == ["Срок действия кода истёк: запросите новый."]
    contact.refresh_from_db()
    assert not contact.is_confirmed


def test_without_a_code_sent_any_code_is_wrong(mother, clerk):
    contact = email(mother, "sokolova@mail.ru", clerk)
    with pytest.raises(ValidationError) as error:
        services.confirm_contact(contact=contact, code="123456", actor=clerk)
    assert error.value.messages == [services.MSG_BAD_CODE]


def test_only_the_latest_code_counts(mother, clerk):
    contact = email(mother, "sokolova@mail.ru", clerk)
    old = services.start_confirmation(contact=contact)
    new = services.start_confirmation(contact=contact)
    if old != new:
        with pytest.raises(ValidationError):
            services.confirm_contact(contact=contact, code=old, actor=clerk)
    services.confirm_contact(contact=contact, code=new, actor=clerk)
    contact.refresh_from_db()
    assert contact.is_confirmed


# --- Registering consent: bad input ---------------------------------------------------


def register(w, guardian, students, decision=Decision.GIVEN, scopes=(Scope.CABINET,), **extra):
    fields = {
        "form": "paper",
        "paper_date": timezone.localdate(),
        "actor": w.users["secretary"],
        "paper_number": "12",
    }
    fields.update(extra)
    return services.register_consent(
        guardian=guardian, students=students, decision=decision, scopes=list(scopes), **fields
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"students": []}, "Выберите хотя бы одного ребёнка."),
        ({"scopes": []}, "Отметьте, на что дано согласие или отказ."),
        ({"paper_date": None}, "Для бумажного заявления укажите его дату."),
        ({"paper_date": "tomorrow"}, "Дата заявления не может быть в будущем."),
        (
            {"form": "electronic", "shown_text": ""},
            "Для согласия в личном кабинете нужна опубликованная версия текста.",
        ),
    ],
)
def test_a_consent_with_missing_parts_is_refused_with_a_russian_message(w, mother, change, message):
    arguments = {"students": [w.child_a], "scopes": [Scope.CABINET]}
    arguments.update(change)
    if arguments.get("paper_date") == "tomorrow":
        arguments["paper_date"] = timezone.localdate() + dt.timedelta(days=1)
    students, scopes = arguments.pop("students"), arguments.pop("scopes")
    with pytest.raises(ValidationError) as error:
        register(w, mother, students, scopes=scopes, **arguments)
    assert error.value.messages == [message]
    assert not ConsentRecord.objects.filter(guardian=mother).exists()
    assert not FamilyDataChange.objects.filter(guardian=mother).exists()


def test_a_consent_for_someone_elses_child_is_refused_naming_the_child(w, mother):
    with pytest.raises(ValidationError) as error:
        register(w, mother, [w.child_a, w.child_b])
    assert error.value.messages == ["Морозова А. Д. не указан(а) как ребёнок этого родителя."]
    assert not ConsentRecord.objects.exists()


def test_a_second_given_while_one_is_in_force_changes_nothing(w, mother):
    first = register(w, mother, [w.child_a], scopes=[Scope.CABINET, Scope.SMS])
    assert register(w, mother, [w.child_a], scopes=[Scope.SMS]) is None
    assert register(w, mother, [w.child_a], scopes=[Scope.PROCESSING, Scope.SMS]) is None
    assert list(ConsentRecord.objects.filter(guardian=mother)) == [first]
    assert len(audit(mother)) == 1


def test_withdrawing_what_was_never_given_is_refused(w, mother):
    register(w, mother, [w.child_a], scopes=[Scope.CABINET])
    with pytest.raises(ValidationError) as error:
        register(w, mother, [w.child_a], decision=Decision.WITHDRAWN, scopes=[Scope.SMS])
    assert error.value.messages == ["Согласие не было дано: отзывать нечего."]
    assert ConsentRecord.objects.filter(guardian=mother).count() == 1


def test_each_consent_decision_is_audited_with_who_recorded_it(w, mother):
    """The audit row says what was decided, for which scopes, by whom."""
    Kinship.objects.create(guardian=mother, student=w.child_b, relation=Relation.MOTHER)
    given = register(w, mother, [w.child_a, w.child_b], scopes=[Scope.SMS])
    withdrawn = register(
        w,
        mother,
        [w.child_b],
        decision=Decision.WITHDRAWN,
        scopes=[Scope.PROCESSING],
        actor=w.users["classteacher"],
    )
    assert audit(mother) == [
        (
            "согласие дано: обработка персональных данных для электронного дневника, SMS-рассылка",
            "secretary",
        ),
        (
            "согласие отозвано: обработка персональных данных для электронного дневника, "
            "личный кабинет (веб-интерфейс дневника), рассылка по электронной почте, "
            "SMS-рассылка",
            "classteacher",
        ),
    ]
    first, second = FamilyDataChange.objects.filter(guardian=mother).order_by("at", "id")
    assert first.new == {
        "decision": "given",
        "scopes": ["processing", "sms"],
        "form": "paper",
        "students": [w.child_a.pk, w.child_b.pk],
        "record": given.pk,
    }
    assert (second.new["record"], second.new["students"]) == (withdrawn.pk, [w.child_b.pk])
    assert withdrawn.recorded_by == w.users["classteacher"]


def test_an_electronic_consent_keeps_the_text_version_ip_and_browser(w, mother):
    text = services.current_text() or ConsentText.objects.create(
        version=1, title="Согласие", body="Я, {guardian}…", published_at=timezone.now()
    )
    record = services.register_consent(
        guardian=mother,
        students=[w.child_a],
        decision=Decision.GIVEN,
        scopes=[Scope.CABINET],
        form="electronic",
        actor=w.users["parent"],
        shown_text="Я, Соколова Елена Андреевна, даю согласие…",
        ip="192.0.2.7",
        user_agent="Mozilla/5.0 " + "x" * 400,
    )
    record.refresh_from_db()
    assert (record.text, record.ip, len(record.user_agent)) == (text, "192.0.2.7", 300)
    assert record.shown_text.startswith("Я, Соколова")


# --- The offline list -----------------------------------------------------------------


def test_marking_a_family_offline_twice_keeps_one_mark_and_one_audit_row(w, mother, clerk):
    first = services.mark_offline(guardian=mother, actor=clerk, note="нет интернета")
    again = services.mark_offline(guardian=mother, actor=w.users["classteacher"], note="другое")
    assert first.pk == again.pk
    offline = OfflineFamily.objects.get()
    assert (offline.note, offline.marked_by) == ("нет интернета", clerk)
    services.unmark_offline(guardian=mother, actor=w.users["classteacher"])
    services.unmark_offline(guardian=mother, actor=w.users["classteacher"])
    assert not OfflineFamily.objects.exists()
    assert audit(mother) == [
        ("семья отмечена как не имеющая доступа к интернету", "secretary"),
        ("отметка «нет доступа к интернету» снята", "classteacher"),
    ]


# --- Closing consent tells the outbox ---------------------------------------------------


@pytest.fixture
def closed():
    """Every ``consent_closed`` sent, with whether it came inside a transaction and whether
    the record was already visible there."""
    sent: list[dict] = []

    def receiver(sender, **kwargs):
        sent.append(
            {
                **kwargs,
                "in_transaction": connection.in_atomic_block,
                "records": ConsentRecord.objects.filter(guardian_id=kwargs["guardian_id"]).count(),
            }
        )

    consent_closed.connect(receiver, dispatch_uid="test-consent-closed")
    yield sent
    consent_closed.disconnect(dispatch_uid="test-consent-closed")


def test_a_refusal_and_a_withdrawal_are_announced_with_the_reason(w, mother, closed):
    register(w, mother, [w.child_a], scopes=[Scope.CABINET, Scope.EMAIL])
    assert closed == []
    register(w, mother, [w.child_a], decision=Decision.REFUSED, scopes=[Scope.SMS])
    register(w, mother, [w.child_a], decision=Decision.WITHDRAWN, scopes=[Scope.PROCESSING])
    assert [
        (s["guardian_id"], s["student_ids"], s["scopes"], s["reason"], s["records"]) for s in closed
    ] == [
        (mother.pk, [w.child_a.pk], ["sms"], "отказ", 2),
        (
            mother.pk,
            [w.child_a.pk],
            ["processing", "cabinet", "email", "sms"],
            "согласие отозвано",
            3,
        ),
    ]
    assert all(s["in_transaction"] for s in closed)


def test_a_refused_withdrawal_announces_nothing(w, mother, closed):
    with pytest.raises(ValidationError):
        register(w, mother, [w.child_a], decision=Decision.WITHDRAWN, scopes=[Scope.SMS])
    assert closed == []


def test_a_withdrawal_stops_the_childs_waiting_sms_and_e_mail_and_keeps_the_reason():
    """Withdrawn for one child: that child's queued SMS and e-mail are suppressed with the
    reason; the brother's rows keep waiting."""
    fam = build_family()
    brother = fam.world.students[1]
    Kinship.objects.create(guardian=fam.guardian, student=brother, relation=Relation.MOTHER)
    fam.consent(Decision.GIVEN, [Scope.SMS, Scope.EMAIL], students=[brother])

    def queue(student, channel):
        return outbox.instant(
            school=fam.school,
            guardian=fam.guardian,
            student=student,
            kind=Kind.MESSAGE,
            channel=channel,
            key=f"test:{student.pk}:{channel}",
            sources=[],
            recorded_at=timezone.now(),
        )

    rows = {
        (student.pk, channel): queue(student, channel)
        for student in (fam.student, brother)
        for channel in (Channel.SMS, Channel.EMAIL)
    }
    assert {row.status for row in rows.values()} == {Status.QUEUED}

    fam.consent(Decision.WITHDRAWN, [Scope.PROCESSING])

    after = {
        key: Notification.objects.values_list("status", "suppressed_reason").get(pk=row.pk)
        for key, row in rows.items()
    }
    stopped = (Status.SUPPRESSED, "согласие отозвано: отправка остановлена")
    assert after == {
        (fam.student.pk, Channel.SMS): stopped,
        (fam.student.pk, Channel.EMAIL): stopped,
        (brother.pk, Channel.SMS): (Status.QUEUED, ""),
        (brother.pk, Channel.EMAIL): (Status.QUEUED, ""),
    }


def test_a_withdrawal_for_two_children_leaves_the_one_never_consented_at_none() -> None:
    """The secretary's lists must not show «withdrawn» for a child nothing was given for."""
    from consent import rules
    from consent.models import ConsentForm, Decision, Scope
    from consent.services import give_cabinet_consent, register_consent
    from school.models import Kinship, Relation
    from tests.world import build_world

    world = build_world(consent=False)
    mother = world.users["parent"].guardian
    Kinship.objects.create(guardian=mother, student=world.child_b, relation=Relation.MOTHER)
    give_cabinet_consent(mother, [world.child_a], actor=world.users["secretary"])
    record = register_consent(
        guardian=mother,
        students=[world.child_a, world.child_b],
        decision=Decision.WITHDRAWN,
        scopes=[Scope.PROCESSING],
        form=ConsentForm.PAPER,
        paper_date=world.school.local_today(),
        actor=world.users["secretary"],
    )
    assert list(record.students.all()) == [world.child_a]
    states = rules.history_states(mother.pk)
    assert rules.family_status(states[world.child_a.pk]) == Decision.WITHDRAWN
    assert world.child_b.pk not in states


def test_a_landline_is_refused_for_sms_with_a_clear_message() -> None:
    from django.core.exceptions import ValidationError

    from consent.services import normalise_phone

    with pytest.raises(ValidationError) as error:
        normalise_phone("8 (495) 123-45-67")
    assert "не мобильный" in error.value.messages[0]
    with pytest.raises(ValidationError):
        normalise_phone("+44 7911 123456")  # not a Russian number
    assert normalise_phone("8 912 345-67-89") == "+79123456789"

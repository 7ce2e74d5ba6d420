"""The family card and what staff do on it: register a paper consent, refusal or
withdrawal, add and remove contacts, mark a family «no internet access». Every change
lands in the history and in the audit with who did it; bad input gets a Russian message
and nothing typed is lost."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from consent.models import (
    ConsentRecord,
    Contact,
    ContactSource,
    Decision,
    FamilyDataChange,
    OfflineFamily,
    Scope,
)
from consent.rules import history_states
from consent.services import add_contact
from school.models import Enrolment, Kinship, Relation, Student
from tests.consent_pages.test_staff_support import add_family, signed_in
from tests.once import built_once, copy_of
from tests.world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _world_once(django_db_setup, django_db_blocker):
    with built_once(django_db_blocker, build_world) as world:
        yield world


@pytest.fixture
def world(db, _world_once):
    """``build_world()`` built once for the module (``tests.once``)."""
    return copy_of(_world_once)


@pytest.fixture
def mother(world):
    return world.users["parent"].guardian


def card(world, guardian, role: str = "secretary") -> str:
    response = signed_in(world, role).get(reverse("consent:family", args=[guardian.pk]))
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


def register(world, guardian, role: str = "secretary", follow: bool = True, **data):
    fields = {
        "decision": Decision.GIVEN,
        "students": [s.pk for s in Student.objects.filter(kinships__guardian=guardian)],
        "scopes": [Scope.PROCESSING, Scope.CABINET],
        "paper_number": "25",
        "paper_date": timezone.localdate().isoformat(),
        **data,
    }
    url = reverse("consent:register", args=[guardian.pk])
    return signed_in(world, role).post(url, fields, follow=follow)


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# --- The card ---------------------------------------------------------------------------


def test_the_card_shows_state_history_and_audit(world, mother):
    html = card(world, mother)
    assert "Соколова Елена Андреевна" in html
    assert "Соколов Максим Игоревич" in html
    assert "Что действует сейчас" in html and "badge--ok" in html
    assert "Согласие дано" in html  # the history
    assert "Зарегистрировано" in html and "Лисицына А. В." in html
    assert "Журнал изменений" in html
    assert reverse("notifications:family_deliveries", args=[mother.pk]) in html
    assert reverse("consent:register", args=[mother.pk]) + "?decision=withdrawn" in html


def test_a_class_teacher_sees_only_the_children_of_her_class(world, mother):
    """The mother's second child is in 6Б: the 5А class teacher neither sees that child
    nor the statements only about them; the secretary sees both."""
    second = Student.objects.create(
        school=world.school,
        last_name="Соколова",
        first_name="Анна",
        middle_name="Игоревна",
        gender="f",
        birth_date=dt.date(2014, 5, 2),
    )
    Enrolment.objects.create(student=second, school_class=world.class_6b, start=world.year.start)
    Kinship.objects.create(guardian=mother, student=second, relation=Relation.MOTHER)
    register(world, mother, students=[second.pk], paper_number="6Б-1")

    teacher_view = card(world, mother, "classteacher")
    assert "Соколов Максим" in teacher_view
    assert "Соколова Анна" not in teacher_view and "6Б-1" not in teacher_view
    secretary_view = card(world, mother)
    assert "Соколова Анна" in secretary_view and "6Б-1" in secretary_view

    form = signed_in(world, "classteacher").get(reverse("consent:register", args=[mother.pk]))
    assert "Соколова Анна" not in form.content.decode()
    refused = register(world, mother, "classteacher", students=[second.pk], follow=False)
    assert refused.status_code == 422
    assert "Этого ребёнка нет в списке." in text(refused)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("secretary", 200),
        ("director", 200),
        ("classteacher", 200),
        ("teacher", 404),
        ("parent", 404),  # a guardian uses their own cabinet pages, not the staff card
        ("student", 404),
        ("other_director", 404),
        ("admin", 404),
    ],
)
def test_who_may_open_the_family_card(world, mother, role, status):
    response = signed_in(world, role).get(reverse("consent:family", args=[mother.pk]))
    assert response.status_code == status


def test_the_class_teacher_of_another_class_gets_404(world):
    father = world.users["other_parent"].guardian
    client = signed_in(world, "classteacher")
    assert client.get(reverse("consent:family", args=[father.pk])).status_code == 404
    response = register(world, father, "classteacher", follow=False)
    assert response.status_code == 404
    assert ConsentRecord.objects.filter(guardian=father).count() == 1


# --- Registering paper statements -------------------------------------------------------


def test_the_form_starts_with_the_children_and_today(world, mother):
    response = signed_in(world, "secretary").get(
        reverse("consent:register", args=[mother.pk]), {"decision": "refused"}
    )
    html = text(response)
    assert response.status_code == 200
    assert re.search(r'value="refused"[^>]*checked', html)
    assert re.search(rf'value="{world.child_a.pk}"[^>]*checked', html)
    assert f'value="{timezone.localdate().isoformat()}"' in html


def test_registering_a_paper_consent_to_e_mail(world, mother):
    response = register(
        world, mother, decision=Decision.GIVEN, scopes=[Scope.EMAIL], paper_number="101"
    )
    assert response.redirect_chain[-1][0].endswith(
        reverse("consent:family", args=[mother.pk]) + "#history"
    )
    page = text(response)
    assert "Согласие зарегистрировано: заявление № 101" in page
    record = ConsentRecord.objects.get(guardian=mother, paper_number="101")
    assert record.form == "paper" and record.recorded_by == world.users["secretary"]
    assert record.scopes == [Scope.PROCESSING, Scope.EMAIL]
    assert history_states(mother.pk)[world.child_a.pk][Scope.EMAIL].decision == Decision.GIVEN
    audit = FamilyDataChange.objects.filter(guardian=mother).first()
    assert audit.actor == world.users["secretary"] and audit.new["record"] == record.pk
    assert "заявление № 101" in page


def test_registering_a_refusal(world):
    child, guardian = add_family(world, "Иванов", state=None)
    response = register(world, guardian, decision=Decision.REFUSED, scopes=[Scope.PROCESSING])
    assert "Отказ зарегистрирован" in text(response)
    assert "Личный кабинет, почта и SMS для выбранных детей закрыты." in text(response)
    states = history_states(guardian.pk)[child.pk]
    assert {s: states[s].decision for s in states} == dict.fromkeys(
        [Scope.PROCESSING, Scope.CABINET, Scope.EMAIL, Scope.SMS], Decision.REFUSED
    )


def test_registering_a_withdrawal_closes_everything_and_is_audited(world, mother):
    before = ConsentRecord.objects.filter(guardian=mother).count()
    response = register(
        world,
        mother,
        "classteacher",
        decision=Decision.WITHDRAWN,
        scopes=[Scope.PROCESSING],
        paper_number="77",
        note="принесла лично",
    )
    page = text(response)
    assert "Отзыв согласия зарегистрирован: заявление № 77" in page
    assert ConsentRecord.objects.filter(guardian=mother).count() == before + 1
    assert history_states(mother.pk)[world.child_a.pk][Scope.CABINET].decision == "withdrawn"
    audit = FamilyDataChange.objects.filter(guardian=mother).first()
    assert audit.actor == world.users["classteacher"]
    assert audit.what.startswith("согласие отозвано")
    assert "Примечание: принесла лично" in page
    assert "Белова О. С." in page  # who recorded it


def test_a_second_given_changes_nothing(world, mother):
    before = ConsentRecord.objects.count()
    changes = FamilyDataChange.objects.count()
    response = register(world, mother, decision=Decision.GIVEN, scopes=[Scope.CABINET])
    assert "Согласие уже действует, ничего не изменено" in text(response)
    assert ConsentRecord.objects.count() == before
    assert FamilyDataChange.objects.count() == changes


def test_withdrawing_what_was_never_given_is_refused_and_the_form_kept(world):
    _, guardian = add_family(world, "Петров", state=None)
    response = register(
        world,
        guardian,
        follow=False,
        decision=Decision.WITHDRAWN,
        scopes=[Scope.PROCESSING],
        paper_number="88-Б",
        note="звонила бабушка",
    )
    assert response.status_code == 422
    page = text(response)
    assert "Согласие не было дано: отзывать нечего." in page
    assert 'value="88-Б"' in page and 'value="звонила бабушка"' in page
    assert not ConsentRecord.objects.filter(guardian=guardian).exists()


def test_an_empty_form_says_what_is_missing_in_russian(world, mother):
    url = reverse("consent:register", args=[mother.pk])
    response = signed_in(world, "secretary").post(url, {})
    page = text(response)
    assert response.status_code == 422
    assert "Заявление не зарегистрировано." in page
    assert "Выберите, что принёс родитель" in page
    assert "Выберите хотя бы одного ребёнка." in page
    assert "Отметьте, на что дано согласие или отказ." in page
    assert "Укажите номер заявления" in page
    assert "Укажите дату заявления." in page


def test_a_future_date_is_refused(world, mother):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = register(world, mother, follow=False, paper_date=tomorrow.isoformat())
    assert response.status_code == 422
    assert "Дата заявления не может быть в будущем." in text(response)


def test_a_date_typed_the_russian_way_is_accepted(world, mother):
    day = timezone.localdate()
    response = register(
        world, mother, scopes=[Scope.SMS], paper_date=day.strftime("%d.%m.%Y"), paper_number="5"
    )
    assert "Согласие зарегистрировано" in text(response)
    assert ConsentRecord.objects.get(paper_number="5").paper_date == day


# --- The scan ---------------------------------------------------------------------------


def test_a_scan_is_kept_and_served_only_to_staff(world, mother):
    scan = SimpleUploadedFile("заявление.pdf", b"%PDF-1.4 scan", "application/pdf")
    register(world, mother, scopes=[Scope.SMS], paper_number="12", scan=scan)
    record = ConsentRecord.objects.get(paper_number="12")
    url = reverse("consent:record_scan", args=[mother.pk, record.pk])
    assert url in card(world, mother)
    response = signed_in(world, "secretary").get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 scan"
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    for role in ("teacher", "parent", "other_director"):
        assert signed_in(world, role).get(url).status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "scan.exe",
            b"MZ\x90\x00",
            "Скан должен быть файлом PDF, JPEG или PNG, а «scan.exe» — нет.",
        ),
        (
            "fake.pdf",
            b"not a pdf",
            "Скан должен быть файлом PDF, JPEG или PNG, а «fake.pdf» — нет.",
        ),
        ("big.pdf", b"%PDF" + b"0" * (10 * 1024 * 1024), "Файл «big.pdf» больше 10 МБ."),
    ],
)
def test_a_bad_scan_is_refused_in_russian(world, mother, name, content, message):
    before = ConsentRecord.objects.count()
    response = register(
        world,
        mother,
        follow=False,
        scopes=[Scope.SMS],
        paper_number="13",
        scan=SimpleUploadedFile(name, content),
    )
    assert response.status_code == 422
    page = text(response)
    assert message in page
    assert "Файл скана браузер не сохраняет: выберите его снова." in page
    assert 'value="13"' in page
    assert ConsentRecord.objects.count() == before


# --- Contacts ---------------------------------------------------------------------------


def add(world, guardian, role: str = "secretary", follow: bool = True, **data):
    fields = {
        "kind": "phone",
        "value": "",
        "source": "statement",
        "statement_number": "",
        "statement_date": timezone.localdate().isoformat(),
        **data,
    }
    url = reverse("consent:staff_add_contact", args=[guardian.pk])
    return signed_in(world, role).post(url, fields, follow=follow)


def test_a_phone_from_a_statement_is_stored_in_e164(world, mother):
    response = add(world, mother, value="8 (912) 345-67-89", statement_number="30")
    assert "Контакт добавлен: +7 912 345-67-89" in text(response)
    contact = Contact.objects.get(guardian=mother)
    assert contact.phone.as_e164 == "+79123456789"
    assert contact.source == ContactSource.STATEMENT and contact.statement_number == "30"
    assert contact.created_by == world.users["secretary"]
    # Confirmed by the signed statement: no code is needed (defect 1).
    assert contact.statement_date == timezone.localdate() and contact.confirmed_at is not None
    audit = FamilyDataChange.objects.filter(guardian=mother).first()
    assert audit.what == "добавлен контакт: телефон" and audit.actor == world.users["secretary"]
    assert audit.new["statement_number"] == "30"
    page = text(response)
    assert "Он подтверждён заявлением № 30" in page
    assert f"из заявления № 30 от {timezone.localdate():%d.%m.%Y}; кто внёс: Лисицына А. В." in page


def test_a_statement_contact_needs_the_statement_date_not_in_the_future(world, mother):
    response = add(
        world, mother, follow=False, value="+79123456789", statement_number="5", statement_date=""
    )
    assert response.status_code == 422
    assert "Укажите дату заявления, из которого взят контакт." in text(response)
    tomorrow = timezone.localdate() + dt.timedelta(days=2)
    response = add(
        world,
        mother,
        follow=False,
        value="+79123456789",
        statement_number="5",
        statement_date=tomorrow.isoformat(),
    )
    assert response.status_code == 422
    assert "Дата заявления не может быть в будущем." in text(response)
    assert not Contact.objects.filter(guardian=mother).exists()


def test_a_contact_said_to_the_staff_still_needs_a_code(world, mother):
    add(world, mother, value="+79123456789", source="staff")
    assert Contact.objects.get(guardian=mother).confirmed_at is None


def test_an_e_mail_entered_by_staff(world, mother):
    response = add(
        world, mother, "classteacher", kind="email", value="Sokolova@Mail.RU", source="staff"
    )
    assert "Контакт добавлен: Sokolova@mail.ru" in text(response)
    assert Contact.objects.get(guardian=mother).source == ContactSource.STAFF
    assert "внёс сотрудник" in text(response)


def test_an_invalid_phone_gets_a_russian_message_and_keeps_what_was_typed(world, mother):
    response = add(world, mother, follow=False, value="12-34", statement_number="31")
    assert response.status_code == 422
    page = text(response)
    assert "Номер «12-34» не похож на российский телефон." in page
    assert 'value="12-34"' in page and 'value="31"' in page
    assert '<details class="more" open>' in page
    assert not Contact.objects.filter(guardian=mother).exists()


def test_an_invalid_e_mail_gets_a_russian_message(world, mother):
    response = add(world, mother, follow=False, kind="email", value="ivanova@", source="staff")
    assert response.status_code == 422
    assert "Адрес «ivanova@» не похож на адрес электронной почты" in text(response)


def test_a_statement_contact_needs_the_statement_number(world, mother):
    response = add(world, mother, follow=False, value="+79123456789")
    assert response.status_code == 422
    assert "Укажите номер заявления, из которого взят контакт." in text(response)


def test_the_same_contact_twice_is_refused(world, mother):
    add(world, mother, value="+79123456789", source="staff")
    response = add(world, mother, follow=False, value="8 912 345 67 89", source="staff")
    assert response.status_code == 422
    assert "Такой контакт у родителя уже есть." in text(response)
    assert Contact.objects.filter(guardian=mother).count() == 1


def test_removing_a_contact_deactivates_it_and_is_audited(world, mother):
    contact = add_contact(
        guardian=mother,
        kind="phone",
        value="+79123456789",
        source=ContactSource.STAFF,
        actor=world.users["secretary"],
    )
    url = reverse("consent:staff_remove_contact", args=[mother.pk, contact.pk])
    response = signed_in(world, "director").post(url, follow=True)
    assert "Контакт удалён: +7 912 345-67-89" in text(response)
    contact.refresh_from_db()
    assert not contact.is_active
    audit = FamilyDataChange.objects.filter(guardian=mother).first()
    assert audit.what == "удалён контакт: телефон" and audit.actor == world.users["director"]
    again = signed_in(world, "director").post(url, follow=True)
    assert "Этот контакт уже удалён." in text(again)


def test_a_contact_of_another_family_cannot_be_removed_through_this_one(world, mother):
    father = world.users["other_parent"].guardian
    contact = add_contact(
        guardian=father,
        kind="phone",
        value="+79123456780",
        source=ContactSource.STAFF,
        actor=world.users["secretary"],
    )
    url = reverse("consent:staff_remove_contact", args=[mother.pk, contact.pk])
    assert signed_in(world, "secretary").post(url).status_code == 404
    contact.refresh_from_db()
    assert contact.is_active


# --- The offline mark -------------------------------------------------------------------


def test_marking_and_unmarking_a_family_offline(world, mother):
    url = reverse("consent:offline_toggle", args=[mother.pk])
    client = signed_in(world, "secretary")
    response = client.post(url, {"action": "mark", "note": "нет смартфона"}, follow=True)
    assert "Она попадёт в список бумажных выписок" in text(response)
    assert OfflineFamily.objects.get(guardian=mother).note == "нет смартфона"
    assert "«нет смартфона»" in text(response)
    again = client.post(url, {"action": "mark"}, follow=True)
    assert "Семья уже отмечена: ничего не изменено." in text(again)

    response = client.post(url, {"action": "unmark"}, follow=True)
    assert "Отметка «нет доступа к интернету» снята." in text(response)
    assert not OfflineFamily.objects.filter(guardian=mother).exists()
    whats = [c.what for c in FamilyDataChange.objects.filter(guardian=mother)]
    assert whats[:2] == [
        "отметка «нет доступа к интернету» снята",
        "семья отмечена как не имеющая доступа к интернету",
    ]


def test_an_empty_offline_post_changes_nothing(world, mother):
    url = reverse("consent:offline_toggle", args=[mother.pk])
    response = signed_in(world, "secretary").post(url, {})
    assert response.status_code == 422
    assert "Не понятно, поставить отметку или снять" in text(response)
    assert not OfflineFamily.objects.filter(guardian=mother).exists()


def test_the_text_version_of_the_paper_form_is_kept(world):
    """The form offers the published wording; a second identical statement changes
    nothing, and the class list shows the version in force."""
    from consent.models import ConsentText
    from consent.services import current_text

    text_version = current_text() or ConsentText.objects.create(
        version=1, title="Согласие", body="Текст согласия", published_at=timezone.now()
    )
    _, guardian = add_family(world, "Текстов", state=None)
    form = signed_in(world, "secretary").get(reverse("consent:register", args=[guardian.pk]))
    assert re.search(rf'<option value="{text_version.pk}" selected>', form.content.decode())
    first = register(world, guardian, text=text_version.pk, paper_number="90")
    assert "Согласие зарегистрировано" in text(first)
    assert ConsentRecord.objects.get(paper_number="90").text == text_version
    second = register(world, guardian, text=text_version.pk, paper_number="91")
    assert "Согласие уже действует, ничего не изменено" in text(second)
    assert not ConsentRecord.objects.filter(paper_number="91").exists()
    families = signed_in(world, "secretary").get(
        reverse("consent:class_families", args=[world.class_5a.pk])
    )
    assert "заявление № 90 от" in families.content.decode()
    assert f"текст, версия {text_version.version}" in families.content.decode()

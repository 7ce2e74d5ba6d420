"""The personal-data export (152-ФЗ art. 14): a guardian learns everything the system holds
about them and their children, as a page and as a JSON file; the staff who manage a family
export it on request, and that export is itself audited. Nothing of another family, and
never the password hash."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consent import services as consent
from consent.export import ExportSection, guardian_data
from consent.models import (
    ConsentForm,
    Contact,
    ContactSource,
    Decision,
    FamilyDataChange,
    FamilyDataKind,
    Scope,
)
from diary import services as diary
from notifications import outbox
from notifications.models import Channel, Kind
from notifications.subscriptions import set_subscription
from school.models import Guardian, Kinship, Relation, User
from tests.diary_world import DiaryWorld, build_diary_world
from tests.once import built_once, copy_of
from tests.world import PASSWORD

pytestmark = pytest.mark.django_db

MOTHER_PHONE, MOTHER_EMAIL = "+79781112233", "sokolova.elena@example.ru"
# Stored in E.164, written for people one way everywhere (school.phones).
MOTHER_PHONE_SHOWN = "+7 978 111-22-33"
FATHER_PHONE, OTHER_PHONE = "+79789998877", "+79785554433"
FATHER_STATEMENT = "ОТЕЦ-7"


def confirmed(guardian, kind: str, value: str, by) -> Contact:
    contact = consent.add_contact(
        guardian=guardian, kind=kind, value=value, source=ContactSource.STAFF, actor=by
    )
    code = consent.start_confirmation(contact=contact)
    return consent.confirm_contact(contact=contact, code=code, actor=by)


def message(w: DiaryWorld, guardian, student, key: str):
    return outbox.instant(
        school=w.school,
        guardian=guardian,
        student=student,
        kind=Kind.MESSAGE,
        channel=Channel.EMAIL,
        key=key,
        sources=[],
        recorded_at=timezone.now(),
    )


@pytest.fixture(scope="module")
def _export_world_once(django_db_setup, django_db_blocker):
    with built_once(django_db_blocker, build_export_world) as world:
        yield world


@pytest.fixture
def w(db, _export_world_once) -> DiaryWorld:
    """``build_export_world()``, built once for the module; each test's writes roll back."""
    return copy_of(_export_world_once)


def build_export_world() -> DiaryWorld:
    """The diary world (``parent``: mother of ``child_a`` in 5А and ``child_a2`` in 6Б), with
    data of every kind for the mother, and the same kinds of data for two other families
    around her: ``child_a``'s father, and ``other_parent`` with ``child_b``."""
    w = build_diary_world(journal=True)
    users, clerk = w.users, w.users["secretary"]
    mother = users["parent"].guardian
    today = w.school.local_today()

    confirmed(mother, Contact.Kind.PHONE, MOTHER_PHONE, clerk)
    confirmed(mother, Contact.Kind.EMAIL, MOTHER_EMAIL, clerk)
    consent.mark_offline(guardian=mother, actor=clerk, note="выписки на бумаге")
    consent.register_consent(
        guardian=mother,
        students=[w.child_a],
        decision=Decision.GIVEN,
        scopes=[Scope.SMS, Scope.EMAIL],
        form=ConsentForm.PAPER,
        actor=clerk,
        paper_number="МАТЬ-12",
        paper_date=today,
    )
    set_subscription(
        guardian=mother,
        student=w.child_a,
        kind=Kind.MARKS,
        channel=Channel.SMS,
        enabled=True,
        frequency="instant",
        actor=users["parent"],
    )
    message(w, mother, w.child_a, "export:mother")
    diary.report_absence(
        actor=users["parent"], student=w.child_a, start=today, end=today, kind="illness"
    )
    diary.log_staff_view(actor=users["classteacher"], student=w.child_a, page="marks")

    father = Guardian.objects.create(
        last_name="Соколов", first_name="Игорь", middle_name="Петрович", gender="m"
    )
    Kinship.objects.create(guardian=father, student=w.child_a, relation=Relation.FATHER)
    confirmed(father, Contact.Kind.PHONE, FATHER_PHONE, clerk)
    consent.register_consent(
        guardian=father,
        students=[w.child_a],
        decision=Decision.REFUSED,
        scopes=[Scope.PROCESSING],
        form=ConsentForm.PAPER,
        actor=clerk,
        paper_number=FATHER_STATEMENT,
        paper_date=today,
    )
    message(w, father, w.child_a, "export:father")

    other = users["other_parent"].guardian
    confirmed(other, Contact.Kind.PHONE, OTHER_PHONE, clerk)
    consent.mark_offline(guardian=other, actor=clerk, note="чужая отметка")
    message(w, other, w.child_b, "export:other")
    diary.report_absence(
        actor=users["other_parent"], student=w.child_b, start=today, end=today, kind="family"
    )
    diary.log_staff_view(actor=users["teacher"], student=w.child_b, page="week")
    for user in users.values():
        user.__dict__.pop("_viewer", None)
    return w


def login(w: DiaryWorld, role: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(pk=w.users[role].pk))  # as it is now in the database
    return client


def section(data: dict, key: str) -> list[dict]:
    [found] = [s for s in data["sections"] if s["key"] == key]
    return found["rows"]


FOREIGN = (
    FATHER_PHONE,
    OTHER_PHONE,
    "+7 978 999-88-77",  # the same numbers as the export writes them
    "+7 978 555-44-33",
    FATHER_STATEMENT,
    "Соколов Игорь",
    "Морозов",  # other_parent and child_b
    "чужая отметка",
    "Кузнецов",  # the teacher who opened child_b's diary
)


# --- What is in it ------------------------------------------------------------------------


def test_the_guardians_own_page_shows_what_is_held_about_her_and_her_children(w) -> None:
    response = login(w, "parent").get(reverse("consent:my_export"))
    assert response.status_code == 200
    page = response.content.decode()
    for expected in (
        "Соколова Елена Андреевна",
        "parent",  # the login
        "Соколов Максим Игоревич",
        "Соколова Анна Игоревна",
        "14.03.2015",  # child_a's birth date
        "5А",
        "6Б",
        "1 группа",  # child_a's English group
        MOTHER_PHONE_SHOWN,
        MOTHER_EMAIL,
        "МАТЬ-12",
        "согласие дано",
        "выписки на бумаге",
        "добавлен контакт: телефон",
        "Подписки на уведомления",
        "Отправленные и остановленные уведомления",
        "Сообщения о пропусках",
        "болезнь",
        "Кто из сотрудников школы открывал дневник ребёнка",
        "Белова Ольга Сергеевна",  # the class teacher who opened child_a's marks
        "Отметки и посещаемость: сводка",
        "в электронном дневнике ребёнка",  # the marks themselves are in the diary
    ):
        assert expected in page, expected
    for foreign in FOREIGN:
        assert foreign not in page, foreign


def test_the_export_never_holds_the_password_or_its_hash(w) -> None:
    client = login(w, "parent")
    hashed = w.users["parent"].password
    for response in (
        client.get(reverse("consent:my_export")),
        client.get(reverse("consent:my_export"), {"format": "json"}),
    ):
        body = response.content.decode()
        assert hashed not in body
        assert hashed.split("$")[-1] not in body
        assert not re.search(r"(md5|pbkdf2_sha256|argon2)\$", body)
        assert PASSWORD not in body


def test_the_json_file_is_valid_readable_utf8_with_iso_dates(w) -> None:
    response = login(w, "parent").get(reverse("consent:my_export"), {"format": "json"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="')
    text = response.content.decode("utf-8")
    assert "Соколова Елена Андреевна" in text  # Russian as it is, not \u escapes
    data = json.loads(text)
    dt.datetime.fromisoformat(data["generated_at"])
    children = section(data, "children")
    assert {c["Ребёнок"]: c["Дата рождения"] for c in children} == {
        "Соколова Анна Игоревна": "2014-05-02",
        "Соколов Максим Игоревич": "2015-03-14",
    }
    consents = section(data, "consents")
    assert {r["Номер заявления"] for r in consents} >= {"МАТЬ-12"}
    for record in consents:
        dt.datetime.fromisoformat(record["Зарегистрировано"])
        dt.date.fromisoformat(record["Дата заявления"])
    assert {c["Значение"] for c in section(data, "contacts")} == {MOTHER_PHONE_SHOWN, MOTHER_EMAIL}
    for foreign in FOREIGN:
        assert foreign not in text, foreign


def test_every_consent_record_and_audit_row_of_the_guardian_is_in_it(w) -> None:
    mother = w.users["parent"].guardian
    data = guardian_data(mother)
    records = section(data, "consents")
    assert len(records) == mother.consent_records.count() == 3
    latest = records[-1]
    assert latest["Решение"] == "согласие дано"
    assert latest["На что"] == [
        "обработка персональных данных для электронного дневника",
        "SMS-рассылка",
        "рассылка по электронной почте",
    ]
    assert latest["Дети"] == ["Соколов Максим Игоревич"]
    assert (latest["Форма"], latest["Зарегистрировал"]) == (
        "на бумаге, с подписью",
        "Лисицына Анна Викторовна",
    )
    changes = section(data, "changes")
    assert [c["Что"] for c in changes] == [
        c.what for c in FamilyDataChange.objects.filter(guardian=mother).order_by("at", "id")
    ]
    assert {c["Кто"] for c in changes} == {"Лисицына Анна Викторовна"}
    # The audit's old and new values are in words: labels, and children by name.
    latest_change = [c for c in changes if c["Что"].startswith("согласие дано")][-1]
    assert {k: v for k, v in latest_change["Стало"].items() if k != "запись"} == {
        "решение": "согласие дано",
        "на что": [
            "обработка персональных данных для электронного дневника",
            "SMS-рассылка",
            "рассылка по электронной почте",
        ],
        "форма": "на бумаге, с подписью",
        "дети": ["Соколов Максим Игоревич"],
    }
    in_force = {r["Ребёнок"]: r for r in section(data, "consent_state")}
    assert in_force["Соколов Максим Игоревич"]["SMS-рассылка"] == "согласие дано"
    assert in_force["Соколова Анна Игоревна"]["SMS-рассылка"] == "не заявлено"
    [offline] = section(data, "offline")
    assert offline["Примечание"] == "выписки на бумаге"


def test_the_sections_of_notifications_and_the_diary_are_in_it(w) -> None:
    data = guardian_data(w.users["parent"].guardian)
    subscriptions = section(data, "notifications.subscriptions")
    sms_marks = [
        r
        for r in subscriptions
        if (r["Ребёнок"], r["Что"], r["Канал"])
        == ("Соколов Максим Игоревич", "новые отметки", "SMS")
    ]
    assert [(r["Включено"], r["Выбрано"]) for r in sms_marks] == [
        (True, "родителем или по заявлению")
    ]
    assert len(section(data, "notifications.subscription_changes")) == 1
    # The class teacher's message of day0 (before consent to e-mail), then this test's.
    deliveries = section(data, "notifications.deliveries")
    assert [
        (d["Ребёнок"], d["Что"], d["Состояние"], d["Почему не отправлено"]) for d in deliveries
    ] == [
        (
            "Соколов Максим Игоревич",
            "сообщение учителя",
            "не отправлено",
            "нет согласия на этот канал",
        ),
        ("Соколов Максим Игоревич", "сообщение учителя", "в очереди", ""),
    ]
    [view] = section(data, "diary.staff_views")
    assert (view["Ребёнок"], view["Кто смотрел"], view["Раздел"]) == (
        "Соколов Максим Игоревич",
        "Белова Ольга Сергеевна",
        "отметки",
    )
    [report] = section(data, "diary.absence_reports")
    assert (report["Ребёнок"], report["Причина"]) == ("Соколов Максим Игоревич", "болезнь")
    summary = {(r["Ребёнок"], r["Предмет"]): r for r in section(data, "diary.journal_summary")}
    maths = summary[("Соколов Максим Игоревич", "Математика")]
    assert (maths["Учебный год"], maths["Отметок"]) == (w.year.name, 1)
    russian = summary[("Соколов Максим Игоревич", "Русский язык")]
    assert russian["Пропусков уроков"] == 1  # ill («б») on day0


def test_another_guardian_of_the_same_child_keeps_his_own_data(w) -> None:
    """The father shares ``child_a`` with the mother: his export has his refusal and his
    phone, and nothing of hers; the child's own records (staff views) are in both."""
    father = Guardian.objects.get(last_name="Соколов", first_name="Игорь")
    text = json.dumps(guardian_data(father), ensure_ascii=False, default=str)
    assert "+7 978 999-88-77" in text and FATHER_STATEMENT in text
    for hers in (MOTHER_PHONE_SHOWN, MOTHER_EMAIL, "МАТЬ-12", "выписки на бумаге", "Соколова Анна"):
        assert hers not in text, hers
    assert "Белова Ольга Сергеевна" in text


def test_a_guardian_without_consent_still_learns_what_is_held(w) -> None:
    """The right to know does not depend on the consent: after a withdrawal the page
    opens, and shows the withdrawal."""
    mother = w.users["parent"].guardian
    consent.register_consent(
        guardian=mother,
        students=[w.child_a, w.child_a2],
        decision=Decision.WITHDRAWN,
        scopes=[Scope.PROCESSING],
        form=ConsentForm.PAPER,
        actor=w.users["secretary"],
        paper_date=w.school.local_today(),
    )
    response = login(w, "parent").get(reverse("consent:my_export"))
    assert response.status_code == 200
    assert "согласие отозвано" in response.content.decode()


# --- The staff's export -------------------------------------------------------------------


def test_a_staff_export_is_written_in_the_familys_audit(w) -> None:
    mother = w.users["parent"].guardian
    client = login(w, "secretary")
    url = reverse("consent:family_export", args=[mother.pk])
    assert client.get(url).status_code == 200
    assert client.get(url, {"format": "json"}).status_code == 200
    exports = FamilyDataChange.objects.filter(guardian=mother, kind=FamilyDataKind.EXPORT).order_by(
        "id"
    )
    assert [(e.actor.username, e.new["format"]) for e in exports] == [
        ("secretary", "html"),
        ("secretary", "json"),
    ]
    assert sorted(exports[0].new["students"]) == sorted([w.child_a.pk, w.child_a2.pk])
    # The next export shows the earlier ones to whoever reads it.
    data = json.loads(client.get(url, {"format": "json"}).content)
    assert [c["Что"] for c in section(data, "changes")].count(
        "выгрузка данных семьи по запросу"
    ) == 3


def test_the_class_teacher_exports_only_the_children_of_her_class(w) -> None:
    """The mother's second child is in 6Б: the 5А class teacher sees nothing of her."""
    mother = w.users["parent"].guardian
    response = login(w, "classteacher").get(
        reverse("consent:family_export", args=[mother.pk]), {"format": "json"}
    )
    assert response.status_code == 200
    text = response.content.decode()
    data = json.loads(text)
    assert [c["Ребёнок"] for c in section(data, "children")] == ["Соколов Максим Игоревич"]
    assert "Соколова Анна" not in text
    assert {r["Ребёнок"] for r in section(data, "notifications.subscriptions")} == {
        "Соколов Максим Игоревич"
    }
    assert {r["Ребёнок"] for r in section(data, "enrolments")} == {"Соколов Максим Игоревич"}
    # The audit rows about the other child's consent are left out too.
    about_consent = [c for c in section(data, "changes") if "дети" in (c["Стало"] or {})]
    assert about_consent and all(
        c["Стало"]["дети"] == ["Соколов Максим Игоревич"] for c in about_consent
    )
    [export] = FamilyDataChange.objects.filter(guardian=mother, kind=FamilyDataKind.EXPORT)
    assert export.new["students"] == [w.child_a.pk]


@pytest.mark.parametrize(
    ("role", "own", "family"),
    [
        ("parent", 200, 404),
        ("other_parent", 200, 404),
        ("student", 403, 404),
        ("teacher", 403, 404),
        ("secretary", 403, 200),
        ("classteacher", 403, 200),
        ("other_director", 403, 404),
    ],
)
def test_who_may_open_the_export(w, role, own, family) -> None:
    client = login(w, role)
    mother = w.users["parent"].guardian
    assert client.get(reverse("consent:my_export")).status_code == own
    url = reverse("consent:family_export", args=[mother.pk])
    assert client.get(url).status_code == family
    assert client.get(url, {"format": "json"}).status_code == family
    if family == 404:
        assert not FamilyDataChange.objects.filter(kind=FamilyDataKind.EXPORT).exists()


def test_the_anonymous_are_sent_to_log_in(w) -> None:
    response = Client().get(reverse("consent:my_export"), {"format": "json"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --- Cost -------------------------------------------------------------------------------


def grow_history(w: DiaryWorld, times: int) -> None:
    """More of every kind of row: consents, contacts, audit, deliveries, staff views."""
    mother, clerk = w.users["parent"].guardian, w.users["secretary"]
    today = w.school.local_today()
    for i in range(times):
        for decision in (Decision.REFUSED, Decision.GIVEN):
            consent.register_consent(
                guardian=mother,
                students=[w.child_a, w.child_a2],
                decision=decision,
                scopes=[Scope.SMS],
                form=ConsentForm.PAPER,
                actor=clerk,
                paper_date=today,
            )
        consent.add_contact(
            guardian=mother,
            kind=Contact.Kind.EMAIL,
            value=f"old{i}@example.ru",
            source=ContactSource.STAFF,
            actor=clerk,
        )
        message(w, mother, w.child_a2, f"export:grow:{i}")
        diary.log_staff_view(actor=w.users["director"], student=w.child_a2, page="week")


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("fmt", ["", "?format=json"])
def test_the_number_of_queries_does_not_grow_with_the_history(
    w, fmt, django_assert_max_num_queries
) -> None:
    client = login(w, "parent")
    url = reverse("consent:my_export") + fmt
    client.get(url)  # warm up what is cached per process (content types, translations)
    small = queries(client, url)
    grow_history(w, 15)
    with django_assert_max_num_queries(small):
        assert client.get(url).status_code == 200
    assert small <= 30


# --- The sections other apps add (settings CONSENT_EXPORT_SECTIONS) -----------------------

CHECK_SECTION = ExportSection(
    key="tests.check",
    title="Проверка",
    rows=lambda guardian, students: [{"Ребёнок": s.full_name} for s in students],
)


def test_the_export_has_the_sections_the_setting_names_in_its_order(w, settings) -> None:
    data = guardian_data(w.users["parent"].guardian)
    keys = [s["key"] for s in data["sections"]]
    assert "notifications.subscriptions" in keys and "diary.visits" in keys
    assert keys.index("notifications.deliveries") < keys.index("diary.journal_summary")

    settings.CONSENT_EXPORT_SECTIONS = [f"{__name__}.CHECK_SECTION"]
    data = guardian_data(w.users["parent"].guardian)
    keys = [s["key"] for s in data["sections"]]
    assert keys[-1] == "tests.check" and "diary.visits" not in keys
    assert len(section(data, "tests.check")) == 2

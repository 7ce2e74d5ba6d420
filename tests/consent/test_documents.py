"""The consent's wording and its paper forms: every item 152-ФЗ art. 9 part 4 asks for is in
the text and in the printed PDF (read back with pypdf), filled for the family; the forms
open for the staff who manage the family and for the guardian, and for nobody else."""

from __future__ import annotations

import importlib
import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from consent.documents import StaticOnlyFetcher, consent_form_pdf, withdrawal_form_pdf
from consent.models import ConsentText
from consent.services import current_text
from consent.texts import (
    DEFAULT_BODY,
    DEFAULT_TITLE,
    PROCESSOR_NONE,
    configured_body,
    missing_operator_details,
    rendered_text,
)
from school.models import Enrolment, Kinship, Relation, Student
from tests.world import World, build_world

pytestmark = pytest.mark.django_db

OPERATOR = {
    "address": "298433, Республика Крым, Бахчисарайский район, с. Плодовое, ул. Победы, д. 7",
    "ogrn": "1159102012345",
    "inn": "9104004567",
}
# What art. 9 part 4 asks for, as the text words it (besides the names and the operator).
ART_9_ITEMS = [
    "документ, удостоверяющий личность",
    "адрес места жительства",
    "документ, подтверждающий мои полномочия законного представителя",
    "Цель обработки: ведение электронного журнала успеваемости и электронного дневника",
    "распоряжению Правительства Российской Федерации от 17.12.2009 № 1993-р",
    "Перечень персональных данных, на обработку которых даётся согласие",
    "отметки текущего контроля успеваемости",
    "Лицо, осуществляющее обработку персональных данных по поручению Оператора",
    "Перечень действий с персональными данными",
    "Общее описание способов обработки",
    "Срок действия согласия",
    "до окончания обучения",
    "Порядок отзыва согласия",
    "письменным заявлением",
    "в личном кабинете электронного дневника",
    "по электронной почте",
    "SMS-сообщениями",
]


def squash(text: str) -> str:
    """Text without whitespace and hyphens: the PDF breaks and hyphenates lines anywhere
    (Pango hyphenates with U+2010; where a line breaks moves with the date printed in it)."""
    return re.sub(r"[\s\-\u00ad\u2010\u2011]", "", text)


def assert_contains(text: str, *phrases: str) -> None:
    flat = squash(text)
    missing = [p for p in phrases if squash(p) not in flat]
    assert not missing, f"not in the text: {missing}"


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def publish_version_1() -> None:
    """The data migration's step (it skips when version 1 exists): tests that truncate
    tables remove the row the migration made."""
    from django.apps import apps

    importlib.import_module("consent.migrations.0002_default_consent_text").create_version_1(
        apps, None
    )


@pytest.fixture
def world() -> World:
    publish_version_1()
    world = build_world()
    for school in (world.school, world.other_school):
        for field, value in OPERATOR.items():
            setattr(school, field, value)
        school.save()
    return world


def mother(world: World):
    return world.users["parent"].guardian


def signed_in(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


# --- The wording --------------------------------------------------------------------------


def test_the_migration_publishes_version_1_of_the_default_text():
    """The data migration's step on an empty table, twice: it creates version 1 once,
    published, and skips after."""
    ConsentText.objects.all().delete()
    publish_version_1()
    publish_version_1()
    text = ConsentText.objects.get()
    assert (text.version, text.title) == (1, DEFAULT_TITLE)
    assert PROCESSOR_NONE in text.body
    assert text.published_at is not None and text.published_at <= timezone.now()
    assert current_text() == text


def test_the_text_is_filled_for_the_family_with_every_item_of_article_9(world):
    text = current_text()
    shown = rendered_text(text, mother(world), [world.child_a])
    assert "{" not in shown and "}" not in shown
    assert_contains(
        shown,
        "Я, Соколова Елена Андреевна,",
        "Соколов Максим Игоревич, 14.03.2015 г. р.",
        "МБОУ «Тестовая СОШ»",
        f"адрес: {OPERATOR['address']}",
        f"ОГРН {OPERATOR['ogrn']}",
        f"ИНН {OPERATOR['inn']}",
        "хранящейся в личном деле обучающегося",
        "обработка персональных данных другим лицам не поручается",
        *ART_9_ITEMS,
    )


def test_the_paper_text_leaves_blanks_and_boxes_and_the_screen_text_does_not(world):
    text = current_text()
    paper = rendered_text(text, mother(world), [world.child_a], paper=True)
    screen = rendered_text(text, mother(world), [world.child_a])
    assert "{" not in paper
    assert paper.count("☐") == 3 and "☐" not in screen
    assert "серия" in paper and "____" in paper and "____" not in screen
    assert "обучающийся 5А класса" in paper


def test_children_are_listed_with_their_birth_dates(world):
    Kinship.objects.create(guardian=mother(world), student=world.child_b, relation=Relation.MOTHER)
    shown = rendered_text(current_text(), mother(world), [world.child_a, world.child_b])
    assert (
        "Соколов Максим Игоревич, 14.03.2015 г. р.; Морозова Алиса Денисовна, 14.03.2015 г. р."
        in shown
    )


def test_a_missing_operator_detail_is_said_on_screen_and_left_blank_on_paper(world):
    world.school.ogrn = ""
    world.school.save()
    shown = rendered_text(current_text(), mother(world), [world.child_a])
    paper = rendered_text(current_text(), mother(world), [world.child_a], paper=True)
    assert "ОГРН не указан" in shown
    assert "ОГРН ____" in paper
    assert missing_operator_details(world.school) == ["ОГРН"]


def test_a_processor_from_the_settings_is_written_into_a_new_version(settings):
    settings.CONSENT_PROCESSOR = "ГКУ «Региональный центр обработки информации», г. Симферополь"
    body = configured_body()
    assert (
        "по поручению Оператора: ГКУ «Региональный центр обработки информации», г. Симферополь."
        in body
    )
    assert PROCESSOR_NONE not in body
    assert PROCESSOR_NONE in DEFAULT_BODY


# --- The PDFs -----------------------------------------------------------------------------


def test_the_consent_form_reads_back_with_names_operator_and_every_item(world):
    text = pdf_text(consent_form_pdf(mother(world), [world.child_a]))
    assert_contains(
        text,
        "Директору",
        "Соколова Елена Андреевна",
        "Соколов Максим Игоревич, 14.03.2015 г. р., обучающийся 5А класса",
        "Согласие на обработку персональных данных",
        "МБОУ «Тестовая СОШ»",
        OPERATOR["address"],
        f"ОГРН {OPERATOR['ogrn']}",
        f"ИНН {OPERATOR['inn']}",
        *ART_9_ITEMS,
        "адрес электронной почты:",
        "номер мобильного телефона:",
        "(подпись)",
        "(расшифровка подписи)",
        "Соколова Е. А.",
        "Текст согласия, версия 1",
    )


def test_the_consent_form_prints_the_published_version(world):
    ConsentText.objects.create(
        version=2,
        title="Согласие (новая редакция)",
        body="Я, {guardian}, даю согласие {operator}.",
        published_at=timezone.now(),
    )
    text = pdf_text(consent_form_pdf(mother(world), [world.child_a]))
    assert_contains(
        text,
        "Согласие (новая редакция)",
        "Я, Соколова Елена Андреевна, даю согласие МБОУ «Тестовая СОШ».",
        "Текст согласия, версия 2",
    )


def test_the_withdrawal_form_says_which_consent_and_what_follows(world):
    text = pdf_text(withdrawal_form_pdf(mother(world), [world.child_a]))
    given_on = timezone.localdate().strftime("%d.%m.%Y")
    assert_contains(
        text,
        "Директору",
        "ЗАЯВЛЕНИЕ",
        "об отзыве согласия на обработку персональных данных",
        "Соколова Елена Андреевна",
        "Соколов Максим Игоревич, 14.03.2015 г. р.",
        f"ОГРН {OPERATOR['ogrn']}",
        f"ИНН {OPERATOR['inn']}",
        f"данное мной {given_on} (на бумаге, с подписью)",
        "отзываю согласие",
        "полностью",
        "только в части способов получения информации",
        "часть 5 статьи 21",
        "в срок, не превышающий 30 дней",
        "электронный журнал успеваемости (отметки, посещаемость) Оператор продолжает вести",
        "пункт 11 части 3 статьи 28",
        "(подпись)",
    )


def test_a_family_in_two_schools_gets_one_form_per_operator(world):
    Kinship.objects.create(guardian=mother(world), student=world.child_c, relation=Relation.MOTHER)
    text = pdf_text(withdrawal_form_pdf(mother(world), [world.child_a, world.child_c]))
    forms = text.split("Директору")[1:]
    assert len(forms) == 2
    assert_contains(forms[0], "МБОУ «Тестовая СОШ»", "Соколов Максим Игоревич")
    assert_contains(forms[1], "МБОУ «Соседняя СОШ»", "Гусева Вера Павловна")
    assert "Соколов Максим" not in forms[1] and "Гусева" not in forms[0]


def test_the_pdf_loads_only_the_projects_static_files():
    fetcher = StaticOnlyFetcher()
    assert b"@page" in fetcher.fetch("static:css/consent_print.css").read()
    for url in (
        "http://127.0.0.1:9/evil.css",
        "file:///etc/passwd",
        "static:../config/settings/base.py",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


# --- The pages ----------------------------------------------------------------------------


def test_the_secretary_prints_a_familys_consent_form(world):
    url = reverse("consent:consent_form", args=[mother(world).pk])
    response = signed_in(world, "secretary").get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'inline; filename="soglasie-pd-{mother(world).pk}.pdf"'
    )
    assert_contains(pdf_text(response.content), "Соколова Елена Андреевна", "Соколов Максим")


def test_the_class_teacher_prints_only_the_children_of_her_class(world):
    second = Student.objects.create(
        school=world.school,
        last_name="Соколова",
        first_name="Дарья",
        middle_name="Игоревна",
        gender="f",
        birth_date=world.child_a.birth_date.replace(year=2014),
    )
    Enrolment.objects.create(student=second, school_class=world.class_6b, start=world.year.start)
    Kinship.objects.create(guardian=mother(world), student=second, relation=Relation.MOTHER)
    url = reverse("consent:withdrawal_form", args=[mother(world).pk])

    by_teacher = pdf_text(signed_in(world, "classteacher").get(url).content)
    by_secretary = pdf_text(signed_in(world, "secretary").get(url).content)

    assert_contains(by_teacher, "Соколов Максим Игоревич")
    assert "Дарья" not in by_teacher
    assert_contains(by_secretary, "Соколов Максим Игоревич", "Соколова Дарья Игоревна")


def test_the_guardian_prints_her_own_forms(world):
    client = signed_in(world, "parent")
    for name in ("consent:my_consent_form", "consent:my_withdrawal_form"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith('inline; filename="')
        assert_contains(pdf_text(response.content), "Соколова Елена Андреевна", "Соколов Максим")


def test_strangers_do_not_learn_the_family_exists(world):
    url = reverse("consent:consent_form", args=[mother(world).pk])
    for role in ("teacher", "other_director", "other_parent", "parent"):
        assert signed_in(world, role).get(url).status_code == 404, role
    assert (
        signed_in(world, "secretary")
        .get(reverse("consent:consent_form", args=[999_999]))
        .status_code
        == 404
    )


def test_only_guardians_have_their_own_forms(world):
    for role in ("secretary", "student"):
        response = signed_in(world, role).get(reverse("consent:my_consent_form"))
        assert response.status_code == 403, role

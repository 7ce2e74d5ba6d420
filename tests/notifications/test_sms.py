"""SMS length and price, and the SMS.ru HTTP backend against the local fake gateway."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import override_settings

from notifications.fake_gateway import FakeSmsGateway
from notifications.sms import SmsError, count_parts, get_backend
from notifications.sms.smsru import SmsRuBackend

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("length", "parts"),
    [(0, 0), (1, 1), (70, 1), (71, 2), (134, 2), (135, 3), (201, 3), (202, 4)],
)
def test_cyrillic_takes_70_characters_in_one_part_and_67_per_part_when_split(length, parts):
    """Cyrillic forces UCS-2: 70 characters fit one SMS; a longer text goes in parts of 67."""
    assert count_parts("ж" * length) == parts


@pytest.mark.parametrize(
    ("length", "parts"), [(160, 1), (161, 2), (306, 2), (307, 3), (459, 3), (460, 4)]
)
def test_latin_takes_160_characters_in_one_part_and_153_per_part_when_split(length, parts):
    """Texts in the GSM alphabet go 160 characters a part, 153 when split."""
    assert count_parts("a" * length) == parts


def test_one_cyrillic_letter_makes_the_whole_text_ucs2():
    """A single «ё» among Latin letters halves the room: 71 characters are two parts."""
    assert count_parts("a" * 70) == 1
    assert count_parts("a" * 70 + "ё") == 2


def test_gsm_extension_characters_count_twice():
    """«€», «[», «]» take two septets each: 80 euro signs are 160 septets, one part."""
    assert count_parts("€" * 80) == 1
    assert count_parts("€" * 81) == 2


def test_the_marks_sms_of_the_issue_fits_one_part():
    """«Иванов Пётр: алгебра 5, русский язык 4» is one SMS."""
    assert count_parts("Иванов Пётр: алгебра 5, русский язык 4") == 1


@pytest.fixture
def gateway():
    gateway = FakeSmsGateway(api_key="secret").start()
    yield gateway
    gateway.stop()


def smsru(gateway: FakeSmsGateway, **extra):
    values = {
        "SMS_BACKEND": "notifications.sms.smsru.SmsRuBackend",
        "SMS_API_URL": gateway.url,
        "SMS_API_KEY": "secret",
        "SMS_PART_PRICE": "2.50",
    }
    return override_settings(**{**values, **extra})


def test_the_smsru_backend_sends_over_http_and_counts_parts_and_cost(gateway):
    """A 100-character Cyrillic text reaches the gateway as two parts costing 2 × 2,50 ₽."""
    text = "Проверка " * 11 + "ок"
    with smsru(gateway, SMS_SENDER="SCHOOL7"):
        result = get_backend().send(to="+79123456789", text=text)
    assert (result.parts, result.cost) == (2, Decimal("5.00"))
    [sms] = gateway.messages
    assert (sms.to, sms.text, sms.sender, sms.parts) == ("79123456789", text, "SCHOOL7", 2)
    assert result.message_id == sms.sms_id


def test_a_gateway_error_500_is_temporary(gateway):
    """HTTP 500 from the gateway is worth retrying: not permanent."""
    gateway.fail_next(1)
    with smsru(gateway), pytest.raises(SmsError) as error:
        SmsRuBackend().send(to="+79123456789", text="Тест")
    assert error.value.permanent is False
    assert "HTTP 500" in str(error.value)


def test_a_bad_number_is_a_permanent_error_with_the_gateways_words(gateway):
    """Status 202 (bad recipient) will not get better by retrying."""
    with smsru(gateway), pytest.raises(SmsError) as error:
        SmsRuBackend().send(to="+1555", text="Тест")
    assert (error.value.code, error.value.permanent) == (202, True)
    assert "202" in str(error.value)
    assert gateway.messages == []


def test_a_wrong_api_key_is_a_permanent_error(gateway):
    """Status 200 (wrong api_id) stops retries: an operator must fix the settings."""
    with smsru(gateway, SMS_API_KEY="wrong"), pytest.raises(SmsError) as error:
        SmsRuBackend().send(to="+79123456789", text="Тест")
    assert (error.value.code, error.value.permanent) == (200, True)


def test_an_unreachable_gateway_is_a_temporary_error():
    """A closed port (the gateway is down) is retried later."""
    with (
        override_settings(SMS_API_URL="http://127.0.0.1:9", SMS_API_KEY="k"),
        pytest.raises(SmsError) as error,
    ):
        SmsRuBackend().send(to="+79123456789", text="Тест")
    assert error.value.permanent is False

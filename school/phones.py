"""How a phone number is written for people, everywhere: «+7 922 299-93-18».

Numbers are stored in E.164 (``+79222999318``, ``PHONENUMBER_DB_FORMAT``); pages, messages,
exports, the admin and the change logs show them through ``format_phone`` (in templates the
``phone`` filter of ``school_tags``), so that one family's number reads the same on the
family card, in its change log and in the list of notifications sent."""

from __future__ import annotations

import re
from typing import Any

import phonenumbers

E164 = re.compile(r"^\+[1-9]\d{7,14}$")


def format_phone(value: Any) -> str:
    """«+7 922 299-93-18» for a number in E.164 (a string or a ``PhoneNumber``); anything
    else (an e-mail address, an empty value, text) comes back as it was, as a string."""
    if value is None:
        return ""
    if isinstance(value, phonenumbers.PhoneNumber):
        number = value
    else:
        text = str(value)
        if not E164.match(text):
            return text
        try:
            number = phonenumbers.parse(text, None)
        except phonenumbers.NumberParseException:
            return text
    if not phonenumbers.is_possible_number(number):
        return str(value)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)

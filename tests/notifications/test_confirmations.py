"""Contact codes: consent announces a code (``contact_code_requested``) and the
notifications app sends it through the SMS gateway or the mailer once it is committed."""

from __future__ import annotations

import pytest

from consent import services as consent
from consent.models import Contact, ContactSource
from consent.signals import contact_code_requested
from notifications.sms import locmem
from tests.notifications.support import build_family

pytestmark = pytest.mark.django_db


def test_a_requested_code_reaches_the_gateway_after_commit(django_capture_on_commit_callbacks):
    """The signal carries the code; the SMS leaves only when the transaction commits."""
    fam = build_family(phone=False, email=False)
    contact = consent.add_contact(
        guardian=fam.guardian,
        kind=Contact.Kind.PHONE,
        value="+7 912 000-11-22",
        source=ContactSource.CABINET,
        actor=fam.user,
    )
    heard = []

    def listen(sender, *, contact, code, **kwargs):
        heard.append((contact.pk, code))

    contact_code_requested.connect(listen, dispatch_uid="test.listen")
    locmem.outbox.clear()
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            code = consent.start_confirmation(contact=contact)
        assert locmem.outbox == []
        for callback in callbacks:
            callback()
    finally:
        contact_code_requested.disconnect(dispatch_uid="test.listen")
    assert heard == [(contact.pk, code)]
    [sms] = locmem.outbox
    assert sms.to == "+79120001122" and code in sms.text

"""Rows of the authorization matrix for the guardian's own consent pages
(``consent/views/family.py``).

Every guardian has these pages for themselves (no one else's id is in the URL); anyone who
is not a guardian gets 403. A contact of another family answers 404. In the matrix world
both parents have consent in force, so nothing waits on the consent screen (it sends them
on to the settings), and empty forms change nothing: the page comes back with a message."""

from __future__ import annotations

from tests.authz_support import GUARDIANS, Case, expect
from tests.world import World


def mothers_contact(value: str):
    def kwargs(w: World) -> dict:
        from consent.models import Contact, ContactSource

        contact, _ = Contact.objects.get_or_create(
            guardian=w.users["parent"].guardian,
            kind=Contact.Kind.PHONE,
            phone=value,
            is_active=True,
            defaults={"source": ContactSource.CABINET, "created_by": w.users["parent"]},
        )
        return {"contact_id": contact.pk}

    return kwargs


CASES: list[Case] = [
    Case(
        "consent:prompt",
        lambda w: {},
        expect(403, anonymous=302, **dict.fromkeys(GUARDIANS, 302)),
        note="nothing waits for a decision: on to the settings",
    ),
    Case(
        "consent:prompt",
        lambda w: {},
        expect(403, anonymous=302, **dict.fromkeys(GUARDIANS, 302)),
        method="post",
    ),
    Case("consent:settings", lambda w: {}, expect(403, anonymous=302, **GUARDIANS)),
    Case(
        "consent:give",
        lambda w: {},
        expect(403, anonymous=302, **dict.fromkeys(GUARDIANS, 302)),
        method="post",
        note="an empty form: back to the settings with a message",
    ),
    Case(
        "consent:withdraw",
        lambda w: {},
        expect(403, anonymous=302, **dict.fromkeys(GUARDIANS, 302)),
        method="post",
        note="an empty form withdraws nothing",
    ),
    Case(
        "consent:add_contact",
        lambda w: {},
        expect(403, anonymous=302, **GUARDIANS),
        method="post",
        note="an empty form: the settings again, with the message",
    ),
    Case(
        "consent:send_code",
        mothers_contact("+79120000001"),
        expect(403, anonymous=302, parent=302, other_parent=404),
        method="post",
    ),
    Case(
        "consent:confirm_contact",
        mothers_contact("+79120000001"),
        expect(403, anonymous=302, parent=200, other_parent=404),
    ),
    Case(
        "consent:remove_contact",
        mothers_contact("+79120000002"),
        expect(403, anonymous=302, parent=302, other_parent=404),
        method="post",
    ),
]

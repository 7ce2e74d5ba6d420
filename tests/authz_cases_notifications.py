"""Rows of the authorization matrix for the notifications pages (``notifications/urls.py``).

Walked by ``tests/authz/test_notifications.py`` (``tests/test_authorization_matrix.py``
checks that the parts together cover every URL).

Who may open what:
- the parent's own pages (subscriptions, delivery history): any guardian; everyone else
  403 (the page is no secret, there is just nothing of theirs on it);
- a family's deliveries, subscriptions from a statement, and the resend of a failed
  delivery: the secretary and the leadership of the child's school and the child's class
  teacher (``school.access.can_manage_family_data``); 404 for everyone else, so that a
  stranger cannot learn the family exists;
- the unsubscribe link: anyone holding the signed token, no login.
"""

from __future__ import annotations

from django.utils import timezone

from tests.authz_support import FAMILY_A, FAMILY_B, Case, expect, father_b, mother
from tests.world import World


def failed_delivery(w: World) -> dict:
    """A failed SMS to ``child_a``'s mother, for the resend button."""
    from notifications.models import Channel, Kind, Notification, Status

    notification, _ = Notification.objects.get_or_create(
        idempotency_key="authz:failed",
        defaults={
            "school": w.school,
            "guardian": w.users["parent"].guardian,
            "student": w.child_a,
            "channel": Channel.SMS,
            "kind": Kind.MARKS,
            "status": Status.FAILED,
            "due_at": timezone.now(),
            "attempts": 6,
            "error": "500: шлюз недоступен",
        },
    )
    return {"notification_id": notification.pk}


def unsubscribe_token(w: World) -> dict:
    from notifications.tokens import unsubscribe_token as token

    return {"token": token(mother(w), None, "digest")}


CASES: list[Case] = [
    Case(
        "notifications:my_subscriptions",
        lambda w: {},
        expect(403, anonymous=302, parent=200, other_parent=200),
        note="a parent's own choices; staff and students have none",
    ),
    Case(
        "notifications:my_subscriptions",
        lambda w: {},
        expect(403, anonymous=302, parent=422, other_parent=422),
        method="post",
        note="an empty form is refused (how often the digest comes is required)",
    ),
    Case(
        "notifications:my_deliveries",
        lambda w: {},
        expect(403, anonymous=302, parent=200, other_parent=200),
    ),
    Case(
        "notifications:family_deliveries",
        lambda w: {"guardian_id": mother(w)},
        expect(404, anonymous=302, **FAMILY_A),
        note="the class teacher of the child manages the family's data; a teacher does not",
    ),
    Case(
        "notifications:family_deliveries",
        lambda w: {"guardian_id": father_b(w)},
        expect(404, anonymous=302, **FAMILY_B),
        note="6Б has no class teacher: the 5А class teacher does not see this family",
    ),
    Case(
        "notifications:family_subscriptions",
        lambda w: {"guardian_id": mother(w)},
        expect(404, anonymous=302, **FAMILY_A),
    ),
    Case(
        "notifications:family_subscriptions",
        lambda w: {"guardian_id": mother(w)},
        expect(404, anonymous=302, **dict.fromkeys(FAMILY_A, 422)),
        method="post",
        note="an empty form is refused: the statement's number is required",
    ),
    Case(
        "notifications:family_subscriptions",
        lambda w: {"guardian_id": father_b(w)},
        expect(404, anonymous=302, **FAMILY_B),
    ),
    Case(
        "notifications:resend",
        failed_delivery,
        expect(404, anonymous=302, **dict.fromkeys(FAMILY_A, 302)),
        method="post",
        note="back to the family's deliveries; later roles find it already queued",
    ),
    Case(
        "notifications:resend",
        failed_delivery,
        expect(405, anonymous=302),
        note="resending is POST only",
    ),
    Case(
        "notifications:unsubscribe",
        unsubscribe_token,
        expect(200),
        note="the signed link from a letter works without a login",
    ),
    Case(
        "notifications:unsubscribe",
        unsubscribe_token,
        expect(200),
        method="post",
        note="the button, or a mail client's one-click request (RFC 8058)",
    ),
]

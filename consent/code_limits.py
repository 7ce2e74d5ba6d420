"""How many confirmation codes may be sent, and guessed, before the school stops: a
guardian must not be able to make the school send unlimited SMS to any number, nor earn
fresh guesses by asking for a new code.

Codes are limited per contact, per guardian and per number (the same phone or address
under any family), each per hour and per day (``CONSENT_CODE_LIMITS``: {"contact": (per
hour, per day), ...}). Wrong guesses are capped per contact over the codes sent in the
last day (``CONSENT_CODE_GUESSES``), whatever the number of codes. The callers
(``consent.services``) hold the locks; this module only counts."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Q, Sum

from .models import Contact, ContactConfirmation

DEFAULT_LIMITS = {"contact": (3, 5), "guardian": (5, 10), "number": (3, 5)}
DEFAULT_GUESSES = 10
HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)


def limits() -> dict[str, tuple[int, int]]:
    return {**DEFAULT_LIMITS, **getattr(settings, "CONSENT_CODE_LIMITS", {})}


def guesses_cap() -> int:
    return getattr(settings, "CONSENT_CODE_GUESSES", DEFAULT_GUESSES)


def same_number(contact: Contact) -> Q:
    """Every contact, of any family, with this phone or address."""
    if contact.kind == Contact.Kind.PHONE:
        return Q(contact__kind=Contact.Kind.PHONE, contact__phone=contact.phone)
    return Q(contact__kind=Contact.Kind.EMAIL, contact__email__iexact=contact.email)


def _free_at(sent: list[dt.datetime], cap: int, window: dt.timedelta, now: dt.datetime):
    """When fewer than ``cap`` of the ``sent`` moments (ascending) fall in the window
    ending then; ``None`` if already now."""
    recent = [moment for moment in sent if moment > now - window]
    if len(recent) < cap:
        return None
    return recent[len(recent) - cap] + window


def next_code_at(contact: Contact, now: dt.datetime) -> dt.datetime | None:
    """When another code may be sent to ``contact``; ``None``: now."""
    groups = {
        "contact": Q(contact_id=contact.pk),
        "guardian": Q(contact__guardian_id=contact.guardian_id),
        "number": same_number(contact),
    }
    waits = []
    for name, (per_hour, per_day) in limits().items():
        sent = list(
            ContactConfirmation.objects.filter(groups[name], sent_at__gt=now - DAY)
            .order_by("sent_at")
            .values_list("sent_at", flat=True)
        )
        waits += [_free_at(sent, per_hour, HOUR, now), _free_at(sent, per_day, DAY, now)]
    waits = [moment for moment in waits if moment is not None]
    return max(waits) if waits else None


def guesses_free_at(contact: Contact, now: dt.datetime) -> dt.datetime | None:
    """When the contact may be guessed again; ``None``: now. Guesses on the codes sent in
    the last day count together, so a new code brings no fresh guesses."""
    recent = ContactConfirmation.objects.filter(contact_id=contact.pk, sent_at__gt=now - DAY)
    used = recent.aggregate(total=Sum("attempts"))["total"] or 0
    if used < guesses_cap():
        return None
    oldest = recent.order_by("sent_at").values_list("sent_at", flat=True).first()
    return oldest + DAY

"""Rows of the authorization matrix for the consent app's staff pages
(``consent/views/staff.py``), walked by ``tests/authz/test_consent_staff.py``.

Who may open what:
- a class's families: the school's secretary and leadership, the class teacher of that
  class (``consent.access.can_manage_class_families``); 404 for everyone else, the class's
  other teachers included;
- a family's card, the paper statement form, contacts, the offline mark, a statement's
  scan: the secretary and the leadership of a child's school, the child's class teacher
  (``consent.access.guardian_for_staff_or_404``); 404 for everyone else, guardians too
  (they manage their own data on their cabinet pages, with no id in the URL);
- the offline list: the school's secretary and leadership; 404 for others and for another
  school's id.

POSTs are sent empty, so that no row spoils the state for later rows: the statement form,
the contact form and the offline mark answer 422 (the form comes back with its errors).
Removing a contact identifies it by the URL, so its row removes a contact made only for
the matrix (302 back to the card; later roles find it already removed, still 302).
"""

from __future__ import annotations

from tests.authz_support import FAMILY_A, FAMILY_B, Case, expect
from tests.authz_support import father_bs_family as father_b
from tests.authz_support import mothers_family as mother
from tests.world import World


def matrix_contact(w: World) -> dict:
    """A phone of the mother made only for the row that removes it."""
    from consent.models import Contact, ContactSource

    guardian = w.users["parent"].guardian
    contact = Contact.objects.filter(guardian=guardian, phone="+79990000001").first()
    if contact is None:
        contact = Contact.objects.create(
            guardian=guardian,
            kind=Contact.Kind.PHONE,
            phone="+79990000001",
            source=ContactSource.STAFF,
            created_by=w.users["secretary"],
        )
    return {"guardian_id": guardian.pk, "contact_id": contact.pk}


def scanned_record(w: World) -> dict:
    """A paper consent of the mother for ``child_a`` with a scan; it repeats what is in
    force already (processing and the cabinet), so it changes no one's rights."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from consent.models import ConsentForm, ConsentRecord, Decision, Scope

    guardian = w.users["parent"].guardian
    record = ConsentRecord.objects.filter(guardian=guardian, note="authz: scan").first()
    if record is None:
        record = ConsentRecord(
            guardian=guardian,
            decision=Decision.GIVEN,
            scopes=[Scope.PROCESSING, Scope.CABINET],
            form=ConsentForm.PAPER,
            paper_number="authz-1",
            paper_date=timezone.localdate(),
            recorded_by=w.users["secretary"],
            note="authz: scan",
        )
        record.scan.save("authz.pdf", ContentFile(b"%PDF-1.4 authz"), save=True)
        record.students.set([w.child_a])
    return {"guardian_id": guardian.pk, "record_id": record.pk}


WHOLE_SCHOOL = FAMILY_B


def refused(allowed: dict[str, int], status: int = 422) -> dict[str, int]:
    return dict.fromkeys(allowed, status)


CASES: list[Case] = [
    Case(
        "consent:class_families",
        lambda w: {"class_id": w.class_5a.pk},
        expect(404, anonymous=302, **FAMILY_A),
        note="the class teacher of 5А sees its families",
    ),
    Case(
        "consent:class_families",
        lambda w: {"class_id": w.class_6b.pk},
        expect(404, anonymous=302, **FAMILY_B),
        note="6Б's teacher sees the class card, not its families' consents",
    ),
    Case("consent:family", mother, expect(404, anonymous=302, **FAMILY_A)),
    Case(
        "consent:family",
        father_b,
        expect(404, anonymous=302, **FAMILY_B),
        note="the 5А class teacher does not see a 6Б family",
    ),
    Case("consent:register", mother, expect(404, anonymous=302, **FAMILY_A)),
    Case(
        "consent:register",
        mother,
        expect(404, anonymous=302, **refused(FAMILY_A)),
        method="post",
        note="an empty statement is refused: what, for whom, number and date are required",
    ),
    Case("consent:register", father_b, expect(404, anonymous=302, **FAMILY_B)),
    Case(
        "consent:staff_add_contact",
        mother,
        expect(404, anonymous=302, **refused(FAMILY_A)),
        method="post",
        note="an empty contact is refused",
    ),
    Case(
        "consent:staff_add_contact",
        father_b,
        expect(405, anonymous=302),
        note="adding a contact is POST only",
    ),
    Case(
        "consent:staff_remove_contact",
        matrix_contact,
        expect(404, anonymous=302, **refused(FAMILY_A, 302)),
        method="post",
        note="back to the card; a contact made for this row only",
    ),
    Case(
        "consent:staff_remove_contact",
        matrix_contact,
        expect(405, anonymous=302),
        note="removing a contact is POST only",
    ),
    Case(
        "consent:offline_toggle",
        mother,
        expect(404, anonymous=302, **refused(FAMILY_A)),
        method="post",
        note="an empty post neither marks nor unmarks",
    ),
    Case(
        "consent:offline_toggle",
        father_b,
        expect(405, anonymous=302),
        note="the offline mark is POST only",
    ),
    Case(
        "consent:record_scan",
        scanned_record,
        expect(404, anonymous=302, **FAMILY_A),
        note="a statement's scan goes through the access policy, never a media URL",
    ),
    Case(
        "consent:offline_list",
        lambda w: {"school_id": w.school.pk},
        expect(404, anonymous=302, **WHOLE_SCHOOL),
        note="the class teacher uses her class page's «Бумажные выписки» filter",
    ),
    Case(
        "consent:offline_list",
        lambda w: {"school_id": w.other_school.pk},
        expect(404, anonymous=302, other_director=200),
        note="only one's own school",
    ),
]

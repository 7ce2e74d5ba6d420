"""The consent step of ``manage.py seed_demo``: what a school has collected by late
autumn. Most families returned the paper consent in the first weeks of September (the
cabinet always, SMS and e-mail as each chose, with a phone and an address from the same
statement); some have not returned it yet, a few refused, one or two withdrew it later, and
a few told the school they have no internet access. The showcase ``parent`` gave every
channel in the cabinet (electronically, to text version 1) and typed their phone and e-mail
there, confirmed by a code, so the demo diary opens at once and publishing a new version
shows the consent screen again (a paper consent is not asked again: README, demo logins).

Written in bulk (thousands of families in a second) with the same rows the services write:
the records, their children and the audit; the contacts through the service that
confirms them by their statement (``add_statement_contacts``)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict

from django.db import connection

from consent.models import (
    ConsentForm,
    ConsentRecord,
    Contact,
    ContactSource,
    Decision,
    FamilyDataAction,
    FamilyDataChange,
    FamilyDataKind,
    OfflineFamily,
    Scope,
)
from consent.services import StatementContact, add_contact, add_statement_contacts, current_text
from consent.texts import rendered_text
from school.models import Guardian, Kinship, StaffMember, Student, User
from school.models import Position as StaffPosition

CLOSED = [Scope.PROCESSING, Scope.CABINET, Scope.EMAIL, Scope.SMS]


def _moment(day: dt.date, minute: int, tz: str) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(10, 0), zoneinfo.ZoneInfo(tz)) + dt.timedelta(
        minutes=minute
    )


def seed_consents(ctx) -> None:
    school = ctx.school
    rng = ctx.rng("consent")
    secretary = (
        StaffMember.objects.filter(school=school, position=StaffPosition.SECRETARY)
        .select_related("user")
        .first()
    )
    if secretary is None:
        return
    clerk: User = secretary.user
    families: dict[int, list[int]] = defaultdict(list)
    usernames: dict[int, str] = {}
    for guardian_id, student_id, username in (
        Kinship.objects.filter(student__school=school)
        .order_by("guardian_id", "student_id")
        .values_list("guardian_id", "student_id", "guardian__user__username")
    ):
        families[guardian_id].append(student_id)
        usernames[guardian_id] = username or ""
    showcase = {ctx.logins.get("parent"), ctx.logins.get("teacher")} - {None}
    text = current_text()
    start = ctx.year.start
    today = school.local_today()

    plans: list[tuple[ConsentRecord, list[int], dt.datetime]] = []
    contacts: list[StatementContact] = []
    typed: list[StatementContact] = []  # the showcase families' own, typed in the cabinet
    entered: dict[int, dt.datetime] = {}
    offline: list[OfflineFamily] = []
    number = 0
    for guardian_id, children in families.items():
        draw = 0.0 if usernames[guardian_id] in showcase else rng.random()
        day = min(start + dt.timedelta(days=rng.randint(0, 14)), max(today, start))
        if draw < 0.80:
            scopes = [Scope.PROCESSING, Scope.CABINET]
            if draw < 0.05 or rng.random() < 0.6:
                scopes.append(Scope.SMS)
            if draw < 0.05 or rng.random() < 0.5:
                scopes.append(Scope.EMAIL)
            decisions = [(Decision.GIVEN, scopes, day)]
            if draw >= 0.78:
                withdrawn = day + dt.timedelta(days=rng.randint(30, 60))
                decisions.append((Decision.WITHDRAWN, CLOSED, withdrawn))
        elif draw < 0.84:
            decisions = [(Decision.REFUSED, CLOSED, day)]
        else:
            decisions = []
            if draw > 0.95:
                offline.append(
                    OfflineFamily(
                        guardian_id=guardian_id,
                        note="заявление: нет доступа к интернету",
                        marked_by=clerk,
                    )
                )
        for minute, (decision, scopes, when) in enumerate(decisions):
            number += 1
            record = ConsentRecord(
                guardian_id=guardian_id,
                decision=decision,
                scopes=list(scopes),
                form=ConsentForm.PAPER,
                paper_number=f"{number}",
                paper_date=when,
                recorded_by=clerk,
            )
            if usernames[guardian_id] in showcase and text is not None:
                # The showcase parent gave it in the cabinet: a new text version asks again.
                guardian = Guardian.objects.get(pk=guardian_id)
                kids = list(Student.objects.filter(pk__in=children).order_by("pk"))
                record.form = ConsentForm.ELECTRONIC
                record.text = text
                record.shown_text = rendered_text(text, guardian, kids)
                record.recorded_by_id = guardian.user_id
                record.paper_number, record.paper_date = "", None
                record.ip = "192.0.2.10"
            plans.append((record, children, _moment(when, minute, school.timezone)))
        if decisions and decisions[0][0] == Decision.GIVEN:
            statement = f"{number - len(decisions) + 1}"
            entered[guardian_id] = _moment(day, 20, school.timezone)
            phone = f"+79{rng.randint(0, 99):02d}{rng.randint(0, 9_999_999):07d}"
            values = {Contact.Kind.PHONE: phone}
            if Scope.EMAIL in decisions[0][1]:
                values[Contact.Kind.EMAIL] = (
                    f"{usernames[guardian_id] or f'family{guardian_id}'}@example.ru"
                )
            (typed if usernames[guardian_id] in showcase else contacts).extend(
                StatementContact(
                    guardian_id=guardian_id, kind=kind, value=value, number=statement, date=day
                )
                for kind, value in values.items()
            )

    records = ConsentRecord.objects.bulk_create([record for record, _, _ in plans])
    through = ConsentRecord.students.through
    through.objects.bulk_create(
        through(consentrecord_id=record.pk, student_id=student_id)
        for record, (_, children, _) in zip(records, plans, strict=True)
        for student_id in children
    )
    # ``recorded_at`` is set on insert; the demo dates each record on its statement's day.
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {ConsentRecord._meta.db_table} SET recorded_at = %s WHERE id = %s",
            [(when, record.pk) for record, (_, _, when) in zip(records, plans, strict=True)],
        )
    # Confirmed by their statements, as the secretary's family card does it.
    added = add_statement_contacts(entries=contacts, actor=clerk)
    # The showcase families typed theirs in the cabinet and entered the code from the SMS
    # or the letter (the row ``confirm_contact`` writes; no code is sent by the seed).
    for entry in typed:
        guardian = Guardian.objects.select_related("user").get(pk=entry.guardian_id)
        contact = add_contact(
            guardian=guardian,
            kind=entry.kind,
            value=entry.value,
            source=ContactSource.CABINET,
            actor=guardian.user,
        )
        added.append(contact)
        FamilyDataChange.objects.create(
            guardian=guardian,
            actor=guardian.user,
            kind=FamilyDataKind.CONTACT,
            action=FamilyDataAction.CONFIRM,
            object_id=contact.pk,
            new={"kind": contact.kind, "value": contact.value},
        )
    # Entered from the statement on the day it was brought (the service stamps «now»).
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {Contact._meta.db_table} SET created_at = %s, updated_at = %s, "
            "confirmed_at = %s WHERE id = %s",
            [(entered[c.guardian_id],) * 3 + (c.pk,) for c in added],
        )
    OfflineFamily.objects.bulk_create(offline)
    FamilyDataChange.objects.bulk_create(
        # The row ``services.register_consent`` writes: by whoever recorded it (the parent
        # for a consent given in the cabinet), with the form and the children.
        FamilyDataChange(
            guardian_id=record.guardian_id,
            actor_id=record.recorded_by_id,
            kind=FamilyDataKind.CONSENT,
            action=FamilyDataAction.CREATE,
            object_id=record.pk,
            new={
                "decision": record.decision,
                "scopes": record.scopes,
                "form": record.form,
                "students": children,
                "record": record.pk,
            },
        )
        for record, (_, children, _) in zip(records, plans, strict=True)
    )
    ctx.counts["согласия и отказы"] += len(records)
    ctx.counts["контакты семей"] += len(added)


def delete_consents(school) -> None:
    guardian_ids = list(
        Kinship.objects.filter(student__school=school).values_list("guardian_id", flat=True)
    )
    ConsentRecord.objects.filter(guardian_id__in=guardian_ids).delete()
    FamilyDataChange.objects.filter(guardian_id__in=guardian_ids).delete()
    Contact.objects.filter(guardian_id__in=guardian_ids).delete()
    OfflineFamily.objects.filter(guardian_id__in=guardian_ids).delete()

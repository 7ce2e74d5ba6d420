"""Registering consent, refusal and withdrawal; contact data; the offline list."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import secrets
import zoneinfo
from dataclasses import dataclass

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from school.models import Guardian, Kinship, School, Student, User

from . import code_limits
from .models import (
    CHANNEL_SCOPES,
    ConsentForm,
    ConsentRecord,
    ConsentText,
    Contact,
    ContactConfirmation,
    ContactSource,
    Decision,
    FamilyDataAction,
    FamilyDataChange,
    FamilyDataKind,
    OfflineFamily,
    Scope,
)
from .rules import Decision as _Decision
from .rules import history_states
from .signals import consent_closed, contact_code_requested

logger = logging.getLogger(__name__)

MSG_NO_CHILDREN = _("Выберите хотя бы одного ребёнка.")
MSG_NOT_A_CHILD = _("%(student)s не указан(а) как ребёнок этого родителя.")
MSG_NO_SCOPES = _("Отметьте, на что дано согласие или отказ.")
MSG_PAPER_DATE = _("Для бумажного заявления укажите его дату.")
MSG_PAPER_FUTURE = _("Дата заявления не может быть в будущем.")
MSG_NOTHING_TO_WITHDRAW = _("Согласие не было дано: отзывать нечего.")
MSG_ELECTRONIC_TEXT = _("Для согласия в личном кабинете нужна опубликованная версия текста.")
MSG_BAD_PHONE = _(
    "Номер «%(value)s» не похож на российский телефон. Запишите его как +7 912 345-67-89 "
    "или 8 912 345-67-89."
)
MSG_NOT_MOBILE = _(
    "Номер «%(value)s» не мобильный: SMS на него не придут. Укажите мобильный телефон."
)
MOBILE_TYPES = (
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
)
MSG_BAD_EMAIL = _(
    "Адрес «%(value)s» не похож на адрес электронной почты (пример: ivanova@mail.ru)."
)
MSG_CONTACT_EXISTS = _("Такой контакт у родителя уже есть.")
MSG_BAD_SOURCE = _("Неизвестный источник контакта.")
MSG_STATEMENT_NUMBER = _("Укажите номер заявления, из которого взят контакт.")
MSG_STATEMENT_DATE = _("Укажите дату заявления, из которого взят контакт.")
MSG_STATEMENT_FUTURE = _("Дата заявления не может быть в будущем.")
MSG_BAD_CODE = _("Код не подходит. Проверьте SMS или запросите новый код.")
MSG_CODE_EXPIRED = _("Срок действия кода истёк: запросите новый.")
MSG_TOO_MANY_ATTEMPTS = _("Слишком много попыток: запросите новый код.")
MSG_CODE_LIMIT = _(
    "Кодов для подтверждения запрошено слишком много. Новый код можно запросить %(when)s."
)
MSG_TOO_MANY_GUESSES = _(
    "Слишком много неверных кодов для этого контакта. Попробовать снова можно %(when)s."
)
MSG_TEXT_EMPTY = _("У текста согласия должны быть заголовок и текст.")
MSG_AFTER_TIME = _("после {time}")
MSG_AFTER_DAY = _("после {time} {day}")

# Refusing or withdrawing these closes the cabinet.
CLOSING_SCOPES = frozenset({Scope.PROCESSING, Scope.CABINET})

CODE_LIFETIME = dt.timedelta(minutes=15)
MAX_CODE_ATTEMPTS = 5


def _log(
    guardian: Guardian,
    *,
    actor: User,
    kind: str,
    action: str,
    object_id: int | None,
    old: dict | None = None,
    new: dict | None = None,
) -> None:
    FamilyDataChange.objects.create(
        guardian=guardian,
        actor=actor,
        kind=kind,
        action=action,
        object_id=object_id,
        old=old,
        new=new,
    )


def current_text() -> ConsentText | None:
    return (
        ConsentText.objects.filter(published_at__isnull=False, published_at__lte=timezone.now())
        .order_by("-version")
        .first()
    )


def publish_text(
    *, title: str, body: str, actor: User, published_at: dt.datetime | None = None
) -> ConsentText:
    """A new version of the consent's wording, in force from ``published_at`` (now by
    default). Versions are numbered in order under a table lock; a published text is never
    changed: guardians who gave the older one in the cabinet are asked again at login."""
    if not title.strip() or not body.strip():
        raise ValidationError(MSG_TEXT_EMPTY, code="text_empty")
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {ConsentText._meta.db_table} IN EXCLUSIVE MODE")
        last = ConsentText.objects.aggregate(version=Max("version"))["version"] or 0
        text = ConsentText.objects.create(
            version=last + 1,
            title=title.strip(),
            body=body,
            published_at=published_at or timezone.now(),
        )
    logger.info("consent text version %s published by %s", text.version, actor.pk)
    return text


def _check_children(guardian: Guardian, students: list[Student]) -> None:
    if not students:
        raise ValidationError(MSG_NO_CHILDREN, code="no_children")
    linked = set(guardian.kinships.values_list("student_id", flat=True))
    for student in students:
        if student.pk not in linked:
            raise ValidationError(
                MSG_NOT_A_CHILD, code="not_child", params={"student": student.short_name}
            )


def register_consent(
    *,
    guardian: Guardian,
    students: list[Student],
    decision: str,
    scopes: list[str],
    form: str,
    actor: User,
    paper_number: str = "",
    paper_date: dt.date | None = None,
    scan: UploadedFile | None = None,
    shown_text: str = "",
    text: ConsentText | None = None,
    ip: str | None = None,
    user_agent: str = "",
    note: str = "",
) -> ConsentRecord | None:
    """Append a consent, refusal or withdrawal. Returns ``None`` when it would change
    nothing (a second «given» while one is in force for every child and scope).

    Giving a channel implies the processing itself; refusing or withdrawing the processing
    closes every channel. The guardian's row is locked, so two secretaries registering at
    once leave a history in one order, and a withdrawal is never lost."""
    scopes = list(dict.fromkeys(scopes))
    if not scopes:
        raise ValidationError(MSG_NO_SCOPES, code="no_scopes")
    if decision == Decision.GIVEN and Scope.PROCESSING not in scopes:
        scopes.insert(0, Scope.PROCESSING)
    if decision != Decision.GIVEN and Scope.PROCESSING in scopes:
        scopes = [Scope.PROCESSING, *CHANNEL_SCOPES]
    if form == ConsentForm.PAPER:
        if paper_date is None:
            raise ValidationError(MSG_PAPER_DATE, code="paper_date")
        if students and paper_date > students[0].school.local_today():
            raise ValidationError(MSG_PAPER_FUTURE, code="paper_date")
    if form == ConsentForm.ELECTRONIC:
        text = text or current_text()
        if text is None or not shown_text:
            raise ValidationError(MSG_ELECTRONIC_TEXT, code="no_text")
    with transaction.atomic():
        guardian = Guardian.objects.select_for_update().get(pk=guardian.pk)
        _check_children(guardian, students)
        states = history_states(guardian.pk)
        current = {
            (s.pk, scope): states.get(s.pk, {}).get(scope) for s in students for scope in scopes
        }
        if decision == Decision.GIVEN and all(
            state is not None
            and state.decision == Decision.GIVEN
            and (text is None or state.text_version == text.version)
            for state in current.values()
        ):
            return None
        if decision == Decision.WITHDRAWN:
            # A child for whom nothing was given has nothing to withdraw: their state stays
            # «none» (not «withdrawn»), which is what the secretary's lists must show.
            students = [
                s
                for s in students
                if any(
                    current[(s.pk, scope)] is not None
                    and current[(s.pk, scope)].decision == _Decision.GIVEN
                    for scope in scopes
                )
            ]
            if not students:
                raise ValidationError(MSG_NOTHING_TO_WITHDRAW, code="nothing_to_withdraw")
        record = ConsentRecord.objects.create(
            guardian=guardian,
            decision=decision,
            scopes=scopes,
            form=form,
            text=text,
            shown_text=shown_text,
            paper_number=paper_number,
            paper_date=paper_date,
            ip=ip,
            user_agent=user_agent[:300],
            recorded_by=actor,
            note=note,
        )
        if scan is not None:
            record.scan.save(scan.name, scan, save=True)
        record.students.set(students)
        _log(
            guardian,
            actor=actor,
            kind=FamilyDataKind.CONSENT,
            action=FamilyDataAction.CREATE,
            object_id=record.pk,
            new={
                "decision": decision,
                "scopes": scopes,
                "form": form,
                "students": [s.pk for s in students],
                "record": record.pk,
            },
        )
        if decision != Decision.GIVEN:
            if CLOSING_SCOPES.intersection(scopes):
                _end_sessions(guardian)
            consent_closed.send(
                sender=ConsentRecord,
                guardian_id=guardian.pk,
                student_ids=[s.pk for s in students],
                scopes=scopes,
                reason=record.get_decision_display(),
            )
    return record


def _end_sessions(guardian: Guardian) -> None:
    """A closed cabinet takes effect at once: the guardian's open sessions end (the other
    channels, e-mail and SMS, do not concern the cabinet)."""
    if guardian.user_id is not None:
        guardian.user.end_sessions()


def give_cabinet_consent(guardian: Guardian, students: list[Student], *, actor: User) -> None:
    """A paper consent to processing and to the cabinet, dated today (demo data, tests)."""
    register_consent(
        guardian=guardian,
        students=students,
        decision=Decision.GIVEN,
        scopes=[Scope.CABINET],
        form=ConsentForm.PAPER,
        actor=actor,
        paper_date=students[0].school.local_today(),
    )


# --- Contacts ---------------------------------------------------------------------------


def normalise_phone(value: str) -> str:
    """E.164 for a Russian number written any usual way; Russian error otherwise."""
    try:
        number = phonenumbers.parse(value, "RU")
    except phonenumbers.NumberParseException as error:
        raise ValidationError(MSG_BAD_PHONE, code="bad_phone", params={"value": value}) from error
    if not phonenumbers.is_valid_number(number) or number.country_code != 7:
        raise ValidationError(MSG_BAD_PHONE, code="bad_phone", params={"value": value})
    if phonenumbers.number_type(number) not in MOBILE_TYPES:
        raise ValidationError(MSG_NOT_MOBILE, code="not_mobile", params={"value": value})
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_email(value: str) -> str:
    value = value.strip()
    try:
        validate_email(value)
    except ValidationError as error:
        raise ValidationError(MSG_BAD_EMAIL, code="bad_email", params={"value": value}) from error
    local, _at, domain = value.rpartition("@")
    return f"{local}@{domain.lower()}"


def _contact_fields(kind: str, value: str) -> dict[str, str]:
    if kind == Contact.Kind.PHONE:
        return {"phone": normalise_phone(value)}
    return {"email": normalise_email(value)}


def _added(contact: Contact) -> FamilyDataChange:
    new = {"kind": contact.kind, "value": contact.value, "source": contact.source}
    if contact.source == ContactSource.STATEMENT:
        new |= {
            "statement_number": contact.statement_number,
            "statement_date": contact.statement_date.isoformat(),
        }
    return FamilyDataChange(
        guardian_id=contact.guardian_id,
        actor=contact.created_by,
        kind=FamilyDataKind.CONTACT,
        action=FamilyDataAction.CREATE,
        object_id=contact.pk,
        new=new,
    )


def add_contact(
    *,
    guardian: Guardian,
    kind: str,
    value: str,
    source: str,
    actor: User,
    statement_number: str = "",
    statement_date: dt.date | None = None,
) -> Contact:
    """A phone or e-mail typed in the cabinet or said to the staff (to be confirmed by a
    code), or taken from a signed statement (``add_statement_contacts``: confirmed by it)."""
    if source == ContactSource.STATEMENT:
        entry = StatementContact(
            guardian_id=guardian.pk,
            kind=kind,
            value=value,
            number=statement_number,
            date=statement_date,
        )
        [contact] = add_statement_contacts(entries=[entry], actor=actor)
        return contact
    if source not in ContactSource.values:
        raise ValidationError(MSG_BAD_SOURCE, code="bad_source")
    fields = _contact_fields(kind, value)
    with transaction.atomic():
        guardian = Guardian.objects.select_for_update().get(pk=guardian.pk)
        if guardian.contacts.filter(kind=kind, is_active=True, **fields).exists():
            raise ValidationError(MSG_CONTACT_EXISTS, code="exists")
        contact = Contact.objects.create(
            guardian=guardian, kind=kind, source=source, created_by=actor, **fields
        )
        _added(contact).save()
    return contact


@dataclass(frozen=True)
class StatementContact:
    """A phone or e-mail as a guardian wrote it in a signed statement (seed 2.7)."""

    guardian_id: int
    kind: str
    value: str
    number: str
    date: dt.date | None


def _schools_today(guardian_ids: set[int]) -> dict[int, dt.date]:
    """{guardian id: the date today at the school of their (first) child}."""
    today: dict[int, dt.date] = {}
    schools: dict[int, School] = {}
    for kinship in (
        Kinship.objects.filter(guardian_id__in=guardian_ids)
        .select_related("student__school")
        .order_by("guardian_id", "student_id")
    ):
        school = schools.setdefault(kinship.student.school_id, kinship.student.school)
        today.setdefault(kinship.guardian_id, school.local_today())
    return today


def add_statement_contacts(*, entries: list[StatementContact], actor: User) -> list[Contact]:
    """Contacts entered by ``actor`` from signed statements: each is confirmed by its
    statement (number and date kept), so SMS and letters reach it without a code. The one
    way such a contact is made: the staff's family card (one) and the demo (thousands)."""
    today = _schools_today({entry.guardian_id for entry in entries})
    contacts: list[Contact] = []
    for entry in entries:
        number = entry.number.strip()
        if not number:
            raise ValidationError(MSG_STATEMENT_NUMBER, code="statement_number")
        if entry.date is None:
            raise ValidationError(MSG_STATEMENT_DATE, code="statement_date")
        if entry.guardian_id in today and entry.date > today[entry.guardian_id]:
            raise ValidationError(MSG_STATEMENT_FUTURE, code="statement_date")
        contacts.append(
            Contact(
                guardian_id=entry.guardian_id,
                kind=entry.kind,
                source=ContactSource.STATEMENT,
                statement_number=number,
                statement_date=entry.date,
                created_by=actor,
                **_contact_fields(entry.kind, entry.value),
            )
        )
    with transaction.atomic():
        guardian_ids = sorted({c.guardian_id for c in contacts})
        list(Guardian.objects.select_for_update().filter(pk__in=guardian_ids).order_by("pk"))
        wanted = {(c.guardian_id, c.kind, c.value) for c in contacts}
        existing = {
            (c.guardian_id, c.kind, c.value)
            for c in Contact.objects.filter(guardian_id__in=guardian_ids, is_active=True)
        }
        if wanted & existing or len(wanted) < len(contacts):
            raise ValidationError(MSG_CONTACT_EXISTS, code="exists")
        now = timezone.now()
        for contact in contacts:
            contact.confirmed_at = now
        contacts = Contact.objects.bulk_create(contacts)
        FamilyDataChange.objects.bulk_create(_added(contact) for contact in contacts)
    return contacts


def deactivate_contact(*, contact: Contact, actor: User) -> None:
    with transaction.atomic():
        contact = Contact.objects.select_for_update().get(pk=contact.pk)
        if not contact.is_active:
            return
        contact.is_active = False
        contact.save(update_fields=["is_active", "updated_at"])
        _log(
            contact.guardian,
            actor=actor,
            kind=FamilyDataKind.CONTACT,
            action=FamilyDataAction.DELETE,
            object_id=contact.pk,
            old={"kind": contact.kind, "value": contact.value},
        )


def _hash(code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), code.encode(), hashlib.sha256).hexdigest()


def _when(contact: Contact, moment: dt.datetime) -> str:
    """«после 14:35» or «после 14:35 06.12.2026», in the time of the family's school."""
    school = (
        School.objects.filter(students__kinships__guardian_id=contact.guardian_id)
        .order_by("pk")
        .first()
    )
    tz = zoneinfo.ZoneInfo(school.timezone) if school else timezone.get_current_timezone()
    local, now = moment.astimezone(tz), timezone.now().astimezone(tz)
    if local.date() == now.date():
        return str(format_lazy(MSG_AFTER_TIME, time=f"{local:%H:%M}"))
    return str(format_lazy(MSG_AFTER_DAY, time=f"{local:%H:%M}", day=f"{local:%d.%m.%Y}"))


def _lock_for_codes(contact: Contact) -> None:
    """The guardian's row and the number itself (for every family that has it): two
    requests at once count each other's codes."""
    Guardian.objects.select_for_update().filter(pk=contact.guardian_id).first()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"code:{contact.value}"])


def start_confirmation(*, contact: Contact) -> str:
    """Create a 6-digit code for the contact and announce it (``contact_code_requested``:
    the notifications app sends it). Only its hash is stored. Refused, with when to try
    again, past the limits per contact, guardian and number (``consent.code_limits``)."""
    with transaction.atomic():
        _lock_for_codes(contact)
        now = timezone.now()
        wait = code_limits.next_code_at(contact, now)
        if wait is not None:
            raise ValidationError(
                MSG_CODE_LIMIT, code="code_limit", params={"when": _when(contact, wait)}
            )
        code = f"{secrets.randbelow(1_000_000):06d}"
        ContactConfirmation.objects.create(
            contact=contact, code_hash=_hash(code), expires_at=now + CODE_LIFETIME
        )
        contact_code_requested.send(sender=Contact, contact=contact, code=code)
    return code


def confirm_contact(*, contact: Contact, code: str, actor: User) -> Contact:
    """A wrong code counts as an attempt even though it raises: the error is raised after
    the transaction that saved the count (raising inside would roll the count back). A
    caller's own transaction around this call must not let the error roll it back.

    Guesses are capped per code and per contact (``code_limits.guesses_free_at``): the
    contact's row is locked, so guesses made at once are all counted."""
    with transaction.atomic():
        contact = Contact.objects.select_for_update().get(pk=contact.pk)
        confirmation = (
            ContactConfirmation.objects.filter(contact=contact, used_at__isnull=True)
            .order_by("-sent_at")
            .first()
        )
        if confirmation is None:
            raise ValidationError(MSG_BAD_CODE, code="bad_code")
        if confirmation.expires_at < timezone.now():
            raise ValidationError(MSG_CODE_EXPIRED, code="expired")
        if confirmation.attempts >= MAX_CODE_ATTEMPTS:
            raise ValidationError(MSG_TOO_MANY_ATTEMPTS, code="attempts")
        free_at = code_limits.guesses_free_at(contact, timezone.now())
        if free_at is not None:
            raise ValidationError(
                MSG_TOO_MANY_GUESSES, code="guesses", params={"when": _when(contact, free_at)}
            )
        confirmation.attempts += 1
        wrong = not hmac.compare_digest(confirmation.code_hash, _hash(code.strip()))
        if wrong:
            confirmation.save(update_fields=["attempts"])
        else:
            confirmation.used_at = timezone.now()
            confirmation.save(update_fields=["attempts", "used_at"])
            contact.confirmed_at = timezone.now()
            contact.save(update_fields=["confirmed_at", "updated_at"])
            _log(
                contact.guardian,
                actor=actor,
                kind=FamilyDataKind.CONTACT,
                action=FamilyDataAction.CONFIRM,
                object_id=contact.pk,
                new={"kind": contact.kind, "value": contact.value},
            )
    if wrong:
        raise ValidationError(MSG_BAD_CODE, code="bad_code")
    return contact


# --- The offline list ---------------------------------------------------------------------


def mark_offline(*, guardian: Guardian, actor: User, note: str = "") -> OfflineFamily:
    with transaction.atomic():
        offline, created = OfflineFamily.objects.get_or_create(
            guardian=guardian, defaults={"note": note, "marked_by": actor}
        )
        if created:
            _log(
                guardian,
                actor=actor,
                kind=FamilyDataKind.OFFLINE,
                action=FamilyDataAction.CREATE,
                object_id=offline.pk,
                new={"note": note},
            )
    return offline


def unmark_offline(*, guardian: Guardian, actor: User) -> None:
    with transaction.atomic():
        offline = OfflineFamily.objects.filter(guardian=guardian).first()
        if offline is not None:
            pk = offline.pk
            offline.delete()
            _log(
                guardian,
                actor=actor,
                kind=FamilyDataKind.OFFLINE,
                action=FamilyDataAction.DELETE,
                object_id=pk,
            )

"""What the system holds about a guardian and their children, on request (152-ФЗ art. 14:
the subject's right to know which of their data are processed).

``guardian_data`` gathers the school's own records (the guardian, their login, their
children and the children's classes and groups, consents, contacts, the offline mark and the
audit) and the ``ExportSection``s other apps define and settings ``CONSENT_EXPORT_SECTIONS``
names (``school.hooks``): ``consent`` knows nothing of notifications or the diary. Every
section is a list of rows (dicts with Russian column names, in order), so one template and
one JSON encoder serve them all.

The number of queries is fixed: one or two per section, whatever the history's length.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from school.hooks import hooks
from school.models import Enrolment, GroupMembership, Guardian, Kinship, Student, User
from school.phones import format_phone

from .models import (
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
from .rules import history_states

SectionRows = Callable[[Guardian, list[Student]], list[dict[str, Any]]]


@dataclass(frozen=True)
class ExportSection:
    """A section of every export. ``rows(guardian, students)`` gives its rows about those
    children only (they are the ones the reader may see)."""

    key: str
    title: str  # a lazy string: translated when the export is made
    rows: SectionRows
    note: str = ""


# --- The school's own records -------------------------------------------------------------


def _person(person: Any) -> str:
    return person.full_name if person is not None else ""


def _guardian_rows(guardian: Guardian) -> list[dict]:
    user: User | None = guardian.user
    return [
        {
            _("Фамилия"): guardian.last_name,
            _("Имя"): guardian.first_name,
            _("Отчество"): guardian.middle_name,
            _("Пол"): guardian.get_gender_display(),
            _("Логин"): user.username if user else _("нет учётной записи"),
            _("Учётная запись создана"): user.date_joined if user else None,
            _("Последний вход"): user.last_login if user else None,
            _("Учётная запись действует"): user.is_active if user else None,
            _("Запись о родителе внесена"): guardian.created_at,
        }
    ]


def _children_rows(kinships: list[Kinship]) -> list[dict]:
    return [
        {
            _("Ребёнок"): k.student.full_name,
            _("Кем приходится"): k.get_relation_display(),
            _("Законный представитель"): k.is_legal_representative,
            _("Дата рождения"): k.student.birth_date,
            _("Пол"): k.student.get_gender_display(),
            _("Школа"): k.student.school.name,
            _("Логин ребёнка"): k.student.user.username if k.student.user else "",
        }
        for k in kinships
    ]


def _enrolment_rows(students: list[Student]) -> list[dict]:
    enrolments = (
        Enrolment.objects.filter(student__in=students)
        .select_related("student", "school_class__year", "school_class__school")
        .order_by("student__last_name", "student__first_name", "start")
    )
    return [
        {
            _("Ребёнок"): e.student.full_name,
            _("Учебный год"): e.school_class.year.name,
            _("Класс"): e.school_class.name,
            _("Школа"): e.school_class.school.short_name,
            _("Зачислен"): e.start,
            _("Выбыл"): e.end,
        }
        for e in enrolments
    ]


def _group_rows(students: list[Student]) -> list[dict]:
    memberships = (
        GroupMembership.objects.filter(student__in=students)
        .select_related("student", "group__school_class", "group__subject")
        .order_by("student__last_name", "student__first_name", "start")
    )
    return [
        {
            _("Ребёнок"): m.student.full_name,
            _("Класс"): m.group.school_class.name,
            _("Предмет"): m.group.subject.name,
            _("Группа"): m.group.name,
            _("Вид"): m.group.get_kind_display(),
            _("С"): m.start,
            _("По"): m.end,
        }
        for m in memberships
    ]


def _consent_records(guardian: Guardian) -> list[ConsentRecord]:
    return list(
        ConsentRecord.objects.filter(guardian=guardian)
        .select_related("text", "recorded_by")
        .prefetch_related(Prefetch("students", queryset=Student.objects.order_by("last_name")))
        .order_by("recorded_at", "id")
    )


def _consent_rows(
    records: list[ConsentRecord], students: list[Student], everything: bool
) -> list[dict]:
    """Every record of the guardian touching these children (all of them in the guardian's
    own export), oldest first; children outside ``students`` are not named."""
    ids = {s.pk for s in students}
    rows = []
    for r in records:
        named = [s for s in r.students.all() if everything or s.pk in ids]
        if not named:
            continue
        rows.append(
            {
                _("Зарегистрировано"): r.recorded_at,
                _("Решение"): r.get_decision_display(),
                _("На что"): [str(Scope(s).label) for s in r.scopes],
                _("Дети"): [s.full_name for s in named],
                _("Форма"): r.get_form_display(),
                _("Номер заявления"): r.paper_number,
                _("Дата заявления"): r.paper_date,
                _("Версия текста"): r.text.version if r.text else None,
                _("IP-адрес"): r.ip,
                _("Браузер"): r.user_agent,
                _("Скан заявления"): bool(r.scan),
                _("Зарегистрировал"): _person(r.recorded_by),
                _("Примечание"): r.note,
            }
        )
    return rows


def _state_rows(guardian: Guardian, students: list[Student]) -> list[dict]:
    """What is in force now for each child, derived from the history (``consent.rules``)."""
    states = history_states(guardian.pk)
    rows = []
    for student in students:
        row: dict[str, Any] = {_("Ребёнок"): student.full_name}
        for scope in Scope:
            decision = states.get(student.pk, {}).get(scope)
            label = Decision(decision.decision).label if decision else _("не заявлено")
            row[str(scope.label)] = str(label)
        rows.append(row)
    return rows


def _contact_rows(guardian: Guardian) -> list[dict]:
    contacts = (
        Contact.objects.filter(guardian=guardian)
        .select_related("created_by")
        .order_by("kind", "-is_active", "created_at")
    )
    return [
        {
            _("Вид"): c.get_kind_display(),
            _("Значение"): c.display,
            _("Откуда"): c.get_source_display(),
            _("Номер заявления"): c.statement_number,
            _("Подтверждён"): c.confirmed_at,
            _("Действует"): c.is_active,
            _("Внесён"): c.created_at,
            _("Кто внёс"): _person(c.created_by),
        }
        for c in contacts
    ]


def _offline_rows(guardian: Guardian) -> list[dict]:
    offline = OfflineFamily.objects.filter(guardian=guardian).select_related("marked_by").first()
    if offline is None:
        return []
    return [
        {
            _("Отмечено"): offline.created_at,
            _("Кто отметил"): _person(offline.marked_by),
            _("Примечание"): offline.note,
        }
    ]


def _mentions_others(change: FamilyDataChange, ids: set[int]) -> bool:
    """An audit row about consents names its children by id: in an export limited to some
    children, a row only about others is left out."""
    named = set()
    for value in (change.old, change.new):
        if isinstance(value, dict) and isinstance(value.get("students"), list):
            named |= set(value["students"])
    return bool(named) and not named & ids


AUDIT_KEYS = {
    "decision": gettext_lazy("решение"),
    "scopes": gettext_lazy("на что"),
    "form": gettext_lazy("форма"),
    "students": gettext_lazy("дети"),
    "record": gettext_lazy("запись"),
    "kind": gettext_lazy("вид"),
    "value": gettext_lazy("значение"),
    "source": gettext_lazy("откуда"),
    "note": gettext_lazy("примечание"),
    "format": gettext_lazy("формат"),
}
AUDIT_LABELS: dict[str, Any] = {
    "decision": Decision,
    "scopes": Scope,
    "form": ConsentForm,
    "source": ContactSource,
    "kind": Contact.Kind,
}


def _readable(value: Any, names: dict[int, str]) -> Any:
    """An audit row's «было»/«стало» in words: codes as their labels, children's ids as
    their names (an id of a child not in this export stays a number)."""
    if not isinstance(value, dict):
        return value
    result = {}
    for key, item in value.items():
        labels = AUDIT_LABELS.get(key)
        if key == "students" and isinstance(item, list):
            item = [names.get(pk, f"№ {pk}") for pk in item]
        elif labels is not None and isinstance(item, list):
            item = [str(labels(v).label) if v in labels.values else v for v in item]
        elif labels is not None and item in labels.values:
            item = str(labels(item).label)
        elif key == "value":
            item = format_phone(item)
        result[str(AUDIT_KEYS.get(key, key))] = item
    return result


def _change_rows(
    guardian: Guardian, students: list[Student], everything: bool, names: dict[int, str]
) -> list[dict]:
    ids = {s.pk for s in students}
    changes = (
        FamilyDataChange.objects.filter(guardian=guardian)
        .select_related("actor")
        .order_by("at", "id")
    )
    return [
        {
            _("Когда"): c.at,
            _("Кто"): _person(c.actor),
            _("Что"): c.what,
            _("Было"): _readable(c.old, names),
            _("Стало"): _readable(c.new, names),
        }
        for c in changes
        if everything or not _mentions_others(c, ids)
    ]


# --- The export ---------------------------------------------------------------------------


def _section(key: str, title: str, rows: list[dict], note: str = "") -> dict:
    return {"key": key, "title": title, "note": note, "rows": rows}


def guardian_data(guardian: Guardian, students: Iterable[Student] | None = None) -> dict:
    """Everything held about ``guardian`` and their children (``students``: only those,
    for staff who manage some of the children; ``None``: all of them).

    {"title", "generated_at", "note", "guardian", "sections": [{"key", "title", "note",
    "rows": [{column: value}]}]}. Values are plain Python (dates, datetimes, lists): see
    ``to_json`` and ``display_table``. Never the password or its hash."""
    guardian = Guardian.objects.select_related("user").get(pk=guardian.pk)
    kinships = list(
        Kinship.objects.filter(guardian=guardian)
        .select_related("student__school", "student__user")
        .order_by("student__birth_date", "student__last_name")
    )
    everything = students is None
    if not everything:
        wanted = {s.pk for s in students}
        kinships = [k for k in kinships if k.student_id in wanted]
    children = [k.student for k in kinships]
    records = _consent_records(guardian)
    names = {s.pk: s.full_name for r in records for s in r.students.all() if everything}
    names.update({s.pk: s.full_name for s in children})
    sections = [
        _section("guardian", _("Родитель (законный представитель)"), _guardian_rows(guardian)),
        _section("children", _("Дети"), _children_rows(kinships)),
        _section("enrolments", _("Классы: зачисления и выбытия"), _enrolment_rows(children)),
        _section("groups", _("Группы (подгруппы, индивидуальный план)"), _group_rows(children)),
        _section(
            "consent_state",
            _("Согласия, действующие сейчас"),
            _state_rows(guardian, children),
            _("Выводится из истории заявлений ниже: действует последнее по каждому пункту."),
        ),
        _section(
            "consents",
            _("Согласия, отказы и отзывы"),
            _consent_rows(records, children, everything),
            _("Записи не изменяются и не удаляются: новое заявление добавляет новую запись."),
        ),
        _section("contacts", _("Контакты"), _contact_rows(guardian)),
        _section(
            "offline",
            _("Отметка «нет доступа к интернету»"),
            _offline_rows(guardian),
            _("Семье с такой отметкой школа выдаёт выписки из дневника на бумаге."),
        ),
        _section(
            "changes",
            _("Журнал изменений данных семьи"),
            _change_rows(guardian, children, everything, names),
        ),
    ]
    extra: ExportSection
    for extra in hooks("CONSENT_EXPORT_SECTIONS"):
        sections.append(
            _section(extra.key, str(extra.title), extra.rows(guardian, children), str(extra.note))
        )
    return {
        "title": _("Сведения о персональных данных в электронном дневнике"),
        "generated_at": timezone.now(),
        "note": _(
            "Здесь всё, что электронный дневник хранит о вас и о ваших детях, кроме "
            "самих отметок и записей о посещаемости: они в электронном дневнике ребёнка, "
            "здесь — их число по предметам за каждый учебный год."
        ),
        "guardian": guardian.full_name,
        "sections": sections,
    }


def record_staff_export(*, guardian: Guardian, actor: User, students: list[Student], fmt: str):
    """A staff member's export of a family's data is itself written in the family's audit."""
    return FamilyDataChange.objects.create(
        guardian=guardian,
        actor=actor,
        kind=FamilyDataKind.EXPORT,
        action=FamilyDataAction.CREATE,
        object_id=None,
        new={"format": fmt, "students": [s.pk for s in students]},
    )


# --- Rendering ----------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """Datetimes in local time, to the second; the rest as it is."""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(microsecond=0)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def to_json(data: dict) -> str:
    """UTF-8 JSON, Russian kept readable, dates in ISO 8601."""
    return json.dumps(_plain(data), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)


def display(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("да") if value else _("нет")
    if isinstance(value, dt.datetime):
        return date_format(timezone.localtime(value), "d.m.Y H:i")
    if isinstance(value, dt.date):
        return date_format(value, "d.m.Y")
    if isinstance(value, list | tuple):
        return ", ".join(display(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {display(v)}" for k, v in value.items())
    return str(value)


def display_table(rows: list[dict]) -> tuple[list[str], list[list[str]]]:
    """(headers, rows of strings) for an HTML table: every column any row has, in order."""
    headers: list[str] = []
    for row in rows:
        headers += [key for key in row if key not in headers]
    return headers, [[display(row.get(key)) for key in headers] for row in rows]

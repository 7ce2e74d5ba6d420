"""Reads for the staff's consent pages: a class's families, the school's offline list and
one family's card. The lists make a fixed number of queries whatever the number of
families (``consent.rules.families_states`` derives every state in one query)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from school.models import Enrolment, Guardian, Kinship, School, SchoolClass, Student
from school.selectors import class_students, current_year

from .models import (
    CHANNEL_SCOPES,
    ConsentRecord,
    Contact,
    Decision,
    FamilyDataChange,
    OfflineFamily,
    Scope,
)
from .rules import ScopeState, families_states, family_status

NONE = "none"
SCOPES = (Scope.PROCESSING, *CHANNEL_SCOPES)
FILTERS = ("all", NONE, Decision.REFUSED, Decision.WITHDRAWN, "offline")


PAPER_REASONS = {
    NONE: gettext_lazy("нет согласия на обработку персональных данных"),
    Decision.REFUSED: gettext_lazy("отказ от обработки персональных данных"),
    Decision.WITHDRAWN: gettext_lazy("согласие на обработку отозвано"),
}
CABINET_REASONS = {
    NONE: gettext_lazy("нет согласия на личный кабинет"),
    Decision.REFUSED: gettext_lazy("отказ от личного кабинета"),
    Decision.WITHDRAWN: gettext_lazy("согласие на личный кабинет отозвано"),
}


@dataclass
class GuardianLine:
    """One guardian of one child, as the secretary's lists show them."""

    guardian: Guardian | None
    relation: str = ""
    scopes: dict[str, str] = field(default_factory=dict)  # scope -> given/refused/withdrawn/none
    record: ConsentRecord | None = None  # the record in force for the processing
    contacts: list[Contact] = field(default_factory=list)
    offline: OfflineFamily | None = None

    @property
    def status(self) -> str:
        return self.scopes.get(Scope.PROCESSING, NONE)

    @property
    def cabinet_open(self) -> bool:
        return self.status == Decision.GIVEN and self.scopes.get(Scope.CABINET) == Decision.GIVEN

    @property
    def channels(self) -> list[tuple[str, str]]:
        return [(scope, self.scopes.get(scope, NONE)) for scope in CHANNEL_SCOPES]

    @property
    def reasons(self) -> list[str]:
        """Why this family gets paper extracts; empty when it does not."""
        if self.guardian is None:
            return [_("родители не указаны")]
        reasons = []
        if self.offline is not None:
            reasons.append(_("нет доступа к интернету"))
        if self.status != Decision.GIVEN:
            reasons.append(str(PAPER_REASONS[self.status]))
        elif not self.cabinet_open:
            reasons.append(str(CABINET_REASONS[self.scopes.get(Scope.CABINET, NONE)]))
        elif self.guardian.user_id is None:
            # Consent to the cabinet, but no login to open it with yet.
            reasons.append(_("нет учётной записи для входа в дневник"))
        return reasons

    @property
    def needs_paper(self) -> bool:
        return bool(self.reasons)

    def matches(self, show: str) -> bool:
        if show == "offline":
            return self.needs_paper
        if show in (NONE, Decision.REFUSED, Decision.WITHDRAWN):
            return self.status == show
        return True


@dataclass
class ChildFamilies:
    """A child and every guardian of theirs (one line with ``guardian=None`` if none)."""

    student: Student
    lines: list[GuardianLine]
    school_class: SchoolClass | None = None
    number: int = 0  # in the class list

    @property
    def online_guardians(self) -> list[Guardian]:
        """The child's guardians who do see the cabinet (one extract may be enough)."""
        return [
            line.guardian
            for line in self.lines
            if line.guardian is not None and not line.needs_paper
        ]


def _scope_decisions(states: dict[str, ScopeState]) -> dict[str, str]:
    decisions = {scope: (states[scope].decision or NONE) for scope in states}
    decisions[Scope.PROCESSING] = family_status(states)
    return decisions


def _families(students: list[Student]) -> list[ChildFamilies]:
    """Four queries for any number of children: kinships with guardians and their offline
    mark, the consent states, the records in force, the active contacts."""
    kinships = list(
        Kinship.objects.filter(student__in=students)
        .select_related("guardian", "guardian__user", "guardian__offline")
        .order_by("relation", "guardian__last_name", "guardian__first_name")
    )
    guardian_ids = sorted({k.guardian_id for k in kinships})
    states = families_states(guardian_ids) if guardian_ids else {}
    record_ids = {
        pair_states[Scope.PROCESSING].record_id
        for pair_states in states.values()
        if Scope.PROCESSING in pair_states
    }
    records = (
        ConsentRecord.objects.defer("shown_text", "user_agent")
        .select_related("text")
        .in_bulk(record_ids)
        if record_ids
        else {}
    )
    contacts: dict[int, list[Contact]] = defaultdict(list)
    if guardian_ids:
        for contact in Contact.objects.filter(guardian_id__in=guardian_ids, is_active=True):
            contacts[contact.guardian_id].append(contact)
    by_student: dict[int, list[GuardianLine]] = defaultdict(list)
    for kinship in kinships:
        guardian = kinship.guardian
        pair = states.get((guardian.pk, kinship.student_id), {})
        processing = pair.get(Scope.PROCESSING)
        by_student[kinship.student_id].append(
            GuardianLine(
                guardian=guardian,
                relation=kinship.get_relation_display(),
                scopes=_scope_decisions(pair),
                record=records.get(processing.record_id) if processing else None,
                contacts=contacts[guardian.pk],
                offline=getattr(guardian, "offline", None),
            )
        )
    return [
        ChildFamilies(
            student=s, lines=by_student.get(s.pk) or [GuardianLine(guardian=None)], number=n
        )
        for n, s in enumerate(students, start=1)
    ]


@dataclass
class ClassFamilies:
    children: list[ChildFamilies]
    counts: dict[str, int]

    def shown(self, show: str) -> list[tuple[ChildFamilies, list[GuardianLine]]]:
        """The children with at least one line matching the filter, with those lines."""
        rows = []
        for child in self.children:
            lines = [line for line in child.lines if line.matches(show)]
            if lines:
                rows.append((child, lines))
        return rows


def class_families(school_class: SchoolClass, day: dt.date) -> ClassFamilies:
    """Every child of the class on ``day`` with their guardians' consents and contacts."""
    children = _families(class_students(school_class, day))
    lines = [line for child in children for line in child.lines]
    counts = {show: sum(line.matches(show) for line in lines) for show in FILTERS}
    return ClassFamilies(children=children, counts=counts)


@dataclass
class OfflineClass:
    school_class: SchoolClass
    rows: list[tuple[ChildFamilies, GuardianLine]]


def offline_list(school: School, day: dt.date) -> list[OfflineClass]:
    """The school's current students whose families get paper extracts, by class: no open
    consent to the processing and the cabinet, a mark «no internet access», or no guardian
    at all. Five queries whatever the size of the school."""
    year = current_year(school, day)
    if year is None:
        return []
    enrolments = list(
        Enrolment.objects.in_force(day)
        .filter(school_class__year=year, school_class__school=school)
        .select_related("student", "school_class")
        .order_by(
            "school_class__grade",
            "school_class__letter",
            "student__last_name",
            "student__first_name",
            "student__middle_name",
        )
    )
    class_of = {e.student_id: e.school_class for e in enrolments}
    children = _families([e.student for e in enrolments])
    classes: dict[int, OfflineClass] = {}
    numbers: dict[int, int] = defaultdict(int)
    for child in children:
        school_class = class_of[child.student.pk]
        numbers[school_class.pk] += 1
        child.school_class, child.number = school_class, numbers[school_class.pk]
        for line in child.lines:
            if line.needs_paper:
                classes.setdefault(school_class.pk, OfflineClass(school_class, [])).rows.append(
                    (child, line)
                )
    return list(classes.values())


def _folded(text: str) -> str:
    return text.casefold().replace("ё", "е")


def narrow_offline_list(
    classes: list[OfflineClass], *, class_id: int | None = None, query: str = ""
) -> list[OfflineClass]:
    """The offline list of one class (``class_id``) and of the rows whose child or guardian
    has every word of ``query`` in their name (any case, ё = е), classes left out when
    nothing of theirs is left. The numbers stay those of the class list."""
    words = _folded(query).split()
    narrowed = []
    for offline_class in classes:
        if class_id is not None and offline_class.school_class.pk != class_id:
            continue
        rows = [
            (child, line)
            for child, line in offline_class.rows
            if all(
                word in _folded(child.student.full_name)
                or (line.guardian is not None and word in _folded(line.guardian.full_name))
                for word in words
            )
        ]
        if rows:
            narrowed.append(OfflineClass(offline_class.school_class, rows))
    return narrowed


# --- One family's card --------------------------------------------------------------------


@dataclass
class ChildState:
    student: Student
    scopes: list[tuple[str, str]]  # (scope, given/refused/withdrawn/none), processing first
    record: ConsentRecord | None


@dataclass
class FamilyCard:
    states: list[ChildState]
    history: list[ConsentRecord]
    contacts: list[Contact]
    offline: OfflineFamily | None
    changes: list[FamilyDataChange]
    changes_total: int


CHANGES_SHOWN = 50


def family_card(guardian: Guardian, children: list[Student]) -> FamilyCard:
    """What the family card shows about ``children`` (those the viewer manages): the state
    per child and scope, the history of records touching them, the contacts, the offline
    mark and the audit log."""
    child_ids = {c.pk for c in children}
    history = [
        record
        for record in ConsentRecord.objects.filter(guardian=guardian)
        .select_related("text", "recorded_by")
        .prefetch_related(
            Prefetch("students", queryset=Student.objects.order_by("last_name", "first_name"))
        )
        .order_by("-recorded_at", "-id")
        if any(s.pk in child_ids for s in record.students.all())
    ]
    for record in history:
        _limit_to_share(record, child_ids)
    by_id = {r.pk: r for r in history}
    states = families_states([guardian.pk])
    rows = []
    for child in children:
        pair = states.get((guardian.pk, child.pk), {})
        decisions = _scope_decisions(pair)
        processing = pair.get(Scope.PROCESSING)
        rows.append(
            ChildState(
                student=child,
                scopes=[(scope, decisions.get(scope, NONE)) for scope in SCOPES],
                record=by_id.get(processing.record_id) if processing else None,
            )
        )
    changes = [
        change
        for change in FamilyDataChange.objects.filter(guardian=guardian).select_related("actor")
        if _concerns(change, child_ids)
    ]
    return FamilyCard(
        states=rows,
        history=history,
        contacts=list(
            guardian.contacts.filter(is_active=True)
            .select_related("created_by")
            .order_by("kind", "-created_at")
        ),
        offline=OfflineFamily.objects.filter(guardian=guardian).select_related("marked_by").first(),
        changes=changes[:CHANGES_SHOWN],
        changes_total=len(changes),
    )


def _limit_to_share(record: ConsentRecord, child_ids: set[int]) -> None:
    """What of a record the viewer may read: the children their share covers
    (``shared_students``) and how many others it names (``others_count``). The text the
    guardian saw names every child of the record with their birth date, so it is shown
    (``shared_text``) only when the record names no child outside the share."""
    students = list(record.students.all())
    record.shared_students = [s for s in students if s.pk in child_ids]
    record.others_count = len(students) - len(record.shared_students)
    record.shared_text = record.shown_text if not record.others_count else ""


def _concerns(change: FamilyDataChange, child_ids: set[int]) -> bool:
    """A consent change is shown to those who manage one of its children; contact and
    offline changes concern the guardian and are shown to all of them."""
    students = (change.new or {}).get("students") if isinstance(change.new, dict) else None
    return not students or bool(child_ids & set(students))

"""«In force on a day» (``in_force``) and «in force on some day of a range»
(``overlapping``): the one rule for enrolments, group memberships and teaching
assignments. The end date is inclusive; an empty end is open."""

import datetime as dt

import pytest
from django.db.models import OuterRef

from school.models import (
    Enrolment,
    GroupMembership,
    Student,
    in_force_q,
    is_in_force,
    spans_overlap,
)
from tests.factories import EnrolmentFactory, GroupMembershipFactory, SchoolClassFactory

pytestmark = pytest.mark.django_db

START = dt.date(2026, 9, 1)
LAST = dt.date(2026, 12, 30)
DAY = dt.timedelta(days=1)


@pytest.fixture
def closed() -> Enrolment:
    return EnrolmentFactory(start=START, end=LAST)


@pytest.fixture
def open_ended() -> Enrolment:
    return EnrolmentFactory(start=START, end=None)


@pytest.mark.parametrize(
    ("day", "expected"),
    [(START - DAY, False), (START, True), (LAST, True), (LAST + DAY, False)],
    ids=["day-before-first", "first-day", "last-day", "day-after-last"],
)
def test_a_closed_enrolment_is_in_force_from_its_first_to_its_last_day(closed, day, expected):
    assert Enrolment.objects.in_force(day).filter(pk=closed.pk).exists() is expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [(START - DAY, False), (START, True), (dt.date(2027, 5, 26), True)],
    ids=["day-before-first", "first-day", "end-of-year"],
)
def test_an_open_ended_enrolment_is_in_force_from_its_first_day_on(open_ended, day, expected):
    assert Enrolment.objects.in_force(day).filter(pk=open_ended.pk).exists() is expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (START - 10 * DAY, START - DAY, False),
        (START - 10 * DAY, START, True),
        (LAST, LAST + 10 * DAY, True),
        (LAST + DAY, LAST + 10 * DAY, False),
        (LAST + DAY, None, False),
        (START - DAY, None, True),
        (START + DAY, LAST - DAY, True),
    ],
    ids=[
        "ends-the-day-before",
        "ends-on-the-first-day",
        "starts-on-the-last-day",
        "starts-the-day-after",
        "open-range-after",
        "open-range-before",
        "inside",
    ],
)
def test_overlapping_a_closed_enrolment(closed, start, end, expected):
    assert Enrolment.objects.overlapping(start, end).filter(pk=closed.pk).exists() is expected


def test_an_open_ended_enrolment_overlaps_any_range_after_its_start(open_ended):
    far = dt.date(2027, 5, 1)
    assert Enrolment.objects.overlapping(far, far + DAY).filter(pk=open_ended.pk).exists()
    assert not Enrolment.objects.overlapping(START - 5 * DAY, START - DAY).exists()


def test_group_memberships_follow_the_same_rule():
    member = GroupMembershipFactory(start=START, end=LAST)
    in_force = GroupMembership.objects.filter(pk=member.pk).in_force
    assert [in_force(d).exists() for d in (START - DAY, START, LAST, LAST + DAY)] == [
        False,
        True,
        True,
        False,
    ]
    assert member.student.group_memberships.overlapping(LAST, None).exists()


def test_the_day_may_come_from_the_outer_row_and_the_rule_may_cross_a_relation(closed):
    """``in_force(OuterRef(...))`` in a subquery, ``in_force_q(day, prefix)`` over a join."""
    other = SchoolClassFactory(school=closed.school_class.school)
    later = EnrolmentFactory(student=closed.student, school_class=other, start=LAST + DAY)
    assert later.start == LAST + DAY
    firsts = Enrolment.objects.filter(student=closed.student).annotate(
        classes_then=Enrolment.objects.in_force(OuterRef("start"))
        .filter(student=OuterRef("student"))
        .values("school_class_id")[:1]
    )
    assert {e.pk: e.classes_then for e in firsts} == {
        closed.pk: closed.school_class_id,
        later.pk: other.pk,
    }
    students = Student.objects.filter(pk=closed.student_id)
    assert students.filter(
        in_force_q(LAST, "enrolments__"), enrolments__school_class=closed.school_class
    ).exists()
    assert not students.filter(
        in_force_q(LAST + DAY, "enrolments__"), enrolments__school_class=closed.school_class
    ).exists()


@pytest.mark.parametrize(
    ("end", "day", "expected"),
    [
        (LAST, START - DAY, False),
        (LAST, START, True),
        (LAST, LAST, True),
        (LAST, LAST + DAY, False),
        (None, LAST + 100 * DAY, True),
    ],
    ids=["day-before-first", "first-day", "last-day", "day-after-last", "open-ended"],
)
def test_rows_in_memory_follow_the_same_rule(end, day, expected):
    """``is_in_force`` answers as ``in_force`` for rows already loaded (no database)."""
    assert is_in_force(START, end, day) is expected


@pytest.mark.parametrize(
    ("other", "expected"),
    [
        ((START - 10 * DAY, START - DAY), False),
        ((START - 10 * DAY, START), True),
        ((LAST, None), True),
        ((LAST + DAY, None), False),
    ],
)
def test_spans_overlap_in_memory(other, expected):
    assert spans_overlap((START, LAST), other) is expected
    assert spans_overlap(other, (START, LAST)) is expected
    assert spans_overlap((START, None), other) is (other[1] is None or other[1] >= START)

"""What the director and the deputies act from (issue #11, 4) and the class teacher's flag of
the families' absence reports (issue #11, 11): the selectors, the pages, their query budgets
and who sees what."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from diary import selectors as diary_selectors
from diary.models import AbsenceKind, AbsenceReport
from journal import selectors as journal_selectors
from journal import services as journal_services
from journal.models import LessonStatus
from school import selectors as school_selectors
from school.models import Period, PeriodKind, SchoolClass, Student
from tests.journal_pages.support import add_lesson, signed_in
from tests.world import build_world

pytestmark = pytest.mark.django_db


def _report(w, student, *, days_ahead: int = 1, parent: str = "parent") -> AbsenceReport:
    today = w.school.local_today()
    return AbsenceReport.objects.create(
        school=student.school,
        student=student,
        reported_by=w.users[parent],
        start=today + dt.timedelta(days=days_ahead),
        end=today + dt.timedelta(days=days_ahead),
        kind=AbsenceKind.ILLNESS,
        note="Температура",
    )


# --- Journals not filled in --------------------------------------------------------------


def test_a_held_lesson_with_nothing_written_is_not_filled(django_assert_max_num_queries) -> None:
    w = build_world()
    today = w.school.local_today()
    past = today - dt.timedelta(days=2)
    teacher = w.users["teacher"]

    def lesson(number: int, **extra):
        return add_lesson(
            w,
            school_class=w.class_6b,
            subject=w.math,
            teacher=teacher,
            day=past,
            number=number,
            **extra,
        )

    empty = lesson(1)
    lesson(2, status=LessonStatus.PLANNED)  # held by the calendar, never marked conducted
    lesson(3, topic="Дроби")
    marked = lesson(4)
    journal_services.record_mark(actor=teacher, lesson=marked, student=w.child_b, value=4)
    absent = lesson(5)
    journal_services.set_attendance(
        actor=teacher, lesson=absent, student=w.child_b, code="н", expected_version=0
    )
    lesson(6, status=LessonStatus.CANCELLED)
    add_lesson(  # today's: the teacher has the evening to fill it in
        w, school_class=w.class_6b, subject=w.math, teacher=teacher, day=today, number=1
    )
    with django_assert_max_num_queries(3):
        journals = journal_selectors.unfilled_journals(
            w.school.pk, today - dt.timedelta(days=7), today - dt.timedelta(days=1)
        )
    assert [(j.class_name, j.subject, j.teacher, j.lessons) for j in journals] == [
        ("6Б", "Математика", "Кузнецов А. П.", 2)
    ]
    assert journals[0].first == journals[0].last == past
    assert journal_selectors.unfilled_journals(w.other_school.pk, past, past) == []
    assert empty.pk  # the lessons counted are the empty and the planned one


def test_the_director_sees_the_unfilled_journal_with_a_link_to_its_grid() -> None:
    w = build_world()
    past = w.school.local_today() - dt.timedelta(days=3)
    add_lesson(
        w, school_class=w.class_6b, subject=w.math, teacher=w.users["teacher"], day=past, number=1
    )
    grid = reverse("journal:grid", args=[w.class_6b.pk, w.math.pk])
    for role in ("director", "deputy"):
        home = signed_in(role).get(reverse("home")).content.decode()
        overview = signed_in(role).get(reverse("school_overview", args=[w.school.pk]))
        for html in (home, overview.content.decode()):
            assert "Журналы, не заполненные за прошедшую неделю" in html
            assert grid in html and "Кузнецов А. П." in html
    other = signed_in("other_director").get(reverse("home")).content.decode()
    assert grid not in other
    assert "За прошедшую неделю все проведённые уроки заполнены." in other


# --- Absence reports: the class teacher's flag and the leadership's count -----------------


def test_the_class_teacher_sees_new_reports_until_she_marks_them_seen() -> None:
    w = build_world()
    report = _report(w, w.child_a)
    _report(w, w.child_b, parent="other_parent")  # 6Б: not her class
    client = signed_in("classteacher")
    home = client.get(reverse("home")).content.decode()
    assert "5А: новые сообщения родителей о пропусках (1)" in home
    assert "Соколов М. И." in home and "Морозова" not in home
    page_url = reverse("diary:absence_reports", args=[w.class_5a.pk])
    assert page_url in home
    page = client.get(page_url).content.decode()
    assert "новое" in page and "Отметить просмотренными" in page

    response = client.post(
        reverse("diary:absence_reports_seen", args=[w.class_5a.pk]), {"report": [report.pk]}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.seen_at is not None and report.seen_by == w.users["classteacher"]
    home = client.get(reverse("home")).content.decode()
    assert "5А: новых сообщений родителей о пропусках нет" in home


def test_only_the_class_teacher_marks_reports_seen() -> None:
    w = build_world()
    report = _report(w, w.child_a)
    url = reverse("diary:absence_reports_seen", args=[w.class_5a.pk])
    assert signed_in("director").post(url, {"report": [report.pk]}).status_code == 403
    # another class's report id sent to her own class's form changes nothing
    other = _report(w, w.child_b, parent="other_parent")
    signed_in("classteacher").post(url, {"report": [other.pk]})
    other.refresh_from_db()
    report.refresh_from_db()
    assert other.seen_at is None and report.seen_at is None
    director_page = signed_in("director").get(
        reverse("diary:absence_reports", args=[w.class_5a.pk])
    )
    assert "Отметить просмотренными" not in director_page.content.decode()


def test_the_leadership_counts_unseen_reports_per_class_of_its_own_school() -> None:
    w = build_world()
    _report(w, w.child_a)
    _report(w, w.child_a, days_ahead=3)
    old = _report(w, w.child_a, days_ahead=-40)  # about days long past: no longer flagged
    assert old.pk
    html = signed_in("director").get(reverse("school_overview", args=[w.school.pk])).content
    html = html.decode()
    assert "Сообщения родителей о пропусках, не просмотренные классными руководителями" in html
    assert reverse("diary:absence_reports", args=[w.class_5a.pk]) in html
    assert "сообщений: 2 · Белова О. С." in html
    other = signed_in("other_director").get(reverse("home")).content.decode()
    assert reverse("diary:absence_reports", args=[w.class_5a.pk]) not in other


def test_unseen_reports_take_the_class_the_child_was_in_on_those_days(
    django_assert_max_num_queries,
) -> None:
    w = build_world()
    report = _report(w, w.child_a)
    classes = SchoolClass.objects.filter(pk__in=[w.class_5a.pk, w.class_6b.pk])
    with django_assert_max_num_queries(1):
        unseen = diary_selectors.unseen_absence_reports(classes=classes, today=report.start)
    assert [(r.pk, r.class_id) for r in unseen] == [(report.pk, w.class_5a.pk)]
    only_6b = SchoolClass.objects.filter(pk=w.class_6b.pk)
    assert diary_selectors.unseen_absence_reports(classes=only_6b, today=report.start) == []


# --- Periods ---------------------------------------------------------------------------


def test_periods_in_calendar_order_and_the_ones_ending_soon() -> None:
    w = build_world()
    today = w.school.local_today()
    start = w.year.start
    Period.objects.create(
        year=w.year, kind=PeriodKind.HALF_YEAR, number=1, start=start, end=today + dt.timedelta(30)
    )
    Period.objects.create(
        year=w.year, kind=PeriodKind.QUARTER, number=1, start=start, end=start + dt.timedelta(60)
    )
    Period.objects.create(
        year=w.year,
        kind=PeriodKind.QUARTER,
        number=2,
        start=start + dt.timedelta(61),
        end=today + dt.timedelta(10),
    )
    overview = school_selectors.school_overview(w.school, today)
    assert [(p.kind, p.number) for p in overview.periods] == [
        ("quarter", 1),
        ("half_year", 1),
        ("year", 1),
        ("quarter", 2),
    ]
    assert [(p.kind, p.number) for p in overview.ending_periods] == [("quarter", 2)]
    html = signed_in("director").get(reverse("home")).content.decode()
    assert "Периоды, которые заканчиваются в ближайшие две недели" in html
    assert (today + dt.timedelta(10)).strftime("до %d.%m.%Y") in html


# --- Query budgets ---------------------------------------------------------------------


def test_homes_and_overview_stay_within_a_fixed_number_of_queries(
    django_assert_max_num_queries,
) -> None:
    w = build_world()
    past = w.school.local_today() - dt.timedelta(days=2)
    for number in range(1, 7):
        add_lesson(
            w,
            school_class=w.class_6b if number % 2 else w.class_5a,
            subject=w.math if number % 3 else w.russian,
            teacher=w.users["teacher"],
            day=past,
            number=number,
        )
    for index in range(12):
        extra = Student.objects.create(
            school=w.school, last_name=f"Ученик{index}", first_name="Иван", birth_date=past
        )
        extra.enrolments.create(
            school_class=w.class_5a if index % 2 else w.class_6b, start=w.year.start
        )
        AbsenceReport.objects.create(
            school=w.school,
            student=extra,
            reported_by=w.users["parent"],
            start=past,
            end=past,
            kind=AbsenceKind.FAMILY,
        )
    for role, url, budget in [
        ("director", reverse("home"), 18),
        ("deputy", reverse("school_overview", args=[w.school.pk]), 16),
        ("classteacher", reverse("home"), 16),
        ("teacher", reverse("home"), 14),
    ]:
        client = signed_in(role)
        with django_assert_max_num_queries(budget):
            assert client.get(url).status_code == 200, role

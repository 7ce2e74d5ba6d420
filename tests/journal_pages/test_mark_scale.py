"""One list of lesson marks, the school's scale (``School.mark_scale``): what the cell
endpoint accepts, what the lesson page's lists offer and what the grid's keys and help
show are the same values, with and without «1». The browser side (the keys the grid's
script takes) is in tests/browser/test_journal_grid_layout.py."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from school.models import Period, School
from tests.world import build_world

from .support import cell_url, grid_url, signed_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("allow_one", [False, True])
def test_the_endpoint_the_lesson_page_and_the_grid_use_the_schools_scale(allow_one) -> None:
    w = build_world(journal=True)
    School.objects.filter(pk=w.school.pk).update(allow_mark_one=allow_one)
    scale = [5, 4, 3, 2, *([1] if allow_one else [])]
    assert list(School.objects.get(pk=w.school.pk).mark_scale) == scale
    client = signed_in("teacher")

    accepted, version = [], 0
    for digit in "0123456789":
        response = client.post(
            cell_url(w.lesson_6b, w.child_b),
            {"text": digit, "mark_version": version, "attendance_version": 0},
            HTTP_HX_REQUEST="true",
        )
        assert response.status_code in (200, 422), digit
        if response.status_code == 200:
            accepted.append(int(digit))
            version = int(re.search(r'data-mv="(\d+)"', response.content.decode())[1])
    assert sorted(accepted, reverse=True) == scale

    lesson = client.get(reverse("journal:lesson", args=[w.lesson_6b.pk])).content.decode()
    select = re.search(rf'<select id="mark-{w.child_b.pk}-1".*?</select>', lesson, re.S)[0]
    assert re.findall(r'<option value="(\d)"', select) == [str(m) for m in scale]

    grid = client.get(grid_url(w.class_6b, w.math)).content.decode()
    assert re.search(r'data-marks="([^"]*)"', grid)[1].split() == [str(m) for m in scale]
    keys = re.search(r'<dl class="keys">\s*<dt>(.*?)</dt>', grid, re.S)[1]
    assert re.findall(r"<kbd>(\d)</kbd>", keys) == [str(m) for m in scale]
    low = min(scale)
    assert f'data-marks-hint="Отметка — целое число от {low} до 5."' in grid


def test_the_lesson_page_includes_the_reason_only_where_the_field_is() -> None:
    """htmx's hx-include points at «Причина изменения» only on a page that has it (a
    closed period corrected by the director), never at a missing element."""
    w = build_world(journal=True)
    url = reverse("journal:lesson", args=[w.lesson_6b.pk])
    teacher = signed_in("teacher").get(url).content.decode()
    assert 'id="change-reason"' not in teacher and "hx-include" not in teacher
    Period.objects.filter(year=w.year).update(is_locked=True)
    director = signed_in("director").get(url, {"edit": "1"}).content.decode()
    assert 'id="change-reason"' in director
    assert director.count('hx-include="#change-reason"') == director.count("hx-post=")

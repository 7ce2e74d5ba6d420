"""Reads in selectors, writes in services: opening the journal's pages writes nothing (no
settings row, no work types made on the way), whoever opens them."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from journal.models import JournalSettings, WorkType
from tests.world import build_world

pytestmark = pytest.mark.django_db

WRITE = re.compile(r'^\s*(INSERT|UPDATE|DELETE)\b.*?"(\w+)"', re.IGNORECASE | re.DOTALL)


def writes_of(client: Client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    tables = [m.group(2) for q in queries.captured_queries if (m := WRITE.match(q["sql"]))]
    return [t for t in tables if t != "django_session"]


@pytest.mark.parametrize("role", ["teacher", "director"])
def test_journal_pages_write_nothing(role: str) -> None:
    w = build_world(journal=True)
    client = Client()
    client.force_login(w.users[role])
    lesson = reverse("journal:lesson", args=[w.lesson_6b.pk])
    urls = [
        lesson,
        f"{lesson}?edit=1",
        reverse("journal:grid", args=[w.class_6b.pk, w.math.pk]),
        reverse("journal:grid", args=[w.class_6b.pk, w.math.pk]) + "?edit=1",
        reverse("journal:class_journals", args=[w.class_6b.pk]),
        reverse("journal:test_schedule", args=[w.class_6b.pk]),
    ]
    if role == "teacher":
        urls.append(reverse("journal:my_day"))
    for url in urls:
        assert writes_of(client, url) == [], url
    assert not JournalSettings.objects.filter(school=w.school).exists()
    assert not WorkType.objects.filter(school=w.school).exists()

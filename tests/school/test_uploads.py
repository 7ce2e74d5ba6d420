"""Stored file types come from the allowed extension, never from the browser (issue #10,
defect 8): real uploads through the pages and real downloads through every view that hands
files back (the teacher's, the family's diary, the consent scan)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from consent.models import ConsentRecord, Decision, Scope
from journal.models import HomeworkAttachment
from school import uploads
from school.models import Student
from tests.world import World, build_world

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n"
HTML = b"<html><script>alert(document.cookie)</script></html>"


def client_of(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


def give_homework(world: World, name: str, content: bytes, content_type: str):
    return client_of(world, "teacher").post(
        reverse("journal:homework_add", args=[world.lesson_6b.pk]),
        {
            "text": "Прочитать отчёт",
            "due_date": world.lesson_6b.date.isoformat(),
            "files": [SimpleUploadedFile(name, content, content_type)],
        },
    )


def assert_served_as_pdf(response) -> None:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF


def test_a_pdf_sent_as_html_is_stored_and_served_as_pdf() -> None:
    world = build_world(journal=True)
    response = give_homework(world, "отчёт.pdf", PDF, "text/html")
    assert response.status_code == 302
    attachment = HomeworkAttachment.objects.get(original_name="отчёт.pdf")
    assert attachment.content_type == "application/pdf"

    teacher = client_of(world, "teacher").get(reverse("journal:attachment", args=[attachment.pk]))
    assert_served_as_pdf(teacher)
    family = client_of(world, "other_parent").get(
        reverse("diary:attachment", args=[world.child_b.pk, attachment.pk])
    )
    assert_served_as_pdf(family)


def test_html_named_pdf_is_refused() -> None:
    world = build_world(journal=True)
    response = give_homework(world, "отчёт.pdf", HTML, "text/html")
    assert response.status_code == 422
    assert "не похож на файл «.pdf»" in response.content.decode()
    assert not HomeworkAttachment.objects.filter(original_name="отчёт.pdf").exists()


def test_a_type_stored_from_a_browser_earlier_is_not_served() -> None:
    """Rows stored before the rule may carry the browser's type: the views ignore it."""
    world = build_world(journal=True)
    HomeworkAttachment.objects.filter(pk=world.attachment_6b.pk).update(content_type="text/html")
    response = client_of(world, "teacher").get(
        reverse("journal:attachment", args=[world.attachment_6b.pk])
    )
    assert response["Content-Type"] == "application/pdf"


def test_a_consent_scan_is_served_by_its_extension() -> None:
    world = build_world(consent=False)
    mother = world.users["parent"].guardian
    response = client_of(world, "secretary").post(
        reverse("consent:register", args=[mother.pk]),
        {
            "decision": Decision.GIVEN,
            "students": [s.pk for s in Student.objects.filter(kinships__guardian=mother)],
            "scopes": [Scope.PROCESSING, Scope.CABINET],
            "paper_number": "41",
            "paper_date": timezone.localdate().isoformat(),
            "scan": SimpleUploadedFile("заявление.pdf", PDF, "text/html"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    record = ConsentRecord.objects.get(paper_number="41")
    scan = client_of(world, "secretary").get(
        reverse("consent:record_scan", args=[mother.pk, record.pk])
    )
    assert_served_as_pdf(scan)


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("a.pdf", PDF, True),
        ("a.PDF", PDF, True),
        ("a.pdf", HTML, False),
        ("a.png", b"\x89PNG\r\n\x1a\n", True),
        ("a.jpg", b"\xff\xd8\xff\xe0", True),
        ("a.jpg", PDF, False),
        ("a.docx", b"PK\x03\x04", True),
        ("a.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", True),
        ("a.txt", HTML, True),  # plain text has no signature; served as text/plain
        ("a.html", HTML, False),
        ("a", PDF, False),
    ],
)
def test_content_matches_the_extension(name: str, content: bytes, expected: bool) -> None:
    assert uploads.matches_content(SimpleUploadedFile(name, content)) is expected


def test_the_type_comes_from_the_name() -> None:
    assert uploads.content_type_for("x.PDF") == "application/pdf"
    assert uploads.content_type_for("x.txt") == "text/plain"
    assert uploads.content_type_for("x.html") == "application/octet-stream"

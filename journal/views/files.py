"""Homework files, handed out only through the access policy (never a public media URL)."""

from __future__ import annotations

from django.http import FileResponse, HttpRequest
from django.views.decorators.http import require_GET

from journal import access as lesson_access
from school import uploads


@require_GET
def attachment(request: HttpRequest, attachment_id: int) -> FileResponse:
    item = lesson_access.attachment_for_viewer_or_404(request.user, attachment_id)
    return uploads.file_response(item.file.open("rb"), item.original_name)

"""Uploaded files: their type comes from the allowed extension, never from the browser.

Every upload (homework attachments, consent scans) asks ``matches_content`` before it is
stored and stores ``content_type_for(name)``; every view that hands a file back answers
with ``file_response``, which derives the type from the file's name again (rows stored
before this rule may carry a browser's type) and forbids the browser to sniff another."""

from __future__ import annotations

from pathlib import Path
from typing import IO

from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse

OCTET_STREAM = "application/octet-stream"
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")  # also DOCX, XLSX, PPTX and OpenDocument
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)  # DOC, XLS, PPT

# extension -> (the type it is served as, the signatures its content starts with; none:
# no cheap check, e.g. plain text)
FILE_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".pdf": ("application/pdf", (b"%PDF",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".png": ("image/png", (b"\x89PNG",)),
    ".gif": ("image/gif", (b"GIF87a", b"GIF89a")),
    ".webp": ("image/webp", (b"RIFF",)),
    ".mp3": ("audio/mpeg", (b"ID3", b"\xff\xfb", b"\xff\xf3", b"\xff\xf2")),
    ".zip": ("application/zip", _ZIP),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _ZIP,
    ),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _ZIP),
    ".pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        _ZIP,
    ),
    ".odt": ("application/vnd.oasis.opendocument.text", _ZIP),
    ".ods": ("application/vnd.oasis.opendocument.spreadsheet", _ZIP),
    ".odp": ("application/vnd.oasis.opendocument.presentation", _ZIP),
    ".doc": ("application/msword", _OLE),
    ".xls": ("application/vnd.ms-excel", _OLE),
    ".ppt": ("application/vnd.ms-powerpoint", _OLE),
    ".rtf": ("application/rtf", (b"{\\rtf",)),
    ".txt": ("text/plain", ()),
}


def extension(name: str) -> str:
    return Path(name).suffix.lower()


def content_type_for(name: str) -> str:
    """The type a file of this name is stored and served as (unknown: a download)."""
    known = FILE_TYPES.get(extension(name))
    return known[0] if known else OCTET_STREAM


def matches_content(upload: UploadedFile) -> bool:
    """The content starts as its extension promises (where that is cheap to tell); an
    extension this module does not know never matches."""
    known = FILE_TYPES.get(extension(upload.name or ""))
    if known is None:
        return False
    signatures = known[1]
    if not signatures:
        return True
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    return head.startswith(signatures)


def file_response(file: IO[bytes], name: str, *, as_attachment: bool = True) -> FileResponse:
    """A stored file handed out privately, typed by its name, never sniffed."""
    response = FileResponse(
        file, as_attachment=as_attachment, filename=name, content_type=content_type_for(name)
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response

"""File downloads: one place for content types and the Content-Disposition of Chinese file names."""

from typing import Any
from urllib.parse import quote

from django.http import HttpResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
PDF = "application/pdf"
ZIP = "application/zip"


def attachment(data: bytes, filename: str, content_type: str) -> HttpResponse:
    """A download with a UTF-8 file name (RFC 6266/5987), which every current browser honours."""
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def inline_image(photo: Any) -> HttpResponse:
    """A stored photo (core.models.StoredImage) shown in the page: its checked type, never sniffed."""
    response = HttpResponse(bytes(photo.content), content_type=photo.content_type)
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def stored_file(file: Any) -> HttpResponse:
    """A stored document (core.models.StoredFile) downloaded under the name it was uploaded with."""
    return attachment(bytes(file.content), file.filename, file.content_type)

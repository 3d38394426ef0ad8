"""File downloads: one place for content types and the Content-Disposition of Chinese file names."""

from urllib.parse import quote

from django.http import HttpResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"
ZIP = "application/zip"


def attachment(data: bytes, filename: str, content_type: str) -> HttpResponse:
    """A download with a UTF-8 file name (RFC 6266/5987), which every current browser honours."""
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response

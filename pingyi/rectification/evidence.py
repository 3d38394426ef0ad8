"""What may be uploaded as evidence: office documents and PDFs always; photos only where the branch allows them.

The type is read from the file's first bytes, not trusted from its name or the browser's claim.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import EvidenceKind

MAX_BYTES = 5 * 1024 * 1024

# extension -> (magic prefix, content type, kind)
_TYPES: dict[str, tuple[bytes, str, str]] = {
    ".pdf": (b"%PDF-", "application/pdf", EvidenceKind.FILE),
    ".docx": (
        b"PK\x03\x04",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        EvidenceKind.FILE,
    ),
    ".xlsx": (b"PK\x03\x04", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", EvidenceKind.FILE),
    ".doc": (b"\xd0\xcf\x11\xe0", "application/msword", EvidenceKind.FILE),
    ".xls": (b"\xd0\xcf\x11\xe0", "application/vnd.ms-excel", EvidenceKind.FILE),
    ".jpg": (b"\xff\xd8\xff", "image/jpeg", EvidenceKind.PHOTO),
    ".jpeg": (b"\xff\xd8\xff", "image/jpeg", EvidenceKind.PHOTO),
    ".png": (b"\x89PNG\r\n\x1a\n", "image/png", EvidenceKind.PHOTO),
}


@dataclass(frozen=True)
class CheckedUpload:
    filename: str
    content_type: str
    kind: str
    content: bytes


def check_upload(upload: Any, *, photos_allowed: bool) -> CheckedUpload:
    """Read and check one uploaded file; a ValidationError names the file and says what is wrong."""
    name = PurePath(str(upload.name or "")).name[:200]
    ext = PurePath(name).suffix.lower()
    if upload.size > MAX_BYTES:
        raise ValidationError(_("“%(name)s”超过 5 MB，请压缩后再上传。") % {"name": name})
    if ext not in _TYPES:
        raise ValidationError(_("“%(name)s”的类型不支持：请上传 PDF、Word 或 Excel 文件。") % {"name": name})
    magic, content_type, kind = _TYPES[ext]
    if kind == EvidenceKind.PHOTO and not photos_allowed:
        raise ValidationError(_("本支部未开启照片佐证，“%(name)s”不能上传；请改用文字说明或文件。") % {"name": name})
    content = upload.read()
    if not content:
        raise ValidationError(_("“%(name)s”是空文件。") % {"name": name})
    if not content.startswith(magic):
        raise ValidationError(_("“%(name)s”的内容与扩展名不符，可能已损坏。") % {"name": name})
    return CheckedUpload(filename=name, content_type=content_type, kind=kind, content=content)

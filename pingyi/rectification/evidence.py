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


# What phones save pictures as: refused as photos (with the reason), never as "not PDF, Word or Excel".
_PICTURES = {".jpg", ".jpeg", ".png", ".heic", ".heif", ".webp", ".gif"}


def accept(photos_allowed: bool) -> str:
    """The file input's `accept`, so a phone's picker offers what will be taken."""
    return ",".join(ext for ext, (_m, _t, kind) in _TYPES.items() if photos_allowed or kind != EvidenceKind.PHOTO)


def check_upload(upload: Any, *, photos_allowed: bool) -> CheckedUpload:
    """Read and check one uploaded file; a ValidationError names the file and says what is wrong."""
    name = PurePath(str(upload.name or "")).name[:200]
    ext = PurePath(name).suffix.lower()
    if upload.size > MAX_BYTES:
        raise ValidationError(_("“%(name)s”超过 5 MB，请压缩后再上传。") % {"name": name})
    if ext in _PICTURES and not photos_allowed:
        raise ValidationError(
            _(
                "“%(name)s”是照片。按减负要求，照片佐证默认关闭，本支部没有开启；可以只用文字写明整改情况，"
                "或上传 PDF、Word、Excel 文件。需要照片时，请支部书记在“整改设置”中开启。"
            )
            % {"name": name}
        )
    if ext in _PICTURES and ext not in _TYPES:
        raise ValidationError(
            _("“%(name)s”的照片格式不支持：请上传 JPG 或 PNG（可在手机相机设置中选“兼容性最佳”，或截图后上传）。")
            % {"name": name}
        )
    if ext not in _TYPES:
        allowed = _("PDF、Word、Excel 文件或 JPG、PNG 照片") if photos_allowed else _("PDF、Word 或 Excel 文件")
        raise ValidationError(_("“%(name)s”的类型不支持：请上传%(allowed)s。") % {"name": name, "allowed": allowed})
    magic, content_type, kind = _TYPES[ext]
    content = upload.read()
    if not content:
        raise ValidationError(_("“%(name)s”是空文件。") % {"name": name})
    if not content.startswith(magic):
        raise ValidationError(_("“%(name)s”的内容与扩展名不符，可能已损坏。") % {"name": name})
    return CheckedUpload(filename=name, content_type=content_type, kind=kind, content=content)

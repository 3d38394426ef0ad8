"""Documents uploaded to be handed on (study materials): checked by what they contain, not by their name.

    checked = check_attachment(request.FILES["file"])   # ValidationError in Chinese naming the file

The extension says what a file claims to be and its bytes must agree: a .pdf starts with %PDF-, a .docx,
.xlsx or .pptx is a zip holding that format's main part, a picture decodes (and goes through
images.clean_image: re-encoded, its position dropped). Office files are zips, so the archive is checked
before it is kept and handed to members' phones: its directory's declared sizes against caps (a small file
that expands a thousandfold is refused), then every member decompressed a slice at a time, which zipfile
never lets run past the declared size and which fails on a member whose content does not match its
checksum. Nothing is ever written to disk, and at most READ_SLICE is held decompressed at once.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .downloads import DOCX, PDF, PPTX, XLSX
from .images import clean_image

MAX_MEMBERS = 5_000  # parts of one Office file (a long deck with many pictures has a few hundred)
EXPANDED_PER_BYTE = 10  # the archive may expand to this many times the size cap, all parts together
SUSPICIOUS_RATIO = 200  # expanded over compressed, for an archive expanding past SUSPICIOUS_FROM bytes
SUSPICIOUS_FROM = 16 * 2**20
READ_SLICE = 2**20

# extension -> (the part every file of that format holds, content type, what to call it)
OFFICE = {
    ".docx": ("word/document.xml", DOCX, "Word"),
    ".xlsx": ("xl/workbook.xml", XLSX, "Excel"),
    ".pptx": ("ppt/presentation.xml", PPTX, "PowerPoint"),
}
PICTURES = {".jpg", ".jpeg", ".png", ".webp"}
ACCEPT = ".pdf,.docx,.xlsx,.pptx,.jpg,.jpeg,.png,.webp"  # a file input's accept
OLD_OFFICE = {".doc": ".docx", ".xls": ".xlsx", ".ppt": ".pptx", ".wps": ".docx", ".et": ".xlsx"}


@dataclass(frozen=True)
class CheckedFile:
    filename: str
    content_type: str
    content: bytes


def max_bytes() -> int:
    return int(getattr(settings, "PINGYI_ATTACHMENT_MAX_MB", 20)) * 2**20


def check_attachment(upload: Any, *, limit: int | None = None) -> CheckedFile:
    """Check one uploaded PDF, Word, Excel, PowerPoint file or picture; refuse anything else, by name."""
    limit = limit or max_bytes()
    name = _safe_name(upload)
    ext = PurePath(name).suffix.lower()
    too_big = _("“%(name)s”超过 %(mb)d MB，请压缩或拆分后再上传。") % {"name": name, "mb": limit >> 20}
    if ext in OLD_OFFICE:
        raise ValidationError(
            _("“%(name)s”是旧版格式，请用 Office 或 WPS 另存为 %(ext)s 后再上传。")
            % {"name": name, "ext": OLD_OFFICE[ext]}
        )
    if ext != ".pdf" and ext not in OFFICE and ext not in PICTURES:
        raise ValidationError(
            _(
                "“%(name)s”的类型不支持：可以上传 PDF、Word（.docx）、Excel（.xlsx）、"
                "PowerPoint（.pptx）文件或 JPG、PNG 图片。"
            )
            % {"name": name}
        )
    if (getattr(upload, "size", 0) or 0) > limit:
        raise ValidationError(too_big)
    if ext in PICTURES:
        clean = clean_image(upload, max_bytes=limit, max_edge=4096)  # a scanned page stays legible
        return CheckedFile(filename=clean.filename, content_type=clean.content_type, content=clean.content)
    content = upload.read(limit + 1)
    if not content:
        raise ValidationError(_("“%(name)s”是空文件。") % {"name": name})
    if len(content) > limit:
        raise ValidationError(too_big)
    if ext == ".pdf":
        if not content.startswith(b"%PDF-"):
            raise ValidationError(_mismatch(name, "PDF"))
        return CheckedFile(filename=name, content_type=PDF, content=content)
    part, content_type, label = OFFICE[ext]
    if not content.startswith(b"PK\x03\x04"):
        raise ValidationError(_mismatch(name, label))
    check_office_archive(content, name=name, part=part, label=label, limit=limit)
    return CheckedFile(filename=name, content_type=content_type, content=content)


def check_office_archive(data: bytes, *, name: str, part: str, label: str, limit: int) -> None:
    """Refuse an Office file that is not one (no main part), is broken, or would expand like a zip bomb."""
    broken = _("“%(name)s”已损坏，无法打开，请重新保存后再上传。") % {"name": name}
    bomb = _(
        "“%(name)s”解压后过大或压缩比异常，不像是正常的 %(label)s 文件，已拒收。"
        "请用 Office 或 WPS 另存为新文件后再上传。"
    ) % {"name": name, "label": label}
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise ValidationError(broken) from exc
    names = {m.filename for m in members}
    if "[Content_Types].xml" not in names or part not in names:
        raise ValidationError(_mismatch(name, label))
    expanded = sum(m.file_size for m in members)
    if (
        len(members) > MAX_MEMBERS
        or expanded > EXPANDED_PER_BYTE * limit
        or (expanded > SUSPICIOUS_FROM and expanded > SUSPICIOUS_RATIO * len(data))
    ):
        raise ValidationError(bomb)
    for member in members:
        if member.flag_bits & 0x1:  # an encrypted member: nobody could open the file in Office either
            raise ValidationError(broken)
        try:
            with archive.open(member) as stream:
                while stream.read(READ_SLICE):
                    pass
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError) as exc:
            raise ValidationError(broken) from exc


def _mismatch(name: str, label: str) -> str:
    return _("“%(name)s”的内容与扩展名不符，不是真正的 %(label)s 文件（可能已损坏或被改了扩展名）。") % {
        "name": name,
        "label": label,
    }


def _safe_name(upload: Any) -> str:
    """The file's own name without any folder, control characters or quotes; kept for the download."""
    raw = PurePath(str(getattr(upload, "name", "") or "file").replace("\\", "/")).name
    cleaned = "".join(c for c in raw if c.isprintable() and c not in '"<>').strip() or "file"
    stem, ext = PurePath(cleaned).stem, PurePath(cleaned).suffix
    return f"{stem[: 200 - len(ext)]}{ext}"

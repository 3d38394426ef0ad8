"""Uploaded photos, made safe to keep and show: checked by content, turned upright, resized, metadata dropped.

    photo = clean_image(request.FILES["photo"])      # ValidationError in Chinese naming the file

The type comes from decoding the file, never from its name or the browser's claim. The picture is decoded and
encoded again, so whatever rode along in the file (EXIF with the phone's GPS position and serial number, XMP,
comments, a script appended after the image data) is not kept. The orientation tag is applied to the pixels
first, so a phone photo taken upright stays upright without it.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024  # what a phone camera writes, with room
MAX_PIXELS = 40_000_000  # a 40-megapixel picture; beyond it decoding could exhaust memory (a "pixel bomb")
MAX_EDGE = 2048  # long edge kept: enough to read a banner in the picture, a few hundred KB

# Pillow's format -> (content type, extension, save options)
FORMATS: dict[str, tuple[str, str, dict[str, Any]]] = {
    "JPEG": ("image/jpeg", ".jpg", {"quality": 85, "optimize": True}),
    "PNG": ("image/png", ".png", {"optimize": True}),
    "WEBP": ("image/webp", ".webp", {"quality": 85}),
}
ACCEPT = "image/jpeg,image/png,image/webp"  # a file input's accept: a phone's picker offers these


@dataclass(frozen=True)
class CleanImage:
    filename: str
    content_type: str
    content: bytes
    width: int
    height: int

    @property
    def size(self) -> int:
        return len(self.content)


def clean_image(upload: Any, *, max_bytes: int = MAX_BYTES, max_edge: int = MAX_EDGE) -> CleanImage:
    """Check an uploaded file is a JPEG, PNG or WebP picture and return it re-encoded without metadata."""
    name = PurePath(str(getattr(upload, "name", "") or "photo")).name[:150]
    if (getattr(upload, "size", 0) or 0) > max_bytes:
        raise ValidationError(
            _("照片“%(name)s”超过 %(mb)d MB，请换一张小一些的。") % {"name": name, "mb": max_bytes >> 20}
        )
    data = upload.read(max_bytes + 1)
    if not data:
        raise ValidationError(_("照片“%(name)s”是空文件。") % {"name": name})
    if len(data) > max_bytes:
        raise ValidationError(
            _("照片“%(name)s”超过 %(mb)d MB，请换一张小一些的。") % {"name": name, "mb": max_bytes >> 20}
        )
    picture = _decode(data, name)
    content_type, ext, options = FORMATS[picture.format or ""]
    upright = ImageOps.exif_transpose(picture) or picture
    upright.thumbnail((max_edge, max_edge), Image.Resampling.LANCZOS)
    if picture.format == "JPEG" and upright.mode not in ("RGB", "L"):
        upright = upright.convert("RGB")
    out = io.BytesIO()
    # No exif=, icc_profile= or pnginfo=: a fresh encode writes the pixels and nothing else.
    upright.save(out, format=picture.format, **options)
    return CleanImage(
        filename=f"{PurePath(name).stem or 'photo'}{ext}",
        content_type=content_type,
        content=out.getvalue(),
        width=upright.width,
        height=upright.height,
    )


def _decode(data: bytes, name: str) -> Image.Image:
    not_a_picture = _("“%(name)s”不是 JPG、PNG 或 WebP 格式的照片，或者文件已损坏。请重新拍摄或另选一张。") % {
        "name": name
    }
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
            if probe.format not in FORMATS:
                raise ValidationError(not_a_picture)
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationError(
                    _("照片“%(name)s”的像素太多（%(w)d×%(h)d），请换一张小一些的。")
                    % {"name": name, "w": probe.width, "h": probe.height}
                )
            probe.verify()  # checks the structure; the image must be opened again to use it
            picture = Image.open(io.BytesIO(data))
            picture.load()  # decodes every pixel: a truncated file fails here, not when shown
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(not_a_picture) from exc
    except Image.DecompressionBombError as exc:
        raise ValidationError(not_a_picture) from exc
    return picture

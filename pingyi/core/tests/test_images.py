"""Uploaded photos: checked by what they contain, turned upright, resized, and stripped of where they were taken."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from pingyi.core.images import MAX_EDGE, clean_image

GPS = ExifTags.IFD.GPSInfo


def phone_photo(size: tuple[int, int] = (40, 20), orientation: int = 1, fmt: str = "JPEG") -> bytes:
    """A picture as a phone writes it: EXIF with the camera, the GPS position and the orientation tag."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Orientation] = orientation
    exif[GPS] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (30.0, 15.0, 7.5),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (120.0, 9.0, 1.25),
    }
    picture = Image.new("RGB", size, (200, 30, 30))
    picture.paste((20, 20, 200), (0, 0, size[0] // 2, size[1]))  # left half blue, to see the turn
    out = io.BytesIO()
    picture.save(out, format=fmt, exif=exif)
    return out.getvalue()


def upload(data: bytes, name: str = "IMG_0001.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def test_the_crafted_photo_really_carries_gps() -> None:
    """The control: without it, the next test could pass on a photo that never had a position."""
    exif = Image.open(io.BytesIO(phone_photo())).getexif()
    assert exif.get_ifd(GPS)[ExifTags.GPS.GPSLatitudeRef] == "N"


def test_gps_and_every_other_tag_are_gone() -> None:
    clean = clean_image(upload(phone_photo()))
    assert clean.content_type == "image/jpeg" and clean.filename == "IMG_0001.jpg"
    kept = Image.open(io.BytesIO(clean.content))
    assert dict(kept.getexif()) == {} and kept.getexif().get_ifd(GPS) == {}
    assert b"PhoneMaker" not in clean.content and b"Exif" not in clean.content


@pytest.mark.parametrize("fmt,name", [("PNG", "a.png"), ("WEBP", "a.webp")])
def test_png_and_webp_lose_their_metadata_too(fmt: str, name: str) -> None:
    clean = clean_image(upload(phone_photo(fmt=fmt), name))
    kept = Image.open(io.BytesIO(clean.content))
    assert kept.format == fmt and dict(kept.getexif()) == {}
    assert b"PhoneMaker" not in clean.content


def test_a_photo_taken_upright_stays_upright() -> None:
    """Orientation 6 (rotated 90° clockwise) on a 40×20 sensor image: shown as 20×40, left half now on top."""
    clean = clean_image(upload(phone_photo(orientation=6)))
    kept = Image.open(io.BytesIO(clean.content)).convert("RGB")
    assert (clean.width, clean.height) == (20, 40) == kept.size
    top, bottom = kept.getpixel((10, 5)), kept.getpixel((10, 35))
    assert top[2] > 150 and bottom[0] > 150  # blue on top, red below


def test_a_large_photo_is_resized_to_the_long_edge() -> None:
    big = io.BytesIO()
    Image.new("RGB", (4000, 3000), "white").save(big, format="JPEG")
    clean = clean_image(upload(big.getvalue()))
    assert (clean.width, clean.height) == (MAX_EDGE, MAX_EDGE * 3 // 4)


def test_a_file_named_jpg_that_is_not_a_picture_is_refused() -> None:
    with pytest.raises(ValidationError, match=r"“合影\.jpg”不是 JPG、PNG 或 WebP 格式的照片"):
        clean_image(upload(b"<script>alert(1)</script>", "合影.jpg"))


def test_a_gif_is_refused_though_it_is_a_picture() -> None:
    gif = io.BytesIO()
    Image.new("P", (4, 4)).save(gif, format="GIF")
    with pytest.raises(ValidationError, match="不是 JPG、PNG 或 WebP"):
        clean_image(upload(gif.getvalue(), "a.gif"))


def test_a_truncated_photo_is_refused() -> None:
    data = phone_photo((400, 300))
    with pytest.raises(ValidationError, match="文件已损坏"):
        clean_image(upload(data[: len(data) // 2]))


def test_too_many_bytes_or_pixels_are_refused() -> None:
    with pytest.raises(ValidationError, match="超过 1 MB"):
        clean_image(upload(b"\xff\xd8\xff" + b"0" * (1 << 20)), max_bytes=1 << 20)
    bomb = io.BytesIO()
    Image.new("1", (8000, 8000)).save(bomb, format="PNG")  # a few KB on disk, 64 million pixels decoded
    with pytest.raises(ValidationError, match="像素太多"):
        clean_image(upload(bomb.getvalue(), "bomb.png"))


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(ValidationError, match="空文件"):
        clean_image(upload(b""))

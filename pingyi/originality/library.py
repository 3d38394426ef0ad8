"""Reading reference-library files: .txt, .docx, .html, or a .zip of them.

Title and source URL come from the file where it says: an HTML page's <title> and
canonical link; a text file's first line as title and a line starting with 来源/出处/URL
for the address; a .docx's core title or first paragraph. A .zip may carry a
`目录.csv` / `index.csv` (filename, title, url) that overrides them.

A .zip (and a .docx, which is one) is measured from its directory before anything is unpacked: too many
files, or more than MAX_EXPANDED_BYTES once unpacked, is refused at once. Python's zipfile never returns
more than a member's declared size (a member that lies about it fails its CRC check), so what is then
read stays within the declared, checked sizes: a decompression bomb costs neither time nor memory.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import PurePosixPath

from django.utils.translation import gettext as _

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ZIP_MEMBERS = 5000
MAX_EXPANDED_BYTES = 40 * 1024 * 1024  # all the files of one upload once unpacked
READ_SLICE = 256 * 1024
SUFFIXES = {".txt", ".docx", ".html", ".htm"}
_URL = re.compile(r"https?://\S+")
_SOURCE_LINE = re.compile(r"^\s*(来源|出处|原文链接|网址|url|source)\s*[:：]\s*(https?://\S+)", re.IGNORECASE)


class LibraryFileError(ValueError):
    """A file that cannot be read; the message is for the person who uploaded it."""


@dataclass
class LibraryItem:
    filename: str
    title: str
    source_url: str
    text: str


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise LibraryFileError(_("文件不是UTF-8或GB18030编码的文本"))


def _from_txt(name: str, data: bytes) -> LibraryItem:
    lines = _decode(data).splitlines()
    url = ""
    body = []
    for line in lines:
        found = _SOURCE_LINE.match(line)
        if found and not url:
            url = found.group(2)
        else:
            body.append(line)
    title = next((line.strip() for line in body if line.strip()), "")
    return LibraryItem(name, title, url, "\n".join(body).strip())


class _HtmlText(HTMLParser):
    SKIP = {"script", "style", "noscript", "nav", "footer", "header"}
    BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "tr", "section", "article", "blockquote"}

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.title = ""
        self.url = ""
        self._skipping = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in self.SKIP:
            self._skipping += 1
        elif tag == "title":
            self._in_title = True
        elif tag == "link" and values.get("rel") == "canonical" and values.get("href"):
            self.url = values["href"] or ""
        elif tag == "meta" and values.get("property") == "og:url" and not self.url:
            self.url = values.get("content") or ""
        if tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self._skipping:
            self._skipping -= 1
        elif tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data.strip()
        elif not self._skipping:
            self.parts.append(data)


def _from_html(name: str, data: bytes) -> LibraryItem:
    parser = _HtmlText()
    parser.feed(_decode(data))
    text = re.sub(r"\n\s*\n+", "\n", "".join(parser.parts)).strip()
    return LibraryItem(name, parser.title, parser.url if _URL.match(parser.url) else "", text)


def _from_docx(name: str, data: bytes) -> LibraryItem:
    import docx

    try:
        check_archive(zipfile.ZipFile(io.BytesIO(data)), name)
    except zipfile.BadZipFile as exc:
        raise LibraryFileError(_("无法读取这个Word文件（.docx）")) from exc
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several kinds for a broken file
        raise LibraryFileError(_("无法读取这个Word文件（.docx）")) from exc
    paragraphs = [p.text for p in document.paragraphs if p.text.strip()]
    title = document.core_properties.title or (paragraphs[0].strip() if paragraphs else "")
    return LibraryItem(name, title, "", "\n".join(paragraphs))


_READERS = {".txt": _from_txt, ".html": _from_html, ".htm": _from_html, ".docx": _from_docx}


def _one(name: str, data: bytes) -> LibraryItem:
    suffix = PurePosixPath(name).suffix.lower()
    if suffix not in _READERS:
        raise LibraryFileError(_("只能导入.txt、.docx、.html文件或它们的.zip压缩包：%(name)s") % {"name": name})
    item = _READERS[suffix](PurePosixPath(name).name, data)
    item.title = (item.title or PurePosixPath(name).stem)[:200]
    return item


def _zip_index(archive: zipfile.ZipFile) -> dict[str, tuple[str, str]]:
    for candidate in ("目录.csv", "index.csv"):
        if candidate in archive.namelist():
            rows = csv.reader(io.StringIO(_decode(_read_member(archive, archive.getinfo(candidate)))))
            return {r[0].strip(): (r[1].strip(), r[2].strip() if len(r) > 2 else "") for r in rows if len(r) >= 2}
    return {}


def check_archive(archive: zipfile.ZipFile, name: str) -> None:
    """Refuse an archive whose directory promises too many files or too many bytes, before unpacking any."""
    members = archive.infolist()
    if len(members) > MAX_ZIP_MEMBERS:
        raise LibraryFileError(_("压缩包中的文件超过%(n)d个，请拆分后再导入") % {"n": MAX_ZIP_MEMBERS})
    for member in members:
        if member.file_size > MAX_FILE_BYTES:
            raise LibraryFileError(
                _("%(archive)s 中的 %(name)s 解压后超过20MB，请拆分后再导入")
                % {"archive": name, "name": member.filename}
            )
    expanded = sum(member.file_size for member in members)
    if expanded > MAX_EXPANDED_BYTES:
        raise LibraryFileError(
            _("%(name)s 解压后共%(mb)dMB，超过%(limit)dMB，请拆分后再导入")
            % {"name": name, "mb": expanded // (1024 * 1024), "limit": MAX_EXPANDED_BYTES // (1024 * 1024)}
        )


def _read_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bytes:
    """The member's bytes, unpacked a slice at a time: a member that unpacks to more than it declares
    fails its CRC check after at most one slice more than its declared size, never all of it at once."""
    chunks, size = [], 0
    try:
        with archive.open(member) as stream:
            while chunk := stream.read(READ_SLICE):
                size += len(chunk)
                if size > member.file_size:
                    raise zipfile.BadZipFile("longer than declared")
                chunks.append(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:  # a CRC or size that does not match
        raise LibraryFileError(_("压缩包中的文件%(name)s已损坏，无法解压") % {"name": member.filename}) from exc
    return b"".join(chunks)


def read_library_file(name: str, data: bytes, *, title: str = "", source_url: str = "") -> list[LibraryItem]:
    """The texts in one uploaded file; raises LibraryFileError with a message in Chinese."""
    if len(data) > MAX_FILE_BYTES:
        raise LibraryFileError(_("文件超过20MB，请拆分后再导入"))
    if PurePosixPath(name).suffix.lower() != ".zip":
        item = _one(name, data)
        item.title = title or item.title
        item.source_url = source_url or item.source_url
        return [item] if item.text.strip() else []
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise LibraryFileError(_("压缩包已损坏，无法打开")) from exc
    check_archive(archive, name)
    index = _zip_index(archive)
    members = [m for m in archive.infolist() if not m.is_dir() and PurePosixPath(m.filename).suffix.lower() in SUFFIXES]
    items = []
    for member in members:
        item = _one(member.filename, _read_member(archive, member))
        listed = index.get(member.filename) or index.get(PurePosixPath(member.filename).name)
        if listed:
            item.title, item.source_url = listed[0] or item.title, listed[1] or item.source_url
        if item.text.strip():
            items.append(item)
    return items

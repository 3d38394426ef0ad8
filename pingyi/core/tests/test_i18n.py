"""The English catalogue is complete: every translatable string in the code has an English msgstr."""

import gettext
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PO = ROOT / "pingyi" / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def test_every_english_entry_is_translated() -> None:
    catalogue = polib.pofile(str(PO))
    missing = [e.msgid for e in catalogue.untranslated_entries()] + [e.msgid for e in catalogue.fuzzy_entries()]
    assert not missing, f"untranslated in the en catalogue: {missing[:20]}"


def test_compiled_catalogue_matches_the_po_file() -> None:
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for entry in polib.pofile(str(PO)).translated_entries():
        if entry.msgid_plural:
            wanted, got = entry.msgstr_plural[1], compiled.ngettext(entry.msgid, entry.msgid_plural, 2)
        elif entry.msgctxt:
            wanted, got = entry.msgstr, compiled.pgettext(entry.msgctxt, entry.msgid)
        else:
            wanted, got = entry.msgstr, compiled.gettext(entry.msgid)
        if got != wanted:
            stale.append(entry.msgid)
    assert not stale, f"run `make messages`: the .mo differs for {stale[:10]}"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext (CI installs it)")
def test_catalogue_covers_every_string_in_the_code(tmp_path: Path) -> None:
    copy = tmp_path / "src"
    shutil.copytree(ROOT / "pingyi", copy / "pingyi", ignore=shutil.ignore_patterns("__pycache__", "static"))
    shutil.copy(ROOT / "manage.py", copy / "manage.py")
    fresh_po = copy / "pingyi" / "locale" / "en" / "LC_MESSAGES" / "django.po"
    fresh_po.unlink()
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-location"],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    in_code = {e.msgid for e in polib.pofile(str(fresh_po))}
    in_catalogue = {e.msgid for e in polib.pofile(str(PO)) if not e.obsolete}
    missing = sorted(in_code - in_catalogue)
    assert not missing, f"run `make messages` and translate: {missing[:20]}"

"""The English catalogues are complete: every translatable string in the code has an English msgstr.

The project catalogue lives in pingyi/locale; each domain app in settings.DOMAIN_APPS keeps its own
in pingyi/<app>/locale, so `make messages APP=<app>` touches one file.
"""

import gettext
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def _po(base: Path) -> Path:
    return base / "en" / "LC_MESSAGES" / "django.po"


CATALOGUES = [_po(Path(p)) for p in settings.LOCALE_PATHS if _po(Path(p)).exists()]
IDS = [str(po.relative_to(ROOT)) for po in CATALOGUES]


@pytest.mark.parametrize("po", CATALOGUES, ids=IDS)
def test_every_english_entry_is_translated(po: Path) -> None:
    catalogue = polib.pofile(str(po))
    missing = [e.msgid for e in catalogue.untranslated_entries()] + [e.msgid for e in catalogue.fuzzy_entries()]
    assert not missing, f"untranslated in {po}: {missing[:20]}"


@pytest.mark.parametrize("po", CATALOGUES, ids=IDS)
def test_compiled_catalogue_matches_the_po_file(po: Path) -> None:
    with po.with_suffix(".mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for entry in polib.pofile(str(po)).translated_entries():
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
def test_catalogues_cover_every_string_in_the_code(tmp_path: Path) -> None:
    copy = tmp_path / "src"
    shutil.copytree(ROOT / "pingyi", copy / "pingyi", ignore=shutil.ignore_patterns("__pycache__", "static", "*.po"))
    shutil.copy(ROOT / "manage.py", copy / "manage.py")
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-location"],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    missing = []
    for locale_path in settings.LOCALE_PATHS:
        fresh = _po(copy / Path(locale_path).relative_to(ROOT))
        if not fresh.exists():
            continue
        ours = _po(Path(locale_path))
        in_catalogue = {e.msgid for e in polib.pofile(str(ours)) if not e.obsolete} if ours.exists() else set()
        missing += [
            f"{ours.relative_to(ROOT)}: {m}" for m in sorted({e.msgid for e in polib.pofile(str(fresh))} - in_catalogue)
        ]
    assert not missing, f"run `make messages` and translate: {missing[:20]}"

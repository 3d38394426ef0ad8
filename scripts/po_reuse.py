"""Fill an app's English catalogue from translations that already exist elsewhere, then list what is left.

    .venv/bin/python scripts/po_reuse.py talks              # reuse, print untranslated msgids
    .venv/bin/python scripts/po_reuse.py talks new.json     # also apply {msgid: msgstr} from a JSON file

Run `make messages APP=talks` before and after (after: to compile the .mo).
"""

import json
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def _po(app: str) -> Path:
    base = ROOT / "pingyi" / ("locale" if app == "project" else f"{app}/locale")
    return base / "en" / "LC_MESSAGES" / "django.po"


def main(app: str, extra: str | None = None) -> None:
    known: dict[str, str] = {}
    for other in (ROOT / "pingyi").glob("**/locale/en/LC_MESSAGES/django.po"):
        for entry in polib.pofile(str(other)).translated_entries():
            if not entry.msgid_plural and "fuzzy" not in entry.flags:
                known.setdefault(entry.msgid, entry.msgstr)
    if extra:
        known.update(json.loads(Path(extra).read_text(encoding="utf-8")))
    catalogue = polib.pofile(str(_po(app)))
    for entry in catalogue:
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
            entry.msgstr = ""
        if not entry.msgstr and not entry.msgid_plural and entry.msgid in known:
            entry.msgstr = known[entry.msgid]
    catalogue.save()
    left = [e.msgid for e in catalogue if not e.translated() and not e.obsolete]
    print(json.dumps({m: "" for m in left}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main(*sys.argv[1:3])

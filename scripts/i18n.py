"""Fill and compile the translation catalogs (run by `make messages`).

Zhibu's source strings are Simplified Chinese (the UI is Chinese first). This script:

- fills every empty or fuzzy entry of the Traditional Chinese catalog (zh_Hant) by converting
  the Simplified source with OpenCC's Hong Kong table (s2hk), whose characters follow the seed
  document (為, 台 — not 爲, 臺 as the generic s2t table writes them), keeping entries a person
  has translated by hand untouched; an entry that is exactly the old s2t conversion of its source
  was machine-filled, and is converted again;
- leaves the English catalog to its translators (by hand; a test fails while an entry is empty) and
  reports how many English entries are still untranslated;
- compiles every catalog to .mo with polib, so GNU gettext's msgfmt is not needed.

makemessages itself still needs GNU gettext (xgettext) on the developer's machine.
"""

import sys
from pathlib import Path

import polib
from opencc import OpenCC

LOCALE = Path(__file__).resolve().parent.parent / "locale"


def fill_traditional(po_path: Path) -> int:
    convert = OpenCC("s2hk").convert
    generic = OpenCC("s2t").convert
    po = polib.pofile(str(po_path))
    filled = 0
    for entry in po:
        if entry.obsolete:
            continue
        fuzzy = "fuzzy" in entry.flags
        if not entry.msgid_plural and entry.msgstr and entry.msgstr == generic(entry.msgid):
            entry.msgstr = ""  # machine-filled with the generic table: convert again
        if entry.msgid_plural:
            if fuzzy or not any(entry.msgstr_plural.values()):
                entry.msgstr_plural = {0: convert(entry.msgid_plural)}
                filled += 1
        elif fuzzy or not entry.msgstr:
            entry.msgstr = convert(entry.msgid)
            filled += 1
        if fuzzy:
            entry.flags.remove("fuzzy")
    po.save()
    return filled


def compile_all() -> int:
    count = 0
    for po_path in LOCALE.glob("*/LC_MESSAGES/*.po"):
        polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))
        count += 1
    return count


def main() -> int:
    hant = LOCALE / "zh_Hant" / "LC_MESSAGES" / "django.po"
    if hant.exists():
        print(f"zh_Hant: {fill_traditional(hant)} entries filled from the Simplified source")
    english = LOCALE / "en" / "LC_MESSAGES" / "django.po"
    if english.exists():
        todo = [e.msgid for e in polib.pofile(str(english)) if not e.obsolete and not e.translated()]
        print(f"en: {len(todo)} entries to translate by hand" + (f", e.g. {todo[0]!r}" if todo else ""))
    print(f"compiled {compile_all()} catalogs")
    return 0


if __name__ == "__main__":
    sys.exit(main())

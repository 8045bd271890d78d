"""Fill and compile the translation catalogs (run by `make messages`).

Zhibu's source strings are Simplified Chinese (the UI is Chinese first). This script:

- fills every empty or fuzzy entry of the Traditional Chinese catalog (zh_Hant) by converting
  the Simplified source with OpenCC's Taiwan standard (s2tw: 為/著/線/眾, as the seed writes),
  then FIXUPS (臺→台, as the seed writes 台), keeping entries a person has translated by hand
  (non-empty, not fuzzy, and not the machine output of an earlier table, s2t or s2hk) untouched;
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


# Characters where the seed's usage differs from OpenCC's s2tw output.
FIXUPS = str.maketrans({"臺": "台", "爲": "為"})


_S2TW = OpenCC("s2tw").convert


def to_traditional(text: str) -> str:
    return _S2TW(text).translate(FIXUPS)


def fill_traditional(po_path: Path) -> int:
    convert = to_traditional
    # Entries machine-filled by an earlier table (s2t: 爲/臺; s2hk: 着) are re-converted.
    tables = [OpenCC("s2t").convert, OpenCC("s2hk").convert]

    def machine_filled(stored, text):
        return any(stored == t(text) != convert(text) for t in tables)

    po = polib.pofile(str(po_path))
    filled = 0
    for entry in po:
        if entry.obsolete:
            continue
        fuzzy = "fuzzy" in entry.flags
        if entry.msgid_plural:
            machine = machine_filled(entry.msgstr_plural.get(0), entry.msgid_plural)
            if fuzzy or machine or not any(entry.msgstr_plural.values()):
                entry.msgstr_plural = {0: convert(entry.msgid_plural)}
                filled += 1
        elif fuzzy or not entry.msgstr or machine_filled(entry.msgstr, entry.msgid):
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

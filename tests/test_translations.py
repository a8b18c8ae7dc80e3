"""Swedish first: every UI string has a Swedish translation, compiled and committed."""

import shutil
import subprocess
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[1] / "locale"
SV_PO = LOCALE / "sv" / "LC_MESSAGES" / "django.po"


def _entries(po: Path) -> list[tuple[str, str, bool]]:
    """(msgid, msgstr-or-first-plural, fuzzy) for every entry, parsed plainly."""
    entries, msgid, msgstr, fuzzy, field = [], None, "", False, None
    for raw in [*po.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if not line:
            if msgid is not None:
                entries.append((msgid, msgstr, fuzzy))
            msgid, msgstr, fuzzy, field = None, "", False, None
        elif line.startswith("#,"):
            fuzzy = "fuzzy" in line
        elif line.startswith("msgid "):
            msgid, field = line[7:-1], "id"
        elif line.startswith("msgid_plural "):
            field = "plural"
        elif line.startswith(("msgstr ", "msgstr[0] ")):
            msgstr, field = line.split(" ", 1)[1][1:-1], "str"
        elif line.startswith("msgstr["):
            field = None
        elif line.startswith('"') and field == "id":
            msgid += line[1:-1]
        elif line.startswith('"') and field == "str":
            msgstr += line[1:-1]
    return [e for e in entries if e[0]]


def test_every_string_has_a_swedish_translation():
    untranslated = [msgid for msgid, msgstr, _ in _entries(SV_PO) if not msgstr]
    assert untranslated == []


def test_no_fuzzy_translations():
    assert [msgid for msgid, _, fuzzy in _entries(SV_PO) if fuzzy] == []


@pytest.mark.parametrize("language", ["sv", "en"])
def test_compiled_catalogue_is_up_to_date(language, tmp_path):
    if shutil.which("msgfmt") is None:
        pytest.fail("msgfmt (GNU gettext) is needed: apt-get install gettext")
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", str(fresh), str(po)], check=True)
    assert fresh.read_bytes() == po.with_suffix(".mo").read_bytes(), (
        "Run `make messages` and commit the .mo files"
    )

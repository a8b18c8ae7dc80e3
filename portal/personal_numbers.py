"""No personal identity numbers in the portal (issue 16, item 5).

The portal holds staff data only and never data about children (DESIGN.md,
"Records, law and trust"). A Swedish personal identity number (personnummer)
or coordination number (samordningsnummer) in a minutes text, a risk or an
uploaded file is almost always a child's, so it is refused with a message
that says why, instead of being stored.

One detector (`find`), used in three places:

- **every form** of the project, through one hook on Django's
  `BaseForm.full_clean` installed by `PortalConfig.ready()` (`install`):
  after a form's own cleaning, each free-text field's cleaned value is
  scanned, and a number found becomes that field's error, so the form is
  invalid and the view writes nothing. No form has to remember a mixin: a
  new form is guarded as it is written. `tests/portal/test_personal_numbers.py`
  walks every form class of the project's apps and fails for one that opts
  out (`allows_personal_numbers`) without being listed there, or that
  overrides `full_clean` without calling the hooked one;
- **every upload**, in `portal.uploads.validate_upload` (`refuse_in_file`):
  the text of a PDF's text layer and of Word, Excel, PowerPoint and
  OpenDocument files, and the file's name;
- the **research API** (`research/api.py`) takes no text: it is read-only
  (the same test fails if an operation other than GET is added).

The minutes import (`governance.imports`) reads old minutes that may hold
numbers and masks them itself before anything is shown or saved; its review
form is guarded like any other, so a number typed into the review is refused.

A candidate is a run of 10 or 12 digits (YYMMDD[-+]NNNN, YYYYMMDD[-+]NNNN,
with or without the separator) that the `personnummer` library accepts: a
real date (a coordination number's day plus 60) and a valid Luhn check
digit. So dates (2026-12-07), phone numbers written with spaces or a
dash (070-123 45 67), diary numbers (RS 2026/1234), organisation numbers
(their third digit is 2 or more: no month) and amounts (1 234 567 kr) pass.
"""

from __future__ import annotations

import html
import io
import logging
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from personnummer import personnummer

logger = logging.getLogger(__name__)

# 10 or 12 digits with an optional separator before the last four, not part
# of a longer run of digits. The century, when given, is 18, 19 or 20.
_CANDIDATE = re.compile(
    r"(?<!\d)(?P<century>1[89]|20)?(?P<date>\d{6})(?P<sep>[-+\u2010\u2011\u2013]?)(?P<last>\d{4})(?!\d)"
)

TEXT_MESSAGE = _(
    "The text seems to contain a personal identity number. The portal may not hold "
    "personal data about children — remove the number."
)
FILE_MESSAGE = _(
    "The file seems to contain a personal identity number. The portal may not hold "
    "personal data about children — remove the number and upload the file again."
)
CODE = "personal_identity_number"

# Form fields that are not scanned: they hold no free text of the user's
# (a password, a hidden token) or hold what only looks like a number of
# someone born in the 2000s (a mobile number written without spaces,
# 0701011234, is a valid personnummer of 1 January 2007 one time in ten).
_NOT_SCANNED_WIDGETS = (forms.PasswordInput, forms.HiddenInput, forms.MultipleHiddenInput)
_NOT_SCANNED_NAME = re.compile(r"(^|_)phone$")


def find(text: str) -> list[str]:
    """The personal identity or coordination numbers in `text`, as written."""
    if not text or not any(char.isdigit() for char in text):
        return []
    found = []
    for match in _CANDIDATE.finditer(text):
        digits = (match["century"] or "") + match["date"] + match["last"]
        if personnummer.valid(digits):
            found.append(match[0])
    return found


def contains(value: Any) -> bool:
    """Whether `value` (a string, or a list or dict of them, as a JSON field
    cleans to) holds a personal identity number anywhere."""
    return any(find(text) for text in _strings(value))


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            yield from _strings(item)


# Forms ---------------------------------------------------------------------------------


def scanned_fields(form: forms.BaseForm) -> list[str]:
    """The names of the form's free-text fields, which the guard scans."""
    return [
        name
        for name, field in form.fields.items()
        if isinstance(field, forms.CharField)
        and not isinstance(field.widget, _NOT_SCANNED_WIDGETS)
        and not _NOT_SCANNED_NAME.search(name)
    ]


def refuse_in_form(form: forms.BaseForm) -> None:
    """Add the refusal to each free-text field of a cleaned form that holds
    a personal identity number (which makes the form invalid)."""
    if getattr(form, "allows_personal_numbers", False):
        return
    cleaned = getattr(form, "cleaned_data", None)
    if not cleaned:
        return
    for name in scanned_fields(form):
        if name in cleaned and contains(cleaned[name]):
            form.add_error(name, ValidationError(TEXT_MESSAGE, code=CODE))


_ORIGINAL_FULL_CLEAN: Callable[[forms.BaseForm], None] | None = None


def _guarded_full_clean(self: forms.BaseForm) -> None:
    assert _ORIGINAL_FULL_CLEAN is not None
    _ORIGINAL_FULL_CLEAN(self)
    if self.is_bound:
        refuse_in_form(self)


_guarded_full_clean.personal_number_guard = True  # type: ignore[attr-defined]


def install() -> None:
    """Hook the guard into every form's cleaning (`PortalConfig.ready`). Once."""
    global _ORIGINAL_FULL_CLEAN
    if is_installed():
        return
    _ORIGINAL_FULL_CLEAN = forms.BaseForm.full_clean
    forms.BaseForm.full_clean = _guarded_full_clean  # type: ignore[method-assign]


def is_installed() -> bool:
    return bool(getattr(forms.BaseForm.full_clean, "personal_number_guard", False))


# Uploads -------------------------------------------------------------------------------

# Text is read from at most this many bytes of a file's unpacked parts: an
# office file is a zip archive, and a small one can unpack to gigabytes.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
# The parts of office files that hold their text (and headers, footers,
# notes, comments and the cells of spreadsheets).
_OFFICE_PARTS = re.compile(
    r"^(word/(document|header\d*|footer\d*|footnotes|endnotes|comments)\.xml"
    r"|xl/(sharedStrings|worksheets/sheet\d+|comments\d*)\.xml"
    r"|ppt/(slides/slide\d+|notesSlides/notesSlide\d+)\.xml"
    r"|content\.xml|styles\.xml)$"
)
# Where one paragraph, cell or line ends and the next begins: a break, so
# that the digits of two cells do not run together into one number.
_BREAKS = re.compile(
    r"</(?:w:p|w:tc|si|c|row|text:p|text:h|table:table-cell|a:p)>|<(?:w:tab|w:br|w:cr|text:tab|text:line-break)\b[^>]*/?>"
)
_TAGS = re.compile(r"<[^>]*>")
TEXT_EXTENSIONS = frozenset({"txt", "md", "csv"})
OFFICE_EXTENSIONS = frozenset({"docx", "xlsx", "pptx", "odt", "ods", "odp"})


def _office_text(data: bytes) -> Iterator[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        budget = MAX_UNPACKED_BYTES
        for info in archive.infolist():
            if not _OFFICE_PARTS.match(info.filename) or info.file_size > budget:
                continue
            with archive.open(info) as part:
                xml = part.read(budget + 1)[:budget]
            budget -= len(xml)
            text = _BREAKS.sub("\n", xml.decode("utf-8", errors="replace"))
            yield html.unescape(_TAGS.sub("", text))


def _pdf_text(data: bytes) -> Iterator[str]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        reader.decrypt("")
    for page in reader.pages:
        yield page.extract_text() or ""


def file_text(data: bytes, extension: str) -> Iterable[str]:
    """The text of a file of a type the portal reads text from (PDF, office
    files, plain text), piece by piece; nothing for other types (images)."""
    extension = extension.lower()
    if extension == "pdf":
        return _pdf_text(data)
    if extension in OFFICE_EXTENSIONS:
        return _office_text(data)
    if extension in TEXT_EXTENSIONS:
        return [data.decode("utf-8", errors="replace")]
    return []


def file_contains(data: bytes, extension: str) -> bool:
    """Whether the file's text holds a personal identity number. A file whose
    text cannot be read (damaged, or encrypted with a password) is not
    refused for that here: the type check has accepted it, and nothing in it
    can be read by the portal either."""
    try:
        return any(find(text) for text in file_text(data, extension))
    except Exception:  # a damaged file fails its readers in many ways
        logger.info("Could not read the text of a .%s upload to scan it", extension)
        return False


def refuse_in_file(data: bytes, *, name: str, extension: str, field: str = "file") -> None:
    """Refuse an upload (a ValidationError on `field`) whose name or text
    holds a personal identity number."""
    if find(name) or file_contains(data, extension):
        raise ValidationError({field: ValidationError(FILE_MESSAGE, code=CODE)})

"""Form fields of the records' registry (issue 16): a diary number
(diarienummer) on meetings, decisions and meeting documents, and secrecy
(sekretess, with the provision of the secrecy act) on meeting documents and
agenda items. The models check the same (`governance.models.Secrecy`,
`diary_number_field`); the forms say it next to the field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from governance.models import DIARY_NUMBER_MAX_LENGTH, Meeting

DIARY_VALIDATORS = Meeting._meta.get_field("diary_number").validators


def diary_number_field() -> forms.CharField:
    return forms.CharField(
        label=_("Diary number (diarienummer)"),
        max_length=DIARY_NUMBER_MAX_LENGTH,
        required=False,
        validators=list(DIARY_VALIDATORS),
        help_text=_("Optional, as the registry (registratur) gave it, e.g. “RS 2026/1234”."),
    )


def secret_field() -> forms.BooleanField:
    return forms.BooleanField(
        label=_("Secret (sekretess)"),
        required=False,
        help_text=_(
            "Only the members of the meeting's body and the process leaders can read it; "
            "everyone else, the notice, the PDFs, the public site and the research exports "
            "show “Sekretessbelagd handling”. Each reading is logged."
        ),
    )


def secrecy_reference_field() -> forms.CharField:
    return forms.CharField(
        label=_("Secrecy provision (OSL)"),
        max_length=100,
        required=False,
        help_text=_("Required when secret, e.g. “OSL 21 kap. 1 §”."),
    )


def clean_secrecy(form: forms.Form, cleaned: dict[str, Any]) -> dict[str, Any]:
    """A secret one needs its provision; one not secret has none."""
    if "secret" not in form.fields:
        return cleaned
    reference = (cleaned.get("secrecy_reference") or "").strip()
    if cleaned.get("secret"):
        if not reference and "secrecy_reference" not in form.errors:
            form.add_error(
                "secrecy_reference",
                _("Give the provision of the secrecy act (OSL) that makes it secret."),
            )
        cleaned["secrecy_reference"] = reference
    else:
        cleaned["secret"] = False
        cleaned["secrecy_reference"] = ""
    return cleaned

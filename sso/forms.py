from __future__ import annotations

from django import forms

from portal.forms import VersionedForm
from sso.models import ProgrammeSsoPolicy


class PolicyForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = ProgrammeSsoPolicy
        fields = ["require_sso"]

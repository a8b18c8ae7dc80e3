"""Forms of the public site's members' pages: the site's settings and a
consent to public contact details. They never write: the views hand
`cleaned_data` to public/services/site.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from portal import dates
from portal.dates import DateInput
from portal.forms import VersionedForm
from portal.models import Tenant
from public.models import ContactConsent, PublicSite


class PublicSiteForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = PublicSite
        fields = ["enabled", "show_decisions", "introduction", "contact_email"]
        widgets = {"introduction": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, data: Any = None, *, tenant: Tenant, instance: PublicSite | None) -> None:
        # A copy: the view hands the unchanged original to the service (before/after).
        site = (
            PublicSite(tenant=tenant)
            if instance is None
            else PublicSite(
                **{
                    f.attname: getattr(instance, f.attname)
                    for f in PublicSite._meta.concrete_fields
                }
            )
        )
        super().__init__(data, instance=site)


class ConsentForm(forms.ModelForm):
    given_on = dates.DateField(label=_("given on"), widget=DateInput())

    class Meta:
        model = ContactConsent
        fields = ["show_title", "show_email", "show_phone", "given_on", "how"]

    def __init__(self, data: Any = None, *, tenant: Tenant, **kwargs: Any) -> None:
        super().__init__(data, instance=ContactConsent(tenant=tenant), **kwargs)
        self.fields["how"].widget.attrs["data-autofocus"] = ""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not any(cleaned.get(name) for name in ("show_title", "show_email", "show_phone")):
            raise forms.ValidationError(_("Choose at least one detail the consent covers."))
        return cleaned

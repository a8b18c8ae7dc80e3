"""Forms for the portal app, and the form renderer every form in the portal uses."""

from __future__ import annotations

from django.forms.renderers import TemplatesSetting


class PortalFormRenderer(TemplatesSetting):
    """Renders every field inside `.field` with its label, help and errors linked."""

    form_template_name = "forms/div.html"
    field_template_name = "forms/field.html"

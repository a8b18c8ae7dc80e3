"""Members' pages of the public site (issue 15, items 1 and 2), under
/<tenant_slug>/offentlig/:

- the site's settings, for the programme's administrators
  (`portal.manage_members`): switching it on, publishing decisions, the
  introduction and the contact address;
- the consents to public contact details, for process leaders and
  administrators (`portal.manage_people`): recorded and withdrawn, never
  deleted;
- the preview of a good example as its public page will show it, for those
  who publish examples (`implementation.edit`).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from implementation.access import get_example_for
from portal.access import get_person_for
from portal.confirm import Confirm, render_confirm, said
from portal.forms import ConfirmForm
from portal.htmx import form_data, render_page, require_GET_or_POST, show_refusal, to_page
from portal.models import Person
from portal.services import DomainError
from portal.tenancy import TenantRequest, get_for_tenant, require
from public import selectors
from public.forms import ConsentForm, PublicSiteForm
from public.models import ContactConsent, PublicSite
from public.services import site as services

MANAGE_SITE = "portal.manage_members"
MANAGE_CONSENTS = "portal.manage_people"


def _site_of(request: TenantRequest) -> PublicSite | None:
    return PublicSite.objects.filter(tenant=request.tenant).first()


@require_GET_or_POST
def site_settings(request: TenantRequest, tenant_slug: str) -> HttpResponse:
    """Switch the public site on or off and say what it shows. The row is
    made on the first save."""
    require(request, MANAGE_SITE)
    site = _site_of(request)
    form = PublicSiteForm(form_data(request), tenant=request.tenant, instance=site)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.site_save(
                actor=request.user, tenant=request.tenant, **form.cleaned_data
            )
        except (DomainError, ValidationError) as error:
            show_refusal(form, error)
        else:
            url = reverse("public_admin:settings", args=[request.tenant.slug])
            message = (
                _("Saved. The public site is on.")
                if saved.enabled
                else _("Saved. The public site is off: its pages answer “not found”.")
            )
            return to_page(request, url, message)
    context = {"form": form, "site": site}
    return render_page(request, "public/admin/site_settings.html", context, partial="form")


def _consent_list_url(request: TenantRequest) -> str:
    return reverse("public_admin:consents", args=[request.tenant.slug])


@require_GET
def consent_list(request: TenantRequest, tenant_slug: str) -> HttpResponse:
    """The programme's people with their consent: given (and to what) or not."""
    require(request, MANAGE_CONSENTS)
    active = ContactConsent.objects.filter(withdrawn_at__isnull=True).select_related("recorded_by")
    people = (
        Person.objects.filter(tenant=request.tenant, archived_at__isnull=True)
        .select_related("principal")
        .prefetch_related(Prefetch("contact_consents", active, to_attr="active_consents"))
        .order_by("principal__name", "name", "pk")
    )
    site = _site_of(request)
    context = {"people": list(people), "site": site}
    return render_page(request, "public/admin/consent_list.html", context, partial="listing")


@require_GET_or_POST
def consent_add(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    """Record a person's consent: which details, when and how it was given."""
    person = get_person_for(request, pk, write=True)
    form = ConsentForm(form_data(request), tenant=request.tenant)
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_record(actor=request.user, person=person, **form.cleaned_data)
        except (DomainError, ValidationError) as error:
            show_refusal(form, error)
        else:
            message = _("Recorded the consent of %(name)s.") % {"name": person.name}
            return to_page(request, _consent_list_url(request), message)
    context = {"form": form, "person": person}
    return render_page(request, "public/admin/consent_add.html", context, partial="form")


@require_GET_or_POST
def consent_withdraw(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    """Withdraw a consent, after a confirmation. It stays for the record."""
    require(request, MANAGE_CONSENTS)
    consent: ContactConsent = get_for_tenant(
        request,
        ContactConsent.objects.filter(withdrawn_at__isnull=True).select_related("person"),
        pk=pk,
    )
    form = ConfirmForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_withdraw(actor=request.user, consent=consent)
        except DomainError as error:
            show_refusal(form, error)
        else:
            message = _(
                "Withdrew the consent of %(name)s. Their details are gone from the public site."
            ) % {"name": consent.person.name}
            return to_page(request, _consent_list_url(request), message)
    name = consent.person.name
    confirm = Confirm(
        title=_("Withdraw the consent of %(name)s") % {"name": name},
        heading=said(_("Withdraw the consent of %(name)s?"), name=name),
        action=reverse("public_admin:consent_withdraw", args=[request.tenant.slug, consent.pk]),
        button=_("Withdraw the consent"),
        button_more=name,
        cancel_url=_consent_list_url(request),
        text=_(
            "Their contact details leave every page of the public site at once. The consent "
            "is kept for the record, marked as withdrawn."
        ),
    )
    return render_confirm(request, confirm, form)


@require_GET
def example_preview(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    """A good example, published or not, exactly as its public page shows it
    (the same template fragment and the same consents)."""
    example = get_example_for(request, pk, write=True)
    site = _site_of(request) or PublicSite(tenant=request.tenant)
    context = {"example": selectors.example_preview(site, example), "site": site}
    return render_page(request, "public/admin/example_preview.html", context, partial="preview")


urlpatterns: list[URLPattern] = [
    path("", site_settings, name="settings"),
    path("samtycken/", consent_list, name="consents"),
    path("samtycken/ny/<int:pk>/", consent_add, name="consent_add"),
    path("samtycken/<int:pk>/aterkalla/", consent_withdraw, name="consent_withdraw"),
    path("forhandsgranska/exempel/<int:pk>/", example_preview, name="example_preview"),
]

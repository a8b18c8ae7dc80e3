"""Good examples, and the page per principal where anyone in the programme
clicks through the principals and sees each one's examples, appointed people,
current step and ongoing work.

Process leaders write and publish examples (`implementation.edit`). Published
examples are for everyone; unpublished ones only for process leaders and the
principal's reporters — others get 404, as if they did not exist.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from implementation.access import get_entry_for, get_example_for
from implementation.forms.examples import ExampleForm
from implementation.models import GoodExample, WellbeingArea
from implementation.selectors import examples as selectors
from implementation.selectors.goals import entries
from implementation.services import catalogue
from implementation.services import examples as services
from implementation.views import confirms
from implementation.views.common import ensure_staircase
from portal.access import get_principal_for
from portal.confirm import render_confirm
from portal.forms import ConfirmForm
from portal.htmx import (
    form_data,
    render_changed,
    render_page,
    require_GET_or_POST,
    show_refusal,
    to_page,
)
from portal.selectors import active_principals
from portal.services import DomainError
from portal.tenancy import TenantRequest, require


def _detail_url(request: TenantRequest, example: GoodExample) -> str:
    return reverse("implementation:example_detail", args=[request.tenant.slug, example.pk])


@require_GET
def example_list(request: TenantRequest, tenant_slug: str) -> HttpResponse:
    """The examples, grouped by principal; `?area=<id>` shows those of one
    wellbeing area, `?status=pagaende|avslutat` those ongoing or finished."""
    require(request, "implementation.view")
    catalogue.ensure_defaults(request.tenant)
    area = None
    if (area_id := request.GET.get("area", "")).isdigit():
        area = get_entry_for(request, int(area_id), model=WellbeingArea)
    status = request.GET.get("status", "")
    context = {
        "examples": selectors.filtered_examples(
            tenant=request.tenant,
            membership=request.membership,
            area=area,
            status=status if status in ("pagaende", "avslutat") else "",
        ),
        "areas": entries(tenant=request.tenant, model=WellbeingArea),
        "chosen_area": area,
        "chosen_status": status,
        "principals": active_principals(tenant=request.tenant),
    }
    return render_page(request, "implementation/example_list.html", context, partial="listing")


@require_GET
def example_detail(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    example = get_example_for(request, pk)
    return render_page(
        request, "implementation/example_detail.html", {"example": example}, partial="example"
    )


@require_GET
def example_principal(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    """One principal's examples, people and ongoing work, with the others a click away."""
    require(request, "implementation.view")
    principal = get_principal_for(request, pk)
    page = selectors.principal_page(
        tenant=request.tenant,
        membership=request.membership,
        principal=principal,
        on=timezone.localdate(),
    )
    return render_page(
        request, "implementation/example_principal.html", {"page": page}, partial="principal"
    )


@require_GET_or_POST
def example_add(request: TenantRequest, tenant_slug: str) -> HttpResponse:
    """`?principal=<id>` preselects (the principal page links here)."""
    require(request, "implementation.edit")
    catalogue.ensure_defaults(request.tenant)
    initial = {}
    if (principal_id := request.GET.get("principal", "")).isdigit():
        initial["principal"] = get_principal_for(request, int(principal_id)).pk
    form = ExampleForm(
        form_data(request),
        tenant=request.tenant,
        staircase=ensure_staircase(request),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            example = services.example_create(
                actor=request.user, tenant=request.tenant, **form.cleaned_data
            )
        except (DomainError, ValidationError) as error:
            show_refusal(form, error)
        else:
            message = _("Added the good example “%(title)s”. It is not published yet.") % {
                "title": example.title
            }
            return to_page(request, _detail_url(request, example), message)
    return render_page(request, "implementation/example_add.html", {"form": form}, partial="form")


@require_GET_or_POST
def example_edit(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    example = get_example_for(request, pk, write=True)
    form = ExampleForm(
        form_data(request),
        tenant=request.tenant,
        staircase=ensure_staircase(request),
        example=example,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.example_update(actor=request.user, example=example, **form.cleaned_data)
        except (DomainError, ValidationError) as error:
            show_refusal(form, error)
        else:
            return to_page(request, _detail_url(request, example), _("Saved the good example."))
    context = {"form": form, "example": example}
    return render_page(request, "implementation/example_edit.html", context, partial="form")


@require_POST
def example_publish(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    """Publish (`published=1`) or withdraw (`published=0`) an example."""
    example = get_example_for(request, pk, write=True)
    published = request.POST.get("published") == "1"
    services.example_set_published(actor=request.user, example=example, published=published)
    if request.htmx:
        refreshed = get_example_for(request, example.pk)
        return render_changed(
            request,
            "implementation/example_detail.html#publishing",
            {"example": refreshed},
            event="exampleChanged",
            obj=example,
            action="publish" if published else "withdraw",
        )
    if published:
        message = _("Published the good example. Everyone in the programme can read it.")
    else:
        message = _("Withdrew the good example. Only process leaders and its principal see it.")
    return to_page(request, _detail_url(request, example), message)


@require_GET_or_POST
def example_archive(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    example = get_example_for(request, pk, write=True)
    form = ConfirmForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        services.example_set_archived(actor=request.user, example=example, archived=True)
        url = reverse("implementation:example_list", args=[request.tenant.slug])
        message = _("Archived the good example “%(title)s”.") % {"title": example.title}
        return to_page(request, url, message)
    return render_confirm(request, confirms.example_archive(request, example), form)


urlpatterns = [
    path("examples/", example_list, name="example_list"),
    path("examples/new/", example_add, name="example_add"),
    path("examples/principals/<int:pk>/", example_principal, name="example_principal"),
    path("examples/<int:pk>/", example_detail, name="example_detail"),
    path("examples/<int:pk>/edit/", example_edit, name="example_edit"),
    path("examples/<int:pk>/publish/", example_publish, name="example_publish"),
    path("examples/<int:pk>/archive/", example_archive, name="example_archive"),
]

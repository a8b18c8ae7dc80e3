"""Posters for staff rooms (issue 15, item 3): an A4 PDF of a principal or a
published good example, with a QR code (segno) to its page on the
programme's public site, made by the document machinery
(portal/documents/registry.py) and registered in `PublicConfig.ready()`.

* "principal_poster" — a principal that is not archived;
* "example_poster" — a published good example (not archived, of a principal
  that is not archived).

Process leaders ask for them, on the principal's and the example's pages.
Only while the programme's public site is on: otherwise the QR code would
lead to a 404, so the kind's `check` refuses (403) and the pages offer
nothing. The QR code holds the page's absolute address on PORTAL_BASE_URL
(`feeds_data.absolute_url`): the task has no request to take it from.
"""

from __future__ import annotations

from typing import Any

import segno
from django.urls import reverse
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext_lazy as _

from implementation.models import GoodExample
from portal.documents import registry as documents
from portal.models import Membership, Principal, Tenant
from public import feeds_data

POSTER_TEMPLATE = "public/pdf/poster.html"
TEXT_CHARS = 700


def qr_data_uri(url: str) -> str:
    """The QR code of `url` as an SVG `data:` URI (vector: sharp in print).
    Error correction "M" survives a worn or creased poster."""
    return str(segno.make(url, error="m", micro=False).svg_data_uri(scale=10, border=4))


def _poster_context(*, public_url: str, text: str, kicker: str) -> dict[str, Any]:
    return {
        "public_url": public_url,
        "qr_code": qr_data_uri(public_url),
        "text": Truncator(text).chars(TEXT_CHARS),
        "kicker": kicker,
        "draft": False,
    }


# The principal's poster ------------------------------------------------------------


def principal_public_url(principal: Principal) -> str:
    return feeds_data.absolute_url(
        reverse("public:principal", args=[principal.tenant.slug, principal.pk])
    )


def _load_principal(tenant: Tenant, pk: int) -> Principal | None:
    return Principal.objects.filter(tenant=tenant, pk=pk).select_related("tenant").first()


def _principal_shown(membership: Membership | None, principal: Principal) -> bool:
    return principal.archived_at is None and feeds_data.site_is_on(principal.tenant)


def _principal_context(principal: Principal) -> dict[str, Any]:
    count = feeds_data.published_examples(principal.tenant).filter(principal=principal).count()
    text = str(
        _(
            "How %(principal)s works for the children's best in %(programme)s: "
            "its good examples, where it stands on the staircase, and whom to contact."
        )
        % {"principal": principal.name, "programme": principal.tenant.name}
    )
    return {
        "principal": principal,
        "example_count": count,
        **_poster_context(
            public_url=principal_public_url(principal), text=text, kicker=str(_("Principal"))
        ),
    }


PRINCIPAL_POSTER = documents.PdfDocument(
    key="principal_poster",
    label=_("Poster"),
    model=Principal,
    # Publishing is the process leaders' work.
    rule="governance.edit",
    check=_principal_shown,
    load=_load_principal,
    template=POSTER_TEMPLATE,
    context=_principal_context,
    filename=lambda principal: f"affisch-{slugify(principal.name) or principal.pk}.pdf",
    title=lambda principal: principal.name,
    url=lambda principal: reverse(
        "portal:principal_detail", args=[principal.tenant.slug, principal.pk]
    ),
)


# The good example's poster ---------------------------------------------------------


def example_public_url(example: GoodExample) -> str:
    return feeds_data.absolute_url(
        reverse("public:example", args=[example.tenant.slug, example.pk])
    )


def _load_example(tenant: Tenant, pk: int) -> GoodExample | None:
    return (
        GoodExample.objects.filter(tenant=tenant, pk=pk)
        .select_related("tenant", "principal")
        .first()
    )


def _example_shown(membership: Membership | None, example: GoodExample) -> bool:
    return feeds_data.is_public_example(example) and feeds_data.site_is_on(example.tenant)


def _example_context(example: GoodExample) -> dict[str, Any]:
    return {
        "example": example,
        **_poster_context(
            public_url=example_public_url(example),
            text=example.description,
            kicker=str(_("Good example from %(principal)s") % {"principal": example.principal}),
        ),
    }


EXAMPLE_POSTER = documents.PdfDocument(
    key="example_poster",
    label=_("Poster"),
    model=GoodExample,
    # Process leaders publish the examples, and put them up.
    rule="implementation.edit",
    check=_example_shown,
    load=_load_example,
    template=POSTER_TEMPLATE,
    context=_example_context,
    filename=lambda example: f"affisch-{slugify(example.title)[:60] or example.pk}.pdf",
    title=lambda example: example.title,
    url=lambda example: reverse(
        "implementation:example_detail", args=[example.tenant.slug, example.pk]
    ),
)


def register_posters() -> None:
    documents.register(PRINCIPAL_POSTER)
    documents.register(EXAMPLE_POSTER)

"""What the directory asks before it archives or deactivates (see
`portal.confirm`)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from portal.confirm import Confirm, said
from portal.models import Membership, Operation, Person, Principal
from portal.tenancy import TenantRequest


def principal_archive(request: TenantRequest, principal: Principal) -> Confirm:
    slug, pk = request.tenant.slug, principal.pk
    question = said(_("Archive the principal %(name)s?"), name=principal.name)
    return Confirm(
        title=said(_("Archive %(name)s"), name=principal.name),
        heading=question,
        action=reverse("portal:principal_archive", args=[slug, pk]),
        text=said(
            _(
                "An archived principal is hidden from lists and choices but kept, with its "
                "operations and history, for the record. You can restore it at any time."
            )
        ),
        button=said(_("Archive")),
        button_more=principal.name,
        cancel_url=reverse("portal:principal_detail", args=[slug, pk]),
        target=f"principal-{pk}",
        form_title=question,
        form_title_id=f"principal-{pk}-archive-title",
        cancel_get=reverse("portal:principals", args=[slug]) + f"?row={pk}",
        row="tr",
        row_class="row-form",
        colspan=5,
    )


def operation_archive(request: TenantRequest, operation: Operation) -> Confirm:
    slug, pk = request.tenant.slug, operation.pk
    back_url = reverse("portal:principal_detail", args=[slug, operation.principal_id])
    return Confirm(
        title=said(_("Archive %(name)s"), name=operation.name),
        heading=said(
            _("Archive the operation %(name)s (%(principal_name)s)?"),
            name=operation.name,
            principal_name=operation.principal.name,
        ),
        action=reverse("portal:operation_archive", args=[slug, pk]),
        text=said(
            _(
                "An archived operation is hidden from lists and choices but kept, with its "
                "history, for the record. You can restore it at any time."
            )
        ),
        button=said(_("Archive")),
        button_more=operation.name,
        cancel_url=back_url,
        target=f"operation-{pk}",
        form_title=said(_("Archive the operation %(name)s?"), name=operation.name),
        form_title_id=f"operation-{pk}-archive-title",
        level=3,
        cancel_get=f"{back_url}?row={pk}",
        row="tr",
        row_class="row-form",
        colspan=3,
    )


def person_archive(request: TenantRequest, person: Person) -> Confirm:
    slug, pk = request.tenant.slug, person.pk
    question = said(_("Archive %(name)s?"), name=person.name)
    people = reverse("portal:people", args=[slug])
    return Confirm(
        title=said(_("Archive %(name)s"), name=person.name),
        heading=question,
        action=reverse("portal:person_archive", args=[slug, pk]),
        text=said(
            _(
                "An archived person is hidden from lists and choices but kept, with their "
                "history, for the record. You can restore them at any time."
            )
        ),
        button=said(_("Archive")),
        button_more=person.name,
        cancel_url=people,
        target=f"person-{pk}",
        form_title=question,
        form_title_id=f"person-{pk}-archive-title",
        cancel_get=f"{people}?row={pk}",
        row="tr",
        row_class="row-form",
        colspan=5,
    )


def member_deactivate(request: TenantRequest, member: Membership) -> Confirm:
    slug, pk = request.tenant.slug, member.pk
    name = member.user.get_full_name() or member.user.username
    question = said(_("Deactivate %(name)s?"), name=name)
    members = reverse("portal:members", args=[slug])
    return Confirm(
        title=said(_("Deactivate member")),
        heading=question,
        action=reverse("portal:member_deactivate", args=[slug, pk]),
        text=said(
            _(
                "A deactivated member can no longer open this programme. Their login, their "
                "other programmes and everything they recorded stay. You can reactivate them "
                "at any time."
            )
        ),
        button=said(_("Deactivate")),
        button_more=name,
        cancel_url=members,
        target=f"member-{pk}",
        form_title=question,
        form_title_id=f"member-{pk}-deactivate-title",
        cancel_get=f"{members}?row={pk}",
        row="tr",
        row_class="row-form",
        colspan=6,
    )

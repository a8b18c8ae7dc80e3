"""Writes of the public site's settings and of the consents to public
contact details (issue 15, items 1 and 2). Each is atomic, validated,
audited, and refuses with a message safe to show. Every write changes the
programme's data version (portal.dashboards.cache), so the public pages
drawn before it are never served again: a withdrawn consent is gone from
every public page at once."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models import Person, Tenant, User
from portal.services import DomainError, create_audited, update_audited
from public.models import ContactConsent, PublicSite


@transaction.atomic
def site_save(
    *,
    actor: User | None,
    tenant: Tenant,
    enabled: bool,
    show_decisions: bool,
    introduction: str,
    contact_email: str,
    expected_version: int | None = None,
) -> PublicSite:
    """The programme's public site settings: the row is made on the first
    save; later saves are refused when based on an older version."""
    fields = {
        "enabled": enabled,
        "show_decisions": show_decisions,
        "introduction": introduction,
        "contact_email": contact_email,
    }
    site = PublicSite.objects.select_for_update().filter(tenant=tenant).first()
    if site is None:
        return create_audited(PublicSite(tenant=tenant, **fields), actor=actor, tenant=tenant)
    return update_audited(
        site, actor=actor, tenant=tenant, fields=fields, expected_version=expected_version
    )


@transaction.atomic
def consent_record(
    *,
    actor: User | None,
    person: Person,
    show_title: bool,
    show_email: bool,
    show_phone: bool,
    given_on: datetime.date,
    how: str,
) -> ContactConsent:
    """Record a person's consent to show the chosen contact details publicly."""
    tenant = person.tenant
    if person.is_archived:
        raise DomainError(_("The person is archived: restore them before recording a consent."))
    if not (show_title or show_email or show_phone):
        raise DomainError(_("Choose at least one detail the consent covers."))
    if given_on > timezone.localdate():
        raise DomainError(_("A consent cannot be given in the future."))
    Person.objects.select_for_update().filter(pk=person.pk).first()
    if ContactConsent.objects.filter(person=person, withdrawn_at__isnull=True).exists():
        raise DomainError(
            _("%(name)s already has a consent. Withdraw it first to record another.")
            % {"name": person.name}
        )
    consent = ContactConsent(
        tenant=tenant,
        person=person,
        show_title=show_title,
        show_email=show_email,
        show_phone=show_phone,
        given_on=given_on,
        how=how.strip(),
        recorded_by=actor,
    )
    return create_audited(consent, actor=actor, tenant=tenant)


@transaction.atomic
def consent_withdraw(*, actor: User | None, consent: ContactConsent) -> ContactConsent:
    """Withdraw a consent: it stays for the record, and the person's details
    leave every public page at once. Nothing is deleted."""
    locked = ContactConsent.objects.select_for_update().get(pk=consent.pk)
    if locked.withdrawn_at is not None:
        raise DomainError(_("The consent is already withdrawn."))
    return update_audited(
        locked,
        actor=actor,
        tenant=locked.tenant,
        fields={"withdrawn_at": timezone.now(), "withdrawn_by": actor},
    )

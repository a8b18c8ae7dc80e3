"""Idempotent writers for the demo data: look each row up by its natural key and
create only what is missing, through the services (actor=None) so the first run
is audited like any other write. Existing rows are never changed."""

from __future__ import annotations

from django_scopes import scope

from portal import audit, services
from portal.models import Membership, Operation, Person, Principal, Tenant, User

from .specs import DemoUser, PersonSpec, PrincipalSpec, ProgrammeSpec, work_email


def seed_programme(spec: ProgrammeSpec) -> Tenant:
    """The programme with its principals, their operations and its people."""
    tenant = ensure_tenant(spec)
    with scope(tenant=tenant):
        principals = ensure_principals(tenant, spec.principals)
        ensure_operations(tenant, spec.principals, principals)
        ensure_people(tenant, spec.people, spec.principals, principals)
    return tenant


def ensure_tenant(spec: ProgrammeSpec) -> Tenant:
    tenant = Tenant.objects.filter(slug=spec.slug).first()
    if tenant is not None:
        return tenant
    tenant = Tenant(
        slug=spec.slug,
        name=spec.name,
        region=spec.region,
        description=spec.description,
        reporting_interval_months=spec.reporting_interval_months,
    )
    tenant.full_clean()
    tenant.save()
    audit.log(
        actor=None, tenant=tenant, action="tenant.create", obj=tenant, after=audit.snapshot(tenant)
    )
    return tenant


def ensure_principals(tenant: Tenant, specs: tuple[PrincipalSpec, ...]) -> dict[str, Principal]:
    """All the programme's principals by name, including ones the seed did not create."""
    principals = {p.name: p for p in Principal.objects.filter(tenant=tenant)}
    for spec in specs:
        if spec.name not in principals:
            principals[spec.name] = services.principal_create(
                actor=None,
                tenant=tenant,
                kind=spec.kind,
                name=spec.name,
                municipality_code=spec.municipality_code,
            )
    return principals


def ensure_operations(
    tenant: Tenant, specs: tuple[PrincipalSpec, ...], principals: dict[str, Principal]
) -> None:
    existing = set(Operation.objects.filter(tenant=tenant).values_list("principal_id", "name"))
    for spec in specs:
        principal = principals[spec.name]
        for sector, name in spec.operations:
            if (principal.pk, name) not in existing:
                services.operation_create(
                    actor=None, tenant=tenant, principal=principal, sector=sector, name=name
                )


def ensure_people(
    tenant: Tenant,
    people: tuple[PersonSpec, ...],
    principal_specs: tuple[PrincipalSpec, ...],
    principals: dict[str, Principal],
) -> None:
    domains = {spec.name: spec.domain for spec in principal_specs}
    existing = _person_emails(tenant)
    for person in people:
        email = person.email or work_email(person.name, domains[person.principal])
        if email not in existing:
            services.person_create(
                actor=None,
                tenant=tenant,
                name=person.name,
                title=person.title,
                principal=principals[person.principal] if person.principal else None,
                organisation=person.organisation,
                email=email,
            )


def _person_emails(tenant: Tenant) -> set[str]:
    return {
        email.lower()
        for email in Person.objects.filter(tenant=tenant).values_list("email", flat=True)
    }


def ensure_demo_user(spec: DemoUser, *, password: str) -> User | None:
    """The demo login with its memberships and Person rows, or None when the
    username or e-mail already belongs to someone else (that account is left
    alone rather than given access to the demo programmes)."""
    user = User.objects.filter(username=spec.username).first()
    if user is None:
        if User.objects.filter(email__iexact=spec.email).exists():
            return None
        user = User(
            username=spec.username,
            first_name=spec.first_name,
            last_name=spec.last_name,
            email=spec.email,
        )
        user.set_password(password)
        user.full_clean()
        user.save()
        audit.log(
            actor=None, tenant=None, action="user.create", obj=user, after=audit.snapshot(user)
        )
    elif user.email.lower() != spec.email.lower():
        return None

    for membership in spec.memberships:
        tenant = Tenant.objects.get(slug=membership.tenant_slug)
        with scope(tenant=tenant):
            principal = (
                Principal.objects.get(tenant=tenant, name=membership.principal)
                if membership.principal
                else None
            )
            # The person first: adding the member links the person with the login's e-mail.
            if user.email.lower() not in _person_emails(tenant):
                services.person_create(
                    actor=None,
                    tenant=tenant,
                    name=spec.full_name,
                    title=membership.title,
                    principal=principal,
                    organisation=membership.organisation,
                    email=user.email,
                )
            if not Membership.objects.filter(tenant=tenant, user=user).exists():
                services.member_add(
                    actor=None,
                    tenant=tenant,
                    email=user.email,
                    role=membership.role,
                    principal=principal,
                    send_invitation=False,
                )
    return user

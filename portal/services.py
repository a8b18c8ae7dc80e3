"""Writes for the portal app. Each service is atomic, validates with
`full_clean()`, writes one audit event and raises `DomainError` with a message
that is safe to show the user."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import audit
from portal.models import (
    Archivable,
    Membership,
    Operation,
    Person,
    Principal,
    Role,
    Tenant,
    User,
    Versioned,
)

A = TypeVar("A", bound=Archivable)
T = TypeVar("T", bound=models.Model)


class DomainError(Exception):
    """A refused write. The message is meant for the user."""


class ConflictError(DomainError):
    """Someone else saved first. `saved` is the object as they saved it and
    `version` its version now; `current` is what they saved as text, where a
    page shows it whole (the minutes' text)."""

    def __init__(
        self,
        message: str,
        *,
        current: str = "",
        version: int = 0,
        saved: models.Model | None = None,
    ) -> None:
        super().__init__(message)
        self.current = current
        self.version = version
        self.saved = saved


def _stale_message() -> str:
    return _(
        "Someone else saved this while you were editing. Nothing from your form has been "
        "saved. What they saved is shown at each field where it differs from your form, "
        "and your own input is kept: check it and save again."
    )


def claim_version[M: models.Model](
    obj: M,
    expected: int | None,
    *,
    current: Callable[[M], str] | None = None,
    message: str | None = None,
) -> None:
    """Take the next version of `obj` (a row with a `version` field, see
    `portal.models.Versioned`) if it is still at `expected`, the version the
    user's form was opened at; else refuse with what is saved now.

    A conditional UPDATE, so of two saves from the same version exactly one
    gets through, even at the same moment. Call it in the service's
    transaction before writing: a refused or failed save rolls the claim back.
    With `expected` None (a write without a form) the version just moves on,
    so every form opened before the write is stale.
    """
    # The base manager: the row is the one the caller holds, whatever the
    # default manager leaves out (the minutes' revision drafts).
    rows = type(obj)._base_manager.filter(pk=obj.pk)
    if expected is None:
        rows.update(version=F("version") + 1)
        obj.version = rows.values_list("version", flat=True).get()  # type: ignore[attr-defined]
        return
    if not rows.filter(version=expected).update(version=F("version") + 1):
        fresh = rows.get()
        raise ConflictError(
            message or _stale_message(),
            current=current(fresh) if current else "",
            version=fresh.version,  # type: ignore[attr-defined]
            saved=fresh,
        )
    obj.version = expected + 1  # type: ignore[attr-defined]


def changed_besides_version(before: dict[str, Any], after: dict[str, Any]) -> bool:
    """Whether a write changed more than the version its claim took (a save
    of an unchanged form is no change worth an audit event)."""
    return {k: v for k, v in before.items() if k != "version"} != {
        k: v for k, v in after.items() if k != "version"
    }


def create_audited[T: models.Model](obj: T, *, actor: User | None, tenant: Tenant | None) -> T:
    obj.full_clean()
    obj.save()
    audit.log(
        actor=actor,
        tenant=tenant,
        action=f"{audit.noun(obj)}.create",
        obj=obj,
        after=audit.snapshot(obj),
    )
    return obj


def update_audited[T: models.Model](
    obj: T,
    *,
    actor: User | None,
    tenant: Tenant | None,
    fields: dict[str, Any],
    expected_version: int | None = None,
) -> T:
    """Set `fields` on `obj`, validate, save only what changed, audit before/after.

    A `Versioned` object's save is refused when it is based on an older
    version than `expected_version` (`claim_version`); any change of it moves
    its version on, so forms opened before it are stale.
    A refused change leaves `obj` as it was, so the caller can show it again."""
    if expected_version is not None and not isinstance(obj, Versioned):
        raise TypeError(f"{type(obj).__name__} has no version to check")
    before = audit.snapshot(obj)
    claimed = isinstance(obj, Versioned) and expected_version is not None
    if claimed:
        claim_version(obj, expected_version)
    changed = [name for name, value in fields.items() if getattr(obj, name) != value]
    if not changed:
        return obj
    original = {name: getattr(obj, name) for name in changed}
    for name in changed:
        setattr(obj, name, fields[name])
    try:
        obj.full_clean()
    except ValidationError:
        for name, value in original.items():
            setattr(obj, name, value)
        if claimed:
            obj.version = expected_version  # type: ignore[attr-defined]  # the claim is rolled back
        raise
    if isinstance(obj, Versioned) and not claimed:
        claim_version(obj, None)
    obj.save(update_fields=changed)
    audit.log(
        actor=actor,
        tenant=tenant,
        action=f"{audit.noun(obj)}.update",
        obj=obj,
        before=before,
        after=audit.snapshot(obj),
    )
    return obj


def set_archived[A: Archivable](obj: A, *, actor: User | None, tenant: Tenant, archived: bool) -> A:
    if obj.is_archived == archived:
        return obj
    before = audit.snapshot(obj)
    obj.archived_at = timezone.now() if archived else None
    obj.save(update_fields=["archived_at"])
    audit.log(
        actor=actor,
        tenant=tenant,
        action=f"{audit.noun(obj)}.archive" if archived else f"{audit.noun(obj)}.restore",
        obj=obj,
        before=before,
        after=audit.snapshot(obj),
    )
    return obj


def ensure_same_tenant(tenant_id: int, objects: Iterable[object]) -> None:
    """Refuse a write that would link rows of another programme (None is skipped)."""
    for obj in objects:
        if obj is not None and getattr(obj, "tenant_id", None) != tenant_id:
            raise DomainError(_("Everything must belong to the same programme."))


# Principals -----------------------------------------------------------------


@transaction.atomic
def principal_create(
    *, actor: User | None, tenant: Tenant, kind: str, name: str, municipality_code: str = ""
) -> Principal:
    principal = Principal(tenant=tenant, kind=kind, name=name, municipality_code=municipality_code)
    return create_audited(principal, actor=actor, tenant=tenant)


@transaction.atomic
def principal_update(
    *, actor: User, principal: Principal, expected_version: int | None = None, **fields: Any
) -> Principal:
    return update_audited(
        principal,
        actor=actor,
        tenant=principal.tenant,
        fields=fields,
        expected_version=expected_version,
    )


@transaction.atomic
def principal_set_archived(*, actor: User, principal: Principal, archived: bool) -> Principal:
    return set_archived(principal, actor=actor, tenant=principal.tenant, archived=archived)


# Operations -----------------------------------------------------------------


@transaction.atomic
def operation_create(
    *, actor: User | None, tenant: Tenant, principal: Principal, sector: str, name: str
) -> Operation:
    operation = Operation(tenant=tenant, principal=principal, sector=sector, name=name)
    return create_audited(operation, actor=actor, tenant=tenant)


@transaction.atomic
def operation_update(
    *, actor: User, operation: Operation, expected_version: int | None = None, **fields: Any
) -> Operation:
    return update_audited(
        operation,
        actor=actor,
        tenant=operation.tenant,
        fields=fields,
        expected_version=expected_version,
    )


@transaction.atomic
def operation_set_archived(*, actor: User, operation: Operation, archived: bool) -> Operation:
    return set_archived(operation, actor=actor, tenant=operation.tenant, archived=archived)


# People ---------------------------------------------------------------------


@transaction.atomic
def person_create(
    *,
    actor: User | None,
    tenant: Tenant,
    name: str,
    title: str = "",
    principal: Principal | None = None,
    organisation: str = "",
    email: str = "",
    phone: str = "",
) -> Person:
    person = Person(
        tenant=tenant,
        name=name,
        title=title,
        principal=principal,
        organisation=organisation,
        email=email,
        phone=phone,
    )
    return create_audited(person, actor=actor, tenant=tenant)


@transaction.atomic
def person_update(
    *, actor: User, person: Person, expected_version: int | None = None, **fields: Any
) -> Person:
    return update_audited(
        person,
        actor=actor,
        tenant=person.tenant,
        fields=fields,
        expected_version=expected_version,
    )


@transaction.atomic
def person_set_archived(*, actor: User, person: Person, archived: bool) -> Person:
    return set_archived(person, actor=actor, tenant=person.tenant, archived=archived)


# Members --------------------------------------------------------------------


@transaction.atomic
def member_add(
    *,
    actor: User | None,
    tenant: Tenant,
    email: str,
    role: str,
    principal: Principal | None = None,
    first_name: str = "",
    last_name: str = "",
    send_invitation: bool = True,
    invitation_domain: str = "",
    invitation_https: bool = True,
) -> Membership:
    """Give the user with this e-mail access to the programme, as a person of
    its directory: the person with this e-mail who has no login here yet, or
    else a new person (named as the login is).

    A user who has no login yet gets one without a usable password and an
    e-mail to choose one (the password-reset flow), so no password is ever
    sent or chosen by an administrator. The e-mail's link points at
    `invitation_domain` (the caller's host: services see no request).
    """
    if send_invitation and not invitation_domain:
        raise ValueError("member_add needs invitation_domain to send an invitation.")
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    created_user = user is None
    if user is None:
        user = User(username=email, email=email, first_name=first_name, last_name=last_name)
        user.set_unusable_password()
        user.full_clean()
        user.save()
    existing = Membership.objects.filter(tenant=tenant, user=user).first()
    if existing is not None:
        raise DomainError(_("%(email)s is already a member of this programme.") % {"email": email})
    person = _person_to_invite(tenant, email)
    if person is not None and person.is_archived:
        set_archived(person, actor=actor, tenant=tenant, archived=False)  # back in the programme
    membership = Membership(
        tenant=tenant,
        user=user,
        role=role,
        principal=principal if role == Role.PRINCIPAL_REPORTER else None,
        person=person,
    )
    membership.full_clean()
    if person is None:
        person = person_create(
            actor=actor,
            tenant=tenant,
            name=user.get_full_name() or email,
            principal=membership.principal,
            email=email,
        )
        membership.person = person
    membership.save()
    audit.log(
        actor=actor,
        tenant=tenant,
        action="membership.add",
        obj=membership,
        after={**(audit.snapshot(membership) or {}), "email": email, "new_user": created_user},
    )
    if send_invitation and created_user:
        transaction.on_commit(
            lambda: _send_invitation(email, domain=invitation_domain, use_https=invitation_https)
        )
    return membership


def _person_to_invite(tenant: Tenant, email: str) -> Person | None:
    """The programme's person with this e-mail (in any case) who has no login
    here yet, preferring one who is not archived, then the earliest added."""
    return (
        Person.objects.filter(tenant=tenant, email__iexact=email, membership__isnull=True)
        .order_by(models.F("archived_at").asc(nulls_first=True), "pk")
        .first()
    )


class _InvitationForm(PasswordResetForm):
    """The password-reset e-mail, sent also to a new login that has no password
    yet (Django's own form skips users without a usable password)."""

    def get_users(self, email: str) -> Iterator[User]:
        yield from User.objects.filter(email__iexact=email, is_active=True)


def _send_invitation(email: str, *, domain: str, use_https: bool) -> None:
    form = _InvitationForm(data={"email": email})
    if form.is_valid():
        form.save(
            domain_override=domain,
            subject_template_name="registration/invitation_subject.txt",
            email_template_name="registration/invitation_email.txt",
            use_https=use_https,
        )


@transaction.atomic
def membership_update(
    *,
    actor: User,
    membership: Membership,
    role: str,
    principal: Principal | None,
    expected_version: int | None = None,
) -> Membership:
    if membership.user_id == actor.pk and role != membership.role:
        raise DomainError(_("You cannot change your own role."))
    return update_audited(
        membership,
        actor=actor,
        tenant=membership.tenant,
        fields={"role": role, "principal": principal if role == Role.PRINCIPAL_REPORTER else None},
        expected_version=expected_version,
    )


@transaction.atomic
def membership_set_person(
    *,
    actor: User,
    membership: Membership,
    person: Person,
    expected_version: int | None = None,
) -> Membership:
    """Link the membership's login to another person of the programme's
    directory: from then on the login is that person wherever the programme
    names people (it approves the minutes that person is justerare of)."""
    ensure_same_tenant(membership.tenant_id, [person])
    if person.pk != membership.person_id:
        if person.is_archived:
            raise DomainError(
                _("%(name)s is archived. Restore them first.") % {"name": person.name}
            )
        taken = (
            Membership.objects.filter(tenant_id=membership.tenant_id, person=person)
            .select_related("user")
            .first()
        )
        if taken is not None:
            raise DomainError(
                _("%(name)s is already the person of the login %(login)s.")
                % {"name": person.name, "login": taken.user.email or taken.user.username}
            )
    return update_audited(
        membership,
        actor=actor,
        tenant=membership.tenant,
        fields={"person": person},
        expected_version=expected_version,
    )


@transaction.atomic
def membership_set_active(*, actor: User, membership: Membership, active: bool) -> Membership:
    if membership.user_id == actor.pk and not active:
        raise DomainError(_("You cannot deactivate yourself."))
    return update_audited(
        membership, actor=actor, tenant=membership.tenant, fields={"is_active": active}
    )

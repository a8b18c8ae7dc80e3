"""A member invited as an administrator invites one on the member page: not a
seeded demo login, but someone already in the programme's directory who is
given access by their work e-mail. The invitation links the login to that
person, so from then on the login is the person wherever the programme names
them: Kronoberg's new chair approves the steering group's minutes as the
appointed justerare (demo/data/kronoberg.toml), and the latest are left for her.

For the demo she has followed the invitation's link and chosen the password
`demo`. Like the demo logins, nothing is done when her e-mail already belongs
to another account."""

from __future__ import annotations

from dataclasses import dataclass

from django_scopes import scope

from portal import services
from portal.models import Membership, Person, Role, Tenant, User

from . import programmes


@dataclass(frozen=True)
class InvitedMember:
    tenant_slug: str
    person: str  # the directory person the invitation is sent to, by name
    role: str
    why: str  # what the demo shows with this login


INVITED: tuple[InvitedMember, ...] = (
    InvitedMember(
        "kronoberg",
        programmes.chair(programmes.load("kronoberg").governance, "SG"),
        Role.STEERING_MEMBER,
        "ordförande i styrgruppen; justerar dess protokoll, det senaste väntar på henne",
    ),
)

# The host the invitation's link points at: the embedded run's (`make run`).
INVITATION_DOMAIN = "localhost:8000"


@dataclass(frozen=True)
class InvitedLogin:
    spec: InvitedMember
    username: str


def seed_invited_members(*, password: str) -> list[InvitedLogin]:
    """Invite each member through the real invitation service (the e-mail goes
    nowhere while seeding) and set the password they would choose. Only what
    is missing is done; a second run changes nothing."""
    ready: list[InvitedLogin] = []
    for spec in INVITED:
        tenant = Tenant.objects.filter(slug=spec.tenant_slug).first()
        if tenant is None:
            continue
        with scope(tenant=tenant):
            person = Person.objects.filter(tenant=tenant, name=spec.person).order_by("pk").first()
            if person is None or not person.email:
                continue
            membership = (
                Membership.objects.filter(tenant=tenant, person=person)
                .select_related("user")
                .first()
            )
            if membership is None:
                if User.objects.filter(email__iexact=person.email).exists():
                    continue  # someone else's account: not given access to the demo
                first_name, _space, last_name = person.name.partition(" ")
                membership = services.member_add(
                    actor=None,
                    tenant=tenant,
                    email=person.email,
                    role=spec.role,
                    first_name=first_name,
                    last_name=last_name,
                    invitation_domain=INVITATION_DOMAIN,
                    invitation_https=False,
                )
            user = membership.user
            if not user.has_usable_password():
                # What the invitation's link leads to: choosing a password.
                user.set_password(password)
                user.save(update_fields=["password"])
            ready.append(InvitedLogin(spec, user.username))
    return ready

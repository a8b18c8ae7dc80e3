"""The bench programme's directory: principals, operations, people, logins."""

from __future__ import annotations

from collections import defaultdict

from portal.models import Membership, Operation, Person, Principal, PrincipalKind, Role, User

from . import texts
from .base import LOGINS, Seeder, slug, username
from .sizes import OPERATIONS_PER_PRINCIPAL


class DirectorySeed(Seeder):
    # The directory: principals, operations, people, logins ---------------------------

    def directory(self) -> None:
        tenant, sizes = self.tenant, self.sizes
        principals = [
            Principal(tenant=tenant, kind=PrincipalKind.REGION, name=f"Region Bänk {self.number}")
        ]
        for i in range(1, sizes.principals):
            stem = texts.MUNICIPALITIES[(i - 1) % len(texts.MUNICIPALITIES)]
            round_ = (i - 1) // len(texts.MUNICIPALITIES)
            principals.append(
                Principal(
                    tenant=tenant,
                    kind=PrincipalKind.MUNICIPALITY,
                    name=f"{stem}{f' {round_ + 1}' if round_ else ''} kommun",
                    municipality_code=f"{9000 + i:04d}",
                )
            )
        self.principals = self.bulk(Principal, principals)
        operations = []
        for owner in self.principals:
            specs = (
                texts.REGION_OPERATIONS
                if owner.kind == PrincipalKind.REGION
                else texts.MUNICIPAL_OPERATIONS
            )
            assert len(specs) == OPERATIONS_PER_PRINCIPAL
            operations += [
                Operation(tenant=tenant, principal=owner, sector=sector, name=name)
                for sector, name in specs
            ]
        self.operations = self.bulk(Operation, operations)
        self.operations_of: dict[int, list[Operation]] = defaultdict(list)
        for operation in self.operations:
            self.operations_of[operation.principal_id].append(operation)

        region, reporting = self.principals[0], self.principals[1 % len(self.principals)]
        people = []
        for i in range(sizes.people):
            name = f"{self.rng.choice(texts.FIRST_NAMES)} {self.rng.choice(texts.LAST_NAMES)}"
            email = f"person{i:03d}@{slug(self.number)}.example.se"
            if i < len(LOGINS):
                principal: Principal | None = region if i == 0 else reporting
                title, organisation = LOGINS[i][2], ""
            elif i % 25 == 0:
                principal, title, organisation = None, "Följeforskare", "Bänkuniversitetet"
            else:
                principal = self.principals[(i - len(LOGINS)) % len(self.principals)]
                title, organisation = self.rng.choice(texts.TITLES), ""
            people.append(
                Person(
                    tenant=tenant,
                    name=name,
                    title=title,
                    principal=principal,
                    organisation=organisation,
                    email=email,
                    phone=f"010-{self.number:02d}{i:04d}",
                )
            )
        self.people = self.bulk(Person, people)
        self.logins = self.ensure_logins(reporting)
        self.pl, self.chair, self.reporter = self.logins
        self.staff = self.people[len(LOGINS) :]
        self.by_principal: dict[int, list[Person]] = defaultdict(list)
        for person in self.staff:
            if person.principal_id:
                self.by_principal[person.principal_id].append(person)
        self.external = [p for p in self.staff if p.principal_id is None]

    def ensure_logins(self, reporting: Principal) -> list[User]:
        """The three bench logins (password "bench"), their memberships and Persons."""
        users = []
        for i, (suffix, _role, _title) in enumerate(LOGINS):
            name = username(self.number, suffix)
            user, _created = User.objects.get_or_create(
                username=name,
                defaults={
                    "email": f"{suffix}@{slug(self.number)}.example.se",
                    "first_name": self.people[i].name.split()[0],
                    "last_name": self.people[i].name.split()[-1],
                },
            )
            user.password = self.password
            user.save(update_fields=["password"])
            users.append(user)
        self.bulk(
            Membership,
            [
                Membership(
                    tenant=self.tenant,
                    user=user,
                    role=role,
                    principal=reporting if role == Role.PRINCIPAL_REPORTER else None,
                    person=self.people[i],  # the login is this person in the programme
                    created_at=self.moment(self.start),
                )
                for i, (user, (_suffix, role, _title)) in enumerate(zip(users, LOGINS, strict=True))
            ],
        )
        return users

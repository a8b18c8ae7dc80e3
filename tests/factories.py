"""Factories for the portal's core model. Apps add theirs in tests/<app>/factories.py."""

import factory
from django_scopes import scopes_disabled

from portal.models import (
    Membership,
    Operation,
    Person,
    Principal,
    PrincipalKind,
    Role,
    Sector,
    Tenant,
    User,
)


class ScopesDisabledFactory(factory.django.DjangoModelFactory):
    """Tenant-owned rows are created outside any request scope in tests."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        with scopes_disabled():
            return super()._create(model_class, *args, **kwargs)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.se")
    first_name = factory.Faker("first_name", locale="sv_SE")
    last_name = factory.Faker("last_name", locale="sv_SE")
    password = factory.django.Password("secret-password-123")


class TenantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tenant
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Programme {n}")
    slug = factory.Sequence(lambda n: f"programme-{n}")
    region = "Region Sörmland"


class PrincipalFactory(ScopesDisabledFactory):
    class Meta:
        model = Principal

    tenant = factory.SubFactory(TenantFactory)
    kind = PrincipalKind.MUNICIPALITY
    name = factory.Sequence(lambda n: f"Kommun {n}")
    municipality_code = factory.Sequence(lambda n: f"{n % 10000:04d}")


class OperationFactory(ScopesDisabledFactory):
    class Meta:
        model = Operation

    principal = factory.SubFactory(PrincipalFactory)
    tenant = factory.SelfAttribute("principal.tenant")
    sector = Sector.COMPULSORY_SCHOOL
    name = factory.Sequence(lambda n: f"Skola {n}")


class PersonFactory(ScopesDisabledFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    tenant = factory.SubFactory(TenantFactory)
    name = factory.Faker("name", locale="sv_SE")
    title = "Verksamhetschef"
    email = factory.Sequence(lambda n: f"person{n}@example.se")

    @factory.post_generation
    def user(person, create, extracted, **kwargs):
        """`PersonFactory(user=u)`: the person is u's login in the programme,
        i.e. u's membership there is linked to them (the membership must exist)."""
        if not create or extracted is None:
            return
        with scopes_disabled():
            linked = Membership.objects.filter(tenant=person.tenant, user=extracted).update(
                person=person
            )
        assert linked, f"{extracted} has no membership in {person.tenant} to link to {person}"


class MembershipFactory(ScopesDisabledFactory):
    class Meta:
        model = Membership

    tenant = factory.SubFactory(TenantFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.PROCESS_LEADER
    principal = None

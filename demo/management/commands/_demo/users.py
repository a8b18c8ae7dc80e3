"""The five demo logins. They and their Person rows exist only through seed_demo."""

from __future__ import annotations

from portal.models import Role

from .specs import DemoMembership, DemoUser

DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser(
        username="processledare",
        first_name="Sara",
        last_name="Lindholm",
        email="sara.lindholm@processledning.example.se",
        memberships=(
            DemoMembership("sormland", Role.PROCESS_LEADER, "Processledare", "Region Sörmland"),
            DemoMembership("kronoberg", Role.PROCESS_LEADER, "Processledare", "Region Kronoberg"),
        ),
    ),
    DemoUser(
        username="styrgrupp",
        first_name="Mikael",
        last_name="Hedström",
        email="mikael.hedstrom@katrineholm.example.se",
        memberships=(
            DemoMembership("sormland", Role.STEERING_MEMBER, "Socialchef", "Katrineholms kommun"),
        ),
    ),
    DemoUser(
        username="kommun",
        first_name="Johanna",
        last_name="Ekberg",
        email="johanna.ekberg@eskilstuna.example.se",
        memberships=(
            DemoMembership(
                "sormland", Role.PRINCIPAL_REPORTER, "Utvecklingsledare", "Eskilstuna kommun"
            ),
        ),
    ),
    DemoUser(
        username="forskare",
        first_name="Henrik",
        last_name="Åström",
        email="henrik.astrom@lnu.example.se",
        memberships=(
            # A researcher following two regions; only Kronoberg has the university
            # among its principals.
            DemoMembership(
                "sormland", Role.RESEARCHER, "Följeforskare", organisation="Linnéuniversitetet"
            ),
            DemoMembership("kronoberg", Role.RESEARCHER, "Följeforskare", "Linnéuniversitetet"),
        ),
    ),
    DemoUser(
        username="admin",
        first_name="Emelie",
        last_name="Norén",
        email="emelie.noren@regionsormland.example.se",
        memberships=(
            DemoMembership("sormland", Role.TENANT_ADMIN, "Systemförvaltare", "Region Sörmland"),
        ),
    ),
)

"""What the tests of directory/ share (from test_directory.py)."""

from __future__ import annotations

from django.utils import timezone

from portal.models import PrincipalKind, Sector
from tests.factories import OperationFactory, PrincipalFactory
from tests.helpers import url_in

url = url_in("portal")

NOT_DIRECTORY_ADMINS = ["leader", "steering", "reporter", "researcher"]

NOT_PEOPLE_MANAGERS = ["steering", "reporter", "researcher"]


def archived(factory, **kwargs):
    return factory(archived_at=timezone.now(), **kwargs)


def _principals_with_operations(tenant, count):
    for i in range(count):
        principal = PrincipalFactory(tenant=tenant, name=f"Kommun {i:03d}")
        OperationFactory(principal=principal)
        archived(OperationFactory, principal=principal)


# Session, user, tenant, membership, then the page's one query.
PRINCIPAL_LIST_QUERIES = 5

# Session, user, tenant, membership; the principal, its operations, its people;
# its newest snapshot PDF (the "Skapa PDF" panel).
PRINCIPAL_DETAIL_QUERIES = 8

# Principals: create ---------------------------------------------------------

VALID_PRINCIPAL = {
    "kind": PrincipalKind.MUNICIPALITY,
    "name": "Flens kommun",
    "municipality_code": "0482",
}

# Operations -----------------------------------------------------------------

VALID_OPERATION = {"sector": Sector.STUDENT_HEALTH, "name": "Elevhälsan"}

# People ---------------------------------------------------------------------

VALID_PERSON = {
    "name": "Karin Berg",
    "title": "Rektor",
    "organisation": "",
    "email": "karin.berg@flen.se",
    "phone": "0157-123 45",
}

# Session, user, tenant, membership, then the page's one query.
PEOPLE_LIST_QUERIES = 5

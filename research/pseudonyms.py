"""Pseudonyms for people in research exports.

A person's pseudonym is HMAC-SHA256 over their id, keyed with the programme's
own secret (`PseudonymKey`, created on first use). The same person gets the
same pseudonym in every export of the programme, a researcher following two
programmes cannot link people across them, and nobody without the key can go
back from a pseudonym to the person. The pseudonym is written in consonants
only, so it can never contain a person's id (digits) or read as a name.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable

from django.db import IntegrityError, transaction

from portal import audit
from portal.models import Tenant
from research.models import PseudonymKey

# Sixteen consonants: one letter per four bits of the digest.
ALPHABET = "BCDFGHJKLMNPQRST"
DIGEST_BYTES = 8  # 64 bits: collisions are negligible for a programme's people
PREFIX = "P-"


def programme_key(tenant: Tenant) -> bytes:
    """The programme's pseudonym secret, created (and audited) on first use."""
    key = PseudonymKey.objects.filter(tenant=tenant).first()
    if key is None:
        try:
            with transaction.atomic():
                key = PseudonymKey.objects.create(tenant=tenant, secret=secrets.token_hex(32))
                audit.log(
                    actor=None,
                    tenant=tenant,
                    action="pseudonym_key.create",
                    obj=key,
                    after={"tenant_id": tenant.pk},  # never the secret
                )
        except IntegrityError:
            # Another export created it a moment earlier.
            key = PseudonymKey.objects.get(tenant=tenant)
    return bytes.fromhex(key.secret)


def pseudonym(secret: bytes, person_id: int) -> str:
    digest = hmac.new(secret, f"person:{person_id}".encode(), hashlib.sha256).digest()
    letters = "".join(ALPHABET[b >> 4] + ALPHABET[b & 15] for b in digest[:DIGEST_BYTES])
    return PREFIX + letters


def pseudonymiser(tenant: Tenant) -> Callable[[int | None], str | None]:
    """A function from a person's id (or None) to their pseudonym in this programme."""
    secret = programme_key(tenant)
    cache: dict[int, str] = {}

    def convert(person_id: int | None) -> str | None:
        if person_id is None:
            return None
        found = cache.get(person_id)
        if found is None:
            found = cache[person_id] = pseudonym(secret, person_id)
        return found

    return convert

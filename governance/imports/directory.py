"""A proposal's people matched to the programme's directory (issue 14,
item 3): the best match by name, with its confidence (rapidfuzz)."""

from __future__ import annotations

from rapidfuzz import fuzz, process, utils

from governance.imports.proposal import Proposal
from governance.imports.words import Vocabulary
from governance.models import Body
from portal.models import Person, Principal, Tenant

# Below this a name is proposed as a new person.
MATCH_AT = 85.0


def match_people(proposal: Proposal, tenant: Tenant) -> None:
    """Fill each attendee's person_id and confidence from the programme's people."""
    people = dict(
        Person.objects.filter(tenant=tenant, archived_at__isnull=True).values_list("pk", "name")
    )
    for attendee in proposal.attendance:
        found = process.extractOne(
            attendee.name, people, scorer=fuzz.WRatio, processor=utils.default_process
        )
        if found is None:
            continue
        _name, score, pk = found
        if score >= MATCH_AT:
            attendee.person_id = int(pk)
            attendee.confidence = round(score / 100, 2)


def vocabulary_for(tenant: Tenant) -> Vocabulary:
    """The Swedish word list and the programme's own names: its people,
    principals and bodies (archived ones too: old minutes name them)."""
    names = [
        *Person.objects.filter(tenant=tenant).values_list("name", flat=True),
        *Principal.objects.filter(tenant=tenant).values_list("name", flat=True),
        *Body.objects.filter(tenant=tenant).values_list("name", flat=True),
    ]
    return Vocabulary.for_names(names)

"""Reading one file of old minutes into a proposal for a programme: its
text (`sources.read_text`, OCR for scans), the proposal (`parse.read_minutes`,
with letters broken by OCR restored against the programme's names), and its
people matched to the programme's directory. Used by the background job of
the upload page and by `manage.py import_minutes`."""

from __future__ import annotations

from governance.imports.directory import match_people, vocabulary_for
from governance.imports.parse import read_minutes
from governance.imports.proposal import Proposal
from governance.imports.sources import read_text
from governance.imports.words import Vocabulary
from portal.models import Tenant


def read_file(
    tenant: Tenant,
    name: str,
    content: bytes,
    *,
    body: str | None = None,
    vocabulary: Vocabulary | None = None,
) -> Proposal:
    """The proposal of one file. `UnreadableFile` says why a file cannot be
    read. Call inside the programme's scope."""
    text = read_text(name, content)
    vocabulary = vocabulary or vocabulary_for(tenant)
    proposal = read_minutes(text, file=name, vocabulary=vocabulary)
    if body:
        proposal.body = body
    match_people(proposal, tenant)
    return proposal

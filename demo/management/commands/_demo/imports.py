"""Imported old minutes for the demo (issue 14): each programme's process
leaders have uploaded an archive of the steering group's minutes from 2023.
The autumn meeting is imported (a meeting marked "importerad", its minutes
"justerade i original", the file among its documents); the spring meeting,
a scan whose OCR text broke some Swedish letters, is read and waits on the
review screen.

The minutes are written here from the programme's own (fictional) people,
so the directory matches them. Each file is read by the real document job
(`portal.documents.jobs.run`, synchronously) and confirmed through the
import service, as the programme's process leader. Idempotent: a
programme that has an import gets none.
"""

from __future__ import annotations

import io
import zipfile

from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_scopes import scope

from governance.imports import READING_KIND
from governance.models import Body, ImportedFile, MinutesImport
from governance.services.imports import import_confirm, import_upload
from portal.documents import jobs
from portal.models import GeneratedFile, GeneratedFileStatus, Membership, Person, Role, Tenant

SLUGS = ("sormland", "kronoberg")
BODY_CODE = "SG"

# OCR's usual slips in a scan of Swedish text: ä, ö and å read as other signs.
OCR_SLIPS = {"ä": "a", "ö": "6", "å": "a", "Ä": "A", "Ö": "O"}


def _autumn(body: str, people: list[str]) -> str:
    chair, leader, *members = people
    present = "\n".join(f"- {name}" for name in [chair, *members[:4]])
    return f"""# Minnesanteckningar {body}

Torsdagen den 14 september 2023, kl. 13.00–15.30, Regionens hus, sal Tvären

## Närvarande
{present}
- {members[5]}, ersätter {members[6]}

## Frånvarande
- {members[6]}

## Övriga
- {leader}, processledare

## 1. Mötet öppnas
Ordföranden hälsar välkommen och dagordningen godkänns.

## 2. Lägesrapport från processledarna
Alla kommuner har utsett Barnets bästa-ansvariga. Självskattningen i
implementeringstrappan genomförs under hösten.

Beslut: Styrgruppen godkänner lägesrapporten.

## 3. Kommunikation
Nyhetsbrevet ska komma ut fyra gånger om året.

{leader} får i uppdrag att ta fram en kommunikationsplan till nästa möte.

## 4. Nästa möte
Nästa möte: 2023-11-16 kl. 13.00–15.30

Anteckningar förda av {leader}
"""


def _spring(body: str, people: list[str]) -> str:
    chair, leader, *members = people
    present = ", ".join([chair, *members[2:6]])
    text = f"""MINNESANTECKNINGAR {body.upper()}

Tisdagen den 16 maj 2023 kl. 09.00-11.00

Närvarande: {present}
Övriga: {leader}, processledare

1. Välkomna
Ordföranden öppnar mötet.

2. Följeforskningen
Följeforskarna presenterar upplägget för den första delrapporten.
Det beslutas att delrapporten ska presenteras för styrgruppen i oktober.

3. Övriga frågor
Inga övriga frågor.

Anteckningar förda av {leader}
"""
    return "".join(OCR_SLIPS.get(letter, letter) for letter in text)


def seed_imports() -> None:
    for slug in SLUGS:
        tenant = Tenant.objects.filter(slug=slug).first()
        if tenant is None:
            continue
        with scope(tenant=tenant):
            if MinutesImport.objects.filter(tenant=tenant).exists():
                continue
            body = Body.objects.filter(tenant=tenant, code=BODY_CODE).first()
            people = list(
                Person.objects.filter(tenant=tenant, archived_at__isnull=True)
                .order_by("pk")
                .values_list("name", flat=True)[:9]
            )
            if body is None or len(people) < 9:
                continue
            _seed(tenant, body, people)


def _seed(tenant: Tenant, body: Body, people: list[str]) -> None:
    leader = (
        Membership.objects.filter(tenant=tenant, role=Role.PROCESS_LEADER, is_active=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    actor = leader.user if leader is not None else None
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("2023-09-14 Styrgruppen.md", _autumn(body.name, people))
        z.writestr("2023-05-16 Styrgruppen (skannad).txt", _spring(body.name, people))
    upload = SimpleUploadedFile("Styrgruppen 2023.zip", archive.getvalue())
    minutes_import = import_upload(
        actor=actor, membership=None, tenant=tenant, upload=upload, body=body
    )
    files = list(ImportedFile.objects.filter(upload=minutes_import).order_by("position"))
    for imported in files:
        _read(tenant, imported)
    import_confirm(actor=actor, imported=files[0])


def _read(tenant: Tenant, imported: ImportedFile) -> None:
    """Read the file as the background job does, here and now."""
    job = GeneratedFile.objects.create(
        tenant=tenant,
        kind=READING_KIND,
        content_type=ContentType.objects.get_for_model(ImportedFile),
        object_id=imported.pk,
        audience="governance.edit",
        status=GeneratedFileStatus.RUNNING,
        attempts=1,
        started_at=timezone.now(),
    )
    jobs.run(job)

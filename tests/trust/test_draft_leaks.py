"""Drafts never leak (issue 18, item 1): until a draft is approved, only its
editors read it, on every read path.

In the demo programme, approved minutes are reopened for a revision, and a
marker is put into every free-text field of every row of the revision (the
drafts of its agenda items, decisions, assignments and attendance, found from
the models, so a new draftable field is covered), into the meeting's facts,
and into new items, decisions and assignments added through the services.
Other drafts get a marker of their own: minutes never approved, a draft
status report, an unpublished good example and self-assessments not yet
approved. Then every reader that is not the drafts' editor opens every
page (and the revised meeting's pages, and the drafts' own ids), submits every
search and filter form with the marker, reads every calendar feed and .ics,
every PDF they may request, every research export format, the streamed CSV
and the research API: the marker appears nowhere.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from typing import Any
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test import Client
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from governance.models import (
    AgendaItem,
    Meeting,
    MeetingDocument,
    MinutesStatus,
    ReportStatus,
    StatusReport,
)
from governance.services import calendar as calendar_services
from governance.services import decisions as decision_services
from governance.services import meeting_documents as document_services
from governance.services import meetings as meeting_services
from governance.services import minutes as minutes_services
from governance.services.revisions import DRAFTABLE, rows_of_meeting
from implementation.models import OPEN_STATUSES, CriterionRating, GoodExample, SelfAssessment
from portal.documents import jobs as document_jobs
from portal.documents import registry as documents
from research import datasets as research_datasets
from research import exports as research_exports
from research.models import DataExport, ExportFormat
from research.services import ZIPPED_FORMATS
from tests.trust.hostile import read_forms
from tests.trust.probe import (
    ROLES,
    Probe,
    choose,
    client_for,
    probes,
    unknown_string_kwargs,
    unmapped_kwargs,
    url_for,
)
from tests.trust.programmes import Programme, Programmes
from tests.trust.routemap import Pick
from tests.trust.test_escaping import free_text_fields

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

REVISION = "Qzmarkrevision"  # in the revision of approved minutes
DRAFT = "Qzmarkdraft"  # in minutes never approved, and in a draft status report
MARKERS = (REVISION, DRAFT)
SOUGHT = "Qzmark"  # what the search and filter forms ask for: both markers, not echoed whole
# A file the upload checks accept as a PDF, carrying the marker in its content.
MARKED_PDF = f"%PDF-1.4\n% {DRAFT} {REVISION}\n%%EOF\n".encode()
# Who reads what is not theirs to edit: everyone but the process leader.
READERS = [role for role in ROLES if role != "leader"]


def _mark(model: type[models.Model], rows: models.QuerySet[Any], marker: str) -> int:
    names = free_text_fields(model)
    if not names:
        return 0
    return rows.update(
        **{
            name: models.functions.Left(
                models.functions.Concat(
                    models.Value(f"{marker} "), models.functions.Cast("pk", models.TextField())
                ),
                model._meta.get_field(name).max_length or 10_000,
            )
            for name in names
        }
    )


def _revised_meeting(programme: Programme) -> Meeting:
    """Approved minutes with decisions and assignments, reopened and marked."""
    tenant, leader = programme.tenant, programme.users["leader"]
    meeting = (
        Meeting.objects.filter(tenant=tenant, minutes_status=MinutesStatus.APPROVED)
        .annotate(n=models.Count("decisions"))
        .order_by("-n", "-starts_at")
        .first()
    )
    assert meeting is not None and meeting.decisions.exists()
    meeting = minutes_services.minutes_revise(actor=leader, meeting=meeting, reason="Rättelse")
    marked = 0
    for model in DRAFTABLE:
        marked += _mark(model, rows_of_meeting(model, meeting, drafts=True), REVISION)
    assert marked > 5
    # The meeting's facts, and new rows, as a process leader types them.
    meeting_services.meeting_update(
        actor=leader,
        meeting=meeting,
        expected_version=meeting.version,
        title=f"{REVISION} titel",
        place=f"{REVISION} plats",
    )
    item = meeting_services.agenda_item_add(
        actor=leader, meeting=meeting, title=f"{REVISION} ny punkt", minutes=f"{REVISION} text"
    )
    decision = decision_services.decision_create(
        actor=leader, meeting=meeting, agenda_item=item, text=f"{REVISION} nytt beslut"
    )
    reporter_principal = programme.memberships["reporter"].principal
    meeting_services.agenda_action_create(
        actor=leader,
        item=item,
        decision=decision,
        description=f"{REVISION} nytt uppdrag",
        owner_principal=reporter_principal,
    )
    meeting_services.agenda_action_create(
        actor=leader, item=item, description=f"{REVISION} till alla", owner_all=True
    )
    # A document added in the revision, not shared: the process leaders' own.
    document_services.document_add(
        actor=leader,
        meeting=meeting,
        agenda_item=item,
        upload=SimpleUploadedFile(f"{REVISION}.pdf", MARKED_PDF, "application/pdf"),
        title=f"{REVISION} bilaga",
    )
    return Meeting.objects.get(pk=meeting.pk)


def _other_drafts(programme: Programme, revised: Meeting) -> None:
    """Minutes never approved, and a draft status report, carry their own marker."""
    tenant = programme.tenant
    draft_meeting = (
        Meeting.objects.filter(tenant=tenant, minutes_status=MinutesStatus.DRAFT, revising=False)
        .exclude(pk=revised.pk)
        .order_by("-starts_at")
        .first()
    )
    assert draft_meeting is not None
    # Its agenda is the notice, for every member; what was said is the draft.
    AgendaItem.objects.filter(meeting=draft_meeting).update(minutes=f"{DRAFT} text")
    # A meeting document not shared yet (handlingar): title, file name and content.
    document_services.document_add(
        actor=programme.users["leader"],
        meeting=draft_meeting,
        upload=SimpleUploadedFile(f"{DRAFT}.pdf", MARKED_PDF, "application/pdf"),
        title=f"{DRAFT} handling",
    )
    for model in DRAFTABLE:
        if model is not AgendaItem:
            _mark(model, rows_of_meeting(model, draft_meeting, drafts=False), DRAFT)
    report = StatusReport.objects.filter(tenant=tenant, status=ReportStatus.DRAFT).first()
    assert report is not None
    _mark(StatusReport, StatusReport.objects.filter(pk=report.pk), DRAFT)
    # Implementation's drafts, of a principal not the probe reporter's: an
    # unpublished good example, and a self-assessment not yet approved (with
    # its criterion ratings).
    own = programme.memberships["reporter"].principal
    example = GoodExample.objects.filter(tenant=tenant, published_at__isnull=True).exclude(
        principal=own
    )
    assert example.exists()
    _mark(GoodExample, example, DRAFT)
    assessments = SelfAssessment.objects.filter(tenant=tenant, status__in=OPEN_STATUSES).exclude(
        principal=own
    )
    assert assessments.exists()
    _mark(SelfAssessment, assessments, DRAFT)
    _mark(CriterionRating, CriterionRating.objects.filter(assessment__in=assessments), DRAFT)


@pytest.fixture(scope="module")
def revised(programmes: Programmes, django_db_blocker) -> tuple[Programme, Meeting]:
    programme = programmes.by_slug["sormland"]
    with django_db_blocker.unblock(), scope(tenant=programme.tenant):
        meeting = _revised_meeting(programme)
        _other_drafts(programme, meeting)
    return programme, meeting


def _found(text: str) -> list[str]:
    return [m for m in MARKERS if m in text]


def _variants(probe: Probe, chosen: dict[str, Any], meeting: Meeting) -> list[dict[str, Any]]:
    """The probe's own objects; with the revised meeting in place of a meeting;
    and with the revision's drafts (and their approved rows) in place of rows."""
    variants = [chosen]
    swapped = dict(chosen)
    drafts = dict(chosen)
    for kwarg, spec in probe.specs.items():
        if not isinstance(spec, Pick):
            continue
        if spec.model is Meeting:
            swapped[kwarg] = drafts[kwarg] = meeting
        elif spec.model is MeetingDocument:
            # The revision's unshared document, in place of a shared one.
            drafts[kwarg] = MeetingDocument.objects.get(meeting=meeting, shared_at__isnull=True)
        elif spec.model in DRAFTABLE:
            rows = rows_of_meeting(spec.model, meeting, drafts=True)  # type: ignore[arg-type]
            draft = rows.order_by("pk").first()
            if draft is not None:
                drafts[kwarg] = draft
                if draft.draft_of_id:
                    swapped[kwarg] = spec.model._base_manager.get(pk=draft.draft_of_id)
    for variant in (swapped, drafts):
        if variant != chosen and variant not in variants:
            variants.append(variant)
    return variants


def _filled_get_forms(html: str, url: str) -> list[str]:
    """The page's search and filter forms (GET), every text field asking for
    the markers' common start (a page echoes the query: not the marker)."""
    found = []
    for form in read_forms(html, url):
        if form.method != "get":
            continue
        data = {
            f.name: SOUGHT if f.type in ("text", "search", "textarea") else f.value
            for f in form.fields.values()
            if f.tag != "select" and f.type not in ("checkbox", "radio")
        }
        if any(v == SOUGHT for v in data.values()):
            found.append(f"{form.action}?{urlencode(data)}")
    return found


def test_readers_see_no_draft_on_any_page(revised):
    programme, meeting = revised
    problems: list[str] = []
    opened = 0
    for probe in probes(ids_only=False):
        if unmapped_kwargs(probe) or unknown_string_kwargs(probe) or "token" in probe.route.kwargs:
            continue
        for role in READERS:
            with scope(tenant=programme.tenant):
                chosen = choose(probe, programme, role)
                variants = _variants(probe, chosen, meeting)
            client = client_for(programme, role)
            for values in variants:
                with scope(tenant=programme.tenant):
                    url = url_for(probe, programme, values)
                response = client.get(url)
                if response.status_code >= 500:
                    problems.append(f"{role} GET {url} → {response.status_code}")
                if response.status_code != 200:
                    continue
                opened += 1
                body = b"".join(response) if response.streaming else response.content
                text = body.decode(errors="replace")
                problems += [f"{role} GET {url}: {m}" for m in _found(text)]
                if "html" in response.get("Content-Type", ""):
                    for search in _filled_get_forms(text, url):
                        answer = client.get(search)
                        problems += [
                            f"{role} GET {search}: {m}" for m in _found(answer.content.decode())
                        ]
    assert opened > 200
    assert problems == []


def test_the_editor_sees_the_revision(revised):
    """The probe's other side: the process leader does read the drafts (so the
    marker is really there to be found)."""
    programme, meeting = revised
    client = client_for(programme, "leader")
    page = client.get(
        reverse("governance:meeting_detail", args=[programme.tenant.slug, meeting.pk])
    )
    assert REVISION in page.content.decode()


def test_readers_see_no_draft_in_calendars(revised):
    programme, _meeting = revised
    problems = []
    for role in READERS:
        with scope(tenant=programme.tenant):
            _feed, token = calendar_services.feed_create(
                actor=programme.users[role], tenant=programme.tenant
            )
        feed = Client().get(
            reverse("governance:calendar_feed", args=[programme.tenant.slug, token])
        )
        assert feed.status_code == 200
        problems += [f"{role} feed: {m}" for m in _found(feed.content.decode())]
    assert problems == []


def test_readers_see_no_draft_in_any_document(revised):
    """Every document kind, for every object a reader may have it of."""
    programme, meeting = revised
    problems = []
    rendered = 0
    with scope(tenant=programme.tenant), scopes_disabled():
        for kind in documents.kinds():
            if isinstance(kind, documents.ExportDocument):
                continue  # research exports: below (the meeting pack's agenda is rendered here)
            objects = list(
                kind.model._default_manager.filter(tenant=programme.tenant).order_by("-pk")[:200]
            )
            if kind.model is Meeting:
                objects.insert(0, Meeting.objects.get(pk=meeting.pk))
            for obj in objects:
                members = [programme.memberships[r] for r in READERS]
                if not any(kind.may_request(m, obj) for m in members):
                    continue
                html, _audience = document_jobs.render_html(
                    kind=kind, obj=obj, tenant=programme.tenant
                )
                rendered += 1
                problems += [f"{kind.key} {obj.pk}: {m}" for m in _found(html)]
    assert rendered > 10
    assert problems == []


def _texts_in_zip(data: bytes) -> str:
    """Every file of a zip as text, a zip inside it (an .xlsx) opened too."""
    out = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            content = archive.read(name)
            if content[:2] == b"PK":
                out.append(_texts_in_zip(content))
            else:
                out.append(content.decode(errors="replace"))
    return "\n".join(out)


@pytest.mark.parametrize("format", [f.value for f in ExportFormat])
def test_researchers_see_no_draft_in_any_export(revised, format):
    programme, _meeting = revised
    with scope(tenant=programme.tenant):
        export = DataExport.objects.create(
            tenant=programme.tenant,
            requested_by=programme.users["researcher"],
            format=format,
            datasets=list(research_datasets.DATASETS),
            include_free_text=True,
        )
        if format in ZIPPED_FORMATS:
            data, _name = research_exports.build(export)
            text = _texts_in_zip(data)
        else:
            text = "".join(
                b"".join(research_exports.stream_csv(export, d)).decode()
                for d in research_datasets.DATASETS.values()
            )
    assert _found(text) == []
    # The export does carry the approved minutes' free text (the approved row
    # of a marked draft), so a marker would be seen.
    assert re.search(r"\w{4,}", text)


def test_researchers_see_no_draft_in_the_api(revised):
    programme, _meeting = revised
    headers = {"HTTP_AUTHORIZATION": f"Bearer {programme.api_token}"}
    problems = []
    slug = programme.tenant.slug
    for key in research_datasets.DATASETS:
        url: str | None = f"/api/research/v1/{slug}/datasets/{key}/rows?page_size=1000"
        while url:
            response = Client().get(url, **headers)
            assert response.status_code == 200, (key, response.content[:200])
            problems += [f"api {key}: {m}" for m in _found(response.content.decode())]
            url = json.loads(response.content)["next"]
    assert problems == []

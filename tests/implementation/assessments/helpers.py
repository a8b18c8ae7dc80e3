"""What the tests of assessments/ share (from test_assessment_views.py)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scopes_disabled

from implementation.models import CriterionRating, SelfAssessment, Step
from tests.helpers import audit_count, reload, rows, url_in
from tests.implementation.helpers import ratings_for

ROLES = ["leader", "steering", "reporter", "researcher", "admin"]

NOT_DRAFT_READERS = ["steering", "researcher", "admin"]

NOT_REVIEWERS = ["steering", "reporter", "researcher", "admin"]

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"

url = url_in("implementation")


def criteria(assessment) -> list:
    with scopes_disabled():
        return [
            c
            for s in Step.objects.filter(staircase_id=assessment.staircase_id)
            .order_by("number")
            .prefetch_related("criteria")
            for c in s.criteria.all()
        ]


def form_data(assessment, step: int, **extra) -> dict[str, object]:
    data: dict[str, object] = {
        "version": reload(assessment).version,
        "period_start": "2025-01-01",
        "period_end": "2025-06-30",
        "override_step": "",
        "override_justification": "",
        "evidence": "",
        "links": "",
        "comment": "",
    }
    for criterion_id, rating in ratings_for(assessment, step).items():
        data[f"criterion_{criterion_id}"] = rating
    data.update(extra)
    return data


def all_rows() -> tuple:
    return rows(SelfAssessment), rows(CriterionRating), audit_count()


LIST_QUERIES = 9

HISTORY_QUERIES = 6

REVIEW_QUERIES = 5


# Attachments ------------------------------------------------------------------------------


def upload(client, world, assessment, name="beslut.pdf", content=PDF):
    return client.post(
        url("attachment_add", world.tenant, assessment.pk),
        {"file": SimpleUploadedFile(name, content)},
    )

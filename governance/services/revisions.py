"""Revising approved minutes without publishing the revision before it is approved.

Approved (justerade) minutes are locked. A change starts a revision
(`minutes_revise`): every row of the minutes — agenda items, decisions,
assignments and attendance — is copied into a draft row (`revision_draft`,
`draft_of` the approved row). The process leaders edit the drafts; the approved
rows stay exactly as they were approved. Since the models' default manager
leaves draft rows out, every read path (registers, search, calendars,
dashboards, exports, the API, PDFs) keeps showing the approved minutes until
the revision is approved, whoever reads and whichever page is added later.

Approving the revision (`revision_merge`) writes the drafts back: references
to a draft are moved to its approved row, the approved row takes the draft's
content, and drafts of new rows become ordinary rows. The drafts are then
removed: they were working copies, and the approved text of every version
stays in its `MinutesVersion`.

Lifecycle fields that are not part of the minutes (an assignment's status, a
decision's repeal) are never taken from a draft: they change on the approved
row, through the registers, at any time.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Case, Value, When

from governance.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Decision,
    Meeting,
    RevisionDraftable,
)

# In dependency order: a decision points at an item, an assignment at both.
# (Typed loosely: the Django plugin cannot follow field lookups on a union of models.)
DRAFTABLE: tuple[Any, ...] = (AgendaItem, Decision, ActionItem, Attendance)

# Not part of the minutes: they change on the approved row at any time.
LIFECYCLE_FIELDS: dict[type[models.Model], frozenset[str]] = {
    ActionItem: frozenset({"status", "status_changed_at"}),
    Decision: frozenset({"status", "replaced_by"}),
}
_NEVER_COPIED = frozenset({"id", "tenant", "revision_draft", "draft_of", "created_at"})


def rows_of_meeting(model: Any, meeting: Meeting, *, drafts: bool) -> models.QuerySet[Any]:
    """Every row of `model` in the meeting's minutes (drafts or approved rows)."""
    rows = model._base_manager.filter(revision_draft=drafts)
    if model is ActionItem:
        return rows.filter(agenda_item__meeting=meeting)
    return rows.filter(meeting=meeting)


def revision_open(meeting: Meeting) -> int:
    """Copy the minutes' rows into drafts for a revision. Returns how many."""
    mapped: dict[type[models.Model], dict[int, int]] = {}
    count = 0
    for model in DRAFTABLE:
        rows = rows_of_meeting(model, meeting, drafts=False)
        if issubclass(model, (AgendaItem, ActionItem)):
            rows = rows.filter(archived_at__isnull=True)
        copies: dict[int, int] = {}
        for row in rows.order_by("pk"):
            copies[row.pk] = _copy(row, mapped).pk
        mapped[model] = copies
        count += len(copies)
    return count


def _copy(row: RevisionDraftable, mapped: dict[type[models.Model], dict[int, int]]) -> Any:
    model = type(row)
    values: dict[str, Any] = {}
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        value = getattr(row, field.attname)
        if field.is_relation and value is not None and field.related_model in mapped:
            value = mapped[field.related_model].get(value, value)
        values[field.attname] = value
    values.update(revision_draft=True, draft_of_id=row.pk)
    copy = model(**values)
    copy.save(force_insert=True)
    # auto_now_add stamped the copy with today: it keeps the approved row's time.
    stamped = {
        f.attname: getattr(row, f.attname)
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now_add", False)
    }
    if stamped:
        model._base_manager.filter(pk=copy.pk).update(**stamped)
    for field in model._meta.many_to_many:
        targets = list(_m2m_ids(row, field))
        if field.related_model in mapped:
            targets = [mapped[field.related_model].get(t, t) for t in targets]
        getattr(copy, field.attname).set(targets)
    return copy


def _m2m_ids(row: models.Model, field: models.ManyToManyField[Any, Any]) -> list[int]:
    through: Any = field.remote_field.through
    source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    return list(
        through._base_manager.filter(**{source: row.pk}).values_list(f"{target}_id", flat=True)
    )


def revision_merge(meeting: Meeting) -> dict[str, int]:
    """Write the revision's drafts back into the minutes (see the module's doc).
    Returns how many rows changed, were added and were removed, per kind."""
    summary: dict[str, int] = {"facts_changed": len(meeting.revision_facts)}
    if meeting.revision_facts:
        revised = meeting.with_revision_facts()
        names = [Meeting._meta.get_field(name).attname for name in meeting.revision_facts]  # type: ignore[union-attr]
        for attname in names:
            setattr(meeting, attname, getattr(revised, attname))
        meeting.revision_facts = {}
        meeting.save(update_fields=[*names, "revision_facts"])
    originals: dict[Any, dict[int, int]] = {}
    for model in DRAFTABLE:
        drafts = rows_of_meeting(model, meeting, drafts=True)
        originals[model] = dict(
            drafts.filter(draft_of__isnull=False).values_list("pk", "draft_of_id")
        )
    for model, mapping in originals.items():
        _repoint_references(model, mapping)
    for model in DRAFTABLE:
        mapping = originals[model]
        copies = {d.pk: d for d in model._base_manager.filter(pk__in=mapping)}
        approved = {o.pk: o for o in model._base_manager.filter(pk__in=mapping.values())}
        changed = 0
        for draft_pk, original_pk in mapping.items():
            changed += _write_back(copies[draft_pk], approved[original_pk])
        added = rows_of_meeting(model, meeting, drafts=True).exclude(pk__in=mapping).count()
        summary[f"{model._meta.model_name}_changed"] = changed
        summary[f"{model._meta.model_name}_added"] = added
    # Remove the copies, assignments before what they point at; then the new rows stay.
    for model in reversed(DRAFTABLE):
        model._base_manager.filter(pk__in=originals[model]).delete()
    for model in DRAFTABLE:
        rows_of_meeting(model, meeting, drafts=True).update(revision_draft=False)
    return summary


def _repoint_references(model: type[models.Model], mapping: dict[int, int]) -> None:
    """Every foreign key and many-to-many row that points at a draft of
    `model` points at its approved row instead (a risk raised at a draft item,
    a decision under it, an assignment's status history, …)."""
    if not mapping:
        return
    for relation in model._meta.related_objects:
        field = relation.field
        if field.name == "draft_of":
            continue
        if relation.many_to_many:
            # A many-to-many field of another row that lists drafts of `model`.
            queryset = field.remote_field.through._base_manager  # type: ignore[attr-defined]
            column = field.m2m_reverse_field_name()  # type: ignore[attr-defined]
        else:
            queryset = relation.related_model._base_manager
            column = field.name
        rows = queryset.filter(**{f"{column}__in": list(mapping)})
        if rows.exists():
            rows.update(
                **{
                    f"{column}_id": Case(
                        *(When(**{f"{column}_id": d}, then=Value(o)) for d, o in mapping.items()),
                        output_field=models.IntegerField(),
                    )
                }
            )


def _write_back(draft: RevisionDraftable, original: RevisionDraftable) -> int:
    """The approved row takes the draft's content (and many-to-many sets).
    Returns 1 if anything changed."""
    model = type(draft)
    skip = _NEVER_COPIED | LIFECYCLE_FIELDS.get(model, frozenset())
    changed = [
        f.attname
        for f in model._meta.concrete_fields
        if f.name not in skip
        and not f.primary_key
        and getattr(original, f.attname) != getattr(draft, f.attname)
    ]
    for attname in changed:
        setattr(original, attname, getattr(draft, attname))
    if changed:
        original.save(update_fields=changed)
    m2m_changed = False
    for field in model._meta.many_to_many:
        wanted = sorted(_m2m_ids(draft, field))
        if sorted(_m2m_ids(original, field)) != wanted:
            getattr(original, field.attname).set(wanted)
            m2m_changed = True
    return 1 if changed or m2m_changed else 0

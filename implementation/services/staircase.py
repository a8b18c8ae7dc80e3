"""The programme's staircase: the default, and editing it without rewriting history.

A staircase version is kept unchanged as soon as any self-assessment uses it.
Editing a used version first copies it to the next version (same steps and
criteria, same `key`s), makes the copy current and changes the copy; the old
version stays as it was for the assessments made against it. A version no
assessment uses yet is edited in place, and a step or criterion removed from
it is deleted (its text is kept in the audit event).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from implementation.defaults import DEFAULT_STAIRCASE_NAME, DEFAULT_STEPS
from implementation.models import Criterion, SelfAssessment, Staircase, Step
from portal import audit
from portal.models import Tenant, User
from portal.services import DomainError, claim_version


def staircase_ensure_default(tenant: Tenant, *, actor: User | None = None) -> Staircase:
    """The programme's current staircase, created from the default the first
    time anyone needs it (the implementation pages call this, and seed_demo)."""
    current = Staircase.objects.filter(tenant=tenant, is_current=True).first()
    if current is not None:
        return current
    return _create_default(tenant, actor=actor)


@transaction.atomic
def _create_default(tenant: Tenant, *, actor: User | None) -> Staircase:
    # Two first visits at once: the second waits here and finds the first's.
    Tenant.objects.select_for_update().filter(pk=tenant.pk).first()
    current = Staircase.objects.filter(tenant=tenant, is_current=True).first()
    if current is not None:
        return current
    latest = Staircase.objects.filter(tenant=tenant).aggregate(v=Max("version"))["v"] or 0
    staircase = Staircase.objects.create(
        tenant=tenant,
        version=latest + 1,
        name=DEFAULT_STAIRCASE_NAME,
        is_current=True,
        created_by=actor if actor is not None and actor.pk else None,
    )
    for number, spec in enumerate(DEFAULT_STEPS, start=1):
        step = Step.objects.create(
            tenant=tenant,
            staircase=staircase,
            number=number,
            name=spec.name,
            description=spec.description,
            goal=spec.goal,
        )
        Criterion.objects.bulk_create(
            Criterion(tenant=tenant, step=step, position=position, text=text)
            for position, text in enumerate(spec.criteria, start=1)
        )
    audit.log(
        actor=actor,
        tenant=tenant,
        action="staircase.default.create",
        obj=staircase,
        after={
            **(audit.snapshot(staircase) or {}),
            "steps": [spec.name for spec in DEFAULT_STEPS],
        },
    )
    return staircase


def is_used(staircase: Staircase) -> bool:
    """A version that an assessment (in any status) was made against is kept as it is."""
    return SelfAssessment.objects.filter(staircase=staircase).exists()


def _writable(staircase: Staircase, *, actor: User | None) -> tuple[Staircase, int | None]:
    """The version to change: `staircase` itself when no assessment uses it,
    else a new current copy of it. Returns (version to change, the version it
    was copied from or None). Only the current version can be changed; the
    row lock makes two editors take turns."""
    current = (
        Staircase.objects.select_for_update()
        .filter(tenant_id=staircase.tenant_id, is_current=True)
        .first()
    )
    if current is None or current.pk != staircase.pk:
        raise DomainError(
            _(
                "The staircase has been changed since you opened it: only the current "
                "version can be edited. Reload the page and try again."
            )
        )
    if not is_used(current):
        return current, None
    return _copy(current, actor=actor), current.version


def _copy(current: Staircase, *, actor: User | None) -> Staircase:
    now = timezone.now()
    current.is_current = False
    current.superseded_at = now
    current.save(update_fields=["is_current", "superseded_at"])
    new = Staircase.objects.create(
        tenant_id=current.tenant_id,
        version=current.version + 1,
        name=current.name,
        is_current=True,
        created_by=actor if actor is not None and actor.pk else None,
    )
    for step in current.steps.prefetch_related("criteria").order_by("number"):
        copy = Step.objects.create(
            tenant_id=current.tenant_id,
            staircase=new,
            number=step.number,
            name=step.name,
            description=step.description,
            goal=step.goal,
            key=step.key,
            # A form opened on the step before the copy is as stale for the copy.
            version=step.version,
        )
        Criterion.objects.bulk_create(
            Criterion(
                tenant_id=current.tenant_id,
                step=copy,
                position=criterion.position,
                text=criterion.text,
                key=criterion.key,
                version=criterion.version,
            )
            for criterion in step.criteria.all()
        )
    return new


def _version_note(staircase: Staircase, copied_from: int | None) -> dict[str, object]:
    note: dict[str, object] = {"staircase_version": staircase.version}
    if copied_from is not None:
        note["new_version_from"] = copied_from
    return note


def _clean_text(value: str, *, field: str, message: str) -> str:
    value = value.strip()
    if not value:
        raise ValidationError({field: message})
    return value


# Steps ------------------------------------------------------------------------


@transaction.atomic
def step_update(
    *,
    actor: User | None,
    step: Step,
    name: str,
    description: str = "",
    goal: str = "",
    expected_version: int | None = None,
) -> Step:
    """Change a step's name, description and goal. Returns the changed step,
    which is a new row when the change started a new version. A change from a
    form opened at an older version of the step than `expected_version` is
    refused (`claim_version`)."""
    name = _clean_text(name, field="name", message=_("A step needs a name."))
    fields = {"name": name, "description": description.strip(), "goal": goal.strip()}
    if all(getattr(step, key) == value for key, value in fields.items()):
        return step
    before = audit.snapshot(step)
    staircase, copied_from = _writable(step.staircase, actor=actor)
    target = Step.objects.get(staircase=staircase, key=step.key)
    claim_version(target, expected_version)
    for key, value in fields.items():
        setattr(target, key, value)
    target.full_clean()
    target.save(update_fields=list(fields))
    audit.log(
        actor=actor,
        tenant=staircase.tenant,
        action="step.update",
        obj=target,
        before=before,
        after={**(audit.snapshot(target) or {}), **_version_note(staircase, copied_from)},
    )
    return target


@transaction.atomic
def step_add(
    *, actor: User | None, staircase: Staircase, name: str, description: str = "", goal: str = ""
) -> Step:
    """Add a step at the top of the staircase."""
    name = _clean_text(name, field="name", message=_("A step needs a name."))
    target_staircase, copied_from = _writable(staircase, actor=actor)
    number = (target_staircase.steps.aggregate(n=Max("number"))["n"] or 0) + 1
    step = Step(
        tenant_id=target_staircase.tenant_id,
        staircase=target_staircase,
        number=number,
        name=name,
        description=description.strip(),
        goal=goal.strip(),
    )
    step.full_clean()
    step.save()
    audit.log(
        actor=actor,
        tenant=target_staircase.tenant,
        action="step.add",
        obj=step,
        after={**(audit.snapshot(step) or {}), **_version_note(target_staircase, copied_from)},
    )
    return step


@transaction.atomic
def step_remove(*, actor: User | None, step: Step) -> Staircase:
    """Take a step, with its criteria, out of the staircase; the steps above it
    move down one. Returns the staircase version it was taken out of."""
    if step.staircase.steps.count() <= 1:
        raise DomainError(_("The staircase needs at least one step."))
    before = {
        **(audit.snapshot(step) or {}),
        "criteria": list(step.criteria.order_by("position").values_list("text", flat=True)),
    }
    staircase, copied_from = _writable(step.staircase, actor=actor)
    target = Step.objects.get(staircase=staircase, key=step.key)
    target.criteria.all().delete()
    number = target.number
    target.delete()
    # Ascending, so each step moves into the number just freed.
    for above in staircase.steps.filter(number__gt=number).order_by("number"):
        above.number -= 1
        above.save(update_fields=["number"])
    audit.log(
        actor=actor,
        tenant=staircase.tenant,
        action="staircase.step.remove",
        obj=staircase,
        before=before,
        after=_version_note(staircase, copied_from),
    )
    return staircase


# Criteria -----------------------------------------------------------------------


@transaction.atomic
def criterion_add(*, actor: User | None, step: Step, text: str) -> Criterion:
    text = _clean_text(text, field="text", message=_("Write the criterion."))
    staircase, copied_from = _writable(step.staircase, actor=actor)
    target_step = Step.objects.get(staircase=staircase, key=step.key)
    position = (target_step.criteria.aggregate(p=Max("position"))["p"] or 0) + 1
    criterion = Criterion(
        tenant_id=staircase.tenant_id, step=target_step, position=position, text=text
    )
    criterion.full_clean()
    criterion.save()
    audit.log(
        actor=actor,
        tenant=staircase.tenant,
        action="criterion.add",
        obj=criterion,
        after={**(audit.snapshot(criterion) or {}), **_version_note(staircase, copied_from)},
    )
    return criterion


@transaction.atomic
def criterion_update(
    *, actor: User | None, criterion: Criterion, text: str, expected_version: int | None = None
) -> Criterion:
    """Change a criterion's text (in a new version of the staircase when an
    assessment uses this one). A change from a form opened at an older version
    of the criterion than `expected_version` is refused (`claim_version`)."""
    text = _clean_text(text, field="text", message=_("Write the criterion."))
    if text == criterion.text:
        return criterion
    before = audit.snapshot(criterion)
    staircase, copied_from = _writable(criterion.step.staircase, actor=actor)
    target = Criterion.objects.get(step__staircase=staircase, key=criterion.key)
    claim_version(target, expected_version)
    target.text = text
    target.full_clean()
    target.save(update_fields=["text"])
    audit.log(
        actor=actor,
        tenant=staircase.tenant,
        action="criterion.update",
        obj=target,
        before=before,
        after={**(audit.snapshot(target) or {}), **_version_note(staircase, copied_from)},
    )
    return target


@transaction.atomic
def criterion_remove(*, actor: User | None, criterion: Criterion) -> Step:
    """Take a criterion out of its step. Returns the step it was taken out of."""
    before = audit.snapshot(criterion)
    staircase, copied_from = _writable(criterion.step.staircase, actor=actor)
    target = Criterion.objects.select_related("step").get(
        step__staircase=staircase, key=criterion.key
    )
    step = target.step
    position = target.position
    target.delete()
    for below in step.criteria.filter(position__gt=position).order_by("position"):
        below.position -= 1
        below.save(update_fields=["position"])
    audit.log(
        actor=actor,
        tenant=staircase.tenant,
        action="step.criterion.remove",
        obj=step,
        before=before,
        after=_version_note(staircase, copied_from),
    )
    return step

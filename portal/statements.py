"""The programme's statements (issue 16, items 4 and 5): its accessibility
statement with DIGG's mandatory content and the feedback sent through it, who
is responsible for its personal data, and the export of everything the portal
holds about one person (GDPR articles 15 and 20).

Reads first (the statements as shown, with the portal's own statement as the
default of a programme that has not written its own), then the writes, each
atomic, validated and audited like `portal.services`.
"""

from __future__ import annotations

import datetime
import logging
import re
from dataclasses import dataclass
from typing import Any, cast

from django.apps import apps
from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, models, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_scopes import scopes_disabled

from portal import audit, drafts
from portal.models import (
    AccessibilityFeedback,
    AccessibilityStatement,
    AssessmentMethod,
    AuditEvent,
    ComplianceStatus,
    Membership,
    Person,
    PrivacyStatement,
    Role,
    ShortcomingReason,
    Tenant,
    User,
)
from portal.services import ConflictError, DomainError, _stale_message, update_audited

logger = logging.getLogger(__name__)

# The portal's own statement (templates/portal/accessibility.html) was last
# reviewed then; a programme's default statement says so too.
PORTAL_STATEMENT_REVIEWED = datetime.date(2026, 12, 1)

# The known shortcomings of the portal's own statement, in its words (the same
# messages, so they read the same in both languages).
_PORTAL_SHORTCOMINGS = (
    gettext_lazy(
        "Files that users attach (for example evidence for a self-assessment) and documents "
        "from before the portal may not be accessible. Ask us if you need one in another format."
    ),
    gettext_lazy(
        "PDF documents created by the portal are tagged for accessibility as far as the PDF "
        "tool supports it; complex tables in them may be read in a less helpful order."
    ),
    gettext_lazy(
        "Date and time fields use the browser's own date control. The order of its parts and "
        "its language follow the browser's settings, not the language chosen in the portal."
    ),
    gettext_lazy(
        "Wide tables, such as the risk matrix and the staircase matrix, scroll sideways on "
        "narrow screens instead of reflowing; a table that scrolls can be scrolled with the "
        "arrow keys once it has the focus."
    ),
)
_PORTAL_ASSESSMENT = gettext_lazy(
    "Every change to the portal runs the same automated tests before it is released. They "
    "use a real browser (headless Chromium) against the portal running as in production."
)


# Reads ---------------------------------------------------------------------------------


def default_accessibility_statement(tenant: Tenant) -> AccessibilityStatement:
    """The statement a programme shows before its administrators write their
    own: the portal's statement, in the current language, with the
    programme's region as the responsible organisation. Not saved."""
    return AccessibilityStatement(
        tenant=tenant,
        organisation=tenant.region,
        compliance=ComplianceStatus.PARTIAL,
        shortcomings=[
            {
                "description": str(text),
                "reason": ShortcomingReason.NON_COMPLIANCE.value,
                "explanation": "",
                "planned_fix": "",
            }
            for text in _PORTAL_SHORTCOMINGS
        ],
        assessment_method=AssessmentMethod.SELF,
        assessed_on=PORTAL_STATEMENT_REVIEWED,
        assessment_description=str(_PORTAL_ASSESSMENT),
        updated_on=PORTAL_STATEMENT_REVIEWED,
    )


def accessibility_statement_for(tenant: Tenant) -> AccessibilityStatement:
    """The programme's statement as saved, or the default (unsaved, pk None)."""
    saved = AccessibilityStatement.objects.filter(tenant=tenant).first()
    return saved if saved is not None else default_accessibility_statement(tenant)


def privacy_statement_for(tenant: Tenant) -> PrivacyStatement:
    """The programme's controller and data protection officer as saved, or an
    empty, unsaved one (pk None: the notice says they are not named yet)."""
    saved = PrivacyStatement.objects.filter(tenant=tenant).first()
    return saved if saved is not None else PrivacyStatement(tenant=tenant)


@dataclass(frozen=True)
class ProgrammePrivacy:
    tenant: Tenant
    statement: PrivacyStatement | None


def privacy_by_programme() -> list[ProgrammePrivacy]:
    """Every active programme with its privacy details (None: not named yet),
    for the portal's own privacy notice, which lists them all. Two queries."""
    with scopes_disabled():
        tenants = list(Tenant.objects.filter(is_active=True).order_by("name"))
        saved = {
            s.tenant_id: s
            for s in PrivacyStatement.objects.filter(tenant__in=tenants).select_related("tenant")
        }
    return [ProgrammePrivacy(tenant, saved.get(tenant.pk)) for tenant in tenants]


def active_programmes() -> list[Tenant]:
    return list(Tenant.objects.filter(is_active=True).order_by("name"))


def feedback_list(tenant: Tenant, *, limit: int = 50) -> list[AccessibilityFeedback]:
    return list(AccessibilityFeedback.objects.filter(tenant=tenant)[:limit])


# Writes --------------------------------------------------------------------------------


def _save_singleton[S: AccessibilityStatement | PrivacyStatement](
    model: type[S],
    *,
    actor: User | None,
    tenant: Tenant,
    expected_version: int | None,
    fields: dict[str, Any],
    stamp: str | None = None,
) -> S:
    """Create the programme's one row of `model`, or update it, audited.

    A form opened on the default (no version) is stale once someone has saved
    the row; a form with a version is checked by `claim_version`. `stamp`
    names a date field that is set to today whenever anything changes."""
    existing = cast(
        "S | None", model._default_manager.select_for_update().filter(tenant=tenant).first()
    )
    today = timezone.localdate()
    if existing is None:
        if stamp:
            fields = {**fields, stamp: today}
        obj = model(tenant=tenant, **fields)
        obj.full_clean()
        try:
            with transaction.atomic():
                obj.save()
        except IntegrityError:
            # Two first saves at once: the other one won.
            raise DomainError(_stale_message()) from None
        audit.log(
            actor=actor,
            tenant=tenant,
            action=f"{audit.noun(obj)}.create",
            obj=obj,
            after=audit.snapshot(obj),
        )
        return obj
    if expected_version is None:
        raise ConflictError(_stale_message(), version=existing.version, saved=existing)
    if stamp and any(getattr(existing, name) != value for name, value in fields.items()):
        fields = {**fields, stamp: today}
    return update_audited(
        existing, actor=actor, tenant=tenant, fields=fields, expected_version=expected_version
    )


@transaction.atomic
def accessibility_statement_save(
    *,
    actor: User | None,
    tenant: Tenant,
    expected_version: int | None = None,
    organisation: str,
    contact_email: str = "",
    contact_phone: str = "",
    compliance: str,
    shortcomings: list[dict[str, str]],
    assessment_method: str,
    assessed_on: datetime.date,
    assessment_description: str = "",
) -> AccessibilityStatement:
    """Save the programme's accessibility statement; its "last updated" date
    moves to today whenever anything in it changes."""
    return _save_singleton(
        AccessibilityStatement,
        actor=actor,
        tenant=tenant,
        expected_version=expected_version,
        fields={
            "organisation": organisation,
            "contact_email": contact_email,
            "contact_phone": contact_phone,
            "compliance": compliance,
            "shortcomings": shortcomings,
            "assessment_method": assessment_method,
            "assessed_on": assessed_on,
            "assessment_description": assessment_description,
        },
        stamp="updated_on",
    )


@transaction.atomic
def privacy_statement_save(
    *, actor: User | None, tenant: Tenant, expected_version: int | None = None, **fields: Any
) -> PrivacyStatement:
    """Save who is responsible for the programme's personal data."""
    return _save_singleton(
        PrivacyStatement,
        actor=actor,
        tenant=tenant,
        expected_version=expected_version,
        fields=fields,
    )


@transaction.atomic
def feedback_submit(
    *, tenant: Tenant, message: str, name: str = "", email: str = "", page: str = "", base_url: str
) -> AccessibilityFeedback:
    """Keep a message sent through the accessibility statement (no login) and,
    after the commit, mail it to the programme's administrators. The message
    is kept whether or not the mail goes: the administrators see it on the
    statement's page too."""
    feedback = AccessibilityFeedback(
        tenant=tenant, message=message.strip(), name=name.strip(), email=email, page=page.strip()
    )
    feedback.full_clean()
    feedback.save()
    audit.log(
        actor=None,
        tenant=tenant,
        action="accessibility_feedback.create",
        obj=feedback,
        after=audit.snapshot(feedback, exclude=("message", "name", "email")),
    )
    feedback_id = feedback.pk
    transaction.on_commit(
        lambda: feedback_notify(feedback_id=feedback_id, base_url=base_url), robust=True
    )
    return feedback


def admin_addresses(tenant: Tenant) -> list[str]:
    """The e-mail addresses of the programme's active administrators."""
    return sorted(
        set(
            Membership.objects.filter(
                tenant=tenant, role=Role.TENANT_ADMIN, is_active=True, user__is_active=True
            )
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )


def feedback_notify(*, feedback_id: int, base_url: str) -> bool:
    """Mail one feedback message to the programme's administrators, once
    (`notified_at`). False when there is nobody to mail or it went already."""
    with scopes_disabled():
        feedback = (
            AccessibilityFeedback.objects.select_related("tenant").filter(pk=feedback_id).first()
        )
        if feedback is None or feedback.notified_at is not None:
            return False
        recipients = admin_addresses(feedback.tenant)
    if not recipients:
        logger.warning("Accessibility feedback %s: the programme has no administrator", feedback_id)
        return False
    tenant = feedback.tenant
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "tenant": tenant,
            "feedback": feedback,
            "admin_url": base_url.rstrip("/")
            + f"/{tenant.slug}/admin/redogorelser/tillganglighet/",
        }
        subject = _("Feedback on the accessibility of %(programme)s") % {"programme": tenant.name}
        body = render_to_string("portal/statement_feedback_email.txt", context)
    send_mail(
        subject,
        body,
        None,
        recipients,
        fail_silently=False,
    )
    with scopes_disabled():
        AccessibilityFeedback.objects.filter(pk=feedback.pk).update(notified_at=timezone.now())
    return True


# The person export (GDPR articles 15 and 20) ------------------------------------------

EXPORT_FORMAT = "samverkansportalen.person.v1"
# Never exported, whoever's they are: credentials and the secrets of links.
_SECRET = re.compile(r"password|token|secret|_key$|key_hash", re.IGNORECASE)


def _row(obj: models.Model | None) -> dict[str, Any] | None:
    if obj is None:
        return None
    secret = tuple(f.name for f in obj._meta.concrete_fields if _SECRET.search(f.name))
    return audit.snapshot(obj, exclude=secret)


def _has_tenant(model: type[models.Model]) -> bool:
    return any(f.name == "tenant" for f in model._meta.concrete_fields)


def _pointing_fields(target: type[models.Model]) -> list[tuple[type[models.Model], str]]:
    """Every (model, field) of the project that points at `target`: foreign
    keys, one-to-ones and many-to-manys, whatever their `related_name`."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy or model in (Membership, AuditEvent):
            continue
        for field in model._meta.get_fields():
            if (
                field.is_relation
                and not field.auto_created
                and field.related_model is target
                and (field.many_to_one or field.one_to_one or field.many_to_many)
            ):
                found.append((model, field.name))
    return found


def person_data(person: Person) -> dict[str, Any]:
    """Everything the portal holds about `person` in their programme, as data.

    Rows that point at the person (attendance, seats, appointments,
    signatures, consents, assignments they own, …) are found by following
    every relation to `Person`, so a new app's rows are included without
    changing this. Of rows that only record that their login did something
    (created a document, approved minutes) the export names the row, not its
    content, which is the programme's and may be about other people; the
    same goes for the audit events they are the actor of. Nothing of another
    programme: rows are limited to the person's programme."""
    tenant_id = person.tenant_id
    membership = (
        Membership.objects.filter(tenant_id=tenant_id, person=person).select_related("user").first()
    )
    user = membership.user if membership is not None else None

    about: dict[str, list[dict[str, Any]]] = {}
    for model, name in _pointing_fields(Person):
        rows = model._base_manager.filter(**{name: person}).order_by("pk").distinct()
        if _has_tenant(model):
            rows = rows.filter(tenant_id=tenant_id)
        for obj in rows:
            label = model._meta.label_lower
            listed = about.setdefault(label, [])
            if not any(row["id"] == obj.pk for row in listed):
                # A draft (minutes not yet approved, an unpublished example) is
                # its editors' only: named, its content left out until then.
                listed.append(
                    {"id": obj.pk, "draft": True} if drafts.is_draft(obj) else _row(obj) or {}
                )

    done_by: list[dict[str, Any]] = []
    if user is not None:
        for model, name in _pointing_fields(User):
            if not _has_tenant(model):
                continue  # not the programme's (sessions, devices): not limited to it
            pks = (
                model._base_manager.filter(**{name: user, "tenant_id": tenant_id})
                .order_by("pk")
                .values_list("pk", flat=True)
                .distinct()
            )
            done_by.extend(
                {"model": model._meta.label_lower, "field": name, "id": pk} for pk in pks
            )

    subjects = models.Q(object_type=Person._meta.label_lower, object_id=str(person.pk))
    if membership is not None:
        subjects |= models.Q(object_type=Membership._meta.label_lower, object_id=str(membership.pk))
    events = AuditEvent.objects.filter(tenant_id=tenant_id).filter(
        subjects | (models.Q(actor=user) if user is not None else models.Q(pk__in=[]))
    )
    audit_events = []
    for event in events.order_by("created_at", "id"):
        entry: dict[str, Any] = {
            "id": event.pk,
            "created_at": event.created_at.isoformat(),
            "action": event.action,
            "object_type": event.object_type,
            "object_id": event.object_id,
            "by_them": user is not None and event.actor_id == user.pk,
        }
        is_subject = (event.object_type, event.object_id) in {
            (Person._meta.label_lower, str(person.pk)),
            *(
                [(Membership._meta.label_lower, str(membership.pk))]
                if membership is not None
                else []
            ),
        }
        if is_subject:
            entry["before"] = event.before
            entry["after"] = event.after
        audit_events.append(entry)

    return {
        "format": EXPORT_FORMAT,
        "exported_at": timezone.now().isoformat(),
        "programme": {"slug": person.tenant.slug, "name": person.tenant.name},
        "person": _row(person),
        "membership": _row(membership),
        "user": _row(user),
        "related": about,
        "recorded_as_done_by_them": done_by,
        "audit_events": audit_events,
    }


@transaction.atomic
def person_export(*, actor: User, person: Person) -> dict[str, Any]:
    """`person_data`, with an audit event that it was handed out and to whom."""
    data = person_data(person)
    audit.log(
        actor=actor,
        tenant=person.tenant,
        action="person.export",
        obj=person,
        after={"rows": sum(len(rows) for rows in data["related"].values())},
    )
    return data

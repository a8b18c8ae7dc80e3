"""The public site of a programme (issue 15): whether it is on, what it
shows besides the always-public content, and the consents that let a
person's contact details appear on it.

Nothing here holds content of its own: the public pages show the
programme's published good examples, approved staircase steps, ongoing
plan activities, public events and (where the programme opts in) its
register of decisions and justerade minutes, read from the other apps.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.models import Person, TenantOwned, Versioned


class PublicSite(TenantOwned, Versioned):
    """One programme's public site at /p/<slug>/: off until a programme
    administrator switches it on."""

    enabled = models.BooleanField(_("the public site is on"), default=False)
    show_decisions = models.BooleanField(
        _("publish the register of decisions and the approved minutes"),
        default=False,
        help_text=_("Decisions and minutes of meetings whose minutes are approved (justerade)."),
    )
    introduction = models.TextField(
        _("introduction"),
        blank=True,
        help_text=_(
            "Shown first on the programme's public page; the programme's description if empty."
        ),
    )
    contact_email = models.EmailField(_("contact e-mail of the programme"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("public site")
        verbose_name_plural = _("public sites")
        constraints = [models.UniqueConstraint(fields=["tenant"], name="publicsite_one_per_tenant")]

    def __str__(self) -> str:
        return str(self.tenant)


class ContactConsent(TenantOwned):
    """A person's consent to show their contact details on the public site:
    who recorded it, when and how it was given, and which details. Withdrawn,
    it stays for the record (`withdrawn_at`), and the person is gone from
    every public page at once."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="contact_consents", verbose_name=_("person")
    )
    show_title = models.BooleanField(_("title and organisation"), default=True)
    show_email = models.BooleanField(_("work e-mail"), default=True)
    show_phone = models.BooleanField(_("work phone"), default=False)
    given_on = models.DateField(_("given on"))
    how = models.CharField(
        _("how it was given"),
        max_length=200,
        help_text=_("For example: by e-mail to the process leaders, 3 March 2026."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name = _("consent to public contact details")
        verbose_name_plural = _("consents to public contact details")
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(withdrawn_at__isnull=True),
                name="contactconsent_one_active_per_person",
            ),
        ]

    def __str__(self) -> str:
        return str(self.person)

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None


# Newsletter -------------------------------------------------------------------------


class NewsletterStatus(models.TextChoices):
    DRAFT = "utkast", _("Draft")
    SENDING = "skickas", _("Being sent")
    SENT = "skickat", _("Sent")


class Newsletter(TenantOwned, Versioned):
    """One issue of the programme's newsletter: composed by the process
    leaders from the public content that is new since the last issue,
    edited, and sent by Celery to the confirmed subscribers. A sent issue
    stays readable on the public site."""

    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), help_text=_("Markdown: headings, lists and links."))
    since = models.DateTimeField(_("new content since"))
    status = models.CharField(
        _("status"), max_length=20, choices=NewsletterStatus.choices, default=NewsletterStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("newsletter")
        verbose_name_plural = _("newsletters")

    def __str__(self) -> str:
        return self.title


class Subscriber(TenantOwned):
    """An address that asked for the newsletter on the public site. Used for
    the newsletter and nothing else: confirmed by the link mailed to it
    (double opt-in), and unsubscribed with one click from any issue.
    `token` is the secret of those links (only its hash is kept)."""

    email = models.EmailField(_("e-mail"))
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)

    class Meta:
        ordering = ["email"]
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "email"], name="subscriber_unique_email"),
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def is_active(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None


class NewsletterDelivery(TenantOwned):
    """One issue mailed to one subscriber (or why it could not be)."""

    newsletter = models.ForeignKey(Newsletter, on_delete=models.PROTECT, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["newsletter", "subscriber"], name="newsletterdelivery_unique"
            ),
        ]

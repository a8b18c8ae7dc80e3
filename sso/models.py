"""Single sign-on (issue 16, item 1): the identity providers the installation
trusts, each programme's SSO requirement, and the SAML assertions already used.

An identity provider is the installation's, not a programme's: the login page
comes before any programme. Providers are edited in the Django admin or
declared in the environment (`SSO_PROVIDERS`, see `sso.providers`)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.models import TenantOwned, Versioned


class ProviderKind(models.TextChoices):
    OIDC = "oidc", _("OpenID Connect")
    SAML = "saml", _("SAML 2.0")


class IdentityProvider(models.Model):
    """An organisation's login service (Entra ID, Sweden Connect, Sambi,
    Skolfederation …). A login through it is matched to an invited user by
    `match_attribute`; it never creates a user nor grants a membership."""

    kind = models.CharField(_("kind"), max_length=4, choices=ProviderKind.choices)
    name = models.CharField(
        _("name"),
        max_length=100,
        help_text=_("Shown on the login button: “Log in with your organisation's account (name)”."),
    )
    slug = models.SlugField(_("address"), max_length=60, unique=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    match_attribute = models.CharField(
        _("attribute to match"),
        max_length=200,
        default="email",
        help_text=_(
            "The claim (OIDC) or attribute (SAML) whose value is an invited user's e-mail "
            "address. OIDC's “email” counts only when “email_verified” is true."
        ),
    )
    # OpenID Connect
    oidc_discovery_url = models.URLField(
        _("OIDC issuer or discovery address"),
        max_length=500,
        blank=True,
        help_text=_(
            "The issuer (https://login.microsoftonline.com/<tenant>/v2.0) or its "
            "/.well-known/openid-configuration address."
        ),
    )
    oidc_client_id = models.CharField(_("OIDC client id"), max_length=200, blank=True)
    oidc_client_secret = models.CharField(_("OIDC client secret"), max_length=500, blank=True)
    oidc_scopes = models.CharField(_("OIDC scopes"), max_length=200, default="openid email profile")
    # SAML 2.0
    saml_metadata_url = models.URLField(_("SAML IdP metadata address"), max_length=500, blank=True)
    saml_metadata_xml = models.TextField(
        _("SAML IdP metadata (XML)"),
        blank=True,
        help_text=_("Paste the metadata here when it is a file rather than an address."),
    )
    saml_sp_entity_id = models.CharField(
        _("SAML entity id of the portal"),
        max_length=500,
        blank=True,
        help_text=_("Empty: the address of the portal's metadata for this provider."),
    )
    # Declared by the environment (SSO_PROVIDERS): rewritten at start-up.
    from_environment = models.BooleanField(_("declared in the environment"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("identity provider")
        verbose_name_plural = _("identity providers")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.kind == ProviderKind.OIDC:
            if not self.oidc_discovery_url:
                errors["oidc_discovery_url"] = _("An OIDC provider needs its issuer address.")
            if not self.oidc_client_id:
                errors["oidc_client_id"] = _("An OIDC provider needs a client id.")
            if "openid" not in self.oidc_scopes.split():
                errors["oidc_scopes"] = _("The scopes must include “openid”.")
        if self.kind == ProviderKind.SAML and not (
            self.saml_metadata_url or self.saml_metadata_xml.strip()
        ):
            errors["saml_metadata_url"] = _(
                "A SAML provider needs its metadata: an address or XML."
            )
        if errors:
            raise ValidationError(errors)


class ProgrammeSsoPolicy(TenantOwned, Versioned):
    """A programme's login requirement: when `require_sso` is on, its pages
    are open only to sessions that logged in through an identity provider
    (`sso.middleware.SsoPolicyMiddleware`)."""

    require_sso = models.BooleanField(
        _("require single sign-on"),
        default=False,
        help_text=_(
            "Members must log in with their organisation's account to open the programme; "
            "a password login is not enough."
        ),
    )

    class Meta:
        verbose_name = _("single sign-on requirement")
        verbose_name_plural = _("single sign-on requirements")
        constraints = [
            models.UniqueConstraint(fields=["tenant"], name="programmessopolicy_one"),
        ]

    def __str__(self) -> str:
        return str(self.tenant_id)


class UsedAssertion(models.Model):
    """A SAML assertion that has logged someone in: the same one again is a
    replay, refused until it would have expired anyway."""

    provider = models.ForeignKey(IdentityProvider, on_delete=models.CASCADE)
    assertion_id = models.CharField(max_length=200)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "assertion_id"], name="usedassertion_once"),
        ]

    def __str__(self) -> str:
        return self.assertion_id

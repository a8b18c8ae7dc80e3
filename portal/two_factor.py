"""Two-factor login with an authenticator app (TOTP, django-otp).

A user turns it on by scanning a QR code (or typing the secret) and confirming
with a code; from then on logging in takes the password and then a code. A
programme can require it of its administrators (`Tenant.require_admin_two_factor`):
the programme's policy (`portal.tenancy.policy_refusal`) then refuses such an
administrator, and `TenantMiddleware` sends them to set it up, or to enter a
code, before any page of that programme. Their calendar feeds and other tokens
stop working until they have set it up (`portal.tenancy.token_membership`).

The secret is never written to the audit log; wrong codes are throttled by
django-otp (each failure doubles the wait before the next try).
"""

from __future__ import annotations

import time
from base64 import b32encode
from binascii import unhexlify
from urllib.parse import urlencode

import segno
from django import forms
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_htmx.http import HttpResponseClientRedirect
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key
from django_scopes import scopes_disabled

from portal import audit
from portal.models import Membership, Role, Tenant, User
from portal.services import DomainError

# Between the password step and the code step of a login: who, how, since when.
PENDING_LOGIN_KEY = "portal_2fa_pending"
PENDING_LOGIN_SECONDS = 5 * 60
# During set-up: the secret the user is shown, until they confirm it with a code.
NEW_SECRET_KEY = "portal_2fa_new_secret"  # noqa: S105 (a session key's name)
# Never in the audit log: the shared secret and django-otp's bookkeeping.
UNLOGGED_FIELDS = ("key", "last_t", "drift", "throttling_failure_timestamp")


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code from your authenticator app"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        help_text=gettext_lazy("Six digits. A new code is shown every 30 seconds."),
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not (code.isascii() and code.isdigit() and len(code) == 6):
            raise forms.ValidationError(_("Enter the six digits your app shows."), code="format")
        return code


# Reads ------------------------------------------------------------------------


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def is_verified(request: HttpRequest) -> bool:
    """Did this session log in with a code (django-otp's OTPMiddleware says)?"""
    check = getattr(request.user, "is_verified", None)
    return bool(check()) if callable(check) else False


def required_for(tenant: Tenant, membership: Membership) -> bool:
    return tenant.require_admin_two_factor and membership.role == Role.TENANT_ADMIN


def programmes_requiring(user: User) -> list[Tenant]:
    """The programmes that require two-factor login of this user (as their administrator)."""
    with scopes_disabled():
        return list(
            Tenant.objects.filter(
                is_active=True,
                require_admin_two_factor=True,
                membership__user=user,
                membership__is_active=True,
                membership__role=Role.TENANT_ADMIN,
            ).order_by("name")
        )


def secret_for_display(key: str) -> str:
    """The secret as an app asks for it when typed: base32, in groups of four."""
    b32 = b32encode(unhexlify(key)).decode().rstrip("=")
    return " ".join(b32[i : i + 4] for i in range(0, len(b32), 4))


def qr_code_data_uri(user: User, key: str) -> str:
    """The otpauth:// address as an SVG QR code in a data: URI (the CSP allows data: images)."""
    url = TOTPDevice(user=user, key=key).config_url
    return segno.make(url, error="m").svg_data_uri(scale=5, border=2, dark="black", light="white")


def new_secret(request: HttpRequest) -> str:
    """The secret to set up with, kept in the session so a reload shows the same one."""
    key = request.session.get(NEW_SECRET_KEY)
    if not isinstance(key, str) or len(key) != 40:
        key = default_key()
        request.session[NEW_SECRET_KEY] = key
    return key


# Middleware hook ----------------------------------------------------------------


def send_to_set_up_or_verify(request: HttpRequest) -> HttpResponse:
    """Send an administrator of a programme that requires it to two-factor set-up
    (or to enter a code), and back to this page afterwards."""
    from portal.sessions import current_page

    url = f"{reverse('two_factor')}?{urlencode({'next': current_page(request)})}"
    if request.headers.get("HX-Request") == "true":
        return HttpResponseClientRedirect(url)
    return redirect(url)


# Writes -------------------------------------------------------------------------


def check_code(device: TOTPDevice, code: str) -> None:
    """Raise DomainError unless `code` is the device's current code. Failures are
    counted (and throttled) by django-otp, outside any transaction the caller rolls back."""
    allowed, _details = device.verify_is_allowed()
    if not allowed:
        raise DomainError(_("Too many wrong codes. Wait a minute and try again."))
    if not device.verify_token(code):
        raise DomainError(_("The code is wrong or too old. Enter the code your app shows now."))


def two_factor_enable(*, actor: User, key: str, code: str) -> TOTPDevice:
    """Turn two-factor login on with the secret the user was shown, once they
    prove their app has it by entering its current code."""
    totp = TOTP(unhexlify(key), drift=0)
    totp.time = time.time()
    if not totp.verify(int(code), tolerance=1):
        raise DomainError(_("The code is wrong or too old. Enter the code your app shows now."))
    with transaction.atomic():
        if confirmed_device(actor) is not None:
            raise DomainError(_("Two-factor login is already on."))
        device = TOTPDevice.objects.create(
            user=actor,
            name=_("Authenticator app"),
            key=key,
            confirmed=True,
            # The code just used may not log anyone in again.
            last_t=totp.t(),
        )
        audit.log(
            actor=actor,
            tenant=None,
            action="totp_device.enable",
            obj=device,
            after=audit.snapshot(device, exclude=UNLOGGED_FIELDS),
        )
    return device


def two_factor_disable(*, actor: User, device: TOTPDevice, code: str) -> None:
    """Turn two-factor login off: a credential, not a record, so the device goes
    (the audit event keeps that it existed and who removed it)."""
    check_code(device, code)
    with transaction.atomic():
        audit.log(
            actor=actor,
            tenant=None,
            action="totp_device.disable",
            obj=device,
            before=audit.snapshot(device, exclude=UNLOGGED_FIELDS),
        )
        device.delete()

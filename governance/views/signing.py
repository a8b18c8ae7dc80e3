"""Justering: a signatory's confirmation page, returning the minutes with
comments, and a process leader resolving a comment.

The confirmation page shows the minutes as they will be signed (their
version and fingerprint) and signs them for the signatory. When the session's
last authentication is older than `MINUTES_SIGNING_REAUTH_SECONDS`, it asks
for the password again — or, for a user with two-factor login, the code from
their app — and records which (`SignatureMethod`).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import auth, messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from governance.access import get_meeting_for, get_minutes_comment_for
from governance.models import (
    AgendaItem,
    MinutesStatus,
    SignatureMethod,
)
from governance.selectors import secrecy
from governance.selectors.signing import (
    agenda_to_comment,
    latest_version_number,
    paper_signatory,
    signing_state,
)
from governance.services import minutes as minutes_services
from governance.services import secrecy as secrecy_services
from governance.services import signing
from governance.views.meeting_common import detail_url
from portal import sessions, two_factor
from portal.htmx import form_data, render_page, require_GET_or_POST
from portal.selectors import person_for
from portal.services import DomainError
from portal.tenancy import TenantRequest


class SignForm(forms.Form):
    """The text signed (its fingerprint, as shown), and the password or
    two-factor code again when the last authentication is too long ago."""

    content_hash = forms.CharField(widget=forms.HiddenInput, max_length=64)
    password = forms.CharField(
        label=gettext_lazy("Your password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = forms.CharField(
        label=gettext_lazy("Code from your authenticator app"),
        required=False,
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, data: Any = None, *, ask: str, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.ask = ask  # "password", "totp" or "" (a fresh login)
        if ask != "password":
            del self.fields["password"]
        if ask != "totp":
            del self.fields["code"]
        else:
            self.fields["code"].required = True
        if ask == "password":
            self.fields["password"].required = True


class ReturnForm(forms.Form):
    """Comments on the minutes in general and on each agenda item."""

    general = forms.CharField(
        label=gettext_lazy("Comment on the minutes in general"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, data: Any = None, *, items: list[AgendaItem], **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.items = items
        for item in items:
            self.fields[f"item_{item.pk}"] = forms.CharField(
                label=f"{item.position}. {item.title}",
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any((v or "").strip() for v in data.values()):
            raise forms.ValidationError(_("Write at least one comment to return the minutes."))
        return data

    def item_comments(self) -> dict[int, str]:
        return {i.pk: self.cleaned_data.get(f"item_{i.pk}") or "" for i in self.items}


def _ask(request: TenantRequest) -> str:
    """What signing asks for again: nothing after a recent authentication."""
    since = sessions.seconds_since_authentication(request)
    if since is not None and since <= signing.reauth_seconds():
        return ""
    return "totp" if two_factor.confirmed_device(request.user) is not None else "password"


def _authenticate(request: TenantRequest, form: SignForm) -> str | None:
    """Check the password or code; the method signed by, or None (form error)."""
    if form.ask == "":
        return SignatureMethod.RECENT_LOGIN
    user = request.user
    if form.ask == "totp":
        device = two_factor.confirmed_device(user)
        code = "".join((form.cleaned_data.get("code") or "").split())
        if device is None:
            form.add_error(None, _("Log in again to sign."))
            return None
        try:
            two_factor.check_code(device, code)
        except DomainError as error:
            form.add_error("code", str(error))
            return None
        sessions.mark_authenticated(request)
        return SignatureMethod.TOTP
    # Through the authentication backends, so failures count towards the
    # login throttling (django-axes).
    checked = auth.authenticate(
        request, username=user.get_username(), password=form.cleaned_data.get("password") or ""
    )
    if checked is None or checked.pk != user.pk:
        form.add_error("password", _("The password is wrong."))
        return None
    sessions.mark_authenticated(request)
    return SignatureMethod.PASSWORD


@require_GET_or_POST
def minutes_approve(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    """The signatory's confirmation page: the minutes as they will be signed,
    and the password (or code) again when the last authentication is old."""
    meeting = get_meeting_for(request, pk, sign=True)
    if meeting.minutes_status != MinutesStatus.FINISHED:
        messages.error(request, _("Only finished minutes can be approved."))
        return redirect(detail_url(meeting))
    state = signing_state(meeting)
    me = state.for_person(person_for(request.membership))
    form = SignForm(
        form_data(request), ask=_ask(request), initial={"content_hash": state.content_hash}
    )
    if request.method == "POST" and form.is_valid():
        method = _authenticate(request, form)
        if method is not None:
            try:
                signing.minutes_sign(
                    actor=request.user,
                    membership=request.membership,
                    meeting=meeting,
                    method=method,
                    expected_hash=form.cleaned_data["content_hash"],
                )
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                number = latest_version_number(meeting)
                if number is not None:
                    messages.success(
                        request,
                        _("The minutes are approved (version %(number)s).") % {"number": number},
                    )
                else:
                    messages.success(
                        request,
                        _(
                            "You have signed the minutes. They are approved when every "
                            "signatory has signed."
                        ),
                    )
                return redirect(detail_url(meeting))
    content, read = secrecy.content_for(
        minutes_services.minutes_content(meeting), meeting, request.membership
    )
    secrecy_services.content_read(
        actor=request.user, tenant=request.tenant, secrets=read, how="minutes_sign"
    )
    context = {
        "meeting": meeting,
        "state": state,
        "me": me,
        "form": form,
        "content": content,
        "fingerprint": state.content_hash[:12],
        "reauth_minutes": max(1, signing.reauth_seconds() // 60),
    }
    return render_page(request, "governance/minutes_sign.html", context, partial="form")


@require_GET_or_POST
def minutes_return(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    """A signatory returns the minutes with comments instead of signing."""
    meeting = get_meeting_for(request, pk, sign=True)
    if meeting.minutes_status != MinutesStatus.FINISHED:
        messages.error(request, _("Only finished minutes can be returned."))
        return redirect(detail_url(meeting))
    form = ReturnForm(form_data(request), items=agenda_to_comment(meeting))
    if request.method == "POST" and form.is_valid():
        try:
            signing.minutes_return(
                actor=request.user,
                membership=request.membership,
                meeting=meeting,
                general=form.cleaned_data.get("general") or "",
                item_comments=form.item_comments(),
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("The minutes are returned to the note-taker with your comments.")
            )
            return redirect(detail_url(meeting))
    context = {"meeting": meeting, "form": form}
    return render_page(request, "governance/minutes_return.html", context, partial="form")


@require_POST
def minutes_comment_resolve(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    """A process leader marks a signatory's comment resolved."""
    comment = get_minutes_comment_for(request, pk)
    try:
        signing.comment_resolve(actor=request.user, comment=comment)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The comment is resolved."))
    anchor = (
        f"agenda-item-{comment.agenda_item_id}" if comment.agenda_item_id else "minutes-comments"
    )
    return redirect(detail_url(comment.meeting, anchor))


@require_POST
def minutes_paper_signature(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    """A process leader records that a signatory signed the minutes on paper."""
    meeting = get_meeting_for(request, pk, write=True)
    person = paper_signatory(meeting, request.POST.get("person", ""))
    if person is None:
        messages.error(request, _("Choose one of the minutes' signatories."))
        return redirect(detail_url(meeting))
    try:
        signing.signature_record_paper(actor=request.user, meeting=meeting, person=person)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Recorded that %(name)s signed the minutes on paper.") % {"name": person.name},
        )
    return redirect(detail_url(meeting))


urlpatterns: list[URLPattern] = [
    path("meetings/<int:pk>/minutes/approve/", minutes_approve, name="minutes_approve"),
    path("meetings/<int:pk>/minutes/return/", minutes_return, name="minutes_return"),
    path(
        "meetings/<int:pk>/minutes/paper-signature/",
        minutes_paper_signature,
        name="minutes_paper_signature",
    ),
    path(
        "meetings/comments/<int:pk>/resolve/",
        minutes_comment_resolve,
        name="minutes_comment_resolve",
    ),
]

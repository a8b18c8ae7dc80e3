"""The notice (kallelse) of a meeting and the replies to it.

Process leaders send the notice (and a changed notice, once the meeting has
changed) from the meeting page. A member answers on the meeting page, for
their own person, or through the signed link of their e-mail, without
logging in.

Mail scanners (Safe Links, Proofpoint, antivirus gateways) fetch every link
of an incoming e-mail with GET before the recipient sees it. So the link
records nothing on GET: it opens a page with the meeting and the answer
preselected, and one button that records it (POST, with CSRF). A prefetch
answers nobody; the member's click plus one press does.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_scopes import scope

from governance.access import get_meeting_for
from governance.forms.notices import NoticeSendForm, ReplyForm
from governance.models import Meeting, MeetingReply, MeetingStatus, ReplyAnswer
from governance.selectors.notices import link_programme, notice_overview, own_reply
from governance.services import notices as services
from governance.views.meeting_common import base_url, detail_url
from portal.htmx import form_data, render_page, require_GET_or_POST, show_refusal
from portal.models import Person, User
from portal.selectors import person_for
from portal.services import DomainError
from portal.tenancy import TenantRequest


@require_GET_or_POST
def notice_send(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    """Who will get the notice (and who will not, for want of an address),
    what changed since the last one, and the button that sends it."""
    meeting = get_meeting_for(request, pk, write=True)
    form = NoticeSendForm(form_data(request), tenant=request.tenant, key=f"notice-{pk}")
    if request.method == "POST" and form.is_valid():
        try:
            notice = services.notice_send(
                actor=request.user,
                meeting=meeting,
                message=form.cleaned_data["message"],
                base_url=base_url(request),
            )
        except (DomainError, ValidationError) as error:
            show_refusal(form, error)
        else:
            messages.success(
                request,
                _("Sending the %(kind)s to %(count)s people.")
                % {"kind": notice.get_kind_display().lower(), "count": notice.recipients.count()},
            )
            return redirect(detail_url(meeting, "notice"))
    people = services.invitees(meeting)
    context = {
        "form": form,
        "meeting": meeting,
        "overview": notice_overview(meeting=meeting),
        "recipients": [p for p in people if p.email],
        "without_email": [p for p in people if not p.email],
    }
    return render_page(request, "governance/notice_send.html", context, partial="form")


def _substitutes(meeting: Meeting, person: Person) -> list[Person]:
    return [p for p in services.invitees(meeting) if p.pk != person.pk]


def _answer(
    form: ReplyForm, *, actor: User | None, meeting: Meeting, person: Person, via_link: bool
) -> MeetingReply:
    data = form.cleaned_data
    return services.reply_set(
        actor=actor,
        meeting=meeting,
        person=person,
        answer=data["answer"],
        substitute=data.get("substitute"),
        substitute_name=data.get("substitute_name", ""),
        substitute_email=data.get("substitute_email", ""),
        comment=data.get("comment", ""),
        via_link=via_link,
    )


def _initial(reply: object, preselected: str) -> dict[str, object]:
    initial: dict[str, object] = {}
    if reply is not None:
        initial = {
            "answer": reply.answer,  # type: ignore[attr-defined]
            "substitute": reply.substitute_id,  # type: ignore[attr-defined]
            "comment": reply.comment,  # type: ignore[attr-defined]
        }
    if preselected in ReplyAnswer.values:
        initial["answer"] = preselected
    return initial


@require_GET_or_POST
def meeting_reply(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    """A logged-in member answers the notice for their own person (403 for
    anyone not called to the meeting)."""
    meeting = get_meeting_for(request, pk, reply=True)
    person = person_for(request.membership)
    assert person is not None  # `get_meeting_for` answers 403 to anyone without one
    reply = own_reply(meeting=meeting, person=person)
    form = ReplyForm(
        form_data(request),
        substitutes=_substitutes(meeting, person),
        initial=_initial(reply, request.GET.get("svar", "")),
        key=f"reply-{pk}",
    )
    if request.method == "POST" and form.is_valid():
        try:
            _answer(form, actor=request.user, meeting=meeting, person=person, via_link=False)
        except (DomainError, ValidationError) as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Your answer is saved."))
            return redirect(detail_url(meeting, "notice"))
    context = {"form": form, "meeting": meeting, "person": person, "reply": reply}
    return render_page(request, "governance/meeting_reply.html", context, partial="form")


def _link_page(request: HttpRequest, context: dict[str, object], status: int = 200) -> HttpResponse:
    response = render(request, "governance/reply_link.html", context, status=status)
    # The address is a secret: out of shared caches, indexes and the Referer
    # header of links that leave the site (the meeting's online link). Not
    # "no-referrer": with it browsers send `Origin: null` with the form, and
    # the CSRF check refuses the answer.
    patch_cache_control(response, private=True, no_store=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "same-origin"
    return response


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def reply_link(request: HttpRequest, tenant_slug: str, token: str) -> HttpResponse:
    """The reply link of a notice e-mail: no login, the signed token names the
    programme, meeting and person. GET shows the answer to confirm (a mail
    scanner's prefetch records nothing); POST records it. A forged token, or
    one of another programme, gets 404; after the meeting, or when it is
    cancelled, 410 — each with a page that says so; nothing changes."""
    tenant = link_programme(tenant_slug)
    if tenant is None:
        return _link_page(request, {"refusal": "invalid"}, status=404)
    with scope(tenant=tenant):
        try:
            target = services.reply_target(token=token, tenant_id=tenant.pk)
        except services.ReplyRefused as refused:
            status = 404 if refused.reason == "invalid" else 410
            return _link_page(
                request, {"refusal": refused.reason, "meeting": refused.meeting}, status=status
            )
        meeting, person = target.meeting, target.person
        reply = own_reply(meeting=meeting, person=person)
        form = ReplyForm(
            request.POST if request.method == "POST" else None,
            substitutes=_substitutes(meeting, person),
            initial=_initial(reply, request.GET.get("svar", "")),
        )
        saved = None
        if request.method == "POST" and form.is_valid():
            try:
                saved = _answer(form, actor=None, meeting=meeting, person=person, via_link=True)
            except (DomainError, ValidationError) as error:
                show_refusal(form, error)
        context = {
            # Not `tenant`: the page is for people without a login, so it
            # shows none of the programme's navigation.
            "programme": tenant,
            "meeting": meeting,
            "person": person,
            "reply": saved or reply,
            "saved": saved is not None,
            "form": form,
            "agenda": services.notice_facts(meeting)["agenda"],
            "now": timezone.now(),
            "cancelled": meeting.status == MeetingStatus.CANCELLED,
        }
        status = 400 if request.method == "POST" and saved is None else 200
        return _link_page(request, context, status=status)


urlpatterns: list[URLPattern] = [
    path("meetings/<int:pk>/notice/", notice_send, name="notice_send"),
    path("meetings/<int:pk>/reply/", meeting_reply, name="meeting_reply"),
    path("meetings/reply/<str:token>/", reply_link, name="reply_link"),
]

"""The newsletter (issue 15, item 4).

On the public site (/p/<slug>/nyhetsbrev/, `urlpatterns`, no login):
signing up with double opt-in, confirming through the mailed link,
unsubscribing with one click, and the issues sent so far. The pages with a
form are not cached (`public_view(cached=False)`): a CSRF token is the
visitor's own. The signup page answers the same whether or not the address
is subscribed already.

For the process leaders (/<tenant_slug>/nyhetsbrev/, `member_urlpatterns`,
the `newsletter` namespace): the issues, composing a draft from what is new
on the public site, editing, previewing and sending it by Celery.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from portal.confirm import Confirm, render_confirm, said
from portal.htmx import form_data, require_GET_or_POST, show_refusal, to_page
from portal.services import DomainError
from portal.tenancy import TenantRequest, get_for_tenant, require
from public import selectors, tasks
from public.forms_newsletter import ConfirmForm, NewsletterForm, SignupForm
from public.models import Newsletter, NewsletterDelivery, NewsletterStatus, PublicSite
from public.services import newsletter as services
from public.site import PublicRequest, public_view

# The public site ---------------------------------------------------------------------


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _render(
    request: PublicRequest, template: str, context: dict[str, object], status: int = 200
) -> HttpResponse:
    return render(
        request,
        template,
        {
            "tenant": request.tenant,
            "site": request.site,
            "public_nav": selectors.navigation(request.site),
            **context,
        },
        status=status,
    )


@require_GET_or_POST
@public_view(cached=False)
def signup(request: PublicRequest) -> HttpResponse:
    """Ask for the newsletter: an e-mail address, and a confirmation link
    mailed to it. The answer is the same for every address."""
    form = SignupForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        subscriber = services.subscriber_signup(site=request.site, email=form.cleaned_data["email"])
        if subscriber is not None:
            tasks.queue_confirmation(subscriber.pk, _base_url(request))
        return redirect("public:newsletter_signup_done", request.tenant.slug)
    status = 400 if form.is_bound else 200
    return _render(request, "public/newsletter_signup.html", {"form": form}, status=status)


@require_GET
@public_view
def signup_done(request: PublicRequest) -> HttpResponse:
    return _render(request, "public/newsletter_signup_done.html", {})


@require_GET_or_POST
@public_view(cached=False)
def confirm(request: PublicRequest, token: str) -> HttpResponse:
    """The link of the confirmation mail: GET shows a button (so a mail
    scanner that opens links confirms nothing), POST confirms."""
    subscriber = services.subscriber_by_token(token=token, tenant=request.tenant)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if subscriber is None or subscriber.unsubscribed_at is not None:
        return _render(request, "public/newsletter_confirm.html", {"invalid": True}, status=404)
    if request.method == "POST" and form.is_valid():
        try:
            services.subscriber_confirm(subscriber=subscriber)
        except DomainError as error:
            show_refusal(form, error)
        else:
            return _render(request, "public/newsletter_confirm.html", {"confirmed": True})
    return _render(request, "public/newsletter_confirm.html", {"form": form})


@csrf_exempt  # RFC 8058: the mail program POSTs without a session; the token is the proof
@require_GET_or_POST
@public_view(cached=False)
def unsubscribe(request: PublicRequest, token: str) -> HttpResponse:
    """Every issue's unsubscribe link: GET shows a button, POST (the button,
    or the mail program's one-click "List-Unsubscribe=One-Click") unsubscribes."""
    subscriber = services.subscriber_by_unsubscribe_token(token=token, tenant=request.tenant)
    if subscriber is None:
        return _render(request, "public/newsletter_unsubscribe.html", {"invalid": True}, status=404)
    if request.method == "POST":
        services.subscriber_unsubscribe(subscriber=subscriber)
        return _render(request, "public/newsletter_unsubscribe.html", {"done": True})
    return _render(request, "public/newsletter_unsubscribe.html", {"form": ConfirmForm()})


def _sent_issues(request: PublicRequest) -> QuerySet[Newsletter]:
    return Newsletter.objects.filter(tenant=request.tenant, sent_at__isnull=False).exclude(
        status=NewsletterStatus.DRAFT
    )


@require_GET
@public_view
def archive(request: PublicRequest) -> HttpResponse:
    """The issues sent so far, the latest first. Never a draft."""
    issues = _sent_issues(request).order_by("-sent_at", "-id").only("pk", "title", "sent_at")
    return _render(request, "public/newsletter_archive.html", {"issues": issues})


@require_GET
@public_view
def issue(request: PublicRequest, pk: int) -> HttpResponse:
    newsletter = _sent_issues(request).filter(pk=pk).first()
    if newsletter is None:
        raise Http404
    return _render(
        request,
        "public/newsletter_issue.html",
        {"newsletter": newsletter, "body_html": services.render_body(newsletter.body)},
    )


urlpatterns: list[URLPattern] = [
    path("nyhetsbrev/", signup, name="newsletter_signup"),
    path("nyhetsbrev/tack/", signup_done, name="newsletter_signup_done"),
    path("nyhetsbrev/bekrafta/<str:token>/", confirm, name="newsletter_confirm"),
    path("nyhetsbrev/avsluta/<str:token>/", unsubscribe, name="newsletter_unsubscribe"),
    path("nyhetsbrev/arkiv/", archive, name="newsletter_archive"),
    path("nyhetsbrev/<int:pk>/", issue, name="newsletter_issue"),
]


# The process leaders' pages ------------------------------------------------------------


def _site(request: TenantRequest) -> PublicSite:
    """The programme's public site; an unsaved one (off) when never set up."""
    site = PublicSite.objects.filter(tenant=request.tenant).first()
    if site is None:
        site = PublicSite(tenant=request.tenant)
    site.tenant = request.tenant
    return site


def get_newsletter_for(request: TenantRequest, pk: int) -> Newsletter:
    """An issue of the programme (404 otherwise), for process leaders (403)."""
    require(request, "governance.edit")
    return get_for_tenant(request, Newsletter, pk=pk)


@require_GET
def newsletter_list(request: TenantRequest, tenant_slug: str) -> HttpResponse:
    require(request, "governance.edit")
    issues = Newsletter.objects.filter(tenant=request.tenant).order_by("-created_at", "-id")
    context = {
        "issues": issues,
        "site": _site(request),
        "subscribers": services.active_subscribers(request.tenant).count(),
        "since": services.last_sent_at(request.tenant),
    }
    return render(request, "public/admin/newsletter_list.html", context)


@require_POST
def newsletter_compose(request: TenantRequest, tenant_slug: str) -> HttpResponse:
    """A new draft, prefilled with what is new since the last issue."""
    require(request, "governance.edit")
    newsletter = services.newsletter_compose(
        actor=request.user, site=_site(request), base_url=_base_url(request)
    )
    messages.success(request, _("A draft is ready: check and edit it before sending."))
    return redirect("newsletter:newsletter_edit", request.tenant.slug, newsletter.pk)


@require_GET
def newsletter_detail(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    """The issue as subscribers will see it (a preview of a draft), and for
    a sent one how many it reached and the failures."""
    newsletter = get_newsletter_for(request, pk)
    failures = (
        NewsletterDelivery.objects.filter(newsletter=newsletter, sent_at__isnull=True)
        .exclude(error="")
        .order_by("pk")
        .only("pk", "error")
    )
    context = {
        "newsletter": newsletter,
        "body_html": services.render_body(newsletter.body),
        "counts": services.delivery_counts(newsletter),
        "failures": failures,
        "site": _site(request),
        "subscribers": services.active_subscribers(request.tenant).count(),
    }
    return render(request, "public/admin/newsletter_detail.html", context)


@require_GET_or_POST
def newsletter_edit(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    newsletter = get_newsletter_for(request, pk)
    if newsletter.status != NewsletterStatus.DRAFT:
        return to_page(
            request,
            _detail_url(newsletter),
            _("The newsletter has been sent: it can no longer be changed."),
            level=messages.INFO,
        )
    form = NewsletterForm(
        form_data(request),
        initial={
            "title": newsletter.title,
            "body": newsletter.body,
            "version": newsletter.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.newsletter_update(
                actor=request.user, newsletter=newsletter, **form.cleaned_data
            )
        except (DomainError, ValidationError) as error:
            show_refusal(form, error)
        else:
            return to_page(request, _detail_url(newsletter), _("Saved the newsletter."))
    return render(
        request, "public/admin/newsletter_edit.html", {"form": form, "newsletter": newsletter}
    )


def _detail_url(newsletter: Newsletter) -> str:
    return reverse("newsletter:newsletter_detail", args=[newsletter.tenant.slug, newsletter.pk])


@require_GET_or_POST
def newsletter_send(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    """GET asks for confirmation; POST sends the issue by Celery."""
    newsletter = get_newsletter_for(request, pk)
    detail_url = reverse("newsletter:newsletter_detail", args=[request.tenant.slug, pk])
    form = ConfirmForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.newsletter_send(actor=request.user, newsletter=newsletter)
        except DomainError as error:
            show_refusal(form, error)
        else:
            tasks.queue_delivery(newsletter.pk, _base_url(request))
            messages.success(request, _("The newsletter is being sent."))
            return redirect(detail_url)
    subscribers = services.active_subscribers(request.tenant).count()
    confirm = Confirm(
        title=_("Send the newsletter"),
        heading=_("Send %(title)s?") % {"title": newsletter.title},
        action=reverse("newsletter:newsletter_send", args=[request.tenant.slug, pk]),
        button=_("Send the newsletter"),
        cancel_url=detail_url,
        text=said(
            _(
                "It is mailed to the %(count)s confirmed subscribers and published in "
                "the newsletter archive of the public site. It cannot be changed afterwards."
            ),
            count=subscribers,
        ),
        danger=False,
        back_url=detail_url,
        back_label=_("Back to the newsletter"),
    )
    return render_confirm(request, confirm, form)


@require_POST
def newsletter_retry(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    """Send again to the subscribers a failed e-mail did not reach."""
    newsletter = get_newsletter_for(request, pk)
    try:
        services.newsletter_retry(actor=request.user, newsletter=newsletter)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        tasks.queue_delivery(newsletter.pk, _base_url(request))
        messages.success(request, _("The newsletter is being sent to those it did not reach."))
    return redirect("newsletter:newsletter_detail", request.tenant.slug, newsletter.pk)


member_urlpatterns: list[URLPattern] = [
    path("", newsletter_list, name="newsletter_list"),
    path("nytt/", newsletter_compose, name="newsletter_compose"),
    path("<int:pk>/", newsletter_detail, name="newsletter_detail"),
    path("<int:pk>/redigera/", newsletter_edit, name="newsletter_edit"),
    path("<int:pk>/skicka/", newsletter_send, name="newsletter_send"),
    path("<int:pk>/skicka-igen/", newsletter_retry, name="newsletter_retry"),
]

"""What the HTTP bench requests, and what each page costs in queries.

Run by `bench.http` in a subprocess against the bench database (its own
DATABASE_URL), so the bench's own process stays on the database it started
with: `python -m bench.targets --slug bench-01` prints one JSON object:

* `pages`: name → path of the pages timed with wrk, reversed from their URL
  names (the floor is `bench.urls`' bare view);
* `queries`: name → the number of queries the page runs, measured in-process
  with CaptureQueriesContext as the bench's process-leader login (the rows
  ending ", uncached" with the dashboard panel cache off);
* `panels`: each dashboard panel alone, as htmx fetches it, with the panel
  cache off — its queries and in-process time;
* `load`: ids for the mixed load — principals, approved meetings, the agenda
  items of the draft meetings (minutes to edit) and open risks (to review) —
  per programme;
* `same_minutes`: a fresh agenda item of a draft meeting in the first
  programme, made through the service, that twenty clients then edit at once.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django
from django.conf import settings

# The same cache namespace as this database's gunicorn (see bench/wsgi.py).
settings.CACHES["default"]["KEY_PREFIX"] = os.environ.get("BENCH_CACHE_PREFIX", "")
django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_scopes import scope  # noqa: E402

from governance.models import (  # noqa: E402
    AgendaItem,
    Meeting,
    MinutesStatus,
    Risk,
    RiskStatus,
)
from governance.services.meetings import agenda_item_add  # noqa: E402
from portal.models import Principal, PrincipalKind, Tenant, User  # noqa: E402
from public.models import PublicSite  # noqa: E402

BENCH_URLS = override_settings(ROOT_URLCONF="bench.urls", ALLOWED_HOSTS=["testserver"])
# Rows served by a gunicorn with the dashboard panel cache off: what a panel
# costs to draw, as after every write to the programme (which invalidates them).
UNCACHED = ", uncached"


def pages(tenant: Tenant) -> dict[str, str]:
    """The pages of one programme: the floor, the two dashboards (as served,
    and with every lazy panel in the page, as without JavaScript), the newest
    approved meeting and the decision register."""
    slug = tenant.slug
    with scope(tenant=tenant):
        principal = (
            Principal.objects.filter(tenant=tenant, kind=PrincipalKind.MUNICIPALITY)
            .order_by("pk")
            .first()
        )
        meeting = (
            Meeting.objects.filter(tenant=tenant, minutes_status=MinutesStatus.APPROVED)
            .order_by("-starts_at")
            .first()
        )
    assert principal is not None and meeting is not None, f"{slug} is not seeded"
    # The programme's public site (issue 15), on since it was seeded
    # (seed_bench): switched on here only for a database seeded before that,
    # and then its pages are cached only once the write has settled.
    with scope(tenant=tenant):
        if not PublicSite.objects.filter(tenant=tenant, enabled=True).exists():
            PublicSite.objects.update_or_create(
                tenant=tenant, defaults={"enabled": True, "show_decisions": True}
            )
    with BENCH_URLS:
        home = reverse("portal:home", kwargs={"tenant_slug": slug})
        dashboard = reverse(
            "portal:principal_dashboard", kwargs={"tenant_slug": slug, "pk": principal.pk}
        )
        return {
            "floor": reverse("bench_floor", kwargs={"tenant_slug": slug}),
            "programme dashboard": home,
            "programme dashboard, all panels": f"{home}?panels=all",
            f"programme dashboard, all panels{UNCACHED}": f"{home}?panels=all",
            "principal dashboard": dashboard,
            "principal dashboard, all panels": f"{dashboard}?panels=all",
            f"principal dashboard, all panels{UNCACHED}": f"{dashboard}?panels=all",
            "meeting page": reverse(
                "governance:meeting_detail", kwargs={"tenant_slug": slug, "pk": meeting.pk}
            ),
            "decision register": reverse("governance:decision_list", kwargs={"tenant_slug": slug}),
            "public programme page": reverse("public:programme", kwargs={"site_slug": slug}),
            "public principal page": reverse(
                "public:principal", kwargs={"site_slug": slug, "pk": principal.pk}
            ),
            "public good examples": reverse("public:examples", kwargs={"site_slug": slug}),
            # Drawn afresh, as in the seconds after any write to the programme.
            f"public principal page{UNCACHED}": reverse(
                "public:principal", kwargs={"site_slug": slug, "pk": principal.pk}
            ),
        }


def query_counts(urls: dict[str, str], user: User) -> dict[str, int]:
    """Each page's queries on its second request (the first warms caches, as
    the bench's warm-up does for gunicorn); uncached rows with the panel cache off."""
    client = Client()
    client.force_login(user)
    counts = {}
    with BENCH_URLS:
        for name, url in urls.items():
            seconds = 0 if name.endswith(UNCACHED) else settings.DASHBOARD_CACHE_SECONDS
            with override_settings(DASHBOARD_CACHE_SECONDS=seconds):
                client.get(url)
                with CaptureQueriesContext(connection) as queries:
                    response = client.get(url)
            if response.status_code != 200:
                sys.exit(f"{url} answered {response.status_code}")
            counts[name] = len(queries)
    return counts


def panel_costs(tenant: Tenant, user: User, principal_pk: int) -> dict[str, Any]:
    """Each dashboard panel alone, as htmx fetches it, with the panel cache
    off: its queries and in-process time (median of three), to show where a
    dashboard's time goes."""
    from portal.dashboards import registry

    client = Client()
    client.force_login(user)
    costs: dict[str, Any] = {}
    with BENCH_URLS, override_settings(DASHBOARD_CACHE_SECONDS=0):
        for scope_, name, kwargs in (
            (registry.PROGRAMME, "portal:dashboard_panel", {"tenant_slug": tenant.slug}),
            (
                registry.PRINCIPAL,
                "portal:principal_dashboard_panel",
                {"tenant_slug": tenant.slug, "pk": principal_pk},
            ),
        ):
            for panel in registry.panels(scope_):
                url = reverse(name, kwargs={**kwargs, "key": panel.key})
                client.get(url, HTTP_HX_REQUEST="true")
                timings = []
                for _ in range(3):
                    with CaptureQueriesContext(connection) as queries:
                        start = time.perf_counter()
                        response = client.get(url, HTTP_HX_REQUEST="true")
                        timings.append((time.perf_counter() - start) * 1000)
                if response.status_code != 200:
                    sys.exit(f"{url} answered {response.status_code}")
                costs[f"{scope_}: {panel.key}"] = {
                    "queries": len(queries),
                    "ms": round(statistics.median(timings), 1),
                    "db_ms": round(
                        sum(float(q["time"]) for q in queries.captured_queries) * 1000, 1
                    ),
                }
    return costs


def load_targets(tenant: Tenant) -> dict[str, Any]:
    with scope(tenant=tenant):
        principals = list(
            Principal.objects.filter(tenant=tenant).order_by("pk").values_list("pk", flat=True)
        )
        meetings = list(
            Meeting.objects.filter(tenant=tenant, minutes_status=MinutesStatus.APPROVED)
            .order_by("-starts_at")
            .values_list("pk", flat=True)[:10]
        )
        # Items without presenters: the edit form posts title, kind and text only.
        items = list(
            AgendaItem.objects.filter(
                tenant=tenant,
                meeting__minutes_status=MinutesStatus.DRAFT,
                archived_at__isnull=True,
                presenters__isnull=True,
            )
            .order_by("pk")
            .values("pk", "title", "kind")
        )
        risks = list(
            Risk.objects.filter(
                tenant=tenant,
                archived_at__isnull=True,
                status__in=[RiskStatus.IDENTIFIED, RiskStatus.MANAGED],
            )
            .order_by("pk")
            .values_list("pk", flat=True)[:20]
        )
    slug = tenant.slug
    with BENCH_URLS:
        return {
            "slug": slug,
            "pl": f"{slug}-pl",
            "sg": f"{slug}-sg",
            "reads": [
                # The dashboards with every panel in the page: one request for the
                # page and the panels a browser fetches after it.
                (
                    "programme dashboard",
                    reverse("portal:home", kwargs={"tenant_slug": slug}) + "?panels=all",
                ),
                (
                    "decision register",
                    reverse("governance:decision_list", kwargs={"tenant_slug": slug}),
                ),
                *(
                    (
                        "principal dashboard",
                        reverse(
                            "portal:principal_dashboard", kwargs={"tenant_slug": slug, "pk": pk}
                        )
                        + "?panels=all",
                    )
                    for pk in principals
                ),
                *(
                    (
                        "meeting page",
                        reverse(
                            "governance:meeting_detail", kwargs={"tenant_slug": slug, "pk": pk}
                        ),
                    )
                    for pk in meetings
                ),
            ],
            "minutes": [
                {
                    "url": reverse(
                        "governance:agenda_item_edit",
                        kwargs={"tenant_slug": slug, "pk": item["pk"]},
                    ),
                    "title": item["title"],
                    "kind": item["kind"],
                }
                for item in items
            ],
            "reviews": [
                reverse("governance:risk_review_add", kwargs={"tenant_slug": slug, "pk": pk})
                for pk in risks
            ],
        }


def same_minutes(tenant: Tenant, user: User) -> dict[str, str]:
    """A new agenda item for the concurrent edits, so each run starts empty."""
    with scope(tenant=tenant):
        meeting = (
            Meeting.objects.filter(tenant=tenant, minutes_status=MinutesStatus.DRAFT)
            .order_by("starts_at")
            .first()
        )
        assert meeting is not None, f"{tenant.slug} has no draft minutes"
        title = f"Bänktest {timezone.now():%Y-%m-%d %H:%M:%S}: samtidiga ändringar"
        item = agenda_item_add(actor=user, meeting=meeting, title=title)
    with BENCH_URLS:
        url = reverse(
            "governance:agenda_item_edit", kwargs={"tenant_slug": tenant.slug, "pk": item.pk}
        )
    return {"url": url, "title": item.title, "kind": item.kind}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--slug", default="bench-01")
    parser.add_argument("--load", action="store_true", help="also the mixed load's targets")
    args = parser.parse_args()
    tenant = Tenant.objects.get(slug=args.slug)
    user = User.objects.get(username=f"{args.slug}-pl")
    urls = pages(tenant)
    result: dict[str, Any] = {"pages": urls, "queries": query_counts(urls, user)}
    principal_pk = int(urls["principal dashboard"].rstrip("/").rsplit("/", 1)[-1])
    try:
        result["panels"] = panel_costs(tenant, user, principal_pk)
    except Exception as error:  # the dashboards are someone else's, and may be changing
        result["panels"] = {"error": f"{type(error).__name__}: {error}"}
    if args.load:
        result["load"] = [
            load_targets(t)
            for t in Tenant.objects.filter(slug__startswith="bench-").order_by("slug")
        ]
        result["same_minutes"] = same_minutes(tenant, user)
    print(json.dumps(result))


if __name__ == "__main__":
    main()

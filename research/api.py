"""The read-only JSON API over the research datasets, for researchers with a
personal API token (django-ninja), under /api/research/v1/.

    GET /api/research/v1/openapi.json                         the OpenAPI schema
    GET /api/research/v1/<programme>/datasets                 every dataset, documented
    GET /api/research/v1/<programme>/datasets/<key>           one dataset
    GET /api/research/v1/<programme>/datasets/<key>/rows      its rows, a page at a time

A token is sent as `Authorization: Bearer <token>`. It belongs to one
programme: used on another programme's address it finds nothing (404), and
once revoked, or when its owner is no longer a researcher there (or the
programme would not let them in, as for a login), it is refused.
The API gives the same pseudonymised rows as the exports, without free-text
fields (and, like them, text that a spreadsheet program would run as a
formula starts with `'`). Every page read is audited, and each token is
rate-limited. Every parameter has bounds, given in the schema; a value out of
them is answered 422, with a message naming the parameter.

The portal serves the schema only, not ninja's interactive docs page, which
loads scripts from elsewhere and so could not pass the portal's CSP.
"""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver
from django_scopes import scope, scopes_disabled
from ninja import Field, NinjaAPI, Path, Query, Schema
from ninja.errors import HttpError
from ninja.security import HttpBearer

from portal import dates
from portal.models import Tenant
from portal.permissions import can
from portal.tenancy import token_membership
from research import datasets as ds
from research.models import ApiToken
from research.pseudonyms import pseudonymiser
from research.ratelimits import api_limited
from research.services import api_read, token_hash

DEFAULT_PAGE_SIZE = 500
MAX_PAGE_SIZE = 1000
# Every parameter is bounded, so that no value reaches the database that it
# cannot hold (a page of 2**63 overflowed the offset: a server error). Ninja
# answers a value out of bounds with 422 and a message naming the parameter.
MAX_PAGE = 1_000_000  # a billion rows at the largest page size
# The portal's range of sane dates (see `portal.dates`).
FIRST_DATE = dates.EARLIEST
LAST_DATE = dates.LATEST
MAX_SLUG_LENGTH = Tenant._meta.get_field("slug").max_length or 60
MAX_KEY_LENGTH = max(len(key) for key in ds.DATASETS)


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        with scopes_disabled():
            found = (
                ApiToken.objects.filter(key_hash=token_hash(token), revoked_at__isnull=True)
                .select_related("tenant", "user")
                .first()
            )
        if found is None or not found.user.is_active:
            return None
        return found


api = NinjaAPI(
    title="Samverkansportalen: research API",
    version="1",
    description=__doc__ or "",
    urls_namespace="research_api",
    docs_url=None,
    auth=TokenAuth(),
)


class Code(Schema):
    code: str
    label_sv: str
    label_en: str


class FieldOut(Schema):
    name: str
    type: str
    description_sv: str
    description_en: str
    pseudonym: bool
    codebook: list[Code]


class DatasetOut(Schema):
    key: str
    title_sv: str
    title_en: str
    description_sv: str
    description_en: str
    period_sv: str
    period_en: str
    primary_key: str
    rows: int
    fields: list[FieldOut]


class RowsPage(Schema):
    dataset: str
    count: int
    page: int
    page_size: int
    next: str | None
    previous: str | None
    fields: list[str]
    results: list[dict[str, Any]]


class RowsQuery(Schema):
    period_start: datetime.date | None = Field(
        None,
        ge=FIRST_DATE,
        le=LAST_DATE,
        description=f"Rows from this day (ISO date, {FIRST_DATE} to {LAST_DATE}).",
        json_schema_extra={"formatMinimum": str(FIRST_DATE), "formatMaximum": str(LAST_DATE)},
    )
    period_end: datetime.date | None = Field(
        None,
        ge=FIRST_DATE,
        le=LAST_DATE,
        description=f"Rows up to this day (ISO date, {FIRST_DATE} to {LAST_DATE}).",
        json_schema_extra={"formatMinimum": str(FIRST_DATE), "formatMaximum": str(LAST_DATE)},
    )
    page: int = Field(1, ge=1, le=MAX_PAGE, description="The page, from 1.")
    page_size: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Rows a page.")


def _slug() -> Any:
    return Path(..., max_length=MAX_SLUG_LENGTH, description="The programme's address.")


def _key() -> Any:
    return Path(..., max_length=MAX_KEY_LENGTH, description="The dataset's key.")


def _access(request: HttpRequest, tenant_slug: str) -> ApiToken:
    """The request's token, for this programme (404 otherwise), its owner still
    a researcher there whom the programme lets in (403 otherwise: the same
    policy as a login, `portal.tenancy.token_membership`), within its rate
    limit (429)."""
    token: ApiToken = request.auth  # type: ignore[attr-defined]
    if token.tenant.slug != tenant_slug or not token.tenant.is_active:
        raise HttpError(404, "Not Found")
    membership = token_membership(tenant=token.tenant, user=token.user)
    if membership is None or not can(membership, "research.export"):
        raise HttpError(403, "Only the programme's researchers may use the API.")
    if api_limited(request, token_id=token.pk):
        raise HttpError(429, "Too many requests. Wait a minute and try again.")
    return token


def _dataset(key: str) -> ds.Dataset:
    try:
        return ds.get(key)
    except LookupError:
        raise HttpError(404, "Not Found") from None


def _describe(dataset: ds.Dataset, rows: int) -> DatasetOut:
    return DatasetOut(
        key=dataset.key,
        title_sv=dataset.title_sv,
        title_en=dataset.title_en,
        description_sv=dataset.description_sv,
        description_en=dataset.description_en,
        period_sv=dataset.period_sv,
        period_en=dataset.period_en,
        primary_key=dataset.primary_key,
        rows=rows,
        fields=[
            FieldOut(
                name=c.name,
                type=c.type,
                description_sv=c.sv,
                description_en=c.en,
                pseudonym=c.pseudonym,
                codebook=[Code(code=k, label_sv=sv, label_en=en) for k, sv, en in c.codebook()],
            )
            for c in dataset.columns_for(include_free_text=False)
        ],
    )


@api.get("/{tenant_slug}/datasets", response=list[DatasetOut], operation_id="list_datasets")
def list_datasets(request: HttpRequest, tenant_slug: str = _slug()) -> list[DatasetOut]:
    """Every dataset with its columns, codebooks and current number of rows."""
    token = _access(request, tenant_slug)
    with scope(tenant=token.tenant):
        return [_describe(d, d.count(token.tenant)) for d in ds.DATASETS.values()]


@api.get("/{tenant_slug}/datasets/{key}", response=DatasetOut, operation_id="get_dataset")
def get_dataset(request: HttpRequest, tenant_slug: str = _slug(), key: str = _key()) -> DatasetOut:
    token = _access(request, tenant_slug)
    dataset = _dataset(key)
    with scope(tenant=token.tenant):
        return _describe(dataset, dataset.count(token.tenant))


def _json(value: Any) -> Any:
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return value


@api.get("/{tenant_slug}/datasets/{key}/rows", response=RowsPage, operation_id="dataset_rows")
def dataset_rows(
    request: HttpRequest,
    query: Query[RowsQuery],
    tenant_slug: str = _slug(),
    key: str = _key(),
) -> RowsPage:
    """The dataset's rows by id, a page at a time (at most 1,000 a page),
    optionally within a period (ISO dates). People are pseudonyms."""
    token = _access(request, tenant_slug)
    dataset = _dataset(key)
    if query.period_start and query.period_end and query.period_end < query.period_start:
        raise HttpError(422, "The period cannot end before it starts.")
    period = (query.period_start, query.period_end)
    with scope(tenant=token.tenant):
        count = dataset.count(token.tenant, period=period)
        offset = (query.page - 1) * query.page_size
        names = [c.name for c in dataset.columns_for(include_free_text=False)]
        results = [
            {name: _json(value) for name, value in zip(names, row, strict=True)}
            for row in ds.rows(
                dataset,
                token.tenant,
                pseudonym=pseudonymiser(token.tenant),
                period=period,
                offset=offset,
                limit=query.page_size,
            )
        ]
        api_read(
            token=token,
            dataset=dataset.key,
            options={
                "page": query.page,
                "page_size": query.page_size,
                "period_start": query.period_start.isoformat() if query.period_start else None,
                "period_end": query.period_end.isoformat() if query.period_end else None,
                "include_free_text": False,
            },
        )

    def link(page: int) -> str:
        params = request.GET.copy()
        params["page"] = str(page)
        return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")

    return RowsPage(
        dataset=dataset.key,
        count=count,
        page=query.page,
        page_size=query.page_size,
        next=link(query.page + 1) if offset + query.page_size < count else None,
        previous=link(query.page - 1) if query.page > 1 else None,
        fields=names,
        results=results,
    )


def _open(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The API authenticates by token, not by login: LoginRequiredMiddleware
    must let its requests through (ninja's views are bound methods, which
    cannot carry the `login_required` flag themselves)."""

    def open_view(*args: Any, **kwargs: Any) -> HttpResponse:
        return view(*args, **kwargs)

    open_view.login_required = False  # type: ignore[attr-defined]
    open_view.csrf_exempt = getattr(view, "csrf_exempt", False)  # type: ignore[attr-defined]
    return open_view


def _without_login(patterns: list[URLPattern | URLResolver]) -> list[URLPattern | URLResolver]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            _without_login(pattern.url_patterns)
        else:
            pattern.callback = _open(pattern.callback)
    return patterns


def urlpatterns() -> list[URLPattern | URLResolver]:
    patterns, _app_name, _namespace = api.urls
    return _without_login(list(patterns))

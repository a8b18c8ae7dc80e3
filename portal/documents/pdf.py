"""HTML to PDF with WeasyPrint, reaching nothing but the portal's own static files.

The document templates are rendered by Django's template engine (so user text
is escaped like on any page) and handed to WeasyPrint with `StaticFilesFetcher`,
which serves the stylesheets and fonts under STATIC_URL from the static files
and refuses everything else: no network, no `file://` outside the static
folders, no large `data:` URLs. The output is PDF/A-2b for archiving, tagged
for accessibility, with fonts embedded (WeasyPrint subsets and embeds every
font it uses; PDF/A requires it).
"""

from __future__ import annotations

import logging
import mimetypes
import posixpath
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import DataHandler, Request, url2pathname

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.utils._os import safe_join
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

# Relative URLs in the documents resolve against this base, which names no
# host: `/static/css/pdf.css` becomes `file:///static/css/pdf.css`, which the
# fetcher maps to the static files. Nothing else under it exists.
BASE_URL = "file:///"
MAX_DATA_URL_BYTES = 256 * 1024
PDF_OPTIONS: dict[str, Any] = {
    "pdf_variant": "pdf/a-2b",  # archival; WeasyPrint sets PDF 1.7 and an sRGB output intent
    "pdf_tags": True,  # a tagged (structured) PDF for screen readers
}


class RefusedURL(ValueError):
    """A document tried to reach something other than the portal's static files."""


def static_roots() -> list[Path]:
    """The folders the fetcher may read from: STATIC_ROOT (collected, with
    hashed names in production) and every folder the static finders search
    (STATICFILES_DIRS and the apps' static folders)."""
    roots = [Path(settings.STATIC_ROOT)]
    for finder in finders.get_finders():
        storages = getattr(finder, "storages", None)
        if isinstance(storages, dict):
            roots.extend(
                Path(storage.location)
                for storage in storages.values()
                if getattr(storage, "location", None)
            )
    return [root.resolve() for root in roots]


def _inside(path: Path, roots: list[Path]) -> bool:
    return any(path == root or path.is_relative_to(root) for root in roots)


def find_static(relative: str) -> Path | None:
    """The file for a path under STATIC_URL, or None. Traversal is refused."""
    relative = posixpath.normpath(unquote(relative)).lstrip("/")
    if relative in ("", ".") or relative.startswith(".."):
        return None
    try:
        collected = Path(safe_join(str(settings.STATIC_ROOT), relative))
    except SuspiciousFileOperation:
        return None
    if collected.is_file():
        return collected.resolve()
    try:
        found = finders.find(relative)
    except SuspiciousFileOperation:
        return None
    if isinstance(found, list):  # find(all=True) only; keeps mypy honest
        found = found[0] if found else None
    return Path(found).resolve() if found else None


class StaticFilesFetcher(URLFetcher):
    """WeasyPrint's URL fetcher, limited to the portal's own static files."""

    def __init__(self) -> None:
        super().__init__(allow_redirects=False)

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        try:
            return self._fetch(url)
        except RefusedURL:
            logger.warning("PDF rendering refused to fetch %s", url[:200])
            raise

    def _fetch(self, url: str) -> URLFetcherResponse:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "data":
            return self._data(url)
        static = urlsplit(settings.STATIC_URL)
        if static.netloc and (scheme, parts.netloc) == (static.scheme, static.netloc):
            # STATIC_URL on another host (a CDN): `{% static %}` URLs are
            # still read from the files here, never over the network.
            path = self._static_path(parts.path)
        elif scheme == "file" and parts.netloc in ("", "localhost"):
            path = self._static_path(parts.path)
        else:
            raise RefusedURL(f"Only the portal's static files can be used in a PDF: {url[:200]}")
        with path.open("rb") as handle:
            body = handle.read()
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, headers={"Content-Type": content_type}, status=200)

    def _static_path(self, url_path: str) -> Path:
        static_url = urlsplit(settings.STATIC_URL).path or "/static/"
        if url_path.startswith(static_url):
            found = find_static(url_path[len(static_url) :])
            if found is not None and _inside(found, static_roots()):
                return found
            raise RefusedURL(f"No such static file: {url_path[:200]}")
        # A file:// URL that names a file inside a static folder directly.
        candidate = Path(url2pathname(url_path)).resolve()
        if candidate.is_file() and _inside(candidate, static_roots()):
            return candidate
        raise RefusedURL(f"Outside the portal's static files: {url_path[:200]}")

    def _data(self, url: str) -> URLFetcherResponse:
        if len(url) > MAX_DATA_URL_BYTES:
            raise RefusedURL("data: URL over the size limit")
        # Only data: URLs reach here; DataHandler decodes them, it opens nothing.
        response = DataHandler().data_open(Request(url))  # noqa: S310
        body = response.read()
        return URLFetcherResponse(
            url,
            body,
            headers={"Content-Type": response.headers.get("Content-Type", "text/plain")},
            status=200,
        )


def html_to_pdf(html: str) -> bytes:
    """Render the document's HTML to PDF bytes."""
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesFetcher())
    pdf = document.write_pdf(**PDF_OPTIONS)
    assert pdf is not None  # no target given: WeasyPrint returns the bytes
    return bytes(pdf)

"""The one document renderer: every PDF the product makes (council minutes, compliance
reports, and any later document) is HTML rendered here by WeasyPrint.

What every PDF gets from here, and nowhere else:

- **a safe URL fetcher.** ``StaticFilesFetcher`` serves only the project's own static
  files, and only from the static folders the document names (``static_dirs``).
  ``file://``, ``data:``, other hosts, ``..`` tricks, queries and credentials are refused
  with ``RefusedURL`` and WeasyPrint leaves the resource out, so nothing a user typed into a
  meeting record or a case can make the renderer read a local file or call a server;
- **PDF/A-3b** (archival: fonts embedded, metadata in XMP), as municipalities must keep
  minutes and reports;
- **fonts** from fontconfig: DejaVu Sans (Debian ``fonts-dejavu-core``) covers Albanian,
  Serbian Cyrillic and Latin, Turkish and Bosnian; WeasyPrint embeds the subsets used;
- **metadata** from the document's own ``<html lang>``, ``<title>`` and ``<meta
  name="author|description|generator">``.

It imports only Django and WeasyPrint; callers build their HTML with templates and call
``render_pdf``.
"""

from __future__ import annotations

import logging
import mimetypes
from collections.abc import Iterable
from typing import Any
from urllib.parse import unquote, urlsplit

from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation

# WeasyPrint reports each rendering step at INFO, from its import on; the application log
# needs only its warnings (such as a refused URL).
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

import weasyprint  # noqa: E402
from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: E402

# The documents' base URL: only a name. No server answers it; the fetcher maps
# ``<PDF_BASE_URL>static/<path>`` to the static file ``<path>`` and refuses everything else.
PDF_BASE_URL = "https://documents.mcsc.invalid/"
STATIC_PATH = "/static/"
PDF_VARIANT = "pdf/a-3b"
PDF_CONTENT_TYPE = "application/pdf"


class RefusedURL(ValueError):
    """The renderer asked for something that is not one of the document's static files."""


def static_url(path: str) -> str:
    """The URL under which the renderer serves the static file ``path``."""
    return f"{PDF_BASE_URL}{STATIC_PATH.lstrip('/')}{path}"


def static_file_for(url: str, *, static_dirs: Iterable[str]) -> str:
    """The file behind ``url`` if it names a static file in one of ``static_dirs``; else
    raise ``RefusedURL``."""
    parts = urlsplit(url)
    base = urlsplit(PDF_BASE_URL)
    if (
        (parts.scheme, parts.netloc) != (base.scheme, base.netloc)
        or not parts.path.startswith(STATIC_PATH)
        or parts.query
        or parts.fragment
        or parts.username
        or parts.password
    ):
        raise RefusedURL(f"Refused to fetch {url!r}: only the document's static files are served.")
    relative = unquote(parts.path[len(STATIC_PATH) :])
    segments = relative.split("/")
    if not relative or any(s in {"", ".", ".."} or "\\" in s for s in segments):
        raise RefusedURL(f"Refused to fetch {url!r}: not a static file path.")
    if len(segments) < 2 or segments[0] not in set(static_dirs):
        raise RefusedURL(f"Refused to fetch {url!r}: not one of this document's static files.")
    try:
        found = finders.find(relative)
    except SuspiciousFileOperation:
        found = None
    if not found or isinstance(found, list):
        raise RefusedURL(f"Refused to fetch {url!r}: no such static file.")
    return found


class StaticFilesFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that serves only the named folders of the static files and
    records what it served (``served``)."""

    def __init__(self, *, static_dirs: Iterable[str]) -> None:
        super().__init__(timeout=1, allow_redirects=False)
        self.static_dirs = tuple(static_dirs)
        self.served: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        path = static_file_for(url, static_dirs=self.static_dirs)
        with open(path, "rb") as handle:
            body = handle.read()
        self.served.append(url)
        content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, headers={"Content-Type": content_type})


def render_pdf(
    html: str, *, static_dirs: Iterable[str], url_fetcher: StaticFilesFetcher | None = None
) -> bytes:
    """``html`` (a complete document) as PDF/A-3b bytes.

    Relative URLs resolve against ``PDF_BASE_URL``, so ``static/<dir>/<file>`` or
    ``static_url(...)`` reach the static files in ``static_dirs`` and nothing else. Pass
    ``url_fetcher`` only to observe what was fetched (tests); it must be a
    ``StaticFilesFetcher``.
    """
    if url_fetcher is None:
        url_fetcher = StaticFilesFetcher(static_dirs=static_dirs)
    elif not isinstance(url_fetcher, StaticFilesFetcher):
        raise TypeError("Documents are rendered with a StaticFilesFetcher only.")
    document = weasyprint.HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=url_fetcher)
    return document.write_pdf(pdf_variant=PDF_VARIANT)

"""The one document renderer (mcsc.documents): what every PDF of the product gets from it.

Its callers (minutes, compliance report) test their content; the fetcher's refusals, the
PDF/A-3b setup, the fonts and the metadata are tested here once.
"""

import shutil
import subprocess

import pytest

from mcsc import documents as d

CSS = "minutes/minutes.css"


def poppler(tool: str, *args: str) -> str:
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} (Debian package poppler-utils) is not installed")
    return subprocess.run(
        [tool, *args], check=True, capture_output=True, text=True, timeout=60
    ).stdout


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1/",
        "https://127.0.0.1/static/minutes/minutes.css",
        "https://example.org/static/minutes/minutes.css",
        "data:text/css,body{}",
        f"{d.PDF_BASE_URL}etc/passwd",
        f"{d.PDF_BASE_URL}media/x.png",
        f"{d.PDF_BASE_URL}static/../../config/settings/__init__.py",
        f"{d.PDF_BASE_URL}static/%2e%2e/%2e%2e/manage.py",
        f"{d.PDF_BASE_URL}static/minutes/../css/app.css",
        f"{d.PDF_BASE_URL}static/minutes/%2e%2e/css/app.css",
        f"{d.PDF_BASE_URL}static//etc/passwd",
        f"{d.PDF_BASE_URL}static/minutes/minutes.css?x=1",
        f"{d.PDF_BASE_URL}static/minutes/minutes.css#x",
        f"{d.PDF_BASE_URL}static/minutes/missing.css",
        f"{d.PDF_BASE_URL}static/css/app.css",  # a static file, but not this document's
        f"{d.PDF_BASE_URL}static/minutes",
        "https://user:pw@documents.mcsc.invalid/static/minutes/minutes.css",
    ],
)
def test_the_fetcher_refuses_anything_but_the_documents_own_static_files(url):
    fetcher = d.StaticFilesFetcher(static_dirs=["minutes"])
    with pytest.raises(d.RefusedURL):
        fetcher.fetch(url)
    assert fetcher.served == []


def test_the_fetcher_serves_a_static_file_of_the_documents_folders():
    fetcher = d.StaticFilesFetcher(static_dirs=["minutes", "compliance"])
    response = fetcher.fetch(d.static_url(CSS))
    assert response.content_type == "text/css"
    assert b"@page" in response.read()
    assert fetcher.fetch(d.static_url("compliance/report.css")).status == 200
    assert fetcher.served == [d.static_url(CSS), d.static_url("compliance/report.css")]


def test_a_document_cannot_reach_files_or_servers_through_its_html():
    fetcher = d.StaticFilesFetcher(static_dirs=["minutes"])
    html = f"""<!doctype html><html lang="sq"><head><title>T</title>
    <link rel="stylesheet" href="{d.static_url(CSS)}">
    <link rel="stylesheet" href="file:///etc/passwd">
    <link rel="stylesheet" href="static/css/app.css"></head>
    <body><img src="file:///etc/passwd"><img src="http://127.0.0.1:8000/admin/">
    <iframe src="file:///etc/shadow"></iframe><p>Tekst</p></body></html>"""
    pdf = d.render_pdf(html, static_dirs=["minutes"], url_fetcher=fetcher)
    assert pdf.startswith(b"%PDF-")
    assert fetcher.served == [d.static_url(CSS)]


def test_only_the_static_files_fetcher_renders():
    class Anything:
        def fetch(self, url, headers=None):  # pragma: no cover - must never be called
            raise AssertionError(url)

    with pytest.raises(TypeError):
        d.render_pdf("<p>x</p>", static_dirs=[], url_fetcher=Anything())


def test_every_pdf_is_pdfa_3b_with_embedded_fonts_and_the_documents_metadata(tmp_path):
    html = """<!doctype html><html lang="sr-Cyrl"><head><meta charset="utf-8">
    <title>Записник MCSC-PZ-2026-01 v1</title>
    <meta name="author" content="Општински савет за безбедност заједнице Призрен">
    <meta name="description" content="Записник, 12.03.2026.">
    <meta name="generator" content="MCSC Case Engine"></head>
    <body style="font-family: 'DejaVu Sans'"><h1>Записник</h1>
    <p>Shqip: ë ç. Türkçe: ğ ı ş. Bosanski: č ć đ ž.</p></body></html>"""
    path = tmp_path / "doc.pdf"
    path.write_bytes(d.render_pdf(html, static_dirs=[]))

    meta = poppler("pdfinfo", "-meta", str(path))
    assert 'pdfaid:part="3"' in meta and 'pdfaid:conformance="B"' in meta
    info = poppler("pdfinfo", str(path))
    assert "Записник MCSC-PZ-2026-01 v1" in info
    assert "Општински савет за безбедност заједнице Призрен" in info
    fonts = poppler("pdffonts", str(path)).splitlines()[2:]
    assert fonts and all("DejaVu" in row for row in fonts)
    # Columns: name type encoding emb sub uni object ID -> "emb" is the 4th from the end.
    assert all(row.split()[-5] == "yes" for row in fonts), fonts
    text = poppler("pdftotext", "-enc", "UTF-8", str(path), "-")
    assert "Записник" in text and "ë ç" in text and "ğ ı ş" in text and "č ć đ ž" in text

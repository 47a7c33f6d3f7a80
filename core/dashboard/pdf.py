"""The monthly report as PDF: the report's HTML (the same body as the page) through WeasyPrint.

WeasyPrint needs Pango from the system (scripts/pdf_deps.sh installs it). It fetches nothing:
the charts are inline SVG, the stylesheets are read from our static files and handed over, and
any other address is refused (only ``data:`` URLs would load). Fonts are the system's (DejaVu).
"""

from pathlib import Path

from django.contrib.staticfiles import finders

STYLESHEETS = ("core/site.css", "core/stats.css")


def _stylesheet(name: str) -> str:
    found = finders.find(name)
    if not found:
        return ""
    return Path(str(found)).read_text(encoding="utf-8")


def html_to_pdf(html: str) -> bytes:
    # Imported here: loading Pango takes a moment, and only this view needs it.
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols=["data"])
    stylesheets = [CSS(string=_stylesheet(name), url_fetcher=fetcher) for name in STYLESHEETS]
    document = HTML(string=html, url_fetcher=fetcher, media_type="print")
    return bytes(document.write_pdf(stylesheets=stylesheets))

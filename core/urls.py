from django.urls import path, register_converter

from core.dashboard import views as stats
from core.views import start_page


class TwoDigits:
    """A month in an address: always two digits (``2026/04``), given and taken as an int."""

    regex = "[0-9]{2}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return f"{int(value):02d}"


register_converter(TwoDigits, "mm")

app_name = "core"

urlpatterns = [
    path("", start_page, name="start"),
    path("koordination/statistik/", stats.dashboard, name="stats"),
    path("koordination/statistik/tabelle/<slug:key>/", stats.dashboard_table, name="stats-table"),
    path("koordination/bericht/", stats.this_months_report, name="report-now"),
    path("koordination/bericht/<int:year>/<mm:month>/", stats.report, name="report"),
    path("koordination/bericht/<int:year>/<mm:month>/pdf/", stats.report_pdf, name="report-pdf"),
]

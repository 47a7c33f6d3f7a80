"""CSV files as a German office opens them: Excel and LibreOffice with German settings read
UTF-8 only after a byte order mark, split cells at ``;`` (the comma is the decimal sign) and
take ``14,50`` as a number. So: a BOM, ``;`` between cells, a decimal comma, ISO dates (both
programs read them as dates), and the header in the language of the request."""

import csv
import io
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal

from django.http import HttpResponse
from django.utils.translation import gettext as _

from garden.services.hours import HonorariumReport, VolunteerRow

BOM = "\ufeff"
SEPARATOR = ";"
# A cell starting with one of these runs as a formula when the file is opened (CSV injection);
# names and activities are typed by members, so such a cell gets a leading apostrophe.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def decimal_comma(value: Decimal) -> str:
    return f"{value:.2f}".replace(".", ",")


def hours(minutes: int) -> Decimal:
    return (Decimal(minutes) / Decimal(60)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def text(value: str) -> str:
    return f"'{value}" if value.startswith(_FORMULA_START) else value


def csv_response(rows: Iterable[Sequence[str]], *, filename: str) -> HttpResponse:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=SEPARATOR, lineterminator="\r\n").writerows(rows)
    response = HttpResponse(BOM + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def honorarium_rows(report: HonorariumReport) -> list[list[str]]:
    """One row per entry, a subtotal row per person, and the month's total last."""
    rows = [[_("Name"), _("Date"), _("Activity"), _("Minutes"), _("Hourly rate"), _("Amount")]]
    for person in report.people:
        name = text(str(person.member))
        rows.extend(
            [
                name,
                line.day.isoformat(),
                text(line.activity),
                str(line.minutes),
                decimal_comma(line.rate),
                decimal_comma(line.amount),
            ]
            for line in person.lines
        )
        rows.append(
            [name, "", _("Subtotal"), str(person.minutes), "", decimal_comma(person.amount)]
        )
    rows.append([_("Total"), "", "", str(report.minutes), "", decimal_comma(report.total)])
    return rows


def volunteer_rows(found: list[VolunteerRow]) -> list[list[str]]:
    """Approved voluntary hours per person, month and activity, and the total last."""
    rows = [[_("Name"), _("Month"), _("Activity"), _("Minutes"), _("Hours")]]
    rows.extend(
        [
            text(str(row.member)),
            row.month,
            text(row.activity),
            str(row.minutes),
            decimal_comma(hours(row.minutes)),
        ]
        for row in found
    )
    minutes = sum(row.minutes for row in found)
    rows.append([_("Total"), "", "", str(minutes), decimal_comma(hours(minutes))])
    return rows

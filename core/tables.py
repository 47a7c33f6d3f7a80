"""Tables of figures for people and for office programs: one description, three forms.

A statistics endpoint builds a ``Table`` (columns with a type, rows of plain values) and hands
it to ``table_response``: JSON by default, ``?export=csv`` for a CSV file as a German office
opens it (BOM, ``;``, decimal comma, see garden.api.exports), ``?export=xlsx`` for an Excel
workbook with real numbers, percentages and dates. Headers are in the request's language.
Cells typed by members are guarded against formula injection in both files.
"""

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from core.errors import InvalidInput

Kind = Literal["text", "int", "decimal", "percent", "date", "datetime"]
EXPORTS = ("csv", "xlsx")
BOM = "\ufeff"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    key: str
    label: str | Promise
    kind: Kind = "text"


@dataclass
class Table:
    name: str  # file name without extension, e.g. "utilisation-2026-10"
    title: str | Promise
    columns: Sequence[Column]
    rows: list[Mapping[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "title": str(self.title),
            "columns": [
                {"key": c.key, "label": str(c.label), "type": c.kind} for c in self.columns
            ],
            "rows": [{c.key: _json(row.get(c.key)) for c in self.columns} for row in self.rows],
        }


class UnknownExport(InvalidInput):
    code = "unknown_export"
    default_message = _("An export is either csv or xlsx.")


def _json(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _guard(value: str) -> str:
    return f"'{value}" if value.startswith(_FORMULA_START) else value


def _csv_cell(value: Any, kind: Kind) -> str:
    if value is None:
        return ""
    if kind == "percent":
        return f"{Decimal(str(value)) * 100:.1f}".replace(".", ",")
    if kind == "decimal":
        return f"{Decimal(str(value)):.2f}".replace(".", ",")
    if kind == "int":
        return str(int(value))
    if kind == "datetime" and isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return _guard(str(value))


def table_csv(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [f"{c.label} (%)" if c.kind == "percent" else str(c.label) for c in table.columns]
    )
    for row in table.rows:
        writer.writerow([_csv_cell(row.get(c.key), c.kind) for c in table.columns])
    return (BOM + buffer.getvalue()).encode("utf-8")


def _xlsx_cell(value: Any, kind: Kind) -> Any:
    if value is None:
        return None
    if kind in ("percent", "decimal"):
        return float(value)
    if kind == "int":
        return int(value)
    if kind == "datetime" and isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, date):
        return value
    return _guard(str(value))


_XLSX_FORMATS = {"percent": "0.0%", "decimal": "#,##0.00", "date": "yyyy-mm-dd"}


def table_xlsx(table: Table) -> bytes:
    book = Workbook()
    sheet = book.active or book.create_sheet()
    sheet.title = str(table.title)[:31]
    sheet.append([str(c.label) for c in table.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append([_xlsx_cell(row.get(c.key), c.kind) for c in table.columns])
    for index, column in enumerate(table.columns, start=1):
        number_format = _XLSX_FORMATS.get(column.kind)
        if column.kind == "datetime":
            number_format = "yyyy-mm-dd hh:mm"
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(12, len(str(column.label)) + 2)
        if number_format:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = number_format
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def export_format(params: Mapping[str, Any]) -> str | None:
    """``csv``, ``xlsx`` or None (JSON) from the ``export`` query parameter."""
    wanted = params.get("export")
    if not wanted:
        return None
    if wanted not in EXPORTS:
        raise UnknownExport(fields={"export": [str(UnknownExport.default_message)]})
    return str(wanted)


def table_file(table: Table, export: str) -> HttpResponse:
    if export == "csv":
        response = HttpResponse(table_csv(table), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(table_xlsx(table), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{table.name}.{export}"'
    return response


def table_response(request: Any, table: Table) -> Any:
    """For an API view: the table as JSON, or as the file ``?export=`` asks for."""
    from rest_framework.response import Response

    export = export_format(request.query_params)
    if export is None:
        return Response(table.as_json())
    return table_file(table, export)

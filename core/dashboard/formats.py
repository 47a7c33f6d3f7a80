"""Figures as text in the page's language (1.234,5 and 14 % in German; 1,234.5 and 14% in
English), and ``core.tables.Table`` as rows of text for an HTML table."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext

from core.tables import Kind, Table

DASH = "–"


def number(value: float | Decimal | int, places: int = 0) -> str:
    return formats.number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)


def percent(share: float | None, places: int = 0) -> str:
    """A share (0.14) as a percentage ("14 %" in German, "14%" in English)."""
    if share is None:
        return DASH
    return gettext("%(value)s%%") % {"value": number(share * 100, places)}


def hours(value: float | Decimal) -> str:
    """Hours to the tenth, whole hours without decimals (12, 12.5)."""
    places = 0 if value == int(value) else 1
    return number(value, places)


def cell(value: Any, kind: Kind) -> str:
    if value is None:
        return DASH
    if kind == "percent":
        return percent(float(value), 1)
    if kind == "decimal":
        return number(Decimal(str(value)), 1)
    if kind == "int":
        return number(int(value))
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


@dataclass(frozen=True)
class Shown:
    """A table ready for the template: headers and cells as text, numbers right-aligned, and
    the key under which the same table is downloaded."""

    key: str
    table: Table
    headers: list[tuple[str, bool]]  # label, numeric
    rows: list[list[tuple[str, bool]]]
    row_headers: bool = True  # the first cell of a row names it (<th scope="row">)

    @property
    def caption(self) -> str:
        return str(self.table.title)


NUMERIC: tuple[Kind, ...] = ("int", "decimal", "percent")


def shown(key: str, table: Table) -> Shown:
    return Shown(
        key=key,
        table=table,
        headers=[(str(c.label), c.kind in NUMERIC) for c in table.columns],
        rows=[
            [(cell(row.get(c.key), c.kind), c.kind in NUMERIC) for c in table.columns]
            for row in table.rows
        ],
    )

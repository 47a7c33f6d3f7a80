"""One table of figures, three forms: JSON, CSV for a German office, and XLSX with numbers."""

import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from core.tables import Column, Table, UnknownExport, export_format, table_csv, table_xlsx
from tests.conftest import BERLIN

TABLE = Table(
    name="utilisation-2026-10",
    title="Auslastung",
    columns=[
        Column("resource", "Ressource"),
        Column("day", "Tag", "date"),
        Column("bookings", "Buchungen", "int"),
        Column("hours", "Stunden", "decimal"),
        Column("share", "Auslastung", "percent"),
        Column("first", "Erste Buchung", "datetime"),
    ],
    rows=[
        {
            "resource": "=Bandsäge",
            "day": date(2026, 10, 25),
            "bookings": 3,
            "hours": Decimal("4.5"),
            "share": 0.375,
            "first": datetime(2026, 10, 25, 9, 0, tzinfo=BERLIN),
        },
        {"resource": "Hobelbank", "day": None, "bookings": 0, "hours": 0, "share": None},
    ],
)


def test_the_json_form_names_the_columns_and_their_types() -> None:
    body = TABLE.as_json()

    assert body["columns"][4] == {"key": "share", "label": "Auslastung", "type": "percent"}
    assert body["rows"][0]["hours"] == 4.5
    assert body["rows"][0]["day"] == "2026-10-25"
    assert body["rows"][0]["first"] == "2026-10-25T09:00:00+01:00"


def test_the_csv_opens_in_a_german_office_with_numbers_as_numbers() -> None:
    text = table_csv(TABLE).decode("utf-8")

    assert text.startswith("\ufeffRessource;Tag;Buchungen;Stunden;Auslastung (%);Erste Buchung\r\n")
    lines = text.split("\r\n")
    # A cell typed by a member that starts like a formula is not run as one.
    assert lines[1] == "'=Bandsäge;2026-10-25;3;4,50;37,5;2026-10-25 09:00"
    assert lines[2] == "Hobelbank;;0;0,00;;"


def test_the_xlsx_holds_real_numbers_percentages_and_dates() -> None:
    sheet = load_workbook(io.BytesIO(table_xlsx(TABLE))).active
    assert sheet is not None

    assert [c.value for c in sheet[1]] == [
        "Ressource",
        "Tag",
        "Buchungen",
        "Stunden",
        "Auslastung",
        "Erste Buchung",
    ]
    row = sheet[2]
    assert row[0].value == "'=Bandsäge"
    assert row[1].value == datetime(2026, 10, 25, tzinfo=BERLIN).replace(tzinfo=None)
    assert row[2].value == 3
    assert row[3].value == 4.5
    assert row[4].value == 0.375
    assert row[4].number_format == "0.0%"
    assert row[5].value == datetime(2026, 10, 25, 9, 0, tzinfo=BERLIN).replace(tzinfo=None)
    assert sheet.title == "Auslastung"


def test_an_unknown_export_is_refused_with_its_code() -> None:
    assert export_format({}) is None
    assert export_format({"export": "xlsx"}) == "xlsx"
    with pytest.raises(UnknownExport) as refused:
        export_format({"export": "pdf"})
    assert refused.value.code == "unknown_export"

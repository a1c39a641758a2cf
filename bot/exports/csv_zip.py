"""The /export CSV zip: one UTF-8-with-BOM CSV per table, same columns as the workbook.

The BOM makes Excel open the files as UTF-8, so Chinese names and notes read correctly instead of
as mojibake. Dates are ISO (2026-11-03), times HH:MM, amounts plain numbers (no thousands
separator, which would need quoting and breaks re-import).

Formula injection: CSV has no cell types, so a text field starting with = + - @ (or tab / CR) is
prefixed with an apostrophe, the OWASP recommendation: spreadsheets then show it as text (the
apostrophe stays visible, a fair price for never running a formula from a client's note). Numbers
and dates are written by us and never guarded (a negative amount stays a number).

Member names are ASCII (clients.csv, contact_calendar_2026-11.csv, ...) so every unzip tool, the
one built into Windows included, keeps them intact. Pure: the zip timestamps come from data.today.
"""

from __future__ import annotations

import csv
from datetime import datetime, time
from io import BytesIO, StringIO
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from bot.exports.data import AMOUNT, DATE, TEXT, TIME, ExportData, Table, build_tables, needs_guard


def export_csv_zip(data: ExportData, language: str) -> bytes:
    """A zip of clients.csv, contacts.csv, contact_calendar_YYYY-MM.csv, holdings.csv, follow_ups.csv."""
    stamp = max(datetime.combine(data.today, time()), datetime(1980, 1, 1)).timetuple()[:6]
    buffer = BytesIO()
    with ZipFile(buffer, "w", ZIP_DEFLATED) as archive:
        for table in build_tables(data, language):
            member = ZipInfo(table.file_name, date_time=stamp)
            member.compress_type = ZIP_DEFLATED
            archive.writestr(member, table_csv(table))
    return buffer.getvalue()


def table_csv(table: Table) -> bytes:
    """One table as CSV bytes: UTF-8 with BOM, header first, CRLF line ends."""
    text = StringIO()
    writer = csv.writer(text)
    writer.writerow([_text(header) for header in table.headers])
    for row in table.rows:
        writer.writerow([_field(value, kind) for value, kind in zip(row, table.kinds, strict=True)])
    return text.getvalue().encode("utf-8-sig")


def _text(value: str) -> str:
    return "'" + value if needs_guard(value) else value


def _field(value, kind: str) -> str:
    if value is None:
        return ""
    if kind == TEXT or isinstance(value, str):
        return _text(str(value))
    if kind == DATE:
        return value.isoformat()
    if kind == TIME:
        return value.strftime("%H:%M")
    if kind == AMOUNT:
        amount = float(value)
        return str(int(amount)) if amount.is_integer() else f"{amount:.2f}"
    return str(value)

"""The /export workbook: one sheet per table, real dates and numbers, frozen bold headers, filters.

Formula injection: a text cell whose value starts with = + - @ (or tab / CR) is written as a
*string cell* (data_type "s", so the XML holds the text and no <f> formula element, which is what
openpyxl would write for a value starting with "=") and with the cell style's quotePrefix flag.
quotePrefix is exactly what Excel itself records when a user types '=1+1: the cell shows =1+1,
nothing is evaluated, and if the RM later edits the cell and presses Enter it stays text. Unlike
prefixing an apostrophe character to the value, the value the RM sees, copies and filters on is
unchanged (a phone number "+86 138…" still reads "+86 138…"). The CSV export, which has no cell
types, prefixes an apostrophe instead (see csv_zip.py).

Pure: no clock is read (document properties and zip timestamps come from data.today) and nothing
touches the disk. openpyxl's own save streams each worksheet through a temporary file, which
would put client data in /tmp; `_MemoryExcelWriter` streams it into memory instead.
"""

from __future__ import annotations

from datetime import datetime, time
from io import BytesIO
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.writer.excel import ExcelWriter

from bot.exports.data import AMOUNT, DATE, INT, TEXT, TIME, ExportData, Table, build_tables, display_width, needs_guard

DATE_FORMAT = "yyyy-mm-dd"
AMOUNT_FORMAT = "#,##0.00"
INT_FORMAT = "0"
TIME_FORMAT = "hh:mm"
MAX_WIDTH = 60
MIN_WIDTH = 4
EXCEL_MAX_TEXT = 32767
_FORMATS = {DATE: DATE_FORMAT, AMOUNT: AMOUNT_FORMAT, INT: INT_FORMAT, TIME: TIME_FORMAT}
_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=13)
_HEADER_FILL = PatternFill("solid", start_color="FFDDEBF7")
_CENTER = Alignment(horizontal="center")
_INVALID_SHEET_CHARS = str.maketrans({char: "_" for char in "[]:*?/\\"})


def export_xlsx(data: ExportData, language: str) -> bytes:
    """The workbook bytes: Clients, Contacts, Contact calendar, Holdings, Follow-ups (localized)."""
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])  # the empty sheet a new workbook starts with
    stamp = datetime.combine(data.today, time())
    workbook.properties.creator = "RM Assistant"
    workbook.properties.created = workbook.properties.modified = stamp
    for table in build_tables(data, language):
        _write_table(workbook, table)
    return _save(workbook, stamp)


def _write_table(workbook: Workbook, table: Table) -> None:
    sheet = workbook.create_sheet(table.sheet_name.translate(_INVALID_SHEET_CHARS)[:31])
    header_row = 1
    if table.title:
        sheet.cell(1, 1, table.title).font = _TITLE
        header_row = 2
    calendar = table.key == "calendar"
    for col, header in enumerate(table.headers, 1):
        cell = sheet.cell(header_row, col, header)
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
        if calendar and col > 1:
            cell.alignment = _CENTER
    formats = [_FORMATS.get(kind) for kind in table.kinds]
    for row_idx, row in enumerate(table.rows, header_row + 1):
        for col, (value, number_format) in enumerate(zip(row, formats, strict=True), 1):
            if value is None or value == "":
                continue
            if isinstance(value, str):
                _text_cell(sheet, row_idx, col, value, center=calendar and col > 1)
            else:
                sheet.cell(row_idx, col, value).number_format = number_format
    last_col = get_column_letter(len(table.headers))
    last_row = header_row + max(len(table.rows), 1)
    sheet.auto_filter.ref = f"A{header_row}:{last_col}{last_row}"
    sheet.freeze_panes = f"B{header_row + 1}" if calendar else f"A{header_row + 1}"
    for col, width in enumerate(_widths(table), 1):
        sheet.column_dimensions[get_column_letter(col)].width = width


def _text_cell(sheet, row: int, col: int, value: str, center: bool = False) -> None:
    value = ILLEGAL_CHARACTERS_RE.sub("", value)[:EXCEL_MAX_TEXT]
    cell = sheet.cell(row, col, value)
    if needs_guard(value):
        cell.data_type = "s"      # never a formula (openpyxl makes "=…" one), see the module doc
        cell.quotePrefix = True
    if center:
        cell.alignment = _CENTER


def _shown(value, kind: str) -> str:
    if kind == AMOUNT:
        return f"{value:,.2f}"
    if kind == DATE:
        return "0000-00-00"
    if kind == TIME:
        return "00:00"
    return str(value)


def _widths(table: Table) -> list[float]:
    """Column widths from the widest header or value, CJK counted double, capped at MAX_WIDTH."""
    widths = []
    for col, (header, kind) in enumerate(zip(table.headers, table.kinds, strict=True)):
        widest = display_width(header) + 1  # bold header
        for row in table.rows:
            value = row[col]
            if value is not None:
                widest = max(widest, display_width(value) if kind == TEXT else len(_shown(value, kind)))
                if widest >= MAX_WIDTH:
                    break
        widths.append(float(min(MAX_WIDTH, max(MIN_WIDTH, widest + 2))))
    return widths


class _FixedTimeZip(ZipFile):
    """A zip whose members carry one given timestamp instead of the clock's."""

    def __init__(self, file, stamp: datetime) -> None:
        super().__init__(file, "w", ZIP_DEFLATED)
        self._stamp = max(stamp, datetime(1980, 1, 1)).timetuple()[:6]

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):
        if isinstance(zinfo_or_arcname, str):
            zinfo_or_arcname = ZipInfo(zinfo_or_arcname, date_time=self._stamp)
            zinfo_or_arcname.compress_type = ZIP_DEFLATED
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)


class _MemoryExcelWriter(ExcelWriter):
    """openpyxl's writer with each worksheet streamed to memory rather than a temporary file."""

    def write_worksheet(self, ws) -> None:
        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        out = BytesIO()
        writer = WorksheetWriter(ws, out=out)
        writer.write()
        ws._rels = writer._rels  # type: ignore[attr-defined]  # openpyxl's private writer state (pinned <4)
        self._archive.writestr(  # type: ignore[attr-defined]  # as in ExcelWriter.write_worksheet
            ws.path[1:], out.getvalue())
        self.manifest.append(ws)


def _save(workbook: Workbook, stamp: datetime) -> bytes:
    buffer = BytesIO()
    _MemoryExcelWriter(workbook, _FixedTimeZip(buffer, stamp)).save()  # save() closes the archive
    return buffer.getvalue()


__all__ = ["export_xlsx"]

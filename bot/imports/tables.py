"""An uploaded CSV or XLSX file as header-keyed rows of text, whatever tool exported it.

Everything downstream works on text cells keyed by canonical column, so CSV and XLSX (and
Chinese or English headers) are validated by one code path.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import PurePath

from bot.imports.errors import ImportFileError

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20000
#: Columns read per row; a header wider than this is not a client list.
MAX_COLUMNS = 64
#: Uncompressed size an XLSX may unpack to: a 5 MB zip could otherwise expand to gigabytes.
MAX_UNPACKED_BYTES = 64 * 1024 * 1024

_XLSX_EXTENSIONS = {".xlsx", ".xlsm"}
#: Formats people send by mistake, told apart so the RM hears "save as .xlsx/.csv", not "damaged".
_OTHER_FORMATS = {".xls", ".et", ".ods", ".numbers", ".pdf", ".doc", ".docx", ".wps", ".png", ".jpg",
                  ".jpeg", ".gif", ".heic", ".webp", ".zip", ".rar", ".7z"}
_OTHER_MAGIC = (b"\xd0\xcf\x11\xe0", b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"Rar!", b"7z\xbc\xaf")
_ZIP_MAGIC = b"PK\x03\x04"
_DELIMITERS = (",", ";", "\t")
_HEADER_NOISE = re.compile(r"[\s_\-*:.]+")
_PARENTHESISED = re.compile(r"\(.*?\)")


@dataclass(frozen=True)
class Table:
    """The canonical columns the header named, and every non-blank data row keyed by them."""

    columns: tuple[str, ...]
    rows: list[tuple[int, dict[str, str]]]


def normalize_header(text: str) -> str:
    """Header text compared loosely: full-width forms, case, spaces, _ - * : are ignored."""
    return _HEADER_NOISE.sub("", unicodedata.normalize("NFKC", text).casefold())


def column_index(headers: list[str], columns: Mapping[str, tuple[str, ...]]) -> dict[int, str]:
    """Header position → canonical column; "金额(元)" falls back to "金额" when not listed as is.

    The first header naming a column wins, so a stray second "Name" cannot overwrite the first.
    """
    lookup = {normalize_header(synonym): canonical
              for canonical, synonyms in columns.items() for synonym in (canonical, *synonyms)}
    found: dict[int, str] = {}
    for position, header in enumerate(headers):
        key = normalize_header(header)
        canonical = lookup.get(key) or lookup.get(_PARENTHESISED.sub("", key))
        if canonical and canonical not in found.values():
            found[position] = canonical
    return found


def load_table(filename: str, content: bytes, columns: Mapping[str, tuple[str, ...]] | None = None) -> Table:
    """The file's rows keyed by canonical column (or by normalized header when columns is None).

    Unknown headers are dropped when columns is given; missing cells read as "".
    """
    grid = iter(read_grid(filename, content))
    header = next(grid, None)
    if header is None:
        raise ImportFileError("import.error.empty")
    _, headers = header
    if columns is None:
        index: dict[int, str] = {}
        for position, text in enumerate(headers):
            key = normalize_header(text)
            if key and key not in index.values():
                index[position] = key
    else:
        index = column_index(headers, columns)
    rows = [(line, {name: cells[position] if position < len(cells) else "" for position, name in index.items()})
            for line, cells in grid]
    if not rows:
        raise ImportFileError("import.error.empty")
    return Table(tuple(index.values()), rows)


def read_table(filename: str, content: bytes,
               columns: Mapping[str, tuple[str, ...]] | None = None) -> list[tuple[int, dict[str, str]]]:
    """(line, {column: cell text}) for every non-blank data row; see load_table."""
    return load_table(filename, content, columns).rows


def read_grid(filename: str, content: bytes) -> list[tuple[int, list[str]]]:
    """(line, stripped cells) for every non-blank row, header included; line is 1-based."""
    if len(content) > MAX_FILE_BYTES:
        raise ImportFileError("import.error.too_large", max_mb=MAX_FILE_BYTES // (1024 * 1024))
    extension = PurePath(filename).suffix.lower()
    lines: Iterable[tuple[int, list[str]]]
    if content.startswith(_ZIP_MAGIC) or extension in _XLSX_EXTENSIONS:
        lines = _xlsx_rows(filename, content)
    elif extension in _OTHER_FORMATS or content.startswith(_OTHER_MAGIC):
        raise ImportFileError("import.error.unknown_format", name=filename)
    else:
        lines = _csv_rows(content)
    grid: list[tuple[int, list[str]]] = []
    for line, cells in lines:
        if any(cells):
            if len(grid) > MAX_ROWS:  # header + MAX_ROWS data rows already read
                raise ImportFileError("import.error.too_many_rows", max_rows=MAX_ROWS)
            grid.append((line, cells))
    return grid


def _csv_rows(content: bytes) -> Iterator[tuple[int, list[str]]]:
    text = _decode(content)
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(_DELIMITERS, key=first.count)  # ties keep ",": the first listed
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        # Counting records, not physical lines: a quoted cell spanning lines is still one
        # spreadsheet row, and the row number is what the RM sees when opening the file.
        for line, cells in enumerate(reader, 1):
            yield line, [cell.strip() for cell in cells[:MAX_COLUMNS]]
    except csv.Error as error:
        raise ImportFileError("import.error.not_table") from error


def _decode(content: bytes) -> str:
    """UTF-8 (with or without BOM), Excel's "Unicode text" UTF-16, else GB18030 from Chinese Excel."""
    encodings = ("utf-16",) if content.startswith((b"\xff\xfe", b"\xfe\xff")) else ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:  # binary that happened to decode
            break
        return text
    raise ImportFileError("import.error.not_table")


def _xlsx_rows(filename: str, content: bytes) -> list[tuple[int, list[str]]]:
    """The first worksheet's rows as text; dates become YYYY-MM-DD, whole numbers lose ".0"."""
    import openpyxl  # only XLSX uploads pay for the import

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = archive.namelist()
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise ImportFileError("import.error.not_table") from error
    if "xl/workbook.xml" not in names:  # .docx, .ods, a plain zip …
        raise ImportFileError("import.error.unknown_format", name=filename)
    if unpacked > MAX_UNPACKED_BYTES:
        raise ImportFileError("import.error.too_large", max_mb=MAX_FILE_BYTES // (1024 * 1024))
    rows: list[tuple[int, list[str]]] = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "no default style" and similar, harmless for reading
            workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        try:
            if not workbook.worksheets:
                return rows
            sheet = workbook.worksheets[0]
            sheet.reset_dimensions()  # some exporters write a wrong <dimension>; read what is there
            for line, values in enumerate(sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS), 1):
                cells = [_cell_text(value) for value in values]
                if any(cells):
                    rows.append((line, cells))
                    if len(rows) > MAX_ROWS + 1:
                        break  # read_grid reports it
        finally:
            workbook.close()
    except ImportFileError:
        raise
    except Exception as error:  # openpyxl raises many types on a damaged file; all mean "unreadable"
        raise ImportFileError("import.error.not_table") from error
    return rows


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e18:
        return str(int(value))
    return str(value).strip()

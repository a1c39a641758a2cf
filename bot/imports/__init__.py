"""Client lists and holdings uploaded as CSV or XLSX, turned into validated rows.

Pure: bytes in, rows and row errors out; no clock, storage or Telegram. The caller decides what
to store and how to word the errors (every error carries a string-catalog key and its values).
The one module here that stores, bot.imports.storing, is imported by name (it needs the repository).
"""

from bot.imports.columns import CLIENT_COLUMNS, HOLDING_COLUMNS, detect_kind
from bot.imports.errors import ImportFileError, RowError
from bot.imports.rows import (
    ClientRow,
    HoldingRow,
    ImportResult,
    parse_clients,
    parse_holdings,
)
from bot.imports.tables import MAX_FILE_BYTES, MAX_ROWS, read_table

__all__ = [
    "CLIENT_COLUMNS", "HOLDING_COLUMNS", "MAX_FILE_BYTES", "MAX_ROWS", "ClientRow", "HoldingRow",
    "ImportFileError", "ImportResult", "RowError", "detect_kind", "parse_clients", "parse_holdings",
    "read_table",
]

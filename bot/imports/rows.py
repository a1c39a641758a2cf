"""Validated client and holding rows from an uploaded file: good rows load, bad rows say why.

One bad cell rejects its whole row (a half-imported client is worse than a clear "fix line 7"),
but never the file: the RM gets every good row plus a list of the lines to fix.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Generic, TypeVar

from bot.banks import HERE_WORDS, OTHER_WORDS, is_own_bank
from bot.client_profile import PROFILE_FIELDS, ProfileFieldError, read_profile_field
from bot.imports.cells import (
    CellError,
    to_amount,
    to_cadence,
    to_currency,
    to_date,
    to_lunar,
    to_product,
    to_tier,
    written_currency,
)
from bot.imports.columns import CLIENT_COLUMNS, HOLDING_COLUMNS, REQUIRED
from bot.imports.errors import ImportFileError, RowError
from bot.imports.tables import load_table
from bot.parsing.profile import Cover, read_cover_kind, read_insured

NAME_MAX, PHONE_MAX, COMPANY_MAX, NOTES_MAX, PRODUCT_NAME_MAX = 64, 32, 128, 1000, 128
BANK_MAX = 40
#: A bank cell meaning "held here" (HERE_WORDS, or one of the bank's own names: [bank] own_names) or
#: "at another bank, unnamed" (OTHER_WORDS); any other text names another bank (bot/banks.py).
YES_WORDS = {"是", "y", "yes", "true", "1", "√", "✓", "他行"}
NO_WORDS = {"否", "n", "no", "false", "0", "×", "本行"}

T = TypeVar("T")


@dataclass(frozen=True)
class ClientRow:
    line: int
    name: str
    phone: str | None = None
    company: str | None = None
    tier: str | None = None
    birthday: date | None = None
    lunar_birthday: str | None = None
    last_contact: date | None = None
    cadence_days: int | None = None
    notes: str | None = None
    profile: tuple[tuple[str, str], ...] = ()   # (profile field, text as written): bot.client_profile
    risk_assessed_on: date | None = None


@dataclass(frozen=True)
class HoldingRow:
    line: int
    client: str
    product: str
    name: str = ""
    amount: float | None = None
    start_date: date | None = None
    maturity_date: date | None = None
    currency: str | None = None     # ISO 4217; None: CNY
    cover: Cover | None = None      # an insurance holding's insured person, kind, sum, premium, term
    other_bank: bool = False        # held at another bank: a profile asset for /review, not a holding here
    bank: str | None = None         # that bank, when the file names it
    own_bank: str | None = None     # the bank cell named the RM's own bank (招商银行 for a 招行 RM): held here


@dataclass(frozen=True)
class ImportResult(Generic[T]):
    """Rows in file order; errors in file order, possibly several for one line."""

    rows: tuple[T, ...]
    errors: tuple[RowError, ...]


class _Cells:
    """One row's cells, converting each and collecting every failure rather than stopping at the first."""

    def __init__(self, line: int, cells: dict[str, str]) -> None:
        self.line, self.cells = line, cells
        self.errors: list[RowError] = []

    def text(self, column: str, limit: int) -> str | None:
        value = self.cells.get(column, "").strip()
        return value[:limit] or None

    def convert(self, column: str, converter: Callable, *args: object):
        try:
            return converter(self.cells.get(column, ""), *args)
        except CellError as error:
            self.errors.append(RowError(self.line, error.key, error.values))
            return None

    def fail(self, key: str, **values: object) -> None:
        self.errors.append(RowError(self.line, key, values))


def _load(filename: str, content: bytes, kind: str, columns: dict[str, tuple[str, ...]]):
    table = load_table(filename, content, columns)
    for column in REQUIRED[kind]:
        if column not in table.columns:
            raise ImportFileError("import.error.missing_column", column=column)
    return table.rows


def _person(cells: _Cells, column: str, missing_key: str) -> str | None:
    name = " ".join(cells.cells.get(column, "").split())
    if not name:
        cells.fail(missing_key)
    elif len(name) > NAME_MAX:
        cells.fail("import.row.name_too_long", max=NAME_MAX)
    else:
        return name
    return None


PROFILE_COLUMNS = tuple(PROFILE_FIELDS)


def parse_clients(filename: str, content: bytes) -> ImportResult[ClientRow]:
    """Client rows; a name seen earlier in the file (ignoring case and spacing) is a duplicate."""
    rows: list[ClientRow] = []
    errors: list[RowError] = []
    seen: set[str] = set()
    for line, raw in _load(filename, content, "clients", CLIENT_COLUMNS):
        cells = _Cells(line, raw)
        name = _person(cells, "name", "import.row.missing_name")
        row = ClientRow(
            line=line,
            name=name or "",
            phone=cells.text("phone", PHONE_MAX),
            company=cells.text("company", COMPANY_MAX),
            tier=cells.convert("tier", to_tier),
            birthday=cells.convert("birthday", to_date, "birthday"),
            lunar_birthday=cells.convert("lunar_birthday", to_lunar),
            last_contact=cells.convert("last_contact", to_date, "last_contact"),
            cadence_days=cells.convert("cadence_days", to_cadence),
            notes=cells.text("notes", NOTES_MAX),
            profile=tuple((f, v) for f in PROFILE_COLUMNS if (v := cells.text(f, NOTES_MAX))),
            risk_assessed_on=cells.convert("risk_assessed_on", to_date, "risk_assessed_on"),
        )
        for field, value in row.profile:
            try:
                read_profile_field(field, value, date.max)  # only checks it can be read
            except ProfileFieldError:
                cells.fail(f"import.row.bad_{field}", value=value)
        if name and not cells.errors:
            if name.casefold() in seen:
                cells.fail("import.row.duplicate", name=name)
            seen.add(name.casefold())
        if cells.errors:
            errors.extend(cells.errors)
        else:
            rows.append(row)
    return ImportResult(tuple(rows), tuple(errors))


def parse_holdings(filename: str, content: bytes, own_banks: Iterable[str] = ()) -> ImportResult[HoldingRow]:
    """Holding rows; the same client may hold many products, so rows are never de-duplicated.
    `own_banks`: the names of the RM's own bank, so a bank cell naming it is held here."""
    rows: list[HoldingRow] = []
    errors: list[RowError] = []
    for line, raw in _load(filename, content, "holdings", HOLDING_COLUMNS):
        cells = _Cells(line, raw)
        client = _person(cells, "client", "import.row.missing_client")
        product = cells.convert("product", to_product)
        if product is None and not raw.get("product", "").strip():
            cells.fail("import.row.missing_product")
        if raw.get("amount", "").strip() or "amount_wan" not in raw:
            amount = cells.convert("amount", to_amount)
        else:
            amount = cells.convert("amount_wan", to_amount, 1e4)
        currency = cells.convert("currency", to_currency) or written_currency(
            raw.get("amount", "") or raw.get("amount_wan", ""))
        start = cells.convert("start_date", to_date, "start_date")
        maturity = cells.convert("maturity_date", to_date, "maturity_date")
        if start and maturity and maturity < start:
            cells.fail("import.row.maturity_before_start")
        cover = _cover(cells, raw, currency) if product == "INSURANCE" else None
        other_bank, bank, own = _held_at(cells, raw, own_banks)
        if cells.errors:
            errors.extend(cells.errors)
        else:
            rows.append(HoldingRow(line, client or "", product or "", cells.text("name", PRODUCT_NAME_MAX) or "",
                                   amount, start, maturity, currency, cover, other_bank, bank, own))
    return ImportResult(tuple(rows), tuple(errors))


def _held_at(cells: _Cells, raw: dict[str, str], own_banks: Iterable[str]) -> tuple[bool, str | None, str | None]:
    """(at another bank, its name, the own bank's name as written) from the bank and 他行 columns.
    Empty, 本行 or one of the bank's own names is here; 他行 is another bank unnamed; any other name
    is that bank. A yes/no that cannot be read, or one that contradicts the bank cell, is a row
    error: never a guess about where a client's money is."""
    bank = " ".join(raw.get("bank", "").split())
    flag = raw.get("other_bank", "").strip().casefold()
    if len(bank) > BANK_MAX:
        cells.fail("import.row.bad_bank", value=bank[:BANK_MAX])
        return False, None, None
    own = bank if bank and bank.casefold() not in HERE_WORDS and is_own_bank(bank, own_banks) else None
    said = None if not bank or own or bank.casefold() in HERE_WORDS else bank
    elsewhere = said is not None
    if flag:
        if flag not in YES_WORDS | NO_WORDS or (flag in NO_WORDS and elsewhere) or (flag in YES_WORDS and own):
            cells.fail("import.row.bad_other_bank", value=raw.get("other_bank", "")[:BANK_MAX])
            return False, None, None
        elsewhere = elsewhere or flag in YES_WORDS
    if not elsewhere:
        return False, None, own
    return True, None if said is None or said.casefold() in OTHER_WORDS else said, None


def _cover(cells: _Cells, raw: dict[str, str], currency: str | None) -> Cover | None:
    """An insurance row's cover, when the file has the insurance columns; a kind or insured person
    that cannot be read is a row error, never a guess."""
    columns = ("insured", "cover_kind", "sum_insured", "premium", "term_years")
    if not any(raw.get(column, "").strip() for column in columns):
        return None
    kind_text = raw.get("cover_kind", "").strip() or raw.get("name", "")
    kind = read_cover_kind(kind_text)
    if kind is None:
        cells.fail("import.row.bad_cover_kind", value=kind_text[:40])
    insured, name = read_insured(raw.get("insured", ""))
    if not insured:
        cells.fail("import.row.bad_insured", value=raw.get("insured", "")[:40])
    sum_insured = cells.convert("sum_insured", to_amount)
    premium = cells.convert("premium", to_amount)
    term_text = raw.get("term_years", "").strip().rstrip("年").replace("years", "").replace("year", "").strip()
    term = int(term_text) if term_text.isdigit() and 1 <= int(term_text) <= 99 else None
    if term_text and term is None:
        cells.fail("import.row.bad_term", value=raw.get("term_years", "")[:40])
    if kind is None or not insured:
        return None
    return Cover(insured, name, kind, sum_insured, premium, term, currency)

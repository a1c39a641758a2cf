"""Validated client and holding rows from an uploaded file: good rows load, bad rows say why.

One bad cell rejects its whole row (a half-imported client is worse than a clear "fix line 7"),
but never the file: the RM gets every good row plus a list of the lines to fix.
"""

from __future__ import annotations

import re
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
from bot.parsing.profile import read_cover_kind, read_insured
from storage.records import Coverage

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
    cover: Coverage | None = None   # an insurance holding's insured person, kind, sum, premium, term
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
        covered = _cover(cells, raw, currency) if product == "INSURANCE" else None
        cover, currency = covered if covered else (None, currency)
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


_SINGLE = {"趸交", "趸缴", "一次性", "一次性交清", "single", "single premium", "one-off", "lump sum"}
_YEARLY = {"年缴", "年交", "每年", "按年", "yearly", "annual", "annually", "year", "per year", "a year"}
_TO_AGE = re.compile(r"(?:至|到|保至|保到|to\s+age|until\s+age|age)?\s*(\d{2,3})\s*(?:岁|周岁)?", re.IGNORECASE)
_WHOLE_LIFE = {"终身", "whole life", "lifetime", "life"}


def _term(cells: _Cells, raw: dict[str, str]) -> tuple[int | None, int | None, str | None]:
    """(years, to age, period said by it) from a term cell: 20, 20年, 20 years, 至70岁, to age 70,
    趸交 (a single premium); 终身 is read and holds no number. Anything else is a row error."""
    text = " ".join(raw.get("term_years", "").split())
    value = text.lower()
    if not value or value in _WHOLE_LIFE:
        return None, None, None
    if value in _SINGLE:
        return None, None, "single"
    years = re.fullmatch(r"(\d{1,2})\s*(?:年|years?|yrs?|y)?", value)
    if years and 1 <= int(years.group(1)) <= 99:
        return int(years.group(1)), None, None
    age = _TO_AGE.fullmatch(value)
    if age and not years and (value[:1] in "至到保ta" or "岁" in value) and 1 <= int(age.group(1)) <= 120:
        return None, int(age.group(1)), None
    cells.fail("import.row.bad_term", value=text[:40])
    return None, None, None


def _cover(cells: _Cells, raw: dict[str, str], currency: str | None) -> tuple[Coverage, str | None] | None:
    """An insurance row's cover and its currency, when the file has the insurance columns; a kind,
    insured person, sum, premium, period or term that cannot be read is a row error, never a guess."""
    columns = ("insured", "cover_kind", "sum_insured", "premium", "annual_premium", "premium_period", "term_years")
    if not any(raw.get(column, "").strip() for column in columns):
        return None
    kind_text = raw.get("cover_kind", "").strip() or raw.get("name", "")
    kind = read_cover_kind(kind_text)
    if kind is None:
        cells.fail("import.row.bad_cover_kind", value=kind_text[:40])
    insured, name = read_insured(raw.get("insured", ""))
    if not insured:
        cells.fail("import.row.bad_insured", value=raw.get("insured", "")[:40])
    sum_insured = _money(cells, raw, "sum_insured", "import.row.bad_sum_insured")
    yearly = _money(cells, raw, "annual_premium", "import.row.bad_premium")
    premium = yearly if yearly is not None else _money(cells, raw, "premium", "import.row.bad_premium")
    term, to_age, term_period = _term(cells, raw)
    said = " ".join(raw.get("premium_period", "").split())
    period = None
    if said:
        period = "single" if said.lower() in _SINGLE else ("year" if said.lower() in _YEARLY else None)
        if period is None:
            cells.fail("import.row.bad_premium_period", value=said[:40])
    period = period or term_period or ("year" if yearly is not None or term is not None else None)
    if premium is None:
        period = None
    currency = currency or next((c for column in ("sum_insured", "annual_premium", "premium")
                                 if (c := written_currency(raw.get(column, ""))) is not None), None)
    if kind is None or not insured:
        return None
    return Coverage(kind, insured, name, sum_insured, premium, period, term, to_age), currency


def _money(cells: _Cells, raw: dict[str, str], column: str, key: str) -> float | None:
    try:
        return to_amount(raw.get(column, ""))
    except CellError:
        cells.fail(key, value=raw.get(column, "")[:40])
        return None

"""One cell's text to a typed value, failing with the row-error key the RM will read.

Cells are NFKC-normalised first: Chinese input methods often type full-width digits (２０２６－０３－１５).
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date
from functools import lru_cache

from bot.parsing.amounts import CURRENCIES, find_amounts
from bot.parsing.numbers import cn_to_int
from bot.parsing.products import load_catalog

MIN_YEAR, MAX_YEAR = 1900, 2100
MAX_CADENCE_DAYS = 3650

_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_DATE = re.compile(rf"(\d{{4}})\s*[-/.年]\s*(\d{{1,2}})\s*[-/.月]\s*(\d{{1,2}})\s*日?{_TIME}")
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_MONTH_DAY = re.compile(r"(?:\d{4}\s*[-/.年]\s*)?(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_CN_MONTH_DAY = re.compile(r"(闰)?([正冬腊一二三四五六七八九十]{1,2})月(初?[一二三四五六七八九十廿卅]{1,3})日?")
_CADENCE = re.compile(r"(\d{1,5})(?:\.0+)?\s*(?:天|日|days?|d)?", re.IGNORECASE)
_BARE_AMOUNT = re.compile(r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")


class CellError(Exception):
    """A cell that cannot be read; rows.py turns it into a RowError on the cell's line."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


def _clean(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def to_date(text: str, column: str) -> date | None:
    """YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD, YYYY年M月D日 or YYYYMMDD (an optional time is ignored)."""
    cleaned = _clean(text)
    if not cleaned:
        return None
    match = _DATE.fullmatch(cleaned) or _COMPACT_DATE.fullmatch(cleaned)
    if match:
        year, month, day = (int(part) for part in match.groups())
        if MIN_YEAR <= year <= MAX_YEAR:
            try:
                return date(year, month, day)
            except ValueError:
                pass
    raise CellError("import.row.bad_date", column=column, value=text)


def to_lunar(text: str) -> str | None:
    """A lunar month-day as 'MM-DD': 8-1, 08-01, 8月1日, 八月初一, 农历正月初八; a year is dropped."""
    cleaned = _clean(text).removeprefix("农历").removeprefix("阴历").strip()
    if not cleaned:
        return None
    month = day = None
    if match := _MONTH_DAY.fullmatch(cleaned):
        month, day = int(match.group(1)), int(match.group(2))
    elif (match := _CN_MONTH_DAY.fullmatch(cleaned)) and not match.group(1):  # no MM-DD for a leap month
        month_text = match.group(2).replace("正", "一").replace("冬", "十一").replace("腊", "十二")
        day_text = match.group(3).removeprefix("初").replace("廿", "二十").replace("卅", "三十")
        month, day = cn_to_int(month_text), cn_to_int(day_text)
    if month and day and 1 <= month <= 12 and 1 <= day <= 30:
        return f"{month:02d}-{day:02d}"
    raise CellError("import.row.bad_lunar_date", value=text)


def to_tier(text: str) -> str | None:
    """A, B or C (any case)."""
    cleaned = _clean(text).upper()
    if not cleaned:
        return None
    if cleaned in ("A", "B", "C"):
        return cleaned
    raise CellError("import.row.bad_tier", value=text)


def to_cadence(text: str) -> int | None:
    """Whole days between contacts, 1–3650: 30, 30天, 30 days."""
    cleaned = _clean(text)
    if not cleaned:
        return None
    match = _CADENCE.fullmatch(cleaned)
    if match and 1 <= int(match.group(1)) <= MAX_CADENCE_DAYS:
        return int(match.group(1))
    raise CellError("import.row.bad_cadence", value=text)


def to_amount(text: str, multiplier: float = 1.0) -> float | None:
    """Yuan, ≥ 0: 1,000,000 · 100万 · 1.5亿 · 2m · 500k · ¥1,000. multiplier scales bare numbers
    only, for a column headed 金额(万元); a cell with its own unit means what it says."""
    cleaned = _clean(text)
    if not cleaned:
        return None
    value = None
    if _BARE_AMOUNT.fullmatch(cleaned):
        value = float(cleaned.replace(",", "")) * multiplier
    else:
        found = find_amounts(cleaned)
        if len(found) == 1 and found[0][0] == 0 and cleaned[found[0][1]:].strip() in ("", "元"):
            value = found[0][2]
    if value is None or not math.isfinite(value) or value < 0:
        raise CellError("import.row.bad_amount", value=text)
    return value


def to_currency(text: str) -> str | None:
    """ISO 4217 from a code or a currency word (USD, 美元, 港币, ¥); empty is None (the amount's own or CNY)."""
    cleaned = _clean(text)
    if not cleaned:
        return None
    code = CURRENCIES.get(cleaned.lower())
    if code is None and re.fullmatch(r"[A-Za-z]{3}", cleaned):
        code = cleaned.upper()
    if code is None:
        raise CellError("import.row.bad_currency", value=text)
    return code


def written_currency(text: str) -> str | None:
    """The currency an amount cell names itself (USD 1,000,000 · 100万港币), else None."""
    found = find_amounts(_clean(text)) if text else []
    return found[0].currency if found else None


def to_product(text: str) -> str | None:
    """The catalog code for a code (any case), a synonym, or a product's English or Chinese name."""
    cleaned = " ".join(_clean(text).split())
    if not cleaned:
        return None
    lookup = _product_lookup()
    code = lookup.get(cleaned) or lookup.get(cleaned.casefold())
    if code is None:
        raise CellError("import.row.unknown_product", value=text)
    return code


@lru_cache(maxsize=1)
def _product_lookup() -> dict[str, str]:
    """Exact spellings first, then case-folded ones; on a clash the earlier catalog entry wins."""
    lookup: dict[str, str] = {}
    products = load_catalog().values()
    for product in products:
        for spelling in (product.code, *product.synonyms, product.en, product.zh):
            lookup.setdefault(spelling, product.code)
    for product in products:
        for spelling in (product.code, product.code.replace("_", " "), *product.synonyms, product.en, product.zh):
            lookup.setdefault(spelling.casefold(), product.code)
    return lookup

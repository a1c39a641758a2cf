"""Money amounts in a note, in yuan; a bare number is a count, not money, unless a unit says so."""

from __future__ import annotations

import re

from bot.parsing.numbers import cn_to_int

_MULTIPLIERS = {
    "k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "mln": 1e6, "mio": 1e6, "million": 1e6,
    "millions": 1e6, "bn": 1e9, "billion": 1e9, "w": 1e4,
    "千": 1e3, "万": 1e4, "十万": 1e5, "百万": 1e6, "千万": 1e7, "亿": 1e8,
    "元": 1, "块": 1, "yuan": 1, "rmb": 1, "cny": 1, "usd": 1, "dollars": 1, "dollar": 1,
}
_CURRENCY = r"(?:RMB|CNY|USD|HKD|EUR|rmb|cny|usd|¥|￥|\$|人民币|美元)"
_UNIT = (r"(?:(?:k|K|thousand|mn|mln|mio|million|millions|m|M|bn|billion|w|W)(?![A-Za-z])"
         r"|十万|百万|千万|万|亿|千(?![米克])|元|块|(?:yuan|rmb|RMB|CNY|dollars?)(?![A-Za-z]))")
_NUMBER = r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"

_WITH_UNIT = re.compile(rf"(?<![A-Za-z0-9.]){_CURRENCY}?\s*{_NUMBER}\s*({_UNIT})")
_WITH_CURRENCY = re.compile(rf"{_CURRENCY}\s*{_NUMBER}(?![\d.])")
_CHINESE = re.compile(r"([零一二两三四五六七八九十百千]+)\s*(万|亿)")


def find_amounts(text: str) -> list[tuple[int, int, float]]:
    """(start, end, yuan) for every amount, left to right."""
    found: list[tuple[int, int, float]] = []
    for match in _WITH_UNIT.finditer(text):
        value = float(match.group(1).replace(",", "")) * _MULTIPLIERS[match.group(2).lower()]
        found.append((match.start(), match.end(), value))
    for match in _WITH_CURRENCY.finditer(text):
        if not any(s <= match.start() < e for s, e, _ in found):
            found.append((match.start(), match.end(), float(match.group(1).replace(",", ""))))
    for match in _CHINESE.finditer(text):
        number = cn_to_int(match.group(1))
        if number and not any(s <= match.start() < e for s, e, _ in found):
            found.append((match.start(), match.end(), number * _MULTIPLIERS[match.group(2)]))
    return sorted(found)


def first_amount(text: str) -> float | None:
    """The note's amount: the first one mentioned."""
    found = [value for _, _, value in find_amounts(text) if value > 0]
    return found[0] if found else None

"""Client fields an RM may edit from the client card, and how a typed value is read (pure)."""

from __future__ import annotations

import re
from datetime import date

from bot.reminders.birthdays import parse_lunar

FIELDS = ("phone", "company", "birthday", "lunar_birthday", "cadence_days", "notes")
CLEAR_WORDS = {"none", "clear", "-", "无", "清空", "没有"}
TEXT_LIMIT = 200
#: The year stored for a birthday typed without one (a leap year, so 29 Feb fits). Only month and
#: day drive reminders; displays and exports leave this year out (bot.display.format_birthday).
NO_YEAR = 1904
_MONTHS = {name: n for n, names in enumerate((
    ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
    ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
    ("dec", "december")), start=1) for name in names}
_ZH_BIRTHDAY = re.compile(r"^(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$")
_NUMERIC_BIRTHDAY = re.compile(r"^(?:(\d{4})[-/.])?(\d{1,2})[-/.](\d{1,2})$")
_EN_BIRTHDAY = re.compile(r"^(?:([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?|(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?)"
                          r"(?:,?\s+(\d{4}))?$")


def read_birthday(text: str) -> date | None:
    """1975-11-26, 12-02, 12/2, 12月2日, 1975年12月2日, Dec 2, 2 December 1975: a year is optional."""
    value = " ".join(text.strip().lower().split())
    year = month = day = None
    if match := _ZH_BIRTHDAY.match(value) or _NUMERIC_BIRTHDAY.match(value):
        year, month, day = match.group(1), int(match.group(2)), int(match.group(3))
    elif match := _EN_BIRTHDAY.match(value):
        name = match.group(1) or match.group(4)
        month, day, year = _MONTHS.get(name), int(match.group(2) or match.group(3)), match.group(5)
    if month is None:
        return None
    try:
        return date(int(year) if year else NO_YEAR, month, day)
    except ValueError:
        return None


class FieldError(ValueError):
    """The value does not fit the field; the hint key says what would."""

    def __init__(self, hint: str) -> None:
        super().__init__(hint)
        self.hint = hint


def read_client_field(field: str, text: str) -> str | int | None:
    """The stored value for a typed one (None clears the field)."""
    value = text.strip()
    if value.lower() in CLEAR_WORDS:
        return None
    if field == "birthday":
        birthday = read_birthday(value)
        if birthday is None or not date(1900, 1, 1) <= birthday <= date(2099, 12, 31):
            raise FieldError("card.hint_birthday")
        return birthday.isoformat()
    if field == "lunar_birthday":
        lunar = parse_lunar(value)
        if lunar is None:
            raise FieldError("card.hint_lunar_birthday")
        return f"{lunar[0]:02d}-{lunar[1]:02d}"
    if field == "cadence_days":
        if not (value.isascii() and value.isdecimal() and len(value) <= 4) or not 1 <= int(value) <= 3650:
            raise FieldError("card.hint_cadence_days")
        return int(value)
    if len(value) > TEXT_LIMIT:
        raise FieldError("card.hint_text")
    return value

"""Button callback data: every prefix the bot uses, its fields, one encoder and one decoder that checks them.

Callback data comes back from Telegram as the client sent it, so it is user input: a forged or
stale button may carry `²` (which `str.isdigit` accepts and `int` refuses), a 20-digit id (which
SQLite refuses), a page in the billions or a day in year 9999. `decode` reads every field before
any handler uses it and answers None for anything outside the shapes below; the handler then
says "no longer valid" instead of failing. `encode` builds a button's data from the same shapes
and refuses one `decode` would not read back, so a button the bot shows always works.

| prefix | action | fields | button |
| --- | --- | --- | --- |
| `n` | u, e, x, c, m | contact id | under a saved note: Undo, Edit, cancel the edit, new client, Merge… |
| `n` | f | contact id, note field | Edit: which field |
| `n` | p, mi | contact id, client id | pick the client of an ambiguous note; merge into that client |
| `n` | r | contact id, reading (`o<YYYYMMDD>` date, `f<YYYYMMDD>[HHMM]` follow-up) | pick a date phrase's reading |
| `n` | ya | contact id, client id, newest note asked about | "also file earlier notes of this name?": yes |
| `n` | yn | contact id | the same question: no (they stay to confirm) |
| `n` | i | contact id, holding id, `s` (the client) or a member's fact id | whose policy a note filed |
| `c` | card, log, tier, edit | client id | the client card's buttons |
| `c` | settier | client id, A/B/C | set the tier |
| `c` | field | client id, client field | edit a field of the card |
| `c` | tl | client id, page | the client's timeline, paged |
| `l` | *, A, B, C (the tier) | page | /clients, paged |
| `d` | ok, s1, s7, log | item kind (f, c, b, m), item id | the digest's Done / +1 day / +1 week / Log |
| `d` | h | holiday key, day (YYYYMMDD), list page (N opens, pN turns) | the clients to greet on a festival |
| `d` | ch | contact id, channel letter (M, T, E, W) | after a digest Done: the contact's channel |
| `d` | pk | contact id, client id | a note's client to confirm: this client |
| `d` | pn, px | contact id | a note's client to confirm: a new client of the name written; skip (no client) |
| `d` | dr | contact id, reading (as `n:r`) | a note's date to confirm: this reading |
| `r` | t | day (YYYYMMDD), page | /today, paged |
| `p` | ask, forget | client id | /forget: confirm, erase |
| `p` | keep | | /forget: keep |
| `s` | lang | language | /settings: language |
| `s` | toggle | workdays, empty | /settings: switches |
| `f` | a | FAQ entry id | /faq: a topic |
| `f` | c | category (compliance, practice, product), or empty for all | /faq: a category heading, and back to all |
| `v` | ok | review id | /review's question: Done |
| `v` | u | fact id, review id | /review's question: Undo an answer |
| `q` | (none: `q:<page>:<words>`) | page, the search words (may hold `:`) | /find, paged |
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.client_fields import FIELDS as CLIENT_FIELDS
from bot.client_profile import PROFILE_FIELDS
from bot.faq.entries import CATEGORIES
from bot.note_edit import FIELDS as NOTE_FIELDS
from bot.strings import LANGUAGES

#: SQLite's INTEGER is 64-bit signed: a larger id is not any row's.
MAX_ROW_ID = 2**63 - 1
#: More pages than any RM's clients or contacts fill (ten thousand pages of ten).
MAX_PAGE = 10_000
#: Days the bot can be asked about: a holiday list stays within this century.
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)
_READING = re.compile(r"([of])([0-9]{8})([0-9]{4})?")
_WORD = re.compile(r"[\w\- .'()&]{1,48}")

Reader = Callable[[str], Any]  # a field's text → its value, or None when it is not one


def _decimal(text: str, max_digits: int) -> int | None:
    """ASCII digits only (no ², no ٣, no sign), at most max_digits of them."""
    if not text or len(text) > max_digits or not (text.isascii() and text.isdecimal()):
        return None
    return int(text)


def row_id(text: str) -> int | None:
    """A database row id: 1 … 2**63 - 1."""
    value = _decimal(text, 19)
    return value if value is not None and 1 <= value <= MAX_ROW_ID else None


def page(text: str) -> int | None:
    """A page number: 0 … MAX_PAGE."""
    value = _decimal(text, 5)
    return value if value is not None and value <= MAX_PAGE else None


def list_page(text: str) -> tuple[bool, int] | None:
    """A holiday list's page: `N` opens the list at page N, `pN` turns to page N (turned, N)."""
    turned = text.startswith("p")
    number = page(text[1:] if turned else text)
    return None if number is None else (turned, number)


def day(text: str) -> date | None:
    """YYYYMMDD within FIRST_DAY … LAST_DAY."""
    if _decimal(text, 8) is None or len(text) != 8:
        return None
    try:
        value = date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None
    return value if sane_day(value) else None


def sane_day(value: date) -> bool:
    """A day the bot can report on or list (a typed /week 9999-12-31 is not)."""
    return FIRST_DAY <= value <= LAST_DAY


def reading(text: str) -> str | None:
    """A date phrase's reading: o<YYYYMMDD> (the contact date) or f<YYYYMMDD>[HHMM] (the follow-up)."""
    found = _READING.fullmatch(text)
    if found is None or day(found.group(2)) is None:
        return None
    at = found.group(3)
    return text if at is None or (int(at[:2]) < 24 and int(at[2:]) < 60) else None


def word(text: str) -> str | None:
    """A short key (an FAQ entry id, a holiday key)."""
    return text if _WORD.fullmatch(text) else None


def one_of(*values: str) -> Reader:
    allowed = frozenset(values)
    return lambda text: text if text in allowed else None


def insured(text: str) -> str | None:
    """Whose policy: `s` for the client, else the id of the fact that named a family member."""
    return text if text == "s" or row_id(text) is not None else None


_ITEM_KIND = one_of("f", "c", "b", "r", "m")  # follow-up, contact due, birthday, a relative's birthday, maturity
SHAPES: dict[str, dict[str, tuple[Reader, ...]]] = {
    "n": {**{action: (row_id,) for action in ("u", "e", "x", "c", "m")},
          "f": (row_id, one_of(*NOTE_FIELDS)), "p": (row_id, row_id), "mi": (row_id, row_id),
          "r": (row_id, reading), "i": (row_id, row_id, insured), "ya": (row_id, row_id, row_id),
          "yn": (row_id,)},
    "c": {**{action: (row_id,) for action in ("card", "log", "tier", "edit", "chart")},
          "settier": (row_id, one_of("A", "B", "C")), "field": (row_id, one_of(*CLIENT_FIELDS, *PROFILE_FIELDS)),
          "tl": (row_id, page)},
    "l": {tier: (page,) for tier in ("*", "A", "B", "C")},
    "d": {**{action: (_ITEM_KIND, row_id) for action in ("ok", "s1", "s7", "log")},
          "h": (word, day, list_page), "ch": (row_id, one_of("M", "T", "E", "W")),
          "pk": (row_id, row_id), "pn": (row_id,), "px": (row_id,), "dr": (row_id, reading)},
    "r": {"t": (day, page)},
    "p": {"ask": (row_id,), "forget": (row_id,), "keep": ()},
    "s": {"lang": (one_of(*LANGUAGES),), "toggle": (one_of("workdays", "empty"),)},
    "f": {"a": (word,), "c": (one_of(*CATEGORIES, ""),)},
    "v": {"ok": (row_id,), "u": (row_id, row_id)},
}


@dataclass(frozen=True)
class Callback:
    """Decoded callback data: `n:p:12:7` → Callback("n", "p", (12, 7))."""

    prefix: str
    action: str
    fields: tuple[Any, ...]


def decode(data: str | None, prefix: str | None = None) -> Callback | None:
    """The button's prefix, action and checked fields; None for anything not of a known shape."""
    if not data or len(data.encode()) > 64:
        return None
    if data.startswith("q:") and prefix in (None, "q"):  # /find: the words come last, colons and all
        page_text, _, words = data[2:].partition(":")
        number = page(page_text)
        return Callback("q", "page", (number, words)) if number is not None and words.strip() else None
    parts = data.split(":")
    if len(parts) < 2 or (prefix is not None and parts[0] != prefix):
        return None
    readers = SHAPES.get(parts[0], {}).get(parts[1])
    if readers is None or len(parts) != 2 + len(readers):
        return None
    values = tuple(read(text) for read, text in zip(readers, parts[2:], strict=True))
    if any(value is None for value in values):
        return None
    return Callback(parts[0], parts[1], values)


def _field_text(value: object) -> str:
    if isinstance(value, date):
        return f"{value:%Y%m%d}"
    return str(value)


def encode(prefix: str, action: str | int, *fields: object) -> str:
    """A button's callback data: `encode("n", "p", 12, 7)` → "n:p:12:7" (a date is YYYYMMDD).
    /find's is `encode("q", page, words)` → "q:<page>:<words>". ValueError for data `decode` would
    refuse (an unknown prefix or action, a field out of shape, over Telegram's 64 bytes)."""
    data = ":".join([prefix, str(action), *(_field_text(field) for field in fields)])
    if decode(data, prefix) is None:
        raise ValueError(f"callback data of no known shape: {data[:80]!r}")
    return data

"""Reading the value an RM types after tapping Edit → field (pure)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from bot.parsing.amounts import find_amounts
from bot.parsing.channels import channel_from_word
from bot.parsing.dates import find_dates, find_times
from bot.parsing.products import needs_in

FIELDS = ("client", "channel", "date", "needs", "amount", "follow_up")
_NONE_WORDS = re.compile(r"^\s*(none|no|clear|nothing|-|无|没有|不需要|清空|删除)\s*$", re.IGNORECASE)
_PLAIN_NUMBER = re.compile(r"^\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\s*$")


@dataclass(frozen=True)
class EditValue:
    field: str
    value: Any          # str client name, channel, date, tuple of needs, (amount, currency, max)|None, (date, time)|None


def read_edit(field: str, text: str, today: date) -> EditValue | None:
    """The new value for field, or None when the text cannot be read as one."""
    text = text.strip()[:200]
    if not text:
        return None
    clear = bool(_NONE_WORDS.match(text))
    if field == "client":
        return None if clear else EditValue(field, " ".join(text.split())[:64])
    if field == "channel":
        channel = channel_from_word(text)
        return EditValue(field, channel) if channel else None
    if field == "date":
        mentions = find_dates(text, today)
        return EditValue(field, mentions[0].resolve(today, future=False)) if mentions else None
    if field == "needs":
        if clear:
            return EditValue(field, ())
        needs = needs_in(text)
        return EditValue(field, tuple(needs)) if needs else None
    if field == "amount":
        if clear:
            return EditValue(field, None)
        found = [a for a in find_amounts(text) if a.value > 0]
        if found:
            return EditValue(field, (found[0].value, found[0].currency, found[0].value_max))
        if _PLAIN_NUMBER.match(text) and float(text.replace(",", "")) > 0:
            return EditValue(field, (float(text.replace(",", "")), None, None))
        return None
    if field == "follow_up":
        if clear:
            return EditValue(field, None)
        times = find_times(text)
        mentions = [m for m in find_dates(text, today)
                    if not any(m.start < t.end and m.end > t.start for t in times)]
        due: date | None = mentions[0].resolve(today, future=True) if mentions else None
        at: time | None = times[0].at if times else None
        if due is None and at is None:
            return None
        return EditValue(field, (due or today, at))
    raise ValueError(f"unknown field {field}")

"""Notes whose date is still to confirm (pure).

A date phrase with two readings (`12/3`: 3 Dec or 12 Mar; `上午10点给李总打电话` said after ten: done
already, or a plan?) is asked with one button per reading, and the note is stored with the field
the phrase would fill left empty and marked as asked (`contacts.date_asked`). The readings are not
stored: the parser is a pure function of (text, when it was read), so reading the note's raw text
again at the moment it was stored gives them back. Until a reading is tapped (or the field is set
by an Edit), /due and the digest list the note under "Date to confirm" with the readings as
buttons, also after its client was asked first and settled, so a question is never lost. A note
whose client is still to confirm is listed under that question first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, tzinfo

from bot.parsing import parse_note
from bot.parsing.note import Reading
from bot.pending_clients import is_pending
from storage.records import Contact

#: Readings offered per note (as on the note's own reply).
MAX_READINGS = 4


@dataclass(frozen=True)
class OpenDate:
    """A note whose date is still to confirm, as the digest lists it."""

    contact_id: int
    client: str | None          # the client it is filed under (None: no client)
    text: str
    written_on: date | None
    phrase: str
    readings: tuple[Reading, ...]


def open_dates(contacts: Sequence[Contact], tz: tzinfo, currency: str = "CNY") -> tuple[OpenDate, ...]:
    """The notes whose text, read again when it was stored, has a date phrase with two readings
    and none of the fields those readings fill is set yet; oldest first. Notes whose client is to
    confirm are left to that question."""
    found = []
    for contact in contacts:
        if is_pending(contact) or contact.created_at is None:
            continue
        try:
            parsed = parse_note(contact.raw_text, contact.created_at, tz, currency=currency)
        except Exception:  # the parser failed on it when it was stored too: there is no question to list
            continue
        readings = tuple(r for r in parsed.readings if r.occurred_on or r.follow_up_on)[:MAX_READINGS]
        if not readings or any(contact.occurred_on for r in readings if r.occurred_on) \
                or any(contact.follow_up_on for r in readings if r.follow_up_on):
            continue  # no question, or answered (a reading tapped, the date or follow-up edited)
        found.append(OpenDate(contact.id, contact.client_display or contact.client_name, contact.raw_text,
                              contact.created_at.astimezone(tz).date(), readings[0].phrase, readings))
    return tuple(found)


def reading_code(reading: Reading) -> str:
    """A reading as button data: o<YYYYMMDD> (the contact date) or f<YYYYMMDD>[HHMM] (the follow-up)."""
    if reading.occurred_on:
        return f"o{reading.occurred_on:%Y%m%d}"
    assert reading.follow_up_on is not None
    at = f"{reading.follow_up_time:%H%M}" if reading.follow_up_time else ""
    return f"f{reading.follow_up_on:%Y%m%d}{at}"

"""/find: the RM's own notes that mention a word, a client or a product (pure: data in, text out).

A product word also finds the notes filed with that need however they were written, so
`/find 信用证` finds "needs an L/C" too. The query travels in the button data of each page, so a
page turned after a restart still searches the same words: it is capped to fit Telegram's 64 bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.display import channel_name, format_date
from bot.note_reply import NAME_LENGTH, snippet
from bot.parsing.products import needs_in
from bot.records import Contact
from bot.strings import Markup, t

PAGE_SIZE = 8
#: Button data is "q:<page>:<query>" within Telegram's 64 bytes.
QUERY_BYTES = 48
TEXT_LENGTH = 90


@dataclass(frozen=True)
class NoteQuery:
    """What /find looks for: the words as typed (capped), and the product codes they name."""

    text: str
    products: tuple[str, ...]


def note_query(raw: str) -> NoteQuery | None:
    """The query for /find's arguments, or None when there is nothing to look for."""
    text = " ".join(raw.split())
    while len(text.encode("utf-8")) > QUERY_BYTES:
        text = text[:-1]
    text = text.strip()
    if not text:
        return None
    return NoteQuery(text, tuple(needs_in(text)))


def page_count(total: int) -> int:
    return max(1, -(-total // PAGE_SIZE))


def compose_results(query: NoteQuery, contacts: list[Contact], total: int, page: int, language: str,
                    today: date) -> Markup:
    """One page of matching notes, newest first: date, channel, client, and the note's text."""
    if not total:
        return t(language, "find.none", query=query.text)
    lines = [t(language, "find.header", query=query.text, count=total, page=page + 1, pages=page_count(total))]
    for contact in contacts:
        when = contact.occurred_on or contact.follow_up_on or (contact.created_at.date() if contact.created_at else None)
        client = contact.client_display or contact.client_name
        lines.append(t(language, "find.line",
                       date=format_date(when, language, today) if when else t(language, "card.undated"),
                       channel=channel_name(contact.channel, language),
                       client=snippet(client, NAME_LENGTH) if client else t(language, "recent.no_client"),
                       text=snippet(contact.raw_text, TEXT_LENGTH)))
    return Markup("\n".join(lines))

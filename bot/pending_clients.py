"""Notes whose client is still to confirm (pure).

When the bot asks whose note it is and the RM types the next note instead of tapping, the note
stays with the name as written and no client: "client pending". These notes are listed where the
RM looks each day (/due and the morning digest) with one tap per candidate, "new client" and skip,
and filing one under a client offers to file the others written with the same name (asked once,
never silently).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time, tzinfo

from bot.client_matching import match_client
from storage.records import Client, Contact

#: Candidates offered per waiting note.
MAX_CANDIDATES = 3


def typed_key(name: str) -> str:
    """The words the RM wrote, compared without case or extra spaces ("Liu  Fang" = "liu fang")."""
    return " ".join(name.split()).casefold()


def is_pending(contact: Contact) -> bool:
    """A note asked about and not answered: a name as written, no client."""
    return contact.client_id is None and bool((contact.client_name or "").strip())


def same_name_pending(pending: Sequence[Contact], name: str, *, besides: int | None = None,
                      up_to: int | None = None) -> list[Contact]:
    """The waiting notes written with `name` (other than `besides`, none newer than `up_to`)."""
    key = typed_key(name)
    return [c for c in pending if is_pending(c) and typed_key(c.client_name or "") == key
            and c.id != besides and (up_to is None or c.id <= up_to)]


@dataclass(frozen=True)
class PendingNote:
    """A waiting note as the digest lists it: its name, when it was written, its words, its
    follow-up, and the clients it may be about (by the matcher the note went through)."""

    contact_id: int
    name: str
    text: str
    written_on: date | None
    follow_up_on: date | None = None
    follow_up_time: time | None = None
    candidates: tuple[tuple[int, str], ...] = ()   # (client id, name)


def pending_notes(pending: Sequence[Contact], clients: Sequence[Client], tz: tzinfo) -> tuple[PendingNote, ...]:
    """The waiting notes, oldest first, each with its candidates among today's clients."""
    notes = []
    for contact in pending:
        if not is_pending(contact):
            continue
        name = contact.client_name or ""
        match = match_client(name, clients)
        candidates = tuple((c.id, c.name) for c in match.clients[:MAX_CANDIDATES])
        written = contact.created_at.astimezone(tz).date() if contact.created_at else None
        notes.append(PendingNote(contact.id, name, contact.raw_text, contact.occurred_on or written,
                                 contact.follow_up_on, contact.follow_up_time, candidates))
    return tuple(notes)

"""What the bot waits for an RM to type next (an Edit's value, a card field, the note after Log).

Kept in SQLite, not in memory, so a restart between the tap and the typed value loses nothing;
one row per RM (the latest ask wins) with an expiry, after which the text is read as a new note.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from storage.database import Database

#: How long an ask waits for its value.
AWAIT_FOR = timedelta(minutes=30)
KINDS = ("note_edit", "client_field", "log_for")

UPSERT = """
INSERT INTO awaited_values (rm_id, kind, target_id, field, expires_at) VALUES (?, ?, ?, ?, ?)
ON CONFLICT (rm_id) DO UPDATE SET kind = excluded.kind, target_id = excluded.target_id,
    field = excluded.field, expires_at = excluded.expires_at
"""
SELECT = "SELECT kind, target_id, field, expires_at FROM awaited_values WHERE rm_id = ?"
DELETE = "DELETE FROM awaited_values WHERE rm_id = ?"
DELETE_KIND = "DELETE FROM awaited_values WHERE rm_id = ? AND kind = ?"


@dataclass(frozen=True)
class Awaited:
    """The value the bot waits for: kind, the contact or client it is for, the field (or '')."""

    kind: str
    target_id: int
    field: str = ""


class AwaitedStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def expect(self, rm_id: int, kind: str, target_id: int, field: str, now: datetime) -> None:
        """Wait for the RM's next text as `kind` (replacing any earlier ask)."""
        if kind not in KINDS:
            raise ValueError(f"unknown awaited kind {kind}")
        expires = (now + AWAIT_FOR).astimezone(UTC).isoformat()
        async with self.db.transaction() as conn:
            await conn.execute(UPSERT, (rm_id, kind, target_id, field, expires))

    async def get(self, rm_id: int, now: datetime, kind: str | None = None) -> Awaited | None:
        """The ask still waiting (of `kind`, if given); an expired one is None."""
        row = await self.db.fetch_one(SELECT, (rm_id,))
        if row is None or datetime.fromisoformat(row["expires_at"]) <= now:
            return None
        if kind is not None and row["kind"] != kind:
            return None
        return Awaited(row["kind"], int(row["target_id"]), row["field"])

    async def clear(self, rm_id: int, kind: str | None = None) -> bool:
        """Stop waiting (only for `kind`, if given): True when something was waiting."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(DELETE if kind is None else DELETE_KIND,
                                        (rm_id,) if kind is None else (rm_id, kind))
        return cursor.rowcount > 0

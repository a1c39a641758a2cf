"""Digest items an RM snoozed (a client due for contact, a birthday, a maturity)."""

from __future__ import annotations

from datetime import date

from storage.database import Database

SELECT_SNOOZES = "SELECT kind, item_id, until FROM reminder_snoozes WHERE rm_id = ?"
UPSERT_SNOOZE = """
INSERT INTO reminder_snoozes (rm_id, kind, item_id, until) VALUES (?, ?, ?, ?)
ON CONFLICT (rm_id, kind, item_id) DO UPDATE SET until = excluded.until
"""


class SnoozeStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def all(self, rm_id: int) -> dict[tuple[str, int], date]:
        rows = await self.db.fetch_all(SELECT_SNOOZES, (rm_id,))
        return {(row["kind"], row["item_id"]): date.fromisoformat(row["until"]) for row in rows}

    async def snooze(self, rm_id: int, kind: str, item_id: int, until: date) -> None:
        async with self.db.transaction() as conn:
            await conn.execute(UPSERT_SNOOZE, (rm_id, kind, item_id, until.isoformat()))

"""Follow-ups promised in notes: open, done, snoozed. Every statement is scoped by rm_id."""

from __future__ import annotations

from datetime import date, datetime, time

from storage.database import Database
from storage.records import FollowUp

_COLUMNS = "id, rm_id, client_id, contact_id, due_on, due_time, status, snoozed_until"
SELECT_OPEN = f"SELECT {_COLUMNS} FROM follow_ups WHERE rm_id = ? AND status = 'open' ORDER BY due_on, id"
SELECT_ONE = f"SELECT {_COLUMNS} FROM follow_ups WHERE rm_id = ? AND id = ?"
# Timed follow-ups still to push, for every active RM (the scheduler rebuilds its jobs from these).
SELECT_TIMED_OPEN = f"""
SELECT f.{_COLUMNS.replace(', ', ', f.')}, r.chat_id, r.timezone FROM follow_ups f JOIN rms r ON r.user_id = f.rm_id
WHERE f.status = 'open' AND f.due_time IS NOT NULL AND f.due_on >= ? AND r.active = 1
"""
SELECT_FOR_CONTACT = f"SELECT {_COLUMNS} FROM follow_ups WHERE rm_id = ? AND contact_id = ? AND status = 'open'"
SELECT_DUE_BETWEEN = (f"SELECT {_COLUMNS} FROM follow_ups"
                      " WHERE rm_id = ? AND due_on BETWEEN ? AND ? AND status != 'cancelled'")
SELECT_ALL = f"SELECT {_COLUMNS} FROM follow_ups WHERE rm_id = ? ORDER BY due_on, id"
MARK_DONE = "UPDATE follow_ups SET status = 'done', done_at = ? WHERE rm_id = ? AND id = ? AND status = 'open'"
SNOOZE = "UPDATE follow_ups SET snoozed_until = ? WHERE rm_id = ? AND id = ? AND status = 'open'"


def follow_up_from_row(row) -> FollowUp:
    return FollowUp(
        id=row["id"], client_id=row["client_id"], contact_id=row["contact_id"],
        due_on=date.fromisoformat(row["due_on"]),
        due_time=time.fromisoformat(row["due_time"]) if row["due_time"] else None,
        status=row["status"],
        snoozed_until=date.fromisoformat(row["snoozed_until"]) if row["snoozed_until"] else None)


class FollowUpStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def open(self, rm_id: int) -> list[FollowUp]:
        return [follow_up_from_row(row) for row in await self.db.fetch_all(SELECT_OPEN, (rm_id,))]

    async def get(self, rm_id: int, follow_up_id: int) -> FollowUp | None:
        row = await self.db.fetch_one(SELECT_ONE, (rm_id, follow_up_id))
        return follow_up_from_row(row) if row else None

    async def due_between(self, rm_id: int, start: date, end: date) -> list[FollowUp]:
        rows = await self.db.fetch_all(SELECT_DUE_BETWEEN, (rm_id, start.isoformat(), end.isoformat()))
        return [follow_up_from_row(row) for row in rows]

    async def all(self, rm_id: int) -> list[FollowUp]:
        return [follow_up_from_row(row) for row in await self.db.fetch_all(SELECT_ALL, (rm_id,))]

    async def for_contact(self, rm_id: int, contact_id: int) -> list[FollowUp]:
        return [follow_up_from_row(row) for row in await self.db.fetch_all(SELECT_FOR_CONTACT, (rm_id, contact_id))]

    async def timed_open(self, since: date) -> list[tuple[int, int, str, FollowUp]]:
        """(rm id, chat id, timezone, follow-up) for open timed follow-ups due on or after `since`."""
        rows = await self.db.fetch_all(SELECT_TIMED_OPEN, (since.isoformat(),))
        return [(row["rm_id"], row["chat_id"], row["timezone"], follow_up_from_row(row)) for row in rows]

    async def mark_done(self, rm_id: int, follow_up_id: int, now: datetime) -> bool:
        async with self.db.transaction() as conn:
            cursor = await conn.execute(MARK_DONE, (now.isoformat(), rm_id, follow_up_id))
        return cursor.rowcount > 0

    async def snooze(self, rm_id: int, follow_up_id: int, until: date) -> bool:
        async with self.db.transaction() as conn:
            cursor = await conn.execute(SNOOZE, (until.isoformat(), rm_id, follow_up_id))
        return cursor.rowcount > 0

"""Which Telegram updates the bot has handled, so that one delivered again is handled once.

After a kill -9 Telegram delivers again every update the bot had not confirmed: in polling the
ones at or above the last offset sent, in webhook mode the requests not yet answered. Some of
those were handled already. A note is stored once per message anyway, but `/undo`, a settings
toggle or a Done button would act twice. So an update's non-idempotent effect records the
update as 'applied' in the same transaction (`Database.transaction(update=...)`), and once its
handlers have replied the update is 'done'. A re-delivered 'done' update is skipped; an
'applied' one (the crash fell between the commit and the reply) gets "already done" instead of a
second effect. Rows are kept two days: Telegram keeps an unconfirmed update for 24 hours.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from storage.database import Database

KEEP = timedelta(days=2)
#: Seconds a 'done' mark waits for the writer (a lock held elsewhere); past it the mark is skipped.
MARK_DONE_TIMEOUT = 0.25

MARK_APPLIED = """
INSERT INTO update_log (user_id, update_id, state, at) VALUES (?, ?, 'applied', ?)
ON CONFLICT (user_id, update_id) DO NOTHING
"""
MARK_DONE = """
INSERT INTO update_log (user_id, update_id, state, at) VALUES (?, ?, 'done', ?)
ON CONFLICT (user_id, update_id) DO UPDATE SET state = 'done'
"""
SELECT_STATE = "SELECT state FROM update_log WHERE user_id = ? AND update_id = ?"
DELETE_OLDER = "DELETE FROM update_log WHERE at < ?"


@dataclass(frozen=True)
class UpdateKey:
    """One RM's update, as Telegram numbered it, and when the bot received it."""

    user_id: int
    update_id: int
    received_at: datetime

    @property
    def params(self) -> tuple[int, int, str]:
        return self.user_id, self.update_id, self.received_at.isoformat()


class UpdateLog:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def state(self, key: UpdateKey) -> str | None:
        """'applied', 'done', or None for an update not handled before."""
        row = await self.db.fetch_one(SELECT_STATE, (key.user_id, key.update_id))
        return row[0] if row else None

    async def mark_done(self, key: UpdateKey) -> None:
        """Best kept short: the RM's next update waits for it, and a lost mark costs only a re-check."""
        async with self.db.transaction(timeout=MARK_DONE_TIMEOUT) as conn:
            await conn.execute(MARK_DONE, key.params)

    async def prune(self, now: datetime) -> int:
        """Forget updates older than Telegram could deliver again; how many rows went."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(DELETE_OLDER, ((now - KEEP).isoformat(),))
        return cursor.rowcount

"""The delivery log: every digest and timed reminder is claimed here before it is sent.

The UNIQUE (rm, kind, key) row is the claim, so two runs (a restart, `push-digests` beside the
running bot) never both send. A claim left 'pending' by a crash is retried after STALE_AFTER:
a push is only lost if it fails for good, and then it is marked 'failed' with the reason.

The table is also the running bot's outbox: `push-digests` beside a running bot queues rows
('pending' with error 'queued', nobody's claim yet) that the bot claims and sends on its own
budget, and waits for their outcome.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from storage.database import Database

STALE_AFTER = timedelta(minutes=10)
CLAIM = """
INSERT INTO deliveries (rm_id, kind, item_key, status, attempts, created_at) VALUES (?, ?, ?, 'pending', 1, ?)
ON CONFLICT (rm_id, kind, item_key) DO UPDATE SET status = 'pending', attempts = deliveries.attempts + 1,
    created_at = excluded.created_at, error = NULL
WHERE deliveries.status = 'failed' OR (deliveries.status = 'pending' AND deliveries.created_at < ?)
    OR (deliveries.status = 'pending' AND deliveries.error = 'queued')
"""
QUEUED = "queued"
QUEUE = """
INSERT INTO deliveries (rm_id, kind, item_key, status, attempts, error, created_at) VALUES (?, ?, ?, 'pending', 0, 'queued', ?)
ON CONFLICT (rm_id, kind, item_key) DO UPDATE SET status = 'pending', error = 'queued', created_at = excluded.created_at
WHERE deliveries.status = 'failed' OR (deliveries.status = 'pending' AND deliveries.created_at < ?)
"""
SELECT_QUEUED = "SELECT rm_id, item_key FROM deliveries WHERE status = 'pending' AND error = 'queued' AND kind = ? ORDER BY id"
SELECT_OUTCOME = "SELECT status, message_id, error FROM deliveries WHERE rm_id = ? AND kind = ? AND item_key = ?"
MARK_SENT = "UPDATE deliveries SET status = 'sent', message_id = ?, sent_at = ?, error = NULL WHERE rm_id = ? AND kind = ? AND item_key = ?"
MARK_FAILED = "UPDATE deliveries SET status = 'failed', error = ? WHERE rm_id = ? AND kind = ? AND item_key = ?"
RELEASE = """
DELETE FROM deliveries WHERE rm_id = ? AND kind = ? AND item_key = ? AND status = 'pending' AND created_at = ?
"""
SELECT_STATUS = "SELECT status FROM deliveries WHERE rm_id = ? AND kind = ? AND item_key = ?"
SELECT_LAST_DIGEST = "SELECT max(item_key) FROM deliveries WHERE rm_id = ? AND kind = 'digest' AND status = 'sent'"
COUNT_BY_STATUS = "SELECT status, count(*) AS n FROM deliveries GROUP BY status"
SELECT_LAST_RUN = "SELECT max(sent_at) FROM deliveries WHERE kind = 'digest'"


class DeliveryStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def claim(self, rm_id: int, kind: str, key: str, now: datetime) -> bool:
        """True if this caller now owns sending (rm, kind, key); False if it is sent or being sent."""
        stale = (now - STALE_AFTER).isoformat()
        async with self.db.transaction() as conn:
            cursor = await conn.execute(CLAIM, (rm_id, kind, key, now.isoformat(), stale))
        return cursor.rowcount > 0

    async def queue(self, rm_id: int, kind: str, key: str, now: datetime) -> bool:
        """Hand (rm, kind, key) to the running bot; False if it is sent or being sent already."""
        stale = (now - STALE_AFTER).isoformat()
        async with self.db.transaction() as conn:
            cursor = await conn.execute(QUEUE, (rm_id, kind, key, now.isoformat(), stale))
        return cursor.rowcount > 0

    async def queued(self, kind: str) -> list[tuple[int, str]]:
        """What `push-digests` handed over and nobody has claimed yet, oldest first."""
        return [(row[0], row[1]) for row in await self.db.fetch_all(SELECT_QUEUED, (kind,))]

    async def outcome(self, rm_id: int, kind: str, key: str) -> tuple[str, int | None, str | None] | None:
        """(status, message_id, error), or None when there is no row (released at a stop)."""
        row = await self.db.fetch_one(SELECT_OUTCOME, (rm_id, kind, key))
        return (row[0], row[1], row[2]) if row else None

    async def mark_sent(self, rm_id: int, kind: str, key: str, message_id: int | None, now: datetime) -> None:
        async with self.db.transaction() as conn:
            await conn.execute(MARK_SENT, (message_id, now.isoformat(), rm_id, kind, key))

    async def mark_failed(self, rm_id: int, kind: str, key: str, error: str) -> None:
        async with self.db.transaction() as conn:
            await conn.execute(MARK_FAILED, (error[:200], rm_id, kind, key))

    async def release(self, rm_id: int, kind: str, key: str, claimed_at: datetime) -> None:
        """Give up our claim without sending (the bot is stopping): the next run sends it. A claim
        another run has taken over since (ours went stale) is theirs and stays."""
        async with self.db.transaction() as conn:
            await conn.execute(RELEASE, (rm_id, kind, key, claimed_at.isoformat()))

    async def status(self, rm_id: int, kind: str, key: str) -> str | None:
        row = await self.db.fetch_one(SELECT_STATUS, (rm_id, kind, key))
        return row[0] if row else None

    async def last_digest_day(self, rm_id: int) -> str | None:
        row = await self.db.fetch_one(SELECT_LAST_DIGEST, (rm_id,))
        return row[0] if row else None

    async def counts(self) -> dict[str, int]:
        return {row["status"]: row["n"] for row in await self.db.fetch_all(COUNT_BY_STATUS)}

    async def last_digest_run(self) -> str | None:
        row = await self.db.fetch_one(SELECT_LAST_RUN)
        return row[0] if row else None

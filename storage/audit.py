"""The audit trail: who exported, forgot, imported or changed access. Ids only, never note text."""

from __future__ import annotations

from datetime import datetime

from storage.database import Database

INSERT_AUDIT = "INSERT INTO audit_log (actor_id, action, subject, created_at) VALUES (?, ?, ?, ?)"
SELECT_RECENT = "SELECT actor_id, action, subject, created_at FROM audit_log ORDER BY id DESC LIMIT ?"


class AuditStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def record(self, actor_id: int, action: str, subject: str | None, now: datetime) -> None:
        async with self.db.transaction() as conn:
            await conn.execute(INSERT_AUDIT, (actor_id, action, subject, now.isoformat()))

    async def recent(self, limit: int = 50) -> list[dict]:
        return [dict(row) for row in await self.db.fetch_all(SELECT_RECENT, (limit,))]

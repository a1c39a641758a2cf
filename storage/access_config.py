"""The access configuration the bot last started with, and the audit of its changes."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from storage.audit import INSERT_AUDIT
from storage.database import Database

SELECT_SNAPSHOT = "SELECT snapshot FROM access_config WHERE id = 1"
UPSERT_SNAPSHOT = """
INSERT INTO access_config (id, snapshot, recorded_at) VALUES (1, ?, ?)
ON CONFLICT (id) DO UPDATE SET snapshot = excluded.snapshot, recorded_at = excluded.recorded_at
"""
OPERATOR = 0  # access changes by editing the config: the operator's, not a Telegram user's


class AccessConfigStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def last(self) -> dict[str, Any] | None:
        row = await self.db.fetch_one(SELECT_SNAPSHOT)
        return json.loads(row[0]) if row else None

    async def record(self, snapshot: dict[str, Any], changes: list[str], now: datetime) -> None:
        """The new snapshot and an audit row per change, in one transaction."""
        async with self.db.transaction() as conn:
            for change in changes:
                await conn.execute(INSERT_AUDIT, (OPERATOR, "access", change, now.isoformat()))
            await conn.execute(UPSERT_SNAPSHOT, (json.dumps(snapshot, sort_keys=True), now.isoformat()))

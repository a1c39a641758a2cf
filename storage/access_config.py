"""The access configuration the bot last started with, and the audit of its changes."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, TypeVar

from storage.audit import INSERT_AUDIT
from storage.database import Database

SELECT_SNAPSHOT = "SELECT snapshot FROM access_config WHERE id = 1"
UPSERT_SNAPSHOT = """
INSERT INTO access_config (id, snapshot, recorded_at) VALUES (1, ?, ?)
ON CONFLICT (id) DO UPDATE SET snapshot = excluded.snapshot, recorded_at = excluded.recorded_at
"""
OPERATOR = 0  # access changes by editing the config: the operator's, not a Telegram user's

Snapshot = TypeVar("Snapshot", bound=Mapping[str, Any])  # JSON-able; the caller's own shape


class AccessConfigStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def record(self, snapshot: Snapshot,
                     changes_since: Callable[[Snapshot | None, Snapshot], list[str]],
                     now: datetime) -> list[str]:
        """Compare with the snapshot stored, audit each change and store the new one, all in one
        transaction (two processes starting together audit a change once)."""
        async with self.db.transaction() as conn:
            async with conn.execute(SELECT_SNAPSHOT) as cursor:
                row = await cursor.fetchone()
            before = json.loads(row[0]) if row else None
            if before == snapshot:
                return []
            changes = changes_since(before, snapshot)
            for change in changes:
                await conn.execute(INSERT_AUDIT, (OPERATOR, "access", change, now.isoformat()))
            await conn.execute(UPSERT_SNAPSHOT, (json.dumps(snapshot, sort_keys=True), now.isoformat()))
        return changes

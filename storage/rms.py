"""RM profiles: who uses the bot, in which language and timezone."""

from __future__ import annotations

from datetime import datetime

from storage.database import Database
from storage.records import RMProfile
from storage.update_log import UpdateKey

SELECT_RM = """
SELECT user_id, chat_id, display_name, language, timezone, digest_time, working_days_only,
       send_empty_digest, cadence_a, cadence_b, cadence_c, active
FROM rms WHERE user_id = ?
"""
INSERT_RM = """
INSERT INTO rms (user_id, chat_id, display_name, language, timezone, digest_time, created_at)
VALUES (?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (user_id) DO NOTHING
"""
SELECT_ACTIVE = """
SELECT user_id, chat_id, display_name, language, timezone, digest_time, working_days_only,
       send_empty_digest, cadence_a, cadence_b, cadence_c, active
FROM rms WHERE active = 1 ORDER BY user_id
"""
TOUCH_RM = "UPDATE rms SET chat_id = ?, display_name = ?, active = 1 WHERE user_id = ?"
#: Settings an RM may change, with the column each one writes.
SETTABLE = {"language", "timezone", "digest_time", "working_days_only", "send_empty_digest",
            "cadence_a", "cadence_b", "cadence_c", "active"}


def _profile(row) -> RMProfile:
    return RMProfile(
        user_id=row["user_id"], chat_id=row["chat_id"], display_name=row["display_name"],
        language=row["language"], timezone=row["timezone"], digest_time=row["digest_time"],
        working_days_only=bool(row["working_days_only"]), send_empty_digest=bool(row["send_empty_digest"]),
        cadence_a=row["cadence_a"], cadence_b=row["cadence_b"], cadence_c=row["cadence_c"],
        active=bool(row["active"]),
    )


class RMStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, user_id: int) -> RMProfile | None:
        row = await self.db.fetch_one(SELECT_RM, (user_id,))
        return _profile(row) if row else None

    async def active(self) -> list[RMProfile]:
        """RMs to push to: everyone who has not blocked the bot."""
        return [_profile(row) for row in await self.db.fetch_all(SELECT_ACTIVE)]

    async def ensure(self, user_id: int, chat_id: int, display_name: str, *, language: str,
                     timezone: str, digest_time: str, now: datetime) -> RMProfile:
        """The RM's profile, created on first contact with the defaults given."""
        existing = await self.get(user_id)
        if existing and existing.chat_id == chat_id and existing.display_name == display_name and existing.active:
            return existing
        async with self.db.transaction() as conn:
            await conn.execute(INSERT_RM, (user_id, chat_id, display_name[:128], language, timezone,
                                           digest_time, now.isoformat()))
            await conn.execute(TOUCH_RM, (chat_id, display_name[:128], user_id))
        profile = await self.get(user_id)
        assert profile is not None
        return profile

    async def update(self, user_id: int, *, update: UpdateKey | None = None, **changes) -> RMProfile:
        unknown = set(changes) - SETTABLE
        if unknown:
            raise ValueError(f"not an RM setting: {sorted(unknown)}")
        async with self.db.transaction(update) as conn:
            for column, value in changes.items():
                # column names come from SETTABLE above, never from user text
                await conn.execute(f"UPDATE rms SET {column} = ? WHERE user_id = ?", (value, user_id))
        profile = await self.get(user_id)
        assert profile is not None
        return profile

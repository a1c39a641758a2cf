"""The log of FAQ questions, for curators: what was asked and could not be answered."""

from __future__ import annotations

from datetime import datetime

from storage.database import Database

INSERT_QUESTION = "INSERT INTO faq_questions (rm_id, question, answer_id, created_at) VALUES (?, ?, ?, ?)"
SELECT_GAPS = """
SELECT lower(trim(question)) AS asked, count(*) AS times, max(created_at) AS last_asked
FROM faq_questions WHERE answer_id IS NULL
GROUP BY asked ORDER BY times DESC, last_asked DESC LIMIT ?
"""


class FaqLogStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def record(self, rm_id: int, question: str, answer_id: str | None, now: datetime) -> None:
        async with self.db.transaction() as conn:
            await conn.execute(INSERT_QUESTION, (rm_id, question[:500], answer_id, now.isoformat()))

    async def gaps(self, limit: int = 15) -> list[tuple[str, int]]:
        """The most asked unanswered questions (admins only: not scoped by RM)."""
        return [(row["asked"], row["times"]) for row in await self.db.fetch_all(SELECT_GAPS, (limit,))]

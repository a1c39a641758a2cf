"""Asset reviews and their items. Every statement is scoped by rm_id."""

from __future__ import annotations

from datetime import date, datetime

from storage.database import Database
from storage.records import Review, ReviewItem, ReviewPrompt

INSERT_REVIEW = """
INSERT INTO reviews (rm_id, client_id, reviewed_on, created_at)
SELECT ?, id, ?, ? FROM clients WHERE rm_id = ? AND id = ?
"""
INSERT_ITEM = """
INSERT INTO review_items (review_id, source, product, name, bank, amount, currency, risk)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)
"""
SELECT_REVIEWS = """
SELECT r.id, r.client_id, r.reviewed_on, i.source, i.product, i.name, i.bank, i.amount, i.currency, i.risk
FROM reviews r LEFT JOIN review_items i ON i.review_id = r.id
WHERE r.rm_id = ?
"""
SELECT_FOR_CLIENT = SELECT_REVIEWS + " AND r.client_id = ? ORDER BY r.reviewed_on, r.id, i.rowid"
SELECT_ALL = SELECT_REVIEWS + " ORDER BY r.client_id, r.reviewed_on, r.id, i.rowid"
DELETE_SAME_DAY = "DELETE FROM reviews WHERE rm_id = ? AND client_id = ? AND reviewed_on = ?"
SELECT_LAST = "SELECT client_id, max(reviewed_on) FROM reviews WHERE rm_id = ? GROUP BY client_id"
SELECT_REVIEW = SELECT_REVIEWS + " AND r.id = ? ORDER BY i.rowid"
DELETE_ITEMS = "DELETE FROM review_items WHERE review_id = (SELECT id FROM reviews WHERE rm_id = ? AND id = ?)"
INSERT_OWN_ITEM = """
INSERT INTO review_items (review_id, source, product, name, bank, amount, currency, risk)
SELECT id, ?, ?, ?, ?, ?, ?, ? FROM reviews WHERE rm_id = ? AND id = ?
"""
# One open prompt per RM: the next /review replaces it. The review must be the RM's own.
OPEN_PROMPT = """
INSERT OR REPLACE INTO review_prompts (rm_id, client_id, review_id, asked_at, expires_at, answers)
SELECT ?, client_id, id, ?, ?, 0 FROM reviews WHERE rm_id = ? AND id = ?
"""
SELECT_PROMPT = "SELECT client_id, review_id, asked_at, expires_at, answers FROM review_prompts WHERE rm_id = ?"
COUNT_ANSWER = "UPDATE review_prompts SET answers = answers + ? WHERE rm_id = ? AND review_id = ?"
CLOSE_PROMPT = "DELETE FROM review_prompts WHERE rm_id = ?"


def _reviews(rows) -> list[Review]:
    found: dict[int, tuple[int, date, list[ReviewItem]]] = {}
    for row in rows:
        entry = found.setdefault(row["id"], (row["client_id"], date.fromisoformat(row["reviewed_on"]), []))
        if row["source"] is not None:
            entry[2].append(ReviewItem(row["source"], row["product"], row["name"], row["bank"], row["amount"],
                                       row["currency"], row["risk"]))
    return [Review(review_id, client_id, on, tuple(items)) for review_id, (client_id, on, items) in found.items()]


class ReviewStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def record(self, rm_id: int, client_id: int, reviewed_on: date, items: tuple[ReviewItem, ...],
                     now: datetime) -> int | None:
        """Store one review of one of the RM's clients with its items, in one transaction.
        A second review on the same day replaces the first (one snapshot per day)."""
        async with self.db.transaction() as conn:
            await conn.execute(DELETE_SAME_DAY, (rm_id, client_id, reviewed_on.isoformat()))
            cursor = await conn.execute(INSERT_REVIEW, (rm_id, reviewed_on.isoformat(), now.isoformat(), rm_id,
                                                        client_id))
            if cursor.rowcount == 0:
                return None
            assert cursor.lastrowid is not None, "set by the INSERT"
            review_id = int(cursor.lastrowid)
            for item in items:
                await conn.execute(INSERT_ITEM, (review_id, item.source, item.product, item.name, item.bank,
                                                 item.amount, item.currency, item.risk))
        return review_id

    async def for_client(self, rm_id: int, client_id: int) -> list[Review]:
        """The client's reviews, oldest first."""
        return _reviews(await self.db.fetch_all(SELECT_FOR_CLIENT, (rm_id, client_id)))

    async def all(self, rm_id: int) -> list[Review]:
        return _reviews(await self.db.fetch_all(SELECT_ALL, (rm_id,)))

    async def last_reviews(self, rm_id: int) -> dict[int, date]:
        return {int(row[0]): date.fromisoformat(row[1]) for row in await self.db.fetch_all(SELECT_LAST, (rm_id,))}

    async def get(self, rm_id: int, review_id: int) -> Review | None:
        found = _reviews(await self.db.fetch_all(SELECT_REVIEW, (rm_id, review_id)))
        return found[0] if found else None

    async def replace_items(self, rm_id: int, review_id: int, items: tuple[ReviewItem, ...],
                            answered: int = 0) -> bool:
        """Set one of the RM's reviews' items (an answer to its prompt added or undone), in one
        transaction; `answered` (+1, -1) counts the answers on its open prompt."""
        async with self.db.transaction() as conn:
            await conn.execute(DELETE_ITEMS, (rm_id, review_id))
            for item in items:
                cursor = await conn.execute(INSERT_OWN_ITEM, (item.source, item.product, item.name, item.bank,
                                                              item.amount, item.currency, item.risk, rm_id,
                                                              review_id))
                if cursor.rowcount == 0:
                    return False   # not the RM's review (or gone): nothing was deleted either
            if answered:
                await conn.execute(COUNT_ANSWER, (answered, rm_id, review_id))
        return True

    async def open_prompt(self, rm_id: int, review_id: int, asked_at: datetime, expires_at: datetime) -> bool:
        """Ask for the review's other assets; replaces any prompt the RM had open."""
        async with self.db.transaction() as conn:
            await conn.execute(CLOSE_PROMPT, (rm_id,))
            cursor = await conn.execute(OPEN_PROMPT, (rm_id, asked_at.isoformat(), expires_at.isoformat(), rm_id,
                                                      review_id))
        return cursor.rowcount > 0

    async def prompt(self, rm_id: int) -> ReviewPrompt | None:
        """The RM's open prompt, expired or not (the caller compares with now)."""
        row = await self.db.fetch_one(SELECT_PROMPT, (rm_id,))
        if row is None:
            return None
        return ReviewPrompt(row["client_id"], row["review_id"], datetime.fromisoformat(row["asked_at"]),
                            datetime.fromisoformat(row["expires_at"]), row["answers"])

    async def close_prompt(self, rm_id: int) -> bool:
        async with self.db.transaction() as conn:
            cursor = await conn.execute(CLOSE_PROMPT, (rm_id,))
        return cursor.rowcount > 0

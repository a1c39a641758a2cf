"""Asset reviews and their items. Every statement is scoped by rm_id."""

from __future__ import annotations

from datetime import date, datetime

from storage.database import Database
from storage.records import Review, ReviewItem

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

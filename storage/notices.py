"""What /notify reads: only the clients with a reason to hear of a product. Scoped by rm_id.

For a book of 1,000 clients reading every profile and holding costs more than the matching;
these queries narrow to the clients who asked for the product, hold something maturing soon or
keep a demand deposit, and read only the profile facts suitability needs.
"""

from __future__ import annotations

import json
from datetime import date

from storage.database import Database
from storage.records import Client, Fact, Holding

SELECT_WITH_NEED = """
SELECT DISTINCT k.client_id FROM contacts k JOIN contact_needs n ON n.contact_id = k.id
WHERE k.rm_id = ? AND k.client_id IS NOT NULL AND n.product = ?
"""
#: Holdings maturing in the window, and demand deposits (活期) in the offer's currency of at least its
#: amount (the matching weighs nothing else, so nothing else is read). A NULL currency is yuan.
SELECT_HOLDINGS = """
SELECT id, client_id, product, name, amount, start_date, maturity_date, handled_on, currency FROM holdings
WHERE rm_id = ? AND ((maturity_date BETWEEN ? AND ? AND handled_on IS NULL)
   OR (product = 'DEPOSIT' AND amount >= ? AND coalesce(currency, 'CNY') = ?
       AND (name LIKE '%活期%' OR lower(name) LIKE '%demand%' OR lower(name) LIKE '%current%'
            OR lower(name) LIKE '%savings%' OR lower(name) LIKE '%call deposit%')))
"""
#: The clients with a reason, each with their last logged contact up to today (one indexed look-up per
#: client in SQL, instead of every client's last contact read into Python).
SELECT_CLIENTS = """
SELECT c.id, c.name, c.tier, c.last_contact_on,
       (SELECT max(k.occurred_on) FROM contacts k
        WHERE k.rm_id = c.rm_id AND k.client_id = c.id AND k.occurred_on <= ?) AS logged_on
FROM clients c WHERE c.rm_id = ? AND c.id IN (SELECT value FROM json_each(?))
"""
COUNT_CLIENTS = "SELECT count(*) FROM clients WHERE rm_id = ?"
SELECT_FACTS = """
SELECT id, client_id, kind, value, noted_on FROM client_facts
WHERE rm_id = ? AND kind IN ('risk', 'channel', 'time') AND client_id IN (SELECT value FROM json_each(?))
"""  # no ORDER BY: build_profile folds them by (noted_on, id) itself


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


class NoticeStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def needs(self, rm_id: int, product: str) -> dict[int, set[str]]:
        """{client id: {product}} for the RM's clients who ever asked for `product`."""
        return {int(row[0]): {product} for row in await self.db.fetch_all(SELECT_WITH_NEED, (rm_id, product))}

    async def holdings(self, rm_id: int, start: date, end: date, min_demand: float = 0.01,
                       currency: str = "CNY") -> list[Holding]:
        """Holdings maturing between start and end, and demand deposits of at least min_demand in currency."""
        rows = await self.db.fetch_all(SELECT_HOLDINGS, (rm_id, start.isoformat(), end.isoformat(), min_demand,
                                                         currency))
        # positional columns (the SELECT's order): name look-ups cost more than the rest for 1,000 rows
        return [Holding(row[0], row[1], row[2], row[3], row[4], _date(row[5]), _date(row[6]), bool(row[7]),
                        row[8] or "CNY")
                for row in rows]

    async def clients(self, rm_id: int, ids: set[int], today: date) -> tuple[list[Client], dict[int, date]]:
        """(these clients, {client id: last logged contact up to today})."""
        rows = await self.db.fetch_all(SELECT_CLIENTS, (today.isoformat(), rm_id, json.dumps(sorted(ids))))
        clients = [Client(row[0], row[1], tier=row[2], last_contact_on=_date(row[3])) for row in rows]
        return clients, {row[0]: date.fromisoformat(row[4]) for row in rows if row[4]}

    async def client_count(self, rm_id: int) -> int:
        """How many clients the RM has: /notify says why those it does not list are left out."""
        return int(await self.db.fetch_value(COUNT_CLIENTS, (rm_id,)) or 0)

    async def suitability_facts(self, rm_id: int, ids: set[int]) -> dict[int, list[Fact]]:
        """Risk level, preferred channel and time facts of these clients."""
        found: dict[int, list[Fact]] = {}
        for fact_id, client_id, kind, value, noted_on in await self.db.fetch_all(
                SELECT_FACTS, (rm_id, json.dumps(sorted(ids)))):
            found.setdefault(client_id, []).append(Fact(kind, value, date.fromisoformat(noted_on), None, fact_id))
        return found

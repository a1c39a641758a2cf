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
#: Holdings maturing in the window, and demand deposits (活期) the matching will weigh.
SELECT_HOLDINGS = """
SELECT id, client_id, product, name, amount, start_date, maturity_date, handled_on FROM holdings
WHERE rm_id = ? AND ((maturity_date BETWEEN ? AND ? AND handled_on IS NULL)
   OR (product = 'DEPOSIT' AND (name LIKE '%活期%' OR lower(name) LIKE '%demand%' OR lower(name) LIKE '%current%'
                                OR lower(name) LIKE '%savings%' OR lower(name) LIKE '%call deposit%')))
"""
SELECT_CLIENTS = """
SELECT id, name, tier, last_contact_on FROM clients WHERE rm_id = ? AND id IN (SELECT value FROM json_each(?))
"""
SELECT_FACTS = """
SELECT id, client_id, kind, value, noted_on FROM client_facts
WHERE rm_id = ? AND kind IN ('risk', 'channel', 'time') AND client_id IN (SELECT value FROM json_each(?))
ORDER BY client_id, noted_on, id
"""


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


class NoticeStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def needs(self, rm_id: int, product: str) -> dict[int, set[str]]:
        """{client id: {product}} for the RM's clients who ever asked for `product`."""
        return {int(row[0]): {product} for row in await self.db.fetch_all(SELECT_WITH_NEED, (rm_id, product))}

    async def holdings(self, rm_id: int, start: date, end: date) -> list[Holding]:
        rows = await self.db.fetch_all(SELECT_HOLDINGS, (rm_id, start.isoformat(), end.isoformat()))
        return [Holding(row["id"], row["client_id"], row["product"], row["name"], row["amount"],
                        _date(row["start_date"]), _date(row["maturity_date"]), bool(row["handled_on"]))
                for row in rows]

    async def clients(self, rm_id: int, ids: set[int]) -> list[Client]:
        rows = await self.db.fetch_all(SELECT_CLIENTS, (rm_id, json.dumps(sorted(ids))))
        return [Client(row["id"], row["name"], tier=row["tier"], last_contact_on=_date(row["last_contact_on"]))
                for row in rows]

    async def suitability_facts(self, rm_id: int, ids: set[int]) -> dict[int, list[Fact]]:
        """Risk level, preferred channel and time facts of these clients."""
        found: dict[int, list[Fact]] = {}
        for row in await self.db.fetch_all(SELECT_FACTS, (rm_id, json.dumps(sorted(ids)))):
            found.setdefault(row["client_id"], []).append(
                Fact(row["kind"], row["value"], date.fromisoformat(row["noted_on"]), None, row["id"]))
        return found

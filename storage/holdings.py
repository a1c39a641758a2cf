"""Products clients hold, with maturities. Every statement is scoped by rm_id."""

from __future__ import annotations

from datetime import date, datetime

from bot.records import Holding
from storage.database import Database

SELECT_HOLDINGS = """
SELECT id, client_id, product, name, amount, currency, start_date, maturity_date, handled_on
FROM holdings WHERE rm_id = ?
"""
SELECT_HOLDING = SELECT_HOLDINGS + " AND id = ?"
SELECT_CLIENT_HOLDINGS = SELECT_HOLDINGS + " AND client_id = ? ORDER BY maturity_date IS NULL, maturity_date, id"
# A re-import updates in place; a changed maturity date is a new maturity to remind about.
UPSERT_HOLDING = """
INSERT INTO holdings (rm_id, client_id, product, name, amount, currency, start_date, maturity_date, created_at,
                      updated_at)
SELECT ?, id, ?, ?, ?, ?, ?, ?, ?, ? FROM clients WHERE rm_id = ? AND id = ?
ON CONFLICT (rm_id, client_id, product, name) DO UPDATE SET
    amount = excluded.amount, currency = excluded.currency, start_date = excluded.start_date,
    handled_on = CASE WHEN holdings.maturity_date IS excluded.maturity_date THEN holdings.handled_on END,
    maturity_date = excluded.maturity_date, updated_at = excluded.updated_at
"""
# Only what a digest may remind about: open maturities from `start` to the furthest threshold.
SELECT_MATURING = SELECT_HOLDINGS + " AND maturity_date BETWEEN ? AND ? AND handled_on IS NULL"
SELECT_EXISTS = "SELECT 1 FROM holdings WHERE rm_id = ? AND client_id = ? AND product = ? AND name = ?"
MARK_HANDLED = "UPDATE holdings SET handled_on = ? WHERE rm_id = ? AND id = ?"


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _holding(row) -> Holding:
    return Holding(id=row["id"], client_id=row["client_id"], product=row["product"], name=row["name"],
                   amount=row["amount"], currency=row["currency"], start_date=_date(row["start_date"]),
                   maturity_date=_date(row["maturity_date"]), handled=row["handled_on"] is not None)


class HoldingStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def list(self, rm_id: int) -> list[Holding]:
        return [_holding(row) for row in await self.db.fetch_all(SELECT_HOLDINGS + " ORDER BY id", (rm_id,))]

    async def maturing(self, rm_id: int, start: date, end: date) -> list[Holding]:
        rows = await self.db.fetch_all(SELECT_MATURING, (rm_id, start.isoformat(), end.isoformat()))
        return [_holding(row) for row in rows]

    async def for_client(self, rm_id: int, client_id: int) -> list[Holding]:
        return [_holding(row) for row in await self.db.fetch_all(SELECT_CLIENT_HOLDINGS, (rm_id, client_id))]

    async def get(self, rm_id: int, holding_id: int) -> Holding | None:
        row = await self.db.fetch_one(SELECT_HOLDING, (rm_id, holding_id))
        return _holding(row) if row else None

    async def upsert(self, rm_id: int, holdings: list[tuple], now: datetime) -> tuple[int, int]:
        """(client id, product, name, amount, start, maturity[, currency]) rows in one transaction:
        (added, updated). An amount without a currency is CNY."""
        added = updated = 0
        stamp = now.isoformat()
        async with self.db.transaction() as conn:
            for client_id, product, name, amount, start, maturity, *rest in holdings:
                currency = (rest[0] if rest and rest[0] else "CNY") if amount is not None else None
                async with conn.execute(SELECT_EXISTS, (rm_id, client_id, product, name)) as cursor:
                    exists = await cursor.fetchone() is not None
                cursor = await conn.execute(UPSERT_HOLDING, (
                    rm_id, product, name, amount, currency, start.isoformat() if start else None,
                    maturity.isoformat() if maturity else None, stamp, stamp, rm_id, client_id))
                if cursor.rowcount:
                    updated += exists
                    added += not exists
        return added, updated

    async def mark_handled(self, rm_id: int, holding_id: int, on: date) -> bool:
        async with self.db.transaction() as conn:
            cursor = await conn.execute(MARK_HANDLED, (on.isoformat(), rm_id, holding_id))
        return cursor.rowcount > 0

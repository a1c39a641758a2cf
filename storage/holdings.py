"""Products clients hold, with maturities. Every statement is scoped by rm_id."""

from __future__ import annotations

import builtins
from datetime import date, datetime

from storage.database import Database
from storage.records import Coverage, Holding

SELECT_HOLDINGS = """
SELECT id, client_id, product, name, amount, currency, start_date, maturity_date, handled_on, cover_kind,
       insured_relation, insured_name, sum_insured_cents, premium_cents, premium_period, term_years, term_to_age,
       contact_id
FROM holdings WHERE rm_id = ?
"""
SELECT_HOLDING = SELECT_HOLDINGS + " AND id = ?"
SELECT_CLIENT_HOLDINGS = SELECT_HOLDINGS + " AND client_id = ? ORDER BY maturity_date IS NULL, maturity_date, id"
_COVER_COLUMNS = ("cover_kind, insured_relation, insured_name, sum_insured_cents, premium_cents, premium_period, "
                  "term_years, term_to_age")
# A re-import updates in place; a changed maturity date is a new maturity to remind about. A row
# without insurance columns keeps the cover a note or an earlier import gave the holding.
UPSERT_HOLDING = f"""
INSERT INTO holdings (rm_id, client_id, product, name, amount, currency, start_date, maturity_date, created_at,
                      updated_at, {_COVER_COLUMNS})
SELECT ?, id, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM clients WHERE rm_id = ? AND id = ?
ON CONFLICT (rm_id, client_id, product, name) DO UPDATE SET
    amount = excluded.amount, currency = coalesce(excluded.currency, holdings.currency),
    start_date = excluded.start_date,
    handled_on = CASE WHEN holdings.maturity_date IS excluded.maturity_date THEN holdings.handled_on END,
    maturity_date = excluded.maturity_date, updated_at = excluded.updated_at,
    cover_kind = coalesce(excluded.cover_kind, holdings.cover_kind),
    insured_relation = CASE WHEN excluded.cover_kind IS NULL THEN holdings.insured_relation
                            ELSE excluded.insured_relation END,
    insured_name = CASE WHEN excluded.cover_kind IS NULL THEN holdings.insured_name ELSE excluded.insured_name END,
    sum_insured_cents = CASE WHEN excluded.cover_kind IS NULL THEN holdings.sum_insured_cents
                             ELSE excluded.sum_insured_cents END,
    premium_cents = CASE WHEN excluded.cover_kind IS NULL THEN holdings.premium_cents ELSE excluded.premium_cents END,
    premium_period = CASE WHEN excluded.cover_kind IS NULL THEN holdings.premium_period
                          ELSE excluded.premium_period END,
    term_years = CASE WHEN excluded.cover_kind IS NULL THEN holdings.term_years ELSE excluded.term_years END,
    term_to_age = CASE WHEN excluded.cover_kind IS NULL THEN holdings.term_to_age ELSE excluded.term_to_age END
"""
# A policy a note tells of: always a new holding (a person may hold two of a kind), filed with the note.
INSERT_NOTED_COVER = f"""
INSERT INTO holdings (rm_id, client_id, product, name, currency, contact_id, created_at, updated_at, {_COVER_COLUMNS})
SELECT ?, c.id, 'INSURANCE', ?, ?, k.id, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?
FROM clients c JOIN contacts k ON k.rm_id = c.rm_id AND k.id = ?
WHERE c.rm_id = ? AND c.id = ?
"""
SELECT_NAME_TAKEN = "SELECT 1 FROM holdings WHERE rm_id = ? AND client_id = ? AND product = 'INSURANCE' AND name = ?"
SET_INSURED = """
UPDATE holdings SET insured_relation = ?, insured_name = ?, updated_at = ?
WHERE rm_id = ? AND id = ? AND cover_kind IS NOT NULL
"""
SELECT_FOR_CONTACT = SELECT_HOLDINGS + " AND contact_id = ? ORDER BY id"
# Only what a digest may remind about: open maturities from `start` to the furthest threshold.
SELECT_MATURING = SELECT_HOLDINGS + " AND maturity_date BETWEEN ? AND ? AND handled_on IS NULL"
SELECT_EXISTS = "SELECT 1 FROM holdings WHERE rm_id = ? AND client_id = ? AND product = ? AND name = ?"
MARK_HANDLED = "UPDATE holdings SET handled_on = ? WHERE rm_id = ? AND id = ?"


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def to_cents(value: float | None) -> int | None:
    """Money as integer cents (exact); None stays None."""
    return None if value is None else int(round(value * 100))


def _units(cents: int | None) -> float | None:
    return None if cents is None else cents / 100


def _cover_values(cover: Coverage | None) -> tuple:
    if cover is None:
        return (None,) * 8
    return (cover.kind, cover.insured, cover.insured_name, to_cents(cover.sum_insured), to_cents(cover.premium),
            cover.premium_period, cover.term_years, cover.term_to_age)


def _holding(row) -> Holding:
    cover = None
    if row["cover_kind"]:
        cover = Coverage(row["cover_kind"], row["insured_relation"], row["insured_name"],
                         _units(row["sum_insured_cents"]), _units(row["premium_cents"]), row["premium_period"],
                         row["term_years"], row["term_to_age"])
    return Holding(id=row["id"], client_id=row["client_id"], product=row["product"], name=row["name"],
                   amount=row["amount"], currency=row["currency"], start_date=_date(row["start_date"]),
                   maturity_date=_date(row["maturity_date"]), handled=row["handled_on"] is not None,
                   cover=cover, contact_id=row["contact_id"])


class HoldingStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def list(self, rm_id: int) -> builtins.list[Holding]:
        return [_holding(row) for row in await self.db.fetch_all(SELECT_HOLDINGS + " ORDER BY id", (rm_id,))]

    async def maturing(self, rm_id: int, start: date, end: date) -> builtins.list[Holding]:
        rows = await self.db.fetch_all(SELECT_MATURING, (rm_id, start.isoformat(), end.isoformat()))
        return [_holding(row) for row in rows]

    async def for_client(self, rm_id: int, client_id: int) -> builtins.list[Holding]:
        return [_holding(row) for row in await self.db.fetch_all(SELECT_CLIENT_HOLDINGS, (rm_id, client_id))]

    async def get(self, rm_id: int, holding_id: int) -> Holding | None:
        row = await self.db.fetch_one(SELECT_HOLDING, (rm_id, holding_id))
        return _holding(row) if row else None

    async def upsert(self, rm_id: int, holdings: builtins.list[tuple], now: datetime) -> tuple[int, int]:
        """(client id, product, name, amount, start, maturity[, currency[, Coverage]]) rows in one
        transaction: (added, updated). Money without a currency is CNY."""
        added = updated = 0
        stamp = now.isoformat()
        async with self.db.transaction() as conn:
            for client_id, product, name, amount, start, maturity, *rest in holdings:
                cover = rest[1] if len(rest) > 1 else None
                has_money = amount is not None or (cover is not None and (cover.sum_insured is not None
                                                                          or cover.premium is not None))
                currency = (rest[0] if rest and rest[0] else "CNY") if has_money else None
                async with conn.execute(SELECT_EXISTS, (rm_id, client_id, product, name)) as cursor:
                    exists = await cursor.fetchone() is not None
                cursor = await conn.execute(UPSERT_HOLDING, (
                    rm_id, product, name, amount, currency, start.isoformat() if start else None,
                    maturity.isoformat() if maturity else None, stamp, stamp, *_cover_values(cover), rm_id,
                    client_id))
                if cursor.rowcount:
                    updated += exists
                    added += not exists
        return added, updated

    async def mark_handled(self, rm_id: int, holding_id: int, on: date) -> bool:
        async with self.db.transaction() as conn:
            cursor = await conn.execute(MARK_HANDLED, (on.isoformat(), rm_id, holding_id))
        return cursor.rowcount > 0

    async def add_noted_covers(self, rm_id: int, client_id: int, contact_id: int,
                               covers: builtins.list[tuple[str, Coverage, str | None]], now: datetime
                               ) -> builtins.list[int]:
        """Insurance holdings a note tells of, filed with the note (Undo removes them), in one
        transaction: (name, cover, currency) each; the ids stored. A name the client already has gets
        the note's id after it, so a second policy of a kind is a second holding."""
        stamp = now.isoformat()
        ids: builtins.list[int] = []
        async with self.db.transaction() as conn:
            for name, cover, currency in covers:
                async with conn.execute(SELECT_NAME_TAKEN, (rm_id, client_id, name)) as cursor:
                    taken = await cursor.fetchone() is not None
                if taken:
                    name = f"{name} #{contact_id}-{len(ids) + 1}"
                has_money = cover.sum_insured is not None or cover.premium is not None
                cursor = await conn.execute(INSERT_NOTED_COVER, (
                    rm_id, name, (currency or "CNY") if has_money else None, stamp, stamp, *_cover_values(cover),
                    contact_id, rm_id, client_id))
                if cursor.rowcount and cursor.lastrowid is not None:
                    ids.append(cursor.lastrowid)
        return ids

    async def for_contact(self, rm_id: int, contact_id: int) -> builtins.list[Holding]:
        """The insurance holdings a note added."""
        return [_holding(row) for row in await self.db.fetch_all(SELECT_FOR_CONTACT, (rm_id, contact_id))]

    async def set_insured(self, rm_id: int, holding_id: int, relation: str, name: str | None,
                          now: datetime) -> bool:
        """Say whose an insurance holding is (the RM's tap): the client ("self") or a family member."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(SET_INSURED, (relation, name, now.isoformat(), rm_id, holding_id))
        return cursor.rowcount > 0

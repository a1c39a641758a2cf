"""Profile facts about clients (client_facts). Every statement is scoped by rm_id."""

from __future__ import annotations

from datetime import date, datetime

from storage.database import Database
from storage.records import Fact

INSERT_FACT = """
INSERT INTO client_facts (rm_id, client_id, contact_id, kind, value, noted_on, created_at)
SELECT ?, ?, ?, ?, ?, ?, ?
WHERE (? IS NULL OR EXISTS (SELECT 1 FROM clients WHERE rm_id = ? AND id = ?))
  AND (? IS NULL OR EXISTS (SELECT 1 FROM contacts WHERE rm_id = ? AND id = ?))
"""
SELECT_FACTS = "SELECT id, client_id, contact_id, kind, value, noted_on FROM client_facts WHERE rm_id = ?"
SELECT_FOR_CLIENT = SELECT_FACTS + " AND client_id = ? ORDER BY noted_on, id"
SELECT_ALL = SELECT_FACTS + " AND client_id IS NOT NULL ORDER BY client_id, noted_on, id"
SELECT_FOR_CONTACT = SELECT_FACTS + " AND contact_id = ? ORDER BY id"
SELECT_CLIENT_OF = "SELECT client_id FROM client_facts WHERE rm_id = ? AND id = ?"
DELETE_FACT = "DELETE FROM client_facts WHERE rm_id = ? AND id = ? AND kind = ?"
SELECT_FACT = SELECT_FACTS + " AND id = ?"
DELETE_KIND = "DELETE FROM client_facts WHERE rm_id = ? AND client_id = ? AND kind = ?"
DELETE_CONTACT_KIND = "DELETE FROM client_facts WHERE rm_id = ? AND contact_id = ? AND kind = ?"


def _fact(row) -> Fact:
    return Fact(row["kind"], row["value"], date.fromisoformat(row["noted_on"]), row["contact_id"], row["id"])


class ClientFactStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def add(self, rm_id: int, client_id: int | None, facts: list[Fact], now: datetime,
                  contact_id: int | None = None, replace_kinds: tuple[str, ...] = ()) -> int:
        """Store facts about one of the RM's clients in one transaction; how many were stored.

        `replace_kinds` first removes the client's facts of those kinds (an Edit that sets the value).
        """
        stored = 0
        async with self.db.transaction() as conn:
            for kind in replace_kinds:
                await conn.execute(DELETE_KIND, (rm_id, client_id, kind))
            for fact in facts:
                cursor = await conn.execute(INSERT_FACT, (
                    rm_id, client_id, contact_id, fact.kind, fact.value, fact.noted_on.isoformat(), now.isoformat(),
                    client_id, rm_id, client_id, contact_id, rm_id, contact_id))
                stored += cursor.rowcount
        return stored

    async def client_of(self, rm_id: int, fact_id: int) -> int | None:
        """The client one of the RM's facts is about (None: not theirs, gone, or not yet filed)."""
        row = await self.db.fetch_one(SELECT_CLIENT_OF, (rm_id, fact_id))
        return row["client_id"] if row else None

    async def for_client(self, rm_id: int, client_id: int) -> list[Fact]:
        return [_fact(row) for row in await self.db.fetch_all(SELECT_FOR_CLIENT, (rm_id, client_id))]

    async def for_contact(self, rm_id: int, contact_id: int) -> list[Fact]:
        return [_fact(row) for row in await self.db.fetch_all(SELECT_FOR_CONTACT, (rm_id, contact_id))]

    async def by_client(self, rm_id: int) -> dict[int, list[Fact]]:
        """Every fact of the RM's clients, by client id (for the digest and /notify)."""
        found: dict[int, list[Fact]] = {}
        for row in await self.db.fetch_all(SELECT_ALL, (rm_id,)):
            found.setdefault(row["client_id"], []).append(_fact(row))
        return found

    async def add_one(self, rm_id: int, client_id: int, fact: Fact, now: datetime) -> int | None:
        """Store one fact about one of the RM's clients; its id (None: not the RM's client)."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(INSERT_FACT, (
                rm_id, client_id, None, fact.kind, fact.value, fact.noted_on.isoformat(), now.isoformat(),
                client_id, rm_id, client_id, None, rm_id, None))
        return int(cursor.lastrowid) if cursor.rowcount and cursor.lastrowid is not None else None

    async def get(self, rm_id: int, fact_id: int) -> tuple[int | None, Fact] | None:
        """(client id, fact) of one of the RM's facts; None when it is not theirs or gone."""
        row = await self.db.fetch_one(SELECT_FACT, (rm_id, fact_id))
        return (row["client_id"], _fact(row)) if row else None

    async def remove(self, rm_id: int, fact_id: int, kind: str) -> bool:
        """Remove one of the RM's facts of that kind (an Undo)."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(DELETE_FACT, (rm_id, fact_id, kind))
        return cursor.rowcount > 0

    async def remove_for_contact(self, rm_id: int, contact_id: int, kind: str) -> int:
        """Remove a note's facts of one kind (its covers, once filed as insurance holdings)."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(DELETE_CONTACT_KIND, (rm_id, contact_id, kind))
        return cursor.rowcount

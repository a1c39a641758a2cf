"""An RM's clients and their aliases. Every statement is scoped by rm_id."""

from __future__ import annotations

from datetime import date, datetime

import aiosqlite

from storage.audit import INSERT_AUDIT
from storage.database import Database
from storage.records import Client

_ALIAS_SEPARATOR = "\x1f"
SELECT_CLIENTS = f"""
SELECT c.id, c.name, c.tier, c.cadence_days, c.phone, c.company, c.birthday, c.lunar_birthday,
       c.notes, c.last_contact_on, c.created_at, c.imported_at,
       (SELECT group_concat(a.alias, '{_ALIAS_SEPARATOR}') FROM client_aliases a WHERE a.client_id = c.id) AS aliases
FROM clients c WHERE c.rm_id = ?
"""
SELECT_CLIENT = SELECT_CLIENTS + " AND c.id = ?"
SELECT_CLIENT_ID_BY_NAME = "SELECT id FROM clients WHERE rm_id = ? AND name = ?"
INSERT_CLIENT = "INSERT INTO clients (rm_id, name, created_at) VALUES (?, ?, ?)"
INSERT_ALIAS = """
INSERT OR IGNORE INTO client_aliases (client_id, alias)
SELECT id, ? FROM clients WHERE id = ? AND rm_id = ?
"""
INSERT_ALIAS_UNLESS_NAME = """
INSERT OR IGNORE INTO client_aliases (client_id, alias)
SELECT id, ? FROM clients WHERE id = ? AND rm_id = ? AND name <> ?
"""
MARK_IMPORTED = "UPDATE clients SET imported_at = ? WHERE rm_id = ? AND id = ?"
MOVE_CONTACTS = "UPDATE contacts SET client_id = ?, created_client = 0 WHERE rm_id = ? AND client_id = ?"
MOVE_FOLLOW_UPS = "UPDATE follow_ups SET client_id = ? WHERE rm_id = ? AND client_id = ?"
MOVE_FACTS = "UPDATE client_facts SET client_id = ? WHERE rm_id = ? AND client_id = ?"
MOVE_REVIEWS = "UPDATE reviews SET client_id = ? WHERE rm_id = ? AND client_id = ?"
SELECT_CLIENT_ID_BY_ALIAS = """
SELECT c.id FROM clients c JOIN client_aliases a ON a.client_id = c.id WHERE c.rm_id = ? AND a.alias = ?
"""
# An import fills what the file has and keeps what it leaves blank (COALESCE).
UPDATE_IMPORTED = """
UPDATE clients SET phone = coalesce(?, phone), company = coalesce(?, company), tier = coalesce(?, tier),
    birthday = coalesce(?, birthday), lunar_birthday = coalesce(?, lunar_birthday),
    last_contact_on = coalesce(?, last_contact_on), cadence_days = coalesce(?, cadence_days),
    notes = coalesce(?, notes)
WHERE rm_id = ? AND id = ?
"""
#: Client columns the card's Edit may change (bot.client_fields.FIELDS), never from user text.
EDITABLE = {"phone", "company", "birthday", "lunar_birthday", "cadence_days", "notes"}
DELETE_CLIENT_SNOOZES = ("DELETE FROM reminder_snoozes WHERE rm_id = ? AND kind IN ('contact', 'birthday')"
                         " AND item_id = ?")
DELETE_FAMILY_SNOOZES = """
DELETE FROM reminder_snoozes WHERE rm_id = ? AND kind = 'family'
AND item_id IN (SELECT id FROM client_facts WHERE rm_id = ? AND client_id = ?)
"""
DELETE_HOLDING_SNOOZES = """
DELETE FROM reminder_snoozes WHERE rm_id = ? AND kind = 'maturity'
AND item_id IN (SELECT id FROM holdings WHERE rm_id = ? AND client_id = ?)
"""
DELETE_CLIENT_CONTACTS = "DELETE FROM contacts WHERE rm_id = ? AND client_id = ?"
SET_TIER = "UPDATE clients SET tier = ? WHERE rm_id = ? AND id = ?"
DELETE_CLIENT = "DELETE FROM clients WHERE rm_id = ? AND id = ?"
DELETE_CLIENT_IF_UNUSED = """
DELETE FROM clients WHERE rm_id = ? AND id = ?
AND NOT EXISTS (SELECT 1 FROM contacts WHERE rm_id = ? AND client_id = ?)
"""


def _client(row) -> Client:
    return Client(
        id=row["id"], name=row["name"],
        aliases=tuple(row["aliases"].split(_ALIAS_SEPARATOR)) if row["aliases"] else (),
        tier=row["tier"], cadence_days=row["cadence_days"], phone=row["phone"], company=row["company"],
        birthday=date.fromisoformat(row["birthday"]) if row["birthday"] else None,
        lunar_birthday=row["lunar_birthday"], notes=row["notes"],
        last_contact_on=date.fromisoformat(row["last_contact_on"]) if row["last_contact_on"] else None,
        created_on=datetime.fromisoformat(row["created_at"]).date(),
        created_at=datetime.fromisoformat(row["created_at"]),
        imported_at=datetime.fromisoformat(row["imported_at"]) if row["imported_at"] else None,
    )


async def create_client(conn: aiosqlite.Connection, rm_id: int, name: str, now: datetime) -> tuple[int, bool]:
    """Inside a caller's transaction: (the client's id, whether it was created just now)."""
    async with conn.execute(SELECT_CLIENT_ID_BY_NAME, (rm_id, name)) as cursor:
        row = await cursor.fetchone()
    if row:
        return int(row[0]), False
    cursor = await conn.execute(INSERT_CLIENT, (rm_id, name, now.isoformat()))
    assert cursor.lastrowid is not None, "set by the INSERT"
    return int(cursor.lastrowid), True


async def find_client_id(conn: aiosqlite.Connection, rm_id: int, name: str) -> int | None:
    """Inside a caller's transaction: the client called `name` (or with that alias)."""
    for sql in (SELECT_CLIENT_ID_BY_NAME, SELECT_CLIENT_ID_BY_ALIAS):
        async with conn.execute(sql, (rm_id, name)) as cursor:
            row = await cursor.fetchone()
        if row:
            return int(row[0])
    return None


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


class ClientStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def list(self, rm_id: int) -> list[Client]:
        return [_client(row) for row in await self.db.fetch_all(SELECT_CLIENTS + " ORDER BY c.name", (rm_id,))]

    async def get(self, rm_id: int, client_id: int) -> Client | None:
        row = await self.db.fetch_one(SELECT_CLIENT, (rm_id, client_id))
        return _client(row) if row else None

    async def create(self, rm_id: int, name: str, now: datetime) -> Client:
        async with self.db.transaction() as conn:
            client_id, _ = await create_client(conn, rm_id, name, now)
        client = await self.get(rm_id, client_id)
        assert client is not None
        return client

    async def add_alias(self, rm_id: int, client_id: int, alias: str) -> None:
        """Remember other words for a client (the RM picked it for them); its own name is no alias."""
        alias = alias.strip()
        if not alias:
            return
        async with self.db.transaction() as conn:
            await conn.execute(INSERT_ALIAS_UNLESS_NAME, (alias, client_id, rm_id, alias))

    async def merge(self, rm_id: int, source_id: int, target_id: int) -> bool:
        """Fold source into target: its contacts and follow-ups move, its name becomes an alias."""
        source = await self.get(rm_id, source_id)
        target = await self.get(rm_id, target_id)
        if source is None or target is None or source_id == target_id:
            return False
        async with self.db.transaction() as conn:
            await conn.execute(MOVE_CONTACTS, (target_id, rm_id, source_id))
            await conn.execute(MOVE_FOLLOW_UPS, (target_id, rm_id, source_id))
            await conn.execute(MOVE_FACTS, (target_id, rm_id, source_id))
            await conn.execute(MOVE_REVIEWS, (target_id, rm_id, source_id))
            for alias in (source.name, *source.aliases):
                if alias != target.name:
                    await conn.execute(INSERT_ALIAS, (alias, target_id, rm_id))
            await conn.execute(DELETE_CLIENT, (rm_id, source_id))
        return True

    async def import_rows(self, rm_id: int, rows, now: datetime) -> tuple[int, int]:
        """Imported client rows (bot.imports.ClientRow) in one transaction: (added, updated).

        A client is found by name or alias, so a re-import updates instead of duplicating.
        """
        added = updated = 0
        async with self.db.transaction() as conn:
            for row in rows:
                client_id = await find_client_id(conn, rm_id, row.name)
                if client_id is None:
                    client_id, _ = await create_client(conn, rm_id, row.name, now)
                    await conn.execute(MARK_IMPORTED, (now.isoformat(), rm_id, client_id))
                    added += 1
                else:
                    updated += 1
                await conn.execute(UPDATE_IMPORTED, (
                    row.phone, row.company, row.tier, _iso(row.birthday), row.lunar_birthday,
                    _iso(row.last_contact), row.cadence_days, row.notes, rm_id, client_id))
        return added, updated

    async def ids_for_names(self, rm_id: int, names: set[str], now: datetime) -> tuple[dict[str, int], int]:
        """Client ids by name or alias, creating clients not yet known: (ids, how many created)."""
        ids: dict[str, int] = {}
        created = 0
        async with self.db.transaction() as conn:
            for name in sorted(names):
                client_id = await find_client_id(conn, rm_id, name)
                if client_id is None:
                    client_id, _ = await create_client(conn, rm_id, name, now)
                    await conn.execute(MARK_IMPORTED, (now.isoformat(), rm_id, client_id))
                    created += 1
                ids[name] = client_id
        return ids, created

    async def set_tier(self, rm_id: int, client_id: int, tier: str) -> bool:
        async with self.db.transaction() as conn:
            cursor = await conn.execute(SET_TIER, (tier, rm_id, client_id))
        return cursor.rowcount > 0

    async def set_field(self, rm_id: int, client_id: int, field: str, value) -> bool:
        if field not in EDITABLE:
            raise ValueError(f"not an editable client field: {field}")
        async with self.db.transaction() as conn:
            cursor = await conn.execute(f"UPDATE clients SET {field} = ? WHERE rm_id = ? AND id = ?",
                                        (value, rm_id, client_id))
        return cursor.rowcount > 0

    async def forget(self, rm_id: int, client_id: int, now: datetime) -> bool:
        """Erase a client with its notes, needs, follow-ups, holdings and snoozes (the RM asked),
        and audit it in the same transaction: an erasure is never left unrecorded."""
        async with self.db.transaction() as conn:
            await conn.execute(DELETE_HOLDING_SNOOZES, (rm_id, rm_id, client_id))
            await conn.execute(DELETE_FAMILY_SNOOZES, (rm_id, rm_id, client_id))
            await conn.execute(DELETE_CLIENT_SNOOZES, (rm_id, client_id))
            await conn.execute(DELETE_CLIENT_CONTACTS, (rm_id, client_id))
            cursor = await conn.execute(DELETE_CLIENT, (rm_id, client_id))
            if cursor.rowcount > 0:
                await conn.execute(INSERT_AUDIT, (rm_id, "forget", f"client {client_id}", now.isoformat()))
        return cursor.rowcount > 0

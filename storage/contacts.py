"""Stored notes (contacts), their needs and follow-ups. Every statement is scoped by rm_id."""

from __future__ import annotations

import json
from datetime import date, datetime, time

from storage.clients import DELETE_CLIENT_IF_UNUSED, create_client
from storage.database import Database
from storage.follow_ups import MARK_DONE as MARK_FOLLOW_UP_DONE
from storage.records import Contact
from storage.update_log import UpdateKey

INSERT_CONTACT = """
INSERT INTO contacts (rm_id, client_id, raw_text, client_name, channel, occurred_on, amount, currency,
                      amount_max, created_client, message_id, created_at, date_asked)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (rm_id, message_id) DO NOTHING
"""
SELECT_CONTACT_ID_BY_MESSAGE = "SELECT id FROM contacts WHERE rm_id = ? AND message_id = ?"
#: A note about several clients stores one contact each; the second and later carry
#: -(message id × 16 + n), so the message stays unique and an edit finds them all.
SELECT_CONTACT_IDS_BY_MESSAGE = """
SELECT id FROM contacts WHERE rm_id = ? AND (message_id = ? OR message_id BETWEEN ? AND ?) ORDER BY id
"""
COMPANIONS = 16
SELECT_LAST_MESSAGE_ID = "SELECT max(message_id) FROM contacts WHERE rm_id = ?"
INSERT_NEED = "INSERT OR IGNORE INTO contact_needs (contact_id, product) VALUES (?, ?)"
DELETE_NEEDS = "DELETE FROM contact_needs WHERE contact_id = (SELECT id FROM contacts WHERE rm_id = ? AND id = ?)"
INSERT_FOLLOW_UP = """
INSERT INTO follow_ups (rm_id, client_id, contact_id, due_on, due_time, created_at)
VALUES (?, ?, ?, ?, ?, ?)
"""
DELETE_FOLLOW_UPS = "DELETE FROM follow_ups WHERE rm_id = ? AND contact_id = ? AND status = 'open'"
SELECT_CONTACTS = """
SELECT k.id, k.raw_text, k.client_id, k.client_name, k.channel, k.occurred_on, k.amount, k.currency,
       k.amount_max, k.created_client, k.created_at, k.message_id, c.name AS client_display,
       (SELECT group_concat(n.product, ',') FROM contact_needs n WHERE n.contact_id = k.id) AS needs,
       f.due_on, f.due_time
FROM contacts k
LEFT JOIN clients c ON c.id = k.client_id AND c.rm_id = k.rm_id
LEFT JOIN follow_ups f ON f.id = (SELECT max(id) FROM follow_ups WHERE contact_id = k.id AND rm_id = k.rm_id)
WHERE k.rm_id = ?
"""
SELECT_CONTACT = SELECT_CONTACTS + " AND k.id = ?"
SELECT_RECENT = SELECT_CONTACTS + " ORDER BY k.id DESC LIMIT ?"
DELETE_CONTACT = "DELETE FROM contacts WHERE rm_id = ? AND id = ?"
SET_CLIENT = "UPDATE contacts SET client_id = ?, created_client = ? WHERE rm_id = ? AND id = ?"
SET_CLIENT_NAME = "UPDATE contacts SET client_name = ? WHERE rm_id = ? AND id = ?"
SET_FOLLOW_UP_CLIENT = "UPDATE follow_ups SET client_id = ? WHERE rm_id = ? AND contact_id = ?"
# profile facts follow the note
SET_FACTS_CLIENT = "UPDATE client_facts SET client_id = ? WHERE rm_id = ? AND contact_id = ?"
#: Notes whose client the bot asked about and the RM has not answered: the name as written, no client.
SELECT_PENDING = (SELECT_CONTACTS + " AND k.client_id IS NULL AND k.client_name IS NOT NULL"
                  " AND trim(k.client_name) <> '' ORDER BY k.id")
SET_PENDING_CLIENT = "UPDATE contacts SET client_id = ? WHERE rm_id = ? AND id = ? AND client_id IS NULL"
SKIP_PENDING = "UPDATE contacts SET client_name = NULL WHERE rm_id = ? AND id = ? AND client_id IS NULL"
# A note's insurance holdings follow the note to its client; a name that client already has gets the holding's id.
SET_HOLDINGS_CLIENT = "UPDATE OR IGNORE holdings SET client_id = ? WHERE rm_id = ? AND contact_id = ?"
SET_HOLDINGS_CLIENT_RENAMED = """
UPDATE holdings SET client_id = ?, name = name || ' #' || id WHERE rm_id = ? AND contact_id = ? AND client_id != ?
"""
#: Notes whose date phrase was asked (two readings) and no reading tapped yet (bot/open_dates.py).
SELECT_DATE_ASKED = SELECT_CONTACTS + " AND k.date_asked = 1 ORDER BY k.id"
CLOSE_DATE_QUESTION = "UPDATE contacts SET date_asked = 0 WHERE rm_id = ? AND id = ?"
SELECT_BETWEEN = SELECT_CONTACTS + " AND k.occurred_on BETWEEN ? AND ? ORDER BY k.occurred_on, k.id"
SELECT_ALL = SELECT_CONTACTS + " ORDER BY k.id"
SELECT_FOR_CLIENT = (SELECT_CONTACTS + " AND k.client_id = ?"
                     " ORDER BY k.occurred_on IS NULL, k.occurred_on DESC, k.id DESC LIMIT ? OFFSET ?")
COUNT_FOR_CLIENT = "SELECT count(*) FROM contacts WHERE rm_id = ? AND client_id = ?"
SELECT_LAST_CONTACTS = """
SELECT client_id, max(occurred_on) AS last FROM contacts
WHERE rm_id = ? AND client_id IS NOT NULL AND occurred_on IS NOT NULL AND occurred_on <= ? GROUP BY client_id
"""
SELECT_FIRST_CONTACTS = """
SELECT client_id, min(occurred_on) AS first FROM contacts
WHERE rm_id = ? AND client_id IS NOT NULL AND occurred_on IS NOT NULL GROUP BY client_id
"""
#: /find: the note's words, the name it was filed under or its client's name, or a need it was filed with.
SEARCH_WHERE = """
  AND (k.raw_text LIKE ? ESCAPE '\\' OR k.client_name LIKE ? ESCAPE '\\' OR c.name LIKE ? ESCAPE '\\'
       OR k.client_id IN (SELECT a.client_id FROM client_aliases a WHERE a.alias LIKE ? ESCAPE '\\')
       OR k.id IN (SELECT n.contact_id FROM contact_needs n JOIN json_each(?) p ON n.product = p.value))
"""
SELECT_SEARCH = SELECT_CONTACTS + SEARCH_WHERE + " ORDER BY k.id DESC LIMIT ? OFFSET ?"
COUNT_SEARCH = """
SELECT count(*) FROM contacts k LEFT JOIN clients c ON c.id = k.client_id AND c.rm_id = k.rm_id WHERE k.rm_id = ?
""" + SEARCH_WHERE
#: Fields the Edit button may change, with their column.
EDITABLE_COLUMNS = {"channel": "channel", "occurred_on": "occurred_on", "amount": "amount"}


def _contact(row) -> Contact:
    return Contact(
        id=row["id"], raw_text=row["raw_text"], client_id=row["client_id"], client_name=row["client_name"],
        channel=row["channel"],
        occurred_on=date.fromisoformat(row["occurred_on"]) if row["occurred_on"] else None,
        amount=row["amount"], needs=tuple(row["needs"].split(",")) if row["needs"] else (),
        follow_up_on=date.fromisoformat(row["due_on"]) if row["due_on"] else None,
        follow_up_time=time.fromisoformat(row["due_time"]) if row["due_time"] else None,
        created_client=bool(row["created_client"]),
        created_at=datetime.fromisoformat(row["created_at"]),
        client_display=row["client_display"],
        currency=row["currency"], amount_max=row["amount_max"],
        note_id=note_of_message(row["message_id"]),
    )


def note_of_message(message_id: int | None) -> int | None:
    """The message a stored message id belongs to: itself, or for another client's contact of the
    same note (companion_message_id) the note's own message."""
    if message_id is None or message_id >= 0:
        return message_id
    return -message_id // COMPANIONS


def companion_message_id(message_id: int, index: int) -> int:
    """The stored message id of the index-th other client's contact from one message (index ≥ 1)."""
    return -(message_id * COMPANIONS + index)


class ContactStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def log(self, rm_id: int, *, raw_text: str, client_name: str | None, client_id: int | None,
                  new_client: str | None, channel: str | None, occurred_on: date | None,
                  amount: float | None, needs: tuple[str, ...], follow_up_on: date | None,
                  follow_up_time: time | None, message_id: int | None, now: datetime,
                  update: UpdateKey | None = None, closes_follow_up: int | None = None,
                  currency: str | None = None, amount_max: float | None = None,
                  date_asked: bool = False) -> tuple[int, bool]:
        """Store one note in one transaction: (contact id, whether it was new).

        `new_client` creates that client first; `date_asked`: a date phrase's readings were offered.
        A message already stored (Telegram re-delivered
        the update) is not stored twice; a note without a message (a digest's Done) passes its
        `update` so that it is logged as applied with the note, and closes the follow-up it
        answers in the same commit (`closes_follow_up`).
        """
        async with self.db.transaction(update) as conn:
            created = False
            if new_client:
                client_id, created = await create_client(conn, rm_id, new_client, now)
            cursor = await conn.execute(INSERT_CONTACT, (
                rm_id, client_id, raw_text, client_name, channel,
                occurred_on.isoformat() if occurred_on else None, amount,
                (currency or "CNY") if amount is not None else None, amount_max if amount is not None else None,
                int(created),
                message_id, now.isoformat(), int(date_asked)))
            if cursor.rowcount == 0:  # this message is stored already: undo the client it just made
                async with conn.execute(SELECT_CONTACT_ID_BY_MESSAGE, (rm_id, message_id)) as found:
                    existing = await found.fetchone()
                assert existing is not None, "no row inserted: the message's note is stored already"
                if created:
                    await conn.execute(DELETE_CLIENT_IF_UNUSED, (rm_id, client_id, rm_id, client_id))
                return int(existing[0]), False
            assert cursor.lastrowid is not None, "set by the INSERT"
            contact_id = int(cursor.lastrowid)
            if closes_follow_up is not None:
                await conn.execute(MARK_FOLLOW_UP_DONE, (now.isoformat(), rm_id, closes_follow_up))
            for product in needs:
                await conn.execute(INSERT_NEED, (contact_id, product))
            if follow_up_on:
                await conn.execute(INSERT_FOLLOW_UP, (
                    rm_id, client_id, contact_id, follow_up_on.isoformat(),
                    follow_up_time.strftime("%H:%M") if follow_up_time else None, now.isoformat()))
        return contact_id, True

    async def between(self, rm_id: int, start: date, end: date) -> list[Contact]:
        rows = await self.db.fetch_all(SELECT_BETWEEN, (rm_id, start.isoformat(), end.isoformat()))
        return [_contact(row) for row in rows]

    async def all(self, rm_id: int) -> list[Contact]:
        return [_contact(row) for row in await self.db.fetch_all(SELECT_ALL, (rm_id,))]

    async def for_client(self, rm_id: int, client_id: int, limit: int, offset: int = 0) -> tuple[list[Contact], int]:
        """One page of a client's timeline, newest first, and how many contacts there are."""
        rows = await self.db.fetch_all(SELECT_FOR_CLIENT, (rm_id, client_id, limit, offset))
        total = await self.db.fetch_value(COUNT_FOR_CLIENT, (rm_id, client_id))
        return [_contact(row) for row in rows], int(total)

    async def search(self, rm_id: int, words: str, products: tuple[str, ...], limit: int,
                     offset: int = 0) -> tuple[list[Contact], int]:
        """One page of the RM's notes that mention `words` or were filed with one of `products`,
        newest first, and how many there are. LIKE is case-insensitive for Latin letters."""
        pattern = "%" + words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        values = (rm_id, pattern, pattern, pattern, pattern, json.dumps(list(products)))
        rows = await self.db.fetch_all(SELECT_SEARCH, (*values, limit, offset))
        total = await self.db.fetch_value(COUNT_SEARCH, values)
        return [_contact(row) for row in rows], int(total)

    async def last_contacts(self, rm_id: int, until: date | None = None) -> dict[int, date]:
        """Each client's last logged contact (up to `until`): what cadence reminders count from."""
        rows = await self.db.fetch_all(SELECT_LAST_CONTACTS, (rm_id, until.isoformat() if until else "9999-12-31"))
        return {row["client_id"]: date.fromisoformat(row["last"]) for row in rows}

    async def first_contacts(self, rm_id: int) -> dict[int, date]:
        """Each client's first logged contact: a client is new in the period it falls in."""
        rows = await self.db.fetch_all(SELECT_FIRST_CONTACTS, (rm_id,))
        return {row["client_id"]: date.fromisoformat(row["first"]) for row in rows}

    async def by_message(self, rm_id: int, message_id: int) -> int | None:
        """The note stored from a Telegram message, if any."""
        row = await self.db.fetch_one(SELECT_CONTACT_ID_BY_MESSAGE, (rm_id, message_id))
        return int(row[0]) if row else None

    async def all_by_message(self, rm_id: int, message_id: int) -> list[int]:
        """Every note stored from a Telegram message (one per client it named)."""
        rows = await self.db.fetch_all(SELECT_CONTACT_IDS_BY_MESSAGE, (
            rm_id, message_id, companion_message_id(message_id, COMPANIONS - 1), companion_message_id(message_id, 1)))
        return [int(row[0]) for row in rows]

    async def last_message_id(self, rm_id: int) -> int:
        """The highest Telegram message id a stored note came from (0 if none)."""
        return int(await self.db.fetch_value(SELECT_LAST_MESSAGE_ID, (rm_id,)) or 0)

    async def get(self, rm_id: int, contact_id: int) -> Contact | None:
        row = await self.db.fetch_one(SELECT_CONTACT, (rm_id, contact_id))
        return _contact(row) if row else None

    async def recent(self, rm_id: int, limit: int = 5) -> list[Contact]:
        return [_contact(row) for row in await self.db.fetch_all(SELECT_RECENT, (rm_id, limit))]

    async def delete(self, rm_id: int, contact_id: int, update: UpdateKey | None = None) -> Contact | None:
        """Undo a note: the note, its needs and follow-ups, and the client it created if now unused."""
        contact = await self.get(rm_id, contact_id)
        if contact is None:
            return None
        async with self.db.transaction(update) as conn:
            await conn.execute(DELETE_CONTACT, (rm_id, contact_id))
            if contact.created_client and contact.client_id:
                await conn.execute(DELETE_CLIENT_IF_UNUSED, (rm_id, contact.client_id, rm_id, contact.client_id))
        return contact

    async def note_of(self, rm_id: int, contact_id: int) -> list[Contact]:
        """Every contact stored from the same message as this one (one per client the note named),
        oldest first; a contact without a message (a digest's Done) alone."""
        contact = await self.get(rm_id, contact_id)
        if contact is None:
            return []
        if contact.note_id is None:
            return [contact]
        ids = await self.all_by_message(rm_id, contact.note_id)
        found = [await self.get(rm_id, i) for i in ids]
        return [c for c in found if c is not None] or [contact]

    async def delete_note(self, rm_id: int, contact_id: int, update: UpdateKey | None = None) -> list[Contact]:
        """Undo a whole note: every client's contact it created, with their needs, follow-ups,
        profile facts and policies (ON DELETE CASCADE), and the clients it created if now unused,
        in one transaction. The contacts removed (none: already gone)."""
        contacts = await self.note_of(rm_id, contact_id)
        if not contacts:
            return []
        async with self.db.transaction(update) as conn:
            for contact in contacts:
                await conn.execute(DELETE_CONTACT, (rm_id, contact.id))
            for contact in contacts:
                if contact.created_client and contact.client_id:
                    await conn.execute(DELETE_CLIENT_IF_UNUSED, (rm_id, contact.client_id, rm_id, contact.client_id))
        return contacts

    async def set_client(self, rm_id: int, contact_id: int, client_id: int | None = None,
                         new_client: str | None = None, now: datetime | None = None) -> Contact | None:
        """Point a note at another client (or a new one); a client this note created and left empty goes."""
        contact = await self.get(rm_id, contact_id)
        if contact is None:
            return None
        async with self.db.transaction() as conn:
            created = False
            if new_client:
                assert now is not None
                client_id, created = await create_client(conn, rm_id, new_client, now)
            await conn.execute(SET_CLIENT, (client_id, int(created), rm_id, contact_id))
            await conn.execute(SET_FOLLOW_UP_CLIENT, (client_id, rm_id, contact_id))
            await conn.execute(SET_FACTS_CLIENT, (client_id, rm_id, contact_id))
            if client_id is not None:
                await conn.execute(SET_HOLDINGS_CLIENT, (client_id, rm_id, contact_id))
                await conn.execute(SET_HOLDINGS_CLIENT_RENAMED, (client_id, rm_id, contact_id, client_id))
            if contact.created_client and contact.client_id and contact.client_id != client_id:
                await conn.execute(DELETE_CLIENT_IF_UNUSED, (rm_id, contact.client_id, rm_id, contact.client_id))
        return await self.get(rm_id, contact_id)

    async def date_asked(self, rm_id: int) -> list[Contact]:
        """Notes whose date phrase was asked and no reading tapped yet, oldest first."""
        return [_contact(row) for row in await self.db.fetch_all(SELECT_DATE_ASKED, (rm_id,))]

    async def close_date_question(self, rm_id: int, contact_id: int) -> None:
        """A reading was tapped: the note's date question is answered."""
        async with self.db.transaction() as conn:
            await conn.execute(CLOSE_DATE_QUESTION, (rm_id, contact_id))

    async def pending_clients(self, rm_id: int) -> list[Contact]:
        """Notes waiting for the RM to say whose they are (the client asked, not yet answered), oldest first."""
        return [_contact(row) for row in await self.db.fetch_all(SELECT_PENDING, (rm_id,))]

    async def file_pending(self, rm_id: int, contact_ids: list[int], client_id: int) -> int:
        """File notes still waiting for their client under `client_id`, with their follow-ups,
        profile facts and insurance holdings (as set_client), in one transaction: how many were
        filed (one answered meanwhile is left)."""
        filed = 0
        async with self.db.transaction() as conn:
            for contact_id in contact_ids:
                cursor = await conn.execute(SET_PENDING_CLIENT, (client_id, rm_id, contact_id))
                if cursor.rowcount:
                    filed += 1
                    await conn.execute(SET_FOLLOW_UP_CLIENT, (client_id, rm_id, contact_id))
                    await conn.execute(SET_FACTS_CLIENT, (client_id, rm_id, contact_id))
                    await conn.execute(SET_HOLDINGS_CLIENT, (client_id, rm_id, contact_id))
                    await conn.execute(SET_HOLDINGS_CLIENT_RENAMED, (client_id, rm_id, contact_id, client_id))
        return filed

    async def skip_client(self, rm_id: int, contact_id: int) -> Contact | None:
        """The RM says a waiting note belongs to no client: it stays a note (its raw text keeps the
        name) and is no longer asked about."""
        async with self.db.transaction() as conn:
            await conn.execute(SKIP_PENDING, (rm_id, contact_id))
        return await self.get(rm_id, contact_id)

    async def set_client_name(self, rm_id: int, contact_id: int, name: str) -> None:
        async with self.db.transaction() as conn:
            await conn.execute(SET_CLIENT_NAME, (name, rm_id, contact_id))

    async def set_field(self, rm_id: int, contact_id: int, field: str, value) -> Contact | None:
        column = EDITABLE_COLUMNS[field]  # from a fixed map, never from user text
        if isinstance(value, date):
            value = value.isoformat()
        async with self.db.transaction() as conn:
            await conn.execute(f"UPDATE contacts SET {column} = ? WHERE rm_id = ? AND id = ?",
                               (value, rm_id, contact_id))
        return await self.get(rm_id, contact_id)

    async def set_amount(self, rm_id: int, contact_id: int, amount: float | None, currency: str | None,
                         amount_max: float | None = None) -> Contact | None:
        """The amount with its currency (and a range's upper end); None clears all three."""
        values = (amount, currency if amount is not None else None, amount_max if amount is not None else None)
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE contacts SET amount = ?, currency = ?, amount_max = ? WHERE rm_id = ? AND id = ?",
                (*values, rm_id, contact_id))
        return await self.get(rm_id, contact_id)

    async def set_needs(self, rm_id: int, contact_id: int, needs: tuple[str, ...]) -> Contact | None:
        contact = await self.get(rm_id, contact_id)
        if contact is None:
            return None
        async with self.db.transaction() as conn:
            await conn.execute(DELETE_NEEDS, (rm_id, contact_id))
            for product in needs:
                await conn.execute(INSERT_NEED, (contact_id, product))
        return await self.get(rm_id, contact_id)

    async def set_follow_up(self, rm_id: int, contact_id: int, due_on: date | None, due_time: time | None,
                            now: datetime) -> Contact | None:
        contact = await self.get(rm_id, contact_id)
        if contact is None:
            return None
        async with self.db.transaction() as conn:
            await conn.execute(DELETE_FOLLOW_UPS, (rm_id, contact_id))
            if due_on:
                await conn.execute(INSERT_FOLLOW_UP, (
                    rm_id, contact.client_id, contact_id, due_on.isoformat(),
                    due_time.strftime("%H:%M") if due_time else None, now.isoformat()))
        return await self.get(rm_id, contact_id)

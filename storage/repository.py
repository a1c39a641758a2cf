"""The one object handlers talk to for data: rms, clients and contacts, all scoped by RM."""

from __future__ import annotations

from pathlib import Path

from storage.clients import ClientStore
from storage.contacts import ContactStore
from storage.database import Database
from storage.faq_log import FaqLogStore
from storage.rms import RMStore


class Repository:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.rms = RMStore(db)
        self.clients = ClientStore(db)
        self.contacts = ContactStore(db)
        self.faq_log = FaqLogStore(db)

    @classmethod
    async def open(cls, path: str | Path) -> Repository:
        return cls(await Database.open(path))

    async def close(self) -> None:
        await self.db.close()

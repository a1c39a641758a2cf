"""The one object handlers talk to for data: rms, clients, contacts, holdings… all scoped by RM."""

from __future__ import annotations

from pathlib import Path

from storage.access_config import AccessConfigStore
from storage.audit import AuditStore
from storage.awaited import AwaitedStore
from storage.client_facts import ClientFactStore
from storage.clients import ClientStore
from storage.contacts import ContactStore
from storage.database import Database
from storage.deliveries import DeliveryStore
from storage.faq_log import FaqLogStore
from storage.follow_ups import FollowUpStore
from storage.holdings import HoldingStore
from storage.notices import NoticeStore
from storage.reviews import ReviewStore
from storage.rms import RMStore
from storage.snoozes import SnoozeStore
from storage.update_log import UpdateLog


class Repository:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.rms = RMStore(db)
        self.clients = ClientStore(db)
        self.client_facts = ClientFactStore(db)
        self.contacts = ContactStore(db)
        self.faq_log = FaqLogStore(db)
        self.follow_ups = FollowUpStore(db)
        self.holdings = HoldingStore(db)
        self.notices = NoticeStore(db)
        self.reviews = ReviewStore(db)
        self.snoozes = SnoozeStore(db)
        self.deliveries = DeliveryStore(db)
        self.audit = AuditStore(db)
        self.awaited = AwaitedStore(db)
        self.update_log = UpdateLog(db)
        self.access_config = AccessConfigStore(db)

    @classmethod
    async def open(cls, path: str | Path, backup_dir: str | Path | None = None) -> Repository:
        """Open (and migrate, backing up first: Database.open) the database at PATH."""
        return cls(await Database.open(path, backup_dir=backup_dir))

    async def close(self) -> None:
        await self.db.close()

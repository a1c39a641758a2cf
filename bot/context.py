"""The typed context handlers receive: the repository, settings, clock and the asking RM."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, timezone, tzinfo
from zoneinfo import ZoneInfo

from telegram.ext import Application, CallbackContext, ExtBot

from bot.config import Settings
from bot.faq import FaqIndex
from bot.outbound import OutboundQueue
from bot.push.reminders import ReminderPusher
from bot.records import RMProfile
from storage import Repository
from bot.update_order import UnreadableUpdates
from storage.update_log import UpdateKey


def system_clock() -> datetime:
    return datetime.now(timezone.utc)


class BotData:
    """Application-wide state, set by the composition root (bot.application)."""

    def __init__(self) -> None:
        self.settings: Settings = Settings()
        self.repo: Repository | None = None
        self.clock: Callable[[], datetime] = system_clock
        self.started_at: datetime = system_clock()
        self.faq: FaqIndex | None = None
        self.pusher: ReminderPusher | None = None  # digests and timed follow-ups (post_init)
        self.outbound: OutboundQueue | None = None  # every send goes through it (the rate limiter)
        self.outbox_busy: bool = False               # the outbox job is sending (jobs.outbox_job)
        self.refused_at: dict[int, datetime] = {}     # strangers told "not for you", last time
        self.schedule: bool = True
        # set once the start's catch-up has run: the console and tests begin after it, so a
        # catch-up digest never lands in the middle of what they type
        self.caught_up: asyncio.Event = asyncio.Event()
        self.audit_access: bool = False                # only the bot service audits access changes
        self.errors: list[datetime] = []             # handler and push failures (for /status)
        self.alerted_at: datetime | None = None      # last alert to admins (rate limited)
        self.unreadable: UnreadableUpdates = UnreadableUpdates()  # updates skipped as unparsable
        # storage (bot.storage_alerts): the failing episode alerted, since when, file and disk alerts
        self.storage_alerted: int = 0
        self.storage_failing_since: datetime | None = None
        self.file_alerted: str | None = None
        self.disk_alerted: bool = False


class BotContext(CallbackContext[ExtBot, dict, dict, BotData]):
    def __init__(self, application: Application, chat_id: int | None = None, user_id: int | None = None) -> None:
        super().__init__(application, chat_id=chat_id, user_id=user_id)
        self.rm: RMProfile | None = None  # set by the access guard for every served update
        # this update's key, for effects that must happen once even when Telegram re-delivers it
        self.update_key: UpdateKey | None = None

    @property
    def repo(self) -> Repository:
        assert self.bot_data.repo is not None, "the repository opens in post_init"
        return self.bot_data.repo

    @property
    def settings(self) -> Settings:
        return self.bot_data.settings

    def now(self) -> datetime:
        return self.bot_data.clock()

    @property
    def pusher(self) -> ReminderPusher:
        assert self.bot_data.pusher is not None, "the pusher is made in post_init"
        return self.bot_data.pusher

    @property
    def faq(self) -> FaqIndex:
        assert self.bot_data.faq is not None, "the FAQ loads when the application is built"
        return self.bot_data.faq

    @property
    def is_admin(self) -> bool:
        return self.rm is not None and self.rm.user_id in self.settings.access.admin_user_ids

    @property
    def profile(self) -> RMProfile:
        assert self.rm is not None, "the access guard sets the RM before any handler runs"
        return self.rm

    @property
    def language(self) -> str:
        return self.rm.language if self.rm else self.settings.defaults.language

    @property
    def tz(self) -> tzinfo:
        return ZoneInfo(self.rm.timezone if self.rm else self.settings.defaults.timezone)

    def today(self):
        return self.now().astimezone(self.tz).date()

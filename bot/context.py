"""The typed context handlers receive: the repository, settings, clock and the asking RM."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, tzinfo
from typing import Any, NoReturn
from zoneinfo import ZoneInfo

from telegram.ext import Application, CallbackContext, ExtBot

from bot.config import Settings
from bot.faq import FaqEntry, FaqIndex
from bot.outbound import OutboundQueue
from bot.push.reminders import ReminderPusher
from bot.update_order import UnreadableUpdates
from storage import Repository
from storage.records import RMProfile
from storage.update_log import UpdateKey


def system_clock() -> datetime:
    return datetime.now(UTC)


class BotData:
    """Application-wide state, set by the composition root (bot.application)."""

    def __init__(self) -> None:
        self.settings: Settings = Settings()
        self.repo: Repository | None = None
        self.clock: Callable[[], datetime] = system_clock
        self.started_at: datetime = system_clock()
        self._faq: FaqIndex | None = None           # built off the start path from faq_entries
        self._faq_build: asyncio.Future[FaqIndex] | None = None  # the build in a thread, once started
        self.faq_entries: list[FaqEntry] = []
        self.faq_warming: asyncio.Task | None = None
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


    @property
    def faq(self) -> FaqIndex:
        """The FAQ index: built after start (bot.application.warm_faq), or here on first use if a
        question comes before that (the entries were read and checked when the application was built).
        Handlers await `faq_index()` instead, which never blocks the event loop."""
        if self._faq is None:
            self._faq = FaqIndex(self.faq_entries)
        return self._faq

    @faq.setter
    def faq(self, index: FaqIndex) -> None:
        self._faq = index

    async def faq_index(self) -> FaqIndex:
        """The FAQ index, built in a thread if it is not yet (one build, however many ask meanwhile)."""
        if self._faq is None:
            if self._faq_build is None:
                self._faq_build = asyncio.ensure_future(asyncio.to_thread(FaqIndex, self.faq_entries))
            index = await asyncio.shield(self._faq_build)
            if self._faq is None:  # not replaced meanwhile by a /faq_reload
                self._faq = index
        return self._faq

    def stop_faq_build(self) -> None:
        """At shutdown: a build still running is abandoned (its thread ends on its own), so no task is
        left pending when the event loop closes."""
        for task in (self.faq_warming, self._faq_build):
            if task is not None and not task.done():
                task.cancel()

    @property
    def faq_topics(self) -> dict[str, FaqEntry]:
        """The entries by id, for topic lists and buttons: they need no index."""
        if self._faq is not None:
            return self._faq.entries
        return {entry.id: entry for entry in self.faq_entries}

    @property
    def faq_built(self) -> bool:
        return self._faq is not None


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

    @property
    def user_data(self) -> dict:
        """The RM's conversation state (every served update has a user; jobs are scheduled with one)."""
        data = super().user_data
        assert data is not None, "an update or job with a user"
        return data

    @user_data.setter
    def user_data(self, _: object) -> NoReturn:
        raise AttributeError("user_data is not assigned; change its items")

    @property
    def job_data(self) -> Any:
        """The data a job was scheduled with (only in a job's callback)."""
        assert self.job is not None, "a job's callback"
        return self.job.data

    def now(self) -> datetime:
        return self.bot_data.clock()

    @property
    def pusher(self) -> ReminderPusher:
        assert self.bot_data.pusher is not None, "the pusher is made in post_init"
        return self.bot_data.pusher

    @property
    def faq(self) -> FaqIndex:
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

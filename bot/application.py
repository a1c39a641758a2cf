"""The composition root: builds the one Application the bot, the console and the tests run."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from functools import partial
from typing import Any, NoReturn
from zoneinfo import ZoneInfo

from telegram import BotCommand
from telegram.constants import ParseMode
from telegram.ext import Application, ApplicationBuilder, ContextTypes, Defaults
from telegram.request import BaseRequest

from bot.access_changes import access_changes, access_snapshot
from bot.config import Settings
from bot.context import BotContext, BotData, system_clock
from bot.faq import faq_directory, load_faq
from bot.health import check_health
from bot.jobs import schedule_all
from bot.log_safety import protect_logs
from bot.outbound import Clock, OutboundQueue
from bot.parsing.company_words import load_dictionary
from bot.push.reminders import ReminderPusher
from bot.strings import LANGUAGES, catalog
from bot.update_order import DEFAULT_MAX_CONCURRENT_UPDATES, PerUserUpdateProcessor, ProcessedOffsetUpdater
from handlers import register_handlers
from storage import Repository

log = logging.getLogger(__name__)
# Opt in to PTB 23's behaviour now: RetryAfter.retry_after is a timedelta (the sender handles it).
os.environ.setdefault("PTB_TIMEDELTA", "1")

#: The command menu, in the order Telegram shows it.
MENU = ("start", "help", "note", "find", "undo", "due", "today", "week", "month", "client", "clients", "review",
        "notify", "export", "chart", "faq", "settings", "cancel")
OFFLINE_TOKEN = "0:offline"


class RMApplication(Application):
    """PTB's Application, which turns away pushes still waiting for their turn before it stops.

    PTB's stop() waits for every running job; digests queued in the outbound queue would hold
    a SIGTERM for half a minute. Stopping the pushes first lets each send already under way
    finish and be logged, and leaves the rest, unclaimed, to the next start's catch-up.
    """

    async def stop(self) -> None:
        self._stop_pushes()
        await super().stop()

    def _stop_pushes(self) -> None:
        outbound = self.bot_data.outbound
        if outbound is not None:
            outbound.stop_pushes()

    def _raise_system_exit(self) -> NoReturn:  # type: ignore[override]  # PTB's staticmethod, called as self._raise_system_exit
        """SIGTERM under run_polling/run_webhook: pushes stop at once, before the Updater drains
        the updates in progress (PTB 22's signal handler)."""
        self._stop_pushes()
        super()._raise_system_exit()

    def stop_running(self) -> None:
        self._stop_pushes()
        super().stop_running()


def build_application(settings: Settings, *, request: BaseRequest | None = None,
                      clock: Callable[[], datetime] = system_clock, schedule: bool = True,
                      audit_access: bool = False, pace_clock: Clock | None = None) -> Application:
    """The Application with its Defaults, context types, lifecycle hooks and handlers.

    schedule=False leaves the push jobs out (operator commands that send on their own).
    audit_access=True (the bot service, `run`) audits changes of the access configuration; the
    console and operator commands run with other access lists and must not.
    pace_clock is the time the outbound queue paces by: the wall clock, or the offline Bot
    API's own (virtual in the suite) when the request is one.
    """
    protect_logs(settings.telegram.token, settings.telegram.webhook_secret)  # never in a log line
    outbound = OutboundQueue(settings.push.limits(), pace_clock or getattr(request, "pace_clock", None))
    builder = (
        ApplicationBuilder()
        .application_class(RMApplication)
        .token(settings.telegram.token or OFFLINE_TOKEN)
        .base_url(settings.telegram.api_base_url)
        .base_file_url(settings.telegram.api_file_url)
        .defaults(Defaults(parse_mode=ParseMode.HTML, tzinfo=ZoneInfo(settings.defaults.timezone)))
        .context_types(ContextTypes(context=BotContext, bot_data=BotData))
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
        # many RMs at once, each RM's updates in the order sent
        .concurrent_updates(PerUserUpdateProcessor(DEFAULT_MAX_CONCURRENT_UPDATES))
        .rate_limiter(outbound)  # every send and edit goes through the one outbound path
    )
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    application = builder.build()
    # confirm an update to Telegram only once handled, so kill -9 loses nothing unacknowledged
    application.updater = ProcessedOffsetUpdater.for_application(application)
    application.bot_data.settings = settings
    application.bot_data.outbound = outbound
    application.bot_data.clock = clock
    application.bot_data.started_at = clock()
    application.bot_data.schedule = schedule
    application.bot_data.audit_access = audit_access
    application.bot_data.unreadable = application.updater.unreadable  # counted in /status
    application.updater.serve_health(partial(_health, application))  # GET /healthz in webhook mode
    # read and checked now (a bad FAQ file stops the start); indexed after start (warm_faq)
    application.bot_data.faq_entries = load_faq(faq_directory(settings.faq.directory))
    register_handlers(application)
    return application


async def _health(application: Application) -> tuple[int, dict[str, Any]]:
    return (await check_health(application, time.monotonic())).answer()


async def _post_init(application: Application) -> None:
    """Open the database (migrating it) and register the command menu in both languages."""
    data: BotData = application.bot_data
    data.repo = await Repository.open(data.settings.storage.database, data.settings.backup.directory)
    if data.audit_access:
        await audit_access_changes(data.repo, data.settings, data.clock())
    data.pusher = ReminderPusher(data.repo, data.settings, data.clock, data.outbound)
    if data.schedule:
        await schedule_all(application)
    for language in LANGUAGES:
        strings = catalog(language)
        commands = [BotCommand(name, strings[f"commands.{name}"]) for name in MENU]
        await application.bot.set_my_commands(commands, language_code=language)
    default = catalog(data.settings.defaults.language)
    await application.bot.set_my_commands([BotCommand(name, default[f"commands.{name}"]) for name in MENU])
    log.info("started; database %s", data.settings.storage.database)
    data.faq_warming = asyncio.get_running_loop().create_task(warm_faq(data), name="warm_faq")


#: The FAQ index (jieba's dictionary, ~0.3-1 s of CPU) is built this long after start, in a thread:
#: not on the way to the first getUpdates.
FAQ_WARM_DELAY = 1.0


async def warm_faq(data: BotData, delay: float = FAQ_WARM_DELAY) -> None:
    await asyncio.sleep(delay)
    await data.faq_index()  # the same build a question asked meanwhile waits for
    await asyncio.to_thread(load_dictionary)   # the words client matching tells from names (~0.3 s)


async def audit_access_changes(repo: Repository, settings: Settings, now: datetime) -> None:
    """Audit who gained or lost access since the bot last ran (access is configuration)."""
    changes = await repo.access_config.record(access_snapshot(settings.access), access_changes, now)
    if changes:
        log.info("access changed since the last run: %d audit entries", len(changes))


async def _post_shutdown(application: Application) -> None:
    data: BotData = application.bot_data
    data.stop_faq_build()
    if data.repo is not None:
        await data.repo.close()
        data.repo = None


@asynccontextmanager
async def running(application: Application) -> AsyncIterator[Application]:
    """Start an Application without polling (console, tests), with the same lifecycle hooks."""
    await application.initialize()
    if application.post_init:
        await application.post_init(application)
    await application.start()
    if application.bot_data.schedule:
        with contextlib.suppress(TimeoutError):  # a catch-up still sending after 10 s goes on beside
            await asyncio.wait_for(application.bot_data.caught_up.wait(), 10)
    try:
        yield application
    finally:
        if application.running:
            await application.stop()
        await application.shutdown()
        if application.post_shutdown:
            await application.post_shutdown(application)

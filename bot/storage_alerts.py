"""Telling admins about the storage: once when writes start failing, once when they work again.

The database counts its failures (`Database.health`, no clock); this module, which has the
clock, turns them into one alert per problem, a /status line, and the periodic check that the
database file is still the one the bot opened and the disk still has room.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram.error import TelegramError

from bot.context import BotContext
from bot.strings import t
from storage.checks import disk_space

log = logging.getLogger(__name__)

#: How often the database file and the disk are looked at.
WATCH_EVERY = timedelta(seconds=30)


async def _tell_admins(context: BotContext, key: str, **values) -> None:
    language = context.settings.defaults.language
    for admin_id in context.settings.access.admin_user_ids:
        try:
            await context.bot.send_message(admin_id, t(language, key, **values))
        except TelegramError:
            log.warning("could not alert admin %s about the storage", admin_id)


def reason_text(language: str, reason: str) -> str:
    return t(language, f"storage.reason_{reason}")


async def storage_failed(context: BotContext) -> None:
    """A write failed for the storage: the admins hear it once per problem (not once per note)."""
    data = context.bot_data
    health = data.repo.db.health if data.repo is not None else None
    data.errors.append(data.clock())
    if health is None or health.problem is None or data.storage_alerted == health.episode:
        return
    data.storage_alerted = health.episode
    data.storage_failing_since = data.clock()
    log.error("storage failing: %s", health.problem)
    if health.file_problem is not None:  # the one alert says which: deleted or replaced
        if data.file_alerted != health.file_problem:  # (unless the periodic check said it already)
            await _alert_file(context, health.file_problem)
        return
    await _tell_admins(context, "storage.alert_failing",
                       reason=reason_text(context.settings.defaults.language, health.problem))


async def _alert_file(context: BotContext, problem: str) -> None:
    context.bot_data.file_alerted = problem
    log.error("the database file was %s", problem)
    await _tell_admins(context, "storage.alert_file", path=context.repo.db.path,
                       problem=t(context.settings.defaults.language, f"storage.file_{problem}"))


async def storage_watch_job(context: BotContext) -> None:
    """Every WATCH_EVERY: the file deleted or replaced, the disk nearly full, a problem over."""
    data = context.bot_data
    if data.repo is None or data.repo.db.in_memory:
        return
    db = data.repo.db
    problem = db.file_problem()
    if problem != data.file_alerted:
        if problem is None:
            data.file_alerted = None
        else:
            await _alert_file(context, problem)
    try:
        space = disk_space(db.path)
    except OSError:
        space = None
    if space is not None and space.enough and data.disk_alerted:
        data.disk_alerted = False  # room again: the next shortage is alerted anew
    elif space is not None and not space.enough and not data.disk_alerted:
        data.disk_alerted = True
        log.error("disk nearly full: %s", space.describe())
        await _tell_admins(context, "storage.alert_disk", space=space.describe())
    if db.health.problem is None and data.storage_failing_since is not None:
        data.storage_failing_since = None
        log.info("storage back after %d failed writes", db.health.failed_writes)
        await _tell_admins(context, "storage.alert_back", failed=db.health.failed_writes)


def status_line(context: BotContext) -> str:
    """The /status line: OK, or what fails since when and how many writes were lost to it."""
    data, language = context.bot_data, context.language
    db = context.repo.db
    if db.health.file_problem:
        return t(language, "storage.status_file", problem=t(language, f"storage.file_{db.health.file_problem}"))
    if db.health.problem is None:
        return t(language, "storage.status_ok")
    since = data.storage_failing_since or data.clock()
    return t(language, "storage.status_failing", reason=reason_text(language, db.health.problem),
             since=since.astimezone(context.tz).strftime("%Y-%m-%d %H:%M"), failed=db.health.failed_writes)

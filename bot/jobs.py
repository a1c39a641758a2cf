"""Scheduled pushes on PTB's JobQueue, rebuilt from the database at every start.

PTB jobs live in memory only, so the database is the truth: at start every active RM gets a
daily `digest <chat id>` job and every open timed follow-up a `follow_up <chat id> <id>` job,
and a one-off catch-up sends what came due while the bot was down (today's only).
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from telegram.ext import Application, JobQueue

from bot.alerts import alert_admins
from bot.storage_alerts import WATCH_EVERY, storage_watch_job
from bot.context import BotContext
from bot.strings import t
from bot.records import FollowUp, RMProfile
from bot.reminders.schedule import digest_due, follow_up_moment

log = logging.getLogger(__name__)

#: How often the running bot looks for digests `push-digests` handed to it.
OUTBOX_EVERY = timedelta(seconds=1)


def digest_job_name(chat_id: int) -> str:
    return f"digest {chat_id}"


def follow_up_job_name(chat_id: int, follow_up_id: int) -> str:
    return f"follow_up {chat_id} {follow_up_id}"


def team_job_name(chat_id: int) -> str:
    return f"team {chat_id}"


def _replace(job_queue: JobQueue, name: str) -> None:
    for job in job_queue.get_jobs_by_name(name):
        job.schedule_removal()


def schedule_digest(job_queue: JobQueue, rm: RMProfile) -> None:
    """(Re)schedule the RM's daily digest at their digest time in their timezone."""
    _replace(job_queue, digest_job_name(rm.chat_id))
    if not rm.active:
        return
    at = time.fromisoformat(rm.digest_time).replace(tzinfo=ZoneInfo(rm.timezone))
    job_queue.run_daily(digest_job, at, name=digest_job_name(rm.chat_id), data=rm.user_id,
                        chat_id=rm.chat_id, user_id=rm.user_id)


def schedule_follow_up(job_queue: JobQueue, rm: RMProfile, follow_up: FollowUp, now: datetime) -> None:
    """(Re)schedule a timed follow-up's push; one without a time, or already past, has none."""
    name = follow_up_job_name(rm.chat_id, follow_up.id)
    _replace(job_queue, name)
    moment = follow_up_moment(follow_up, ZoneInfo(rm.timezone))
    if moment is None or moment <= now or follow_up.status != "open":
        return
    job_queue.run_once(follow_up_job, moment, name=name, data=(rm.user_id, follow_up.id),
                       chat_id=rm.chat_id, user_id=rm.user_id)


async def schedule_all(application: Application) -> None:
    """Rebuild every job from the database, then catch up on what is already due."""
    data = application.bot_data
    repo, job_queue, now = data.repo, application.job_queue, data.clock()
    rms = {rm.user_id: rm for rm in await repo.rms.active()}
    for rm in rms.values():
        schedule_digest(job_queue, rm)
    for rm_id, _chat_id, _timezone, follow_up in await repo.follow_ups.timed_open((now - timedelta(days=1)).date()):
        if rm_id in rms:
            schedule_follow_up(job_queue, rms[rm_id], follow_up, now)
    for supervisor_id in data.settings.access.supervisors:
        profile = await repo.rms.get(supervisor_id)
        zone = ZoneInfo(profile.timezone if profile else data.settings.defaults.timezone)
        at = time.fromisoformat(data.settings.defaults.team_time).replace(tzinfo=zone)
        _replace(job_queue, team_job_name(supervisor_id))
        job_queue.run_daily(team_job, at, name=team_job_name(supervisor_id), data=supervisor_id,
                            chat_id=supervisor_id, user_id=supervisor_id)
    backup = data.settings.backup
    if backup.daily_at:
        _replace(job_queue, "backup")
        at = time.fromisoformat(backup.daily_at).replace(tzinfo=ZoneInfo(data.settings.defaults.timezone))
        job_queue.run_daily(backup_job, at, name="backup")
    _replace(job_queue, "update_log")
    job_queue.run_repeating(prune_update_log_job, interval=timedelta(hours=6), first=timedelta(minutes=1),
                            name="update_log")
    _replace(job_queue, "storage_watch")  # the database file deleted or replaced, the disk nearly full
    job_queue.run_repeating(storage_watch_job, interval=WATCH_EVERY, first=WATCH_EVERY, name="storage_watch")
    _replace(job_queue, "outbox")
    job_queue.run_repeating(outbox_job, interval=OUTBOX_EVERY, first=OUTBOX_EVERY, name="outbox")
    job_queue.run_once(catch_up_job, 0, name="catch_up")
    log.info("scheduled %d digests", len(rms))


async def digest_job(context: BotContext) -> None:
    """The daily digest of one RM (skipped on non-working days when the RM asked for that)."""
    data = context.bot_data
    rm = await data.repo.rms.get(context.job.data)
    if rm is None or not rm.active:
        return
    day = digest_due(data.clock(), rm, ZoneInfo(rm.timezone), data.pusher.calendar)
    if day is not None and await data.pusher.push_digest(context.bot, rm, day) == "failed":
        await alert_admins(context, t(data.settings.defaults.language, "status.alert_push", failed=1, blocked=0, total=1))


async def follow_up_job(context: BotContext) -> None:
    """A timed follow-up's push."""
    rm_id, follow_up_id = context.job.data
    rm = await context.bot_data.repo.rms.get(rm_id)
    if rm is not None and rm.active:
        await context.bot_data.pusher.push_follow_up(context.bot, rm, follow_up_id)


async def team_job(context: BotContext) -> None:
    """A supervisor's evening team summary."""
    data = context.bot_data
    profile = await data.repo.rms.get(context.job.data)
    zone = ZoneInfo(profile.timezone if profile else data.settings.defaults.timezone)
    await data.pusher.push_team(context.bot, context.job.data, data.clock().astimezone(zone).date())


async def backup_job(context: BotContext) -> None:
    """The daily online backup, rotated to [backup] keep; a failure alerts the admins."""
    from storage.backup import backup_now

    data = context.bot_data
    try:
        result = await backup_now(data.repo.db, data.settings.backup.directory, data.settings.backup.keep)
        await data.repo.audit.record(0, "backup", str(result.path), data.clock())
    except Exception as error:
        log.error("daily backup failed: %s", type(error).__name__)
        await alert_admins(context, t(data.settings.defaults.language, "status.alert_backup", error=type(error).__name__))


async def prune_update_log_job(context: BotContext) -> None:
    """Forget handled updates older than Telegram could deliver again."""
    pruned = await context.bot_data.repo.update_log.prune(context.bot_data.clock())
    if pruned:
        log.info("update log: %d old rows pruned", pruned)


async def outbox_job(context: BotContext) -> None:
    """Send what `push-digests` queued in the delivery log, on this bot's one sending budget."""
    data = context.bot_data
    if data.outbox_busy or data.pusher.stopped:  # the previous round is still sending, or stopping
        return
    data.outbox_busy = True

    async def drain() -> None:
        try:
            outcomes = await data.pusher.push_queued_digests(context.bot)
        finally:
            data.outbox_busy = False
        if outcomes:
            log.info("digests handed over by push-digests: %s", dict(outcomes))

    context.application.create_task(drain(), name="outbox")  # the job returns: the next tick is not skipped

async def catch_up_job(context: BotContext) -> None:
    """After a start: today's digests, timed follow-ups and team summaries that came due while
    the bot was down (or were turned away by the last stop)."""
    pusher = context.bot_data.pusher
    try:
        digests = await pusher.push_all_digests(context.bot, only_due=True)
        follow_ups = await pusher.push_due_follow_ups(context.bot)
        teams = await pusher.push_due_team_summaries(context.bot)
    finally:
        context.bot_data.caught_up.set()
    if digests.get("failed"):
        await alert_admins(context, t(context.settings.defaults.language, "status.alert_push", failed=digests["failed"],
                                      blocked=digests.get("blocked", 0), total=sum(digests.values())))
    if digests or follow_ups or teams:
        log.info("catch-up: digests %s, follow-ups %s, team summaries %s", dict(digests), dict(follow_ups),
                 dict(teams))

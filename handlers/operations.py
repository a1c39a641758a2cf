"""/status for admins: is the bot healthy, are pushes flowing, what failed lately."""

from __future__ import annotations

import os
from datetime import timedelta

from telegram import Update

from bot import __version__
from bot.context import BotContext
from bot.storage_alerts import status_line
from bot.strings import Markup, t


async def status_command(update: Update, context: BotContext) -> None:
    """Uptime, version, database size, last digest run, pending pushes, errors in the last 24 h,
    whether the storage is failing, and the outbound queue: waiting replies and pushes, sends a
    second, 429s in the last hour, replies given up."""
    if not context.is_admin:
        await update.effective_message.reply_text(t(context.language, "status.admins_only"))
        return
    data, now = context.bot_data, context.now()
    path = context.repo.db.path
    size = sum(os.path.getsize(p) for p in (path, f"{path}-wal") if path != ":memory:" and os.path.exists(p))
    counts = await context.repo.deliveries.counts()
    last_run = await context.repo.deliveries.last_digest_run()
    errors = sum(1 for moment in data.errors if now - moment < timedelta(hours=24))
    uptime = now - data.started_at
    outbound = data.outbound.stats if data.outbound is not None else None
    moment = data.outbound.clock.monotonic() if data.outbound is not None else 0.0
    if outbound is not None:
        outbound.prune(moment)
    await update.effective_message.reply_text(Markup(t(
        context.language, "status.text", version=__version__,
        uptime=f"{uptime.days}d {uptime.seconds // 3600}h {uptime.seconds % 3600 // 60}m",
        size=f"{size / 1e6:.1f} MB", last_run=last_run or "–", pending=counts.get("pending", 0),
        failed=counts.get("failed", 0), sent=counts.get("sent", 0), errors=errors,
        unreadable=data.unreadable.count,
        jobs=len(context.job_queue.jobs()) if context.job_queue else 0,
        waiting_replies=outbound.waiting_replies if outbound else 0,
        waiting_pushes=outbound.waiting_pushes if outbound else 0,
        sends_per_second=f"{outbound.sends_per_second(moment):.1f}" if outbound else "0",
        flood_waits=len(outbound.flood_waits) if outbound else 0,
        given_up=outbound.replies_given_up if outbound else 0) + "\n" + status_line(context)))

"""Alerts to admins when something fails: error type and ids only, rate limited."""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram.error import TelegramError

from bot.context import BotContext
from bot.outbound import PUSH, PushStopped

log = logging.getLogger(__name__)


ALERT_EVERY = timedelta(minutes=10)


async def alert_admins(context: BotContext, text: str) -> None:
    """Tell the admins something failed: error type and ids only, at most once per ALERT_EVERY."""
    data, now = context.bot_data, context.bot_data.clock()
    data.errors = [moment for moment in data.errors if now - moment < timedelta(hours=24)] + [now]
    if data.alerted_at is not None and now - data.alerted_at < ALERT_EVERY:
        return
    data.alerted_at = now
    for admin_id in context.settings.access.admin_user_ids:
        try:
            await context.bot.send_message(admin_id, text, rate_limit_args=PUSH)  # behind the RMs' replies
        except (TelegramError, PushStopped):
            log.warning("could not alert admin %s", admin_id)

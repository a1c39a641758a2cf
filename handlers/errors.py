"""The error handler: log ids (never note text), and tell the RM instead of going silent."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError

from bot.context import BotContext
from bot.strings import t

log = logging.getLogger(__name__)


async def on_error(update: object, context: BotContext) -> None:
    """Log the failure by update id and error type; reply with a short apology."""
    error = context.error
    update_id = update.update_id if isinstance(update, Update) else None
    log.error("handler error on update %s: %s", update_id, type(error).__name__,
              exc_info=(type(error), error, error.__traceback__) if error else None)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    try:
        if update.callback_query:
            await update.callback_query.answer(t(context.language, "error.generic"), show_alert=True)
        else:
            await context.bot.send_message(update.effective_chat.id, t(context.language, "error.generic"))
    except TelegramError:
        log.warning("could not tell chat %s about the error", update.effective_chat.id)

"""The error handler: log ids (never note text), and tell the RM instead of going silent."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut

from bot.alerts import alert_admins
from bot.context import BotContext
from bot.outbound import not_modified
from bot.strings import t

log = logging.getLogger(__name__)


def _send_failure(error: object) -> bool:
    """A failure of a send itself (given up by the outbound queue, blocked, flood control, an
    edit with nothing to change): not a fault of the handler, and an apology cannot be sent
    either, or might follow a reply that did arrive."""
    if isinstance(error, BadRequest):
        return not_modified(error)
    return isinstance(error, (RetryAfter, Forbidden, TimedOut, NetworkError))


async def on_error(update: object, context: BotContext) -> None:
    """Log the failure by update id and error type; reply with a short apology."""
    error = context.error
    update_id = update.update_id if isinstance(update, Update) else None
    if _send_failure(error):  # no traceback, no admin alert, no apology (bot/outbound.py logged and counted it)
        log.warning("update %s: a send failed: %s", update_id, type(error).__name__)
        return
    log.error("handler error on update %s: %s", update_id, type(error).__name__,
              exc_info=(type(error), error, error.__traceback__) if error else None)
    await alert_admins(context, t(context.settings.defaults.language, "status.alert_handler",
                                  error=type(error).__name__, update_id=update_id or "–"))
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    if context.rm is None and update.effective_user and context.bot_data.repo is not None:
        try:  # the error context is fresh: find the RM again so the apology is in their language
            context.rm = await context.repo.rms.get(update.effective_user.id)
        except Exception:
            log.warning("could not load the RM for the apology")
    try:
        if update.callback_query:
            await update.callback_query.answer(t(context.language, "error.generic"), show_alert=True)
        else:
            await context.bot.send_message(update.effective_chat.id, t(context.language, "error.generic"))
    except TelegramError:
        log.warning("could not tell chat %s about the error", update.effective_chat.id)


"""The error handler: log ids (never note text), and tell the RM instead of going silent."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut

from bot.alerts import alert_admins
from bot.context import BotContext
from bot.outbound import not_modified
from bot.storage_alerts import storage_failed
from bot.strings import t
from storage.checks import failure_reason

log = logging.getLogger(__name__)


def _send_failure(error: object) -> bool:
    """A failure of a send itself (given up by the outbound queue, blocked, flood control, an
    edit with nothing to change): not a fault of the handler, and an apology cannot be sent
    either, or might follow a reply that did arrive."""
    if isinstance(error, BadRequest):
        return not_modified(error)
    return isinstance(error, (RetryAfter, Forbidden, TimedOut, NetworkError))


async def on_error(update: object, context: BotContext) -> None:
    """Log the failure by update id and error type; reply with a short apology that is true."""
    error = context.error
    update_id = update.update_id if isinstance(update, Update) else None
    if _send_failure(error):  # no traceback, no admin alert, no apology (bot/outbound.py logged and counted it)
        log.warning("update %s: a send failed: %s", update_id, type(error).__name__)
        return
    if failure_reason(error) is not None:
        await _storage_failed(update, context, update_id)
        return
    log.error("handler error on update %s: %s", update_id, type(error).__name__,
              exc_info=(type(error), error, error.__traceback__) if error else None)
    await alert_admins(context, t(context.settings.defaults.language, "status.alert_handler",
                                  error=type(error).__name__, update_id=update_id or "–"))
    if isinstance(update, Update) and update.effective_chat is not None:
        await _apologise(update, context, "error.generic")


async def _storage_failed(update: object, context: BotContext, update_id: int | None) -> None:
    """Disk full, locked, read-only, file gone: nothing was committed. The RM hears that in one
    line (and to send it again), the admins once per problem, /status until it is over."""
    log.error("storage failure on update %s: %s", update_id, failure_reason(context.error))
    await tell_storage_failed(update, context)


async def tell_storage_failed(update: object, context: BotContext) -> None:
    """What a storage failure says: "not saved" to the RM, one alert to the admins."""
    await storage_failed(context)
    if isinstance(update, Update) and update.effective_chat is not None:
        await _apologise(update, context, "error.not_saved")


async def _apologise(update: Update, context: BotContext, key: str) -> None:
    """Reply KEY; for a note, say whether it was stored, which the database knows: a stored note
    is never called unsaved, and after a storage failure an unsaved one is called so."""
    if context.rm is None and update.effective_user and context.bot_data.repo is not None:
        try:  # the error context is fresh: find the RM again so the apology is in their language
            context.rm = await context.repo.rms.get(update.effective_user.id)
        except Exception:
            log.warning("could not load the RM for the apology")
    if _is_note(update):
        stored = await _note_stored(update, context)
        if stored:
            key = "error.note_saved"
        elif stored is False and key == "error.not_saved":
            key = "error.note_not_saved"
    try:
        if update.callback_query:
            await update.callback_query.answer(t(context.language, key), show_alert=True)
        else:
            await context.bot.send_message(update.effective_chat.id, t(context.language, key))
    except TelegramError:
        log.warning("could not tell chat %s about the error", update.effective_chat.id)


def _is_note(update: Update) -> bool:
    message = update.message or update.edited_message
    return message is not None and bool(message.text) and not message.text.startswith("/")


async def _note_stored(update: Update, context: BotContext) -> bool | None:
    """Whether this message is stored as a note; None when that cannot be read."""
    if context.bot_data.repo is None:
        return None
    if context.rm is None:  # not even the RM is stored (a first contact the storage refused)
        return False
    try:
        return await context.repo.contacts.by_message(context.rm.user_id, update.effective_message.message_id) is not None
    except Exception:
        log.warning("could not check whether update %s was stored", update.update_id)
        return None


"""Updates Telegram delivers again after a crash are handled once (storage/update_log.py)."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop

from bot.context import BotContext
from bot.strings import language_of, t
from storage.checks import StorageUnavailable
from storage.update_log import UpdateKey

log = logging.getLogger(__name__)


async def skip_handled(update: Update, context: BotContext) -> None:
    """Skip an update handled before a restart; say so when only its reply may have been lost."""
    user = update.effective_user
    if user is None:
        return
    context.update_key = UpdateKey(user.id, update.update_id, context.now())
    state = await context.repo.update_log.state(context.update_key)
    if state is None:
        return
    log.info("update %s delivered again (%s): not handled twice", update.update_id, state)
    if state == "applied":  # the effect committed, the crash came before the reply was marked sent
        rm = await context.repo.rms.get(user.id)
        text = t(rm.language if rm else language_of(user.language_code, context.settings.defaults.language),
                 "error.already_done")
        try:
            if update.callback_query:
                await update.callback_query.answer(text)
            elif update.effective_message:
                await update.effective_message.reply_text(text)
        except TelegramError:  # a button press older than Telegram's answer window
            log.info("could not answer the re-delivered update %s", update.update_id)
    raise ApplicationHandlerStop


async def mark_handled(update: Update, context: BotContext) -> None:
    """After every handler has replied: a delivery of this update again is skipped.

    Best effort: when the storage fails the reply is out already, and an unmarked update
    delivered again is only checked again (notes are unique per message, effects carry their
    own 'applied' mark).
    """
    if context.update_key is not None:
        try:
            await context.repo.update_log.mark_done(context.update_key)
        except StorageUnavailable as error:
            log.warning("update %s not marked done: %s", update.update_id, error.reason)

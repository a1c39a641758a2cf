"""The guard in group -1: private chats and allowed users only; loads the RM's profile."""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop

from bot.context import BotContext
from bot.jobs import schedule_digest
from bot.strings import language_of, t
from handlers.errors import tell_storage_failed
from storage.checks import StorageUnavailable

log = logging.getLogger(__name__)

REFUSE_EVERY = timedelta(hours=1)


def _refusal_due(context: BotContext, key: int) -> bool:
    """True at most once an hour per stranger (or group chat): then they are told again."""
    refused, now = context.bot_data.refused_at, context.now()
    last = refused.get(key)
    if last is not None and now - last < REFUSE_EVERY:
        return False
    if len(refused) > 10_000:
        for stale in [k for k, moment in refused.items() if now - moment >= REFUSE_EVERY]:
            del refused[stale]
    refused[key] = now
    return True


async def guard(update: Update, context: BotContext) -> None:
    """Refuse group chats and strangers (storing nothing for them); otherwise load the RM."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None or user.is_bot:
        raise ApplicationHandlerStop
    settings = context.settings
    language = language_of(user.language_code, settings.defaults.language)
    if chat.type != ChatType.PRIVATE:
        log.info("refused chat %s of type %s", chat.id, chat.type)
        if update.effective_message and update.message and _refusal_due(context, chat.id):
            await update.effective_message.reply_text(t(language, "access.group"))
        raise ApplicationHandlerStop
    if not settings.access.may_use(user.id):
        log.info("refused user %s", user.id)
        if not _refusal_due(context, user.id):
            pass  # told within the hour: a flood of strangers must not eat the RMs' sending budget
        elif update.callback_query:
            await update.callback_query.answer(t(language, "access.stranger", user_id=user.id), show_alert=True)
        elif update.effective_message:
            await update.effective_message.reply_text(t(language, "access.stranger", user_id=user.id))
        raise ApplicationHandlerStop
    before = await context.repo.rms.get(user.id)
    try:
        context.rm = await context.repo.rms.ensure(
            user.id, chat.id, user.first_name or "", language=language,
            timezone=settings.defaults.timezone, digest_time=settings.defaults.digest_time, now=context.now())
    except StorageUnavailable:
        if before is None:  # a first contact that cannot be stored: say so, and handle nothing more
            await tell_storage_failed(update, context)
            raise ApplicationHandlerStop from None
        context.rm = before  # a new display name or chat can wait for the storage to come back
        return
    if (before is None or not before.active or before.chat_id != chat.id) and context.job_queue is not None:
        schedule_digest(context.job_queue, context.rm)  # a new or returning RM gets their morning digest

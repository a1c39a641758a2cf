"""/forget CLIENT (erase, after confirmation) and /mydata (everything the bot holds about the RM)."""

from __future__ import annotations

import json

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.callback_data import decode
from bot.client_matching import find_clients
from bot.context import BotContext
from bot.note_reply import snippet
from bot.strings import t
from storage.personal_data import everything_about


async def forget_command(update: Update, context: BotContext) -> None:
    """Ask before erasing a client and every note about them."""
    name = " ".join(context.args or []).strip()[:64]
    language = context.language
    if not name:
        await update.effective_message.reply_text(t(language, "privacy.forget_usage"))
        return
    resolution = find_clients(name, await context.repo.clients.list(context.profile.user_id))
    if resolution.client is None:
        if resolution.kind == "ask":
            rows = [[InlineKeyboardButton(snippet(c.name, 40), callback_data=f"p:ask:{c.id}")] for c in resolution.clients]
            await update.effective_message.reply_text(t(language, "card.pick"), reply_markup=InlineKeyboardMarkup(rows))
        else:
            await update.effective_message.reply_text(t(language, "card.not_found", name=name))
        return
    await _confirm(update, context, resolution.client)


async def _confirm(update: Update, context: BotContext, client) -> None:
    language = context.language
    buttons = [[InlineKeyboardButton(t(language, "privacy.button_forget"), callback_data=f"p:forget:{client.id}"),
                InlineKeyboardButton(t(language, "privacy.button_keep"), callback_data="p:keep")]]
    await update.effective_message.reply_text(t(language, "privacy.forget_confirm", client=client.name),
                                              reply_markup=InlineKeyboardMarkup(buttons))


async def forget_button(update: Update, context: BotContext) -> None:
    """p:ask:<id> asks, p:forget:<id> erases, p:keep cancels."""
    query = update.callback_query
    button = decode(query.data, "p")
    language, rm_id = context.language, context.profile.user_id
    if button is not None and button.action == "keep":
        await query.answer()
        await query.edit_message_text(t(language, "privacy.kept"))
        return
    client = await context.repo.clients.get(rm_id, button.fields[0]) if button else None
    if client is None:
        await query.answer(t(language, "digest.stale"))
        return
    await query.answer()
    if button.action == "ask":
        await _confirm(update, context, client)
        return
    await context.repo.clients.forget(rm_id, client.id, context.now())  # audited in the same commit
    await query.edit_message_text(t(language, "privacy.forgotten", client=client.name))


async def mydata_command(update: Update, context: BotContext) -> None:
    """Send the RM a JSON file of everything the bot holds about them."""
    rm_id = context.profile.user_id
    await context.repo.audit.record(rm_id, "mydata", None, context.now())
    data = await everything_about(context.repo.db, rm_id)
    content = json.dumps(data, ensure_ascii=False, indent=1).encode()
    await update.effective_message.reply_document(document=content, filename=f"my-data-{context.today():%Y%m%d}.json",
                                                  caption=t(context.language, "privacy.mydata_caption"))

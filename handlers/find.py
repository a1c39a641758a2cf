"""/find WORDS: the RM's own notes that mention them, newest first, paged with buttons (q:<page>:<words>)."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest

from bot.callback_data import decode
from bot.context import BotContext
from bot.note_search import PAGE_SIZE, NoteQuery, compose_results, note_query, page_count
from bot.strings import Markup, t



async def find_command(update: Update, context: BotContext) -> None:
    query = note_query(" ".join(context.args or []))
    if query is None:
        await update.effective_message.reply_text(t(context.language, "find.usage"))
        return
    text, markup = await _page(context, query, 0)
    await update.effective_message.reply_text(text, reply_markup=markup)


async def find_button(update: Update, context: BotContext) -> None:
    """Turn a page of /find: q:<page>:<words>."""
    callback = update.callback_query
    button = decode(callback.data, "q")  # the page checked within MAX_PAGE
    query = note_query(button.fields[1]) if button else None
    if button is None or query is None:
        await callback.answer(t(context.language, "find.expired"))
        return
    await callback.answer()
    text, markup = await _page(context, query, button.fields[0])
    try:
        await callback.edit_message_text(text, reply_markup=markup)
    except BadRequest as error:  # the list was deleted, or is too old to edit: send the page anew
        if "not modified" in str(error).lower():
            return
        await context.bot.send_message(update.effective_chat.id, text, reply_markup=markup)


async def _page(context: BotContext, query: NoteQuery, page: int) -> tuple[Markup, InlineKeyboardMarkup | None]:
    rm_id, language = context.profile.user_id, context.language
    contacts, total = await context.repo.contacts.search(rm_id, query.text, query.products, PAGE_SIZE,
                                                         page * PAGE_SIZE)
    if page and not contacts and total:  # a page beyond the end (notes were removed): show the last one
        page = page_count(total) - 1
        contacts, total = await context.repo.contacts.search(rm_id, query.text, query.products, PAGE_SIZE,
                                                             page * PAGE_SIZE)
    text = compose_results(query, contacts, total, page, language, context.today())
    paging = []
    if page > 0:
        paging.append(InlineKeyboardButton(t(language, "digest.button_prev"), callback_data=f"q:{page - 1}:{query.text}"))
    if page + 1 < page_count(total):
        paging.append(InlineKeyboardButton(t(language, "digest.button_next"), callback_data=f"q:{page + 1}:{query.text}"))
    return text, InlineKeyboardMarkup([paging]) if paging else None

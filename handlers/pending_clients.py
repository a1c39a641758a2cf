"""Notes whose client is still to confirm (bot/pending_clients.py): filing one from the note's own
question or from /due and the digest, and the one question that follows when other notes were
written with the same name ("also file the 2 earlier notes about 刘芳 under her?"), never silently."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.callback_data import encode
from bot.context import BotContext
from bot.note_reply import NAME_LENGTH, snippet
from bot.pending_clients import is_pending, same_name_pending
from bot.strings import t
from handlers.insurance import file_pending_covers
from handlers.update_parts import message_of, query_of
from storage.records import Client, Contact


async def file_under(context: BotContext, contact: Contact, client: Client) -> Contact | None:
    """File the note under `client`; the words the RM used become an alias, so they are not asked again."""
    rm_id = context.profile.user_id
    updated = await context.repo.contacts.set_client(rm_id, contact.id, client.id)
    if updated is not None and contact.client_name:
        await context.repo.clients.add_alias(rm_id, client.id, contact.client_name)
    return updated


async def file_as_new(context: BotContext, contact: Contact) -> Contact | None:
    """File the note under a new client named as the RM wrote it."""
    if not contact.client_name:
        return None
    return await context.repo.contacts.set_client(context.profile.user_id, contact.id,
                                                  new_client=contact.client_name, now=context.now())


async def offer_earlier(update: Update, context: BotContext, contact: Contact | None) -> None:
    """After a note is filed under a client: when other notes written with the same name still wait
    for their client, ask once whether they are that client's too (Yes / No)."""
    if contact is None or contact.client_id is None or not contact.client_name:
        return
    rm_id, language = context.profile.user_id, context.language
    others = same_name_pending(await context.repo.contacts.pending_clients(rm_id), contact.client_name,
                               besides=contact.id)
    if not others:
        return
    client = contact.client_display or contact.client_name
    up_to = max(other.id for other in others)
    buttons = [InlineKeyboardButton(t(language, "pending.yes"),
                                    callback_data=encode("n", "ya", contact.id, contact.client_id, up_to)),
               InlineKeyboardButton(t(language, "pending.no"), callback_data=encode("n", "yn", contact.id))]
    key = "pending.also_file_one" if len(others) == 1 else "pending.also_file"
    await message_of(update).reply_text(
        t(language, key, count=len(others), name=snippet(contact.client_name, NAME_LENGTH),
          client=snippet(client, NAME_LENGTH)),
        reply_markup=InlineKeyboardMarkup([buttons]))


async def answer_also_file(update: Update, context: BotContext, contact: Contact, client_id: int | None,
                           up_to: int | None) -> None:
    """Yes (client id and the newest note asked about) or No (None) to offer_earlier's question."""
    query = query_of(update)
    rm_id, language = context.profile.user_id, context.language
    if client_id is None:
        await query.answer()
        await query.edit_message_text(t(language, "pending.kept"))
        return
    client = await context.repo.clients.get(rm_id, client_id)
    others = same_name_pending(await context.repo.contacts.pending_clients(rm_id), contact.client_name or "",
                               besides=contact.id, up_to=up_to) if contact.client_name else []
    filed = await context.repo.contacts.file_pending(rm_id, [c.id for c in others], client.id) if client else 0
    if client is None or not filed:
        await query.answer(t(language, "note.stale"), show_alert=True)
        return
    for other in others:  # their policies, kept as facts while the client waited, become holdings
        await file_pending_covers(context, await context.repo.contacts.get(rm_id, other.id))
    await query.answer()
    key = "pending.filed_one" if filed == 1 else "pending.filed"
    await query.edit_message_text(t(language, key, count=filed, client=snippet(client.name, NAME_LENGTH)))


async def confirm_from_digest(update: Update, context: BotContext, action: str, contact_id: int,
                              client_id: int | None = None) -> tuple[bool, Contact | None]:
    """A tap in /due's "client to confirm" section: pk (this client), pn (new client), px (skip).
    (done, the note as filed): not done when the note is gone or answered already."""
    query = query_of(update)
    rm_id, language = context.profile.user_id, context.language
    contact = await context.repo.contacts.get(rm_id, contact_id)
    if contact is None or not is_pending(contact):
        return False, None
    if action == "px":
        await context.repo.contacts.skip_client(rm_id, contact.id)
        await query.answer(t(language, "pending.skipped"))
        return True, None
    if action == "pk":
        client = await context.repo.clients.get(rm_id, client_id) if client_id else None
        updated = await file_under(context, contact, client) if client else None
    else:
        updated = await file_as_new(context, contact)
    if updated is None or updated.client_id is None:
        return False, None
    await file_pending_covers(context, updated)
    await query.answer(t(language, "pending.picked", client=updated.client_display or ""))
    return True, updated

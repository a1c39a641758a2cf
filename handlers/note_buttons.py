"""The buttons under a saved note (Undo, Edit, pick a client, merge) and the Edit conversation.

Callback data is `n:<action>:<contact id>[:<arg>]`, read by bot/callback_data.py. Every id in it is looked up within the
pressing RM's own data, so forged or stale data finds nothing and gets a "no longer valid" answer.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.callback_data import decode, encode
from bot.client_matching import closest_clients, name_keys
from bot.context import BotContext
from bot.note_edit import FIELDS, read_edit
from bot.note_reply import compose_saved, snippet
from bot.open_dates import open_dates
from bot.strings import Markup, t
from handlers.insurance import ask_rows, file_pending_covers, filed_lines, pick_insured
from handlers.notes import choice_keyboard, note_keyboard, reading_rows, reply_saved, schedule_follow_ups, undo_note
from handlers.pending_clients import answer_also_file, offer_earlier
from handlers.update_parts import message_of, pressed_on, query_of
from storage.records import Contact

#: A reading of a date phrase: o<YYYYMMDD> (the contact date) or f<YYYYMMDD>[HHMM] (the follow-up).
_READING = re.compile(r"([of])(\d{8})(\d{4})?")


async def apply_reading(context: BotContext, contact: Contact, arg: str) -> Contact | None:
    """Date the note by the reading tapped: its contact date or its follow-up. None when the reading
    is malformed, a contact date lies ahead, or the note is gone."""
    reading = _READING.fullmatch(arg)
    if reading is None:
        return None
    kind, day, at = reading.groups()
    try:
        on = datetime.strptime(day, "%Y%m%d").date()
        clock = datetime.strptime(at, "%H%M").time() if at else None
    except ValueError:
        return None
    rm_id, repo = context.profile.user_id, context.repo.contacts
    if kind == "o" and on > context.today():
        return None
    await repo.close_date_question(rm_id, contact.id)
    if kind == "o":
        return await repo.set_field(rm_id, contact.id, "occurred_on", on)
    updated = await repo.set_follow_up(rm_id, contact.id, on, clock, context.now())
    await schedule_follow_ups(context, contact.id)
    return updated


async def _pick_reading(query, context: BotContext, contact: Contact, arg: str) -> None:
    language = context.language
    updated = await apply_reading(context, contact, arg)
    if updated is None:  # malformed, a date ahead, or undone meanwhile
        await query.answer(t(language, "note.stale"), show_alert=True)
        return
    await query.answer()
    await query.edit_message_text(compose_saved(updated, language, context.today()),
                                  reply_markup=note_keyboard(updated, language, can_merge=False))


async def _saved_with_covers(query, context: BotContext, contact: Contact) -> None:
    """The note once its client is picked: its policies, kept until then, filed under that client,
    and the date question when it was asked too and is still open (asked again, never dropped)."""
    filed = await file_pending_covers(context, contact)
    text = compose_saved(contact, context.language, context.today())
    if filed:
        text = Markup("\n".join([text, *filed_lines(filed, context.language,
                                                        contact.client_display or contact.client_name)]))
    above = await ask_rows(context, contact, filed)
    for open_date in open_dates([contact], context.tz, context.settings.defaults.currency):
        text = Markup(text + "\n" + t(context.language, "note.which_date", phrase=snippet(open_date.phrase, 40)))
        above = reading_rows(contact, open_date.readings, context.language, context.today()) + above
    await query.edit_message_text(text, reply_markup=note_keyboard(contact, context.language, can_merge=False,
                                                                   above=above))


def _edit_menu(contact: Contact, language: str) -> InlineKeyboardMarkup:
    buttons = [InlineKeyboardButton(t(language, f"button.{field}"), callback_data=encode("n", "f", contact.id, field))
               for field in FIELDS]
    cancel = InlineKeyboardButton(t(language, "button.cancel"), callback_data=encode("n", "x", contact.id))
    return InlineKeyboardMarkup([buttons[:3], buttons[3:], [cancel]])


async def note_button(update: Update, context: BotContext) -> None:
    """Dispatch a note button; unknown, forged or stale data gets a clear answer."""
    query = query_of(update)
    language, rm_id = context.language, context.profile.user_id
    button = decode(query.data, "n")  # every field checked (ids within SQLite's range)
    contact = await context.repo.contacts.get(rm_id, button.fields[0]) if button else None
    if button is None or contact is None:
        await query.answer(t(language, "note.stale"), show_alert=True)
        return
    # decode checked the fields against the action's shape: arg is the field, client id or reading it names
    action = button.action
    arg: Any = button.fields[1] if len(button.fields) > 1 else None
    today = context.today()
    if action == "u":
        reply = await undo_note(context, contact.id)
        await query.answer()
        await query.edit_message_text(reply or t(language, "undo.done", text=snippet(contact.raw_text)))
    elif action == "e":
        await query.answer()
        await query.edit_message_reply_markup(_edit_menu(contact, language))
    elif action == "x":
        await context.repo.awaited.clear(rm_id, "note_edit")
        await query.answer()
        await query.edit_message_reply_markup(note_keyboard(contact, language, can_merge=False))
    elif action == "f" and arg in FIELDS:
        await context.repo.awaited.expect(rm_id, "note_edit", contact.id, arg, context.now())
        await query.answer()
        field_name = t(language, f"edit.field.{arg}")
        prompt = t(language, "edit.ask", field=field_name) + "\n" + t(language, "edit.ask_example",
                                                                      example=t(language, f"edit.example.{arg}"))
        await pressed_on(query).reply_text(Markup(prompt))
    elif action == "p":
        client = await context.repo.clients.get(rm_id, arg)
        if client is None:
            await query.answer(t(language, "note.stale"), show_alert=True)
            return
        updated = await context.repo.contacts.set_client(rm_id, contact.id, client.id)
        if updated is None:  # undone meanwhile
            await query.answer(t(language, "note.stale"), show_alert=True)
            return
        if contact.client_name:  # the words the RM used now mean this client: never asked again
            await context.repo.clients.add_alias(rm_id, client.id, contact.client_name)
        await query.answer(t(language, "note.picked", client=client.name))
        await _saved_with_covers(query, context, updated)
        await offer_earlier(update, context, updated)
    elif action == "c" and contact.client_name:
        updated = await context.repo.contacts.set_client(rm_id, contact.id, new_client=contact.client_name,
                                                         now=context.now())
        if updated is None:  # undone meanwhile
            await query.answer(t(language, "note.stale"), show_alert=True)
            return
        await query.answer()
        await _saved_with_covers(query, context, updated)
        await offer_earlier(update, context, updated)
    elif action == "ya":
        await answer_also_file(update, context, contact, arg, button.fields[2])
    elif action == "yn":
        await answer_also_file(update, context, contact, None, None)
    elif action == "i":
        said = await pick_insured(context, contact, arg, button.fields[2])
        if said is None:
            await query.answer(t(language, "note.stale"), show_alert=True)
            return
        await query.answer()
        await query.edit_message_text(Markup(compose_saved(contact, language, today) + "\n" + said),
                                      reply_markup=note_keyboard(contact, language, can_merge=False))
    elif action == "m" and contact.client_id:
        others = [c for c in await context.repo.clients.list(rm_id) if c.id != contact.client_id]
        await query.answer()
        if not others:
            await pressed_on(query).reply_text(t(language, "note.merge_none"))
            return
        name = contact.client_display or contact.client_name or ""
        rows = [[InlineKeyboardButton(snippet(c.name, 40), callback_data=encode("n", "mi", contact.id, c.id))]
                for c in closest_clients(name, others)]
        await pressed_on(query).reply_text(t(language, "note.merge_prompt", name=name),
                                           reply_markup=InlineKeyboardMarkup(rows))
    elif action == "r" and _READING.fullmatch(arg):
        await _pick_reading(query, context, contact, arg)
    elif action == "mi" and contact.client_id:
        source = await context.repo.clients.get(rm_id, contact.client_id)
        target = await context.repo.clients.get(rm_id, arg)
        if source is None or target is None or not await context.repo.clients.merge(rm_id, source.id, target.id):
            await query.answer(t(language, "note.stale"), show_alert=True)
            return
        await query.answer()
        await query.edit_message_text(t(language, "note.merged", source=source.name, target=target.name))
    else:
        await query.answer(t(language, "note.stale"), show_alert=True)


async def edit_value(update: Update, context: BotContext) -> bool:
    """If an Edit is waiting for a value, apply this message to it. True when consumed."""
    rm_id, language, today = context.profile.user_id, context.language, context.today()
    pending = await context.repo.awaited.get(rm_id, context.now(), "note_edit")
    if pending is None:
        return False
    field = pending.field
    contact = await context.repo.contacts.get(rm_id, pending.target_id)
    if contact is None or field not in FIELDS:
        await context.repo.awaited.clear(rm_id, "note_edit")
        return False
    text = message_of(update).text or ""
    value = read_edit(field, text, today)
    if value is None:
        field_name = t(language, f"edit.field.{field}")
        hint = t(language, "edit.ask_example", example=t(language, f"edit.example.{field}"))
        await message_of(update).reply_text(t(language, "edit.invalid", field=field_name, hint=hint))
        return True
    if field == "date" and value.value > today:  # a contact cannot have happened yet: refuse, say why
        await message_of(update).reply_text(t(language, "edit.future_date"))
        return True
    await context.repo.awaited.clear(rm_id, "note_edit")
    repo = context.repo.contacts
    if field == "client":
        # the RM typed the client: that exact name or alias, else a new client of that name, never a look-alike
        written = name_keys(value.value).written
        same = [c for c in await context.repo.clients.list(rm_id)
                if any(name_keys(n).written == written for n in (c.name, *c.aliases))]
        if len(same) > 1:
            await message_of(update).reply_text(
                t(language, "note.ambiguous", name=value.value),
                reply_markup=choice_keyboard(contact, tuple(same), value.value, language))
            await repo.set_client(rm_id, contact.id, None)
            await repo.set_client_name(rm_id, contact.id, value.value)
            return True
        await repo.set_client_name(rm_id, contact.id, value.value)
        if same:
            contact = await repo.set_client(rm_id, contact.id, same[0].id)
        else:
            contact = await repo.set_client(rm_id, contact.id, new_client=value.value, now=context.now())
        await file_pending_covers(context, contact)
    elif field == "channel":
        contact = await repo.set_field(rm_id, contact.id, "channel", value.value)
    elif field == "date":
        contact = await repo.set_field(rm_id, contact.id, "occurred_on", value.value)
    elif field == "amount":
        amount, currency, amount_max = value.value or (None, None, None)
        contact = await repo.set_amount(rm_id, contact.id, amount, currency or context.settings.defaults.currency,
                                        amount_max)
    elif field == "needs":
        contact = await repo.set_needs(rm_id, contact.id, value.value)
    elif field == "follow_up":
        due, at = value.value if value.value else (None, None)
        contact = await repo.set_follow_up(rm_id, contact.id, due, at, context.now())
        if contact is not None:
            await schedule_follow_ups(context, contact.id)
    if contact is None:  # undone while the RM typed the value
        await message_of(update).reply_text(t(language, "note.stale"))
        return True
    await reply_saved(update, context, contact)
    if field == "client":
        await offer_earlier(update, context, contact)
    return True


async def cancel_command(update: Update, context: BotContext) -> None:
    """Stop an edit in progress."""
    waiting = await context.repo.awaited.clear(context.profile.user_id)  # an Edit, a Log, a card field
    reviewing = await context.repo.reviews.close_prompt(context.profile.user_id)  # /review's question
    key = "edit.cancelled" if waiting or reviewing else "edit.nothing"
    await message_of(update).reply_text(t(context.language, key))

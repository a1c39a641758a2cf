"""/client NAME (the card, with buttons) and /clients [A|B|C] (paged by tier and neglect)."""

from __future__ import annotations

from datetime import date
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.callback_data import decode, encode
from bot.client_fields import FIELDS, FieldError, read_client_field
from bot.client_matching import find_clients
from bot.client_profile import PROFILE_FIELDS, ProfileFieldError, read_profile_field
from bot.context import BotContext
from bot.note_reply import snippet
from bot.reminders.digest import last_contact
from bot.reports.compose import compose_client_card, compose_client_list, compose_timeline
from bot.reports.loading import load_client_card
from bot.strings import t
from handlers.update_parts import message_of, query_of

TIMELINE_PAGE = 10


def _card_keyboard(client_id: int, language: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([
        [InlineKeyboardButton(t(language, "card.button_log"), callback_data=encode("c", "log", client_id)),
         InlineKeyboardButton(t(language, "card.button_tier"), callback_data=encode("c", "tier", client_id))],
        [InlineKeyboardButton(t(language, "card.button_edit"), callback_data=encode("c", "edit", client_id)),
         InlineKeyboardButton(t(language, "card.button_timeline"), callback_data=encode("c", "tl", client_id, 0))],
    ])


async def _send_card(update: Update, context: BotContext, client) -> None:
    card = await load_client_card(context.repo, context.profile, client, context.today())
    await message_of(update).reply_text(compose_client_card(card, context.language, context.today()),
                                        reply_markup=_card_keyboard(client.id, context.language))


async def client_command(update: Update, context: BotContext) -> None:
    """The client card: tier, company, holdings, needs, follow-ups, last contacts."""
    name = " ".join(context.args or []).strip()[:64]
    language = context.language
    if not name:
        await message_of(update).reply_text(t(language, "card.usage"))
        return
    clients = await context.repo.clients.list(context.profile.user_id)
    resolution = find_clients(name, clients)
    if resolution.client:
        await _send_card(update, context, resolution.client)
    elif resolution.kind == "ask":
        rows = [[InlineKeyboardButton(snippet(c.name, 40), callback_data=encode("c", "card", c.id))]
                for c in resolution.clients]
        question = (t(language, "card.pick_one", name=resolution.clients[0].name)
                    if len(resolution.clients) == 1 else t(language, "card.pick"))
        await message_of(update).reply_text(question, reply_markup=InlineKeyboardMarkup(rows))
    else:
        await message_of(update).reply_text(t(language, "card.not_found", name=name))


async def clients_command(update: Update, context: BotContext) -> None:
    """Clients by tier and days since last contact, paged."""
    tier = (context.args or [""])[0].upper() or None
    if tier not in (None, "A", "B", "C") or len(context.args or []) > 1:
        await message_of(update).reply_text(t(context.language, "clients.usage"))
        return
    text, markup = await _client_page(context, tier, 0)
    await message_of(update).reply_text(text, reply_markup=markup)


async def _client_page(context: BotContext, tier: str | None, page: int):
    rm_id, today = context.profile.user_id, context.today()
    last = await context.repo.contacts.last_contacts(rm_id)
    listed = [(c, last_contact(c, last)) for c in await context.repo.clients.list(rm_id) if tier in (None, c.tier)]
    listed.sort(key=lambda item: (item[1] is not None, item[1] or date.min, item[0].name))
    text, pages, shown = compose_client_list(listed, tier, page, context.language, today)
    rows = [[InlineKeyboardButton(snippet(c.name, 20), callback_data=encode("c", "card", c.id)) for c in shown[i:i + 3]]
            for i in range(0, len(shown), 3)]
    paging = []
    if page > 0:
        paging.append(InlineKeyboardButton(t(context.language, "digest.button_prev"),
                                           callback_data=encode("l", tier or "*", page - 1)))
    if page + 1 < pages:
        paging.append(InlineKeyboardButton(t(context.language, "digest.button_next"),
                                           callback_data=encode("l", tier or "*", page + 1)))
    if paging:
        rows.append(paging)
    return text, InlineKeyboardMarkup(rows) if rows else None


async def client_list_button(update: Update, context: BotContext) -> None:
    """Turn a page of /clients (l:<tier|*>:<page>)."""
    query = query_of(update)
    button = decode(query.data, "l")
    if button is None:
        await query.answer(t(context.language, "digest.stale"))
        return
    await query.answer()
    text, markup = await _client_page(context, None if button.action == "*" else button.action, button.fields[0])
    await query.edit_message_text(text, reply_markup=markup)


async def client_button(update: Update, context: BotContext) -> None:
    """Card buttons: c:card|log|tier|edit:<id>, c:settier:<id>:<A|B|C>, c:field:<id>:<field>, c:tl:<id>:<page>."""
    query = query_of(update)
    button = decode(query.data, "c")  # every field checked: ids in range, a page below MAX_PAGE
    language = context.language
    client = await context.repo.clients.get(context.profile.user_id, button.fields[0]) if button else None
    if button is None or client is None:
        await query.answer(t(language, "digest.stale"))
        return
    # decode checked the fields against the action's shape: extra is the tier, field or page it names
    action = button.action
    extra: Any = button.fields[1] if len(button.fields) > 1 else None
    await query.answer()
    if action == "card":
        await _send_card(update, context, client)
    elif action == "chart":
        from handlers.files import send_holdings_chart

        await send_holdings_chart(update, context, client)
    elif action == "log":
        await context.repo.awaited.expect(context.profile.user_id, "log_for", client.id, "", context.now())
        await message_of(update).reply_text(t(language, "digest.log_prompt", client=client.name))
    elif action == "tier":
        buttons = [InlineKeyboardButton(tier, callback_data=encode("c", "settier", client.id, tier)) for tier in "ABC"]
        await message_of(update).reply_text(t(language, "card.tier_prompt", client=client.name),
                                            reply_markup=InlineKeyboardMarkup([buttons]))
    elif action == "settier":
        await context.repo.clients.set_tier(context.profile.user_id, client.id, extra)
        await query.edit_message_text(t(language, "card.tier_set", client=client.name, tier=extra))
    elif action == "edit":
        fields = FIELDS + tuple(PROFILE_FIELDS)
        rows = [[InlineKeyboardButton(t(language, f"card.field_{field}"),
                                      callback_data=encode("c", "field", client.id, field))
                 for field in fields[i:i + 3]] for i in range(0, len(fields), 3)]
        await message_of(update).reply_text(t(language, "card.edit_prompt", client=client.name),
                                                  reply_markup=InlineKeyboardMarkup(rows))
    elif action == "field":
        await context.repo.awaited.expect(context.profile.user_id, "client_field", client.id, extra, context.now())
        await message_of(update).reply_text(
            t(language, "card.edit_ask", client=client.name, field=t(language, f"card.field_{extra}")))
    elif action == "tl":
        page = extra
        contacts, total = await context.repo.contacts.for_client(context.profile.user_id, client.id, TIMELINE_PAGE,
                                                                 page * TIMELINE_PAGE)
        pages = max(1, -(-total // TIMELINE_PAGE))
        paging = []
        if page > 0:
            paging.append(InlineKeyboardButton(t(language, "digest.button_prev"),
                                               callback_data=encode("c", "tl", client.id, page - 1)))
        if page + 1 < pages:
            paging.append(InlineKeyboardButton(t(language, "digest.button_next"),
                                               callback_data=encode("c", "tl", client.id, page + 1)))
        text = compose_timeline(client, contacts, page, pages, language, context.today())
        markup = InlineKeyboardMarkup([paging]) if paging else None
        if page == 0:
            await message_of(update).reply_text(text, reply_markup=markup)
        else:
            await query.edit_message_text(text, reply_markup=markup)


async def client_field_value(update: Update, context: BotContext) -> bool:
    """A typed value for a client field the RM chose on the card; False when none is awaited."""
    waiting = await context.repo.awaited.get(context.profile.user_id, context.now(), "client_field")
    if waiting is None:
        return False
    client_id, field = waiting.target_id, waiting.field
    language = context.language
    client = await context.repo.clients.get(context.profile.user_id, client_id)
    if client is None or field not in (*FIELDS, *PROFILE_FIELDS):
        await context.repo.awaited.clear(context.profile.user_id, "client_field")
        return False
    if field in PROFILE_FIELDS:
        return await _profile_field_value(update, context, client, field)
    try:
        value = read_client_field(field, message_of(update).text or "")
    except FieldError as error:
        await message_of(update).reply_text(
            t(language, "card.edit_bad", field=t(language, f"card.field_{field}"), hint=t(language, error.hint)))
        return True
    await context.repo.awaited.clear(context.profile.user_id, "client_field")
    await context.repo.clients.set_field(context.profile.user_id, client_id, field, value)
    await message_of(update).reply_text(
        t(language, "card.edit_saved", client=client.name, field=t(language, f"card.field_{field}")))
    return True


async def _profile_field_value(update: Update, context: BotContext, client, field: str) -> bool:
    """A typed risk level, way to reach, hobbies, cautions or family member, stored as facts."""
    language = context.language
    try:
        facts = read_profile_field(field, message_of(update).text or "", context.today())
    except ProfileFieldError as error:
        await message_of(update).reply_text(
            t(language, "card.edit_bad", field=t(language, f"card.field_{field}"), hint=t(language, error.hint)))
        return True
    await context.repo.awaited.clear(context.profile.user_id, "client_field")
    await context.repo.client_facts.add(context.profile.user_id, client.id, facts, context.now(),
                                        replace_kinds=PROFILE_FIELDS[field])
    await message_of(update).reply_text(
        t(language, "card.edit_saved", client=client.name, field=t(language, f"card.field_{field}")))
    return True

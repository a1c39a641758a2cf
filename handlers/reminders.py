"""/due and the digest's buttons: Done, Snooze 1 day / 1 week, Log, and the holiday client list."""

from __future__ import annotations

from datetime import date, timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest

from bot.callback_data import decode, encode
from bot.context import BotContext
from bot.display import channel_name, format_date
from bot.open_dates import open_dates
from bot.parsing.channels import CHANNEL_LETTERS
from bot.push.digests import holiday_namer
from bot.reminders.digest_message import compose_greeting_list
from bot.strings import t
from handlers.note_buttons import apply_reading
from handlers.pending_clients import confirm_from_digest, offer_earlier
from handlers.update_parts import message_of, query_of

SNOOZE_DAYS = {"s1": 1, "s7": 7}
SNOOZE_KIND = {"c": "contact", "b": "birthday", "r": "family", "m": "maturity"}
CHANNEL_BY_LETTER = {letter: channel for channel, letter in CHANNEL_LETTERS.items()}


async def due_command(update: Update, context: BotContext) -> None:
    """Today's digest on demand, with the same buttons as the morning push."""
    _, text, markup = await context.pusher.digests.digest_message(context.profile, context.today())
    await message_of(update).reply_text(text, reply_markup=markup)


async def digest_button(update: Update, context: BotContext) -> None:
    """A tap on a digest item (d:<action>:<kind>:<id>) or a holiday list (d:h:<key>:<YYYYMMDD>:<page>)."""
    query = query_of(update)
    button = decode(query.data, "d")  # every field checked: ids in range, a sane day and page
    if button is None:
        await query.answer(t(context.language, "digest.stale"))
        return
    if button.action == "h":  # page "N" from the digest opens the list; "pN" turns its page
        await _greeting_list(update, context, *button.fields)
        return
    if button.action == "ch":  # d:ch:<contact id>:<M|T|E|W>: the channel of a Done's contact
        await _set_channel(update, context, *button.fields)
        return
    if button.action in ("pk", "pn", "px"):  # a note's client to confirm
        done, filed = await confirm_from_digest(update, context, button.action, *button.fields)
        if not done:
            await query.answer(t(context.language, "digest.stale"))
        await _refresh_digest(update, context, f":{button.fields[0]}")
        await offer_earlier(update, context, filed)
        return
    if button.action == "dr":  # a note's date to confirm: the reading tapped
        await _date_from_digest(update, context, *button.fields)
        return
    action, (kind, item_id) = button.action, button.fields
    client_id = await _client_of(context, kind, item_id)
    if client_id is False:
        await query.answer(t(context.language, "digest.stale"))
        return
    client = await context.repo.clients.get(context.profile.user_id, client_id) if client_id else None
    name = client.name if client else t(context.language, "digest.no_client")
    if action == "log":
        if client is None:
            await query.answer(t(context.language, "digest.stale"))
            return
        await context.repo.awaited.expect(context.profile.user_id, "log_for", client.id, "", context.now())
        await query.answer()
        await message_of(update).reply_text(t(context.language, "digest.log_prompt", client=name))
        return
    logged = None
    if action == "ok":
        toast, logged = await _done(context, kind, item_id, client)
    else:
        until = context.today() + timedelta(days=SNOOZE_DAYS[action])
        if kind == "f":  # the client's follow-ups that day are one digest item: all snooze
            for follow_up_id in (item_id, *await _same_day(context, item_id)):
                await context.repo.follow_ups.snooze(context.profile.user_id, follow_up_id, until)
        else:
            await context.repo.snoozes.snooze(context.profile.user_id, SNOOZE_KIND[kind], item_id, until)
        toast = t(context.language, "digest.snoozed", client=name,
                  date=format_date(until, context.language, context.today()))
    await query.answer(toast)
    await _refresh_digest(update, context, f":{kind}:{item_id}")
    if logged is not None:
        await _ask_channel(update, context, logged)


async def _date_from_digest(update: Update, context: BotContext, contact_id: int, reading: str) -> None:
    """Date a note listed under "Date to confirm" by the reading tapped; the digest redrawn."""
    query = query_of(update)
    contact = await context.repo.contacts.get(context.profile.user_id, contact_id)
    dated = None
    if contact is not None and open_dates([contact], context.tz, context.settings.defaults.currency):
        dated = await apply_reading(context, contact, reading)
    if dated is None:  # gone, dated meanwhile, or a contact date ahead
        await query.answer(t(context.language, "digest.stale"))
    else:
        when = dated.occurred_on or dated.follow_up_on
        await query.answer(t(context.language, "digest.date_set", client=dated.client_display or "",
                             date=format_date(when, context.language, context.today()) if when else ""))
    await _refresh_digest(update, context, f":{contact_id}:{reading}")


async def _refresh_digest(update: Update, context: BotContext, suffix: str) -> None:
    """Edit the digest in place so what was just done or snoozed no longer shows as due: the
    message becomes today's digest as it now stands. When it cannot be edited (too old, deleted),
    the handled item's buttons at least go."""
    _, text, markup = await context.pusher.digests.digest_message(context.profile, context.today())
    try:
        await query_of(update).edit_message_text(text, reply_markup=markup)
    except BadRequest as error:
        if "not modified" not in str(error).lower():
            await _drop_row(update, suffix)


def channel_keyboard(contact_id: int, language: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(channel_name(channel, language),
                                                       callback_data=encode("d", "ch", contact_id, letter))
                                  for channel, letter in CHANNEL_LETTERS.items()]])


async def _ask_channel(update: Update, context: BotContext, contact_id: int) -> None:
    """Say how the Done's contact was filed (the channel of the note that set the follow-up, or
    none known) with buttons to change it."""
    contact = await context.repo.contacts.get(context.profile.user_id, contact_id)
    if contact is None:
        return
    language = context.language
    client = contact.client_display or contact.client_name or "?"
    key = "digest.done_channel" if contact.channel else "digest.done_channel_unknown"
    await message_of(update).reply_text(
        t(language, key, client=client, channel=channel_name(contact.channel, language)),
        reply_markup=channel_keyboard(contact.id, language))


async def _set_channel(update: Update, context: BotContext, contact_id: int, letter: str) -> None:
    query = query_of(update)
    rm_id, language = context.profile.user_id, context.language
    contact = await context.repo.contacts.get(rm_id, contact_id)
    if contact is None:
        await query.answer(t(language, "digest.stale"))
        return
    contact = await context.repo.contacts.set_field(rm_id, contact.id, "channel", CHANNEL_BY_LETTER[letter])
    if contact is None:  # undone meanwhile
        await query.answer(t(language, "digest.stale"))
        return
    await query.answer()
    await query.edit_message_text(t(language, "digest.channel_set", client=contact.client_display or "?",
                                    channel=channel_name(contact.channel, language)))


async def _client_of(context: BotContext, kind: str, item_id: int) -> int | None | bool:
    """The client an item is about, or False when the item is not the RM's (or gone)."""
    rm_id = context.profile.user_id
    if kind == "f":
        follow_up = await context.repo.follow_ups.get(rm_id, item_id)
        return False if follow_up is None or follow_up.status != "open" else follow_up.client_id
    if kind == "m":
        holding = await context.repo.holdings.get(rm_id, item_id)
        return False if holding is None else holding.client_id
    if kind == "r":  # a family member's birthday: the fact that named them
        return await context.repo.client_facts.client_of(rm_id, item_id) or False
    client = await context.repo.clients.get(rm_id, item_id)
    return False if client is None else client.id


async def _same_day(context: BotContext, follow_up_id: int) -> list[int]:
    """The client's other open follow-ups due the same day (the digest lists them as one item)."""
    rm_id = context.profile.user_id
    follow_up = await context.repo.follow_ups.get(rm_id, follow_up_id)
    if follow_up is None or follow_up.client_id is None:
        return []
    return [f.id for f in await context.repo.follow_ups.open(rm_id)
            if f.id != follow_up.id and f.client_id == follow_up.client_id and f.due_on == follow_up.due_on]


async def _done(context: BotContext, kind: str, item_id: int, client) -> tuple[str, int | None]:
    """Done: a follow-up closes, a contact or greeting is logged, a maturity is marked handled.
    (toast, the contact logged). A follow-up's contact takes the channel of the note that set it."""
    rm_id, language, today = context.profile.user_id, context.language, context.today()
    name = client.name if client else t(language, "digest.no_client")
    if kind == "m":
        await context.repo.holdings.mark_handled(rm_id, item_id, today)
        return t(language, "digest.done_maturity", client=name), None
    if kind == "f":  # the client's follow-ups that day were one digest item: all are done
        for follow_up_id in ([item_id] if client is None else []) + await _same_day(context, item_id):
            await context.repo.follow_ups.mark_done(rm_id, follow_up_id, context.now())
    if kind in ("b", "r"):  # greeted: the birthday leaves the list until next year
        await context.repo.snoozes.snooze(rm_id, SNOOZE_KIND[kind], item_id,
                                          today + timedelta(days=context.settings.reminders.birthday_days + 1))
    logged = None
    if client is not None:
        channel = None
        if kind == "f":
            follow_up = await context.repo.follow_ups.get(rm_id, item_id)
            source = (await context.repo.contacts.get(rm_id, follow_up.contact_id)
                      if follow_up and follow_up.contact_id else None)
            channel = source.channel if source else None
        logged, _ = await context.repo.contacts.log(
            rm_id, raw_text=t(language, "digest.done_note"), client_name=client.name, client_id=client.id,
            new_client=None, channel=channel, occurred_on=today, amount=None, needs=(), follow_up_on=None,
            follow_up_time=None, message_id=None, now=context.now(), update=context.update_key,
            closes_follow_up=item_id if kind == "f" else None)  # closed and logged in one commit
    return t(language, {"f": "digest.done_follow_up", "c": "digest.done_contact", "b": "digest.done_birthday"}[kind],
             client=name), logged


async def _drop_row(update: Update, suffix: str) -> None:
    """Take the handled item's buttons off the message; the text stays as the morning's record."""
    message = message_of(update)
    markup = message.reply_markup if message else None
    if markup is None:
        return
    rows = [row for row in markup.inline_keyboard
            if not any(isinstance(button.callback_data, str) and button.callback_data.endswith(suffix)
                       for button in row)]
    if len(rows) != len(markup.inline_keyboard):
        await message.edit_reply_markup(InlineKeyboardMarkup(rows) if rows else None)


async def _greeting_list(update: Update, context: BotContext, key: str, day: date,
                         page: tuple[bool, int]) -> None:
    query = query_of(update)
    turned, page_number = page
    clients = tuple(c.name for c in sorted(await context.repo.clients.list(context.profile.user_id),
                                           key=lambda c: (c.tier, c.name)))
    name = holiday_namer(context.settings, context.language)(key)
    text, pages = compose_greeting_list(name, day, clients, page_number, context.language)
    buttons = []
    if page_number > 0:
        buttons.append(InlineKeyboardButton(t(context.language, "digest.button_prev"),
                                            callback_data=encode("d", "h", key, day, f"p{page_number - 1}")))
    if page_number + 1 < pages:
        buttons.append(InlineKeyboardButton(t(context.language, "digest.button_next"),
                                            callback_data=encode("d", "h", key, day, f"p{page_number + 1}")))
    await query.answer()
    markup = InlineKeyboardMarkup([buttons]) if buttons else None
    if not turned:
        await message_of(update).reply_text(text, reply_markup=markup)
    else:
        await query.edit_message_text(text, reply_markup=markup)

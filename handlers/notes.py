"""Logging a note from free text, /undo and /note."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.callback_data import encode
from bot.client_matching import ClientMatch, match_client, match_note
from bot.client_profile import compose_facts, facts_of
from bot.context import BotContext
from bot.display import format_date, format_when
from bot.insurance import added_line
from bot.jobs import schedule_follow_up
from bot.loose_input import stray_kind
from bot.note_reply import NAME_LENGTH, compose_recent, compose_saved, compose_undone, snippet
from bot.parsing import MAX_NOTE_LENGTH, ParsedNote, parse_note
from bot.parsing.note import Reading
from bot.parsing.profile import NO_FACTS
from bot.strings import Markup, t
from handlers.insurance import Filed, ask_rows, file_covers, filed_lines
from handlers.pending_clients import offer_earlier
from handlers.update_parts import message_of
from storage.contacts import COMPANIONS, companion_message_id
from storage.records import Client, Contact

log = logging.getLogger(__name__)


def note_keyboard(contact: Contact, language: str, *, can_merge: bool,
                  above: list[list[InlineKeyboardButton]] | None = None) -> InlineKeyboardMarkup:
    """Undo / Edit (/ Merge…), under `above` (a question's one-tap answers)."""
    row = [InlineKeyboardButton(t(language, "button.undo"), callback_data=encode("n", "u", contact.id)),
           InlineKeyboardButton(t(language, "button.edit"), callback_data=encode("n", "e", contact.id))]
    if contact.created_client and can_merge:
        row.append(InlineKeyboardButton(t(language, "button.merge"), callback_data=encode("n", "m", contact.id)))
    return InlineKeyboardMarkup([*(above or []), row])


def choice_keyboard(contact: Contact, candidates: tuple[Client, ...], name: str | None,
                    language: str) -> InlineKeyboardMarkup:
    """One button per candidate, "new client <name>" (when there is a name), and Undo."""
    rows = [[InlineKeyboardButton(snippet(c.name, 40), callback_data=encode("n", "p", contact.id, c.id))]
            for c in candidates]
    if name:
        rows.append([InlineKeyboardButton(t(language, "note.pick_new", name=snippet(name, 24)),
                                          callback_data=encode("n", "c", contact.id))])
    rows.append([InlineKeyboardButton(t(language, "button.undo"), callback_data=encode("n", "u", contact.id))])
    return InlineKeyboardMarkup(rows)


async def reply_saved(update: Update, context: BotContext, contact: Contact, *, missing: tuple[str, ...] = (),
                      prefix: str = "", other_clients: int | None = None, profile: ParsedNote | None = None,
                      filed: list[Filed] | None = None) -> None:
    """The confirmation with Undo / Edit (/ Merge when the RM has other clients) buttons, the
    one-tap question of whose policy it is when a note's policy left that open, and a maturity or
    expiry date the note names offered as a reminder (never filed as the follow-up)."""
    language = context.language
    if contact.created_client and other_clients is None:
        other_clients = len(await context.repo.clients.list(context.profile.user_id)) - 1
    can_merge = contact.created_client and bool(other_clients)
    text = compose_saved(contact, language, context.today(), missing=missing)
    if profile is not None and profile.profile:
        text = compose_with_profile(contact, profile, language, context.today(), text, filed)
    above = await ask_rows(context, contact, filed or [])
    suggested = profile.suggested[0] if profile is not None and profile.suggested else None
    if suggested is not None and suggested.follow_up_on and contact.follow_up_on is None:
        text = Markup(text + "\n" + t(language, "note.suggest_reminder", phrase=snippet(suggested.phrase, 40)))
        above = [[InlineKeyboardButton(
            t(language, "note.suggest_button", date=format_date(suggested.follow_up_on, language, context.today())),
            callback_data=encode("n", "r", contact.id, f"f{suggested.follow_up_on:%Y%m%d}"))], *above]
    await message_of(update).reply_text(Markup(prefix + text),
                                        reply_markup=note_keyboard(contact, language, can_merge=can_merge,
                                                                   above=above))


def is_profile_only(contact: Contact, parsed: ParsedNote) -> bool:
    """A note that only states profile facts: not a contact (no date, channel or follow-up)."""
    return bool(parsed.profile) and contact.occurred_on is None and contact.follow_up_on is None \
        and contact.channel is None


def compose_with_profile(contact: Contact, parsed: ParsedNote, language: str, today, saved: str,
                         filed: list[Filed] | None = None) -> Markup:
    """The confirmation, with what the note added to the client's profile and the policies it filed
    (until the client is known, the policies as the note tells them)."""
    client = contact.client_display or contact.client_name
    lines = compose_facts(parsed.profile, language, today, assessed_on=today, covers=False)
    if filed:
        lines += filed_lines(filed, language, client)
    else:
        lines += [added_line(c, (c.insured, c.insured_name) if c.insured else None, language, client)
                  for c in parsed.profile.covers]
    if not client:
        return Markup("\n".join([saved, t(language, "profile.no_client"), *lines]))
    name = snippet(client, NAME_LENGTH)
    if is_profile_only(contact, parsed):
        return Markup("\n".join([t(language, "profile.saved_only", client=name), *lines]))
    return Markup("\n".join([saved, t(language, "profile.added", client=name), *lines]))


async def store_profile(context: BotContext, contact: Contact, parsed: ParsedNote, at: datetime) -> list[Filed]:
    """The note's profile facts and insurance policies, filed with the note (Undo removes them);
    once per note. The policies filed as holdings."""
    if not parsed.profile:
        return []
    rm_id = context.profile.user_id
    facts = facts_of(parsed.profile, at.astimezone(context.tz).date())  # the day the RM wrote it (risk assessed)
    if facts and not await context.repo.client_facts.for_contact(rm_id, contact.id):  # else re-delivered: stored
        await context.repo.client_facts.add(rm_id, contact.client_id, facts, context.now(), contact_id=contact.id)
    return await file_covers(context, contact, parsed.profile.covers, parsed.text, at)


def sent_at(message, context: BotContext) -> datetime:
    """When the RM sent the message: a note is read then, not when the bot handles it (after
    downtime "yesterday" still means the day before it was written). A message cannot be sent
    after it is handled, so a sender's clock ahead of ours counts as now."""
    now = context.now()
    sent = getattr(message, "date", None)
    if not isinstance(sent, datetime) or sent.tzinfo is None:
        return now
    return min(sent, now)


def _parse_safely(text: str, context: BotContext, at: datetime) -> ParsedNote:
    """The parse, or a bare note when the parser fails: the text is stored either way."""
    try:
        return parse_note(text, at, context.tz, currency=context.settings.defaults.currency)
    except Exception:
        log.exception("parser failed on a note of %d characters", len(text))
        return ParsedNote(text=text, occurred_on=at.astimezone(context.tz).date())


def readings_keyboard(contact: Contact, parsed: ParsedNote, language: str, today) -> InlineKeyboardMarkup:
    """One button per reading of a date phrase the parser could not place, then Undo / Edit."""
    rows = reading_rows(contact, parsed.readings, language, today)
    rows.append(list(note_keyboard(contact, language, can_merge=False).inline_keyboard[0]))
    return InlineKeyboardMarkup(rows)


def reading_rows(contact: Contact, readings: Sequence[Reading], language: str,
                 today) -> list[list[InlineKeyboardButton]]:
    rows = []
    for reading in readings[:4]:
        if reading.occurred_on:
            label = t(language, "note.reading_contact", date=format_date(reading.occurred_on, language, today))
            data = encode("n", "r", contact.id, f"o{reading.occurred_on:%Y%m%d}")
        elif reading.follow_up_on:
            when = format_when(reading.follow_up_on, reading.follow_up_time, language, today)
            label = t(language, "note.reading_follow_up", date=when)
            at = f"{reading.follow_up_time:%H%M}" if reading.follow_up_time else ""
            data = encode("n", "r", contact.id, f"f{reading.follow_up_on:%Y%m%d}{at}")
        else:
            continue
        rows.append([InlineKeyboardButton(label, callback_data=data)])
    return rows


async def log_note(update: Update, context: BotContext, *, caption: bool = False) -> None:
    """Store a free-text note and confirm it: one contact per client named, each filed only under a
    client it surely means, else with a one-tap question (`caption`: a photo's or file's caption,
    the file itself not kept)."""
    message = message_of(update)
    raw = (message.caption if caption else message.text) or ""
    if not raw.strip():
        await message.reply_text(t(context.language, "note.empty"))
        return
    text = raw[:MAX_NOTE_LENGTH]
    rm = context.profile
    if update.edited_message:  # the RM corrected the message in Telegram: file it again
        for previous in await context.repo.contacts.all_by_message(rm.user_id, message.message_id):
            await context.repo.contacts.delete(rm.user_id, previous)
    at = sent_at(message, context)
    parsed = _parse_safely(text, context, at)
    logging_for = await context.repo.awaited.get(rm.user_id, context.now(), "log_for")  # the RM tapped Log
    forwarded = from_a_client(message, rm.user_id)
    stray = None if forwarded else stray_kind(text, parsed, at.astimezone(context.tz).date(),
                                              client_known=logging_for is not None)
    if stray is not None:  # a stray number, a date word, a name alone: not a note, nothing stored
        await message.reply_text(t(context.language, f"note.stray_{stray}", text=snippet(" ".join(text.split()), 40)))
        return
    clients = await context.repo.clients.list(rm.user_id)
    origin = forward_origin_name(message)
    if forwarded:
        parsed = _as_forwarded(parsed, message, context)
        matches = [match_client(origin, clients)]  # a hidden sender is "none": the reply asks for the client
    else:
        names = [n[:NAME_LENGTH] for n in parsed.clients]
        matches = match_note(names, text, clients)
    if logging_for is not None:
        await context.repo.awaited.clear(rm.user_id, "log_for")
    forced = next((c for c in clients if logging_for is not None and c.id == logging_for.target_id), None)
    if forced is not None:
        matches = [ClientMatch("exact", (forced,), forced.name, "tapped Log")]
    prefix = t(context.language, "note.too_long", limit=MAX_NOTE_LENGTH) + "\n" if len(raw) > MAX_NOTE_LENGTH else ""
    if caption:
        prefix = t(context.language, "note.file_not_kept") + "\n" + prefix
    for index, match in enumerate(matches[:COMPANIONS]):
        message_id = message.message_id if index == 0 else companion_message_id(message.message_id, index)
        if not await _file_one(update, context, parsed, text, match, clients, message_id=message_id,
                               prefix=prefix if index == 0 else "", at=at if len(matches) == 1 else None):
            break


async def _file_one(update: Update, context: BotContext, parsed: ParsedNote, text: str, match: ClientMatch,
                    clients: list[Client], *, message_id: int, prefix: str, at: datetime | None = None) -> bool:
    """Store and confirm the contact with one client of a note; False when it was stored already
    (Telegram delivered the message again)."""
    rm = context.profile
    client = match.client
    name = match.name[:NAME_LENGTH] if match.name else None
    contact_id, new = await context.repo.contacts.log(
        rm.user_id, raw_text=text, client_name=name, client_id=client.id if client else None,
        new_client=name if match.kind == "new" and name else None,
        channel=parsed.channel, occurred_on=parsed.occurred_on, amount=parsed.amount, needs=parsed.needs,
        follow_up_on=parsed.follow_up_on, follow_up_time=parsed.follow_up_time,
        message_id=message_id, now=context.now(), currency=parsed.currency, amount_max=parsed.amount_max,
        date_asked=bool(parsed.readings))
    contact = await context.repo.contacts.get(rm.user_id, contact_id)
    assert contact is not None
    if new:
        await schedule_follow_ups(context, contact.id)
    filed: list[Filed] = []
    if at is not None:  # profile facts go with the note of a single client (see log_note)
        filed = await store_profile(context, contact, parsed, at)
    elif parsed.profile:
        parsed = replace(parsed, profile=NO_FACTS)  # several clients: whose family? not guessed
        prefix += t(context.language, "profile.several_clients") + "\n"
    if parsed.readings and match.kind != "ask":
        phrase = snippet(parsed.readings[0].phrase, 40)
        text_out: str = compose_saved(contact, context.language, context.today())
        await message_of(update).reply_text(
            Markup(prefix + text_out + "\n" + t(context.language, "note.which_date", phrase=phrase)),
            reply_markup=readings_keyboard(contact, parsed, context.language, context.today()))
        if new:
            await offer_earlier(update, context, contact)
        return new
    if match.kind == "ask":
        text_out = compose_saved(contact, context.language, context.today())
        if parsed.profile:
            text_out = compose_with_profile(contact, parsed, context.language, context.today(), text_out)
        text_out += "\n" + t(context.language, "note.ambiguous", name=name or "?")
        text_out += "\n" + t(context.language, "note.pending_hint")  # unanswered, it waits in /due
        keyboard = choice_keyboard(contact, match.clients, name, context.language)
        if parsed.readings:   # both asked in one message: the date readings above the client choice
            text_out += "\n" + t(context.language, "note.which_date", phrase=snippet(parsed.readings[0].phrase, 40))
            keyboard = InlineKeyboardMarkup(reading_rows(contact, parsed.readings, context.language, context.today())
                                            + [list(row) for row in keyboard.inline_keyboard])
        await message_of(update).reply_text(Markup(prefix + text_out), reply_markup=keyboard)
        return new
    missing = tuple(m for m in ("client", "channel", "date", "amount") if m in parsed.missing
                    and not (m == "client" and client)
                    and not (m in ("channel", "date") and is_profile_only(contact, parsed)))
    await reply_saved(update, context, contact, missing=missing, prefix=prefix,
                      other_clients=len([c for c in clients if c.id != contact.client_id]), profile=parsed,
                      filed=filed)
    if new:
        await offer_earlier(update, context, contact)
    return new


def from_a_client(message, rm_id: int) -> bool:
    """A message forwarded from someone else (the RM forwarding their own note is just a note)."""
    origin = message.forward_origin
    user = getattr(origin, "sender_user", None)
    return origin is not None and not (user is not None and user.id == rm_id)


def forward_origin_name(message) -> str | None:
    """Who wrote a forwarded message: the user's name, the hidden sender's name, or the chat's title."""
    origin = message.forward_origin
    if origin is None:
        return None
    user = getattr(origin, "sender_user", None)
    if user is not None:
        return " ".join(part for part in (user.first_name, user.last_name) if part).strip() or None
    chat = getattr(origin, "sender_chat", None) or getattr(origin, "chat", None)
    if chat is not None:
        return chat.title or None
    return getattr(origin, "sender_user_name", None) or None


def _as_forwarded(parsed: ParsedNote, message, context: BotContext) -> ParsedNote:
    """A forwarded message is the client's own words: a message contact on the day it was sent,
    with the needs and amount it names; its dates are the client's, not the RM's follow-ups."""
    sent = message.forward_origin.date
    day = sent.astimezone(context.tz).date() if sent else context.today()
    return replace(parsed, channel="message", occurred_on=day, follow_up_on=None, follow_up_time=None, planned=False,
                   client=None, clients=())


async def undo_command(update: Update, context: BotContext) -> None:
    """Remove the RM's last note: for a note about several clients, every client's part of it."""
    recent = await context.repo.contacts.recent(context.profile.user_id, 1)
    reply = await undo_note(context, recent[0].id, update=context.update_key) if recent else None
    await message_of(update).reply_text(reply or t(context.language, "undo.nothing"))


async def undo_note(context: BotContext, contact_id: int, update=None) -> Markup | None:
    """Remove the whole note `contact_id` belongs to (every client's contact, needs, follow-ups,
    profile facts and policies) and say what went, per client; None when it was gone already."""
    rm_id = context.profile.user_id
    counted: dict[int, tuple[int, int]] = {}
    for contact in await context.repo.contacts.note_of(rm_id, contact_id):
        facts = await context.repo.client_facts.for_contact(rm_id, contact.id)
        policies = await context.repo.holdings.for_contact(rm_id, contact.id)
        covers = sum(1 for f in facts if f.kind == "cover")  # a policy kept as a fact until its client is known
        counted[contact.id] = (len(facts) - covers, len(policies) + covers)
    removed = await context.repo.contacts.delete_note(rm_id, contact_id, update=update)
    if not removed:
        return None
    return compose_undone([(c, *counted.get(c.id, (0, 0))) for c in removed], context.language, context.today())


async def recent_command(update: Update, context: BotContext) -> None:
    """Show the last 5 notes."""
    contacts = await context.repo.contacts.recent(context.profile.user_id, 5)
    await message_of(update).reply_text(compose_recent(contacts, context.language, context.today(), context.tz))


async def schedule_follow_ups(context: BotContext, contact_id: int) -> None:
    """A note with a timed follow-up ("tomorrow 3pm") gets its push job now."""
    for follow_up in await context.repo.follow_ups.for_contact(context.profile.user_id, contact_id):
        if follow_up.due_time is not None and context.job_queue is not None:
            schedule_follow_up(context.job_queue, context.profile, follow_up, context.now())


async def not_text(update: Update, context: BotContext) -> None:
    """Stickers, photos, voice: say what the bot can read; a photo with a caption logs the caption."""
    message = message_of(update)
    if (message.caption or "").strip():
        await log_note(update, context, caption=True)
        return
    await message.reply_text(t(context.language, "note.not_text"))

"""/notify PRODUCT [R1–R5] [amount]: the RM's clients a new product suits, each with a Log button."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.client_profile import build_profile
from bot.context import BotContext
from bot.notices import MATURITY_DAYS, compose_notices, match_offer, read_offer
from bot.reminders.digest import last_contact
from bot.strings import t
from handlers.update_parts import message_of
from storage import Repository


async def load_notice_list(repo: Repository, rm_id: int, offer, today):
    """What the matching needs, read only for clients with a reason (the shell around match_offer).
    Two rounds of reads, each pair at once on the reader pool: who has a reason, then those clients
    (with their last contact) and their suitability facts."""
    needs, holdings = await asyncio.gather(
        repo.notices.needs(rm_id, offer.product),
        repo.notices.holdings(rm_id, today, today + timedelta(days=MATURITY_DAYS), offer.amount or 0.01,
                              offer.currency))
    ids = set(needs) | {h.client_id for h in holdings}
    (clients, last), facts, total = await asyncio.gather(repo.notices.clients(rm_id, ids, today),
                                                         repo.notices.suitability_facts(rm_id, ids),
                                                         repo.notices.client_count(rm_id))
    profiles = {client_id: build_profile(client_facts) for client_id, client_facts in facts.items()}
    seen = {c.id: day for c in clients if (day := last_contact(c, last)) is not None}
    return match_offer(offer, clients, profiles, needs, holdings, seen, today, total_clients=total)


async def notify_command(update: Update, context: BotContext) -> None:
    language = context.language
    offer, problem = read_offer(" ".join(context.args or []))
    if offer is None:
        await message_of(update).reply_text(t(language, problem or "notify.usage"))
        return
    found = await load_notice_list(context.repo, context.profile.user_id, offer, context.today())
    text, buttons = compose_notices(found, language, context.today())
    rows = [[InlineKeyboardButton(label, callback_data=data) for label, data in buttons[i:i + 2]]
            for i in range(0, len(buttons), 2)]
    await message_of(update).reply_text(text, reply_markup=InlineKeyboardMarkup(rows) if rows else None)

"""/review NAME: record an asset review, show what changed since the last one with two charts, then
ask for the client's assets at other banks or not yet on file and take the RM's answers.

The question stays open in SQLite (review_prompts) across a restart, until Done, the next /review,
/cancel, or PROMPT_HOURS. While it is open, a line that reads as one asset with an amount and
nothing else (bot/review_answers.py) is an answer; any other line is handled as usual.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update

from bot.callback_data import decode, encode
from bot.client_matching import find_clients
from bot.client_profile import build_profile, facts_of
from bot.context import BotContext
from bot.display import product_names
from bot.note_reply import snippet
from bot.parsing.profile import OtherBankAsset, ProfileFacts
from bot.review_answers import PROMPT_HOURS, AssetAnswer, is_done, read_answer
from bot.reviews import (
    DEFAULT_CURRENCY,
    Review,
    compare,
    compose_review,
    money_text,
    snapshot_items,
    totals,
)
from bot.strings import t
from handlers.update_parts import message_of, query_of
from storage.records import Client, Holding


def review_charts(client: str, reviews: list[Review], language: str) -> tuple[bytes, bytes]:
    """(bar chart of the totals at each review, pie of the assets now), both in the currency most of
    the assets now are in (CNY on a tie): amounts in different currencies are never added together,
    and the pie names the currencies it leaves out."""
    from bot.charts import holdings_pie_png, pie_currency
    from bot.review_charts import review_totals_png

    latest = reviews[-1].items if reviews else ()
    pie = [Holding(0, 0, item.product, item.name, item.amount, currency=item.currency) for item in latest]
    currency, _ = pie_currency(pie) if pie else (DEFAULT_CURRENCY, [])
    points = [(review.reviewed_on, totals(review.items).get(currency, 0.0)) for review in reviews]
    return review_totals_png(client, points, currency, language), holdings_pie_png(client, pie, language)


async def _show_review(message: Message, context: BotContext, client: Client, review_id: int) -> None:
    """The review's reply (each asset's change and the totals since the review before it) and its charts."""
    language, today = context.language, context.today()
    reviews = await context.repo.reviews.for_client(context.profile.user_id, client.id)
    position = next((i for i, review in enumerate(reviews) if review.id == review_id), None)
    if position is None:
        return
    shown = reviews[:position + 1]
    current = shown[-1]
    found = compare(shown[-2] if len(shown) > 1 else None, current.items)
    holdings = await context.repo.holdings.for_client(context.profile.user_id, client.id)
    covers = sum(1 for h in holdings if h.cover is not None and h.amount is None)  # left out by snapshot_items
    await message.reply_text(compose_review(client.name, current.reviewed_on, found, language, today, covers))
    bars, pie = await asyncio.to_thread(review_charts, client.name, shown, language)  # CPU work off the loop
    await message.reply_photo(photo=bars, caption=t(language, "review.chart_caption", client=client.name))
    await message.reply_photo(photo=pie)


async def review_command(update: Update, context: BotContext) -> None:
    name = " ".join(context.args or []).strip()[:64]
    language, rm_id, repo = context.language, context.profile.user_id, context.repo
    if not name:
        await message_of(update).reply_text(t(language, "review.usage"))
        return
    clients = await repo.clients.list(rm_id)
    resolution = find_clients(name, clients)
    if resolution.kind == "ask":
        rows = [[InlineKeyboardButton(snippet(c.name, 40), callback_data=encode("c", "card", c.id))]
                for c in resolution.clients]
        await message_of(update).reply_text(t(language, "card.pick"), reply_markup=InlineKeyboardMarkup(rows))
        return
    client = resolution.client
    if client is None:
        await message_of(update).reply_text(t(language, "card.not_found", name=name))
        return
    profile = build_profile(await repo.client_facts.for_client(rm_id, client.id))
    items = snapshot_items(await repo.holdings.for_client(rm_id, client.id), profile.other_bank)
    now, today = context.now(), context.today()
    review_id = await repo.reviews.record(rm_id, client.id, today, items, now)
    if review_id is None:  # the client was erased meanwhile
        await message_of(update).reply_text(t(language, "card.not_found", name=name))
        return
    await _show_review(message_of(update), context, client, review_id)
    await repo.reviews.open_prompt(rm_id, review_id, now, now + timedelta(hours=PROMPT_HOURS))
    done = InlineKeyboardButton(t(language, "review.done_button"), callback_data=encode("v", "ok", review_id))
    await message_of(update).reply_text(t(language, "review.ask", client=client.name, hours=PROMPT_HOURS),
                                        reply_markup=InlineKeyboardMarkup([[done]]))


def _asset_text(product: str, bank: str | None, language: str) -> str:
    what = product_names((product,), language)
    return t(language, "review.other_bank", bank=bank or t(language, "profile.other_bank_unnamed"), product=what)


async def _refresh(context: BotContext, client_id: int, review_id: int, answered: int) -> bool:
    """The review's items again: what it held here as recorded, and the client's other-bank assets now."""
    rm_id, repo = context.profile.user_id, context.repo
    review = await repo.reviews.get(rm_id, review_id)
    if review is None:
        return False
    profile = build_profile(await repo.client_facts.for_client(rm_id, client_id))
    here = tuple(item for item in review.items if item.source == "here")
    elsewhere = tuple(item for item in snapshot_items((), profile.other_bank))
    return await repo.reviews.replace_items(rm_id, review_id, here + elsewhere, answered)


async def review_answer(update: Update, context: BotContext) -> bool:
    """A line typed while /review's question is open: an answer (True: consumed) or not (False: the
    line is handled as usual and the question stays open)."""
    rm_id, repo, language = context.profile.user_id, context.repo, context.language
    prompt = await repo.reviews.prompt(rm_id)
    if prompt is None:
        return False
    now = context.now()
    if now >= prompt.expires_at:
        await repo.reviews.close_prompt(rm_id)
        return False
    client = await repo.clients.get(rm_id, prompt.client_id)
    if client is None:
        return False
    text = message_of(update).text or ""
    if is_done(text):
        await _finish(message_of(update), context, client, prompt.review_id)
        return True
    answer = read_answer(text, now, context.tz, (client.name, *client.aliases),
                         currency=context.settings.defaults.currency, own_banks=context.settings.bank.own_names)
    if answer is None:
        return False
    if answer.here:
        await message_of(update).reply_text(t(language, "review.here", bank=answer.bank or ""))
        return True
    await _add(message_of(update), context, client, prompt.review_id, answer)
    return True


async def _add(message: Message, context: BotContext, client: Client, review_id: int, answer: AssetAnswer) -> None:
    rm_id, repo, language, today = context.profile.user_id, context.repo, context.language, context.today()
    before = build_profile(await repo.client_facts.for_client(rm_id, client.id))
    replaces = any((a.product, a.bank) == (answer.product, answer.bank) for a in before.other_bank)
    asset = OtherBankAsset(answer.product, answer.amount, answer.currency, answer.bank, risk=answer.risk)
    [fact] = facts_of(ProfileFacts(other_bank=(asset,)), today)
    fact_id = await repo.client_facts.add_one(rm_id, client.id, fact, context.now())
    if fact_id is None:
        return
    await _refresh(context, client.id, review_id, +1)
    amount = money_text(answer.amount, answer.currency, language)
    risk = f" R{answer.risk}" if answer.risk else ""
    undo = InlineKeyboardButton(t(language, "review.undo_button"), callback_data=encode("v", "u", fact_id, review_id))
    done = InlineKeyboardButton(t(language, "review.done_button"), callback_data=encode("v", "ok", review_id))
    await message.reply_text(t(language, "review.added_again" if replaces else "review.added", client=client.name,
                               what=_asset_text(answer.product, answer.bank, language), risk=risk, amount=amount),
                             reply_markup=InlineKeyboardMarkup([[undo, done]]))


async def _finish(message: Message, context: BotContext, client: Client, review_id: int) -> None:
    """Done: close the question; when answers were added (or a note meanwhile named an asset at
    another bank: `电话刘总，他行理财 300万` is a contact, and its asset counts too), the review
    again with its charts."""
    rm_id, repo = context.profile.user_id, context.repo
    prompt = await repo.reviews.prompt(rm_id)
    await repo.reviews.close_prompt(rm_id)
    before = await repo.reviews.get(rm_id, review_id)
    await _refresh(context, client.id, review_id, 0)
    after = await repo.reviews.get(rm_id, review_id)
    answered = prompt is not None and prompt.review_id == review_id and prompt.answers > 0
    if answered or (before is not None and after is not None and before.items != after.items):
        await _show_review(message, context, client, review_id)
    else:
        await message.reply_text(t(context.language, "review.closed", client=client.name))


async def review_button(update: Update, context: BotContext) -> None:
    """v:ok:<review> closes the question; v:u:<fact>:<review> takes an answer back."""
    query = query_of(update)
    button = decode(query.data, "v")
    rm_id, repo, language = context.profile.user_id, context.repo, context.language
    if button is None:
        await query.answer(t(language, "digest.stale"))
        return
    message = message_of(update)
    if button.action == "ok":
        (review_id,) = button.fields
        prompt = await repo.reviews.prompt(rm_id)
        client = await repo.clients.get(rm_id, prompt.client_id) if prompt else None
        await query.answer()
        if prompt is None or prompt.review_id != review_id or client is None:
            await message.reply_text(t(language, "review.closed_stale"))
            return
        await query.edit_message_reply_markup(None)
        await _finish(message, context, client, review_id)
        return
    fact_id, review_id = button.fields
    found = await repo.client_facts.get(rm_id, fact_id)
    client = await repo.clients.get(rm_id, found[0]) if found and found[0] is not None else None
    if found is None or client is None or not await repo.client_facts.remove(rm_id, fact_id, "other_bank"):
        await query.answer(t(language, "review.undo_gone"))
        return
    await query.answer()
    prompt = await repo.reviews.prompt(rm_id)
    open_here = prompt is not None and prompt.review_id == review_id
    await _refresh(context, client.id, review_id, -1 if open_here else 0)
    asset = build_profile([found[1]]).other_bank
    what = _asset_text(asset[0].product or "", asset[0].bank, language) if asset else ""
    amount = money_text(asset[0].amount, asset[0].currency or DEFAULT_CURRENCY, language) \
        if asset and asset[0].amount is not None else ""
    await query.edit_message_text(t(language, "review.undone", client=client.name, what=what, amount=amount))

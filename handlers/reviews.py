"""/review NAME: record an asset review and show what changed since the last one, with two charts."""

from __future__ import annotations

import asyncio

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.client_matching import find_clients
from bot.client_profile import build_profile
from bot.context import BotContext
from bot.note_reply import snippet
from bot.records import Holding
from bot.reviews import DEFAULT_CURRENCY, Review, compare, compose_review, snapshot_items, totals
from bot.strings import t


def review_charts(client: str, reviews: list[Review], language: str) -> tuple[bytes, bytes]:
    """(bar chart of the totals at each review, pie of the assets now), in the main currency."""
    from bot.charts import holdings_pie_png
    from bot.review_charts import review_totals_png

    points = [(review.reviewed_on, totals(review.items).get(DEFAULT_CURRENCY, 0.0)) for review in reviews]
    latest = reviews[-1].items if reviews else ()
    pie = [Holding(0, 0, item.product, item.name, item.amount) for item in latest
           if item.currency == DEFAULT_CURRENCY]
    return review_totals_png(client, points, DEFAULT_CURRENCY, language), holdings_pie_png(client, pie, language)


async def review_command(update: Update, context: BotContext) -> None:
    name = " ".join(context.args or []).strip()[:64]
    language, rm_id, repo = context.language, context.profile.user_id, context.repo
    if not name:
        await update.effective_message.reply_text(t(language, "review.usage"))
        return
    clients = await repo.clients.list(rm_id)
    resolution = find_clients(name, clients)
    if resolution.kind == "ask":
        rows = [[InlineKeyboardButton(snippet(c.name, 40), callback_data=f"c:card:{c.id}")] for c in resolution.clients]
        await update.effective_message.reply_text(t(language, "card.pick"), reply_markup=InlineKeyboardMarkup(rows))
        return
    client = resolution.client
    if client is None:
        await update.effective_message.reply_text(t(language, "card.not_found", name=name))
        return
    profile = build_profile(await repo.client_facts.for_client(rm_id, client.id))
    items = snapshot_items(await repo.holdings.for_client(rm_id, client.id), profile.other_bank)
    today = context.today()
    earlier = [r for r in await repo.reviews.for_client(rm_id, client.id) if r.reviewed_on != today]
    await repo.reviews.record(rm_id, client.id, today, items, context.now())
    found = compare(earlier[-1] if earlier else None, items)
    await update.effective_message.reply_text(compose_review(client.name, today, found, language, today))
    reviews = earlier + [Review(0, client.id, today, items)]
    bars, pie = await asyncio.to_thread(review_charts, client.name, reviews, language)  # CPU work off the loop
    caption = t(language, "review.chart_caption", client=client.name)
    await update.effective_message.reply_photo(photo=bars, caption=caption)
    await update.effective_message.reply_photo(photo=pie)

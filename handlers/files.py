"""/export (XLSX, or a zip of CSVs) and /chart (contacts per week, or a client's holdings pie).

Files are built in memory from the asking RM's data only and sent straight to the chat.
matplotlib and openpyxl are imported on first use: most runs never draw or export, and importing
them costs about a second at start-up.
"""

from __future__ import annotations

import asyncio
from datetime import date

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.callback_data import sane_day
from bot.client_matching import find_clients
from bot.context import BotContext
from bot.display import format_date
from bot.note_reply import snippet
from bot.strings import t


async def export_command(update: Update, context: BotContext) -> None:
    """Everything the RM holds as an XLSX (or `/export csv`), contact calendar for this or a given month."""
    args = [a.lower() for a in context.args or []]
    month, as_csv = context.today(), False
    for arg in args:
        if arg == "csv":
            as_csv = True
        else:
            try:
                month = date.fromisoformat(f"{arg}-01")
                if not sane_day(month):
                    raise ValueError(arg)
            except ValueError:
                await update.effective_message.reply_text(t(context.language, "files.export_month_usage"))
                return
    from bot.exports import ExportData, export_csv_zip, export_xlsx

    rm_id, repo, today = context.profile.user_id, context.repo, context.today()
    data = ExportData(tuple(await repo.clients.list(rm_id)), tuple(await repo.contacts.all(rm_id)),
                      tuple(await repo.holdings.list(rm_id)), tuple(await repo.follow_ups.all(rm_id)), month, today,
                      tuple(await repo.reviews.all(rm_id)))
    await repo.audit.record(rm_id, "export", "csv" if as_csv else "xlsx", context.now())
    build = export_csv_zip if as_csv else export_xlsx
    content = await asyncio.to_thread(build, data, context.language)  # CPU work off the event loop
    name = f"rm-assistant-{today:%Y%m%d}.{'zip' if as_csv else 'xlsx'}"
    await update.effective_message.reply_document(
        document=content, filename=name,
        caption=t(context.language, "files.export_caption", date=format_date(today, context.language, today)))


async def chart_command(update: Update, context: BotContext) -> None:
    """Contacts per week for 12 weeks by channel, or `/chart NAME` for a client's holdings pie."""
    from bot.charts import contacts_per_week_png
    from bot.reports.figures import is_contact

    name = " ".join(context.args or []).strip()[:64]
    rm_id, language = context.profile.user_id, context.language
    if not name:
        contacts = [c for c in await context.repo.contacts.all(rm_id) if is_contact(c)]  # as the reports count
        png = await asyncio.to_thread(contacts_per_week_png, contacts, context.today(), language)
        await update.effective_message.reply_photo(photo=png, caption=t(language, "files.chart_weekly_caption"))
        return
    resolution = find_clients(name, await context.repo.clients.list(rm_id))
    client = resolution.client
    if resolution.kind == "ask":
        rows = [[InlineKeyboardButton(snippet(c.name, 40), callback_data=f"c:chart:{c.id}")] for c in resolution.clients]
        await update.effective_message.reply_text(t(language, "card.pick"), reply_markup=InlineKeyboardMarkup(rows))
        return
    if client is None:
        await update.effective_message.reply_text(t(language, "card.not_found", name=name))
        return
    await send_holdings_chart(update, context, client)


async def send_holdings_chart(update: Update, context: BotContext, client) -> None:
    """A client's holdings pie (from /chart NAME, or the pick when several clients fit)."""
    from bot.charts import holdings_pie_png, pie_slices

    rm_id, language = context.profile.user_id, context.language
    holdings = await context.repo.holdings.for_client(rm_id, client.id)
    if not pie_slices(holdings):  # nothing to draw: say so in words, not in a picture
        await update.effective_message.reply_text(t(language, "files.chart_no_holdings", client=client.name))
        return
    png = await asyncio.to_thread(holdings_pie_png, client.name, holdings, language)
    await update.effective_message.reply_photo(photo=png, caption=t(language, "files.chart_pie_caption", client=client.name))

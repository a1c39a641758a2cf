"""/today, /week, /month and /team: short reports that fit one phone screen."""

from __future__ import annotations

from datetime import date

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest

from bot.callback_data import decode, encode, sane_day
from bot.context import BotContext
from bot.reports.compose import compose_period, compose_team, compose_today
from bot.reports.figures import is_contact
from bot.reports.loading import load_period_report, load_team
from bot.strings import t
from handlers.update_parts import chat_of, message_of, query_of


def _day_argument(context: BotContext) -> date | None:
    """The day a report is about: today, or the YYYY-MM-DD given (None when unreadable)."""
    if not context.args:
        return context.today()
    try:
        day = date.fromisoformat(context.args[0])
    except ValueError:
        return None
    return day if sane_day(day) else None  # 9999-12-31 would overflow the week's end


async def today_command(update: Update, context: BotContext) -> None:
    """Today's logged contacts, newest first and paged, and what is still due today."""
    text, markup = await _today_page(context, context.today(), 0)
    await message_of(update).reply_text(text, reply_markup=markup)


async def today_button(update: Update, context: BotContext) -> None:
    """Turn a page of /today: r:t:<YYYYMMDD>:<page> (the day the list was made for)."""
    query = query_of(update)
    button = decode(query.data, "r")  # a sane day and a page within MAX_PAGE
    if button is None:
        await query.answer(t(context.language, "digest.stale"))
        return
    day, page = button.fields
    await query.answer()
    text, markup = await _today_page(context, day, page)
    try:
        await query.edit_message_text(text, reply_markup=markup)
    except BadRequest as error:
        if "not modified" not in str(error).lower():
            await context.bot.send_message(chat_of(update).id, text, reply_markup=markup)


async def _today_page(context: BotContext, day: date, page: int):
    rm_id, language = context.profile.user_id, context.language
    contacts = [c for c in await context.repo.contacts.between(rm_id, day, day) if is_contact(c)]
    digest = await context.pusher.digests.digest_for(context.profile, day)
    text, page, pages = compose_today(contacts, digest, language, page)
    paging = []
    if page > 0:
        paging.append(InlineKeyboardButton(t(language, "digest.button_prev"),
                                           callback_data=encode("r", "t", day, page - 1)))
    if page + 1 < pages:
        paging.append(InlineKeyboardButton(t(language, "digest.button_next"),
                                           callback_data=encode("r", "t", day, page + 1)))
    return text, InlineKeyboardMarkup([paging]) if paging else None


async def _period(update: Update, context: BotContext, period: str) -> None:
    day = _day_argument(context)
    if day is None:
        await message_of(update).reply_text(t(context.language, "report.usage", command=f"/{period}"))
        return
    report = await load_period_report(context.repo, context.profile, period, day)
    await message_of(update).reply_text(compose_period(report, context.language, context.today()))


async def week_command(update: Update, context: BotContext) -> None:
    """This week's figures: contacts by channel, clients, needs, follow-ups, coverage."""
    await _period(update, context, "week")


async def month_command(update: Update, context: BotContext) -> None:
    """This month's figures."""
    await _period(update, context, "month")


async def team_command(update: Update, context: BotContext) -> None:
    """A supervisor's team summary on demand."""
    rm_ids = context.settings.access.supervisors.get(context.profile.user_id)
    if rm_ids is None:
        await message_of(update).reply_text(t(context.language, "team.not_supervisor"))
        return
    rows = await load_team(context.repo, rm_ids, context.today(), context.settings.access.supervisors_see_notes)
    for text in compose_team(rows, context.language, context.today()):
        await message_of(update).reply_text(text)

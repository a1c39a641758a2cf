"""/today, /week, /month and /team: short reports that fit one phone screen."""

from __future__ import annotations

from datetime import date

from telegram import Update

from bot.callback_data import sane_day
from bot.context import BotContext
from bot.reports.compose import compose_period, compose_team, compose_today
from bot.reports.loading import load_period_report, load_team
from bot.strings import t


def _day_argument(context: BotContext) -> date | None | bool:
    """The day a report is about: today, or the YYYY-MM-DD given (False when unreadable)."""
    if not context.args:
        return context.today()
    try:
        day = date.fromisoformat(context.args[0])
    except ValueError:
        return False
    return day if sane_day(day) else False  # 9999-12-31 would overflow the week's end


async def today_command(update: Update, context: BotContext) -> None:
    """Today's logged contacts and what is still due today."""
    today = context.today()
    contacts = await context.repo.contacts.between(context.profile.user_id, today, today)
    digest = await context.pusher.digest_for(context.profile, today)
    await update.effective_message.reply_text(compose_today(contacts, digest, context.language))


async def _period(update: Update, context: BotContext, period: str) -> None:
    day = _day_argument(context)
    if day is False:
        await update.effective_message.reply_text(t(context.language, "report.usage", command=f"/{period}"))
        return
    report = await load_period_report(context.repo, context.profile, period, day)
    await update.effective_message.reply_text(compose_period(report, context.language, context.today()))


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
        await update.effective_message.reply_text(t(context.language, "team.not_supervisor"))
        return
    rows = await load_team(context.repo, rm_ids, context.today(), context.settings.access.supervisors_see_notes)
    for text in compose_team(rows, context.language, context.today()):
        await update.effective_message.reply_text(text)

"""/settings: language and timezone for the asking RM."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.context import BotContext
from bot.strings import LANGUAGES, t

LANGUAGE_NAMES = {"zh": "中文", "en": "English"}


def _keyboard(language: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(t(language, f"button.lang_{code}"), callback_data=f"s:lang:{code}")
                                  for code in LANGUAGES]])


async def settings_command(update: Update, context: BotContext) -> None:
    """Show settings with language buttons; `/settings timezone NAME` sets the timezone."""
    args = context.args or []
    rm = context.profile
    if len(args) == 2 and args[0].lower() in ("timezone", "tz", "时区"):
        try:
            ZoneInfo(args[1])
        except (ZoneInfoNotFoundError, ValueError):
            await update.effective_message.reply_text(t(rm.language, "settings.bad_timezone", value=args[1][:64]))
            return
        context.rm = await context.repo.rms.update(rm.user_id, timezone=args[1])
        await update.effective_message.reply_text(t(rm.language, "settings.timezone_set", timezone=args[1]))
        return
    if args:
        await update.effective_message.reply_text(t(rm.language, "settings.usage"))
        return
    await update.effective_message.reply_text(
        t(rm.language, "settings.text", language=LANGUAGE_NAMES[rm.language], timezone=rm.timezone),
        reply_markup=_keyboard(rm.language))


async def language_button(update: Update, context: BotContext) -> None:
    """Switch the RM's language from the settings buttons."""
    query = update.callback_query
    code = (query.data or "").rsplit(":", 1)[-1]
    if code not in LANGUAGES:
        await query.answer()
        return
    context.rm = await context.repo.rms.update(context.profile.user_id, language=code)
    await query.answer(t(code, "settings.language_set"))
    await query.edit_message_text(
        t(code, "settings.text", language=LANGUAGE_NAMES[code], timezone=context.rm.timezone),
        reply_markup=_keyboard(code))

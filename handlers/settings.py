"""/settings: language, timezone, digest time, working days only, empty digests and tier cadences."""

from __future__ import annotations

from datetime import time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.callback_data import decode, encode
from bot.context import BotContext
from bot.jobs import schedule_digest
from bot.strings import LANGUAGES, t
from handlers.update_parts import message_of, query_of
from storage.records import RMProfile

LANGUAGE_NAMES = {"zh": "中文", "en": "English"}
#: `/settings <word> …`: the words RMs may type, in both languages.
WORDS = {
    "timezone": "timezone", "tz": "timezone", "时区": "timezone",
    "digest": "digest", "time": "digest", "提醒时间": "digest", "时间": "digest",
    "workdays": "workdays", "working_days": "workdays", "工作日": "workdays",
    "empty": "empty", "空提醒": "empty",
    "cadence": "cadence", "周期": "cadence", "联系周期": "cadence",
}
SWITCH = {"on": True, "off": False, "yes": True, "no": False, "开": True, "关": False, "是": True, "否": False,
          "1": True, "0": False}


def _keyboard(rm: RMProfile) -> InlineKeyboardMarkup:
    language = rm.language
    return InlineKeyboardMarkup([
        [InlineKeyboardButton(t(language, f"button.lang_{code}"), callback_data=encode("s", "lang", code))
         for code in LANGUAGES],
        [InlineKeyboardButton(t(language, "settings.toggle_workdays"), callback_data=encode("s", "toggle", "workdays")),
         InlineKeyboardButton(t(language, "settings.toggle_empty"), callback_data=encode("s", "toggle", "empty"))],
    ])


def _text(rm: RMProfile) -> str:
    on_off = {True: t(rm.language, "settings.on"), False: t(rm.language, "settings.off")}
    return t(rm.language, "settings.text", language=LANGUAGE_NAMES[rm.language], timezone=rm.timezone,
             digest_time=rm.digest_time, workdays=on_off[rm.working_days_only], empty=on_off[rm.send_empty_digest],
             a=rm.cadence_a, b=rm.cadence_b, c=rm.cadence_c)


def _change(args: list[str]) -> tuple[dict, str] | None:
    """`/settings` arguments as (changes, confirmation key), or None when they make no sense."""
    word = WORDS.get(args[0].lower()) if args else None
    if word == "timezone" and len(args) == 2:
        try:
            ZoneInfo(args[1])
        except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long to be a file
            return None
        return {"timezone": args[1]}, "settings.timezone_set"
    if word == "digest" and len(args) == 2:
        try:
            at = time.fromisoformat(args[1].replace("：", ":").zfill(5))
        except ValueError:
            return None
        return {"digest_time": at.strftime("%H:%M")}, "settings.digest_set"
    if word in ("workdays", "empty") and len(args) == 2 and args[1].lower() in SWITCH:
        column = "working_days_only" if word == "workdays" else "send_empty_digest"
        return {column: SWITCH[args[1].lower()]}, "settings.saved"
    if word == "cadence" and len(args) == 3 and args[1].upper() in ("A", "B", "C") and args[2].isascii() \
            and args[2].isdecimal() and len(args[2]) <= 4 and 1 <= int(args[2]) <= 3650:
        return {f"cadence_{args[1].lower()}": int(args[2])}, "settings.saved"
    return None


async def settings_command(update: Update, context: BotContext) -> None:
    """Show settings with buttons; `/settings digest 08:00`, `timezone`, `workdays`, `empty`, `cadence A 30`
    change them."""
    args = context.args or []
    rm = context.profile
    if not args:
        await message_of(update).reply_text(_text(rm), reply_markup=_keyboard(rm))
        return
    change = _change(args)
    if change is None:
        if WORDS.get(args[0].lower()) == "timezone" and len(args) == 2:  # name only the timezone typed
            await message_of(update).reply_text(t(rm.language, "settings.bad_timezone", value=args[1][:64]))
            return
        await message_of(update).reply_text(t(rm.language, "settings.usage", value=" ".join(args)[:64]))
        return
    changes, confirmation = change
    context.rm = await context.repo.rms.update(rm.user_id, **changes)
    if ("timezone" in changes or "digest_time" in changes) and context.job_queue is not None:
        schedule_digest(context.job_queue, context.rm)
    await message_of(update).reply_text(
        t(rm.language, confirmation, timezone=context.rm.timezone, digest_time=context.rm.digest_time))


async def settings_button(update: Update, context: BotContext) -> None:
    """Switch the RM's language, or toggle a digest switch, from the settings buttons."""
    query = query_of(update)
    button = decode(query.data, "s")
    rm = context.profile
    if button is not None and button.action == "lang":
        context.rm = await context.repo.rms.update(rm.user_id, language=button.fields[0])
        await query.answer(t(button.fields[0], "settings.language_set"))
    elif button is not None and button.action == "toggle":
        column = "working_days_only" if button.fields[0] == "workdays" else "send_empty_digest"
        context.rm = await context.repo.rms.update(rm.user_id, update=context.update_key,
                                                   **{column: not getattr(rm, column)})
        await query.answer(t(rm.language, "settings.saved"))
    else:
        await query.answer()
        return
    await query.edit_message_text(_text(context.rm), reply_markup=_keyboard(context.rm))

"""/start, /help and unknown commands."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.strings import t


async def start(update: Update, context: BotContext) -> None:
    """Greet the RM and show in three lines how to log a contact."""
    name = update.effective_user.first_name if update.effective_user else ""
    await update.effective_message.reply_text(t(context.language, "start.greeting", name=name))


async def help_command(update: Update, context: BotContext) -> None:
    """List the commands."""
    await update.effective_message.reply_text(t(context.language, "help.text"))


async def unknown_command(update: Update, context: BotContext) -> None:
    """Say the command is not known (a typo, or an old menu), then list the ones that are."""
    command = (update.effective_message.text or "").split(maxsplit=1)[0][:32]
    await update.effective_message.reply_text(
        t(context.language, "help.unknown", command=command) + "\n\n" + t(context.language, "help.text"))

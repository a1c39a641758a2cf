"""Telegram handlers: translate updates into calls on the core and the repository, and reply."""

from __future__ import annotations

from telegram import Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.context import BotContext
from bot.faq import looks_like_question
from bot.parsing import parse_note
from bot.strings import t
from handlers.access import guard
from handlers.clients import client_button, client_command, client_field_value, client_list_button, clients_command
from handlers.errors import on_error
from handlers.faq import answer_question, faq_button, faq_command, faq_gaps, faq_reload
from handlers.files import chart_command, export_command
from handlers.find import find_button, find_command
from handlers.imports import import_document
from handlers.membership import membership_changed
from handlers.note_buttons import cancel_command, edit_value, note_button
from handlers.notes import from_a_client, log_note, not_text, recent_command, undo_command
from handlers.notices import notify_command
from handlers.operations import status_command
from handlers.privacy import forget_button, forget_command, mydata_command
from handlers.redelivery import mark_handled, skip_handled
from handlers.reminders import digest_button, due_command
from handlers.reports import month_command, team_command, today_button, today_command, week_command
from handlers.reviews import review_answer, review_button, review_command
from handlers.settings import settings_button, settings_command
from handlers.start import help_command, start, unknown_command
from handlers.update_parts import message_of, user_of


async def text_message(update: Update, context: BotContext) -> None:
    """Free text: an Edit value, an answer to /review's question, a question for the FAQ, or (by
    default) a new note.

    A question mark alone does not make a question: a line naming a client and a channel
    ("called Liu, wants LC?") is still a contact note. A forwarded message is always a note: the
    client's own words, never the RM's question or an Edit value.
    """
    forwarded = from_a_client(message_of(update), user_of(update).id)
    if not forwarded and (await edit_value(update, context) or await client_field_value(update, context)
                          or await review_answer(update, context)):
        return
    text = message_of(update).text or ""
    if not forwarded and looks_like_question(text):
        parsed = parse_note(text, context.now(), context.tz)
        if not (parsed.client and parsed.channel):
            await answer_question(update, context, text)
            return
    await log_note(update, context)


async def edited_command(update: Update, context: BotContext) -> None:
    """An edited /command is not run a second time (an edited /undo would remove another note)."""
    await message_of(update).reply_text(t(context.language, "error.edited_command"))


def register_handlers(application: Application) -> None:
    """All handlers, in the order they are tried."""
    # -2: an update Telegram delivers again after a crash, handled already, is not handled twice
    application.add_handler(TypeHandler(Update, skip_handled), group=-2)
    # -1: the RM blocked or unblocked the bot: never registers an RM, so it comes before the guard
    application.add_handler(ChatMemberHandler(membership_changed, ChatMemberHandler.MY_CHAT_MEMBER), group=-1)
    # -1: access guard: private chats and allowed users only; loads the RM's profile
    application.add_handler(TypeHandler(Update, guard), group=-1)
    # 0: an edited command is not run again; then the commands
    application.add_handler(MessageHandler(filters.UpdateType.EDITED_MESSAGE & filters.COMMAND, edited_command))
    application.add_handler(CommandHandler("start", start))
    application.add_handler(CommandHandler("help", help_command))
    application.add_handler(CommandHandler("note", recent_command))
    application.add_handler(CommandHandler("undo", undo_command))
    application.add_handler(CommandHandler("find", find_command))
    application.add_handler(CommandHandler("due", due_command))
    application.add_handler(CommandHandler("today", today_command))
    application.add_handler(CommandHandler("week", week_command))
    application.add_handler(CommandHandler("month", month_command))
    application.add_handler(CommandHandler("client", client_command))
    application.add_handler(CommandHandler("clients", clients_command))
    application.add_handler(CommandHandler("export", export_command))
    application.add_handler(CommandHandler("chart", chart_command))
    application.add_handler(CommandHandler("notify", notify_command))
    application.add_handler(CommandHandler("review", review_command))
    application.add_handler(CommandHandler("team", team_command))
    application.add_handler(CommandHandler("forget", forget_command))
    application.add_handler(CommandHandler("mydata", mydata_command))
    application.add_handler(CommandHandler("status", status_command))
    application.add_handler(CommandHandler("settings", settings_command))
    application.add_handler(CommandHandler("cancel", cancel_command))
    application.add_handler(CommandHandler("faq", faq_command))
    application.add_handler(CommandHandler("faq_gaps", faq_gaps))
    application.add_handler(CommandHandler("faq_reload", faq_reload))
    # buttons
    application.add_handler(CallbackQueryHandler(note_button, pattern=r"^n:"))
    application.add_handler(CallbackQueryHandler(settings_button, pattern=r"^s:"))
    application.add_handler(CallbackQueryHandler(digest_button, pattern=r"^d:"))
    application.add_handler(CallbackQueryHandler(client_button, pattern=r"^c:"))
    application.add_handler(CallbackQueryHandler(client_list_button, pattern=r"^l:"))
    application.add_handler(CallbackQueryHandler(forget_button, pattern=r"^p:"))
    application.add_handler(CallbackQueryHandler(faq_button, pattern=r"^f:"))
    application.add_handler(CallbackQueryHandler(find_button, pattern=r"^q:"))
    application.add_handler(CallbackQueryHandler(today_button, pattern=r"^r:"))
    application.add_handler(CallbackQueryHandler(review_button, pattern=r"^v:"))
    application.add_handler(CallbackQueryHandler(note_button))  # anything else: "no longer valid"
    # free text is a note (or an Edit value); unknown commands get the help; a file is an import;
    # the rest is not text
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, text_message))
    application.add_handler(MessageHandler(filters.COMMAND, unknown_command))
    application.add_handler(MessageHandler(filters.Document.ALL, import_document))
    application.add_handler(MessageHandler(filters.ALL, not_text))
    # 1: the update is handled and answered: log it, so a delivery again is skipped
    application.add_handler(TypeHandler(Update, mark_handled), group=1)
    application.add_error_handler(on_error)

"""A clients or holdings file (CSV or XLSX) sent to the bot."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.imports import MAX_FILE_BYTES
from bot.imports.storing import KIND_WORDS, compose_import_report, import_file
from bot.strings import t
from handlers.update_parts import UnexpectedUpdate, message_of

SUFFIXES = (".csv", ".xlsx", ".txt")


async def import_document(update: Update, context: BotContext) -> None:
    """Load the file's good rows and report bad ones by line; the caption may say clients or holdings."""
    message = message_of(update)
    document = message.document
    if document is None:
        raise UnexpectedUpdate("the import handler is registered for documents")
    language = context.language
    name = (document.file_name or "").lower()
    if not name.endswith(SUFFIXES):
        if (message.caption or "").strip():   # a photo sent as a file, a PDF: the caption is the note
            from handlers.notes import log_note
            await log_note(update, context, caption=True)
            return
        await message.reply_text(t(language, "imported.unsupported"))
        return
    if (document.file_size or 0) > MAX_FILE_BYTES:
        await message.reply_text(t(language, "imported.too_large", megabytes=MAX_FILE_BYTES // (1024 * 1024)))
        return
    file = await document.get_file()
    content = bytes(await file.download_as_bytearray())
    words = (message.caption or "").lower().split()
    kind = next((KIND_WORDS[w] for w in words if w in KIND_WORDS), None)
    report = await import_file(context.repo, context.profile.user_id, kind, name, content, context.now(),
                              tuple(context.settings.bank.own_names))
    await context.repo.audit.record(context.profile.user_id, "import", report.kind, context.now())
    await message.reply_text(compose_import_report(report, language))

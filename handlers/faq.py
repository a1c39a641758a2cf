"""Questions to the curated FAQ: /faq, typed questions, topic buttons, and the curators' commands.

Answers are the curated text exactly as written in bot/catalog/faq/, never paraphrased.
"""

from __future__ import annotations

import asyncio
import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.callback_data import encode
from bot.context import BotContext
from bot.faq import FaqEntry, FaqError, FaqIndex, faq_directory, load_faq
from bot.faq.client_figures import client_asked_about
from bot.faq.entries import CATEGORIES
from bot.note_reply import snippet
from bot.strings import Markup, t
from handlers.update_parts import message_of, pressed_on, query_of

log = logging.getLogger(__name__)
#: A question asked while the index is still being built (the first seconds after start) waits this
#: long for it quietly; then the RM is told "one moment" and gets the answer when it is built.
FAQ_PATIENCE = 1.0


def _topic_button(entry: FaqEntry, language: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(entry.title(language), callback_data=encode("f", "a", entry.id))


def compose_answer(entry: FaqEntry, language: str) -> Markup:
    return t(language, "faq.answer", title=entry.title(language), answer=entry.answer(language),
             source=entry.source, reviewed=entry.reviewed.isoformat())


async def answer_question(update: Update, context: BotContext, question: str) -> None:
    """The best entry with its source and two "did you mean" buttons, or an honest abstention."""
    language = context.language
    client = client_asked_about(question, await context.repo.clients.list(context.profile.user_id))
    if client is not None:  # 刘建国账户余额多少: the RM's own data, on the card; not a curated topic
        await message_of(update).reply_text(
            t(language, "faq.client_figures", name=client.name),
            reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton(
                "📇 " + snippet(client.name, 40), callback_data=encode("c", "card", client.id))]]))
        return
    faq = await _faq_index(update, context)
    ranking = faq.rank(question)
    if ranking.is_noise:
        # "？？？" or "asdf" names no topic: ask for words, and keep it out of the curators' gaps
        await message_of(update).reply_text(t(language, "faq.no_question"))
        return
    # no update key: after a crash the question is simply answered again (a repeat in the log is harmless)
    await context.repo.faq_log.record(context.profile.user_id, question, ranking.answer_id, context.now())
    if ranking.answer_id:
        entry = faq.entries[ranking.answer_id]
        others = [faq.entries[i] for i in ranking.ranked[1:3]]
        text = Markup(compose_answer(entry, language) + "\n\n" + t(language, "faq.did_you_mean"))
        keyboard = InlineKeyboardMarkup([[_topic_button(e, language)] for e in others])
        await message_of(update).reply_text(text, reply_markup=keyboard)
        return
    closest = [faq.entries[i] for i in ranking.ranked[:3]]
    text = Markup(t(language, "faq.no_answer") + "\n" + t(language, "faq.no_answer_logged"))
    await message_of(update).reply_text(
        text, reply_markup=InlineKeyboardMarkup([[_topic_button(e, language)] for e in closest]))


async def _faq_index(update: Update, context: BotContext) -> FaqIndex:
    """The index; while it is still being built, a "one moment" reply if that takes more than a moment."""
    data = context.bot_data
    if data.faq_built:
        return data.faq
    build = asyncio.ensure_future(data.faq_index())
    done, _ = await asyncio.wait({build}, timeout=FAQ_PATIENCE)
    if not done:
        await message_of(update).reply_text(t(context.language, "faq.warming"))
    return await build


async def faq_command(update: Update, context: BotContext) -> None:
    """/faq QUESTION answers it; /faq alone lists the topics by category."""
    question = " ".join(context.args or []).strip()
    if question:
        await answer_question(update, context, question)
        return
    await message_of(update).reply_text(t(context.language, "faq.topics"),
                                        reply_markup=_topics_keyboard(context, None))


def _topics_keyboard(context: BotContext, only: str | None) -> InlineKeyboardMarkup:
    """Topics by category. A category's header button shows only its topics (f:c:<category>);
    then a button goes back to all (f:c:)."""
    language = context.language
    rows: list[list[InlineKeyboardButton]] = []
    for category in CATEGORIES if only is None else (only,):
        label = t(language, f"faq.category_{category}")
        rows.append([InlineKeyboardButton(f"— {label} —" if only is None else f"‹ {t(language, 'faq.all_topics')}",
                                          callback_data=encode("f", "c", category if only is None else ""))])
        entries = [e for e in context.bot_data.faq_topics.values() if e.category == category]
        rows.extend([_topic_button(e, language) for e in entries[i:i + 2]] for i in range(0, len(entries), 2))
    return InlineKeyboardMarkup(rows)


async def faq_button(update: Update, context: BotContext) -> None:
    """A topic button: show that entry."""
    query = query_of(update)
    if (query.data or "").startswith("f:c"):  # a category header: its topics alone, or all again
        category = (query.data or "").split(":", 2)[-1]
        await query.answer()
        await query.edit_message_reply_markup(_topics_keyboard(context, category if category in CATEGORIES else None))
        return
    entry_id = (query.data or "").split(":", 2)[-1]
    entry = context.bot_data.faq_topics.get(entry_id)
    await query.answer()
    if entry is not None:
        await pressed_on(query).reply_text(compose_answer(entry, context.language))


async def faq_gaps(update: Update, context: BotContext) -> None:
    """Admins: the most asked questions the FAQ could not answer."""
    language = context.language
    if not context.is_admin:
        await message_of(update).reply_text(t(language, "faq.admins_only"))
        return
    gaps = await context.repo.faq_log.gaps()
    if not gaps:
        await message_of(update).reply_text(t(language, "faq.gaps_none"))
        return
    lines = [t(language, "faq.gaps")] + [t(language, "faq.gaps_line", times=n, question=q[:200]) for q, n in gaps]
    await message_of(update).reply_text(Markup("\n".join(lines)))


async def faq_reload(update: Update, context: BotContext) -> None:
    """Admins: reload the FAQ files; a bad file is refused and the last good FAQ stays."""
    language = context.language
    if not context.is_admin:
        await message_of(update).reply_text(t(language, "faq.admins_only"))
        return
    try:
        index = FaqIndex(load_faq(faq_directory(context.settings.faq.directory)))
    except FaqError as error:
        log.warning("FAQ reload refused: %s", error)
        await message_of(update).reply_text(t(language, "faq.reload_failed", error=str(error)[:500]))
        return
    context.bot_data.faq = index
    await message_of(update).reply_text(t(language, "faq.reloaded", count=len(index.entries)))

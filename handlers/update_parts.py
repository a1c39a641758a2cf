"""The parts of an update a handler was registered for, typed as present.

PTB types every part of an Update as optional because an update carries one kind of thing; a
handler registered for messages (or button presses) always gets one. These return the part or
raise, so a handler wired to the wrong update fails loudly instead of replying to nobody.
"""

from __future__ import annotations

from telegram import CallbackQuery, Chat, Message, Update, User


class UnexpectedUpdate(TypeError):
    """A handler got an update without the part it was registered for."""


def message_of(update: Update) -> Message:
    """The message (sent, edited, or carrying a pressed button)."""
    if update.effective_message is None:
        raise UnexpectedUpdate("an update without a message")
    return update.effective_message


def query_of(update: Update) -> CallbackQuery:
    """The button press of a callback-query handler."""
    if update.callback_query is None:
        raise UnexpectedUpdate("an update without a button press")
    return update.callback_query


def pressed_on(query: CallbackQuery) -> Message:
    """The message whose button was pressed; Telegram leaves out one older than 48 hours."""
    if not isinstance(query.message, Message):
        raise UnexpectedUpdate("a button on a message Telegram no longer gives")
    return query.message


def chat_of(update: Update) -> Chat:
    if update.effective_chat is None:
        raise UnexpectedUpdate("an update without a chat")
    return update.effective_chat


def user_of(update: Update) -> User:
    if update.effective_user is None:
        raise UnexpectedUpdate("an update without a user")
    return update.effective_user

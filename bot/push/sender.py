"""Sending one push through the outbound queue, and what its failure means for the delivery log.

Pacing, 429s and retries are the outbound queue's (bot/outbound.py), the same for every send;
here a push is marked as such (replies go first) and an error is told apart: a block, a refusal,
a send that may have arrived (not to be repeated by a later run), or one that surely did not.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Message
from telegram.error import BadRequest, Forbidden, NetworkError, TimedOut
from telegram.ext import ExtBot

from bot.outbound import PUSH, surely_not_arrived


class Blocked(Exception):
    """The RM blocked the bot (403): stop pushing until they write again."""


class PushFailed(Exception):
    """Every attempt failed; the delivery log keeps it for a later run."""


class MaybeDelivered(Exception):
    """The answer never came (twice): the RM may have it, so no later run sends it again."""


async def send_push(bot: ExtBot, chat_id: int, text: str, reply_markup: InlineKeyboardMarkup | None = None, *,
                    paid: bool = False) -> Message:
    """Send one push (a digest, a timed follow-up, a team summary) behind every waiting reply.

    Raises PushStopped when the bot stops before its turn, Blocked, MaybeDelivered or PushFailed.
    """
    try:
        return await bot.send_message(chat_id, text, reply_markup=reply_markup, rate_limit_args=PUSH,
                                      allow_paid_broadcast=True if paid else None)
    except Forbidden as error:
        raise Blocked(str(error)) from error
    except BadRequest as error:
        raise PushFailed(str(error)) from error
    except TimedOut as error:
        if surely_not_arrived(error):
            raise PushFailed(str(error)) from error
        raise MaybeDelivered(str(error)) from error
    except NetworkError as error:
        raise PushFailed(str(error)) from error

"""Sending one push: paced, retried on 429 and network errors, and a block reported as such."""

from __future__ import annotations

import logging
import warnings
from datetime import timedelta

from telegram import InlineKeyboardMarkup, Message
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import ExtBot

from bot.push.pacing import FloodPacer

log = logging.getLogger(__name__)


class Blocked(Exception):
    """The RM blocked the bot (403): stop pushing until they write again."""


class PushFailed(Exception):
    """Every attempt failed; the delivery log keeps it for a later run."""


def _seconds(error: RetryAfter) -> float:
    with warnings.catch_warnings():  # PTB 22.2+ warns that retry_after becomes a timedelta: both are handled
        warnings.simplefilter("ignore")
        retry_after = error.retry_after
    return retry_after.total_seconds() if isinstance(retry_after, timedelta) else float(retry_after)


async def send_paced(bot: ExtBot, pacer: FloodPacer, chat_id: int, text: str,
                     reply_markup: InlineKeyboardMarkup | None = None, *, max_attempts: int = 6) -> Message:
    """Send one message, waiting out 429s (nothing is dropped) and retrying network errors.

    Every wait ends with PushStopped when the bot stops. A send that timed out may still have
    reached the RM; the retry (now, or by the next run after a stop) can then repeat it.
    """
    last_error: Exception | None = None
    for attempt in range(max_attempts):
        await pacer.wait(chat_id)
        try:
            return await bot.send_message(chat_id, text, reply_markup=reply_markup)
        except RetryAfter as error:
            log.warning("429 for chat %s: waiting %.1fs", chat_id, _seconds(error))
            pacer.hold(_seconds(error))
            last_error = error
        except Forbidden as error:
            raise Blocked(str(error)) from error
        except BadRequest as error:
            raise PushFailed(str(error)) from error
        except (TimedOut, NetworkError) as error:
            log.warning("network error pushing to chat %s (attempt %d): %s", chat_id, attempt + 1, error)
            last_error = error
            await pacer.pause(min(2 ** attempt, 30))
    raise PushFailed(str(last_error))

"""Reaching the Bot API at start: retried with backoff while it is unreachable, refused at once
when it refuses the token, one short line per attempt and never the token.

PTB's own start (Application.initialize → Bot.get_me) gives up at the first network error with a
long traceback, and on a refused token raises an error whose message holds the token. A service
started while the network or a self-hosted Bot API server is still coming up should wait for it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from telegram import Bot
from telegram.error import InvalidToken, RetryAfter, TelegramError
from telegram.request import BaseRequest, HTTPXRequest

from bot.config import TelegramSettings
from bot.log_safety import redact

TOKEN_REFUSED = "the Bot API refused the token"
MAX_DELAY = 30.0


class StartupFailed(Exception):
    """The bot cannot start; the message is the one line to print."""


def retry_delay(attempt: int) -> float:
    """1, 2, 4, 8, 16, 30, 30 … seconds after the n-th failed attempt."""
    return min(MAX_DELAY, 2.0 ** (attempt - 1))


async def reach_bot_api(telegram: TelegramSettings, say: Callable[[str], None], *,
                        request: BaseRequest | None = None,
                        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
                        monotonic: Callable[[], float] = time.monotonic) -> str:
    """getMe until the Bot API answers, for up to startup_retry_seconds; the bot's username.

    Raises StartupFailed at once when the token is refused (401 or 404 on getMe), and once the
    retry time is spent while the Bot API stays unreachable.
    """
    own_request = request is None
    request = request or HTTPXRequest(connect_timeout=5.0, read_timeout=10.0)
    bot = Bot(telegram.token, base_url=telegram.api_base_url, request=request, get_updates_request=request)
    deadline = monotonic() + telegram.startup_retry_seconds
    attempt = 0
    try:
        while True:
            attempt += 1
            try:
                me = await bot.get_me()
                return me.username
            except InvalidToken:
                raise StartupFailed(TOKEN_REFUSED) from None
            except RetryAfter as error:
                reason, wait = "flood control", _seconds(error.retry_after)
            except TelegramError as error:  # NetworkError, TimedOut, a 5xx from a proxy
                reason, wait = type(error).__name__, retry_delay(attempt)
            remaining = deadline - monotonic()
            if remaining <= 0:
                raise StartupFailed(f"the Bot API stayed unreachable for {telegram.startup_retry_seconds} s "
                                    f"({attempt} attempts, last: {reason}); giving up")
            wait = min(wait, remaining)
            say(redact(f"Bot API unreachable ({reason}), attempt {attempt}: retrying in {wait:.0f} s"))
            await sleep(wait)
    finally:
        if own_request:
            await request.shutdown()


def _seconds(value: object) -> float:
    return value.total_seconds() if hasattr(value, "total_seconds") else float(value)  # type: ignore[union-attr]

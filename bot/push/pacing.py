"""Pacing below Telegram's flood limits: about 30 messages a second overall, 1 a second per chat.

Senders wait their turn here (FIFO, an asyncio.Lock) instead of hitting 429s; after a 429 the
whole pacer holds for retry_after, since Telegram's limit is per bot, not per chat.

At shutdown `stop()` turns away every sender still waiting (PushStopped), at once: a thousand
digests queued at 08:30 take half a minute to go out, longer than a service manager waits after
SIGTERM, so the ones not yet sent are left for the next start instead of cut by SIGKILL.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable


class PushStopped(Exception):
    """The bot is stopping: this push was not sent and should be left for the next start."""


class FloodPacer:
    def __init__(self, per_second: float = 28.0, per_chat_seconds: float = 1.0,
                 monotonic: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        self.interval = 1.0 / per_second
        self.per_chat_seconds = per_chat_seconds
        self._monotonic, self._sleep = monotonic, sleep
        self._lock = asyncio.Lock()
        self._next_any = 0.0
        self._next_by_chat: dict[int, float] = {}
        self._stopping = asyncio.Event()

    @property
    def stopped(self) -> bool:
        return self._stopping.is_set()

    def stop(self) -> None:
        """Turn away every sender waiting now or later; a message already going out is not touched."""
        self._stopping.set()

    async def pause(self, seconds: float) -> None:
        """Sleep (a retry's backoff, a turn's wait), cut short by stop() with PushStopped."""
        sleeping = asyncio.ensure_future(self._sleep(seconds))
        stopping = asyncio.ensure_future(self._stopping.wait())
        try:
            await asyncio.wait({sleeping, stopping}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            sleeping.cancel()
            stopping.cancel()
        if self.stopped:
            raise PushStopped

    async def wait(self, chat_id: int) -> None:
        """Return when a message to chat_id may go out without breaking either limit.

        Raises PushStopped once the pacer is stopped, also while waiting.
        """
        if self.stopped:
            raise PushStopped
        async with self._lock:
            if self.stopped:
                raise PushStopped
            now = self._monotonic()
            ready = max(self._next_any, self._next_by_chat.get(chat_id, 0.0))
            if ready > now:
                await self.pause(ready - now)
                now = max(ready, self._monotonic())
            self._next_any = now + self.interval
            self._next_by_chat[chat_id] = now + self.per_chat_seconds
            if len(self._next_by_chat) > 10_000:  # forget chats whose turn has long passed
                self._next_by_chat = {c: t for c, t in self._next_by_chat.items() if t > now}

    def hold(self, seconds: float) -> None:
        """Telegram said 429: nobody sends for `seconds`."""
        self._next_any = max(self._next_any, self._monotonic() + seconds)

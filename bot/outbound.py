"""The one outbound path: every Bot API call that sends or edits goes through OutboundQueue.

It is PTB's rate limiter (`ApplicationBuilder.rate_limiter`), so replies, edits, callback
answers, files, digests, timed follow-ups, team summaries and admin alerts cannot bypass it.

Telegram allows about 30 messages a second in all and about 1 a second to one chat (20 a minute
to a group) and answers 429 with `retry_after` past that. Here:

* Sends are granted turns by one dispatcher: below the overall rate, one message at a time per
  chat, `per_chat_seconds` after the previous one left and not before it ended (so each chat's
  order is kept), at
  most `in_flight` at once (so the round trip does not bound throughput; the rate does).
* Replies come first: a chat whose next message is a reply is served before every push. A push
  is marked with `rate_limit_args=PUSH`; anything unmarked is a reply.
* One retry policy: a 429 holds every send for `retry_after`, then the same call goes again; a
  request that surely did not arrive (connection refused, 5xx, connect or pool timeout) is
  retried with backoff; one that may have arrived (read timeout) is retried at most once, so an
  RM never gets a message more than twice. A reply is given up only after
  `reply_give_up_seconds`, logged with ids and counted; a push after `push_attempts` failures.
* "message is not modified" is not an error: the edit already shows what it should.
* At shutdown `stop_pushes()` turns away every push still waiting (PushStopped), at once; the
  next start's catch-up sends them. Replies still go out.

Time is injected (`monotonic`, `sleep`) so the suite runs the real pacing in virtual time.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import logging
import time
import warnings
from collections import deque
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Protocol

from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut
from telegram.ext import BaseRateLimiter

log = logging.getLogger(__name__)

#: rate_limit_args of a push (a digest, a timed follow-up, a team summary, an admin alert).
PUSH = "push"
#: Bot API methods that put a message in a chat (or change one): these are paced.
_NOT_PACED = {"sendChatAction"}


def _paced(endpoint: str) -> bool:
    return endpoint not in _NOT_PACED and endpoint.startswith(("send", "edit", "copy", "forward"))


class PushStopped(Exception):
    """The bot is stopping: this push was not sent and should be left for the next start."""


class Clock(Protocol):
    def monotonic(self) -> float: ...

    async def sleep(self, seconds: float) -> None: ...


class RealTime:
    """The wall clock (production, benches)."""

    @staticmethod
    def monotonic() -> float:
        return time.monotonic()

    @staticmethod
    async def sleep(seconds: float) -> None:
        await asyncio.sleep(seconds)


@dataclass(frozen=True)
class OutboundLimits:
    per_second: float = 28.0          # Telegram's ~30 a second overall, with a margin
    per_chat_seconds: float = 1.0     # Telegram's ~1 a second per chat
    group_per_minute: float = 20.0    # Telegram's 20 a minute per group
    in_flight: int = 32               # requests under way at once
    reply_give_up_seconds: float = 600.0
    push_attempts: int = 6            # a push failing this often is left to the next run
    paid_per_second: float | None = None  # [push] paid_broadcast: pushes sent with allow_paid_broadcast


@dataclass(eq=False)
class _Ticket:
    chat_id: int
    push: bool
    paid: bool
    granted_at: float = 0.0
    granted: asyncio.Future = field(default_factory=lambda: asyncio.get_running_loop().create_future())


def retry_after_seconds(error: RetryAfter) -> float:
    with warnings.catch_warnings():  # PTB 22.2+ warns that retry_after becomes a timedelta: both are handled
        warnings.simplefilter("ignore")
        retry_after = error.retry_after
    return retry_after.total_seconds() if isinstance(retry_after, timedelta) else float(retry_after)


def surely_not_arrived(error: TimedOut) -> bool:
    """A timeout before the request left (connect, pool) is safe to repeat; a read timeout is not."""
    cause = error.__cause__
    name = type(cause).__name__ if cause is not None else ""
    return name in ("ConnectTimeout", "PoolTimeout") or "Pool timeout" in str(error)


def not_modified(error: BadRequest) -> bool:
    return "message is not modified" in str(error).lower()


class OutboundStats:
    """What /status shows of the outbound queue."""

    def __init__(self) -> None:
        self.waiting_replies = 0
        self.waiting_pushes = 0
        self.sent: deque[float] = deque()        # completion times, last minute
        self.flood_waits: deque[float] = deque()  # 429s, last hour
        self.replies_given_up = 0
        self.pushes_given_up = 0

    def prune(self, now: float) -> None:
        while self.sent and now - self.sent[0] > 60:
            self.sent.popleft()
        while self.flood_waits and now - self.flood_waits[0] > 3600:
            self.flood_waits.popleft()

    def sends_per_second(self, now: float, window: float = 10.0) -> float:
        self.prune(now)
        return sum(1 for moment in self.sent if now - moment <= window) / window


class OutboundQueue(BaseRateLimiter[str]):
    def __init__(self, limits: OutboundLimits | None = None, clock: Clock | None = None) -> None:
        self.limits = limits or OutboundLimits()
        self.clock: Clock = clock or RealTime()
        self.stats = OutboundStats()
        self._chats: dict[int, deque[_Ticket]] = {}
        self._state: dict[int, str] = {}               # chat → 'ready' | 'cooling' | 'busy'
        # chats whose turn may come, by "next is a push"
        self._ready: dict[bool, deque[int]] = {False: deque(), True: deque()}
        self._cooling: list[tuple[float, int, int]] = []  # (may send at, seq, chat)
        self._seq = itertools.count()
        self._next_chat: dict[int, float] = {}
        self._next_free = 0.0
        self._next_paid = 0.0
        self._hold_until = 0.0
        self._in_flight = 0
        self._wake: asyncio.Event | None = None
        self._stopping: asyncio.Event | None = None
        self._pushes_stopped = False
        self._task: asyncio.Task | None = None

    # --- BaseRateLimiter ------------------------------------------------------------------
    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
            self._task = None

    async def process_request(self, callback, args, kwargs, endpoint, data, rate_limit_args):
        push = rate_limit_args == PUSH
        chat = data.get("chat_id")
        if not _paced(endpoint) or chat is None:
            return await self._unpaced(callback, args, kwargs, endpoint)
        chat_id = chat if isinstance(chat, int) else (int(chat) if str(chat).lstrip("-").isdigit() else hash(chat))
        paid = push and bool(data.get("allow_paid_broadcast")) and self.limits.paid_per_second is not None
        return await self._paced(callback, args, kwargs, endpoint, chat_id, push, paid)

    # --- shutdown -------------------------------------------------------------------------
    @property
    def pushes_stopped(self) -> bool:
        return self._pushes_stopped

    def stop_pushes(self) -> None:
        """Turn away every push waiting now or later; one already going out is not touched."""
        self._pushes_stopped = True
        self._events()[1].set()
        for chat_id, tickets in self._chats.items():
            kept: deque[_Ticket] = deque()
            for ticket in tickets:
                if ticket.push:
                    if not ticket.granted.done():
                        ticket.granted.set_exception(PushStopped())
                        ticket.granted.exception()  # retrieved here, so never "never retrieved"
                    self.stats.waiting_pushes -= 1
                else:
                    kept.append(ticket)
            self._chats[chat_id] = kept
        self._events()[0].set()

    async def pause(self, seconds: float, push: bool) -> None:
        """A backoff; a push's is cut short by stop_pushes() with PushStopped."""
        if not push:
            await self.clock.sleep(seconds)
            return
        if self._pushes_stopped:
            raise PushStopped
        sleeping = asyncio.ensure_future(self.clock.sleep(seconds))
        stopping = asyncio.ensure_future(self._events()[1].wait())
        try:
            await asyncio.wait({sleeping, stopping}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            sleeping.cancel()
            stopping.cancel()
        if self._pushes_stopped:
            raise PushStopped

    # --- one call, with the retry policy ---------------------------------------------------
    async def _paced(self, callback, args, kwargs, endpoint: str, chat_id: int, push: bool, paid: bool):
        started = self.clock.monotonic()
        failures = maybe_arrived = 0
        front = False
        while True:
            ticket = _Ticket(chat_id, push, paid)
            await self._turn(ticket, front)
            try:
                result = await callback(*args, **kwargs)
            except RetryAfter as error:
                seconds = retry_after_seconds(error)
                self._hold(seconds)
                self._done(ticket, sent=False)
                log.info("429 on %s to chat %s: every send waits %.1fs", endpoint, chat_id, seconds)
            except TimedOut as error:
                if surely_not_arrived(error):
                    failures += 1
                    await self._back_off(ticket, endpoint, error, failures, started)
                else:
                    maybe_arrived += 1
                    self._done(ticket, sent=maybe_arrived == 1)
                    if maybe_arrived >= 2:  # it may have arrived twice already: a third could be a third copy
                        self._give_up(endpoint, chat_id, push, error)
                        raise
                    log.warning("%s to chat %s timed out (it may have arrived): sending once more", endpoint, chat_id)
            except BadRequest as error:
                self._done(ticket, sent=True)
                if not_modified(error):
                    return True
                raise
            except NetworkError as error:  # 5xx, connection refused or reset: Telegram did not take it
                failures += 1
                await self._back_off(ticket, endpoint, error, failures, started)
            except BaseException:
                self._done(ticket, sent=False)
                raise
            else:
                self._done(ticket, sent=True)
                return result
            front = True
            if push and self._pushes_stopped:
                raise PushStopped
            if not push and self.clock.monotonic() - started >= self.limits.reply_give_up_seconds:
                self._give_up(endpoint, chat_id, push, None)
                raise TimedOut(f"{endpoint} given up after {self.limits.reply_give_up_seconds:.0f}s")

    async def _back_off(self, ticket: _Ticket, endpoint: str, error: Exception, failures: int, started: float) -> None:
        """Wait before the same call goes again, the chat kept busy so nothing overtakes it."""
        push = ticket.push
        elapsed = self.clock.monotonic() - started
        if (push and failures >= self.limits.push_attempts) or \
                (not push and elapsed >= self.limits.reply_give_up_seconds):
            self._done(ticket, sent=False)
            self._give_up(endpoint, ticket.chat_id, push, error)
            raise error
        log.warning("%s to chat %s failed (attempt %d): %s: %.200s; retrying", endpoint, ticket.chat_id, failures,
                    type(error).__name__, error)  # Telegram's or a proxy's answer, never the message sent
        self._in_flight -= 1
        self._events()[0].set()
        delay = min(2 ** (failures - 1), 30.0)
        if not push:
            delay = min(delay, max(self.limits.reply_give_up_seconds - elapsed, 0.0))
        try:
            await self.pause(delay, push)
        finally:
            self._in_flight += 1
            self._done(ticket, sent=False)

    def _give_up(self, endpoint: str, chat_id: int, push: bool, error: Exception | None) -> None:
        if push:
            self.stats.pushes_given_up += 1
        else:
            self.stats.replies_given_up += 1
        log.error("%s to chat %s given up (%s): %s", endpoint, chat_id, "push" if push else "reply",
                  type(error).__name__ if error else "too long")

    async def _unpaced(self, callback, args, kwargs, endpoint: str):
        """Calls that put nothing in a chat (callback answers, getFile, setMyCommands…): no turn,
        but the same holds and retries."""
        started = self.clock.monotonic()
        failures = 0
        while True:
            wait = self._hold_until - self.clock.monotonic()
            if wait > 0:
                await self.clock.sleep(wait)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as error:
                self._hold(retry_after_seconds(error))
                continue
            except TimedOut as error:
                if not surely_not_arrived(error):
                    raise
                failure: Exception = error
            except BadRequest:
                raise
            except NetworkError as error:
                failure = error
            failures += 1
            if self.clock.monotonic() - started >= min(self.limits.reply_give_up_seconds, 60):
                raise failure
            log.warning("%s failed (attempt %d): %s: %.200s; retrying", endpoint, failures, type(failure).__name__,
                        failure)
            await self.clock.sleep(min(2 ** (failures - 1), 30.0))

    # --- the dispatcher -------------------------------------------------------------------
    def _events(self) -> tuple[asyncio.Event, asyncio.Event]:
        if self._wake is None or self._stopping is None:
            self._wake, self._stopping = asyncio.Event(), asyncio.Event()
            if self._pushes_stopped:
                self._stopping.set()
        return self._wake, self._stopping

    def _hold(self, seconds: float) -> None:
        self.stats.flood_waits.append(self.clock.monotonic())
        self._hold_until = max(self._hold_until, self.clock.monotonic() + seconds)

    async def _turn(self, ticket: _Ticket, front: bool) -> None:
        """Wait until this message may go out."""
        if ticket.push and self._pushes_stopped:
            raise PushStopped
        tickets = self._chats.setdefault(ticket.chat_id, deque())
        if front:
            tickets.appendleft(ticket)
        else:
            tickets.append(ticket)
        if ticket.push:
            self.stats.waiting_pushes += 1
        else:
            self.stats.waiting_replies += 1
        state = self._state.get(ticket.chat_id)
        if state is None:
            self._schedule(ticket.chat_id)
        elif state == "ready" and not ticket.push and ticket.chat_id in self._ready[True]:
            self._ready[True].remove(ticket.chat_id)  # a reply waits behind this chat's push: both go first
            self._ready[False].append(ticket.chat_id)
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._dispatch(), name="outbound dispatcher")
        self._events()[0].set()
        try:
            await ticket.granted
        except asyncio.CancelledError:
            if ticket.granted.done() and not ticket.granted.cancelled() and ticket.granted.exception() is None:
                self._done(ticket, sent=False)  # granted just as the caller went away
            raise

    def _schedule(self, chat_id: int) -> None:
        """Place an idle chat that has messages waiting: ready now, or cooling until its next turn."""
        tickets = self._chats.get(chat_id)
        if not tickets:
            self._state.pop(chat_id, None)
            self._chats.pop(chat_id, None)
            return
        at = self._next_chat.get(chat_id, 0.0)
        if at <= self.clock.monotonic():
            self._state[chat_id] = "ready"
            self._ready[all(t.push for t in tickets)].append(chat_id)
        else:
            self._state[chat_id] = "cooling"
            heapq.heappush(self._cooling, (at, next(self._seq), chat_id))

    def _done(self, ticket: _Ticket, sent: bool) -> None:
        """A granted call ended: its chat may have its next turn after the per-chat pause."""
        now = self.clock.monotonic()
        self._in_flight -= 1
        if sent:
            self.stats.sent.append(now)
            self.stats.prune(now)
            spacing = (60.0 / self.limits.group_per_minute) if ticket.chat_id < 0 else self.limits.per_chat_seconds
            # the next message to this chat leaves `spacing` after this one left, and not before it ended
            self._next_chat[ticket.chat_id] = max(ticket.granted_at + spacing, now)
            if len(self._next_chat) > 10_000:  # forget chats whose pause has long passed
                self._next_chat = {c: t for c, t in self._next_chat.items() if t > now}
        self._state.pop(ticket.chat_id, None)
        self._schedule(ticket.chat_id)
        self._events()[0].set()

    def _pick(self, now: float) -> _Ticket | None:
        """The next ticket allowed out now: replies first, then pushes; None if none may go."""
        free_ok = self._next_free <= now
        paid_ok = self._next_paid <= now
        for push in (False, True):
            ready = self._ready[push]
            while ready:
                chat_id = ready[0]
                tickets = self._chats.get(chat_id)
                while tickets and tickets[0].granted.done():  # its caller went away
                    dropped = tickets.popleft()
                    self._uncount(dropped)
                if not tickets:
                    ready.popleft()
                    self._state.pop(chat_id, None)
                    self._chats.pop(chat_id, None)
                    continue
                head = tickets[0]
                if not (paid_ok if head.paid else free_ok):
                    break
                ready.popleft()
                tickets.popleft()
                self._uncount(head)
                self._state[chat_id] = "busy"
                return head
        return None

    def _uncount(self, ticket: _Ticket) -> None:
        if ticket.push:
            self.stats.waiting_pushes -= 1
        else:
            self.stats.waiting_replies -= 1

    async def _dispatch(self) -> None:
        wake, _ = self._events()
        free_interval = 1.0 / self.limits.per_second
        paid_interval = 1.0 / (self.limits.paid_per_second or self.limits.per_second)
        while True:
            wake.clear()
            now = self.clock.monotonic()
            while self._cooling and self._cooling[0][0] <= now:
                _, _, chat_id = heapq.heappop(self._cooling)
                if self._state.get(chat_id) == "cooling":
                    self._state.pop(chat_id)
                    self._schedule(chat_id)
            while self._in_flight < self.limits.in_flight and now >= self._hold_until:
                ticket = self._pick(now)
                if ticket is None:
                    break
                if ticket.paid:
                    self._next_paid = max(self._next_paid, now - paid_interval) + paid_interval
                else:
                    self._next_free = max(self._next_free, now - free_interval) + free_interval
                self._in_flight += 1
                ticket.granted_at = now
                ticket.granted.set_result(None)
            wait = self._next_wait(now)
            if wait is None:
                await wake.wait()
            else:
                sleeping = asyncio.ensure_future(self.clock.sleep(max(wait, 0.0005)))
                woken = asyncio.ensure_future(wake.wait())
                try:
                    await asyncio.wait({sleeping, woken}, return_when=asyncio.FIRST_COMPLETED)
                finally:
                    sleeping.cancel()
                    woken.cancel()

    def _next_wait(self, now: float) -> float | None:
        """Seconds until something may change without being woken, or None (wait to be woken)."""
        moments = []
        if self._cooling:
            moments.append(self._cooling[0][0])
        if self._in_flight < self.limits.in_flight:
            turns = []  # when the chat first in line (replies', pushes') may go by its overall rate
            for ready in self._ready.values():
                if ready:
                    tickets = self._chats.get(ready[0])
                    turns.append((self._next_paid if tickets[0].paid else self._next_free) if tickets else now)
            if turns:
                moments.append(max(self._hold_until, min(turns)))
        if not moments:
            return None
        return min(moments) - now

"""Concurrent updates that keep each RM's order, and polling that confirms only processed updates.

PerUserUpdateProcessor lets PTB handle many updates at once (one RM's slow export does not hold
up the others) but runs the updates of one user one after the other, in the order Telegram sent
them, so an RM's notes are filed in the order they were typed.

Ordering argument: PTB's update fetcher starts one task per update in update order; each task
reaches `BaseUpdateProcessor.process_update` without suspending, whose semaphore hands slots out
first come first served (asyncio.Semaphore is FIFO), and `do_process_update` below takes the
user's asyncio.Lock (FIFO too) before its first suspension point. So a user's updates acquire the
user's lock in update order, whatever other users do. Waiting for the user's lock holds one of
the `max_concurrent_updates` slots: a single user flooding more updates than there are slots
would lower the concurrency left to the others, hence a generous default (256).

ProcessedOffsetUpdater replaces PTB's polling Updater. PTB's Updater confirms a batch of updates
to Telegram (the next getUpdates call carries offset = last update_id + 1) as soon as the batch
is *queued*, before any handler has run: a process killed then loses every update fetched but not
yet handled, since Telegram has dropped them. This Updater confirms an update only once its
handlers have finished: the offset it sends is the lowest update_id still in progress (or the
next one to fetch when nothing is in progress). Updates Telegram re-delivers because they are not
confirmed yet are recognised by update_id and not queued twice. After kill -9 the updates in
progress are delivered again on restart; the update log (storage/update_log.py) skips those
already handled, and a non-idempotent effect commits together with its update's mark.

An update the library cannot read (a field missing after a Bot API version change, say) must not
stop the bot: polling reads each update of an answer on its own, so one bad update is recorded by
id (`unreadable`, shown in /status) and skipped while the others are handled; the webhook answers
such a POST 200 so Telegram does not send it again forever. Neither logs the update's content.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dtm
import json
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import tornado.web
from telegram import Update
from telegram.error import InvalidToken, RetryAfter, TelegramError
from telegram.ext import Application, BaseUpdateProcessor, ExtBot, Updater
from telegram.ext import _updater as ptb_updater
from telegram.ext._utils import webhookhandler

log = logging.getLogger(__name__)

DEFAULT_MAX_CONCURRENT_UPDATES = 256
#: getUpdates retries after a failure wait 0.5 s, 1 s, then this at most: the first note after an
#: outage is answered within a few seconds of Telegram being reachable again.
MAX_POLL_BACKOFF = 2.0
#: While getUpdates keeps failing, one warning line per this many seconds (not one per attempt).
OUTAGE_LOG_EVERY = 60.0


#: GET /healthz's answer: (HTTP status, JSON body).
HealthCheck = Callable[[], Awaitable[tuple[int, dict[str, Any]]]]


def poll_backoff(failures: int) -> float:
    """Seconds to wait after the n-th getUpdates failure in a row."""
    return min(MAX_POLL_BACKOFF, 0.25 * 2 ** min(failures, 8))


class UnreadableUpdates:
    """Updates the library could not parse: skipped, recorded by id (never by content)."""

    def __init__(self) -> None:
        self.ids: list[int | None] = []  # the last 1,000: plenty to look into
        self.count = 0                     # since start, for /status

    def record(self, update_id: int | None, error: BaseException, where: str) -> None:
        log.warning("update %s could not be read (%s) in %s: skipped", update_id, type(error).__name__, where)
        self.count += 1
        self.ids.append(update_id)
        del self.ids[:-1000]


def read_update(data: object, bot) -> Update:
    """One update of a getUpdates answer or a webhook POST (raises when it cannot be read)."""
    if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
        raise ValueError("not an update")
    return Update.de_json(data, bot)


def update_id_of(data: object) -> int | None:
    value = data.get("update_id") if isinstance(data, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def user_key(update: object) -> int | None:
    """The user an update comes from (None: the update has no user and runs unordered)."""
    if isinstance(update, Update) and update.effective_user is not None:
        return update.effective_user.id
    return None


class _UserSlot:
    __slots__ = ("lock", "users")

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.users = 0  # updates holding or waiting for the lock


class PerUserUpdateProcessor(BaseUpdateProcessor):
    """Up to `max_concurrent_updates` updates at once; one user's updates one at a time, in order.

    The lock of a user with nothing in progress is dropped, so memory follows the number of users
    active right now, not the number ever seen. Callbacks registered with `add_done_callback` are
    called with each update once its handlers have finished (successfully or not).
    """

    def __init__(self, max_concurrent_updates: int = DEFAULT_MAX_CONCURRENT_UPDATES,
                 key: Callable[[object], Any | None] = user_key) -> None:
        super().__init__(max_concurrent_updates)
        self._key = key
        self._slots: dict[Any, _UserSlot] = {}
        self._done_callbacks: list[Callable[[object], None]] = []

    @property
    def active_users(self) -> int:
        """How many users have an update in progress or waiting (the locks held in memory)."""
        return len(self._slots)

    def add_done_callback(self, callback: Callable[[object], None]) -> None:
        self._done_callbacks.append(callback)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        try:
            key = self._key(update)
            if key is None:
                await coroutine
                return
            slot = self._slots.get(key)
            if slot is None:
                slot = self._slots[key] = _UserSlot()
            slot.users += 1
            try:
                async with slot.lock:  # FIFO: this user's earlier updates first
                    await coroutine
            except asyncio.CancelledError:
                if asyncio.iscoroutine(coroutine):
                    coroutine.close()  # cancelled while waiting: never started
                raise
            finally:
                slot.users -= 1
                if slot.users == 0 and self._slots.get(key) is slot:
                    del self._slots[key]
        finally:
            for callback in self._done_callbacks:
                try:
                    callback(update)
                except Exception:  # a tracking callback must not break update processing
                    log.exception("update done callback failed")

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        self._slots.clear()


class _AnsweredWhenHandled:
    """The Updater's handle on the update queue. In webhook mode PTB answers Telegram's POST as
    soon as `put` returns, and Telegram never sends an answered update again: so `put` returns
    only once the update's handlers have finished. A process killed before that leaves the POST
    unanswered, and Telegram sends the update again to the restarted bot. There is no time limit:
    answering an update not yet handled could lose it, while a POST Telegram gives up on is sent
    again and the update log (storage/update_log.py) drops the repeat. Polling puts straight
    into the queue."""

    def __init__(self, queue: asyncio.Queue, unreadable: UnreadableUpdates) -> None:
        self._queue = queue
        self.unreadable = unreadable  # the webhook handler records what it cannot read here
        self.waiting = False  # set in webhook mode
        self._waiters: dict[int, list[asyncio.Future]] = {}
        self.last_call: float | None = None  # time.monotonic() of the last webhook POST or getUpdates answer
        self.health: HealthCheck | None = None  # GET /healthz in webhook mode (bot/health.py)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._queue, name)

    async def put(self, update: object) -> None:
        if not (self.waiting and isinstance(update, Update)):
            await self._queue.put(update)
            return
        handled = asyncio.get_running_loop().create_future()
        self._waiters.setdefault(update.update_id, []).append(handled)
        try:
            await self._queue.put(update)
            await handled
        finally:
            waiters = self._waiters.get(update.update_id, [])
            if handled in waiters:
                waiters.remove(handled)
            if not waiters:
                self._waiters.pop(update.update_id, None)

    def handled(self, update: object) -> None:
        if isinstance(update, Update):
            for waiter in self._waiters.pop(update.update_id, []):
                if not waiter.done():
                    waiter.set_result(None)


class ProcessedOffsetUpdater(Updater):
    """Confirms an update to Telegram only after its handlers have finished, in both modes.

    Needs the Application's PerUserUpdateProcessor (or any processor with `add_done_callback`)
    to learn when an update is done. Polling is this class's own (below). Webhook mode is PTB's
    server with one change: the POST is answered once the update is handled, not on receipt
    (_AnsweredWhenHandled), so kill -9 loses no webhook update either.

    Telegram's offset confirms every update below it, so an update still in progress holds back
    the confirmation of all later ones, and getUpdates answers at most 100 updates from the
    offset: a handler running for long holds up fetching once 99 updates behind it are done.
    Slow handlers (exports, charts) should be `block=False` so their update counts as done.
    """

    def __init__(self, bot, update_queue: asyncio.Queue, processor: PerUserUpdateProcessor, *,
                 drain_timeout: float = 20.0, busy_poll_interval: float = 0.05,
                 refetch_cost: float = 0.001) -> None:
        self.unreadable = UnreadableUpdates()
        self._answering = _AnsweredWhenHandled(update_queue, self.unreadable)
        super().__init__(bot=bot, update_queue=self._answering)  # type: ignore[arg-type]  # wraps the Queue; other calls pass through
        self._pending: set[int] = set()   # fetched, queued, handlers not finished
        self._next_update_id = 0         # every update_id below this was fetched already
        self._progress = asyncio.Event()
        self._stopping = asyncio.Event()
        self._poll_task: asyncio.Task | None = None
        self._poll_args: dict[str, Any] = {}
        self.drain_timeout = drain_timeout
        self.token_refused = False
        self.on_token_refused: Callable[[], None] | None = None
        # While updates are in progress every getUpdates re-sends them (Telegram starts at the
        # offset): poll again on progress, at the latest after busy_poll_interval, and no sooner
        # than refetch_cost seconds per update the previous answer carried.
        self.busy_poll_interval = busy_poll_interval
        self.refetch_cost = refetch_cost
        processor.add_done_callback(self._done)

    @classmethod
    def for_application(cls, application: Application, **options: Any) -> ProcessedOffsetUpdater:
        processor = application.update_processor
        if not isinstance(processor, PerUserUpdateProcessor):
            raise TypeError("build the Application with .concurrent_updates(PerUserUpdateProcessor(...))")
        updater = cls(application.bot, application.update_queue, processor, **options)
        updater.on_token_refused = application.stop_running  # run_polling returns; `run` exits non-zero
        return updater

    @property
    def confirmed_offset(self) -> int:
        """The offset that confirms exactly the updates whose handlers have all finished."""
        return min(self._pending) if self._pending else self._next_update_id

    @property
    def in_progress(self) -> int:
        return len(self._pending)

    @property
    def last_update_at(self) -> float | None:
        """time.monotonic() of the last webhook POST (with the secret) or getUpdates answer."""
        return self._answering.last_call

    def serve_health(self, check: HealthCheck) -> None:
        """Answer GET /healthz on the webhook server with check()'s (status, JSON body)."""
        self._answering.health = check

    def _done(self, update: object) -> None:
        self._answering.handled(update)
        if isinstance(update, Update) and update.update_id in self._pending:
            self._pending.discard(update.update_id)
            self._progress.set()

    async def start_polling(self, poll_interval: float = 0.0, timeout: Any = dtm.timedelta(seconds=10),
                            bootstrap_retries: int = 0, allowed_updates: Sequence[str] | None = None,
                            drop_pending_updates: bool | None = None,
                            error_callback: Callable[[TelegramError], None] | None = None) -> asyncio.Queue:
        if self.running:
            raise RuntimeError("This Updater is already running!")
        if not self._initialized:
            raise RuntimeError("This Updater was not initialized via `Updater.initialize`!")
        self._running = True
        try:
            await self.bot.delete_webhook(drop_pending_updates=drop_pending_updates)
        except Exception:
            self._running = False
            raise
        self._stopping.clear()
        self._poll_args = {"timeout": timeout, "allowed_updates": allowed_updates}
        self._poll_task = asyncio.create_task(self._poll(timeout, allowed_updates, poll_interval, error_callback),
                                              name="ProcessedOffsetUpdater:poll")
        return self.update_queue

    async def start_webhook(self, *args: Any, **kwargs: Any) -> asyncio.Queue:
        """PTB's webhook server; each POST is answered once its update is handled."""
        self._answering.waiting = True
        try:
            return await super().start_webhook(*args, **kwargs)
        except BaseException:
            self._answering.waiting = False
            raise

    async def _poll(self, timeout: Any, allowed_updates: Sequence[str] | None, poll_interval: float,
                    error_callback: Callable[[TelegramError], None] | None) -> None:
        loop = asyncio.get_running_loop()
        failures = 0
        outage_started = logged_at = loop.time()
        while not self._stopping.is_set():
            busy = bool(self._pending)
            offset = self.confirmed_offset
            started = loop.time()
            self._progress.clear()  # progress from here on lets the next poll go at once
            try:
                updates = await self._get_updates(offset, 0 if busy else timeout, allowed_updates)
            except InvalidToken:  # the token was revoked while the bot ran
                log.critical("the Bot API refused the token; polling stops")
                self.token_refused = True
                if self.on_token_refused is not None:
                    self.on_token_refused()
                raise
            except RetryAfter as error:
                retry = error.retry_after
                await self._sleep(retry.total_seconds() if isinstance(retry, dtm.timedelta) else float(retry))
                continue
            except Exception as error:  # TelegramError: network, 5xx; or an answer that is not JSON
                failures += 1
                now = loop.time()
                if failures == 1:
                    outage_started = logged_at = now
                if error_callback is not None and isinstance(error, TelegramError):
                    error_callback(error)
                elif failures == 1 or now - logged_at >= OUTAGE_LOG_EVERY:
                    logged_at = now
                    log.warning("getUpdates failed (%s), attempt %d; retrying", type(error).__name__, failures)
                await self._sleep(poll_backoff(failures))
                continue
            if failures:
                log.info("getUpdates works again after %d failed attempts (%.0f s)", failures,
                         loop.time() - outage_started)
            failures = 0
            fresh = False
            self._answering.last_call = time.monotonic()
            for item in updates:
                update_id = update_id_of(item)
                if update_id is None or update_id < self._next_update_id:
                    continue  # still in progress (Telegram sends it until confirmed), or not an update
                fresh, self._next_update_id = True, update_id + 1
                try:
                    update = read_update(item, self.bot)
                except Exception as error:  # one unreadable update is skipped, not fetched forever
                    self.unreadable.record(update_id, error, "getUpdates")
                    continue
                self._pending.add(update_id)
                await self.update_queue.put(update)
            if poll_interval:
                await self._sleep(poll_interval)
            if not self._pending or (fresh and len(updates) >= 100):
                continue  # idle: long poll again; or a full page of new updates: more may wait
            # Busy: the next answer starts with the updates in progress again. Wait for one to
            # finish (or a while, for new updates behind a slow one), and pace the refetching.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._progress.wait(), self.busy_poll_interval)
            pause = self.refetch_cost * len(updates) - (loop.time() - started)
            if pause > 0:
                await self._sleep(pause)

    async def _get_updates(self, offset: int, timeout: Any, allowed_updates: Sequence[str] | None) -> list:
        """getUpdates' raw answer: Bot.get_updates parses the whole batch at once, and one update it
        cannot read makes it fail (logging the batch, note text included) for every later call."""
        seconds = timeout.total_seconds() if isinstance(timeout, dtm.timedelta) else float(timeout or 0)
        read_timeout = (self.bot._request[0].read_timeout or 0) + seconds  # noqa: SLF001 as Bot.get_updates
        result = await self.bot._post(  # noqa: SLF001 (PTB < 23: the raw answer, before parsing)
            "getUpdates", {"offset": offset, "timeout": int(seconds), "allowed_updates": allowed_updates},
            read_timeout=read_timeout)
        return result if isinstance(result, list) else []

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), seconds)

    async def stop(self) -> None:
        """Stop polling, let the updates in progress finish, then confirm them to Telegram."""
        if not self.running:
            raise RuntimeError("This Updater is not running!")
        if self._poll_task is None:  # webhook mode: PTB's own server stops; unanswered POSTs come again
            await super().stop()
            self._answering.waiting = False
            return
        self._stopping.set()
        self._poll_task.cancel()  # a long poll in flight: its answer was not queued, so not lost
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await self._poll_task
        self._poll_task = None
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.drain_timeout
        while self._pending and loop.time() < deadline:  # the Application is still running them
            self._progress.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._progress.wait(), max(0.0, deadline - loop.time()))
        if self._pending:
            log.warning("%d updates still in progress at stop: Telegram will deliver them again",
                        len(self._pending))
        try:  # confirm what was handled, without long polling
            await self.bot.get_updates(offset=self.confirmed_offset, timeout=0, limit=1,
                                       allowed_updates=self._poll_args.get("allowed_updates"))
        except TelegramError:
            log.warning("could not confirm the last updates; Telegram will deliver them again")
        self._running = False


class _TolerantTelegramHandler(webhookhandler.TelegramHandler):
    """PTB's webhook request handler, except for an update it cannot read: answered 200 (so
    Telegram does not send it again forever), recorded by id, never logged with its content."""

    async def post(self) -> None:
        self._validate_post()  # content type and the secret token, as PTB checks them
        if isinstance(self.update_queue, _AnsweredWhenHandled):
            self.update_queue.last_call = time.monotonic()
        self.set_status(200)
        try:
            data = json.loads(self.request.body.decode())
        except (UnicodeDecodeError, ValueError) as error:
            self._unreadable(None, error)
            return
        try:
            update = read_update(data, self.bot)
        except Exception as error:
            self._unreadable(update_id_of(data), error)
            return
        if isinstance(self.bot, ExtBot):
            self.bot.insert_callback_data(update)
        await self.update_queue.put(update)

    def _unreadable(self, update_id: int | None, error: BaseException) -> None:
        unreadable = getattr(self.update_queue, "unreadable", None)
        if unreadable is not None:
            unreadable.record(update_id, error, "webhook")
        else:
            log.warning("webhook update %s could not be read (%s): skipped", update_id, type(error).__name__)


class _HealthHandler(tornado.web.RequestHandler):
    """GET /healthz: the bot's health check (bot/health.py) as JSON; 200 healthy, 503 not."""

    def initialize(self, update_queue: object) -> None:
        self.check = getattr(update_queue, "health", None)

    async def get(self) -> None:
        if self.check is None:
            self.set_status(404)
            return
        status, body = await self.check()
        self.set_status(status)
        self.set_header("Cache-Control", "no-store")
        self.write(body)


class _TolerantWebhookApp(webhookhandler.WebhookAppClass):
    def __init__(self, webhook_path: str, bot, update_queue: asyncio.Queue, secret_token: str | None = None) -> None:
        self.shared_objects = {"bot": bot, "update_queue": update_queue, "secret_token": secret_token}
        tornado.web.Application.__init__(self, [
            (r"/healthz", _HealthHandler, {"update_queue": update_queue}),
            (rf"{webhook_path}/?", _TolerantTelegramHandler, self.shared_objects)])


# PTB's Updater builds its webhook server from this module attribute (PTB < 23).
ptb_updater.WebhookAppClass = _TolerantWebhookApp  # type: ignore[misc]  # a module attribute PTB reads, not a type

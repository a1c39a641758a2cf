"""PerUserUpdateProcessor and ProcessedOffsetUpdater (bot/update_order.py).

A tiny Application over the offline Bot API with a slow fake handler: one user's updates run one
at a time in the order sent, different users run at the same time, idle users' locks go; the
updater confirms an update to Telegram only once its handler has finished.
"""

from __future__ import annotations

import asyncio
import random
import time

import pytest
from telegram import Update
from telegram.ext import Application, ApplicationBuilder, TypeHandler

from bot.application import build_application, running
from bot.offline_api import OfflineBotAPI
from bot.update_order import PerUserUpdateProcessor, ProcessedOffsetUpdater
from tests.conftest import RM_EN, RM_ZH


def _message(update_id: int, user_id: int | None, text: str) -> dict:
    message = {"message_id": update_id, "date": 0, "text": text,
               "chat": {"id": user_id or -100, "type": "private" if user_id else "channel", "title": "c"}}
    if user_id is not None:
        message["from"] = {"id": user_id, "is_bot": False, "first_name": f"U{user_id}"}
        return {"update_id": update_id, "message": message}
    return {"update_id": update_id, "channel_post": message}


def _application(api: OfflineBotAPI, processor: PerUserUpdateProcessor) -> Application:
    return (ApplicationBuilder().token("123:test").request(api).get_updates_request(api)
            .concurrent_updates(processor).build())


class Recorder:
    """A handler that sleeps a little and records who ran when, and how many ran at once."""

    def __init__(self, delay=lambda: 0.01) -> None:
        self.delay = delay
        self.started: dict[int | None, list[str]] = {}
        self.running_by_user: dict[int | None, int] = {}
        self.running = 0
        self.max_running = 0
        self.overlaps = 0  # a user's update started while another of theirs was running

    async def __call__(self, update: Update, context) -> None:
        user = update.effective_user.id if update.effective_user else None
        self.started.setdefault(user, []).append(update.effective_message.text)
        if user is not None and self.running_by_user.get(user):
            self.overlaps += 1
        self.running_by_user[user] = self.running_by_user.get(user, 0) + 1
        self.running += 1
        self.max_running = max(self.max_running, self.running)
        try:
            await asyncio.sleep(self.delay())
        finally:
            self.running -= 1
            self.running_by_user[user] -= 1


async def _process_all(application: Application, payloads: list[dict]) -> None:
    for payload in payloads:
        await application.update_queue.put(Update.de_json(payload, application.bot))
    await asyncio.wait_for(application.update_queue.join(), 30)


@pytest.mark.parametrize("slots", [256, 3])  # 3: more updates than slots, the semaphore queues them
async def test_one_users_updates_run_in_order_under_concurrency(slots: int) -> None:
    rng = random.Random(slots)
    recorder = Recorder(delay=lambda: rng.uniform(0, 0.004))
    processor = PerUserUpdateProcessor(slots)
    application = _application(OfflineBotAPI(), processor)
    application.add_handler(TypeHandler(Update, recorder))
    users, per_user = 8, 25
    sent = [(n % users + 1, f"note {n // users}") for n in range(users * per_user)]
    rng.shuffle(sent)  # users interleaved at random; each user's own notes stay numbered in order
    counters: dict[int, int] = {}
    payloads = []
    for update_id, (user, _) in enumerate(sent, 1):
        counters[user] = counters.get(user, -1) + 1
        payloads.append(_message(update_id, user, f"note {counters[user]}"))
    async with application:
        await application.start()
        await _process_all(application, payloads)
        await application.stop()
    for user in range(1, users + 1):
        assert recorder.started[user] == [f"note {n}" for n in range(per_user)], f"user {user} out of order"
    assert recorder.overlaps == 0
    assert recorder.max_running > 1  # users did run concurrently
    assert processor.active_users == 0  # no lock left behind for idle users


async def test_different_users_run_concurrently_and_one_user_does_not_block_others() -> None:
    recorder = Recorder(delay=lambda: 0.1)
    application = _application(OfflineBotAPI(), PerUserUpdateProcessor(64))
    application.add_handler(TypeHandler(Update, recorder))
    slow_user = [_message(n, 1, f"slow {n}") for n in range(1, 6)]       # 5 × 0.1 s, in sequence
    others = [_message(10 + n, 10 + n, f"other {n}") for n in range(10)]  # 10 users, 0.1 s each
    async with application:
        await application.start()
        started = time.perf_counter()
        await _process_all(application, slow_user + others)
        elapsed = time.perf_counter() - started
        await application.stop()
    assert recorder.started[1] == [f"slow {n}" for n in range(1, 6)]
    assert 0.45 < elapsed < 0.9, elapsed  # the slow user's 0.5 s, everyone else alongside
    assert recorder.max_running >= 11


async def test_updates_without_a_user_run_freely() -> None:
    recorder = Recorder(delay=lambda: 0.1)
    processor = PerUserUpdateProcessor(64)
    application = _application(OfflineBotAPI(), processor)
    application.add_handler(TypeHandler(Update, recorder))
    async with application:
        await application.start()
        started = time.perf_counter()
        await _process_all(application, [_message(n, None, f"post {n}") for n in range(1, 11)])
        elapsed = time.perf_counter() - started
        await application.stop()
    assert elapsed < 0.5 and recorder.max_running == 10
    assert processor.active_users == 0


async def test_idle_users_locks_are_dropped() -> None:
    processor = PerUserUpdateProcessor(16)
    seen: list[int] = []
    processor.add_done_callback(lambda update: seen.append(update.update_id))
    gate = asyncio.Event()

    async def handler(update: Update, context) -> None:
        await gate.wait()

    application = _application(OfflineBotAPI(), processor)
    application.add_handler(TypeHandler(Update, handler))
    async with application:
        await application.start()
        for n in range(1, 1001):
            await application.update_queue.put(Update.de_json(_message(n, n % 50 + 1, "x"), application.bot))
        while processor.current_concurrent_updates < 16:
            await asyncio.sleep(0.01)
        assert 0 < processor.active_users <= 16
        gate.set()
        await asyncio.wait_for(application.update_queue.join(), 30)
        await application.stop()
    assert processor.active_users == 0
    assert sorted(seen) == list(range(1, 1001))


async def test_real_bot_keeps_an_rms_notes_in_order(settings, clock) -> None:
    """The bot's own handlers under the processor: each RM's notes are stored in the order sent."""
    api = OfflineBotAPI()
    application = build_application(settings, request=api, clock=clock)
    assert isinstance(application.update_processor, PerUserUpdateProcessor)
    async with running(application):
        payloads = []
        for n in range(60):
            user = (RM_ZH, RM_EN)[n % 2]
            payloads.append(_message(n + 1, user, f"visited Client {n}, needs LC"))
        await _process_all(application, payloads)
        repo = application.bot_data.repo
        rows = await repo.db.fetch_all("SELECT rm_id, message_id, raw_text FROM contacts ORDER BY id")
    for user in (RM_ZH, RM_EN):
        ids = [row["message_id"] for row in rows if row["rm_id"] == user]
        assert ids == sorted(ids) and len(ids) == 30
    replies = [s for s in api.sent if s.method == "sendMessage"]
    assert len(replies) == 60


# --- ProcessedOffsetUpdater ------------------------------------------------------------------
def _offsets(api: OfflineBotAPI) -> list[int]:
    return [int(params.get("offset") or 0) for name, params in api.calls if name == "getUpdates"]


async def test_updater_confirms_an_update_only_after_its_handler_finished() -> None:
    api = OfflineBotAPI()
    processor = PerUserUpdateProcessor(16)
    application = _application(api, processor)
    updater = ProcessedOffsetUpdater.for_application(application, busy_poll_interval=0.01)
    application.updater = updater
    gate = asyncio.Event()
    handled: list[int] = []

    async def handler(update: Update, context) -> None:
        if update.update_id == 1:
            await gate.wait()  # update 1 is slow
        handled.append(update.update_id)

    application.add_handler(TypeHandler(Update, handler))
    async with application:
        await application.start()
        await updater.start_polling(timeout=1)
        for n in range(1, 6):
            api.push_update(_message(n, n, f"m{n}"))  # five users: 2..5 finish at once
        while len(handled) < 4:
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.1)  # several polls while update 1 is still in progress
        assert max(_offsets(api)) <= 1, "update 1 must not be confirmed while it runs"
        assert updater.in_progress == 1
        api.push_update(_message(6, 6, "m6"))  # new updates are still fetched behind the slow one
        while 6 not in handled:
            await asyncio.sleep(0.01)
        gate.set()
        while updater.confirmed_offset < 7:
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.05)
        assert max(_offsets(api)) == 7
        await updater.stop()
        await application.stop()
    assert sorted(handled) == [1, 2, 3, 4, 5, 6]  # each once, though re-delivered while in progress


async def test_updater_stop_lets_updates_finish_then_confirms_them() -> None:
    api = OfflineBotAPI()
    application = _application(api, PerUserUpdateProcessor(16))
    updater = ProcessedOffsetUpdater.for_application(application)
    application.updater = updater
    handled: list[int] = []

    async def handler(update: Update, context) -> None:
        await asyncio.sleep(0.2)
        handled.append(update.update_id)

    application.add_handler(TypeHandler(Update, handler))
    async with application:
        await application.start()
        await updater.start_polling(timeout=1)
        for n in range(1, 4):
            api.push_update(_message(n, 1, f"m{n}"))
        while updater.in_progress < 3:
            await asyncio.sleep(0.01)
        await updater.stop()  # as run_polling does on SIGTERM, before Application.stop
        assert handled == [1, 2, 3]
        assert _offsets(api)[-1] == 4  # the last call confirms all three
        await application.stop()

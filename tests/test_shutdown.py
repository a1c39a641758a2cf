"""Stopping (SIGTERM) while digests are going out: the send under way finishes and is logged, the
ones still waiting for their turn are not sent and not left claimed, and the next start sends
them, each once. (The real process under SIGTERM: bench/crash.py and test_crash_recovery.py.)"""

from __future__ import annotations

import asyncio
import sys
from datetime import date
from types import SimpleNamespace

import pytest
from telegram.error import NetworkError

from bench.shutdown import shutdown_run
from bot.application import build_application, running
from bot.config import AccessSettings, PushSettings, Settings, StorageSettings
from bot.offline_api import OfflineBotAPI, OfflineUser
from bot.outbound import PUSH, OutboundLimits, OutboundQueue, PushStopped, RealTime
from storage import Repository

RMS = list(range(1000, 1040))
DAY = date(2026, 11, 25)


def digests_by_chat(api: OfflineBotAPI) -> dict[int, int]:
    counts: dict[int, int] = {}
    for sent in api.sent:
        if sent.method == "sendMessage" and ("to do" in sent.text or "nothing due" in sent.text):
            counts[sent.chat_id] = counts.get(sent.chat_id, 0) + 1
    return counts


async def test_stopping_mid_run_sends_nothing_twice_and_the_next_start_sends_the_rest(tmp_path, clock):
    settings = Settings(storage=StorageSettings(database=str(tmp_path / "bot.sqlite3")),
                        access=AccessSettings(allowed_user_ids=RMS),
                        push=PushSettings(messages_per_second=10, seconds_per_chat=0))  # 40 digests: 4 s
    api = OfflineBotAPI(time=RealTime())  # this stop is timed on the wall clock
    application = build_application(settings, request=api, clock=clock, schedule=False)
    async with running(application):
        for rm_id in RMS:
            await OfflineUser(application, api, rm_id, first_name="RM", language_code="en").send("/help")
        pusher = application.bot_data.pusher

        async def digest_run(context) -> None:
            await pusher.push_all_digests(context.bot, DAY)

        application.job_queue.run_once(digest_run, 0, name="digest run")
        await asyncio.sleep(0.5)
    # the Application stopped while the run's job was going: PTB waited for the job to end
    first = digests_by_chat(api)
    assert 0 < len(first) < len(RMS), "the queued digests were not turned away at stop"
    repo = await Repository.open(settings.storage.database)
    try:
        rows = await repo.db.fetch_all("SELECT rm_id, status, message_id FROM deliveries WHERE kind = 'digest'")
    finally:
        await repo.close()
    assert {row["status"] for row in rows} == {"sent"}, "a claim was left pending (or failed) by the stop"
    assert sorted(row["rm_id"] for row in rows) == sorted(first), "sent and logged are the same digests"

    api = OfflineBotAPI()  # the next start sends the rest
    application = build_application(settings, request=api, clock=clock, schedule=False)
    async with running(application):
        outcomes = await application.bot_data.pusher.push_all_digests(application.bot, DAY)
    assert outcomes == {"sent": len(RMS) - len(first), "already": len(first)}
    second = digests_by_chat(api)
    assert set(first).isdisjoint(second) and set(first) | set(second) == set(RMS)
    assert all(count == 1 for count in (*first.values(), *second.values()))


class FrozenTime:
    """Time that never passes: a send that must wait for its turn waits until stopped."""

    @staticmethod
    def monotonic() -> float:
        return 0.0

    @staticmethod
    async def sleep(seconds: float) -> None:
        await asyncio.Event().wait()


def send_through(queue: OutboundQueue, chat_id: int, callback, push: bool = True):
    return queue.process_request(callback, (), {}, "sendMessage", {"chat_id": chat_id, "text": "digest"},
                                 PUSH if push else None)


async def test_stopping_turns_away_pushes_waiting_for_their_turn_at_once_and_replies_still_go():
    queue = OutboundQueue(OutboundLimits(per_second=1, per_chat_seconds=0), FrozenTime())
    sent = []

    async def deliver():
        sent.append(1)
        return {"message_id": len(sent)}

    await send_through(queue, 1, deliver)  # the first goes at once; the next would wait for a sleep that never ends
    waiting = [asyncio.create_task(send_through(queue, chat, deliver)) for chat in (2, 3)]
    await asyncio.sleep(0.05)
    assert not any(task.done() for task in waiting)
    assert queue.stats.waiting_pushes == 2
    queue.stop_pushes()
    results = await asyncio.wait_for(asyncio.gather(*waiting, return_exceptions=True), 1)
    assert all(isinstance(result, PushStopped) for result in results)
    with pytest.raises(PushStopped):
        await send_through(queue, 4, deliver)
    assert sent == [1] and queue.stats.waiting_pushes == 0
    await queue.shutdown()


@pytest.mark.skipif(sys.platform == "win32", reason="SIGTERM is POSIX")
def test_sigterm_on_the_real_process_mid_digests_and_notes_then_a_restart_completes_both():
    """`python -m bot run` over the loopback Bot API fake (the fast version of bench/shutdown.py)."""
    # a few notes from each of many RMs: Telegram answers one chat about once a second, so a burst of
    # 75 notes from one RM takes 75 s to confirm whoever sends it, longer than any stop waits
    result = shutdown_run(digest_rms=120, note_rms=50, notes=100, term_after=1.0, timeout=30)
    assert 0 < result.digests_before_term < 120, "SIGTERM must turn away the digests still queued"
    assert result.exit_code == 0 and result.second_exit_code == 0
    assert result.claims_left == 0 and result.sent_not_logged == 0
    assert result.acked_lost == 0 and result.notes_stored == 100 and result.notes_twice == 0
    assert result.digests_missing == 0 and result.digests_twice == 0
    assert result.problems == []


async def test_a_push_backing_off_after_network_errors_stops_at_once():
    calls = []

    async def unreachable():
        calls.append(1)
        raise NetworkError("Bad Gateway")

    queue = OutboundQueue(OutboundLimits(per_second=30, per_chat_seconds=0), RealTime())
    sending = asyncio.create_task(send_through(queue, 1, unreachable))
    while len(calls) < 2:  # the second attempt failed: now it backs off for 2 s
        await asyncio.sleep(0.01)
    queue.stop_pushes()
    with pytest.raises(PushStopped):
        await asyncio.wait_for(sending, 0.5)
    assert len(calls) == 2
    await queue.shutdown()

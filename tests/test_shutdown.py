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
from bot.push.pacing import FloodPacer, PushStopped
from bot.push.sender import send_paced
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
    api = OfflineBotAPI()
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


async def test_a_stopped_pacer_turns_away_senders_waiting_for_their_turn_at_once():
    pacer = FloodPacer(per_second=1, per_chat_seconds=0, sleep=lambda seconds: asyncio.Event().wait())
    await pacer.wait(1)  # the first goes at once; the next would wait for a sleep that never ends
    waiting = [asyncio.create_task(pacer.wait(chat)) for chat in (2, 3)]
    await asyncio.sleep(0.05)
    assert not any(task.done() for task in waiting)
    pacer.stop()
    results = await asyncio.wait_for(asyncio.gather(*waiting, return_exceptions=True), 1)
    assert all(isinstance(result, PushStopped) for result in results)
    with pytest.raises(PushStopped):
        await pacer.wait(4)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGTERM is POSIX")
def test_sigterm_on_the_real_process_mid_digests_and_notes_then_a_restart_completes_both():
    """`python -m bot run` over the loopback Bot API fake (the fast version of bench/shutdown.py)."""
    result = shutdown_run(digest_rms=120, note_rms=4, notes=300, term_after=1.0, timeout=30)
    assert 0 < result.digests_before_term < 120, "SIGTERM must turn away the digests still queued"
    assert result.exit_code == 0 and result.second_exit_code == 0
    assert result.claims_left == 0 and result.sent_not_logged == 0
    assert result.acked_lost == 0 and result.notes_stored == 300 and result.notes_twice == 0
    assert result.digests_missing == 0 and result.digests_twice == 0
    assert result.problems == []


async def test_a_push_backing_off_after_network_errors_stops_at_once():
    calls = []

    async def unreachable(chat_id, text, reply_markup=None):
        calls.append(chat_id)
        raise NetworkError("telegram unreachable")

    pacer = FloodPacer(per_second=30, per_chat_seconds=0)
    sending = asyncio.create_task(send_paced(SimpleNamespace(send_message=unreachable), pacer, 1, "digest"))
    while len(calls) < 2:  # the second attempt failed: now it backs off for 2 s
        await asyncio.sleep(0.01)
    pacer.stop()
    with pytest.raises(PushStopped):
        await asyncio.wait_for(sending, 0.5)
    assert len(calls) == 2

"""The one outbound path against a Bot API that behaves like Telegram's under load.

The offline fake enforces Telegram's flood limits (30 a second overall, 1 a second per chat, 429
with retry_after past them), adds 80 ms per send, and can answer 5xx for a while or answer late
(past the read timeout). It runs in virtual time shared with the bot's outbound queue, so these
runs take no wall time. Every RM who writes gets exactly one confirmation; nothing is lost or
repeated; nobody is told "please try again" after a send that may have arrived.
"""

from __future__ import annotations

import asyncio
import logging
import re
from datetime import date, timedelta

import pytest
from telegram.error import BadRequest, NetworkError, RetryAfter

from bot.application import build_application, running
from bot.config import AccessSettings, PushSettings, Settings, StorageSettings
from bot.offline_api import BotAPIError, OfflineBotAPI, OfflineUser, too_many_requests
from bot.outbound import PUSH, OutboundLimits, OutboundQueue, PushStopped
from storage.run_lock import running_lock
from tests.conftest import ADMIN, STRANGER

DAY = date(2026, 11, 25)
NOTE_BUTTON = re.compile(r"^n:u:(\d+)$")
FIRST_RM = 10_000


def make_settings(tmp_path, rms: int, **push) -> Settings:
    return Settings(storage=StorageSettings(database=str(tmp_path / "bot.sqlite3")),
                    access=AccessSettings(allowed_user_ids=[FIRST_RM + n for n in range(rms)] + [ADMIN],
                                          admin_user_ids=[ADMIN]),
                    push=PushSettings(**push))


@pytest.fixture
def telegram():
    """The offline Bot API with Telegram's limits and an 80 ms round trip."""
    return OfflineBotAPI(latency=0.08)


def rms(application, api, count: int) -> list[OfflineUser]:
    return [OfflineUser(application, api, FIRST_RM + n, first_name="RM", language_code="en") for n in range(count)]


def confirmations(api: OfflineBotAPI) -> dict[int, int]:
    """Note confirmations (the reply with the note's Undo button) per chat."""
    counts: dict[int, int] = {}
    for sent in api.sent:
        if sent.method == "sendMessage" and any(NOTE_BUTTON.match(b.get("callback_data") or "")
                                                for row in sent.buttons for b in row):
            counts[sent.chat_id] = counts.get(sent.chat_id, 0) + 1
    return counts


def digests(api: OfflineBotAPI) -> dict[int, int]:
    counts: dict[int, int] = {}
    for sent in api.sent:
        if sent.method == "sendMessage" and ("to do" in sent.text or "nothing due" in sent.text):
            counts[sent.chat_id] = counts.get(sent.chat_id, 0) + 1
    return counts


def apologies(api: OfflineBotAPI) -> int:
    return sum(1 for sent in api.sent if "went wrong" in sent.text)


async def note_from_everyone(users: list[OfflineUser]) -> None:
    await asyncio.gather(*(user.send(f"visited Client {user.user['id']}, needs LC") for user in users))


async def test_a_burst_of_150_notes_is_confirmed_exactly_once_per_rm(tmp_path, clock, telegram, caplog):
    settings = make_settings(tmp_path, 150)
    application = build_application(settings, request=telegram, clock=clock, schedule=False)
    async with running(application):
        users = rms(application, telegram, 150)
        await note_from_everyone(users)  # how fast is bench/outbound.py's (virtual time runs ahead here)
        stored = (await application.bot_data.repo.db.fetch_one("SELECT count(*) FROM contacts"))[0]
    assert stored == 150
    assert confirmations(telegram) == {user.user["id"]: 1 for user in users}
    assert telegram.flood_limits.violations == 0, "the queue stays below Telegram's limits"
    assert apologies(telegram) == 0
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_a_push_run_while_rms_chat_loses_and_repeats_nothing(tmp_path, clock, telegram):
    settings = make_settings(tmp_path, 200)
    application = build_application(settings, request=telegram, clock=clock, schedule=False)
    async with running(application):
        users = rms(application, telegram, 200)
        for user in users:  # everyone has said hello (and been answered) before the morning
            await user.send("/help")
        telegram.sent.clear()
        pusher = application.bot_data.pusher
        run = asyncio.create_task(pusher.push_all_digests(application.bot, DAY))
        while len(digests(telegram)) < 20:  # the run is under way
            await asyncio.sleep(0)
        await note_from_everyone(users[:60])  # (replies before pushes: test_replies_go_before_waiting_pushes)
        outcomes = await run
        rows = await application.bot_data.repo.db.fetch_all("SELECT status FROM deliveries WHERE kind = 'digest'")
    assert outcomes == {"sent": 200}
    assert digests(telegram) == {user.user["id"]: 1 for user in users}
    assert confirmations(telegram) == {user.user["id"]: 1 for user in users[:60]}
    assert {row["status"] for row in rows} == {"sent"} and len(rows) == 200
    assert telegram.flood_limits.violations == 0


async def test_a_429_storm_holds_every_send_and_loses_nothing(tmp_path, clock, telegram, caplog):
    settings = make_settings(tmp_path, 40)
    application = build_application(settings, request=telegram, clock=clock, schedule=False)
    async with running(application):
        users = rms(application, telegram, 40)
        telegram.fail_next = [too_many_requests(5) for _ in range(30)]  # Telegram says "wait 5 s", 30 times
        started = telegram.time.monotonic()
        await note_from_everyone(users)
        took = telegram.time.monotonic() - started
        stats = application.bot_data.outbound.stats
    assert confirmations(telegram) == {user.user["id"]: 1 for user in users}
    assert telegram.fail_next == [] and len(stats.flood_waits) == 30
    assert took >= 5, "a 429 holds the sends for retry_after"
    assert apologies(telegram) == 0
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING and "Traceback" in (r.exc_text or "")]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_five_hundreds_for_ten_seconds_then_every_note_is_confirmed_once(tmp_path, clock, telegram):
    settings = make_settings(tmp_path, 40)
    application = build_application(settings, request=telegram, clock=clock, schedule=False)
    async with running(application):
        users = rms(application, telegram, 40)
        telegram.outage_until = telegram.time.monotonic() + 10  # 502 Bad Gateway for 10 s
        await note_from_everyone(users)
        stored = (await application.bot_data.repo.db.fetch_one("SELECT count(*) FROM contacts"))[0]
        given_up = application.bot_data.outbound.stats.replies_given_up
    assert stored == 40
    assert confirmations(telegram) == {user.user["id"]: 1 for user in users}
    assert apologies(telegram) == 0 and given_up == 0


async def test_a_reply_is_given_up_only_after_reply_give_up_seconds_and_counted(tmp_path, clock, telegram, caplog):
    settings = make_settings(tmp_path, 1, reply_give_up_seconds=60)
    application = build_application(settings, request=telegram, clock=clock, schedule=False)
    async with running(application):
        (user,) = rms(application, telegram, 1)
        started = telegram.time.monotonic()
        telegram.outage_until = started + 3600  # Telegram down for an hour
        await user.send("visited Client 1, needs LC")
        waited = telegram.time.monotonic() - started
        stats = application.bot_data.outbound.stats
        stored = (await application.bot_data.repo.db.fetch_one("SELECT count(*) FROM contacts"))[0]
    assert 60 <= waited < 120 and stats.replies_given_up == 1
    assert stored == 1, "the note was stored before the reply was tried"
    given_up = [r for r in caplog.records if "given up" in r.getMessage()]
    assert given_up and str(FIRST_RM) in given_up[0].getMessage()  # logged with the chat id


async def test_a_late_answer_is_sent_at_most_twice_and_never_followed_by_an_apology(tmp_path, clock, telegram):
    settings = make_settings(tmp_path, 2)
    application = build_application(settings, request=telegram, clock=clock, schedule=False)
    async with running(application):
        first, second = rms(application, telegram, 2)
        telegram.late_answers = 1  # the confirmation arrives, its answer does not: sent once more
        await first.send("visited Client 1, needs LC")
        telegram.late_answers = 2  # both answers late: not sent a third time, and no apology
        await second.send("visited Client 2, needs LC")
    counts = confirmations(telegram)
    assert counts[first.user["id"]] == 2 and counts[second.user["id"]] == 2
    assert apologies(telegram) == 0


async def test_a_digest_whose_answers_come_late_is_not_sent_a_third_time_by_a_later_run(tmp_path, clock, telegram):
    settings = make_settings(tmp_path, 1)
    application = build_application(settings, request=telegram, clock=clock, schedule=False)
    async with running(application):
        (user,) = rms(application, telegram, 1)
        await user.send("/help")
        pusher = application.bot_data.pusher
        telegram.late_answers = 2
        assert await pusher.push_all_digests(application.bot, DAY) == {"maybe_sent": 1}
        assert await pusher.push_all_digests(application.bot, DAY) == {"already": 1}
    assert digests(telegram) == {user.user["id"]: 2}


async def test_stop_mid_run_releases_every_claim_not_sent_and_the_next_start_sends_each_once(tmp_path, clock):
    settings = make_settings(tmp_path, 100)
    api = OfflineBotAPI(latency=0.08)
    application = build_application(settings, request=api, clock=clock, schedule=False)
    async with running(application):
        for user in rms(application, api, 100):
            await user.send("/help")
        api.sent.clear()
        run = asyncio.create_task(application.bot_data.pusher.push_all_digests(application.bot, DAY))
        while len(digests(api)) < 30:
            await asyncio.sleep(0)
        application.bot_data.outbound.stop_pushes()  # what SIGTERM does first
        await run
        rows = await application.bot_data.repo.db.fetch_all("SELECT rm_id, status FROM deliveries")
    first = digests(api)
    assert 30 <= len(first) < 100
    assert {row["status"] for row in rows} == {"sent"}, "a claim was left pending by the stop"
    assert sorted(row["rm_id"] for row in rows) == sorted(first)
    api = OfflineBotAPI(latency=0.08)
    application = build_application(settings, request=api, clock=clock, schedule=False)
    async with running(application):
        outcomes = await application.bot_data.pusher.push_all_digests(application.bot, DAY)
    assert outcomes == {"sent": 100 - len(first), "already": len(first)}
    assert set(digests(api)).isdisjoint(first) and all(n == 1 for n in digests(api).values())


async def test_strangers_are_refused_at_most_once_an_hour(bot, clock):
    application, api = bot
    stranger = OfflineUser(application, api, STRANGER, first_name="Eve", language_code="en")
    replies = [await stranger.send(f"hello {n}") for n in range(5)]
    assert [len(r) for r in replies] == [1, 0, 0, 0, 0]
    clock.now += timedelta(minutes=61)
    assert len(await stranger.send("hello again")) == 1


async def test_status_shows_the_outbound_queue(tmp_path, clock, telegram):
    settings = make_settings(tmp_path, 3)
    application = build_application(settings, request=telegram, clock=clock, schedule=False)
    async with running(application):
        telegram.fail_next = [too_many_requests(1)]
        for user in rms(application, telegram, 3):
            await user.send("visited Client 1, needs LC")
        admin = OfflineUser(application, telegram, ADMIN, first_name="Ada", language_code="en")
        (reply,) = await admin.send("/status")
    assert "Outbound: 0 replies and 0 pushes waiting" in reply.text
    assert "1 flood waits (429) in the last hour, 0 replies given up" in reply.text


async def test_push_digests_beside_a_running_bot_hands_them_over_and_sends_nothing_itself(tmp_path, clock, capsys):
    from bot.cli import push_digests

    clock.now = clock.now.replace(year=2090)  # the outbox job runs on the wall clock: "now" lies ahead
    settings = make_settings(tmp_path, 30)
    api = OfflineBotAPI(latency=0.08)
    application = build_application(settings, request=api, clock=clock)
    with running_lock(settings.storage.database):
        async with running(application):
            for user in rms(application, api, 30):
                await user.send("/help")
            await asyncio.sleep(0.2)  # the start's catch-up has nothing due at 17:30 with 08:30 digests
            api.sent.clear()
            own_request = OfflineBotAPI()
            assert await push_digests(settings, DAY, request=own_request, wait=30) == 0
            assert own_request.calls == [], "push-digests sent nothing on a second budget"
            assert digests(api) == {FIRST_RM + n: 1 for n in range(30)}
            assert await push_digests(settings, DAY, request=own_request, wait=30) == 0
    printed = [line for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    assert '"sent": 30' in printed[0] and '"handed_to_running_bot": true' in printed[0]
    assert '"already": 30' in printed[1]
    assert all(n == 1 for n in digests(api).values())


# --- the queue on its own -----------------------------------------------------------------------

class Recorder:
    def __init__(self) -> None:
        self.sent: list[tuple[int, str]] = []

    def call(self, chat_id: int, text: str, fail: list[Exception] | None = None):
        async def deliver():
            await asyncio.sleep(0)
            if fail:
                raise fail.pop(0)
            self.sent.append((chat_id, text))
            return {"message_id": len(self.sent)}
        return deliver


def through(queue: OutboundQueue, recorder: Recorder, chat_id: int, text: str, *, push: bool = False,
            endpoint: str = "sendMessage", fail: list[Exception] | None = None):
    return queue.process_request(recorder.call(chat_id, text, fail), (), {}, endpoint,
                                 {"chat_id": chat_id, "text": text}, PUSH if push else None)


async def test_each_chats_order_is_kept_under_concurrency_and_retries():
    from bot.offline_api import VirtualTime

    queue, recorder = OutboundQueue(OutboundLimits(per_second=30, per_chat_seconds=1.0), VirtualTime()), Recorder()
    sends = []
    for n in range(5):
        sends.append(through(queue, recorder, 1, f"a{n}", fail=[RetryAfter(1)] if n == 2 else None))
        sends.append(through(queue, recorder, 2, f"b{n}", push=True, fail=[NetworkError("Bad Gateway")] if n == 1 else None))
    await asyncio.gather(*sends)
    assert [text for chat, text in recorder.sent if chat == 1] == [f"a{n}" for n in range(5)]
    assert [text for chat, text in recorder.sent if chat == 2] == [f"b{n}" for n in range(5)]
    await queue.shutdown()


async def test_replies_go_before_waiting_pushes():
    from bot.offline_api import VirtualTime

    queue, recorder = OutboundQueue(OutboundLimits(per_second=10, per_chat_seconds=0, in_flight=1), VirtualTime()), Recorder()
    pushes = [asyncio.ensure_future(through(queue, recorder, 100 + n, "digest", push=True)) for n in range(20)]
    await asyncio.sleep(0)
    reply = asyncio.ensure_future(through(queue, recorder, 1, "confirmation"))
    await asyncio.gather(*pushes, reply)
    assert [chat for chat, _ in recorder.sent].index(1) <= 2
    await queue.shutdown()


async def test_message_is_not_modified_is_not_an_error():
    from bot.offline_api import VirtualTime

    queue, recorder = OutboundQueue(clock=VirtualTime()), Recorder()
    result = await through(queue, recorder, 1, "same", endpoint="editMessageText",
                           fail=[BadRequest("Message is not modified: specified new message content and reply "
                                            "markup are exactly the same")])
    assert result is True
    with pytest.raises(BadRequest):
        await through(queue, recorder, 1, "x", fail=[BadRequest("Bad Request: chat not found")])
    await queue.shutdown()


async def test_a_push_waiting_at_stop_is_turned_away_but_a_reply_still_goes():
    from bot.offline_api import VirtualTime

    queue, recorder = OutboundQueue(OutboundLimits(per_second=1, per_chat_seconds=0), VirtualTime()), Recorder()
    hold = [RetryAfter(30)]
    first = asyncio.ensure_future(through(queue, recorder, 1, "reply", fail=hold))
    push = asyncio.ensure_future(through(queue, recorder, 2, "digest", push=True))
    await asyncio.sleep(0)
    queue.stop_pushes()
    assert await first == {"message_id": 1}
    with pytest.raises(PushStopped):
        await push
    assert recorder.sent == [(1, "reply")]
    await queue.shutdown()


def test_the_fake_answers_429_in_telegrams_shape():
    import json

    api = OfflineBotAPI()
    api.flood_limits.check(5)
    with pytest.raises(BotAPIError) as raised:
        api.flood_limits.check(5)
    error = raised.value
    body = {"ok": False, "error_code": error.code, "description": error.description,
            "parameters": {"retry_after": error.retry_after}}
    assert json.loads(json.dumps(body)) == {"ok": False, "error_code": 429, "description": "Too Many Requests: retry after 1",
                                            "parameters": {"retry_after": 1}}


async def test_paid_broadcast_marks_digests_only_and_lifts_their_overall_limit(tmp_path, clock, telegram):
    settings = make_settings(tmp_path, 40, paid_broadcast=True)
    application = build_application(settings, request=telegram, clock=clock, schedule=False)
    async with running(application):
        users = rms(application, telegram, 40)
        for user in users:
            await user.send("/help")
        replies = [params for name, params in telegram.calls if name == "sendMessage"]
        assert await application.bot_data.pusher.push_all_digests(application.bot, DAY) == {"sent": 40}
    pushed = [params for name, params in telegram.calls if name == "sendMessage"][len(replies):]
    assert len(pushed) == 40 and all(params.get("allow_paid_broadcast") is True for params in pushed)
    assert not any(params.get("allow_paid_broadcast") for params in replies), "replies are free"
    assert application.bot_data.outbound.limits.paid_per_second == 1000


async def test_a_slow_file_import_does_not_hold_up_other_rms(tmp_path, clock, telegram, monkeypatch):
    import threading

    import bot.importing

    release = threading.Event()
    parse_clients = bot.importing.parse_clients

    def slow_parse(filename, content):  # a maximum-size XLSX takes seconds to read
        assert release.wait(5), "the import was read on the event loop: nobody else was served"
        return parse_clients(filename, content)

    monkeypatch.setattr(bot.importing, "parse_clients", slow_parse)
    settings = make_settings(tmp_path, 2)
    application = build_application(settings, request=telegram, clock=clock, schedule=False)
    async with running(application):
        importer, other = rms(application, telegram, 2)
        importing = asyncio.create_task(importer.send_document("clients.csv", "name,tier\nLiu,A\n".encode()))
        await asyncio.sleep(0.05)
        await other.send("visited Client 2, needs LC")  # served while the file is being read
        assert confirmations(telegram) == {other.user["id"]: 1} and not importing.done()
        release.set()
        reply = (await importing)[-1]
    assert "1 added" in reply.text

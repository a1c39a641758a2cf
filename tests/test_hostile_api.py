"""The real Bot API and odd input (issue 14): an update the library cannot read, an outage, an
error page that echoes the token, membership changes, edited commands and forged arguments.

Polling runs the bot's own ProcessedOffsetUpdater against the offline Bot API; the webhook runs
PTB's server on 127.0.0.1 (tests/test_webhook.py); start-up runs `python -m bot run`.
"""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
import time
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from bot.application import build_application, running
from bot.callback_data import decode
from bot.config import AccessSettings, Settings, StorageSettings, TelegramSettings
from bot.jobs import digest_job_name
from bot.offline_api import OfflineBotAPI, OfflineUser
from tests.conftest import ADMIN, RM_EN, STRANGER
from tests.test_webhook import webhook_bot

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "123456789:AAHsecretTokenForTests-0123456789abcdef"
SECRET_HALF = TOKEN.split(":", 1)[1]
AMY = {"id": RM_EN, "is_bot": False, "first_name": "Amy", "language_code": "en"}
CHAT = {"id": RM_EN, "type": "private", "first_name": "Amy"}
NOTE_A, NOTE_B = "visited Zebediah Quorn, needs LC", "called Philippa Vantablack about fees"


def note(update_id: int, text: str) -> dict:
    return {"update_id": update_id, "message": {"message_id": update_id, "date": int(time.time()), "text": text,
                                                 "from": AMY, "chat": CHAT}}


def membership(update_id: int, status: str, user: dict = AMY) -> dict:
    chat = {"id": user["id"], "type": "private", "first_name": user["first_name"]}
    bot = {"id": 4242, "is_bot": True, "first_name": "RM Assistant"}
    return {"update_id": update_id, "my_chat_member": {
        "chat": chat, "from": user, "date": int(time.time()),
        "old_chat_member": {"user": bot, "status": "member" if status == "kicked" else "kicked",
                            **({"until_date": 0} if status == "member" else {})},
        "new_chat_member": {"user": bot, "status": status, **({"until_date": 0} if status == "kicked" else {})}}}


def unreadable(kind: str, update_id: int) -> dict:
    """Updates PTB cannot parse, as a Bot API version mismatch produces them."""
    if kind == "my_chat_member kicked without until_date":
        update = membership(update_id, "kicked")
        del update["my_chat_member"]["new_chat_member"]["until_date"]
        return update
    update = note(update_id, "a message without its date, note text inside")
    del update["message"]["date"]
    return update


UNREADABLE = ["my_chat_member kicked without until_date", "message without date"]


def replies(api: OfflineBotAPI, chat_id: int = RM_EN) -> list[str]:
    return [s.text for s in api.sent if s.method == "sendMessage" and s.chat_id == chat_id]


async def until(predicate, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        await asyncio.sleep(0.01)


@asynccontextmanager
async def polling_bot(settings: Settings, clock, api: OfflineBotAPI | None = None):
    api = api or OfflineBotAPI(first_update_id=1)
    application = build_application(settings, request=api, clock=clock, schedule=False)
    async with running(application):
        await application.updater.start_polling(timeout=1)
        try:
            yield application, api
        finally:
            await application.updater.stop()


def _settings_with_token(settings: Settings) -> Settings:
    return settings.model_copy(update={"telegram": TelegramSettings(token=TOKEN)})


# --- an update the library cannot read ---------------------------------------------------------
@pytest.mark.parametrize("kind", UNREADABLE)
async def test_polling_skips_an_unreadable_update_between_two_notes_and_answers_both(kind, settings, clock, caplog):
    caplog.set_level(logging.DEBUG)  # every logger at its most talkative, PTB's included
    async with polling_bot(settings, clock) as (application, api):
        api.push_update(note(1, NOTE_A))
        api.push_update(unreadable(kind, 2))
        api.push_update(note(3, NOTE_B))
        await until(lambda: len(replies(api)) == 2)
        await until(lambda: application.updater.confirmed_offset == 4)  # the bad one is confirmed too
        assert application.bot_data.unreadable.ids == [2]
        status = await OfflineUser(application, api, ADMIN, first_name="Ann", language_code="en").send("/status")
    assert "Unreadable updates skipped: 1" in status[-1].text
    assert "Zebediah" in replies(api)[0] and "Philippa" in replies(api)[1]
    for secret in ("Zebediah", "Quorn", "Philippa", "Vantablack", "note text inside"):
        assert secret not in caplog.text, f"{secret!r} in the log"
    assert "update 2 could not be read" in caplog.text


@pytest.mark.parametrize("kind", UNREADABLE)
async def test_webhook_answers_an_unreadable_update_200_and_logs_none_of_it(kind, settings, clock, caplog):
    caplog.set_level(logging.DEBUG)
    async with webhook_bot(settings, clock) as (application, api, post):
        assert await post(note(1, NOTE_A)) == 200
        assert await post(unreadable(kind, 2)) == 200  # answered: Telegram does not send it again
        assert await post(note(3, NOTE_B)) == 200
        assert application.bot_data.unreadable.ids == [2]
    assert len(replies(api)) == 2
    for secret in ("Zebediah", "Quorn", "Philippa", "Vantablack", "note text inside"):
        assert secret not in caplog.text, f"{secret!r} in the log"


# --- an outage of getUpdates ---------------------------------------------------------------------
async def test_the_first_note_after_a_get_updates_outage_is_answered_within_a_few_seconds(settings, clock):
    async with polling_bot(settings, clock) as (application, api):
        api.push_update(note(1, NOTE_A))
        await until(lambda: len(replies(api)) == 1)
        api.down = True  # 8 s: the old backoff (1, 2, 4, 8 s …) would next try 7 s after recovery
        await asyncio.sleep(8)
        api.push_update(note(2, NOTE_B))  # Telegram holds the note until the bot polls again
        api.down = False
        recovered = time.monotonic()
        await until(lambda: len(replies(api)) == 2, timeout=30)
        waited = time.monotonic() - recovered
    assert waited < 3.0, f"first reply {waited:.1f} s after the Bot API came back"


# --- the token never in a log line -----------------------------------------------------------------
async def test_an_error_page_echoing_the_token_leaves_no_token_in_the_log(settings, clock, caplog):
    caplog.set_level(logging.DEBUG)
    api = OfflineBotAPI()
    application = build_application(_settings_with_token(settings), request=api, clock=clock, schedule=False)
    async with running(application):
        amy = OfflineUser(application, api, RM_EN, first_name="Amy", language_code="en")
        await amy.send("/start")
        api.error_pages = 2  # the reply to the next note and the apology meet the proxy's error page
        await amy.send(NOTE_A)
        admin = OfflineUser(application, api, ADMIN, first_name="Ann", language_code="en")
        status = await admin.send("/status")
        mydata = await amy.send("/mydata")
    assert "no upstream for /bot[redacted]/sendMessage" in caplog.text  # the page was logged, redacted
    assert TOKEN not in caplog.text and SECRET_HALF not in caplog.text
    assert all(TOKEN not in repr(sent) and SECRET_HALF not in repr(sent) for sent in api.sent)
    assert status and mydata


async def test_library_log_records_keep_their_shape_and_lose_the_content(settings, clock, caplog):
    caplog.set_level(logging.DEBUG)
    build_application(_settings_with_token(settings), request=OfflineBotAPI(), clock=clock)
    logging.getLogger("telegram.ext.Application").critical("Received data was %r", {"text": NOTE_A})
    logging.getLogger("telegram.Bot").debug("Set Bot API URL: %s", f"https://api.telegram.org/bot{TOKEN}")
    assert "Received data was <withheld>" in caplog.text and "Zebediah" not in caplog.text
    assert "https://api.telegram.org/bot[redacted]" in caplog.text and SECRET_HALF not in caplog.text


# --- membership ----------------------------------------------------------------------------------
async def test_blocking_marks_the_rm_inactive_and_unblocking_active_again(bot, rm_en, repo):
    application, api = bot
    await rm_en.send(NOTE_A)
    jobs = lambda: application.job_queue.get_jobs_by_name(digest_job_name(RM_EN))  # noqa: E731
    assert jobs()
    await rm_en.deliver_again(membership(api.next_update_id(), "kicked"))
    assert not (await repo.rms.get(RM_EN)).active and not jobs()  # pushes stop now, not after a failed one
    await rm_en.deliver_again(membership(api.next_update_id(), "member"))
    assert (await repo.rms.get(RM_EN)).active and jobs()
    assert [s for s in api.sent if s.chat_id == RM_EN][-1].text.startswith("✅")  # nothing said to a blocker


async def test_a_membership_update_with_parts_missing_changes_nothing(bot, rm_en, repo):
    application, api = bot
    await rm_en.send(NOTE_A)
    for missing in ("new_chat_member", "from", "chat"):  # PTB reads these as None
        update = membership(api.next_update_id(), "kicked")
        del update["my_chat_member"][missing]
        await rm_en.deliver_again(update)
    assert (await repo.rms.get(RM_EN)).active and application.bot_data.errors == []


async def test_a_membership_update_never_creates_an_rm(bot, repo):
    application, api = bot
    never_wrote = {"id": RM_EN, "is_bot": False, "first_name": "Amy"}
    stranger = {"id": STRANGER, "is_bot": False, "first_name": "Eve"}
    user = OfflineUser(application, api, RM_EN)
    for who in (never_wrote, stranger):
        await user.deliver_again(membership(api.next_update_id(), "kicked", who))
        await user.deliver_again(membership(api.next_update_id(), "member", who))
    assert await repo.rms.get(RM_EN) is None and await repo.rms.get(STRANGER) is None
    assert application.job_queue.jobs() == () or not any(j.name.startswith("digest") for j in application.job_queue.jobs())
    assert api.sent == [] and application.bot_data.errors == []


# --- edited commands -----------------------------------------------------------------------------
async def test_an_edited_undo_is_not_run_again(rm_en, repo):
    await rm_en.send("visited Alpha Co, needs LC")      # message 1
    await rm_en.send("visited Beta Co, needs loan")     # message 2
    await rm_en.send("/undo")                           # message 3: removes Beta
    reply = await rm_en.edit(3, "/undo")
    assert reply[-1].text == "An edited command is not run again. To run it, send it as a new message."
    assert [c.raw_text for c in await repo.contacts.recent(RM_EN)] == ["visited Alpha Co, needs LC"]


async def test_an_edited_note_is_still_filed_again(rm_en, repo):
    await rm_en.send("visited Alpha Co, needs LC")
    await rm_en.edit(1, "visited Gamma Co, needs LC")
    assert [c.raw_text for c in await repo.contacts.recent(RM_EN)] == ["visited Gamma Co, needs LC"]


# --- forged arguments and callback data ----------------------------------------------------------
ODD_COMMANDS = ["/week 9999-12-31", "/month 0001-01-01", "/week 99999-01-01", "/settings cadence A ²",
                "/settings cadence A 99999999999999999999", "/settings cadence B ٣٠", "/export 9999-12",
                "/today 2026-11-25", "/clients Z"]
ODD_CALLBACKS = ["n:u:²", "n:u:99999999999999999999999", "n:p:1:99999999999999999999", "n:mi:1:²",
                 "c:tl:{client}:99999999999999999999", "c:tl:{client}:²", "c:card:9223372036854775808",
                 "d:ok:f:99999999999999999999", "d:s7:m:²", "d:h:spring:99991231:0", "d:h:spring:20261125:p9999999",
                 "l:*:99999999999999999999", "l:A:²", "p:ask:99999999999999999999", "p:forget:٣",
                 "s:lang:²", "f:a:" + "x" * 60, "n:u:-1", "n:u:0", "n:u:1:2:3", ":", "n"]


@pytest.mark.parametrize("command", ODD_COMMANDS)
async def test_odd_command_arguments_get_a_clear_reply_and_no_error(command, bot, rm_en):
    application, _ = bot
    replies_ = await rm_en.send(command)
    assert replies_ and replies_[-1].text
    assert application.bot_data.errors == []


@pytest.mark.parametrize("data", ODD_CALLBACKS)
async def test_forged_callback_fields_get_an_answer_and_no_error(data, bot, rm_en, repo):
    application, _ = bot
    await rm_en.send("visited Liu, needs LC")
    client = (await repo.clients.list(RM_EN))[0]
    answers = await rm_en.press_data(data.format(client=client.id))
    assert answers and answers[-1].method == "answerCallbackQuery"
    assert application.bot_data.errors == []


@pytest.mark.parametrize("data, expected", [
    ("n:u:12", ("n", "u", (12,))), ("n:p:12:7", ("n", "p", (12, 7))), ("c:tl:5:3", ("c", "tl", (5, 3))),
    ("l:*:0", ("l", "*", (0,))), ("p:keep", ("p", "keep", ())), ("s:toggle:empty", ("s", "toggle", ("empty",))),
    ("d:ok:f:9223372036854775807", ("d", "ok", ("f", 2**63 - 1))),
])
def test_decoding_reads_every_field(data, expected):
    button = decode(data)
    assert (button.prefix, button.action, button.fields) == expected


@pytest.mark.parametrize("data", [odd.format(client=1) for odd in ODD_CALLBACKS])
def test_decoding_refuses_fields_out_of_range(data):
    assert decode(data) is None


# --- start-up ------------------------------------------------------------------------------------
def _run_bot(tmp_path: Path, base_url: str, retry_seconds: int = 3, timeout: float = 60) -> subprocess.CompletedProcess:
    config = tmp_path / "empty.toml"
    config.touch()
    env = dict(os.environ, RMBOT_TELEGRAM__TOKEN=TOKEN, RMBOT_TELEGRAM__API_BASE_URL=base_url,
               RMBOT_TELEGRAM__STARTUP_RETRY_SECONDS=str(retry_seconds),
               RMBOT_STORAGE__DATABASE=str(tmp_path / "bot.sqlite3"))
    return subprocess.run([sys.executable, "-m", "bot", "run", "--config", str(config)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


def _closed_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_unreachable_bot_api_is_retried_then_the_bot_exits_with_one_line(tmp_path):
    started = time.monotonic()
    result = _run_bot(tmp_path, f"http://127.0.0.1:{_closed_port()}/bot", retry_seconds=3)
    elapsed = time.monotonic() - started
    lines = result.stderr.strip().splitlines()
    assert result.returncode != 0 and 3 <= elapsed < 20, (result.returncode, elapsed)
    assert "Traceback" not in result.stderr and TOKEN not in result.stderr and SECRET_HALF not in result.stderr
    assert lines[0].startswith("Bot API unreachable") and "retrying in 1 s" in lines[0]
    assert lines[-1].startswith("the Bot API stayed unreachable for 3 s")
    assert 2 <= len(lines) <= 5 and all(len(line) < 160 for line in lines), lines


def test_a_refused_token_exits_at_once_with_one_line(tmp_path):
    from bench.http_fake import FakeBotAPI

    class RefusingAPI(FakeBotAPI):
        def call(self, method, params):
            return (401, "Unauthorized") if method == "getMe" else super().call(method, params)

    with RefusingAPI() as api:
        started = time.monotonic()
        result = _run_bot(tmp_path, api.base_url, retry_seconds=300)
    assert result.returncode != 0 and time.monotonic() - started < 15
    assert result.stderr.strip() == "the Bot API refused the token"


def test_a_token_revoked_while_running_stops_the_bot_with_one_line(tmp_path):
    from bench.http_fake import FakeBotAPI

    class RevokingAPI(FakeBotAPI):
        polls = 0

        def call(self, method, params):
            if method == "getUpdates":
                self.polls += 1
                if self.polls > 2:
                    return 401, "Unauthorized"
            return super().call(method, params)

    with RevokingAPI(long_poll_cap=0.2) as api:
        result = _run_bot(tmp_path, api.base_url)
    assert result.returncode != 0 and result.stderr.strip().splitlines()[-1] == "the Bot API refused the token"
    assert "Traceback" not in result.stderr and SECRET_HALF not in result.stderr


async def test_every_button_the_bot_shows_decodes(bot, rm_en):
    """bot/callback_data.py lists every prefix: a button it cannot read would answer "no longer valid"."""
    application, api = bot
    await rm_en.send("visited Liu, needs LC, follow up next Tuesday")
    await rm_en.press("✏️ Edit")
    await rm_en.send("visited Liu again")
    for command in ("/client Liu", "/clients", "/due", "/settings", "/forget Liu", "/faq", "/find Liu"):
        await rm_en.send(command)
    await rm_en.press_data(f"c:tl:{(await application.bot_data.repo.clients.list(RM_EN))[0].id}:0")
    shown = {button["callback_data"] for sent in api.sent for row in sent.buttons for button in row}
    assert {data.split(":")[0] for data in shown} >= {"n", "c", "s", "p", "f"}
    assert [data for data in shown if decode(data) is None] == []

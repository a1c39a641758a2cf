"""A Bot API fake on 127.0.0.1 that the real bot process polls (RMBOT_TELEGRAM__API_BASE_URL).

It answers over real HTTP the methods a note round trip needs, the way Telegram does:

* getUpdates long-polls and honours `offset`: updates with update_id < offset are confirmed and
  dropped for good; the others are delivered again on every call (as after a crash).
* sendMessage / editMessageText / answerCallbackQuery are recorded as `Reply` (chat, text,
  reply_to, the note's contact id read from its Undo button, arrival time).
* getMe, deleteWebhook, setMyCommands, getMyCommands, sendChatAction, deleteMessage and
  editMessageReplyMarkup answer as Telegram would; any other method gets 400 and is counted.

The reply to a note is the bot's acknowledgement: it is sent after the note was committed.

Telegram's behaviour under load, each optional: `flood_limits` (bot.offline_api.FloodLimits:
~30 messages a second overall, ~1 a second per chat, 429 with `retry_after` in Telegram's JSON
shape past them), `latency` per send (half on the way in, half on the way out), `outage_until`
(sends answer 502 Bad Gateway until that time.monotonic()), `late_answers` (the next sends are
recorded but answered only after `late_by` seconds, past the bot's read timeout).
"""

from __future__ import annotations

import itertools
import json
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.offline_api import FLOOD_LIMITED, BotAPIError, FloodLimits  # noqa: E402

BOT_USER = {"id": 4242, "is_bot": True, "first_name": "RM Assistant", "username": "rm_assistant_bot",
            "can_join_groups": False, "can_read_all_group_messages": False, "supports_inline_queries": False}
CONTACT_BUTTON = re.compile(r'"n:u:(\d+)"')


@dataclass(frozen=True)
class Reply:
    """One thing the bot sent: method, chat, text, the message it quotes, the note's contact id."""

    method: str
    chat_id: int | None
    text: str
    reply_to: int | None
    contact_id: int | None
    at: float  # time.perf_counter() on arrival
    message_id: int | None = None


class FakeBotAPI:
    """The fake server. `enqueue`/`enqueue_note` add updates; `replies` is what the bot sent."""

    def __init__(self, *, long_poll_cap: float = 2.0, bot_user: dict | None = None,
                 flood_limits: FloodLimits | None = None, latency: float = 0.0) -> None:
        self.long_poll_cap = long_poll_cap  # a killed bot's poll must not hold a thread for long
        self.flood_limits = flood_limits
        self.latency = latency
        self.outage_until: float | None = None
        self.late_answers = 0
        self.late_by = 6.0
        self.flooded = 0        # 429s answered
        self.outage_answers = 0  # 5xx answered
        self.bot_user = bot_user or BOT_USER
        self._cond = threading.Condition()
        self._queue: list[dict] = []       # delivered until confirmed by offset
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(100_000)
        self.enqueued_at: dict[int, float] = {}
        self.replies: list[Reply] = []
        self.errors: list[tuple[str, str]] = []
        self.confirmed_offset = 0
        self.get_updates_calls = 0
        self.delivered = 0                 # updates sent in getUpdates answers (re-deliveries too)
        self.first_poll = threading.Event()
        self._server: _Server | None = None

    # --- lifecycle -----------------------------------------------------------------------------
    def start(self) -> FakeBotAPI:
        fake = self

        class Handler(_Handler):
            api = fake

        self._server = _Server(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, name="fake-bot-api", daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            with self._cond:
                self._cond.notify_all()
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeBotAPI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._server is not None
        return self._server.server_port

    @property
    def base_url(self) -> str:
        """For RMBOT_TELEGRAM__API_BASE_URL."""
        return f"http://127.0.0.1:{self.port}/bot"

    # --- the test's side -----------------------------------------------------------------------
    def enqueue(self, payload: dict) -> int:
        """Queue an update (without update_id); returns the update_id given to it."""
        with self._cond:
            update_id = next(self._update_ids)
            self._queue.append({"update_id": update_id, **payload})
            self.enqueued_at[update_id] = time.perf_counter()
            self._cond.notify_all()
        return update_id

    def enqueue_many(self, payloads: list[dict]) -> list[int]:
        with self._cond:
            ids = []
            now = time.perf_counter()
            for payload in payloads:
                update_id = next(self._update_ids)
                self._queue.append({"update_id": update_id, **payload})
                self.enqueued_at[update_id] = now
                ids.append(update_id)
            self._cond.notify_all()
        return ids

    @staticmethod
    def note(user_id: int, message_id: int, text: str, *, first_name: str = "RM",
             language_code: str = "en") -> dict:
        """A private text message from an RM, as Telegram delivers it."""
        user = {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": language_code}
        return {"message": {"message_id": message_id, "date": int(time.time()), "text": text, "from": user,
                            "chat": {"id": user_id, "type": "private", "first_name": first_name}}}

    def enqueue_note(self, user_id: int, message_id: int, text: str, **kwargs: Any) -> int:
        return self.enqueue(self.note(user_id, message_id, text, **kwargs))

    def unconfirmed(self) -> int:
        """Updates Telegram still holds: not yet confirmed by an offset."""
        with self._cond:
            return sum(1 for update in self._queue if update["update_id"] >= self.confirmed_offset)

    def replies_snapshot(self) -> list[Reply]:
        with self._cond:
            return list(self.replies)

    def wait_until(self, predicate: Callable[[], bool], timeout: float, interval: float = 0.02) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return True
            time.sleep(interval)
        return predicate()

    # --- the Bot API ---------------------------------------------------------------------------
    def call(self, method: str, params: dict) -> tuple[int, Any]:
        if method == "getUpdates":
            return 200, self._get_updates(params)
        if method == "getMe":
            return 200, self.bot_user
        if method in ("deleteWebhook", "setMyCommands", "sendChatAction", "deleteMessage", "setWebhook"):
            return 200, True
        if method == "getMyCommands":
            return 200, []
        if method == "answerCallbackQuery":
            self._record(method, None, str(params.get("text", "")), params)
            return 200, True
        if method in FLOOD_LIMITED and "chat_id" in params:
            if self.latency:
                time.sleep(self.latency / 2)
            refused = self._refusal(params)
            if refused is not None:
                return refused
            try:
                return self._send(method, params)
            finally:
                late = False
                with self._cond:
                    if self.late_answers > 0:
                        self.late_answers -= 1
                        late = True
                time.sleep((self.late_by if late else 0.0) + self.latency / 2)
        with self._cond:
            self.errors.append((method, "not available in the fake"))
        return 400, f"Bad Request: method {method} is not available in the fake"

    def _refusal(self, params: dict) -> tuple[int, Any] | None:
        """A 5xx during an outage, or Telegram's 429 past the flood limits."""
        if self.outage_until is not None and time.monotonic() < self.outage_until:
            with self._cond:
                self.outage_answers += 1
            return 502, "Bad Gateway"
        if self.flood_limits is not None:
            paid = str(params.get("allow_paid_broadcast", "")).lower() in ("true", "1")
            try:
                self.flood_limits.check(int(params["chat_id"]), paid)
            except BotAPIError as error:
                with self._cond:
                    self.flooded += 1
                return 429, error
        return None

    def _send(self, method: str, params: dict) -> tuple[int, Any]:
        if method in ("sendMessage", "editMessageText", "editMessageReplyMarkup"):
            chat_id = int(params["chat_id"])
            message_id = int(params["message_id"]) if "message_id" in params else next(self._message_ids)
            text = str(params.get("text", ""))
            self._record(method, chat_id, text, params, message_id)
            return 200, {"message_id": message_id, "date": int(time.time()), "text": text, "from": self.bot_user,
                         "chat": {"id": chat_id, "type": "private"}}
        with self._cond:
            self.errors.append((method, "not available in the fake"))
        return 400, f"Bad Request: method {method} is not available in the fake"

    def _record(self, method: str, chat_id: int | None, text: str, params: dict,
                message_id: int | None = None) -> None:
        markup = params.get("reply_markup")
        markup_text = markup if isinstance(markup, str) else json.dumps(markup or {})
        found = CONTACT_BUTTON.search(markup_text)
        reply_to = params.get("reply_to_message_id")
        parameters = params.get("reply_parameters")
        if parameters:
            parameters = json.loads(parameters) if isinstance(parameters, str) else parameters
            reply_to = parameters.get("message_id")
        reply = Reply(method, chat_id, text, int(reply_to) if reply_to else None,
                      int(found.group(1)) if found else None, time.perf_counter(), message_id)
        with self._cond:
            self.replies.append(reply)

    def _get_updates(self, params: dict) -> list[dict]:
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        timeout = min(float(params.get("timeout") or 0), self.long_poll_cap)
        deadline = time.monotonic() + timeout
        with self._cond:
            self.get_updates_calls += 1
            self.first_poll.set()
            if offset > self.confirmed_offset:
                self.confirmed_offset = offset
                self._queue = [u for u in self._queue if u["update_id"] >= offset]
            while not self._queue and self._server is not None:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._cond.wait(remaining)
            answer = self._queue[:limit]
            self.delivered += len(answer)
            return answer


class _Server(ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):  # a killed bot's socket
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    api: FakeBotAPI
    protocol_version = "HTTP/1.1"  # keep-alive, as httpx expects
    disable_nagle_algorithm = True  # TCP_NODELAY: no 40 ms delayed-ACK stall per answer
    wbufsize = -1                   # the status line, headers and body leave in one write

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if len(body) < length:  # the bot died while sending: Telegram never saw this request
            self.close_connection = True
            return
        method = self.path.rsplit("/", 1)[-1]
        params = _params(self.headers.get("Content-Type", ""), body)
        try:
            status, result = self.api.call(method, params)
        except Exception as error:  # a bug in the fake must show, not hang the bot
            status, result = 500, f"fake failed: {error!r}"
            self.api.errors.append((method, repr(error)))
        if status == 200:
            payload: dict[str, Any] = {"ok": True, "result": result}
        elif isinstance(result, BotAPIError):  # Telegram's 429: the description and parameters.retry_after
            payload = {"ok": False, "error_code": status, "description": result.description,
                       "parameters": {"retry_after": result.retry_after}}
        else:
            payload = {"ok": False, "error_code": status, "description": result}
        data = json.dumps(payload).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):  # the bot was killed mid-request
            self.close_connection = True

    do_GET = do_POST

    def log_message(self, *args: object) -> None:
        return


def _params(content_type: str, body: bytes) -> dict:
    if not body:
        return {}
    if content_type.startswith("application/json"):
        return json.loads(body)
    if content_type.startswith("multipart/"):
        return {}
    return {key: values[-1] for key, values in parse_qs(body.decode(), keep_blank_values=True).items()}


def bot_command(variant: str, config: str | Path | None = None) -> list[str]:
    """The command that runs the bot (cwd ROOT): 'current' is `python -m bot run` as it is today.

    Pass an (empty) CONFIG so a developer's ./config.toml does not leak into a bench.
    """
    extra = ["--config", str(config)] if config is not None else []
    if variant == "current":
        return [sys.executable, "-m", "bot", "run", *extra]
    raise ValueError(f"unknown variant {variant!r}")



ROOT = Path(__file__).resolve().parents[1]


def start_bot(api: FakeBotAPI, folder: Path, rm_ids: list[int], log_name: str,
              database: str = "bot.sqlite3", *, command: list[str] | None = None,
              extra_env: dict[str, str] | None = None) -> subprocess.Popen:
    """`python -m bot run` polling `api`, its database in `folder`, stderr to folder/log_name.

    `command` runs another bot command instead (e.g. ["push-digests", "--date", "2026-11-25"]).
    """
    config = folder / "empty.toml"
    config.touch()
    env = dict(os.environ, RMBOT_TELEGRAM__TOKEN="123:x", RMBOT_TELEGRAM__API_BASE_URL=api.base_url,
               RMBOT_TELEGRAM__POLL_TIMEOUT="2", RMBOT_STORAGE__DATABASE=str(folder / database),
               RMBOT_ACCESS__ALLOWED_USER_IDS=str(rm_ids), RMBOT_BACKUP__DIRECTORY=str(folder / "backups"),
               **(extra_env or {}))
    argv = bot_command("current", config)
    if command is not None:
        argv = [sys.executable, "-m", "bot", *command, "--config", str(config)]
    with open(folder / log_name, "w") as log:
        return subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log)


def errors_logged(folder: Path, log_names: tuple[str, ...]) -> list[str]:
    """A problem line per log with a traceback or an ERROR line."""
    problems = []
    for log_name in log_names:
        text = (folder / log_name).read_text(errors="replace")
        if "Traceback" in text or " ERROR " in text:
            problems.append(f"{log_name}: {text.count(' ERROR ')} ERROR lines")
    return problems

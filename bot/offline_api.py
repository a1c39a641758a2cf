"""An offline Bot API: the console and the tests run the real Application against it.

OfflineBotAPI is a PTB request object that answers Bot API methods in memory the way Telegram
does, including its refusals (a message over 4,096 characters, HTML it cannot parse, a button
payload over 64 bytes), so what passes here passes on Telegram. OfflineUser plays the RM's side:
it sends text and presses buttons as updates, and returns what the bot answered.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import math
import threading
import time as clock
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from telegram import Update
from telegram.ext import Application
from telegram.error import TimedOut
from telegram.request import BaseRequest, RequestData

BOT_USER = {"id": 4242, "is_bot": True, "first_name": "RM Assistant", "username": "rm_assistant_bot",
            "can_join_groups": False, "can_read_all_group_messages": False, "supports_inline_queries": False}
MAX_TEXT = 4096
MAX_CALLBACK_DATA = 64
_ALLOWED_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre",
                 "tg-spoiler", "span", "blockquote", "tg-emoji"}


class _EntityCheck(HTMLParser):
    """Telegram's HTML rules: known tags only, properly nested, entities well formed."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []
        self.error: str | None = None

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag not in _ALLOWED_TAGS:
            self.error = self.error or f"unsupported start tag \"{tag}\""
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.error = self.error or f"unexpected end tag \"{tag}\""
        else:
            self.stack.pop()

    def handle_entityref(self, name: str) -> None:
        if name not in ("lt", "gt", "amp", "quot"):
            self.error = self.error or f"unsupported entity &{name};"


def html_error(text: str) -> str | None:
    """Why Telegram would refuse this HTML, or None."""
    checker = _EntityCheck()
    checker.feed(text)
    checker.close()
    if checker.error:
        return checker.error
    if checker.stack:
        return f"unclosed tag \"{checker.stack[-1]}\""
    return None


@dataclass
class Sent:
    """One thing the bot did in a chat: a message sent or edited, a document, a callback answer."""

    method: str
    chat_id: int | None
    message_id: int | None
    text: str = ""
    buttons: list[list[dict]] = field(default_factory=list)
    params: dict = field(default_factory=dict)

    def button_labels(self) -> list[str]:
        return [button["text"] for row in self.buttons for button in row]


class BotAPIError(Exception):
    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code, self.description, self.retry_after = code, description, retry_after


class VirtualTime:
    """The suite's clock for flood limits and pacing: a sleep moves it forward at once.

    The bot's outbound queue and this fake share it, so the real pacing runs (and the fake's
    limits are enforced) without the suite waiting a second per reply.
    """

    def __init__(self, start: float = 1_000.0) -> None:
        self.now = start

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        if seconds > 0:
            self.now += seconds
        await asyncio.sleep(0)


def too_many_requests(retry_after: int) -> BotAPIError:
    """Telegram's 429, as it answers it."""
    return BotAPIError(429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after)


class FloodLimits:
    """Telegram's flood control for sends: about 30 a second overall, one a second per chat,
    20 a minute per group; with allow_paid_broadcast up to 1,000 a second.

    A send over a limit gets 429 with retry_after (whole seconds, at least 1), as Telegram
    answers; `violations` counts them so a benchmark can show the pacing stayed below the limits.
    Thread-safe (the HTTP fake of the benches calls it from many threads).
    """

    def __init__(self, per_second: int = 30, per_chat_seconds: float = 1.0, monotonic=clock.monotonic, *,
                 group_per_minute: int = 20, paid_per_second: int = 1000) -> None:
        self.per_second, self.per_chat_seconds, self.monotonic = per_second, per_chat_seconds, monotonic
        self.group_per_minute, self.paid_per_second = group_per_minute, paid_per_second
        # "about" one a second: Telegram tolerates short bursts in a chat; this fake only a little
        # jitter (a message 0.1 s early), so pacing that relies on bursts still fails here
        self.per_chat_tolerance = 0.1
        self.recent: deque[float] = deque()
        self.recent_paid: deque[float] = deque()
        self.last_by_chat: dict[int, float] = {}
        self.violations = 0
        self._lock = threading.Lock()

    def check(self, chat_id: int, paid: bool = False) -> None:
        with self._lock:
            now = self.monotonic()
            window, limit = (self.recent_paid, self.paid_per_second) if paid else (self.recent, self.per_second)
            while window and now - window[0] >= 1.0:
                window.popleft()
            wait = 0.0
            if len(window) >= limit:
                wait = 1.0 - (now - window[0])
            last = self.last_by_chat.get(chat_id)
            spacing = 60.0 / self.group_per_minute if chat_id < 0 else self.per_chat_seconds
            if last is not None and now - last < spacing - self.per_chat_tolerance:
                wait = max(wait, spacing - (now - last))
            if wait > 0:
                self.violations += 1
                raise too_many_requests(max(1, math.ceil(wait)))
            window.append(now)
            self.last_by_chat[chat_id] = now


def increasing_id() -> int:
    """A first id above any an earlier run handed out (milliseconds since the epoch).

    A chat's message ids and a bot's update ids keep growing in Telegram; the bot relies on it
    (a note is stored once per message, an update handled once per id), so a console run that
    started again at 1 would take its first notes for ones already stored. Tests that address
    messages by number start a user's message ids at 1 instead.
    """
    return int(clock.time() * 1000)


NOT_MODIFIED = ("Bad Request: message is not modified: specified new message content and reply markup are "
                "exactly the same as a current content and reply markup of the message")
#: Methods that put a message in a chat or change one: Telegram's flood limits apply to them.
FLOOD_LIMITED = {"sendMessage", "sendDocument", "sendPhoto", "editMessageText", "editMessageReplyMarkup"}
TELEGRAM_LIMITS = "telegram"


class OfflineBotAPI(BaseRequest):
    """Bot API methods answered in memory; every call is recorded in `calls`.

    Like Telegram it enforces the flood limits (FloodLimits, on by default, in `time`, the
    virtual clock unless a real one is given) and can be made to misbehave: `latency` per
    send, `outage_until` (sends answer 502 Bad Gateway until that moment of `time`),
    `late_answers` (the next sends arrive but answer after the read timeout: TimedOut) and
    `fail_next` (errors the next sendMessage calls answer with).
    """

    def __init__(self, flood_limits: FloodLimits | str | None = TELEGRAM_LIMITS, first_update_id: int | None = None,
                 *, time=None, latency: float = 0.0) -> None:
        self.time = time or VirtualTime()
        if flood_limits == TELEGRAM_LIMITS:
            flood_limits = FloodLimits(monotonic=self.time.monotonic)
        self.latency = latency
        self.outage_until: float | None = None
        self.late_answers = 0
        self.flooded = 0  # 429s answered
        self.calls: list[tuple[str, dict]] = []
        self.sent: list[Sent] = []
        self.messages: dict[tuple[int, int], dict] = {}
        self.commands: dict[str, list[dict]] = {}
        self._message_ids = itertools.count(1000)
        # Telegram's update ids only grow, also across restarts of the bot: so do these
        self._update_ids = itertools.count(first_update_id if first_update_id is not None else increasing_id())
        self._updates: list[dict] = []
        self._new_update = asyncio.Event()
        self.blocked_chats: set[int] = set()
        self.flood_limits = flood_limits
        self.fail_next: list[BotAPIError] = []  # errors the next sends answer with, in order
        self.files: dict[str, tuple[str, bytes]] = {}  # file_id → (file_path, content)
        # --- a hostile upstream (tests of issue 14) ---
        self.down = False      # unreachable: every request fails to connect
        self.error_pages = 0   # the next requests get a proxy's HTML error page that echoes the path

    # --- BaseRequest -------------------------------------------------------------------------
    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    @property
    def read_timeout(self) -> float | None:
        return 30.0

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         read_timeout=None, write_timeout=None, connect_timeout=None,
                         pool_timeout=None) -> tuple[int, bytes]:
        upstream = self._hostile_upstream(url)
        if upstream is not None:
            return upstream
        if "/file/" in url:  # a file download (getFile's path under the file URL)
            path = url.split("/file/", 1)[1].split("/", 1)[1]
            content = next((data for file_path, data in self.files.values() if file_path == path), None)
            return (200, content) if content is not None else (404, b"Not Found")
        name = url.rsplit("/", 1)[-1]
        params = dict(request_data.parameters) if request_data else {}
        if request_data and request_data.multipart_data:
            params["_files"] = {key: value[1] for key, value in request_data.multipart_data.items()}
            params["_file_names"] = {key: value[0] for key, value in request_data.multipart_data.items()}
        self.calls.append((name, params))
        limited = name in FLOOD_LIMITED
        if limited and self.latency:
            await self.time.sleep(self.latency / 2)  # on the way to Telegram
        try:
            if name == "getUpdates":
                result: Any = await self._get_updates(params)
            else:
                if limited:
                    self._check_flood(name, params)
                result = self.answer(name, params)
        except BotAPIError as error:
            body: dict[str, Any] = {"ok": False, "error_code": error.code, "description": error.description}
            if error.retry_after is not None:
                body["parameters"] = {"retry_after": error.retry_after}
                self.flooded += 1
            return error.code, json.dumps(body).encode()
        if limited and self.latency:
            await self.time.sleep(self.latency / 2)  # and back
        if limited and self.late_answers > 0:  # it arrived, but the answer comes after the read timeout
            self.late_answers -= 1
            raise TimedOut("Timed out")
        return 200, json.dumps({"ok": True, "result": result}).encode()

    def _check_flood(self, name: str, params: dict) -> None:
        if self.outage_until is not None and self.time.monotonic() < self.outage_until:
            raise BotAPIError(502, "Bad Gateway")
        if self.flood_limits is not None and "chat_id" in params:
            paid = params.get("allow_paid_broadcast") in (True, "true", "True", 1)
            self.flood_limits.check(int(params["chat_id"]), paid)

    @property
    def pace_clock(self):
        """The clock the bot's outbound queue paces by against this fake (its `time`)."""
        return self.time

    def _hostile_upstream(self, url: str) -> tuple[int, bytes] | None:
        """What a self-hosted Bot API behind a failing proxy answers, when the test asks for it."""
        if self.down:
            raise ConnectionRefusedError("connection refused")
        if self.error_pages:
            self.error_pages -= 1
            path = "/" + url.split("://", 1)[-1].split("/", 1)[-1]
            return 502, f"<html><body><h1>502 Bad Gateway</h1><p>no upstream for {path}</p></body></html>".encode()
        return None

    # --- the Bot API methods ---------------------------------------------------------------
    def answer(self, name: str, params: dict) -> Any:
        """The result of one Bot API method (getUpdates aside)."""
        handler = getattr(self, f"_{name}", None)
        if handler is None:
            raise BotAPIError(400, f"Bad Request: method {name} is not available offline")
        return handler(params)

    def _getMe(self, params: dict) -> dict:
        return BOT_USER

    def _deleteWebhook(self, params: dict) -> bool:
        return True

    def _setWebhook(self, params: dict) -> bool:
        self.webhook = dict(params)
        return True

    def _setMyCommands(self, params: dict) -> bool:
        self.commands[params.get("language_code", "")] = _loads(params["commands"])
        return True

    def _getMyCommands(self, params: dict) -> list[dict]:
        return self.commands.get(params.get("language_code", ""), [])

    def _sendChatAction(self, params: dict) -> bool:
        return True

    def _leaveChat(self, params: dict) -> bool:
        return True

    def _answerCallbackQuery(self, params: dict) -> bool:
        self.sent.append(Sent("answerCallbackQuery", None, None, params.get("text", ""), params=params))
        return True

    def _getFile(self, params: dict) -> dict:
        file_id = str(params["file_id"])
        if file_id not in self.files:
            raise BotAPIError(400, "Bad Request: invalid file_id")
        path, content = self.files[file_id]
        return {"file_id": file_id, "file_unique_id": f"u{file_id}", "file_size": len(content), "file_path": path}

    def _sendMessage(self, params: dict) -> dict:
        chat_id = int(params["chat_id"])
        self._check_chat(chat_id)
        if self.fail_next:
            raise self.fail_next.pop(0)
        text = str(params.get("text", ""))
        self._check_text(text, params.get("parse_mode"))
        markup = self._check_markup(params.get("reply_markup"))
        message = self._message(chat_id, next(self._message_ids), text=text, reply_markup=markup)
        self.sent.append(Sent("sendMessage", chat_id, message["message_id"], text,
                              (markup or {}).get("inline_keyboard", []), params))
        return message

    def _editMessageText(self, params: dict) -> dict:
        chat_id, message_id = int(params["chat_id"]), int(params["message_id"])
        text = str(params.get("text", ""))
        self._check_text(text, params.get("parse_mode"))
        markup = self._check_markup(params.get("reply_markup"))
        if (chat_id, message_id) not in self.messages:
            raise BotAPIError(400, "Bad Request: message to edit not found")
        previous = self.messages[(chat_id, message_id)]
        if previous.get("text") == text and previous.get("reply_markup") == markup:
            raise BotAPIError(400, NOT_MODIFIED)
        message = self._message(chat_id, message_id, text=text, reply_markup=markup)
        self.sent.append(Sent("editMessageText", chat_id, message_id, text,
                              (markup or {}).get("inline_keyboard", []), params))
        return message

    def _editMessageReplyMarkup(self, params: dict) -> dict:
        chat_id, message_id = int(params["chat_id"]), int(params["message_id"])
        if (chat_id, message_id) not in self.messages:
            raise BotAPIError(400, "Bad Request: message to edit not found")
        markup = self._check_markup(params.get("reply_markup"))
        previous = self.messages[(chat_id, message_id)]
        message = self._message(chat_id, message_id, text=previous.get("text", ""), reply_markup=markup)
        self.sent.append(Sent("editMessageReplyMarkup", chat_id, message_id, previous.get("text", ""),
                              (markup or {}).get("inline_keyboard", []), params))
        return message

    def _deleteMessage(self, params: dict) -> bool:
        self.messages.pop((int(params["chat_id"]), int(params["message_id"])), None)
        return True

    def _sendDocument(self, params: dict) -> dict:
        return self._send_file("sendDocument", "document", params)

    def _sendPhoto(self, params: dict) -> dict:
        return self._send_file("sendPhoto", "photo", params)

    def _send_file(self, method: str, kind: str, params: dict) -> dict:
        chat_id = int(params["chat_id"])
        self._check_chat(chat_id)
        caption = str(params.get("caption", ""))
        if len(caption) > 1024:
            raise BotAPIError(400, "Bad Request: message caption is too long")
        self._check_text(caption, params.get("parse_mode"))
        message = self._message(chat_id, next(self._message_ids), caption=caption)
        message[kind] = ({"file_id": f"f{message['message_id']}", "file_unique_id": f"u{message['message_id']}"}
                         if kind == "document" else [{"file_id": f"f{message['message_id']}",
                                                      "file_unique_id": f"u{message['message_id']}",
                                                      "width": 1, "height": 1}])
        self.sent.append(Sent(method, chat_id, message["message_id"], caption, [], params))
        return message

    # --- checks Telegram makes -------------------------------------------------------------
    def _check_chat(self, chat_id: int) -> None:
        if chat_id in self.blocked_chats:
            raise BotAPIError(403, "Forbidden: bot was blocked by the user")

    @staticmethod
    def _check_text(text: str, parse_mode: str | None) -> None:
        if len(text) > MAX_TEXT:
            raise BotAPIError(400, "Bad Request: message is too long")
        if parse_mode == "HTML":
            problem = html_error(text)
            if problem:
                raise BotAPIError(400, f"Bad Request: can't parse entities: {problem}")

    @staticmethod
    def _check_markup(markup: Any) -> dict | None:
        markup = _loads(markup) if markup else None
        for row in (markup or {}).get("inline_keyboard", []):
            for button in row:
                data = button.get("callback_data")
                if data is not None and not 1 <= len(data.encode()) <= MAX_CALLBACK_DATA:
                    raise BotAPIError(400, "Bad Request: BUTTON_DATA_INVALID")
        return markup

    def _message(self, chat_id: int, message_id: int, **content) -> dict:
        message = {"message_id": message_id, "date": int(clock.time()),
                   "chat": {"id": chat_id, "type": "private"}, "from": BOT_USER}
        message.update({k: v for k, v in content.items() if v is not None})
        self.messages[(chat_id, message_id)] = message
        return message

    # --- updates -------------------------------------------------------------------------
    def next_update_id(self) -> int:
        return next(self._update_ids)

    def push_update(self, update: dict) -> None:
        """Queue an update for getUpdates (polling mode)."""
        self._updates.append(update)
        self._new_update.set()

    async def _get_updates(self, params: dict) -> list[dict]:
        offset = int(params.get("offset") or 0)
        self._updates = [u for u in self._updates if u["update_id"] >= offset]
        if not self._updates:
            self._new_update.clear()
            try:
                await asyncio.wait_for(self._new_update.wait(), float(params.get("timeout") or 0))
            except TimeoutError:
                return []
        return self._updates[: int(params.get("limit") or 100)]


def _loads(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


class OfflineUser:
    """An RM (or a stranger) talking to the bot: each action is an update; returns the replies."""

    def __init__(self, application: Application, api: OfflineBotAPI, user_id: int, *,
                 first_name: str = "Liu", language_code: str | None = "zh-hans",
                 chat_type: str = "private", chat_id: int | None = None,
                 first_message_id: int | None = None) -> None:
        self.application, self.api = application, api
        self.user = {"id": user_id, "is_bot": False, "first_name": first_name}
        if language_code:
            self.user["language_code"] = language_code
        chat_id = chat_id if chat_id is not None else user_id
        self.chat = {"id": chat_id, "type": chat_type}
        if chat_type != "private":
            self.chat["title"] = "Team chat"
        else:
            self.chat["first_name"] = first_name
        self._message_ids = itertools.count(first_message_id if first_message_id is not None else 1)
        self.delivered: list[dict] = []  # every update this user sent, as Telegram numbered it

    def _sent_at(self) -> int:
        """Telegram stamps a message with when it was sent: in the offline world, the bot's clock."""
        bot_clock = getattr(self.application.bot_data, "clock", None)
        return int(bot_clock().timestamp()) if callable(bot_clock) else int(clock.time())

    async def send(self, text: str) -> list[Sent]:
        """Type a message (a note or a /command)."""
        message: dict[str, Any] = {"message_id": next(self._message_ids), "date": self._sent_at(),
                                   "chat": self.chat, "from": self.user, "text": text}
        if text.startswith("/"):
            command = text.split()[0]
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        return await self._deliver({"message": message})

    async def edit(self, message_id: int, text: str) -> list[Sent]:
        """Edit a message sent earlier (Telegram sends an edited_message update)."""
        message = {"message_id": message_id, "date": self._sent_at(), "edit_date": self._sent_at(),
                   "chat": self.chat, "from": self.user, "text": text}
        if text.startswith("/"):  # Telegram marks the command in an edited message too
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        return await self._deliver({"edited_message": message})

    async def send_message(self, **content: Any) -> list[Sent]:
        """Send a message of another kind (sticker, photo, document…)."""
        message = {"message_id": next(self._message_ids), "date": self._sent_at(),
                   "chat": self.chat, "from": self.user, **content}
        return await self._deliver({"message": message})

    async def send_document(self, file_name: str, content: bytes, caption: str | None = None) -> list[Sent]:
        """Send a file (an import): Telegram hands the bot a file_id it fetches with getFile."""
        file_id = f"doc{len(self.api.files) + 1}"
        self.api.files[file_id] = (f"documents/{file_id}_{file_name}", content)
        document = {"file_id": file_id, "file_unique_id": f"u{file_id}", "file_name": file_name,
                    "file_size": len(content)}
        extra = {"caption": caption} if caption else {}
        return await self.send_message(document=document, **extra)

    async def press(self, label_or_data: str, on: Sent | None = None) -> list[Sent]:
        """Tap a button (by its label, or its callback data) on a message, the latest by default."""
        target = on or next((s for s in reversed(self.api.sent) if s.buttons and s.chat_id == self.chat["id"]), None)
        if target is None:
            raise LookupError("no message with buttons")
        current = self.api.messages.get((self.chat["id"], target.message_id), {})
        rows = (current.get("reply_markup") or {}).get("inline_keyboard", target.buttons)
        data = next((b.get("callback_data") for row in rows for b in row
                     if label_or_data in (b["text"], b.get("callback_data"))), None)
        if data is None:
            raise LookupError(f"no button {label_or_data!r} among {[b['text'] for row in rows for b in row]}")
        return await self.press_data(data, target.message_id)

    async def press_data(self, data: str, message_id: int | None = None) -> list[Sent]:
        """Send a callback query with any data (also forged or stale data, for tests)."""
        message = self.api.messages.get((self.chat["id"], message_id)) if message_id else None
        message = message or {"message_id": message_id or 1, "date": self._sent_at(), "chat": self.chat,
                              "from": BOT_USER, "text": "…"}
        query = {"id": str(self.api.next_update_id()), "from": self.user, "chat_instance": "ci",
                 "data": data, "message": message}
        return await self._deliver({"callback_query": query})

    async def deliver_again(self, update: dict, application: Application | None = None) -> list[Sent]:
        """Telegram delivers an update again, same update_id (after a restart: to the new Application)."""
        before = len(self.api.sent)
        await (application or self.application).process_update(Update.de_json(update, self.application.bot))
        return self.api.sent[before:]

    async def _deliver(self, payload: dict) -> list[Sent]:
        update = {"update_id": self.api.next_update_id(), **payload}
        self.delivered.append(update)
        return await self.deliver_again(update)

"""The offline console: the real Application and database, driven from a terminal prompt.

Everything the bot sends to the console's chat prints as plain text as it is sent (replies,
digests, timed follow-ups); buttons print as numbered choices and a number presses one; files
are saved in a folder and their path printed.
"""

from __future__ import annotations

import asyncio
import html
import os
import re
import sys
import threading
import time
from pathlib import Path
from typing import TextIO

from bot.application import build_application, running
from bot.config import Settings
from bot.offline_api import OfflineBotAPI, OfflineUser, Sent, increasing_id
from bot.strings import t

_TAG = re.compile(r"<[^>]+>")


def plain(text: str) -> str:
    """Telegram HTML as terminal text."""
    return html.unescape(_TAG.sub("", text))


def console_settings(settings: Settings) -> Settings:
    """The console user is local, so always allowed."""
    access = settings.access.model_copy(
        update={"allowed_user_ids": [*settings.access.allowed_user_ids, settings.console.user_id]})
    return settings.model_copy(update={"access": access})


class Screen:
    """Everything the bot sends to the console's chat, printed as it is sent, whatever sent it
    (a reply, a timed follow-up, a digest): read from what the offline Bot API records, so no
    push path can bypass it. Files are saved under `files` and their path printed. The buttons
    of the latest message are numbered 1…n, each number pressing that very button."""

    def __init__(self, api: OfflineBotAPI, chat_id: int, out: TextIO, files: Path) -> None:
        self.api, self.chat_id, self.out, self.files = api, chat_id, out, files
        self.shown = 0
        self.buttons: list[tuple[int, str]] = []  # number - 1 → (message id, callback data)
        self.at_prompt = False

    def flush(self) -> None:
        """Print what was sent since the last flush."""
        new = self.api.sent[self.shown:]
        self.shown += len(new)
        printed = [line for sent in new for line in self._lines(sent)]
        if not printed:
            return
        if self.at_prompt:  # a push while the RM is at the prompt: print above a fresh prompt
            self.out.write("\n")
        self.out.write("\n".join(printed) + "\n")
        if self.at_prompt:
            self.out.write("> ")
        self.out.flush()

    def _lines(self, sent: Sent) -> list[str]:
        if sent.method == "answerCallbackQuery":
            return [f"  ({plain(sent.text)})"] if sent.text else []
        if sent.chat_id != self.chat_id:
            return []
        lines = []
        if sent.method in ("sendMessage", "editMessageText"):
            lines.append(plain(sent.text))
        elif sent.method in ("sendDocument", "sendPhoto"):
            if sent.text:
                lines.append(plain(sent.text))
            lines.append(f"  💾 {self._save(sent)}")
        if sent.method == "sendMessage" or sent.buttons or sent.method == "editMessageReplyMarkup":
            self.buttons = [(sent.message_id or 0, button["callback_data"]) for row in sent.buttons for button in row
                            if button.get("callback_data")]
            labels = [button["text"] for row in sent.buttons for button in row if button.get("callback_data")]
            if labels:
                lines.append("  " + "  ".join(f"[{n}] {label}" for n, label in enumerate(labels, 1)))
        return lines

    def _save(self, sent: Sent) -> str:
        """Write a sent file under the files folder; its path."""
        key = "document" if sent.method == "sendDocument" else "photo"
        content = (sent.params.get("_files") or {}).get(key, b"")
        name = (sent.params.get("_file_names") or {}).get(key) or f"{key}-{sent.message_id}"
        name = Path(name).name if key == "document" else f"chart-{time.strftime('%Y%m%d-%H%M%S')}-{sent.message_id}.png"
        self.files.mkdir(mode=0o700, parents=True, exist_ok=True)  # client data: the RM's eyes only
        path = self.files / name
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(content)
        return str(path)

    async def watch(self) -> None:
        """Print pushes as they come (the RM may be at the prompt)."""
        while True:
            await asyncio.sleep(0.1)
            self.flush()


def files_folder(settings: Settings) -> Path:
    """Where the console saves the files the bot sends: beside the database."""
    return Path(settings.storage.database).expanduser().resolve().parent / "console-files"


async def run_console(settings: Settings, stdin: TextIO = sys.stdin, out: TextIO = sys.stdout) -> None:
    settings = console_settings(settings)
    language = settings.console.language or settings.defaults.language
    user_id = settings.console.user_id
    api = OfflineBotAPI()
    application = build_application(settings, request=api)
    screen = Screen(api, user_id, out, files_folder(settings))
    async with running(application):
        # message ids grow across sessions, as Telegram's do: a note is stored once per message id
        stored = await application.bot_data.repo.contacts.last_message_id(user_id)
        user = OfflineUser(application, api, user_id, first_name="RM",
                           language_code=language, first_message_id=max(increasing_id(), stored + 1))
        out.write(plain(t(language, "console.banner")) + "\n")
        out.write(plain(t(language, "console.help", user_id=user_id, files=str(screen.files))) + "\n")
        screen.flush()
        watcher = asyncio.create_task(screen.watch())
        lines = _read_lines(stdin)
        try:
            while True:
                out.write("> ")
                out.flush()
                screen.at_prompt = True
                line = await lines.get()
                screen.at_prompt = False
                if not line:
                    out.write("\n")
                    break
                line = line.rstrip("\n")
                if not line.strip():
                    continue
                # while the bot waits for a typed value (an Edit, a card field, a Log), a number is that value
                waiting = await application.bot_data.repo.awaited.get(user_id, application.bot_data.clock()) is not None
                number = line.strip()
                if number.isdigit() and not waiting and 1 <= int(number) <= len(screen.buttons):
                    message_id, data = screen.buttons[int(number) - 1]
                    await user.press_data(data, message_id)
                else:
                    await user.send(line)
                screen.flush()
        finally:
            watcher.cancel()


def _read_lines(stdin: TextIO) -> asyncio.Queue[str]:
    """Lines from stdin ("" at the end), read on a daemon thread.

    A blocking readline in the loop's executor would hold Ctrl-C until the next Enter, since
    asyncio.run waits for executor threads; a daemon thread does not hold the exit.
    """
    loop = asyncio.get_running_loop()
    lines: asyncio.Queue[str] = asyncio.Queue()

    def read() -> None:
        while True:
            try:
                line = stdin.readline()
            except (OSError, ValueError):
                line = ""
            loop.call_soon_threadsafe(lines.put_nowait, line)
            if not line:
                return

    threading.Thread(target=read, name="console-stdin", daemon=True).start()
    return lines

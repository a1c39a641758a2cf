"""The offline console: the real Application and database, driven from a terminal prompt.

Replies print as plain text; buttons print as numbered choices and a number presses one.
"""

from __future__ import annotations

import asyncio
import html
import re
import sys
import threading
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


def render(replies: list[Sent], out: TextIO) -> list[str]:
    """Print replies; return the labels of the last buttons shown, in number order."""
    labels: list[str] = []
    for sent in replies:
        if sent.method == "answerCallbackQuery":
            if sent.text:
                out.write(f"  ({plain(sent.text)})\n")
            continue
        if sent.text:
            out.write(plain(sent.text) + "\n")
        if sent.method in ("sendDocument", "sendPhoto"):
            out.write(f"  [file sent: {sent.method[4:].lower()}]\n")
        if sent.buttons:
            labels = sent.button_labels()
            out.write("  " + "  ".join(f"[{n}] {label}" for n, label in enumerate(labels, 1)) + "\n")
    return labels


async def run_console(settings: Settings, stdin: TextIO = sys.stdin, out: TextIO = sys.stdout) -> None:
    settings = console_settings(settings)
    language = settings.console.language or settings.defaults.language
    api = OfflineBotAPI()
    application = build_application(settings, request=api)
    async with running(application):
        # message ids grow across sessions, as Telegram's do: a note is stored once per message id
        stored = await application.bot_data.repo.contacts.last_message_id(settings.console.user_id)
        user = OfflineUser(application, api, settings.console.user_id, first_name="RM",
                           language_code=language, first_message_id=max(increasing_id(), stored + 1))
        out.write(plain(t(language, "console.banner")) + "\n")
        labels: list[str] = []
        lines = _read_lines(stdin)
        while True:
            out.write("> ")
            out.flush()
            line = await lines.get()
            if not line:
                out.write("\n")
                break
            line = line.rstrip("\n")
            if not line.strip():
                continue
            if line.strip().isdigit() and labels and 1 <= int(line) <= len(labels):
                replies = await user.press(labels[int(line) - 1])
            else:
                replies = await user.send(line)
            labels = render(replies, out) or labels


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

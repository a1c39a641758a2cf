"""The offline console in a real pseudo-terminal, as a newcomer runs it (README's first command)."""

from __future__ import annotations

import os
import pty
import select
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


class Terminal:
    """`python -m bot console` on a pty: type lines, read the screen."""

    def __init__(self, cwd: Path) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("RMBOT_")}
        env["PYTHONPATH"] = str(ROOT)
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: the console itself
            os.chdir(cwd)
            os.execve(sys.executable, [sys.executable, "-m", "bot", "console"], env)
        self.screen = b""

    def read_until(self, marker: bytes, seconds: float = 30) -> bool:
        deadline = time.monotonic() + seconds
        while marker not in self.screen and time.monotonic() < deadline:
            ready, _, _ = select.select([self.fd], [], [], 0.2)
            if ready:
                try:
                    self.screen += os.read(self.fd, 65536)
                except OSError:
                    return marker in self.screen
        return marker in self.screen

    def type(self, data: bytes) -> None:
        os.write(self.fd, data)

    def exit_code(self, seconds: float) -> int | None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self.read_until(b"\0", 0.1)  # keep draining so the child never blocks on output
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                return os.waitstatus_to_exitcode(status)
        return None

    def close(self) -> None:
        try:
            os.kill(self.pid, 9)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        os.close(self.fd)


@pytest.fixture
def terminal(tmp_path):
    term = Terminal(tmp_path)
    yield term
    term.close()


def test_ctrl_c_ends_the_console_at_once_without_a_traceback(terminal):
    assert terminal.read_until(b"> "), terminal.screen
    terminal.type(b"\x03")
    assert terminal.exit_code(5) == 130, "Ctrl-C must end the console without waiting for Enter"
    assert b"Traceback" not in terminal.screen


def test_a_newcomer_types_a_note_sees_the_digest_pushed_and_gets_the_export_path(tmp_path):
    """Issue 18: pushes print as they are sent, a file is saved and its path printed, and the
    banner says how to switch language and which user id the console is."""
    first = Terminal(tmp_path)
    try:
        assert first.read_until(b"> ", 120), first.screen
        assert b"/settings" in first.screen and "用户 ID 是 1".encode() in first.screen
        for line in ("/settings workdays off", "/settings digest 00:00", "拜访刘总,需要信用证,今天回访"):
            first.type(line.encode() + b"\n")
            assert first.read_until(b"> ", 120)
        assert first.read_until("回访：".encode(), 120), first.screen.decode(errors="replace")
        first.type(b"\x04")
        assert first.exit_code(120) == 0
    finally:
        first.close()
    second = Terminal(tmp_path)  # the digest time has passed: the start's catch-up pushes it
    try:
        assert second.read_until("到期回访".encode(), 120), second.screen.decode(errors="replace")
        assert "1. 刘总 · 今天到期".encode() in second.screen and "[1] ✓ 1 刘总".encode() in second.screen
        second.type(b"/export\n")
        assert second.read_until(b".xlsx\r\n", 120), second.screen.decode(errors="replace")
        path = second.screen.decode().split("💾 ")[1].split("\r\n")[0]
        assert Path(path).is_file() and Path(path).read_bytes()[:2] == b"PK", path
        second.type(b"1\n")  # Done on the digest's first item: the digest is edited in place
        assert second.read_until("今天没有待办事项".encode(), 120), second.screen.decode(errors="replace")
        assert second.read_until("拜访联系。方式不对".encode(), 60), second.screen.decode(errors="replace")  # the note's channel
    finally:
        second.close()

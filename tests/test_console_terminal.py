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

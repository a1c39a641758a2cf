"""The first reply after a getUpdates outage: `python -m bot run` polls the loopback Bot API fake,
getUpdates answers 502 Bad Gateway for 20 s (then 60 s), and an RM sends a note as the outage
begins. Prints when the reply came, after the note was sent and after getUpdates worked again.

Before issue 14 the backoff grew to 30 s: 33 s and 63 s after the note. Now it is capped at 2 s,
so the reply comes within about 2 s of the Bot API answering again.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.http_fake import FakeBotAPI, start_bot  # noqa: E402

RM = 7001
OUTAGES = (20.0, 60.0)


class FlakyBotAPI(FakeBotAPI):
    """getUpdates answers 502 (a proxy in front of a failing Bot API) until `down_until`."""

    def __init__(self) -> None:
        super().__init__()
        self.down_until = 0.0
        self.failed_polls = 0

    def call(self, method: str, params: dict):
        if method == "getUpdates" and time.monotonic() < self.down_until:
            self.failed_polls += 1
            return 502, "Bad Gateway"
        return super().call(method, params)


def one_outage(seconds: float) -> tuple[float, float, int]:
    """(reply after the note was sent, reply after recovery, failed getUpdates calls)."""
    with tempfile.TemporaryDirectory() as folder, FlakyBotAPI() as api:
        bot = start_bot(api, Path(folder), [RM], "bot.log")
        try:
            api.enqueue_note(RM, 1, "/start")
            if not api.wait_until(lambda: len(api.replies_snapshot()) >= 1, 60):
                raise SystemExit("the bot never answered /start")
            began = time.perf_counter()
            api.down_until = time.monotonic() + seconds
            # the long poll already in flight ends (empty) first; the note goes in once polls fail
            if not api.wait_until(lambda: api.failed_polls >= 1, 30):
                raise SystemExit("the bot never polled during the outage")
            sent = time.perf_counter()
            api.enqueue_note(RM, 2, "visited Liu, needs LC")
            recovered = began + seconds
            if not api.wait_until(lambda: len(api.replies_snapshot()) >= 2, seconds + 60):
                raise SystemExit(f"no reply {seconds + 60:.0f} s after the note")
            replied = api.replies_snapshot()[1].at
            return replied - sent, replied - recovered, api.failed_polls
        finally:
            bot.terminate()
            bot.wait(20)


def main() -> None:
    print("first reply after a getUpdates outage (502 from the Bot API), `python -m bot run`, loopback fake")
    for seconds in OUTAGES:
        after_note, after_recovery, failed = one_outage(seconds)
        print(f"  outage {seconds:4.0f} s: reply {after_note:5.1f} s after the note, {after_recovery:4.1f} s after "
              f"recovery ({failed} failed polls)   target: < 3 s after recovery (was 33 s / 63 s after the note)")


if __name__ == "__main__":
    main()

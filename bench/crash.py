"""Crash safety: kill -9 the bot in the middle of a burst of notes, restart it, count what survived.

Each run: a fresh database and Bot API fake (bench/http_fake.py); the bot process polls the fake;
a burst of notes (several RMs, distinct message ids) is queued at once; after a random 0.2-1.5 s
the bot is killed with SIGKILL. The replies received so far are the acknowledged notes (the bot
replies after the note is committed). The bot is started again on the same database; the fake
still holds every update not yet confirmed by getUpdates' offset and delivers it again. When the
notes are all stored (or nothing more arrives) the bot is stopped with SIGTERM and the database
is checked with sqlite3:

* integrity_check is "ok" (after the kill, and at the end);
* lost: acknowledged notes missing from the contacts table (matched by the contact id in the
  reply's Undo button, then rm_id + message_id + text) - must be 0;
* duplicates: a note stored more than once - must be 0;
* never stored: notes not in the database at the end - the updates the bot fetched and confirmed
  but had not handled when it was killed (0 once offsets are confirmed after processing).

    .venv/bin/python bench/crash.py                   # 20 runs of the bot as it is (python -m bot run)
"""

from __future__ import annotations

import argparse
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.http_fake import FakeBotAPI, bot_command, errors_logged, start_bot

FIRST_RM = 7001


def note_text(number: int) -> str:
    return f"visited Client {number}, needs LC"


@dataclass
class RunResult:
    variant: str
    notes: int
    kill_after: float
    acked_before_kill: int = 0
    stored_at_kill: int = 0
    stored_after_restart: int = 0
    lost_acked: int = 0
    duplicates: int = 0
    never_stored: int = 0
    re_replies: int = 0
    integrity_at_kill: str = ""
    integrity: str = ""
    exit_code: int | None = None
    recovery_seconds: float = 0.0
    problems: list[str] = field(default_factory=list)

    @property
    def safe(self) -> bool:
        """Acknowledged notes kept, nothing twice, database intact (issue #6's acceptance)."""
        return (self.lost_acked == 0 and self.duplicates == 0 and self.integrity == "ok"
                and self.integrity_at_kill == "ok")

    @property
    def complete(self) -> bool:
        """And every note, acknowledged or not, stored after the restart."""
        return self.safe and self.never_stored == 0

    def line(self, number: int) -> str:
        return (f"run {number:2d} {self.variant:8s} kill@{self.kill_after:4.2f}s  acked {self.acked_before_kill:3d}  "
                f"stored@kill {self.stored_at_kill:3d}  stored {self.stored_after_restart:3d}/{self.notes}  "
                f"lost {self.lost_acked}  dup {self.duplicates}  never-stored {self.never_stored:3d}  "
                f"re-replies {self.re_replies:3d}  integrity {self.integrity_at_kill}/{self.integrity}  "
                f"exit {self.exit_code}  recovery {self.recovery_seconds:4.1f}s"
                + (f"  {'; '.join(self.problems)}" if self.problems else ""))


def _stored(database: Path) -> list[tuple[int, int, int, str]]:
    """(contact id, rm_id, message_id, raw_text) of every stored note."""
    with sqlite3.connect(database, timeout=10) as conn:
        return conn.execute("SELECT id, rm_id, message_id, raw_text FROM contacts").fetchall()


def _integrity(database: Path) -> str:
    with sqlite3.connect(database, timeout=10) as conn:
        return "; ".join(row[0] for row in conn.execute("PRAGMA integrity_check"))


def crash_run(variant: str = "current", *, notes: int = 600, rms: int = 5, kill_after: float | None = None,
              kill_after_acks: int | None = None, quiet: float = 1.5, timeout: float = 30.0,
              rng: random.Random | None = None, keep: Path | None = None) -> RunResult:
    """One kill -9 / restart cycle; kill after KILL_AFTER seconds, or once KILL_AFTER_ACKS replies came."""
    rng = rng or random.Random()
    if kill_after is None and kill_after_acks is None:
        kill_after = rng.uniform(0.2, 1.5)
    rm_ids = [FIRST_RM + n for n in range(rms)]
    with tempfile.TemporaryDirectory(dir=keep) as name, FakeBotAPI(long_poll_cap=2.0) as api:
        folder = Path(name)
        database = folder / "crash.sqlite3"
        result = RunResult(variant, notes, kill_after or 0.0)
        # the burst: note n from RM n % rms, each RM's message ids 1, 2, 3...
        expected: dict[tuple[int, int], str] = {}
        payloads = []
        for number in range(notes):
            rm_id, message_id = rm_ids[number % rms], number // rms + 1
            expected[(rm_id, message_id)] = note_text(number)
            payloads.append(FakeBotAPI.note(rm_id, message_id, note_text(number), first_name=f"RM{rm_id}"))

        bot = start_bot(api, folder, rm_ids, "first.log", database.name)
        try:
            if not api.first_poll.wait(30):
                raise RuntimeError(f"the bot never polled: {(folder / 'first.log').read_text()[-2000:]}")
            started = time.perf_counter()
            api.enqueue_many(payloads)
            if kill_after_acks is not None:
                api.wait_until(lambda: len(api.replies) >= kill_after_acks, 20, interval=0.001)
            else:
                time.sleep(max(0.0, kill_after - (time.perf_counter() - started)))
            result.kill_after = time.perf_counter() - started
            bot.send_signal(signal.SIGKILL)
            bot.wait(10)
        finally:
            if bot.poll() is None:
                bot.kill()
                bot.wait(10)
        time.sleep(0.1)  # requests that reached the fake before the kill are recorded by now
        acked = [reply for reply in api.replies_snapshot() if reply.method == "sendMessage" and reply.contact_id]
        result.acked_before_kill = len({reply.contact_id for reply in acked})
        result.integrity_at_kill = _integrity(database)
        result.stored_at_kill = len(_stored(database))

        restarted = time.perf_counter()
        polls_before = api.get_updates_calls
        bot = start_bot(api, folder, rm_ids, "second.log", database.name)
        try:
            if not api.wait_until(lambda: api.get_updates_calls > polls_before or bot.poll() is not None, 30):
                result.problems.append("the restarted bot never polled")
            last_count, last_change = -1, time.monotonic()
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                stored = len(_stored(database))
                count = len(api.replies)
                if count != last_count:
                    last_count, last_change = count, time.monotonic()
                if api.unconfirmed() == 0 and (stored >= notes or time.monotonic() - last_change > quiet):
                    break
                if bot.poll() is not None:
                    result.problems.append(f"bot exited early ({bot.returncode})")
                    break
                time.sleep(0.05)
            else:
                result.problems.append("timed out waiting for the restarted bot")
            result.recovery_seconds = time.perf_counter() - restarted
            bot.send_signal(signal.SIGTERM)
            try:
                result.exit_code = bot.wait(30)
            except subprocess.TimeoutExpired:
                result.problems.append("did not stop on SIGTERM")
        finally:
            if bot.poll() is None:
                bot.kill()
                bot.wait(10)

        result.integrity = _integrity(database)
        rows = _stored(database)
        result.stored_after_restart = len(rows)
        by_id = {row[0]: row for row in rows}
        for reply in {reply.contact_id: reply for reply in acked}.values():
            row = by_id.get(reply.contact_id)
            if row is None or row[1] != reply.chat_id or expected.get((row[1], row[2])) != row[3]:
                result.lost_acked += 1
        keys = Counter((row[1], row[2]) for row in rows)
        texts = Counter(row[3] for row in rows)
        result.duplicates = (sum(n - 1 for n in keys.values() if n > 1)
                             + sum(n - 1 for n in texts.values() if n > 1))
        result.never_stored = sum(1 for key in expected if key not in keys)
        replied = Counter(reply.contact_id for reply in api.replies_snapshot()
                          if reply.method == "sendMessage" and reply.contact_id)
        result.re_replies = sum(n - 1 for n in replied.values() if n > 1)
        unexpected = [key for key in keys if key not in expected]
        if unexpected:
            result.problems.append(f"{len(unexpected)} unexpected rows")
        if api.errors:
            result.problems.append(f"fake errors {api.errors[:3]}")
        result.problems += errors_logged(folder, ("first.log", "second.log"))
        return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--notes", type=int, default=1000,
                        help="notes in the burst (1000 take ~2 s to handle, so every kill lands mid-burst)")
    parser.add_argument("--rms", type=int, default=5)
    parser.add_argument("--variant", choices=("current",), default="current")
    parser.add_argument("--seed", type=int, default=6)
    args = parser.parse_args(argv)
    variants = (args.variant,)
    failed = False
    for variant in variants:
        rng = random.Random(args.seed)
        print(f"kill -9 during a burst of {args.notes} notes from {args.rms} RMs, restart; "
              f"{args.runs} runs, bot: {' '.join(bot_command(variant)[1:])}", flush=True)
        results = []
        for number in range(1, args.runs + 1):
            result = crash_run(variant, notes=args.notes, rms=args.rms, rng=rng)
            results.append(result)
            print("  " + result.line(number), flush=True)

        def total(name: str, results: list[RunResult] = results) -> int:
            return sum(getattr(r, name) for r in results)

        print(f"  total ({variant}): acknowledged before kill {total('acked_before_kill')}, "
              f"stored after restart {total('stored_after_restart')} of {args.notes * args.runs}, "
              f"lost acknowledged {total('lost_acked')}, duplicates {total('duplicates')}, "
              f"never stored {total('never_stored')} (in {sum(1 for r in results if r.never_stored)} runs), "
              f"re-sent replies {total('re_replies')}, integrity ok "
              f"{sum(1 for r in results if r.integrity == 'ok' and r.integrity_at_kill == 'ok')}/{len(results)}, "
              f"runs killed mid-burst {sum(1 for r in results if r.stored_at_kill < r.notes)}/{len(results)}",
              flush=True)
        failed = failed or not all(r.safe for r in results)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

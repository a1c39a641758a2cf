"""Graceful shutdown: SIGTERM while digests go out and notes come in, then a restart.

The real bot process (`python -m bot run`) polls the loopback Bot API fake (bench/http_fake.py).
Its database holds DIGEST_RMS RMs whose digest is due (at 00:00, every day), so the catch-up at
start pushes their digests at the flood pacer's 28 a second, while NOTE_RMS RMs send a burst of
notes. SIGTERM lands in the middle of both. Checked, as issue #6 asks ("graceful shutdown on
SIGTERM finishes in-flight updates and pushes"):

* the bot exits 0, in the seconds printed (systemd's TimeoutStopSec is 30);
* every digest the fake received is logged 'sent' and no claim is left 'pending' or 'failed';
* every acknowledged note is stored;

then the bot starts again and is stopped once quiet: every RM got exactly one digest, and every
note is stored exactly once.

    .venv/bin/python bench/shutdown.py            # 5 runs, 300 digests and 600 notes from 200 RMs each
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.http_fake import FakeBotAPI, errors_logged, start_bot  # noqa: E402
from storage import Repository  # noqa: E402

FIRST_DIGEST_RM, FIRST_NOTE_RM = 8001, 9001


@dataclass
class ShutdownResult:
    term_after: float = 0.0
    stop_seconds: float = 0.0
    exit_code: int | None = None
    digests_before_term: int = 0
    sent_logged: int = 0
    claims_left: int = 0               # 'pending' or 'failed' rows after the stop
    sent_not_logged: int = 0           # the fake got it, the log does not say sent
    notes_acked: int = 0
    notes_at_term: int = 0             # stored when the first process had exited
    acked_lost: int = 0
    digests_total: int = 0
    digests_twice: int = 0
    digests_missing: int = 0
    notes_stored: int = 0
    notes_twice: int = 0
    second_exit_code: int | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def graceful(self) -> bool:
        return (self.exit_code == 0 and self.second_exit_code == 0 and self.claims_left == 0
                and self.sent_not_logged == 0 and self.acked_lost == 0 and self.digests_twice == 0
                and self.digests_missing == 0 and self.notes_twice == 0 and not self.problems)

    def line(self, number: int) -> str:
        return (f"run {number}: SIGTERM@{self.term_after:.1f}s  stopped in {self.stop_seconds:.2f}s exit "
                f"{self.exit_code}  digests before {self.digests_before_term} (logged sent {self.sent_logged}, "
                f"unlogged {self.sent_not_logged}, claims left {self.claims_left})  notes stored {self.notes_at_term}, acked "
                f"{self.notes_acked}, lost {self.acked_lost}  | after restart: digests {self.digests_total} "
                f"(twice {self.digests_twice}, missing {self.digests_missing})  notes {self.notes_stored} "
                f"(twice {self.notes_twice})  exit {self.second_exit_code}"
                + (f"  {'; '.join(self.problems)}" if self.problems else ""))


async def _seed(database: Path, rm_ids: list[int]) -> None:
    """RMs whose digest is due now: 00:00 in their timezone, every day of the week."""
    repo = await Repository.open(database)
    try:
        now = datetime.now(timezone.utc)
        for rm_id in rm_ids:
            await repo.rms.ensure(rm_id, rm_id, f"RM{rm_id}", language="en", timezone="Asia/Shanghai",
                                  digest_time="00:00", now=now)
            await repo.rms.update(rm_id, working_days_only=False)
    finally:
        await repo.close()


def _terminate(bot: subprocess.Popen, timeout: float = 30) -> tuple[int | None, float]:
    started = time.perf_counter()
    bot.send_signal(signal.SIGTERM)
    try:
        return bot.wait(timeout), time.perf_counter() - started
    except subprocess.TimeoutExpired:
        bot.kill()
        bot.wait(10)
        return None, time.perf_counter() - started


def _digests(api: FakeBotAPI, digest_rms: set[int]) -> Counter:
    return Counter(reply.chat_id for reply in api.replies_snapshot()
                   if reply.method == "sendMessage" and reply.chat_id in digest_rms)


def shutdown_run(*, digest_rms: int = 300, note_rms: int = 4, notes: int = 400, term_after: float = 2.0,
                 timeout: float = 60.0) -> ShutdownResult:
    result = ShutdownResult(term_after=term_after)
    digest_ids = [FIRST_DIGEST_RM + n for n in range(digest_rms)]
    note_ids = [FIRST_NOTE_RM + n for n in range(note_rms)]
    with tempfile.TemporaryDirectory() as name, FakeBotAPI(long_poll_cap=2.0) as api:
        folder = Path(name)
        database = folder / "bot.sqlite3"
        asyncio.run(_seed(database, digest_ids))
        expected = {(note_ids[n % note_rms], n // note_rms + 1): f"visited Client {n}, needs LC" for n in range(notes)}
        bot = start_bot(api, folder, digest_ids + note_ids, "first.log")
        try:
            if not api.first_poll.wait(30):
                raise RuntimeError(f"the bot never polled: {(folder / 'first.log').read_text()[-2000:]}")
            api.enqueue_many([FakeBotAPI.note(rm_id, message_id, text) for (rm_id, message_id), text in expected.items()])
            time.sleep(term_after)
            result.exit_code, result.stop_seconds = _terminate(bot)
        finally:
            if bot.poll() is None:
                bot.kill()
        time.sleep(0.1)
        before = _digests(api, set(digest_ids))
        result.digests_before_term = sum(before.values())
        with sqlite3.connect(database) as conn:
            statuses = conn.execute("SELECT rm_id, status FROM deliveries WHERE kind = 'digest'").fetchall()
            stored = {contact_id for (contact_id,) in conn.execute("SELECT id FROM contacts")}
        sent = {rm_id for rm_id, status in statuses if status == "sent"}
        result.sent_logged = len(sent)
        result.claims_left = sum(1 for _, status in statuses if status != "sent")
        result.sent_not_logged = len(set(before) - sent)
        acked = {reply.contact_id for reply in api.replies_snapshot()  # the id in the reply's Undo button
                 if reply.method == "sendMessage" and reply.contact_id}
        result.notes_acked = len(acked)
        result.notes_at_term = len(stored)
        result.acked_lost = len(acked - stored)

        polls_before = api.get_updates_calls
        bot = start_bot(api, folder, digest_ids + note_ids, "second.log")
        try:
            if not api.wait_until(lambda: api.get_updates_calls > polls_before, 30):
                result.problems.append("the restarted bot never polled")
            done = api.wait_until(lambda: len(_digests(api, set(digest_ids))) >= digest_rms
                                  and api.unconfirmed() == 0, timeout, interval=0.1)
            if not done:
                result.problems.append("the restarted bot did not finish the digests and notes in time")
            time.sleep(0.5)
            result.second_exit_code, _ = _terminate(bot)
        finally:
            if bot.poll() is None:
                bot.kill()
        final = _digests(api, set(digest_ids))
        result.digests_total = sum(final.values())
        result.digests_twice = sum(n - 1 for n in final.values() if n > 1)
        result.digests_missing = digest_rms - len(final)
        with sqlite3.connect(database) as conn:
            rows = conn.execute("SELECT rm_id, message_id FROM contacts").fetchall()
        result.notes_stored = len(set(rows))
        result.notes_twice = len(rows) - len(set(rows))
        if result.notes_stored != notes:
            result.problems.append(f"{notes - result.notes_stored} notes never stored")
        result.problems += errors_logged(folder, ("first.log", "second.log"))
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--digests", type=int, default=300, help="RMs with a digest due (28/s: 300 take ~11 s)")
    parser.add_argument("--notes", type=int, default=600, help="a burst still in flight at SIGTERM")
    parser.add_argument("--note-rms", type=int, default=200,
                        help="RMs sending them (Telegram answers one chat about once a second)")
    parser.add_argument("--term-after", type=float, default=2.0)
    args = parser.parse_args(argv)
    print(f"SIGTERM {args.term_after}s into {args.digests} due digests and a burst of {args.notes} notes; "
          f"{args.runs} runs", flush=True)
    results = []
    for number in range(1, args.runs + 1):
        result = shutdown_run(digest_rms=args.digests, note_rms=args.note_rms, notes=args.notes,
                              term_after=args.term_after, timeout=120)
        results.append(result)
        print("  " + result.line(number), flush=True)
    stops = sorted(r.stop_seconds for r in results)
    print(f"  stop after SIGTERM: median {stops[len(stops) // 2]:.2f}s, max {stops[-1]:.2f}s; graceful "
          f"{sum(r.graceful for r in results)}/{len(results)}", flush=True)
    return 0 if all(r.graceful for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())

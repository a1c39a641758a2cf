"""Outbound benchmark (issue #13): the real bot process against a Bot API fake with Telegram's limits.

The loopback fake (bench/http_fake.py) enforces ~30 messages a second overall and ~1 a second per
chat (429 + retry_after past them) and adds a round trip to every send. In one run:

1. burst: 150 RMs each send one note at the same moment. Every RM confirmed exactly once; the
   last confirmation against the floor 150 / 30 s (target within 1.3x).
2. digests: `push-digests` (no bot running) sends 1,000 digests at 80 ms and at 150 ms per send:
   sending time against the floor 1,000 / 30 s (target within 1.15x), 0 lost, 0 duplicates.
3. push + chat: the start-up catch-up pushes 1,000 digests while 200 RMs send a note each:
   p99 confirmation (target under 2 s), digests lost and repeated.
4. paid broadcast: 5,000 digests with allow_paid_broadcast (1,000 a second allowed): the figure.

    .venv/bin/python bench/outbound.py [--only burst,digests,mixed,paid] [--paid-rms 5000]
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.http_fake import FakeBotAPI, errors_logged, start_bot  # noqa: E402
from bot.offline_api import FloodLimits  # noqa: E402
from storage import Repository  # noqa: E402

DAY = "2026-11-25"
DIGEST_RM, NOTE_RM = 100_000, 900_000


def seed(database: Path, rm_ids: list[int]) -> None:
    """RMs whose digest is due now (00:00 in their timezone, every day)."""
    async def migrate() -> None:
        await (await Repository.open(database)).close()
    asyncio.run(migrate())
    stamp = datetime.now(timezone.utc).isoformat()
    with sqlite3.connect(database) as db:
        db.executemany("INSERT INTO rms (user_id, chat_id, display_name, language, digest_time, working_days_only, "
                       "created_at) VALUES (?, ?, 'RM', 'en', '00:00', 0, ?)", [(rm, rm, stamp) for rm in rm_ids])


def digests(api: FakeBotAPI, rm_ids: set[int]) -> tuple[Counter, list[float]]:
    replies = [r for r in api.replies_snapshot() if r.method == "sendMessage" and r.chat_id in rm_ids]
    return Counter(r.chat_id for r in replies), sorted(r.at for r in replies)


def confirmations(api: FakeBotAPI, rm_ids: set[int]) -> dict[int, list[float]]:
    found: dict[int, list[float]] = {}
    for reply in api.replies_snapshot():
        if reply.method == "sendMessage" and reply.contact_id and reply.chat_id in rm_ids:
            found.setdefault(reply.chat_id, []).append(reply.at)
    return found


def stop(bot) -> int | None:
    import signal

    if bot.poll() is None:
        bot.send_signal(signal.SIGTERM)
    try:
        return bot.wait(30)
    except Exception:
        bot.kill()
        return None


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def burst(notes: int = 150, latency: float = 0.08) -> bool:
    note_ids = [NOTE_RM + n for n in range(notes)]
    with tempfile.TemporaryDirectory() as name, FakeBotAPI(flood_limits=FloodLimits(), latency=latency) as api:
        folder = Path(name)
        bot = start_bot(api, folder, note_ids, "bot.log")
        try:
            if not api.first_poll.wait(60):
                print("  burst: the bot never polled")
                return False
            time.sleep(1.0)  # the start's own calls (commands menu) are done
            ids = api.enqueue_many([FakeBotAPI.note(rm, 1, f"visited Client {rm}, needs LC") for rm in note_ids])
            sent_at = api.enqueued_at[ids[0]]
            api.wait_until(lambda: len(confirmations(api, set(note_ids))) >= notes, 90, 0.05)
            time.sleep(1.5)  # a duplicate would arrive by now
        finally:
            stop(bot)
        found = confirmations(api, set(note_ids))
        last = max((min(times) for times in found.values()), default=float("nan")) - sent_at
        first = min((min(times) for times in found.values()), default=float("nan")) - sent_at
        once = sum(1 for times in found.values() if len(times) == 1)
        floor = notes / 30
        ok = once == notes and last <= 1.3 * floor
        problems = errors_logged(folder, ("bot.log",))
        print(f"  burst: {notes} notes at once, {latency * 1000:.0f} ms per send: confirmed once {once}/{notes}, "
              f"twice {sum(1 for t in found.values() if len(t) > 1)}, never {notes - len(found)}; last confirmation "
              f"{last:.2f}s vs floor {floor:.2f}s ({last / floor:.2f}x, target 1.3x; the first after {first:.2f}s); "
              f"429s {api.flooded}"
              + (f"; {problems}" if problems else ""), flush=True)
        return ok and not problems


def digest_run(rms: int, latency: float, *, paid: bool = False) -> bool:
    rm_ids = [DIGEST_RM + n for n in range(rms)]
    with tempfile.TemporaryDirectory() as name, FakeBotAPI(flood_limits=FloodLimits(), latency=latency) as api:
        folder = Path(name)
        seed(folder / "bot.sqlite3", rm_ids)
        env = {"RMBOT_PUSH__PAID_BROADCAST": "true", "RMBOT_PUSH__IN_FLIGHT": "256"} if paid else {}
        started = time.perf_counter()
        run = start_bot(api, folder, rm_ids, "push.log", command=["push-digests", "--date", DAY], extra_env=env)
        code = run.wait(600)
        total = time.perf_counter() - started
        counts, times = digests(api, set(rm_ids))
        sending = times[-1] - times[0] if times else float("nan")
        lost, twice = rms - len(counts), sum(n - 1 for n in counts.values() if n > 1)
        problems = errors_logged(folder, ("push.log",))
        if paid:
            print(f"  paid broadcast: {rms} digests, {latency * 1000:.0f} ms per send: sending {sending:.1f}s "
                  f"({rms / sending:.0f}/s; Telegram allows 1,000/s), whole command {total:.1f}s; lost {lost}, "
                  f"duplicates {twice}, 429s {api.flooded}, exit {code}" + (f"; {problems}" if problems else ""),
                  flush=True)
            return lost == 0 and twice == 0 and code == 0
        floor = rms / 30
        print(f"  digests: {rms} at {latency * 1000:.0f} ms per send: sending {sending:.1f}s vs floor {floor:.1f}s "
              f"({sending / floor:.2f}x, target 1.15x), whole command {total:.1f}s; lost {lost}, duplicates {twice}, "
              f"429s {api.flooded}, exit {code}" + (f"; {problems}" if problems else ""), flush=True)
        return lost == 0 and twice == 0 and code == 0 and sending <= 1.15 * floor and not problems


def mixed(digest_rms: int = 1000, note_rms: int = 200, latency: float = 0.08) -> bool:
    digest_ids = [DIGEST_RM + n for n in range(digest_rms)]
    note_ids = [NOTE_RM + n for n in range(note_rms)]
    with tempfile.TemporaryDirectory() as name, FakeBotAPI(flood_limits=FloodLimits(), latency=latency) as api:
        folder = Path(name)
        seed(folder / "bot.sqlite3", digest_ids)
        bot = start_bot(api, folder, digest_ids + note_ids, "bot.log")
        try:
            if not api.wait_until(lambda: len(digests(api, set(digest_ids))[0]) >= 50, 60, 0.05):
                print("  push + chat: the catch-up never started")
                return False
            # the RMs write while the catch-up run is going out, a few at a time over ~10 s
            enqueued: dict[int, float] = {}
            for start in range(0, note_rms, 20):
                for rm in note_ids[start:start + 20]:
                    update_id = api.enqueue_note(rm, 1, f"visited Client {rm}, needs LC")
                    enqueued[rm] = api.enqueued_at[update_id]
                time.sleep(1.0)
            api.wait_until(lambda: len(digests(api, set(digest_ids))[0]) >= digest_rms
                           and len(confirmations(api, set(note_ids))) >= note_rms, 120, 0.1)
            time.sleep(1.5)
            left_to_push = digest_rms - len(digests(api, set(digest_ids))[0])
        finally:
            stop(bot)
        found = confirmations(api, set(note_ids))
        waits = [min(found[rm]) - enqueued[rm] for rm in found]
        counts, times = digests(api, set(digest_ids))
        lost, twice = digest_rms - len(counts), sum(n - 1 for n in counts.values() if n > 1)
        p99 = percentile(waits, 0.99)
        problems = errors_logged(folder, ("bot.log",))
        print(f"  push + chat: {digest_rms} digests (catch-up) while {note_rms} RMs note: confirmations "
              f"{len(found)}/{note_rms} (twice {sum(1 for t in found.values() if len(t) > 1)}), p50 "
              f"{percentile(waits, 0.5):.2f}s p99 {p99:.2f}s max {max(waits, default=float('nan')):.2f}s "
              f"(target p99 < 2 s); digests run {times[-1] - times[0]:.1f}s, lost {lost}, duplicates {twice}, "
              f"429s {api.flooded}" + (f"; {problems}" if problems else ""), flush=True)
        return len(found) == note_rms and p99 < 2.0 and lost == 0 and twice == 0 and left_to_push == 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default="burst,digests,mixed,paid")
    parser.add_argument("--paid-rms", type=int, default=5000)
    args = parser.parse_args(argv)
    parts = set(args.only.split(","))
    print("outbound: the real bot against a Bot API fake with Telegram's flood limits", flush=True)
    results = []
    if "burst" in parts:
        results.append(burst())
    if "digests" in parts:
        results.append(digest_run(1000, 0.08))
        results.append(digest_run(1000, 0.15))
    if "mixed" in parts:
        results.append(mixed())
    if "paid" in parts:
        results.append(digest_run(args.paid_rms, 0.08, paid=True))
    print(f"  targets met: {sum(results)}/{len(results)}", flush=True)
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())

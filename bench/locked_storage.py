"""A write lock held by another process in the middle of a load: are notes saved or truly refused?

The real bot process (`python -m bot run`) polls the loopback Bot API fake (bench/http_fake.py).
200 RMs each send a note every second for 30 s; 20 other RMs ask `/note` every second (reads).
From 10 s to 20 s this process holds the database's write lock (`BEGIN IMMEDIATE` in a sqlite3
connection, as a `sqlite3` shell, an import or a backup would).

Every note must end up either confirmed and stored, or answered "this note was NOT saved" and
not stored: none confirmed and lost, none unanswered. Reads must be answered during the lock.
The storage never holds a read, but polling does: Telegram's getUpdates answers 100 updates from
the oldest unconfirmed one (bot/update_order.py), so while the first notes wait out the 5 s busy
timeout, later updates, reads included, are not fetched yet; once a write has failed for the lock,
later ones fail at once and everything flows again.

    .venv/bin/python bench/locked_storage.py                     # 200 RMs x 30 s, lock 10 s..20 s
    .venv/bin/python bench/locked_storage.py --rms 50 --seconds 12 --lock-at 3 --lock-for 5
"""

from __future__ import annotations

import argparse
import signal
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.http_fake import FakeBotAPI, errors_logged, start_bot  # noqa: E402

FIRST_RM = 20_001
NOT_SAVED = ("⚠️ This note was NOT saved",)


def quantiles(values: list[float]) -> str:
    if len(values) < 2:
        return f"n={len(values)}"
    q = statistics.quantiles(values, n=100)
    return f"p50 {q[49] * 1e3:.0f} ms  p99 {q[98] * 1e3:.0f} ms  max {max(values) * 1e3:.0f} ms  (n={len(values)})"


def hold_lock(database: Path, start: float, at: float, seconds: float, held: list[float]) -> None:
    """Another process's write transaction: BEGIN IMMEDIATE at START+AT, held for SECONDS."""
    time.sleep(max(0.0, start + at - time.perf_counter()))
    conn = sqlite3.connect(database, isolation_level=None, timeout=30)
    conn.execute("BEGIN IMMEDIATE")
    held.append(time.perf_counter())
    time.sleep(seconds)
    conn.execute("ROLLBACK")
    held.append(time.perf_counter())
    conn.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rms", type=int, default=200)
    parser.add_argument("--readers", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--lock-at", type=float, default=10.0)
    parser.add_argument("--lock-for", type=float, default=10.0)
    args = parser.parse_args(argv)
    writers = [FIRST_RM + i for i in range(args.rms)]
    readers = [FIRST_RM + args.rms + i for i in range(args.readers)]
    schedule = sorted([(k + i / args.rms, rm, k + 1, f"visited Client {k}-{i}, needs LC")
                       for k in range(args.seconds) for i, rm in enumerate(writers)]
                      + [(k + 0.5 + i / (2 * args.readers), rm, k + 1, "/note")
                         for k in range(args.seconds) for i, rm in enumerate(readers)])
    with tempfile.TemporaryDirectory() as name, FakeBotAPI() as api:
        folder = Path(name)
        database = folder / "bot.sqlite3"
        bot = start_bot(api, folder, writers + readers, "bot.log")
        try:
            if not api.first_poll.wait(60):
                raise SystemExit(f"the bot never polled: {(folder / 'bot.log').read_text()[-2000:]}")
            held: list[float] = []
            enqueued: dict[tuple[int, int], float] = {}
            start = time.perf_counter() + 0.2
            locker = threading.Thread(target=hold_lock, args=(database, start, args.lock_at, args.lock_for, held))
            locker.start()
            for at, rm_id, message_id, text in schedule:
                delay = start + at - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)
                payload = FakeBotAPI.note(rm_id, message_id, text, first_name=f"RM{rm_id}")
                if text.startswith("/"):
                    payload["message"]["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text)}]
                update_id = api.enqueue(payload)
                enqueued[(rm_id, message_id)] = api.enqueued_at[update_id]
            locker.join()
            api.wait_until(lambda: sum(1 for r in api.replies_snapshot() if r.method == "sendMessage")
                           >= len(enqueued), 300)  # a slow (shared) machine answers late, not never
            time.sleep(0.5)
            bot.send_signal(signal.SIGTERM)
            bot.wait(30)
        finally:
            if bot.poll() is None:
                bot.kill()
                bot.wait(10)
        replies = [r for r in api.replies_snapshot() if r.method == "sendMessage"]
        with sqlite3.connect(database) as conn:
            stored = {(rm, message): contact for contact, rm, message
                      in conn.execute("SELECT id, rm_id, message_id FROM contacts")}
        problems = errors_logged(folder, ("bot.log",))
        log_text = (folder / "bot.log").read_text(errors="replace")
    lock_start, lock_end = held
    # each RM's replies come in the order of its messages (one update at a time per RM)
    by_chat: dict[int, list] = defaultdict(list)
    for reply in replies:
        by_chat[reply.chat_id].append(reply)
    table = defaultdict(int)
    note_latency, read_latency_lock, read_latency_else = [], [], []
    for rm_id in writers:
        notes = sorted(m for (rm, m) in enqueued if rm == rm_id)
        answers = by_chat.get(rm_id, [])
        for index, message_id in enumerate(notes):
            reply = answers[index] if index < len(answers) else None
            is_stored = (rm_id, message_id) in stored
            if reply is None:
                table["stored, no reply" if is_stored else "no reply, not stored (unconfirmed: delivered again)"] += 1
            elif reply.contact_id is not None:
                table["confirmed and stored" if is_stored else "LOST: confirmed, not stored"] += 1
                note_latency.append(reply.at - enqueued[(rm_id, message_id)])
            elif reply.text.startswith(NOT_SAVED):
                table["told NOT saved, stored (would duplicate)" if is_stored else "told NOT saved, not stored"] += 1
            else:
                table[f"other reply: {reply.text[:40]!r}"] += 1
    for rm_id in readers:
        asks = sorted(m for (rm, m) in enqueued if rm == rm_id)
        for index, message_id in enumerate(asks):
            answers = by_chat.get(rm_id, [])
            if index >= len(answers):
                table["read unanswered"] += 1
                continue
            asked = enqueued[(rm_id, message_id)]
            latency = answers[index].at - asked
            (read_latency_lock if lock_start <= asked <= lock_end else read_latency_else).append(latency)
            if lock_start <= asked <= lock_end:
                table["reads asked during the lock"] += 1
                table["  of those answered while it was held"] += answers[index].at <= lock_end
    notes = sum(1 for (rm, _m) in enqueued if rm in set(writers))
    right = table["confirmed and stored"] + table["told NOT saved, not stored"]
    wrong = table["LOST: confirmed, not stored"] + table["told NOT saved, stored (would duplicate)"]
    print(f"locked storage: {args.rms} RMs x 1 note/s x {args.seconds} s + {args.readers} RMs reading /note 1/s; "
          f"another process holds the write lock {lock_start - start:.1f} s .. {lock_end - start:.1f} s "
          f"(bot busy timeout 5 s)")
    for key in sorted(table):
        print(f"  {key:45} {table[key]}")
    print(f"  evaluation: right {right} / told not saved {table['told NOT saved, not stored']} "
          f"(of those right) / silently wrong {wrong} of {notes} notes")
    print(f"  reads during the lock: {quantiles(read_latency_lock)}")
    print(f"  reads otherwise:       {quantiles(read_latency_else)}")
    print(f"  confirmed notes:       {quantiles(note_latency)}")
    print(f"  admin alerts in log: {log_text.count('storage failing')}; bot log problems: {problems or 'none'}")
    # a read waits at most for the notes ahead of it in Telegram's window (getUpdates answers 100
    # updates from the oldest unconfirmed one), about the busy timeout, not for the whole lock
    ok = (wrong == 0 and right == notes and not table["read unanswered"]
          and table["  of those answered while it was held"] > 0)
    print("  OK" if ok else "  FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

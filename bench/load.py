"""Load: 200 RMs each sending a note every second for 60 s; reply latency, throughput, memory.

Modes:

* process (default): the real bot process (`python -m bot run`)
  polls the loopback Bot API fake over HTTP (bench/http_fake.py); a thread in this process plays
  the RMs. Latency is enqueue on the fake -> the reply's sendMessage reaching the fake. Peak
  memory is the bot process's VmHWM (/proc/PID/status).
* inproc: build_application(...) in this process over the offline Bot API (no HTTP), with
  the same PerUserUpdateProcessor + ProcessedOffsetUpdater wiring. Peak memory is this process's ru_maxrss (bot and load generator).

Checks: no errors (fake, bot log), every note replied to and stored exactly once (sqlite3,
UNIQUE(rm_id, message_id)), and each RM's notes stored and answered in the order sent.

    .venv/bin/python bench/load.py                                  # 200 RMs x 60 s, short notes
    .venv/bin/python bench/load.py --texts corpus                   # the parser corpus's notes
    .venv/bin/python bench/load.py --mode inproc --seconds 20
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import resource
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.http_fake import FakeBotAPI, Reply, bot_command

FIRST_RM = 10_001
P99_TARGET_MS = 100.0


def corpus() -> list[str]:
    path = ROOT / "tests" / "data" / "notes_eval.jsonl"
    return [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@dataclass
class Plan:
    """Who sends what when: RM i sends its k-th note at phase_i + k seconds."""

    rms: int
    seconds: int
    texts: str = "simple"
    schedule: list[tuple[float, int, int, str]] = field(default_factory=list)  # (at, rm_id, message_id, text)

    def __post_init__(self) -> None:
        sentences = corpus() if self.texts == "corpus" else None
        number = 0
        for k in range(self.seconds):
            for i in range(self.rms):
                text = (sentences[number % len(sentences)] if sentences
                        else f"visited Client {number}, needs LC")
                self.schedule.append((k + i / self.rms, FIRST_RM + i, k + 1, text))
                number += 1
        self.schedule.sort()

    @property
    def rm_ids(self) -> list[int]:
        return [FIRST_RM + i for i in range(self.rms)]


@dataclass
class Outcome:
    label: str
    notes: int
    latencies: list[float] = field(default_factory=list)  # seconds, first reply per note
    replied: int = 0
    stored: int = 0
    duplicates: int = 0
    not_stored: int = 0
    order_violations: int = 0
    errors: list[str] = field(default_factory=list)
    elapsed: float = 0.0           # first enqueue -> last reply
    offered_seconds: float = 0.0   # first enqueue -> last enqueue
    peak_rss_kb: int = 0
    start_rss_kb: int = 0
    cpu_seconds: float = 0.0
    polls: int = 0

    def report(self) -> str:
        q = statistics.quantiles(self.latencies, n=100) if len(self.latencies) >= 2 else [0.0] * 99
        ms = lambda s: f"{s * 1e3:.1f}"
        lines = [
            f"{self.label}",
            f"  notes {self.notes}: replied {self.replied}, stored {self.stored}, duplicates {self.duplicates}, "
            f"not stored {self.not_stored}, per-RM order violations {self.order_violations}, "
            f"errors {len(self.errors)}" + (f" {self.errors[:3]}" if self.errors else ""),
            (f"  reply latency ms: p50 {ms(q[49])}  p90 {ms(q[89])}  p99 {ms(q[98])}  "
             f"max {ms(max(self.latencies, default=0))}  (target p99 < {P99_TARGET_MS:.0f})"),
            (f"  throughput {self.replied / self.elapsed if self.elapsed else 0:.1f} notes/s "
             f"(offered {self.notes / self.offered_seconds if self.offered_seconds else 0:.1f}/s over "
             f"{self.offered_seconds:.1f} s, all answered after {self.elapsed:.1f} s)"),
            f"  memory: peak RSS {self.peak_rss_kb / 1024:.1f} MiB (after startup {self.start_rss_kb / 1024:.1f} MiB)"
            + (f"   bot CPU {self.cpu_seconds:.1f} s ({100 * self.cpu_seconds / self.elapsed:.0f}% of a core)"
               if self.cpu_seconds and self.elapsed else "")
            + (f"   getUpdates calls {self.polls}" if self.polls else ""),
        ]
        return "\n".join(lines)

    @property
    def ok(self) -> bool:
        if not self.latencies:
            return False
        p99 = statistics.quantiles(self.latencies, n=100)[98] * 1e3
        return (not self.errors and self.duplicates == 0 and self.not_stored == 0 and self.replied == self.notes
                and self.order_violations == 0 and p99 < P99_TARGET_MS)


def _check(outcome: Outcome, plan: Plan, database: Path, enqueued: dict[tuple[int, int], float],
           replies: list[Reply]) -> None:
    """Fill OUTCOME from the database and the replies: stored once, answered, in order, latency."""
    with sqlite3.connect(database, timeout=10) as conn:
        rows = conn.execute("SELECT id, rm_id, message_id FROM contacts ORDER BY id").fetchall()
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
    if integrity != "ok":
        outcome.errors.append(f"integrity_check: {integrity}")
    keys = defaultdict(int)
    contact_note: dict[int, tuple[int, int]] = {}
    for contact_id, rm_id, message_id in rows:
        keys[(rm_id, message_id)] += 1
        contact_note[contact_id] = (rm_id, message_id)
    outcome.stored = sum(1 for key in enqueued if keys.get(key))
    outcome.not_stored = sum(1 for key in enqueued if not keys.get(key))
    outcome.duplicates = sum(n - 1 for n in keys.values() if n > 1) + sum(1 for key in keys if key not in enqueued)
    # stored in order: per RM, contact ids grow with message ids
    by_rm: dict[int, list[int]] = defaultdict(list)
    for contact_id, rm_id, message_id in rows:  # ordered by contact id
        by_rm[rm_id].append(message_id)
    outcome.order_violations = sum(1 for ids in by_rm.values() for a, b in pairwise(ids) if b < a)
    # answered in order, and latency from enqueue to the first reply
    first_reply: dict[tuple[int, int], float] = {}
    answered_by_rm: dict[int, list[int]] = defaultdict(list)
    for reply in replies:
        if reply.method != "sendMessage":
            continue
        note = contact_note.get(reply.contact_id) if reply.contact_id else None
        if note is None:
            outcome.errors.append(f"unexpected reply to {reply.chat_id}: {reply.text[:60]!r}")
            continue
        if note not in first_reply:
            first_reply[note] = reply.at
            answered_by_rm[note[0]].append(note[1])
    outcome.order_violations += sum(1 for ids in answered_by_rm.values() for a, b in pairwise(ids) if b < a)
    outcome.replied = len(first_reply)
    outcome.latencies = [first_reply[key] - at for key, at in enqueued.items() if key in first_reply]
    if first_reply:
        outcome.elapsed = max(first_reply.values()) - min(enqueued.values())
    outcome.offered_seconds = max(enqueued.values()) - min(enqueued.values())


def _proc_status(pid: int, key: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _proc_cpu(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


# --- the real process over HTTP ------------------------------------------------------------------
def run_process(plan: Plan, variant: str, folder: Path) -> Outcome:
    outcome = Outcome(f"process mode, bot: {variant} ({' '.join(bot_command(variant)[1:])}), "
                      f"{plan.rms} RMs x {plan.seconds} s, HTTP Bot API fake", len(plan.schedule))
    database = folder / f"load-{variant}.sqlite3"
    config = folder / "empty.toml"
    config.touch()
    with FakeBotAPI() as api:
        env = dict(os.environ, RMBOT_TELEGRAM__TOKEN="123:x", RMBOT_TELEGRAM__API_BASE_URL=api.base_url,
                   RMBOT_TELEGRAM__POLL_TIMEOUT="2", RMBOT_STORAGE__DATABASE=str(database),
                   RMBOT_ACCESS__ALLOWED_USER_IDS=json.dumps(plan.rm_ids),
                   RMBOT_BACKUP__DIRECTORY=str(folder / "backups"))
        log_path = folder / f"load-{variant}.log"
        with open(log_path, "w") as log:
            bot = subprocess.Popen(bot_command(variant, config), cwd=ROOT, env=env,
                                   stdout=subprocess.DEVNULL, stderr=log)
        try:
            if not api.first_poll.wait(30):
                raise SystemExit(f"the bot never polled: {log_path.read_text()[-2000:]}")
            outcome.start_rss_kb = _proc_status(bot.pid, "VmRSS")
            cpu_before = _proc_cpu(bot.pid)
            enqueued: dict[tuple[int, int], float] = {}
            start = time.perf_counter() + 0.2
            for at, rm_id, message_id, text in plan.schedule:
                delay = start + at - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)
                update_id = api.enqueue(FakeBotAPI.note(rm_id, message_id, text, first_name=f"RM{rm_id}"))
                enqueued[(rm_id, message_id)] = api.enqueued_at[update_id]
            api.wait_until(lambda: sum(1 for r in api.replies if r.method == "sendMessage") >= len(enqueued), 60)
            time.sleep(0.5)  # late duplicates, if any, show up
            outcome.peak_rss_kb = _proc_status(bot.pid, "VmHWM")
            outcome.cpu_seconds = _proc_cpu(bot.pid) - cpu_before
            outcome.polls = api.get_updates_calls
            bot.send_signal(signal.SIGTERM)
            code = bot.wait(30)
            if code != 0:
                outcome.errors.append(f"bot exit code {code}")
        finally:
            if bot.poll() is None:
                bot.kill()
                bot.wait(10)
        outcome.errors += [f"fake: {method} {why}" for method, why in api.errors]
        text = log_path.read_text(errors="replace")
        outcome.errors += [line[:160] for line in text.splitlines() if " ERROR " in line or " CRITICAL " in line]
        _check(outcome, plan, database, enqueued, api.replies_snapshot())
    return outcome


# --- in process over the offline Bot API ---------------------------------------------------------
async def run_inproc(plan: Plan, variant: str, folder: Path) -> Outcome:
    from bot.application import build_application, running
    from bot.config import AccessSettings, Settings, StorageSettings, TelegramSettings
    from bot.offline_api import OfflineBotAPI

    outcome = Outcome(f"inproc mode, bot: {variant} (build_application), "
                      f"{plan.rms} RMs x {plan.seconds} s, offline Bot API", len(plan.schedule))

    class TimedAPI(OfflineBotAPI):
        def __init__(self) -> None:
            from bot.outbound import RealTime

            super().__init__(time=RealTime())  # Telegram's flood limits on the wall clock, as for real
            self.replies: list[Reply] = []
            self.polls = 0

        async def do_request(self, url, method, request_data=None, **kwargs):
            if url.endswith("/getUpdates"):
                self.polls += 1
            code, body = await super().do_request(url, method, request_data, **kwargs)
            if url.endswith("/sendMessage") and code == 200:
                params = dict(request_data.parameters)
                markup = params.get("reply_markup")
                found = re.search(r'"n:u:(\d+)"', json.dumps(markup) if markup else "")
                self.replies.append(Reply("sendMessage", int(params["chat_id"]), str(params.get("text", "")), None,
                                          int(found.group(1)) if found else None, time.perf_counter()))
            return code, body

    database = folder / f"inproc-{variant}.sqlite3"
    settings = Settings(telegram=TelegramSettings(token="123:x", poll_timeout=2),
                        storage=StorageSettings(database=str(database)),
                        access=AccessSettings(allowed_user_ids=plan.rm_ids))
    api = TimedAPI()
    application = build_application(settings, request=api)
    errors: list[str] = []
    application.add_error_handler(lambda update, context: errors.append(repr(context.error)))
    async with running(application):
        await application.updater.start_polling(timeout=2)
        outcome.start_rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        cpu_before = time.process_time()
        loop = asyncio.get_running_loop()
        enqueued: dict[tuple[int, int], float] = {}
        start = loop.time() + 0.2
        for at, rm_id, message_id, text in plan.schedule:
            delay = start + at - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            update = FakeBotAPI.note(rm_id, message_id, text, first_name=f"RM{rm_id}")
            update["update_id"] = api.next_update_id()
            enqueued[(rm_id, message_id)] = time.perf_counter()
            api.push_update(update)
        deadline = loop.time() + 60
        while len(api.replies) < len(enqueued) and loop.time() < deadline:
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.5)
        outcome.cpu_seconds = time.process_time() - cpu_before
        outcome.polls = api.polls
        await application.updater.stop()
    outcome.peak_rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    outcome.errors += errors
    _check(outcome, plan, database, enqueued, api.replies)
    return outcome


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rms", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--mode", choices=("process", "inproc"), default="process")
    parser.add_argument("--variant", choices=("current",), default="current")
    parser.add_argument("--texts", choices=("simple", "corpus"), default="simple",
                        help="'visited Client N, needs LC' or the evaluation corpus (named clients, dates, amounts)")
    args = parser.parse_args(argv)
    plan = Plan(args.rms, args.seconds, args.texts)
    variants = (args.variant,)
    ok = True
    for variant in variants:
        with tempfile.TemporaryDirectory() as name:
            folder = Path(name)
            if args.mode == "process":
                outcome = run_process(plan, variant, folder)
            else:
                outcome = asyncio.run(run_inproc(plan, variant, folder))
        outcome.label += f", texts: {args.texts}"
        print(outcome.report(), flush=True)
        ok = ok and outcome.ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

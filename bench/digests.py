"""Digest benchmark (issue #3).

compute: 1,000 RMs × 300 clients × 10 contacts × 2 holdings (generated on disk, in a child
process so its memory does not count), then every RM's digest computed from the database:
total time and peak RSS. Targets: < 5 s, < 300 MB.

deliver: 1,000 digests through the offline Bot API with Telegram's flood limits enforced
(30/s overall, 1/s per chat; breaking them answers 429): total time against the 1,000/30 s
floor (target within 1.25×), messages lost, duplicates, 429s received.

    python bench/digests.py [compute|deliver|all] [--rms 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.config import PushSettings, Settings, StorageSettings  # noqa: E402
from bot.push.reminders import ReminderPusher  # noqa: E402
from storage import Repository  # noqa: E402

DAY = date(2026, 11, 25)
CLIENTS, CONTACTS, HOLDINGS = 300, 10, 2
PRODUCTS = ("DEPOSIT", "WEALTH", "FUND", "INSURANCE", "LOAN", "CREDIT_LINE", "LC", "BA")


def generate(path: str, rms: int) -> None:
    """Fill a migrated database with generated RMs, clients, contacts and holdings."""
    async def migrate() -> None:
        await (await Repository.open(path)).close()
    asyncio.run(migrate())
    rng = random.Random(7)
    stamp = datetime(2026, 1, 1, tzinfo=timezone.utc).isoformat()
    db = sqlite3.connect(path)
    db.execute("PRAGMA synchronous = OFF")
    with db:
        db.executemany("INSERT INTO rms (user_id, chat_id, created_at) VALUES (?, ?, ?)",
                       [(rm, rm, stamp) for rm in range(1, rms + 1)])
        client_id = contact_id = 0
        for rm in range(1, rms + 1):
            clients, contacts, holdings, follow_ups = [], [], [], []
            for _ in range(CLIENTS):
                client_id += 1
                birthday = date(1960 + rng.randrange(40), rng.randrange(1, 13), rng.randrange(1, 29))
                lunar = f"{rng.randrange(1, 13):02d}-{rng.randrange(1, 31):02d}" if rng.random() < 0.3 else None
                clients.append((client_id, rm, f"客户{client_id}", rng.choice("AABBBCCCCC"), birthday.isoformat(),
                                lunar, stamp))
                for _ in range(CONTACTS):
                    contact_id += 1
                    when = DAY - timedelta(days=rng.randrange(1, 200))
                    contacts.append((contact_id, rm, client_id, "拜访", "visit", when.isoformat(), stamp))
                if rng.random() < 0.05:
                    follow_ups.append((rm, client_id, contact_id, (DAY + timedelta(days=rng.randrange(-5, 10))).isoformat(), stamp))
                for n in range(HOLDINGS):
                    maturity = DAY + timedelta(days=rng.randrange(-30, 400))
                    holdings.append((rm, client_id, PRODUCTS[rng.randrange(len(PRODUCTS))], f"h{n}",
                                     rng.randrange(1, 500) * 10_000, maturity.isoformat(), stamp, stamp))
            db.executemany("INSERT INTO clients (id, rm_id, name, tier, birthday, lunar_birthday, created_at)"
                           " VALUES (?, ?, ?, ?, ?, ?, ?)", clients)
            db.executemany("INSERT INTO contacts (id, rm_id, client_id, raw_text, channel, occurred_on, created_at)"
                           " VALUES (?, ?, ?, ?, ?, ?, ?)", contacts)
            db.executemany("INSERT INTO follow_ups (rm_id, client_id, contact_id, due_on, created_at)"
                           " VALUES (?, ?, ?, ?, ?)", follow_ups)
            db.executemany("INSERT OR IGNORE INTO holdings (rm_id, client_id, product, name, amount, maturity_date,"
                           " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", holdings)
    db.execute("ANALYZE")
    db.close()


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def compute(path: str) -> None:
    settings = Settings(storage=StorageSettings(database=path))
    repo = await Repository.open(path)
    pusher = ReminderPusher(repo, settings, lambda: datetime.now(timezone.utc))
    rms = await repo.rms.active()
    started = time.perf_counter()
    items = Counter()
    for rm in rms:
        digest = await pusher.digest_for(rm, DAY)
        items.update(follow_ups=len(digest.follow_ups), due_contacts=len(digest.due_contacts),
                     birthdays=len(digest.birthdays), holidays=len(digest.holidays), maturities=len(digest.maturities))
    elapsed = time.perf_counter() - started
    await repo.close()
    print(f"compute: {len(rms)} digests in {elapsed:.2f} s ({elapsed / len(rms) * 1000:.2f} ms each); "
          f"peak RSS {peak_rss_mb():.0f} MB; items {dict(items)}")


async def deliver(rms: int) -> None:
    from bot.application import build_application, running
    from bot.offline_api import FloodLimits, OfflineBotAPI
    from bot.outbound import RealTime

    with tempfile.TemporaryDirectory() as folder:
        path = f"{folder}/deliver.sqlite3"
        repo = await Repository.open(path)
        now = datetime.now(timezone.utc)
        for rm in range(1, rms + 1):
            await repo.rms.ensure(rm, rm, "", language="zh", timezone="Asia/Shanghai", digest_time="08:30", now=now)
        await repo.close()
        limits = FloodLimits()
        api = OfflineBotAPI(flood_limits=limits, time=RealTime())  # timed on the wall clock
        settings = Settings(storage=StorageSettings(database=path), push=PushSettings())
        application = build_application(settings, request=api, schedule=False)
        async with running(application):
            started = time.perf_counter()
            outcomes = await application.bot_data.pusher.push_all_digests(application.bot, DAY)
            elapsed = time.perf_counter() - started
        chats = Counter(s.chat_id for s in api.sent if s.method == "sendMessage")
        floor = rms / 30
        print(f"deliver: {rms} digests in {elapsed:.1f} s; floor {floor:.1f} s; ratio {elapsed / floor:.2f}x "
              f"(target ≤ 1.25x); delivered {len(chats)}, lost {rms - len(chats)}, "
              f"duplicates {sum(n - 1 for n in chats.values())}, 429s {limits.violations}; outcomes {dict(outcomes)}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("part", nargs="?", default="all", choices=("compute", "deliver", "all", "generate"))
    parser.add_argument("--rms", type=int, default=1000)
    parser.add_argument("--db", help="(internal) database to generate")
    args = parser.parse_args()
    if args.part == "generate":
        generate(args.db, args.rms)
        return
    if args.part in ("compute", "all"):
        with tempfile.TemporaryDirectory() as folder:
            path = f"{folder}/digests.sqlite3"
            started = time.perf_counter()
            subprocess.run([sys.executable, __file__, "generate", "--rms", str(args.rms), "--db", path], check=True)
            size = Path(path).stat().st_size / 1e6
            print(f"generated {args.rms} RMs × {CLIENTS} clients × {CONTACTS} contacts × {HOLDINGS} holdings: "
                  f"{size:.0f} MB on disk in {time.perf_counter() - started:.0f} s")
            asyncio.run(compute(path))
    if args.part in ("deliver", "all"):
        asyncio.run(deliver(args.rms))


if __name__ == "__main__":
    main()

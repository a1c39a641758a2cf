"""/notify for an RM with 1,000 clients (issue 19): from the database (every client's profile,
needs, holdings and last contact) and the pure matching.

Prints p50/max of load_notice_list + compose_notices and peak RSS. Target: under 50 ms.
"""

from __future__ import annotations

import asyncio
import random
import resource
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.notices import compose_notices, read_offer  # noqa: E402
from handlers.notices import load_notice_list  # noqa: E402
from storage import Repository  # noqa: E402

DAY = date(2026, 11, 25)
RM = 100
CLIENTS = 1_000
RUNS = 30


async def seed(repo: Repository) -> None:
    rng = random.Random(19)
    now = datetime(2026, 11, 25, 9, tzinfo=timezone.utc).isoformat()
    async with repo.db.transaction() as conn:
        await conn.execute("INSERT INTO rms (user_id, chat_id, created_at) VALUES (?, ?, ?)", (RM, RM, now))
        for client_id in range(1, CLIENTS + 1):
            await conn.execute("INSERT INTO clients (id, rm_id, name, tier, created_at) VALUES (?, ?, ?, ?, ?)",
                               (client_id, RM, f"客户{client_id:04d}", rng.choice("ABC"), now))
            for n in range(5):
                day = DAY - timedelta(days=rng.randint(0, 400))
                cursor = await conn.execute(
                    "INSERT INTO contacts (rm_id, client_id, raw_text, client_name, channel, occurred_on, created_at) "
                    "VALUES (?, ?, ?, ?, 'visit', ?, ?)", (RM, client_id, "拜访", f"客户{client_id:04d}", day.isoformat(), now))
                await conn.execute("INSERT INTO contact_needs (contact_id, product) VALUES (?, ?)",
                                   (cursor.lastrowid, rng.choice(["FUND", "WEALTH", "LOAN", "DEPOSIT", "FX"])))
            for product, name in (("DEPOSIT", "活期"), ("WEALTH", f"理财{client_id}")):
                maturity = (DAY + timedelta(days=rng.randint(-30, 365))).isoformat() if product == "WEALTH" else None
                await conn.execute(
                    "INSERT INTO holdings (rm_id, client_id, product, name, amount, maturity_date, created_at, updated_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (RM, client_id, product, name, rng.randint(1, 300) * 10_000.0,
                                                         maturity, now, now))
            facts = [("risk", f"C{rng.randint(1, 5)}", (DAY - timedelta(days=rng.randint(0, 500))).isoformat()),
                     ("channel", rng.choice(["call", "message", "visit"]), DAY.isoformat()),
                     ("family", '{"relation": "daughter", "name": "小雨", "birthday": {"month": 6, "day": 1, '
                                '"year": 2010, "lunar": false}, "age": null, "occupation": null}', DAY.isoformat()),
                     ("hobby", "高尔夫", DAY.isoformat())]
            for kind, value, noted_on in facts:
                await conn.execute("INSERT INTO client_facts (rm_id, client_id, kind, value, noted_on, created_at)"
                                   " VALUES (?, ?, ?, ?, ?, ?)", (RM, client_id, kind, value, noted_on, now))


async def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        repo = await Repository.open(f"{folder}/notify.sqlite3")
        await seed(repo)
        offer, _ = read_offer("新发基金 R3 50万")
        assert offer is not None
        timings = []
        for _ in range(RUNS):
            started = time.perf_counter()
            found = await load_notice_list(repo, RM, offer, DAY)
            compose_notices(found, "zh", DAY)
            timings.append((time.perf_counter() - started) * 1000)
        await repo.close()
    timings.sort()
    print(f"/notify for {CLIENTS} clients: p50 {statistics.median(timings):.1f} ms, max {timings[-1]:.1f} ms "
          f"(target < 50 ms); {len(found.suitable)} suitable, {len(found.unassessed)} apart, "
          f"{found.too_risky} below R3, {found.recently_contacted} contacted lately; peak RSS "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    asyncio.run(main())

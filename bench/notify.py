"""/notify and /review for an RM with 1,000 clients and 5 reviews each (issue 19).

/notify: load_notice_list (needs, holdings, suitability facts, last contacts) + compose_notices,
p50/max, target under 50 ms. /review: one client's snapshot, comparison with the last review,
the reply and both charts (bars per review + the pie), p50/max, target under 1 s. Then the same
end to end through the real Application and the offline Bot API: `/review NAME` (recorded, both
charts, the question), an answer to the question (`他行理财 300万`), and Done (the review and both
charts again). Peak RSS under 250 MB.
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
            for number in range(5):
                cursor = await conn.execute(
                    "INSERT INTO reviews (rm_id, client_id, reviewed_on, created_at) VALUES (?, ?, ?, ?)",
                    (RM, client_id, (DAY - timedelta(days=30 * (5 - number))).isoformat(), now))
                for product in ("DEPOSIT", "WEALTH", "FUND"):
                    await conn.execute(
                        "INSERT INTO review_items (review_id, source, product, amount, currency, risk)"
                        " VALUES (?, 'here', ?, ?, 'CNY', 2)", (cursor.lastrowid, product, rng.randint(1, 300) * 1e4))
            for kind, value, noted_on in facts:
                await conn.execute("INSERT INTO client_facts (rm_id, client_id, kind, value, noted_on, created_at)"
                                   " VALUES (?, ?, ?, ?, ?, ?)", (RM, client_id, kind, value, noted_on, now))


async def _review(repo: Repository, client_id: int) -> None:
    """What /review does for one client, without Telegram."""
    from bot.client_profile import build_profile
    from bot.reviews import Review, compare, compose_review, snapshot_items
    from handlers.reviews import review_charts

    client = await repo.clients.get(RM, client_id)
    assert client is not None
    profile = build_profile(await repo.client_facts.for_client(RM, client_id))
    items = snapshot_items(await repo.holdings.for_client(RM, client_id), profile.other_bank)
    earlier = await repo.reviews.for_client(RM, client_id)
    compose_review(client.name, DAY, compare(earlier[-1] if earlier else None, items), "zh", DAY)
    review_charts(client.name, earlier + [Review(0, client_id, DAY, items)], "zh")


async def _end_to_end(path: str) -> tuple[list[float], list[float], list[float]]:
    """(/review, an answer, Done) in ms per client, through the Application and the offline Bot API."""
    from bot.application import build_application, running
    from bot.config import AccessSettings, Settings, StorageSettings
    from bot.offline_api import OfflineBotAPI, OfflineUser

    settings = Settings(storage=StorageSettings(database=path), access=AccessSettings(allowed_user_ids=[RM]))
    api = OfflineBotAPI()
    application = build_application(settings, request=api, clock=lambda: datetime(2026, 11, 25, 9, tzinfo=timezone.utc),
                                    schedule=False)
    reviews, answers, dones = [], [], []
    async with running(application):
        rm = OfflineUser(application, api, RM, first_name="RM", language_code="zh-hans")
        for client_id in range(11, 21):
            for name, timings, action in ((f"/review 客户{client_id:04d}", reviews, rm.send),
                                          ("他行理财 300万", answers, rm.send), ("✅ 完成", dones, rm.press)):
                started = time.perf_counter()
                replies = await action(name)
                timings.append((time.perf_counter() - started) * 1000)
                if timings is answers:
                    assert "已加入" in replies[-1].text, replies[-1].text
                else:
                    assert sum(r.method == "sendPhoto" for r in replies) == 2, [r.text for r in replies]
    return sorted(reviews), sorted(answers), sorted(dones)


async def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        repo = await Repository.open(f"{folder}/notify.sqlite3")
        await seed(repo)
        offer, _ = read_offer("新发基金 R3 50万")
        assert offer is not None
        timings, cpu = [], []
        for _ in range(RUNS):
            started, started_cpu = time.perf_counter(), time.process_time()
            found = await load_notice_list(repo, RM, offer, DAY)
            compose_notices(found, "zh", DAY)
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        review_timings = []
        for client_id in range(1, 11):
            started = time.perf_counter()
            await _review(repo, client_id)
            review_timings.append((time.perf_counter() - started) * 1000)
        await repo.close()
        direct_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        reviews, answers, dones = await _end_to_end(f"{folder}/notify.sqlite3")
    review_timings.sort()
    print(f"/review with both charts (5 earlier reviews): p50 {statistics.median(review_timings):.0f} ms, "
          f"max {review_timings[-1]:.0f} ms (target < 1000 ms)")
    for what, found_ms in (("/review NAME (record, reply, both charts, the question)", reviews),
                           ("an answer to the question (added, with Undo)", answers),
                           ("Done (the review and both charts again)", dones)):
        print(f"end to end, {what}: p50 {statistics.median(found_ms):.0f} ms, max {found_ms[-1]:.0f} ms")
    timings.sort()
    print(f"/notify for {CLIENTS} clients: p50 {statistics.median(timings):.1f} ms, max {timings[-1]:.1f} ms "
          f"(target < 50 ms), CPU p50 {statistics.median(cpu):.1f} ms (wall time on a shared machine waits for others); "
          f"{len(found.suitable)} suitable, {len(found.unassessed)} apart, "
          f"{found.too_risky} below R3, {found.recently_contacted} contacted lately")
    print(f"peak RSS: {direct_rss:.0f} MB for /notify and /review called directly; "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB with the whole Application end to end "
          f"(target < 250 MB; the Application's fixed cost: the note parser and client matching, matplotlib)")


if __name__ == "__main__":
    asyncio.run(main())

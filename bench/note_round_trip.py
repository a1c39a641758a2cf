"""Note round trip through the real Application and the offline Bot API: update in, stored, reply out.

1,000 notes from 10 RMs; prints p50/p99 and checks that every note was stored exactly once.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import tempfile
import time
from datetime import datetime
from zoneinfo import ZoneInfo
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.application import build_application, running  # noqa: E402
from bot.config import AccessSettings, Settings, StorageSettings  # noqa: E402
from bot.offline_api import OfflineBotAPI, OfflineUser  # noqa: E402

NOTES = 1000
RMS = 10


def texts() -> list[str]:
    path = ROOT / "tests" / "data" / "notes_eval.jsonl"
    return [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


async def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        rm_ids = list(range(1000, 1000 + RMS))
        settings = Settings(storage=StorageSettings(database=f"{folder}/bench.sqlite3"),
                            access=AccessSettings(allowed_user_ids=rm_ids))
        api = OfflineBotAPI()
        # the real "now": timed follow-ups are scheduled ahead of APScheduler's wall clock, as in production
        now = datetime.now(ZoneInfo("Asia/Shanghai"))
        application = build_application(settings, request=api, clock=lambda: now)
        async with running(application):
            users = [OfflineUser(application, api, rm_id, language_code="en") for rm_id in rm_ids]
            corpus = texts()
            for user in users:  # warm: first contact creates the RM
                await user.send("/start")
            samples = []
            for n in range(NOTES):
                start = time.perf_counter()
                replies = await users[n % RMS].send(corpus[n % len(corpus)])
                samples.append(time.perf_counter() - start)
                assert replies, "every note gets a reply"
            repo = application.bot_data.repo
            stored = (await repo.db.fetch_one("SELECT count(*) FROM contacts"))[0]
        quantiles = statistics.quantiles(samples, n=100)
        print(f"note round trip: {NOTES} notes, {RMS} RMs, offline Bot API, SQLite WAL on disk")
        print(f"  p50 {quantiles[49] * 1e3:.2f} ms   p99 {quantiles[98] * 1e3:.2f} ms   "
              f"mean {statistics.mean(samples) * 1e3:.2f} ms   target: p50 < 3 ms, p99 < 10 ms")
        print(f"  stored {stored} of {NOTES} notes ({'none lost' if stored == NOTES else 'LOST ' + str(NOTES - stored)})")


if __name__ == "__main__":
    asyncio.run(main())

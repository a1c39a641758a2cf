"""/week for an RM with 300 clients and 3,000 contacts (issue #5): from the database and pure.

Prints p50/p99 of load_period_report (storage + figures) and of the pure figures alone, and peak
RSS. Target: /week under 20 ms. (XLSX and chart timings: bench/exports.py.)
"""

from __future__ import annotations

import asyncio
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.reports.figures import period_report  # noqa: E402
from bot.reports.loading import cadences, load_period_report  # noqa: E402
from storage import Repository  # noqa: E402

DAY = date(2026, 11, 25)
RUNS = 50


async def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = f"{folder}/reports.sqlite3"
        subprocess.run([sys.executable, str(ROOT / "bench" / "digests.py"), "generate", "--rms", "1", "--db", path],
                       check=True)
        repo = await Repository.open(path)
        rm = (await repo.rms.active())[0]
        timings = []
        for _ in range(RUNS):
            started = time.perf_counter()
            report = await load_period_report(repo, rm, "week", DAY)
            timings.append((time.perf_counter() - started) * 1000)
        clients = await repo.clients.list(rm.user_id)
        contacts = await repo.contacts.all(rm.user_id)
        pure = []
        for _ in range(RUNS):
            started = time.perf_counter()
            period_report("week", DAY, clients, contacts, [], cadences(rm))
            pure.append((time.perf_counter() - started) * 1000)
        await repo.close()
    timings.sort()
    pure.sort()
    print(f"/week for {len(clients)} clients, {len(contacts)} contacts: p50 {statistics.median(timings):.1f} ms, "
          f"max {timings[-1]:.1f} ms (target < 20 ms); pure figures p50 {statistics.median(pure):.2f} ms; "
          f"{report.contacts} contacts this week; peak RSS "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    asyncio.run(main())

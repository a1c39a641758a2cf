"""Time the /export and /chart files for a large RM: 300 clients, 3,000 contacts, 600 holdings.

Targets: export_xlsx under 2 s, each chart under 1 s. Prints each timing (best of RUNS) and the
process's peak RSS. Run: .venv/bin/python bench/exports.py
"""

from __future__ import annotations

import random
import resource
import sys
import time as clock
from datetime import date, time, timedelta

_start = clock.perf_counter()
from bot.exports import ExportData, export_csv_zip, export_xlsx

IMPORT_EXPORTS = clock.perf_counter() - _start
_start = clock.perf_counter()
from bot.charts import contacts_per_week_png, holdings_pie_png

IMPORT_CHARTS = clock.perf_counter() - _start
from bot.parsing.channels import CHANNELS
from bot.parsing.products import load_catalog
from storage.records import Client, Contact, FollowUp, Holding

RUNS = 3
TODAY = date(2026, 11, 25)
SURNAMES = "刘王张李赵陈孙周吴郑冯褚卫蒋沈韩杨朱秦尤许何吕施"


def make_data(clients: int = 300, contacts: int = 3000, holdings: int = 600, seed: int = 7) -> ExportData:
    rnd = random.Random(seed)
    codes = list(load_catalog())
    client_rows = tuple(
        Client(i, f"{rnd.choice(SURNAMES)}总{i}", tier=rnd.choice("ABC"), cadence_days=rnd.choice([None, 30, 60, 90]),
               phone=f"+86 138 {i:04d} {rnd.randint(0, 9999):04d}", company=f"华信{i}贸易有限公司",
               birthday=date(1960 + i % 40, 1 + i % 12, 1 + i % 28), lunar_birthday="八月十五" if i % 9 == 0 else None,
               notes="喜欢喝茶，周末不接电话" if i % 4 == 0 else None,
               last_contact_on=TODAY - timedelta(days=rnd.randint(0, 365)) if i % 3 else None)
        for i in range(1, clients + 1))
    contact_rows = tuple(
        Contact(i, f"拜访{rnd.choice(SURNAMES)}总，需要贷款和信用证，金额{rnd.randint(1, 900)}万，下周二回访 #{i}",
                rnd.randint(1, clients), None, rnd.choice([*CHANNELS, None]),
                TODAY - timedelta(days=rnd.randint(0, 365)) if i % 12 else None,
                rnd.choice([None, 500_000.0, 3_000_000.0, 12_345.67]), tuple(rnd.sample(codes, rnd.randint(0, 3))),
                TODAY + timedelta(days=rnd.randint(1, 30)) if i % 5 == 0 else None)
        for i in range(1, contacts + 1))
    holding_rows = tuple(
        Holding(i, rnd.randint(1, clients), rnd.choice(codes), f"产品{i}", rnd.choice([None, 1e5, 2.5e6, 1e7]),
                TODAY - timedelta(days=rnd.randint(30, 900)), TODAY + timedelta(days=rnd.randint(-30, 720)))
        for i in range(1, holdings + 1))
    follow_ups = tuple(
        FollowUp(i, rnd.randint(1, clients), i, TODAY + timedelta(days=i % 45), time(15, 0) if i % 3 == 0 else None,
                 rnd.choice(["open", "open", "done", "cancelled"]))
        for i in range(1, contacts // 5 + 1))
    return ExportData(client_rows, contact_rows, holding_rows, follow_ups, month=TODAY, today=TODAY)


def best(func, *args) -> tuple[float, int]:
    times, size = [], 0
    for _ in range(RUNS):
        start = clock.perf_counter()
        size = len(func(*args))
        times.append(clock.perf_counter() - start)
    return min(times), size


def main() -> int:
    data = make_data()
    print(f"{len(data.clients)} clients, {len(data.contacts)} contacts, {len(data.holdings)} holdings, "
          f"{len(data.follow_ups)} follow-ups; best of {RUNS}")
    busiest = max({h.client_id for h in data.holdings},
                  key=lambda cid: sum(1 for h in data.holdings if h.client_id == cid))
    client_holdings = [h for h in data.holdings if h.client_id == busiest]
    print(f"{'import bot.exports (openpyxl)':32} {IMPORT_EXPORTS:7.3f} s")
    print(f"{'import bot.charts (matplotlib)':32} {IMPORT_CHARTS:7.3f} s")
    start = clock.perf_counter()
    contacts_per_week_png(data.contacts[:10], TODAY, "en")  # first chart: matplotlib warm-up and font lookup
    print(f"{'chart warm-up (first call)':32} {clock.perf_counter() - start:7.3f} s")
    results = []
    for language in ("zh", "en"):
        for name, target, func, args in (
            ("export_xlsx", 2.0, export_xlsx, (data, language)),
            ("export_csv_zip", 2.0, export_csv_zip, (data, language)),
            ("contacts_per_week_png", 1.0, contacts_per_week_png, (data.contacts, TODAY, language)),
            ("holdings_pie_png", 1.0, holdings_pie_png, (data.clients[busiest - 1].name, client_holdings, language)),
        ):
            seconds, size = best(func, *args)
            ok = seconds < target
            results.append(ok)
            print(f"{name + ' ' + language:32} {seconds:7.3f} s  {size / 1024:8.1f} KiB  "
                  f"{'ok' if ok else 'SLOW'} (target < {target:g} s)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"{'peak RSS':32} {peak / 1024 if sys.platform != 'darwin' else peak / 2**20:7.1f} MiB")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())

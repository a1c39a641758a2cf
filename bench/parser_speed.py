"""Parser speed: p50/p99 per note (warm) and the ratio against dateparser.search.search_dates.

Notes: the shared dev examples plus tests/data/notes_eval.jsonl and tests/data/parsing_eval.jsonl
(the issue-12 set: money, deadlines, festivals, periods, plans), the same notes for both.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.parsing import parse_note  # noqa: E402

NOW = datetime.fromisoformat("2026-11-25T17:30:00+08:00")
TZ = ZoneInfo("Asia/Shanghai")


def notes() -> list[str]:
    paths = [ROOT.parent / "shared" / "examples" / "notes_dev.jsonl", ROOT / "tests" / "data" / "notes_eval.jsonl",
             ROOT / "tests" / "data" / "parsing_eval.jsonl"]
    return [json.loads(line)["text"] for path in paths if path.exists()
            for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def timings(function, texts: list[str], rounds: int) -> list[float]:
    for text in texts:  # warm up
        function(text)
    samples = []
    for _ in range(rounds):
        for text in texts:
            start = time.perf_counter()
            function(text)
            samples.append(time.perf_counter() - start)
    return samples


def percentile(samples: list[float], q: float) -> float:
    return statistics.quantiles(samples, n=100)[int(q) - 1]


def main() -> None:
    from dateparser.search import search_dates

    texts = notes()
    ours = timings(lambda text: parse_note(text, NOW, TZ), texts, rounds=10)
    settings = {"RELATIVE_BASE": NOW.replace(tzinfo=None)}
    theirs = timings(lambda text: search_dates(text, languages=["en", "zh"], settings=settings), texts, rounds=3)
    p50, p99 = percentile(ours, 50) * 1e3, percentile(ours, 99) * 1e3
    d50 = percentile(theirs, 50) * 1e3
    print(f"parser: {len(texts)} notes x 10 rounds (search_dates x 3), warm")
    print(f"  parse_note           p50 {p50:.3f} ms   p99 {p99:.3f} ms   mean {statistics.mean(ours) * 1e3:.3f} ms")
    print(f"  search_dates (en,zh) p50 {d50:.3f} ms   p99 {percentile(theirs, 99) * 1e3:.3f} ms")
    print(f"  ratio (search_dates p50 / parse_note p50): {d50 / p50:.1f}x   target: p50 < 0.5 ms and >= 5x")


if __name__ == "__main__":
    main()

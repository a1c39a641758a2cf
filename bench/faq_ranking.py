"""FAQ ranking: question-to-ranking p50/p99 with the FAQ loaded, and the accuracy table
(top-1, top-3, abstention) on our own evaluation set (tests/data/faq_eval.jsonl)."""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.faq import FaqIndex, load_faq  # noqa: E402


def main() -> None:
    start = time.perf_counter()
    index = FaqIndex(load_faq())
    load_ms = (time.perf_counter() - start) * 1e3
    rows = [json.loads(line) for line in (ROOT / "tests" / "data" / "faq_eval.jsonl").read_text("utf-8").splitlines()]
    for row in rows:  # warm
        index.rank(row["q"])
    samples = []
    for _ in range(20):
        for row in rows:
            begin = time.perf_counter()
            index.rank(row["q"])
            samples.append(time.perf_counter() - begin)
    quantiles = statistics.quantiles(samples, n=100)
    print(f"faq: {len(index.entries)} entries loaded and indexed in {load_ms:.0f} ms")
    print(f"  question -> ranking p50 {quantiles[49] * 1e3:.3f} ms   p99 {quantiles[98] * 1e3:.3f} ms   target p50 < 1 ms")
    print("  accuracy on tests/data/faq_eval.jsonl:")
    print("  lang  in-scope  top-1   top-3   out-of-scope  abstained")
    for lang in ("en", "zh", "all"):
        subset = [r for r in rows if lang == "all" or r["lang"] == lang]
        scoped = [r for r in subset if r["id"]]
        outside = [r for r in subset if not r["id"]]
        top1 = sum(index.rank(r["q"]).answer_id == r["id"] for r in scoped) / len(scoped)
        top3 = sum(r["id"] in index.rank(r["q"]).ranked[:3] for r in scoped) / len(scoped)
        abstained = sum(index.rank(r["q"]).answer_id is None for r in outside) / max(len(outside), 1)
        print(f"  {lang:<4}  {len(scoped):>8}  {top1:.3f}   {top3:.3f}   {len(outside):>12}  {abstained:.3f}")


if __name__ == "__main__":
    main()

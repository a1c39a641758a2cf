"""The insurance-cover reader against a held-out table (tests/data/insurance_eval.jsonl).

The table was written before the reader was extended (issue 19's insurance holdings) and is not used
by the unit tests. Per field of each expected cover: right, missing (nothing filled in, or the bot
asks) and **silently wrong** (a value that is not the expected one). A cover found where the note
holds none (保险箱, 社保, a need, a proposal) counts as silently wrong; an expected cover not found
counts every field missing.

    .venv/bin/python bench/insurance_eval.py [--wrong] [PATH]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.parsing.profile import find_profile  # noqa: E402

DEFAULT = ROOT / "tests" / "data" / "insurance_eval.jsonl"
TODAY = date(2026, 11, 30)
FIELDS = ("insured", "name", "sum", "premium", "period", "term_years", "to_age", "currency")
RIGHT, MISSING, WRONG = "right", "missing", "wrong"


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _found(text: str) -> list[dict]:
    covers = []
    for cover in find_profile(text, TODAY).covers:
        covers.append({"insured": cover.insured, "name": cover.insured_name, "kind": cover.kind,
                       "sum": cover.sum_insured, "premium": cover.premium,
                       "period": getattr(cover, "premium_period", "year" if cover.premium is not None else None),
                       "term_years": cover.term_years, "to_age": getattr(cover, "term_to_age", None),
                       "currency": cover.currency or ("CNY" if cover.sum_insured or cover.premium else None)})
    return covers


def judge(row: dict) -> tuple[Counter, list[str]]:
    """(verdict counts, what was wrong) for one row."""
    counts: Counter = Counter()
    wrong: list[str] = []
    found = _found(row["text"])
    for want in row["covers"]:
        have = next((c for c in found if c["kind"] == want["kind"] and c["insured"] == want["insured"]), None) \
            or next((c for c in found if c["kind"] == want["kind"]), None)
        if have is None:
            counts["cover_missing"] += 1
            counts[MISSING] += len(FIELDS)
            continue
        found.remove(have)
        counts["cover_found"] += 1
        for field in FIELDS:
            expected, got = want.get(field), have.get(field)
            if field == "currency" and want["sum"] is None and want["premium"] is None:
                continue
            if got == expected or (isinstance(got, float) and expected is not None and abs(got - expected) < 1e-6):
                counts[RIGHT] += 1
            elif got is None:
                counts[MISSING] += 1
            else:
                counts[WRONG] += 1
                wrong.append(f"{field}: {got!r} (expected {expected!r})")
    for extra in found:
        counts["cover_spurious"] += 1
        counts[WRONG] += 1
        wrong.append(f"spurious cover {extra['kind']} for {extra['insured']}")
    return counts, wrong


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--wrong", action="store_true", help="print every silently wrong and missing row")
    args = parser.parse_args()
    total: Counter = Counter()
    for row in load(args.path):
        counts, wrong = judge(row)
        total += counts
        if args.wrong and (wrong or counts["cover_missing"] or counts[MISSING]):
            print(f"- {row['text']}\n    " + "; ".join(wrong + [f"{counts[MISSING]} missing"]))
    fields = total[RIGHT] + total[MISSING] + total[WRONG]
    print(f"rows {len(load(args.path))}; covers expected {total['cover_found'] + total['cover_missing']}, "
          f"found {total['cover_found']}, missing {total['cover_missing']}, spurious {total['cover_spurious']}")
    print(f"fields {fields}: right {total[RIGHT]} ({total[RIGHT] / fields:.0%}), missing {total[MISSING]}, "
          f"silently wrong {total[WRONG]} ({total[WRONG] / fields:.1%})")


if __name__ == "__main__":
    main()

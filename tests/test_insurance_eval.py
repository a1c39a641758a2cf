"""Regression guard on the insurance evaluation tables (tests/data/insurance_eval*.jsonl): silently
wrong fields and spurious covers may only go down, found covers only up. bench/insurance_eval.py
prints the table."""

from __future__ import annotations

import importlib.util
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("insurance_eval", ROOT / "bench" / "insurance_eval.py")
assert _spec is not None and _spec.loader is not None
insurance_eval = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(insurance_eval)

#: (set, at least this many covers found, at most this many silently wrong fields): measured when the
#: reader landed. Lower the wrong, raise the found; never the other way.
FLOORS = [("insurance_eval.jsonl", 33, 0), ("insurance_eval_heldout.jsonl", 20, 0),
          ("insurance_eval_heldout2.jsonl", 14, 0)]


@pytest.mark.parametrize("name,min_found,max_wrong", FLOORS)
def test_the_insurance_reader_is_never_more_silently_wrong(name: str, min_found: int, max_wrong: int):
    total: Counter = Counter()
    wrong: list[str] = []
    for row in insurance_eval.load(ROOT / "tests" / "data" / name):
        counts, said = insurance_eval.judge(row)
        total += counts
        wrong += [f"{row['text']}: {w}" for w in said]
    assert total[insurance_eval.WRONG] <= max_wrong, wrong
    assert total["cover_spurious"] == 0, wrong
    assert total["cover_found"] >= min_found

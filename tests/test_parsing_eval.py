"""Regression guard on the independent evaluation set (tests/data/parsing_eval.jsonl, issue 12):
the count of silently wrong fields may only go down. bench/parsing_eval.py prints the full table."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("parsing_eval", ROOT / "bench" / "parsing_eval.py")
parsing_eval = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(parsing_eval)

#: Measured when the set arrived: 8 of 5,040 fields (six client names, two needs) and 546 whole
#: notes; after client matching landed, 3 (one name, two needs) and 553. Lower it as they are
#: fixed, never raise it.
MAX_SILENTLY_WRONG = 3
MIN_WHOLE_NOTES_RIGHT = 553


def test_silently_wrong_fields_do_not_grow():
    result = parsing_eval.evaluate(parsing_eval.load(parsing_eval.DEFAULT))
    overall = result["overall"]
    assert overall["notes"] >= 400
    assert overall[parsing_eval.WRONG] <= MAX_SILENTLY_WRONG, [row["id"] for row, _ in result["wrong_rows"]]
    assert overall["whole"] >= MIN_WHOLE_NOTES_RIGHT


def test_dates_and_money_are_never_silently_wrong():
    """The fields this parser's date and money rules own: right or null (asked), never a guess."""
    result = parsing_eval.evaluate(parsing_eval.load(parsing_eval.DEFAULT))
    owned = ("occurred_on", "amount", "amount_max", "currency", "follow_up_on", "follow_up_time")
    for field in owned:
        assert result["per_field"][field][parsing_eval.WRONG] == 0, field

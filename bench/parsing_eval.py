"""The parser against an evaluation set written from the rules alone (tests/data/parsing_eval.jsonl).

Per field: right, null (missing: the bot filled nothing, or asked) and **silently wrong** (a value
that is not the expected one, including a value where null was expected); whole notes right;
overall and per `form`. Targets (issue 12): whole notes right >= 95%, silently wrong <= 1% of fields.

    .venv/bin/python bench/parsing_eval.py [--forms] [--wrong] [PATH]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.parsing import parse_note  # noqa: E402

DEFAULT = ROOT / "tests" / "data" / "parsing_eval.jsonl"
TZ = ZoneInfo("Asia/Shanghai")
FIELDS = ("client", "channel", "occurred_on", "needs", "amount", "amount_max", "currency", "follow_up_on",
          "follow_up_time")
RIGHT, NULL, WRONG = "right", "null", "wrong"


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _norm(name: str | None) -> str | None:
    return None if name is None else "".join(ch for ch in name.lower() if ch.isalnum() or ch == "&")


def judge(row: dict) -> dict[str, str]:
    """{field: right | null | wrong} for one row."""
    got = parse_note(row["text"], datetime.fromisoformat(row["now"]), TZ).to_json()
    verdicts = {}
    for field in FIELDS:
        want, have = row.get(field), got.get(field)
        if field == "client":
            accepted = {_norm(name) for name in (want or [])}
            if not accepted:
                verdicts[field] = RIGHT if have is None else WRONG
            else:
                verdicts[field] = RIGHT if _norm(have) in accepted else (NULL if have is None else WRONG)
            continue
        if field == "needs":
            want, have = sorted(want or []), sorted(have or [])
            verdicts[field] = RIGHT if want == have else (NULL if not have else WRONG)
            continue
        if isinstance(want, (int, float)) and isinstance(have, (int, float)):
            same = abs(want - have) < 1e-6
        else:
            same = want == have
        verdicts[field] = RIGHT if same else (NULL if have is None else WRONG)
    return verdicts


def evaluate(rows: list[dict]) -> dict:
    """Counts overall and per form, and the rows with a silently wrong field."""
    overall = defaultdict(int)
    per_field = {field: defaultdict(int) for field in FIELDS}
    per_form: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    wrong_rows = []
    for row in rows:
        verdicts = judge(row)
        whole = all(v == RIGHT for v in verdicts.values())
        form = per_form[row.get("form", "?")]
        form["notes"] += 1
        form["whole"] += whole
        overall["notes"] += 1
        overall["whole"] += whole
        for field, verdict in verdicts.items():
            per_field[field][verdict] += 1
            overall[verdict] += 1
            form[verdict] += 1
        if any(v == WRONG for v in verdicts.values()):
            wrong_rows.append((row, verdicts))
    return {"overall": overall, "per_field": per_field, "per_form": per_form, "wrong_rows": wrong_rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", default=str(DEFAULT))
    parser.add_argument("--forms", action="store_true", help="a line per form")
    parser.add_argument("--wrong", action="store_true", help="list the silently wrong fields")
    args = parser.parse_args()
    rows = load(Path(args.path))
    result = evaluate(rows)
    overall, fields = result["overall"], len(rows) * len(FIELDS)
    print(f"parsing evaluation: {len(rows)} notes, {fields} fields ({Path(args.path).name})")
    print(f"{'field':<16}{'right':>8}{'null':>8}{'wrong':>8}")
    for field, counts in result["per_field"].items():
        print(f"{field:<16}{counts[RIGHT]:>8}{counts[NULL]:>8}{counts[WRONG]:>8}")
    print(f"{'all fields':<16}{overall[RIGHT]:>8}{overall[NULL]:>8}{overall[WRONG]:>8}")
    print(f"whole notes right: {overall['whole']}/{overall['notes']} = {overall['whole'] / overall['notes']:.1%}"
          f"   (target >= 95%)")
    print(f"silently wrong: {overall[WRONG]}/{fields} fields = {overall[WRONG] / fields:.2%}   (target <= 1%)")
    if args.forms:
        print(f"\n{'form':<28}{'notes':>6}{'whole':>7}{'null':>6}{'wrong':>7}")
        for form, counts in sorted(result["per_form"].items()):
            print(f"{form:<28}{counts['notes']:>6}{counts['whole']:>7}{counts[NULL]:>6}{counts[WRONG]:>7}")
    if args.wrong:
        print()
        for row, verdicts in result["wrong_rows"]:
            got = parse_note(row["text"], datetime.fromisoformat(row["now"]), TZ).to_json()
            bad = {f: (row.get(f), got.get(f)) for f, v in verdicts.items() if v == WRONG}
            print(f"{row['id']} [{row['now'][:16]}] {row['text']}\n    want/got {bad}")


if __name__ == "__main__":
    main()

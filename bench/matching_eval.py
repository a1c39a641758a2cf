"""Client matching on the independent evaluation set (tests/data/matching_eval/, issue 11).

Each note is parsed and matched with the code the bot runs (parse_note, then match_note) against
its client list, and scored:

- right: filed under exactly the expected clients, no question (for a note about nobody on the
  list: not filed under anyone);
- asked: a question whose buttons include every expected client (for a note about nobody on the
  list, a question is fine: "new client" is one tap);
- new-instead-of-existing: an expected client was neither filed nor offered, a new one was made;
- missing: an expected client was neither filed nor offered, and no new client either;
- silently wrong: filed under an existing client the note is not about. Target 0.

Also "asked among own_words notes" (the client is on the list in the RM's own words): target ≤ 10%.
Run: .venv/bin/python bench/matching_eval.py [--show CATEGORY]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.client_matching import match_note, read_client_list  # noqa: E402
from bot.parsing import parse_note  # noqa: E402

DATA = ROOT / "tests" / "data" / "matching_eval"
NOW = datetime.fromisoformat("2026-11-25T17:30:00+08:00")
TZ = ZoneInfo("Asia/Shanghai")
CATEGORIES = ("right", "asked", "new-instead-of-existing", "missing", "silently wrong")


def load(data: Path = DATA) -> tuple[list[dict], dict[str, list]]:
    notes = [json.loads(line) for line in (data / "notes.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    lists = {path.name: read_client_list(path.read_text(encoding="utf-8")) for path in data.glob("clients_*.txt")}
    return notes, lists


def score(note: dict, clients: list) -> tuple[str, dict]:
    """The category of one note, and what the bot did (for --show)."""
    parsed = parse_note(note["text"], NOW, TZ)
    matches = match_note(parsed.clients, note["text"], clients)
    filed = {m.client.name for m in matches if m.client is not None}
    offered = {c.name for m in matches if m.kind == "ask" for c in m.clients}
    asked = any(m.kind == "ask" for m in matches)
    created = any(m.kind == "new" for m in matches)
    expect = set(note["expect"])
    did = {"names": list(parsed.clients), "filed": sorted(filed), "asked": sorted(offered) if asked else None,
           "new": [m.name for m in matches if m.kind == "new"]}
    if filed - expect:
        return "silently wrong", did
    if not expect:
        return ("asked" if asked else "right"), did
    if expect <= filed and not asked:
        return "right", did
    if expect <= filed | offered:
        return "asked", did
    return ("new-instead-of-existing" if created else "missing"), did


def evaluate(data: Path = DATA) -> dict:
    notes, lists = load(data)
    overall: Counter[str] = Counter()
    by_rule: dict[str, Counter[str]] = defaultdict(Counter)
    own_words = own_asked = 0
    rows = []
    for note in notes:
        category, did = score(note, lists[note["clients"]])
        overall[category] += 1
        by_rule[note["rule"]][category] += 1
        if note.get("own_words"):
            own_words += 1
            own_asked += did["asked"] is not None
        rows.append((note, category, did))
    return {"overall": overall, "by_rule": by_rule, "own_words": own_words, "own_asked": own_asked,
            "rows": rows, "total": len(notes)}


def _line(label: str, counts: Counter[str]) -> str:
    total = sum(counts.values())
    cells = "".join(f"{counts[c]:>8}" for c in CATEGORIES)
    return f"{label:<22}{total:>6}{cells}   right {counts['right'] / total:6.1%}"


def main() -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--show", choices=CATEGORIES, action="append", default=[],
                         help="print the notes of this category")
    options.add_argument("--data", type=Path, default=DATA,
                         help="a folder of clients_*.txt and notes.jsonl (default: the first set)")
    args = options.parse_args()
    result = evaluate(args.data)
    header = "".join(f"{c[:8]:>8}" for c in ("right", "asked", "new-inst", "missing", "WRONG"))
    print(f"client matching on {result['total']} notes ({args.data})")
    print(f"{'rule':<22}{'notes':>6}{header}")
    print(_line("overall", result["overall"]))
    for rule, counts in sorted(result["by_rule"].items(), key=lambda item: -sum(item[1].values())):
        print(_line(rule, counts))
    share = result["own_asked"] / result["own_words"] if result["own_words"] else 0.0
    print(f"asked among own_words notes: {result['own_asked']}/{result['own_words']} = {share:.1%} (target ≤ 10%)")
    print(f"silently wrong: {result['overall']['silently wrong']} (target 0)")
    for note, category, did in result["rows"]:
        if category in args.show:
            print(f"[{category}] {note['id']} {note['rule']} {note['text']!r} expect={note['expect']} "
                  f"own={note.get('own_words')} got={did}  # {note['why']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

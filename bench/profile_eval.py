"""Profile extraction on held-out notes (written after the rules, never tuned on): per fact kind,
right / missing (null, the RM adds it) / silently wrong (a value that is not what the note says).

A fact is "right" when the expected value is found; "missing" when nothing is found for it;
"wrong" when a value is found that the note does not say (a wrong value, or one where none is due).
"""

from __future__ import annotations

import sys
from collections import Counter
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.parsing.profile import find_profile  # noqa: E402

TODAY = date(2026, 11, 25)

#: (note, expected) — family: {(relation, name or None, "MM-DD"/"L MM-DD"/None)}; others as found.
NOTES: list[tuple[str, dict]] = [
    ("陈总儿子陈浩 2008-09-12 在英国读高中", {"family": {("son", "陈浩", "09-12")}}),
    ("赵姐的女儿明年中考，叫小美", {"family": {("daughter", None, None)}}),
    ("孙总老婆李娜生日是5月20日", {"family": {("wife", "李娜", "05-20")}}),
    ("周总母亲过农历生日，正月初六", {"family": {("mother", None, "L 01-06")}}),
    ("吴总的父亲今年80岁", {"family": {("father", None, None)}}),
    ("Mrs Lin's son Jack goes to Nanyang Primary", {"family": {("son", "Jack", None)}}),
    ("Mr Wu's wife Grace, birthday 12 August", {"family": {("wife", "Grace", "08-12")}}),
    ("郑总风险测评结果是平衡型", {"risk": 3}),
    ("何姐风险承受能力较低，保守型", {"risk": 1}),
    ("冯总说自己风格比较激进，测评C5", {"risk": 5}),
    ("Ms Zhou's risk profile: growth", {"risk": 4}),
    ("Mr Ho took the risk questionnaire, came out moderately conservative", {"risk": 2}),
    ("王总做生意很稳健", {"risk": None}),
    ("许总喜欢打高尔夫，周末常去球场", {"hobbies": {"打高尔夫"}}),
    ("沈姐爱好摄影", {"hobbies": {"摄影"}}),
    ("Mr Tan loves fishing", {"hobbies": {"fishing"}}),
    ("韩总上班时间不方便接电话，发微信就好", {"channel": "message"}),
    ("曹总习惯晚上打电话沟通", {"channel": "call", "time": "evening"}),
    ("Mr Lee prefers email, never call on weekends", {"channel": "email", "cautions": 1}),
    ("Ms Ng is best reached on WhatsApp after work", {"channel": "message", "time": "off_hours"}),
    ("彭总不喜欢别人提他前妻", {"cautions": 1}),
    ("邓总的账户和他太太的分开，注意保密", {"cautions": 1}),
    ("Mr Kwok: avoid talking about politics", {"cautions": 1}),
    ("吕总他行有大额存单500万", {"other_bank": {("DEPOSIT", 5_000_000.0)}}),
    ("Ms Yeung keeps 1m in funds at HSBC Bank", {"other_bank": {("FUND", 1_000_000.0)}}),
    ("拜访蒋总，需要理财，下周回访", {}),
    ("called Mr Ma about the LC, follow up Friday", {}),
    ("电话林总，他太太要开户", {}),
    ("visited Mr Song, his son wants a car loan", {}),
    ("马总给儿子买了教育金，年缴5万", {"covers": {("son", "education")}}),
]
KINDS = ("family", "risk", "hobbies", "channel", "time", "cautions", "other_bank", "covers")


def found_values(text: str) -> dict:
    facts = find_profile(text, TODAY)

    def day(b):
        if b is None:
            return None
        return f"{'L ' if b.lunar else ''}{b.month:02d}-{b.day:02d}"

    return {
        "family": {(m.relation, m.name, day(m.birthday)) for m in facts.family},
        "risk": facts.risk_level, "hobbies": set(facts.hobbies), "channel": facts.preferred_channel,
        "time": facts.preferred_time, "cautions": len(facts.cautions),
        "other_bank": {(a.product, a.amount) for a in facts.other_bank},
        "covers": {(c.insured, c.kind) for c in facts.covers},
    }


def main() -> None:
    tally: dict[str, Counter] = {kind: Counter() for kind in KINDS}
    wrong_examples = []
    for text, expected in NOTES:
        got = found_values(text)
        for kind in KINDS:
            want = expected.get(kind)
            have = got[kind]
            empty = have in (None, set(), 0)
            if want in (None, set(), 0):
                if not empty:
                    tally[kind]["wrong"] += 1
                    wrong_examples.append((text, kind, have))
                else:
                    tally[kind]["right (none)"] += 1
                continue
            if have == want:
                tally[kind]["right"] += 1
            elif empty:
                tally[kind]["missing"] += 1
            else:
                tally[kind]["wrong"] += 1
                wrong_examples.append((text, kind, have))
    print(f"profile facts on {len(NOTES)} held-out notes (right / right-none / missing / silently wrong):")
    totals = Counter()
    for kind in KINDS:
        counts = tally[kind]
        totals.update(counts)
        print(f"  {kind:<11} {counts['right']:>3} / {counts['right (none)']:>3} / {counts['missing']:>3} / "
              f"{counts['wrong']:>3}")
    print(f"  {'all':<11} {totals['right']:>3} / {totals['right (none)']:>3} / {totals['missing']:>3} / "
          f"{totals['wrong']:>3}")
    for text, kind, have in wrong_examples:
        print(f"  wrong: {text!r} {kind} = {have!r}")


if __name__ == "__main__":
    main()

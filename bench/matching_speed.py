"""Client matching speed: one note against 1,000 clients (target p50 < 5 ms).

The clients are the evaluation lists (tests/data/matching_eval/) topped up to 1,000 with seeded
made-up names in both scripts, titles and companies; the notes are the evaluation notes, already
parsed (parsing has its own bench). "warm" is the bot's steady state: a client's name keys are
cached once computed and the index of the RM's list kept. "a client added" changes the list before
each note (the index is updated in place); "built anew" drops the index before each note (name keys
cached); "cold" also clears the name keys (a restart), for the first note only.
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot import client_matching  # noqa: E402
from bot.client_matching import match_note, name_keys, read_client_list  # noqa: E402
from bot.parsing import parse_note  # noqa: E402
from bot.records import Client  # noqa: E402

DATA = ROOT / "tests" / "data" / "matching_eval"
NOW = datetime.fromisoformat("2026-11-25T17:30:00+08:00")
TZ = ZoneInfo("Asia/Shanghai")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛严段雷侯龙史陶黎贺顾毛郝龚邵万钱覃武戴莫孔汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红玉兰海波晨凯雪梅宇浩然"
TITLES = ["总", "经理", "女士", "先生", "姐", "董", "", "", ""]
LATIN = ["Wang", "Li", "Zhang", "Liu", "Chen", "Wong", "Chan", "Lee", "Ng", "Tan", "Lim", "Lau", "Ho", "Cheung"]
FIRST = ["Sarah", "David", "Helen", "Michael", "Grace", "Tony", "Vivian", "Kenny", "Amy", "Peter", "Linda", "Eric"]


def roster(size: int = 1000) -> list[Client]:
    names: dict[str, tuple[str, ...]] = {}
    for path in sorted(DATA.glob("clients_*.txt")):
        for client in read_client_list(path.read_text(encoding="utf-8")):
            names.setdefault(client.name, client.aliases)
    rng = random.Random(11)
    while len(names) < size:
        kind = rng.random()
        if kind < 0.6:
            name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((0, 1, 2))))
            name += rng.choice(TITLES) if len(name) == 1 else rng.choice(["", "", "总"])
        elif kind < 0.85:
            name = f"{rng.choice(FIRST)} {rng.choice(LATIN)}"
        else:
            name = "".join(rng.choice(GIVEN) for _ in range(2)) + rng.choice(["科技", "贸易", "食品", "物流", "化工"])
        if len(name) > 1:
            names.setdefault(name, ())
    return [Client(number, name, aliases) for number, (name, aliases) in enumerate(names.items(), start=1)]


def main() -> int:
    clients = roster()
    notes = [json.loads(line)["text"] for line in (DATA / "notes.jsonl").read_text(encoding="utf-8").splitlines()
             if line.strip()]
    parsed = [(parse_note(text, NOW, TZ).clients, text) for text in notes]

    name_keys.cache_clear()
    start = time.perf_counter()
    match_note(parsed[0][0], parsed[0][1], clients)
    cold = time.perf_counter() - start

    for names, text in parsed:  # warm up
        match_note(names, text, clients)
    samples = []
    for _ in range(3):
        for names, text in parsed:
            start = time.perf_counter()
            match_note(names, text, clients)
            samples.append(time.perf_counter() - start)
    added = []
    growing = list(clients)
    for number, (names, text) in enumerate(parsed):  # a new client since the last note: the index is updated
        growing = [*growing, Client(100_000 + number, f"新客户{number}号")]
        start = time.perf_counter()
        match_note(names, text, growing)
        added.append(time.perf_counter() - start)
    rebuilt = []
    for names, text in parsed[:200]:  # no index kept (another RM's list, or evicted): built anew
        client_matching._INDEXES.clear()
        start = time.perf_counter()
        match_note(names, text, clients)
        rebuilt.append(time.perf_counter() - start)
    print(f"client matching: {len(clients)} clients, {len(samples)} notes matched")
    for label, values in (("warm", samples), ("a client added since the last note", added),
                          ("index built anew", rebuilt)):
        values.sort()
        p50 = statistics.median(values) * 1000
        p99 = values[int(len(values) * 0.99)] * 1000
        print(f"  {label}: p50 {p50:.2f} ms  p99 {p99:.2f} ms  (target p50 < 5 ms)")
    print(f"  cold (name keys not cached, first note) {cold * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

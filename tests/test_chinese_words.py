"""The compact word list (bot/chinese_words.py) is jieba's own: the same counts for every key jieba
keeps, no key it does not, the same cuts, and words added to one segmenter stay in it."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import jieba
import pytest

from bot.chinese_words import segmenter, word_counts
from bot.faq import load_faq

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def jiebas_own() -> jieba.Tokenizer:
    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


def _texts() -> list[str]:
    found = []
    for entry in load_faq():
        found += [entry.title_zh, entry.answer_zh, *entry.questions_zh, *entry.keywords_zh]
    for path in sorted(DATA.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            found.append(row.get("q") or row.get("text") or "")
    return found


def test_every_word_and_prefix_jieba_keeps_has_its_count(jiebas_own: jieba.Tokenizer) -> None:
    counts, total = word_counts()
    assert total == jiebas_own.total
    wrong = [key for key, count in jiebas_own.FREQ.items() if counts.get(key) != count]
    assert wrong == [], wrong[:10]


def test_no_key_jieba_does_not_keep(jiebas_own: jieba.Tokenizer) -> None:
    counts, _ = word_counts()
    fragments = {text[start:start + size] for text in _texts() for size in range(1, 7)
                 for start in range(len(text) - size + 1)}
    extra = sorted(f for f in fragments if f not in jiebas_own.FREQ and f in counts)
    assert extra == [], extra[:10]
    assert len(fragments) > 20_000, "enough fragments to mean something"


def test_cuts_are_jiebas(jiebas_own: jieba.Tokenizer) -> None:
    compact = segmenter()
    differ = [text for text in _texts() if compact.lcut(text, HMM=False) != jiebas_own.lcut(text, HMM=False)]
    assert differ == [], differ[:5]


def test_a_word_added_to_one_segmenter_stays_there() -> None:
    one, other = segmenter(), segmenter()
    one.add_word("基本存款账户")
    assert one.lcut("基本存款账户", HMM=False) == ["基本存款账户"]
    assert other.lcut("基本存款账户", HMM=False) != ["基本存款账户"]
    assert "基本存款账户" not in word_counts()[0]

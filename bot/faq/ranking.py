"""FAQ ranking for Chinese and English questions (pure: entries and a question in, ids out).

SQLite FTS5 cannot do this: its default tokenizer finds nothing in Chinese and trigrams miss
two-character words (理财, 开户). So: English words (lightly stemmed), Chinese character bigrams
plus down-weighted unigrams, product codes from the shared catalog (so "LC", "信用证" and
"letter of credit" are one term), scored BM25-style over every phrasing, keyword and title of an
entry, with a typo fallback. The bot abstains when too little of the question is covered.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.faq.entries import FaqEntry
from bot.parsing.products import find_products

K1, B = 1.2, 0.75
#: Below this share of the question's weight found in the best entry, the bot abstains.
ABSTAIN_BELOW = 0.30
#: ... and below this raw score.
MIN_SCORE = 4.0
FIELD_WEIGHTS = {"question": 1.0, "keyword": 2.0, "title": 2.0, "answer": 0.3}

_EN_STOP = set("""
a an the is are am was were be been being do does did doing i me my we our you your he she his her it its they
them their this that these those what which who whom whose how when where why can could may might must shall
should will would to of in on at for from by with about as and or but if so not no any some there here than then
into out up down over under again just also too very please tell explain know need needs want wants get got let
allowed ok okay thing things something anything really actually one s t don doesn isn aren
""".split())
_ZH_STOP_CHARS = set("的了吗呢吧啊么是我你他她它们在和与或就都也还要有个这那哪谁啥么该请问一下")
_ZH_STOP_BIGRAMS = {"什么", "怎么", "怎样", "如何", "可以", "是否", "能不", "不能", "能否", "哪些", "为什", "一下",
                    "请问", "我们", "他们", "是不", "不是", "要不", "不要", "有没", "没有", "应该", "需要", "一个"}
_WORD = re.compile(r"[a-z][a-z0-9]*(?:'[a-z]+)?|\d+")
_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
UNIGRAM_WEIGHT = 0.35
PRODUCT_WEIGHT = 1.5
UNKNOWN_BIGRAM_WEIGHT = 0.3


def _stem(word: str) -> str:
    word = word.split("'")[0]
    for suffix, replacement in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            return word[: -len(suffix)] + replacement
    return word


def terms(text: str) -> list[tuple[str, float]]:
    """(term, weight) pairs of a text: words, CJK bigrams and unigrams, product codes."""
    lowered = text.lower()
    found: list[tuple[str, float]] = [(f"p:{m.code}", PRODUCT_WEIGHT) for m in find_products(text)]
    for word in _WORD.findall(lowered):
        if word not in _EN_STOP and len(word) > 1:
            found.append((f"w:{_stem(word)}", 1.0))
    for run in _CJK_RUN.findall(text):
        for index, char in enumerate(run):
            if char not in _ZH_STOP_CHARS:
                found.append((f"u:{char}", UNIGRAM_WEIGHT))
            pair = run[index:index + 2]
            if len(pair) == 2 and pair not in _ZH_STOP_BIGRAMS:
                found.append((f"b:{pair}", 1.0))
    return found


@dataclass(frozen=True)
class Ranking:
    answer_id: str | None
    ranked: tuple[str, ...]
    score: float
    coverage: float

    def to_json(self) -> dict:
        return {"answer_id": self.answer_id, "ranked": list(self.ranked), "score": round(self.score, 3)}


class FaqIndex:
    """BM25 statistics over the entries; `rank` is a pure function of the question."""

    def __init__(self, entries: list[FaqEntry]) -> None:
        self.entries = {entry.id: entry for entry in entries}
        self._tf: dict[str, defaultdict[str, float]] = {}
        self._length: dict[str, float] = {}
        document_frequency: Counter[str] = Counter()
        for entry in entries:
            counts: defaultdict[str, float] = defaultdict(float)
            for field, texts in (("question", entry.questions_en + entry.questions_zh),
                                 ("keyword", entry.keywords_en + entry.keywords_zh),
                                 ("title", [entry.title_en, entry.title_zh]),
                                 ("answer", [entry.answer_en, entry.answer_zh])):
                for text in texts:
                    for term, weight in terms(text):
                        counts[term] += FIELD_WEIGHTS[field] * weight
            self._tf[entry.id] = counts
            self._length[entry.id] = sum(counts.values())
            document_frequency.update(counts.keys())
        total = max(len(entries), 1)
        self._average_length = sum(self._length.values()) / total
        self._idf = {term: math.log(1 + (total - df + 0.5) / (df + 0.5)) for term, df in document_frequency.items()}
        self._unknown_idf = math.log(1 + (total + 0.5) / 0.5)
        self._words = sorted({term[2:] for term in self._idf if term.startswith("w:")})

    def _known(self, term: str) -> str | None:
        """The term itself, or for an unknown English word the closest known one (typos)."""
        if term in self._idf:
            return term
        if term.startswith("w:") and len(term) >= 6:
            match = process.extractOne(term[2:], self._words, scorer=fuzz.ratio, score_cutoff=85)
            if match:
                return f"w:{match[0]}"
        return None

    def rank(self, question: str) -> Ranking:
        query: defaultdict[str, float] = defaultdict(float)
        total_weight = 0.0
        for term, weight in terms(question[:500]):
            known = self._known(term)
            # single characters help ranking but are no evidence the question is covered
            evidence = not term.startswith("u:")
            if known is None:
                if term.startswith("b:"):
                    weight *= UNKNOWN_BIGRAM_WEIGHT
                total_weight += weight * self._unknown_idf * evidence
                continue
            query[known] += weight
            total_weight += weight * self._idf[known] * evidence
        scores: dict[str, float] = {}
        covered: dict[str, float] = {}
        for entry_id, counts in self._tf.items():
            score = matched = 0.0
            norm = K1 * (1 - B + B * self._length[entry_id] / self._average_length)
            for term, weight in query.items():
                tf = counts.get(term)
                if tf:
                    idf = self._idf[term]
                    score += weight * idf * tf * (K1 + 1) / (tf + norm)
                    matched += weight * idf * (not term.startswith("u:"))
            scores[entry_id], covered[entry_id] = score, matched
        ranked = tuple(sorted(scores, key=lambda key: (-scores[key], key)))
        best = ranked[0] if ranked else None
        coverage = covered[best] / total_weight if best and total_weight else 0.0
        confident = best is not None and scores[best] >= MIN_SCORE and coverage >= ABSTAIN_BELOW
        return Ranking(best if confident else None, ranked, scores[best] if best else 0.0, coverage)

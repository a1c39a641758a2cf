"""Regression guards on the round-2 sets (tests/data/round2, README there): written this session by
helpers who never read the code. The counts of silently wrong values may only go down; bench/
parsing_eval.py, bench/matching_eval.py --data and bench/faq_ranking.py print the full tables."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

from bot.faq import FaqIndex, load_faq

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "round2"


def _bench(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _rows(name: str) -> list[dict]:
    return [json.loads(line) for line in (DATA / name).read_text("utf-8").splitlines() if line.strip()]


#: First scored at 38 of 1,980 fields (173 whole notes); at the end of the session that wrote it, 5
#: (202). Lower as fixed, never raise.
MAX_PARSING_WRONG = 5
MIN_PARSING_WHOLE = 202
#: Of 90 near-domain questions, 4 answered when first scored, 5 now: the target is at most 5%.
MAX_NEAR_DOMAIN_ANSWERED = 5


def test_parsing_silently_wrong_fields_do_not_grow() -> None:
    parsing_eval = _bench("parsing_eval")
    result = parsing_eval.evaluate(parsing_eval.load(DATA / "parsing.jsonl"))
    overall = result["overall"]
    assert overall["notes"] == 220
    assert overall[parsing_eval.WRONG] <= MAX_PARSING_WRONG, [row["id"] for row, _ in result["wrong_rows"]]
    assert overall["whole"] >= MIN_PARSING_WHOLE


def test_no_note_is_filed_under_a_client_it_is_not_about() -> None:
    result = _bench("matching_eval").evaluate(DATA / "matching")
    assert result["total"] == 150
    assert result["overall"]["silently wrong"] == 0
    assert result["overall"]["missing"] + result["overall"]["new-instead-of-existing"] == 0


def test_the_faq_never_answers_a_paraphrase_with_another_topic_and_rarely_a_near_one() -> None:
    index = FaqIndex(load_faq())
    paraphrases = _rows("faq_paraphrases.jsonl")
    wrong = [r["q"] for r in paraphrases if index.rank(r["q"]).answer_id not in (None, r["id"])]
    assert wrong == []
    answered = [r["q"] for r in _rows("faq_near_domain.jsonl") if index.rank(r["q"]).answer_id is not None]
    assert len(answered) <= MAX_NEAR_DOMAIN_ANSWERED, answered
    assert [r["q"] for r in _rows("faq_unrelated.jsonl") if index.rank(r["q"]).answer_id is not None] == []


#: Questions the writer (who never saw the entries) phrased exactly as a curated phrasing: the obvious
#: ones, many from issue 15's own examples (大堂经理的职责是什么, can I sign for a client). Counted,
#: so that copying rows into the entries shows; bench figures are given with and without them.
COINCIDENCES = 23


def test_no_round2_question_is_copied_into_an_entry() -> None:
    """The set measures the FAQ only while its questions are not copied into it."""
    def plain(text: str) -> str:
        return "".join(char for char in text.lower() if char.isalnum())

    fields = {plain(text) for e in load_faq() for text in (*e.questions_en, *e.questions_zh, *e.keywords_en,
                                                           *e.keywords_zh, e.title_en, e.title_zh)
              if len(plain(text)) > 3}
    rows = _rows("faq_paraphrases.jsonl") + _rows("faq_near_domain.jsonl") + _rows("faq_unrelated.jsonl")
    same = [r["q"] for r in rows if plain(r["q"]) in fields]
    assert len(same) <= COINCIDENCES, same

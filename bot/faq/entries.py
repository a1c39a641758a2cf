"""Curated FAQ entries: reviewable TOML files in bot/catalog/faq/, one topic each, checked at load.

A malformed file is refused with file, entry and reason, so the last good FAQ stays in service.
Answers are read on a phone, so their shape is checked too: a one-line answer first (a verdict
such as "No. …" / "不可以。…" when the topic's main question is yes/no), then at most five short
points; and the source names a document in words, never an internal file name.
"""

from __future__ import annotations

import re
import tomllib
from datetime import date
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from bot.catalog import FAQ as FAQ_DIR


def faq_directory(configured: str) -> Traversable:
    """The configured FAQ folder, or the curated one shipped with the bot."""
    return Path(configured) if configured else FAQ_DIR


Category = Literal["compliance", "practice", "product"]
#: Every category, in the order /faq lists them.
CATEGORIES: tuple[Category, ...] = get_args(Category)


class FaqError(Exception):
    """Why the FAQ files cannot be loaded: file, entry and reason."""


class FaqEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
    category: Category
    title_en: str = Field(min_length=2, max_length=60)
    title_zh: str = Field(min_length=2, max_length=30)
    source: str = Field(min_length=3, max_length=200)
    reviewed: date
    keywords_en: list[str] = Field(min_length=1)
    keywords_zh: list[str] = Field(min_length=1)
    questions_en: list[str] = Field(min_length=1)
    questions_zh: list[str] = Field(min_length=1)
    answer_en: str = Field(min_length=20, max_length=3000)
    answer_zh: str = Field(min_length=10, max_length=3000)

    @model_validator(mode="after")
    def _readable_on_a_phone(self) -> FaqEntry:
        if _FILE_NAME.search(self.source):
            raise ValueError("source must name the document in words, not a file name")
        for language, answer in (("en", self.answer_en), ("zh", self.answer_zh)):
            if problem := answer_shape_problem(answer, language):
                raise ValueError(f"answer_{language}: {problem}")
        en, zh = verdict(self.answer_en, "en"), verdict(self.answer_zh, "zh")
        if _YES_NO_EN.match(self.questions_en[0]) and (en is None or zh is None):
            raise ValueError("a yes/no topic (see questions_en[0]) opens with a verdict: 'Yes. …'/'No. …' and '可以。…'/'不可以。…'")
        if (en is None) != (zh is None):
            raise ValueError("a verdict in one language only: both answers open with one ('Yes. …'/'可以。…') or neither")
        if en != zh:
            raise ValueError("answer_en and answer_zh give opposite verdicts")
        return self

    def title(self, language: str) -> str:
        return self.title_zh if language == "zh" else self.title_en

    def answer(self, language: str) -> str:
        return (self.answer_zh if language == "zh" else self.answer_en).strip()


#: An internal file name or seed id, e.g. "004_dea1348c380baca0.txt" or "faq/x.toml".
_FILE_NAME = re.compile(r"\.(?:txt|md|toml|json|jsonl|docx?|pdf|xlsx?|csv)\b|[0-9a-f]{12,}|\b\d{3}_", re.IGNORECASE)
_YES_NO_EN = re.compile(r"^\s*(?:can|may|is|are|am|do|does|should|must|shall)\b", re.IGNORECASE)
MAX_POINTS = 5
#: (polarity, opening) pairs a verdict may start with.
_VERDICTS = {
    "en": [(True, "Yes."), (True, "Yes,"), (False, "No."), (False, "No,")],
    "zh": [(False, "不可以。"), (False, "不能。"), (False, "不行。"), (False, "不需要。"), (False, "不是。"), (False, "不得。"),
           (True, "可以。"), (True, "能。"), (True, "需要。"), (True, "是的。"), (True, "必须。"), (True, "要。")],
}
#: How long a line may be to read on a phone: the opening answer and each point.
_MAX_LINE = {"en": {"head": 200, "point": 220}, "zh": {"head": 90, "point": 100}}


def verdict(answer: str, language: str) -> bool | None:
    """True for a yes, False for a no, None when the answer opens without a verdict."""
    head = answer.strip().splitlines()[0]
    for polarity, opening in _VERDICTS[language]:
        if head.startswith(opening):
            return polarity
    return None


def answer_shape_problem(answer: str, language: str) -> str | None:
    """Why an answer would not read well on a phone, or None: one opening line, then ≤ 5 short points."""
    lines = [line.strip() for line in answer.strip().splitlines()]
    if not lines or not lines[0] or lines[0].startswith("-"):
        return "must open with a one-line answer"
    limits = _MAX_LINE[language]
    if len(lines[0]) > limits["head"]:
        return f"the opening line is longer than {limits['head']} characters"
    points = lines[1:]
    if any(not line.startswith("- ") for line in points):
        return "after the opening line only points ('- …'), no headings or paragraphs"
    if len(points) > MAX_POINTS:
        return f"{len(points)} points; at most {MAX_POINTS}"
    if any(len(line) > limits["point"] for line in points):
        return f"a point is longer than {limits['point']} characters"
    return None


def load_faq(directory: Traversable = FAQ_DIR) -> list[FaqEntry]:
    """Every entry, sorted by id; raises FaqError naming the first bad file and entry."""
    entries: dict[str, FaqEntry] = {}
    files = []
    if directory.is_dir():
        files = sorted((f for f in directory.iterdir() if f.name.endswith(".toml")), key=lambda f: f.name)
    if not files:
        raise FaqError(f"{directory}: no FAQ files (*.toml)")
    for path in files:
        try:
            with path.open("rb") as handle:
                data = tomllib.load(handle)
        except (tomllib.TOMLDecodeError, OSError, UnicodeDecodeError) as error:
            raise FaqError(f"{path.name}: not valid TOML ({error})") from None
        entry_id = data.get("id", path.name.removesuffix(".toml"))
        try:
            entry = FaqEntry(**data)
        except ValidationError as error:
            first = error.errors()[0]
            key = ".".join(str(part) for part in first["loc"]) or "?"
            raise FaqError(f"{path.name}: entry {entry_id!r}: {key}: {first['msg']}") from None
        if entry.id != path.name.removesuffix(".toml"):
            raise FaqError(f"{path.name}: entry {entry.id!r}: id must match the file name")
        if entry.id in entries:
            raise FaqError(f"{path.name}: entry {entry.id!r}: duplicate id")
        entries[entry.id] = entry
    return [entries[key] for key in sorted(entries)]

"""Curated FAQ entries: reviewable TOML files in bot/catalog/faq/, one topic each, checked at load.

A malformed file is refused with file, entry and reason, so the last good FAQ stays in service.
"""

from __future__ import annotations

import tomllib
from datetime import date
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.catalog import FAQ as FAQ_DIR


def faq_directory(configured: str) -> Traversable:
    """The configured FAQ folder, or the curated one shipped with the bot."""
    return Path(configured) if configured else FAQ_DIR


class FaqError(Exception):
    """Why the FAQ files cannot be loaded: file, entry and reason."""


class FaqEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
    category: Literal["compliance", "product"]
    title_en: str = Field(min_length=2, max_length=60)
    title_zh: str = Field(min_length=2, max_length=30)
    source: str = Field(min_length=3)
    reviewed: date
    keywords_en: list[str] = Field(min_length=1)
    keywords_zh: list[str] = Field(min_length=1)
    questions_en: list[str] = Field(min_length=1)
    questions_zh: list[str] = Field(min_length=1)
    answer_en: str = Field(min_length=20, max_length=3000)
    answer_zh: str = Field(min_length=10, max_length=3000)

    def title(self, language: str) -> str:
        return self.title_zh if language == "zh" else self.title_en

    def answer(self, language: str) -> str:
        return (self.answer_zh if language == "zh" else self.answer_en).strip()


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

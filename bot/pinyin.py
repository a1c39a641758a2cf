"""Toneless pinyin of Chinese characters, for matching romanised names (liu zong → 刘总) and the
chart fallback without a CJK font.

pypinyin is imported here only, after turning its phrase dictionary off
(``PYPINYIN_NO_PHRASES``, read at import): names are read character by character, and the phrase
dictionary costs ~45 MB of memory and ~0.2 s to load for no change in what matches (the matching
and parsing evaluations score the same either way)."""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import lru_cache
from types import ModuleType


@lru_cache(maxsize=1)
def _pypinyin() -> ModuleType:
    os.environ.setdefault("PYPINYIN_NO_PHRASES", "true")
    import pypinyin

    return pypinyin


def toneless(text: str, errors: str | Callable = "default") -> list[str]:
    """One toneless syllable per Chinese character; other runs as `errors` says (pypinyin's rule)."""
    return _pypinyin().lazy_pinyin(text, errors=errors)


def syllable_table() -> dict[int, str]:
    """pypinyin's character table: code point → readings with tones ("liú,liū")."""
    _pypinyin()
    from pypinyin.pinyin_dict import pinyin_dict

    return pinyin_dict

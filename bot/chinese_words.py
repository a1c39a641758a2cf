"""jieba's Chinese word list, held compactly: the FAQ's segmenter reads it on every question.

jieba keeps its ~350,000 words and their prefixes (~500,000 keys) in a dict of str, about 56 MB of
the bot's memory. Here the same keys and counts sit in two sorted arrays (about 8 MB), looked up by
bisection, so segmentation is exactly jieba's (a test compares them) at a fraction of the memory.
A key of up to four UTF-16 units (nearly all words) is one 64-bit number; longer keys, and words
added at run time (`add_word`), live in a small dict beside the arrays.
"""

from __future__ import annotations

import logging
from array import array
from bisect import bisect_left
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import jieba  # type: ignore[import-untyped]  # jieba ships no type information

_UNITS = 4  # UTF-16 units packed into one 64-bit key
_BITS = 16 * _UNITS


def _packed(word: str) -> tuple[int, int] | None:
    """The word as one number (its UTF-16 units, zero-padded) and its length in units, or None
    when it is too long to pack."""
    encoded = word.encode("utf-16-be")
    if len(encoded) > 2 * _UNITS:
        return None
    return int.from_bytes(encoded.ljust(2 * _UNITS, b"\0"), "big"), len(encoded) // 2


class WordCounts:
    """jieba's FREQ (word → count; a prefix of a word → 0) for the methods jieba and the FAQ's
    ranking use. Only words are stored: a prefix is found as the start of the next word in order,
    so the ~150,000 prefix keys jieba keeps cost nothing."""

    __slots__ = ("_counts", "_keys", "_other")

    def __init__(self, keys: array, counts: array, other: dict[str, int]) -> None:
        self._keys, self._counts, self._other = keys, counts, other

    def get(self, word: str, default: int | None = None) -> int | None:
        if word in self._other:
            return self._other[word]
        packed = _packed(word)
        if packed is None or not word:
            return default
        key, units = packed
        at = bisect_left(self._keys, key)
        if at == len(self._keys):
            return default
        found = self._keys[at]
        if found == key:
            return self._counts[at]
        shift = _BITS - 16 * units
        return 0 if found >> shift == key >> shift else default  # the start of a longer word

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self.get(word) is not None

    def __getitem__(self, word: str) -> int:
        count = self.get(word)
        if count is None:
            raise KeyError(word)
        return count

    def __setitem__(self, word: str, count: int) -> None:
        self._other[word] = count

    def __len__(self) -> int:
        return len(self._keys) + len(self._other)

    def sharing(self) -> WordCounts:
        """The same words, with words added to the copy (jieba's add_word) kept to the copy."""
        return WordCounts(self._keys, self._counts, dict(self._other))


def read_word_counts(path: Path) -> tuple[WordCounts, int]:
    """The word list in jieba's format ("word count tag" per line) and its total count."""
    import numpy as np

    keys, values, other = array("Q"), array("q"), {}  # raw numbers: no Python object per word
    total = 0
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            word, text = line.split(" ", 2)[:2]
            count = int(text)
            total += count
            packed = _packed(word)
            if packed is not None:
                keys.append(packed[0])
                values.append(count)
                continue
            other[word] = count  # a long word: it and its long prefixes by name, its short start packed
            for end in range(1, len(word)):
                part = word[:end]
                short = _packed(part)
                if short is None:
                    other.setdefault(part, 0)
                elif end == len(word) - 1 or _packed(word[: end + 1]) is None:
                    keys.append(short[0])
                    values.append(0)
    key_array = np.frombuffer(keys, dtype=np.uint64)
    order = np.lexsort((np.frombuffer(values, dtype=np.int64), key_array))  # by key, then count
    sorted_keys = key_array[order]
    last = np.append(sorted_keys[1:] != sorted_keys[:-1], True)  # a word's count, not a prefix's 0
    kept = order[last]
    return (WordCounts(array("Q", sorted_keys[last].tobytes()),
                       array("q", np.frombuffer(values, dtype=np.int64)[kept].tobytes()), other), total)


@lru_cache(maxsize=1)
def word_counts() -> tuple[WordCounts, int]:
    """jieba's own word list and total count, read once per process (about half a second)."""
    spec = find_spec("jieba")
    assert spec is not None and spec.origin is not None, "jieba is a dependency"
    return read_word_counts(Path(spec.origin).parent / "dict.txt")


def segmenter() -> jieba.Tokenizer:
    """A jieba tokenizer on the compact word list: cuts exactly as jieba's own, with its own added
    words (add_word) kept to itself."""
    import jieba  # not on the start path

    jieba.setLogLevel(logging.WARNING)
    counts, total = word_counts()
    tokenizer = jieba.Tokenizer()
    tokenizer.FREQ, tokenizer.total = counts.sharing(), total
    tokenizer.initialized = True
    return tokenizer

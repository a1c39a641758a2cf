"""Which of the RM's own clients a note means.

Exact name or alias first, then the same name without honorifics or in pinyin ("Liu" and
"liu zong" find 刘总), then a surname alone (asked, never assumed), then typos (rapidfuzz).
A pure function of (name, note text, clients).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from bot.parsing.names import HONORIFICS_EN, HONORIFICS_ZH, PINYIN_HONORIFICS
from storage.records import Client

_CJK = re.compile(r"[\u3400-\u9fff]")
_NOT_WORD = re.compile(r"[^0-9a-z\u3400-\u9fff]+")
_ZH_SUFFIXES = tuple(sorted(HONORIFICS_ZH, key=len, reverse=True))
FUZZY_THRESHOLD = 85
FUZZY_MARGIN = 5


@dataclass(frozen=True)
class Resolution:
    """exact/confident: use clients[0]; ambiguous: ask among clients; none: a new client."""

    kind: str
    clients: tuple[Client, ...] = ()

    @property
    def client(self) -> Client | None:
        return self.clients[0] if self.kind in ("exact", "confident") else None


@dataclass(frozen=True)
class _Keys:
    exact: str
    cores: frozenset[str]
    surname: str


@lru_cache(maxsize=65536)
def name_keys(name: str) -> _Keys:
    """Normal forms of a name: as written, without honorifics, and in toneless pinyin."""
    lowered = name.strip().lower()
    exact = _NOT_WORD.sub("", lowered)
    core = _strip_honorifics(lowered)
    cores = {c for c in (exact, _NOT_WORD.sub("", core)) if c}
    syllables: list[str] = []
    if _CJK.search(lowered):
        from pypinyin import lazy_pinyin  # its phrase dictionary costs ~0.2 s: loaded at the first Chinese name

        for form in list(cores):
            cores.add("".join(lazy_pinyin(form)))
        syllables = lazy_pinyin(_NOT_WORD.sub("", core))
    else:
        syllables = [t for t in _NOT_WORD.split(core) if t]
    surname = syllables[0] if syllables else ""
    return _Keys(exact, frozenset(cores), surname)


def _strip_honorifics(name: str) -> str:
    words = [w for w in re.split(r"[\s.]+", name) if w]
    if len(words) > 1:
        words = [w for w in words if w not in HONORIFICS_EN] or words
        if len(words) > 1 and words[-1] in PINYIN_HONORIFICS:
            words = words[:-1]
        return " ".join(words)
    word = words[0] if words else ""
    if _CJK.search(word):
        for suffix in _ZH_SUFFIXES:
            if word.endswith(suffix) and len(word) > len(suffix):
                word = word[: -len(suffix)]
                break
        if len(word) > 1 and word[0] in "老小阿":
            word = word[1:]
    return word


def resolve_client(name: str | None, text: str, clients: Sequence[Client]) -> Resolution:
    """Match the note's client name against the RM's clients."""
    if not clients:
        return Resolution("none")
    if name:
        query = name_keys(name)
        exact = [c for c in clients if any(name_keys(n).exact == query.exact for n in (c.name, *c.aliases))]
        if exact:
            return Resolution("exact" if len(exact) == 1 else "ambiguous", tuple(exact))
        same = [c for c in clients if any(name_keys(n).cores & query.cores for n in (c.name, *c.aliases))]
        if same:
            return Resolution("confident" if len(same) == 1 else "ambiguous", tuple(same))
    mentioned = _mentioned_in_text(text, clients)
    if mentioned:
        return Resolution("exact", (mentioned,))
    if not name:
        return Resolution("none")
    query = name_keys(name)
    if len(query.cores) and _is_single_syllable(name):
        by_surname = [c for c in clients if name_keys(c.name).surname == query.surname]
        if by_surname:
            return Resolution("ambiguous", tuple(by_surname[:6]))
    scored = sorted(((_similarity(query, c), c) for c in clients), key=lambda pair: -pair[0])
    close = [(score, c) for score, c in scored if score >= FUZZY_THRESHOLD]
    if len(close) == 1 or (len(close) > 1 and close[0][0] - close[1][0] >= FUZZY_MARGIN):
        return Resolution("confident", (close[0][1],))
    if close:
        return Resolution("ambiguous", tuple(c for _, c in close[:6]))
    return Resolution("none")


def closest_clients(name: str, clients: Sequence[Client], limit: int = 5) -> list[Client]:
    """The clients most like a name, for the "merge into…" buttons."""
    query = name_keys(name)
    scored = sorted(clients, key=lambda c: -_similarity(query, c))
    return scored[:limit]


def _similarity(query: _Keys, client: Client) -> float:
    best = 0.0
    for candidate in (client.name, *client.aliases):
        keys = name_keys(candidate)
        for a in query.cores:
            for b in keys.cores:
                if a.isascii() == b.isascii():
                    best = max(best, fuzz.ratio(a, b))
    return best


def _is_single_syllable(name: str) -> bool:
    core = _strip_honorifics(name.strip().lower())
    if _CJK.search(core):
        return len(_NOT_WORD.sub("", core)) == 1
    return len([t for t in _NOT_WORD.split(core) if t]) == 1


def _mentioned_in_text(text: str, clients: Sequence[Client]) -> Client | None:
    """A known client named verbatim anywhere in the note (the longest such name)."""
    lowered = text.lower()
    best: tuple[int, Client] | None = None
    for client in clients:
        for candidate in (client.name, *client.aliases):
            needle = candidate.lower()
            if len(needle) < 2 or needle not in lowered:
                continue
            if needle.isascii() and not re.search(rf"(?<![a-z]){re.escape(needle)}(?![a-z])", lowered):
                continue
            if best is None or len(needle) > best[0]:
                best = (len(needle), client)
    return best[1] if best else None

"""Product needs in a note, matched against the editable catalog and skipping negated ones."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

CATALOG_PATH = Path(__file__).resolve().parents[2] / "catalog" / "products.toml"

_NEGATION_BEFORE = re.compile(
    r"(?:\b(?:no|not|don't|dont|doesn't|doesnt|didn't|didnt|won't|wont|never|without|declined?|"
    r"refused?|rejected?|no need for|no interest in|not interested in|does not|do not)\b"
    r"|不需要|不要|不用|不想|不打算|不考虑|不办|无需|暂不|暂时不|没有需求|没需求|没兴趣|不感兴趣|拒绝|没有)"
    r"[^,，;；。!！?？]*$",
    re.IGNORECASE,
)
_NEGATION_AFTER = re.compile(
    r"^\s*(?:(?:is |are )?(?:not needed|not required|not interested|no need|declined|refused)\b"
    r"|(?:暂时)?(?:不需要|不要|不用|不考虑|暂不需要|没兴趣|不感兴趣|没需求))",
    re.IGNORECASE,
)
_SCOPE_RESET = re.compile(r"\b(?:but|however|instead|yet)\b|但是|但|不过|而是|只要|只想", re.IGNORECASE)


@dataclass(frozen=True)
class Product:
    code: str
    en: str
    zh: str
    synonyms: tuple[str, ...]


@dataclass(frozen=True)
class ProductMatch:
    code: str
    start: int
    end: int
    negated: bool


@lru_cache(maxsize=4)
def load_catalog(path: Path = CATALOG_PATH) -> dict[str, Product]:
    """Products by code, in catalog order."""
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    return {
        code: Product(code, entry["en"], entry["zh"], tuple(entry["synonyms"]))
        for code, entry in data.items()
    }


@lru_cache(maxsize=4)
def _matcher(path: Path = CATALOG_PATH) -> tuple[re.Pattern[str], re.Pattern[str], dict[str, str]]:
    """Two alternations (case-sensitive acronyms, everything else), longest synonym first."""
    code_of: dict[str, str] = {}
    strict, loose = [], []
    for product in load_catalog(path).values():
        for synonym in product.synonyms:
            is_acronym = synonym.isascii() and synonym.isupper() and len(synonym.rstrip("s")) <= 2
            key = synonym if is_acronym else synonym.lower()
            code_of[key] = product.code
            (strict if is_acronym else loose).append(synonym)

    def alternation(words: list[str]) -> str:
        parts = []
        for word in sorted(words, key=len, reverse=True):
            escaped = re.escape(word).replace(r"\ ", r"[\s-]+")
            parts.append(rf"(?<![A-Za-z]){escaped}(?:s|es)?(?![A-Za-z])" if word.isascii() else escaped)
        return "|".join(parts)

    return (re.compile(alternation(strict)), re.compile(alternation(loose), re.IGNORECASE), code_of)


def find_products(text: str, path: Path = CATALOG_PATH) -> list[ProductMatch]:
    """Every product mention, left to right, each marked negated or not."""
    strict, loose, code_of = _matcher(path)
    spans: list[tuple[int, int, str]] = []
    for pattern, fold in ((loose, True), (strict, False)):
        for match in pattern.finditer(text):
            if any(match.start() < e and match.end() > s for s, e, _ in spans):
                continue
            word = match.group(0)
            key = _catalog_key(word.lower() if fold else word, code_of)
            if key is not None:
                spans.append((match.start(), match.end(), code_of[key]))
    spans.sort()
    return [ProductMatch(code, s, e, _is_negated(text, s, e)) for s, e, code in spans]


def needs_in(text: str, path: Path = CATALOG_PATH) -> list[str]:
    """Product codes the note asks for, de-duplicated in order of mention."""
    codes: list[str] = []
    for match in find_products(text, path):
        if not match.negated and match.code not in codes:
            codes.append(match.code)
    return codes


def _catalog_key(word: str, code_of: dict[str, str]) -> str | None:
    normal = re.sub(r"[\s-]+", " ", word)
    for candidate in (normal, normal[:-2] if normal.endswith("es") else None,
                      normal[:-1] if normal.endswith("s") else None):
        if candidate and candidate in code_of:
            return candidate
    return None


def _is_negated(text: str, start: int, end: int) -> bool:
    before = text[max(0, start - 40):start]
    reset = list(_SCOPE_RESET.finditer(before))
    if reset:
        before = before[reset[-1].end():]
    return bool(_NEGATION_BEFORE.search(before) or _NEGATION_AFTER.search(text[end:end + 12]))

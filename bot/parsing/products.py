"""Product needs in a note, matched against the editable catalog and skipping negated ones."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources.abc import Traversable

from bot.catalog import PRODUCTS

CATALOG_PATH: Traversable = PRODUCTS

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
    risk: int | None = None                          # R1..R5 for suitability; None: the RM must say
    named: tuple[tuple[str, int], ...] = ()          # (named product, its risk level), longest first


@dataclass(frozen=True)
class ProductMatch:
    code: str
    start: int
    end: int
    negated: bool


@lru_cache(maxsize=4)
def load_catalog(path: Traversable = CATALOG_PATH) -> dict[str, Product]:
    """Products by code, in catalog order."""
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    return {
        code: Product(code, entry["en"], entry["zh"], tuple(entry["synonyms"]), _risk(entry.get("risk")),
                      tuple(sorted(((name, _named_risk(level)) for name, level in entry.get("named", {}).items()),
                                   key=lambda item: -len(item[0]))))
        for code, entry in data.items()
    }


def _risk(level: str | None) -> int | None:
    """"R3" → 3; anything else is a catalog error, refused at load."""
    if level is None:
        return None
    if not (isinstance(level, str) and len(level) == 2 and level[0] == "R" and level[1] in "12345"):
        raise ValueError(f"products.toml: risk must be R1 … R5, not {level!r}")
    return int(level[1])


def _named_risk(level: str) -> int:
    """A named product's risk level: required (R1 … R5)."""
    value = _risk(level)
    if value is None:
        raise ValueError("products.toml: a named product needs its risk level")
    return value


@lru_cache(maxsize=4)
def _synonyms(path: Traversable = CATALOG_PATH) -> tuple[tuple[str, str, bool], ...]:
    """(search key, code, case-sensitive) for every synonym, longest first.

    Literal str.find scans: much faster than one regex alternation of every synonym.
    Two-letter Latin acronyms (LC, BA, CD, FX) are matched case-sensitively.
    """
    found = []
    for product in load_catalog(path).values():  # type: ignore[arg-type]  # a package Traversable is hashable
        for synonym in product.synonyms:
            exact_case = synonym.isascii() and synonym.isupper() and len(synonym.rstrip("s")) <= 2
            found.append((synonym if exact_case else synonym.lower(), product.code, exact_case))
    return tuple(sorted(found, key=lambda item: -len(item[0])))


def _is_letter(char: str) -> bool:
    return char.isascii() and char.isalpha()


def find_products(text: str, path: Traversable = CATALOG_PATH) -> list[ProductMatch]:
    """Every product mention, left to right, each marked negated or not."""
    lowered = text.lower()
    spans: list[tuple[int, int, str]] = []
    for key, code, exact_case in _synonyms(path):  # type: ignore[arg-type]  # a package Traversable is hashable
        haystack = text if exact_case else lowered
        start = haystack.find(key)
        while start != -1:
            end = start + len(key)
            if key.isascii():
                if start > 0 and _is_letter(haystack[start - 1]):
                    start = haystack.find(key, start + 1)
                    continue
                for plural in ("es", "s"):
                    if haystack.startswith(plural, end) and not (end + len(plural) < len(haystack)
                                                                 and _is_letter(haystack[end + len(plural)])):
                        end += len(plural)
                        break
                if end < len(haystack) and _is_letter(haystack[end]):
                    start = haystack.find(key, start + 1)
                    continue
            if key.endswith("户") and text[end:end + 1] in ("行", "名", "号"):
                start = haystack.find(key, end)
                continue    # 开户行, 开户名, 开户号: payment details, not an account to open
            if (not any(start < e and end > s for s, e, _ in spans) and not _in_company_name(text, start, end)
                    and not _in_other_word(text, end)):
                spans.append((start, end, code))
            start = haystack.find(key, end)
    for pattern, code in _PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span("p") if "p" in pattern.groupindex else match.span()
            if not any(start < e and end > s for s, e, _ in spans):
                spans.append((start, end, code))
    spans.sort()
    return [ProductMatch(code, s, e, _is_negated(text, s, e)) for s, e, code in spans]


#: Needs named by a verb and its object with words between (开立美元账户, "open a USD savings account"),
#: which a list of synonyms cannot hold. 开户行 (the bank an account is at) and 账户余额 are no need.
_PATTERNS = (
    (re.compile(r"开(?:立|设|通|办|个|一个|了)*[^，。,;；!！?？\s开]{0,6}?(?:账户|帐户|户头|户)(?![行名号余])"), "ACCOUNT"),
    # "wants 50w wealth", "2m wealth": wealth as the thing wanted or an amount's product; "wealth clients",
    # "the wealth team" are people, not a need
    (re.compile(r"(?:(?<![A-Za-z])(?:wants?|needs?|buys?|buying|bought|more|some|into|add|adds|subscribe[sd]?)\s+"
                r"(?:[\d.,]+\s*(?:w|k|m|mn|bn|万|million)?\s*)?|(?<![A-Za-z])[\d.,]+\s*(?:w|k|m|mn|bn|万|million)?\s*)"
                r"(?P<p>wealth)(?![A-Za-z])(?!\s+(?:clients?|customers?|team|managers?|reviews?|cent(?:re|er)|segment|desk))",
                re.IGNORECASE), "WEALTH"),
    (re.compile(r"(?<![A-Za-z])open(?:s|ed|ing)?\s+(?:(?:a|an|the|new|another|one|two|\d+)\s+)?"
                r"(?:[A-Za-z$]+\s+){0,2}?(?:account|a/c)s?(?![A-Za-z])", re.IGNORECASE), "ACCOUNT"),
)
_COMPANY_TAIL = re.compile(r"\s+(?:Ltd|Co|Limited|Group|Holdings|Inc|Corp|Corporation|Trading|Partners|Capital|"
                           r"Management|Company|International|Industries|Investments?)\b\.?")


#: 理财经理, 信贷员, 保险顾问, 理财师: a product word inside a job title names a person's job, not a need.
_JOB_AFTER = re.compile(r"经理|专员|顾问|师|员(?!工)")


def _in_other_word(text: str, end: int) -> bool:
    """A Chinese product word running into a job title (理财经理小林) or an organisation (基金会, a
    foundation) is that word, not a need; 代发员工 stays payroll."""
    if not "\u4e00" <= text[end - 1:end] <= "\u9fff":
        return False
    return bool(_JOB_AFTER.match(text, end)) or text[end - 2:end + 1] == "基金会"


def _in_company_name(text: str, start: int, end: int) -> bool:
    """"Golden Wealth Ltd", "Harbour Fund": a capitalised product word inside a company's name is the
    name, not a need. Capitalised, with a company word after it or a capitalised word (not the
    note's first) before it."""
    word = text[start:end]
    if not word[:1].isupper() or not word.isascii() or word.isupper():
        return False
    if _COMPANY_TAIL.match(text, end):
        return True
    before = text[:start]
    previous = re.search(r"([A-Z][A-Za-z&'-]*)\s+$", before)
    if previous is None:
        return False
    head = before[:previous.start()].rstrip()
    return bool(head) and head[-1] not in ",，;；:：.!?。！？"


def needs_in(text: str, path: Traversable = CATALOG_PATH) -> list[str]:
    """Product codes the note asks for, de-duplicated in order of mention."""
    codes: list[str] = []
    for match in find_products(text, path):
        if not match.negated and match.code not in codes:
            codes.append(match.code)
    return codes


#: "理财买了3只", "基金已经买过": a product the client already bought, not one they ask for.
#: "贷款已经还清了", "贷款结清": a loan paid off is no need either.
_BOUGHT_AFTER = re.compile(r"^\s*(?:已经|已)?(?:买了|买过|已买|购买了|持有|(?:还清|结清|还完|全部还了)(?!后|以后|之后))")


def _is_negated(text: str, start: int, end: int) -> bool:
    before = text[max(0, start - 40):start]
    reset = list(_SCOPE_RESET.finditer(before))
    if reset:
        before = before[reset[-1].end():]
    after = text[end:end + 12]
    return bool(_NEGATION_BEFORE.search(before) or _NEGATION_AFTER.search(after) or _BOUGHT_AFTER.search(after))

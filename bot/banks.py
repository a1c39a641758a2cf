"""Banks as an RM writes them (pure): where an asset is held, and whether that is the RM's own bank.

A 招行 RM's own export says 招商银行 in its bank column, and the RM answers /review's question with
`招行存款 50万`: the bank's names and aliases (`[bank] own_names`) say which bank is "here", so
neither is filed as an asset at another bank. 本行/我行 always mean here; 他行 means another bank,
unnamed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

HERE_WORDS = frozenset({"本行", "我行", "here", "this bank", "our bank", "ours"})
OTHER_WORDS = frozenset({"他行", "其他银行", "其它银行", "别的银行", "外行", "other bank", "another bank", "other",
                         "elsewhere"})

_CJK = "\u4e00-\u9fff"
#: The banks an RM names by a short name; a name ending in 银行 is read apart.
_SHORT_ZH = ("工行", "建行", "农行", "中行", "交行", "招行", "邮储", "浦发", "兴业", "民生", "中信", "光大", "平安",
             "华夏", "广发", "浙商", "渤海", "恒丰", "汇丰", "渣打", "花旗", "星展", "恒生", "东亚")
_NAMED_EN = ("HSBC", "Citibank", "Citi", "Standard Chartered", "DBS", "BOC", "ICBC", "CCB", "ABC", "BOCOM", "CMB",
             "SPDB", "CITIC", "Hang Seng", "Bank of China", "Bank of Communications", "China Merchants Bank")
_OTHER = re.compile(r"他行|其他银行|其它银行|别的银行|外行"
                    r"|(?<![A-Za-z])(?:other|another|a\s+different)[\s-]banks?(?![A-Za-z])"
                    r"|(?<![A-Za-z])elsewhere(?![A-Za-z])", re.IGNORECASE)
_HERE = re.compile(r"本行|我行|(?<![A-Za-z])(?:our|this)\s+bank(?![A-Za-z])", re.IGNORECASE)
_EN_NAMES = "|".join(name.replace(" ", r"\s+") for name in _NAMED_EN)
_KNOWN = re.compile(rf"(?:中国)?(?:{'|'.join(_SHORT_ZH)})(?:银行)?|(?<![A-Za-z])(?:{_EN_NAMES})(?![A-Za-z])")
_ANY_ZH = re.compile(rf"[{_CJK}]{{2,6}}?银行")
_ANY_EN = re.compile(r"(?<![A-Za-z])[A-Z][A-Za-z]+\s+Bank(?![A-Za-z])")
#: Words before a bank's name that are not part of it (在招商银行 → 招商银行).
_LEAD = "在从于的有和与及是"


@dataclass(frozen=True)
class BankMention:
    """A bank an RM named: `here` (本行, or one of the RM's own names), another bank (`name`, or
    None for 他行), with where it was written."""

    here: bool
    name: str | None
    span: tuple[int, int]


def bank_key(name: str) -> str:
    """A bank's name compared: case and spaces ignored."""
    return "".join(name.split()).casefold()


def is_own_bank(name: str, own_names: Iterable[str]) -> bool:
    """本行/我行, or one of the RM's own bank's names (a branch of it too: 招商银行上海分行)."""
    key = bank_key(name)
    if key in HERE_WORDS:
        return True
    for own in own_names:
        own_key = bank_key(own)
        if own_key and (key == own_key or (key.startswith(own_key) and key.endswith(("分行", "支行", "营业部")))):
            return True
    return False


def find_bank(text: str, own_names: Iterable[str] = ()) -> BankMention | None:
    """The first bank a line names: a known bank or short name first, then any `…银行`/`… Bank`."""
    own = tuple(own_names)
    candidates: list[tuple[int, int]] = []
    for pattern in (_HERE, _OTHER, _KNOWN):
        candidates += [match.span() for match in pattern.finditer(text)]
    if not candidates:
        for pattern in (_ANY_ZH, _ANY_EN):
            candidates += [match.span() for match in pattern.finditer(text)]
    # an own name the RM configured, when it is none of the above (a small bank's own short name)
    for name in own:
        if name.strip() and (position := text.casefold().find(name.strip().casefold())) >= 0:
            candidates.append((position, position + len(name.strip())))
    if not candidates:
        return None
    start, end = min(candidates, key=lambda span: (span[0], -span[1]))
    while end - start > 2 and text[start] in _LEAD:
        start += 1
    written = text[start:end]
    if _OTHER.fullmatch(written):
        return BankMention(False, None, (start, end))
    if is_own_bank(written, own) or _HERE.fullmatch(written):
        return BankMention(True, written, (start, end))
    return BankMention(False, written, (start, end))

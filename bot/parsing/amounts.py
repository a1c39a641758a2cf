"""Money in a note: amount, currency (ISO 4217) and, for a range, its upper end.

A bare number is a count, a phone number or a year, not money: a number is an amount only with a
money unit (万, 亿, 千, k, m, million, billion) or a currency word or symbol beside it. A number
followed by a counting word (人, 家, 年, 个, %) is never money. Nothing converts: an amount keeps the
currency it was written in; with none written, `currency` is None and the caller applies the RM's
default. A range (200-300万, 两三百万, $2-3m) keeps both ends.
"""

from __future__ import annotations

import itertools
import re
from typing import NamedTuple

from bot.parsing.numbers import fold_width, read_numeral

#: Currency words and symbols → ISO 4217. Longest first in the pattern, so 港元 is not 元.
CURRENCIES: dict[str, str] = {
    "usd": "USD", "us$": "USD", "$": "USD", "美元": "USD", "美金": "USD", "dollar": "USD", "dollars": "USD",
    "us dollars": "USD", "bucks": "USD",
    "hkd": "HKD", "hk$": "HKD", "港币": "HKD", "港元": "HKD", "港幣": "HKD", "hong kong dollars": "HKD",
    "eur": "EUR", "€": "EUR", "欧元": "EUR", "歐元": "EUR", "euro": "EUR", "euros": "EUR",
    "jpy": "JPY", "日元": "JPY", "日币": "JPY", "円": "JPY", "yen": "JPY",
    "gbp": "GBP", "£": "GBP", "英镑": "GBP", "pounds": "GBP", "pound sterling": "GBP", "sterling": "GBP",
    "sgd": "SGD", "s$": "SGD", "新加坡元": "SGD", "新币": "SGD",
    "aud": "AUD", "a$": "AUD", "澳元": "AUD", "cad": "CAD", "c$": "CAD", "加元": "CAD", "加币": "CAD",
    "chf": "CHF", "瑞郎": "CHF", "瑞士法郎": "CHF", "krw": "KRW", "韩元": "KRW", "twd": "TWD", "新台币": "TWD",
    "mop": "MOP", "澳门元": "MOP", "澳币": "AUD",
    # the shorthand RMs type after an amount: 10万欧, 三千美刀, 5k刀, 十万日币, 十万港纸
    "美刀": "USD", "刀": "USD", "美": "USD", "欧": "EUR", "日圆": "JPY", "日円": "JPY", "港纸": "HKD",
    "英磅": "GBP", "新元": "SGD", "加拿大元": "CAD", "澳大利亚元": "AUD",
    "rmb": "CNY", "cny": "CNY", "¥": "CNY", "￥": "CNY", "人民币": "CNY", "元": "CNY", "块": "CNY",
    "块钱": "CNY", "圆": "CNY", "yuan": "CNY", "renminbi": "CNY", "rmb¥": "CNY",
}
_CODE_WORDS = sorted(CURRENCIES, key=len, reverse=True)
#: Three letters people write for a currency that are not its ISO 4217 code: stored as written they
#: would split one currency in two (100万 RMB beside 100万 CNY), so a setting using one is refused.
NOT_ISO_CODES = {"RMB": "CNY", "NTD": "TWD", "YEN": "JPY", "UKP": "GBP", "STG": "GBP", "EUO": "EUR", "HKB": "HKD"}


def currency_code_problem(code: str) -> str | None:
    """Why `code` cannot be a default currency, or None when it is an ISO 4217-shaped code."""
    if code.upper() in NOT_ISO_CODES:
        return f"{code!r} is not an ISO 4217 code; write {NOT_ISO_CODES[code.upper()]}"
    if not re.fullmatch(r"[A-Z]{3}", code):
        return f"{code!r} is not an ISO 4217 code like CNY or USD (three capital letters)"
    return None


#: One-character shorthands that are words too (美的 is a company, 刀 a knife): a currency only when
#: nothing but a break follows.
_SHORT_ONLY_AT_END = ("刀", "美", "欧")


def _alternation(words) -> str:
    parts = []
    for word in words:
        escaped = re.escape(word)
        if word in _SHORT_ONLY_AT_END:
            escaped += r"(?=$|[\s,，。;；!！?？、)）])"
        parts.append(escaped + r"(?![A-Za-z])" if word[-1].isalpha() and word.isascii() else escaped)
    return "|".join(parts)


_CUR = _alternation(_CODE_WORDS)
#: Written before the number: codes and symbols, and Chinese currency names (美元100万).
_PREFIX = _alternation([w for w in _CODE_WORDS if w not in ("元", "块", "块钱", "圆", "dollar", "dollars",
                                                             "bucks", "euro", "euros", "pounds", "yen")
                         and w not in _SHORT_ONLY_AT_END and w != "美刀"])
_SCALES = {
    "k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "mln": 1e6, "mio": 1e6, "million": 1e6,
    "millions": 1e6, "bn": 1e9, "billion": 1e9, "billions": 1e9, "w": 1e4, "mm": 1e6,
}
#: k, m, w (万, the Chinese RMs' shorthand: 2w, and 1w5 for 15,000), MM (a million, in finance)
_SCALE = r"(?:k|thousand|mn|mln|mio|millions|million|mm|m|bn|billions|billion|w)(?![A-Za-z])"
_CN_CHARS = "零〇一二两三四五六七八九壹贰貳叁參肆伍陆陸柒捌玖十拾百佰千仟万萬亿億"
_CN_DIGIT = "零〇一二两三四五六七八九壹贰貳叁參肆伍陆陸柒捌玖"
#: A numeral: Arabic (thousands commas, decimals) and Chinese numerals and units, mixed (1亿2000万).
_NUMERAL = (rf"(?:\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d{{1,3}}(?: \d{{3}})+(?![\d,])(?:\.\d+)?|\d+(?:\.\d+)?"
            rf"|[{_CN_CHARS}]|点(?=[{_CN_DIGIT}\d]))"
            rf"(?:\d+(?:\.\d+)?|[{_CN_CHARS}]|点(?=[{_CN_DIGIT}\d])|个(?=[亿億])|\s+(?=[万萬亿億]))*")
_DASH = r"(?:-|~|—|–|到|至|to(?![A-Za-z])|and(?![A-Za-z]))"
#: After 元/块: 角 (or 毛) and 分 (3元5角2分), or after 块 a lone digit meaning 角 (三块五).
_SUBUNITS = re.compile(rf"([{_CN_DIGIT}\d])(?:(角|毛)(?:([{_CN_DIGIT}\d])分)?|(?=$|[\s,，。;；的]))")
_BIG_UNIT = re.compile(r"[万萬亿億千仟]")
_UNIT_TAIL = re.compile(r"[十拾百佰千仟万萬亿億]+$")
#: Counting words: a number before them is a count, a year or a share, never money.
_NOT_MONEY_AFTER = re.compile(r"\s*(?:[人名个家户笔张台件平亩吨股套辆次份只位条天年月周日号点%‰倍岁层楼]|期(?!限)|平米|平方|percent|%|"
                              r"staff|people|employees|years?|days?|months?|weeks?|times|shares|pcs|units)",
                              re.IGNORECASE)

_AMOUNT = re.compile(
    rf"(?<![A-Za-z0-9.第])(?<!\d,)(?:(?P<pre>{_PREFIX})\s*)?"
    rf"(?P<n1>{_NUMERAL})\s*(?:(?P<s1>{_SCALE})(?P<w1>(?<=[wW])\d(?![\d.,]))?)?"
    rf"(?:\s*(?P<dash>{_DASH})\s*(?:{_PREFIX})?\s*(?P<n2>{_NUMERAL})\s*(?P<s2>{_SCALE})?)?"
    rf"(?:\s*(?P<suf>{_CUR}))?",
    re.IGNORECASE,
)
#: 两三百万, 一两千万, 七八十万: two neighbouring digits before a unit are a range.
_PAIR = re.compile(r"^([一二两三四五六七八九])([两二三四五六七八九])(?=[十百千万亿])")
#: A currency word further back in the same clause: 需要港币贷款300万, USD loan of 2m.
_CLAUSE_CURRENCY = re.compile(
    r"(美元|美金|美刀|港币|港元|港幣|欧元|歐元|日元|英镑|人民币|新加坡元|澳元|加元|瑞郎|韩元|新台币|"
    r"USD|HKD|EUR|JPY|GBP|RMB|CNY|SGD|AUD|CAD|CHF)(?![A-Za-z])", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r"[,，;；。!！?？\n]")
_LOOK_BACK = 16


class Amount(NamedTuple):
    start: int
    end: int
    value: float
    currency: str | None = None    # ISO 4217 when written, None for the RM's default
    value_max: float | None = None  # the upper end of a range


def find_amounts(text: str) -> list[Amount]:
    """Every amount, left to right."""
    folded = fold_width(text)
    found: list[Amount] = []
    for match in _AMOUNT.finditer(folded):
        amount = _read(match, folded)
        if amount is not None:
            found.append(amount)
    return found


def first_amount(text: str) -> float | None:
    """The first amount's value (an edited amount field)."""
    found = [amount.value for amount in find_amounts(text) if amount.value > 0]
    return found[0] if found else None


_BETWEEN = re.compile(r"between\s*$", re.IGNORECASE)
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")


def _read(match: re.Match[str], text: str) -> Amount | None:
    dash = match.group("dash")
    if dash and dash.lower() == "and" and not _BETWEEN.search(text, max(0, match.start() - 12), match.start()):
        return _read_first(match, text)       # "500k and 800k" without "between": two amounts
    pre, suffix = match.group("pre"), match.group("suf")
    n1, n2 = match.group("n1"), match.group("n2")
    s1, s2 = match.group("s1"), match.group("s2")
    end = match.start() + len(match.group(0).rstrip())
    if suffix and text.startswith("旦", end):
        return None                                   # 元旦 is New Year's Day
    unit_written = bool(suffix or s1 or s2 or pre)
    if not unit_written and n2 is None and _GROUPED.fullmatch(n1) and not _NOT_MONEY_AFTER.match(text, end):
        unit_written = True           # 45,000 · 82,225.00: grouped like money (counts and years never are)
    last = n2 or n1
    if _NOT_MONEY_AFTER.match(text, end) and _dated_after_sum(last, s1 or s2, text, end):
        unit_written = unit_written or bool(_BIG_UNIT.search(last))
        count_after = False
    else:
        count_after = bool(_NOT_MONEY_AFTER.match(text, end))
    if not unit_written:
        # the numeral alone is money only with 万/亿/千 in it: 50万, 三点五万, 200-300万 (not 3万人)
        if not _BIG_UNIT.search(last) or count_after:
            return None
    elif not (suffix or s1 or s2) and count_after:
        return None                                   # $ 5 people? a count after all
    if n2 is not None:
        tail, own = _UNIT_TAIL.search(n2), _UNIT_TAIL.search(n1)
        if tail and not own:
            n1 += tail.group(0)                       # 200-300万: 200万 to 300万
        elif tail and own and len(tail.group(0)) > len(own.group(0)) and tail.group(0).startswith(own.group(0)):
            n1 += tail.group(0)[len(own.group(0)):]   # 2百到3百万: 2百万 to 3百万
    pair = _PAIR.match(n1) if n2 is None else None
    if pair:
        low, high = read_numeral(n1[0] + n1[2:]), read_numeral(n1[1] + n1[2:])
    else:
        low, high = read_numeral(n1), (read_numeral(n2) if n2 else None)
    if low is None or (n2 is not None and high is None):
        return None
    scale1 = _SCALES[s1.lower()] if s1 else None
    scale2 = _SCALES[s2.lower()] if s2 else None
    low *= scale1 or scale2 or 1
    if match.group("w1"):
        low += int(match.group("w1")) * 1e3          # 1w5: 1万5千
    if high is not None:
        high *= scale2 or scale1 or 1
    if not pair and n2 is None and suffix and suffix.lower() in ("元", "块", "块钱", "圆"):
        sub = _SUBUNITS.match(text, end)
        if sub and (sub.group(2) or suffix != "元" or sub.group(3)):
            low += (read_numeral(sub.group(1)) or 0) * 0.1 + (read_numeral(sub.group(3) or "零") or 0) * 0.01
            end = sub.end()
    if low <= 0 or (high is not None and high <= low):
        return None
    currency = _currency(pre) or _currency(suffix) or _currency_in_clause(text, match.start())
    return Amount(match.start(), end, low, currency, high)


#: Time words that are also counting words (3年, 5天): after a sum written with 万/亿/千 or k/m they
#: open the next phrase, a deadline or a date (300万 周五前回复, 5个亿 年后再约, 200万月底前), not a count.
#: 两千年 stays the year 2000.
_TIME_COUNT = re.compile(r"\s*[年月周天日号]")


def _dated_after_sum(numeral: str, scale: str | None, text: str, end: int) -> bool:
    time_word = _TIME_COUNT.match(text, end)
    if time_word is None:
        return False
    if bool(scale) or re.search(r"[万萬亿億]$", numeral):
        return True
    return bool(re.search(r"[千仟]$", numeral)) and not time_word.group(0).endswith("年")


def _read_first(match: re.Match[str], text: str) -> Amount | None:
    single = _AMOUNT.match(text, match.start(), match.start("dash"))
    return _read(single, text) if single and single.group("n2") is None else None


def _has_digit(numeral: str) -> bool:
    return any(ch.isdigit() or ch in _CN_DIGIT for ch in numeral)


def _currency(word: str | None) -> str | None:
    return CURRENCIES.get(word.lower()) if word else None


def _currency_in_clause(text: str, start: int) -> str | None:
    window = text[max(0, start - _LOOK_BACK):start]
    window = _CLAUSE_BREAK.split(window)[-1]
    found = _CLAUSE_CURRENCY.findall(window)
    return CURRENCIES.get(found[-1].lower()) if found else None


#: Words an RM corrects themself with ("¥1.2m… actually 12万", "120万，不对，12万", "I mean 1.5m").
CORRECTION = re.compile(
    r"(?<![A-Za-z])(?:actually|sorry|i\s+mean|i\s+meant|correction|scratch\s+that|make\s+(?:that|it)|oops|typo|"
    r"or\s+rather|should\s+(?:be|read))(?![A-Za-z])|不对|更正|应该是|应为|说错了?|写错了?|口误|纠正|改为|改成|哦不",
    re.IGNORECASE)
#: "不是120万" / "not 120万": the amount written right after is the wrong one.
_DENIED = re.compile(r"(?:不是|并非|而非|(?<![A-Za-z])(?:not|rather\s+than|instead\s+of))\s*$", re.IGNORECASE)


def corrected_amount(text: str, amounts: list[Amount]) -> tuple[Amount | None, bool]:
    """The amount the note means, and whether it is left open because a correction is unclear.

    Without a correction word the first amount stands. A correction word between two amounts
    means the later one replaces the earlier ("¥1.2m… actually 12万"); an amount right after
    不是 / not is the rejected one ("是12万不是120万", "不是120万，是12万"). A correction the rule
    cannot place among several amounts (before the first, after the last) leaves the amount open, so the
    first value is never kept silently. A correction without a currency keeps the corrected one's.
    """
    if not amounts:
        return None, False
    folded = fold_width(text)
    denied = [a for a in amounts if _DENIED.search(folded, max(0, a.start - 6), a.start)]
    kept = [a for a in amounts if a not in denied]
    corrections = list(CORRECTION.finditer(folded))
    if len(amounts) == 1 and not denied:
        return _currency_corrected(folded, amounts[0], corrections), False
    if not corrections and not denied:
        if any(_ALTERNATIVE.fullmatch(folded[a.end:b.start]) for a, b in itertools.pairwise(amounts)):
            return None, True       # "2m or maybe 3m", "50万或者80万": the RM has not decided; asked
        return amounts[0], False
    if denied and len(kept) == 1 and not corrections:
        return _with_currency(kept[0], denied[0]), False
    current = kept[0] if kept else None
    for later in kept[1:]:
        assert current is not None
        between = folded[current.end:later.start]
        if CORRECTION.search(between):
            current = _with_currency(later, current)
    if current is None:
        return None, True
    # a correction word after the amount kept, or one that replaced nothing, is not placed
    if any(match.start() >= current.end for match in corrections) or (corrections and current is kept[0]):
        return None, True
    return current, False


#: Two amounts offered as alternatives, not a correction or a range.
_ALTERNATIVE = re.compile(r"[\s,，]*(?:(?<![A-Za-z])or(?:\s+(?:maybe|perhaps|possibly))?(?![A-Za-z])|或者?|还是|要么|也可能是?)\s*",
                          re.IGNORECASE)


def _currency_corrected(folded: str, amount: Amount, corrections: list[re.Match[str]]) -> Amount:
    """One amount, and after it a correction naming a currency ("500万美元，说错了，是人民币"): the
    currency is what is corrected. Any other correction word is about something else."""
    for match in corrections:
        if match.start() >= amount.end:
            found = _CLAUSE_CURRENCY.search(folded, match.end(), match.end() + 8)
            if found:
                return amount._replace(currency=CURRENCIES[found.group(1).lower()])
    return amount


def _with_currency(amount: Amount, replaced: Amount) -> Amount:
    if amount.currency is None and replaced.currency is not None:
        return amount._replace(currency=replaced.currency)
    return amount

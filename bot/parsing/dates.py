"""Date and time expressions RMs type, in English and Chinese, resolved against an injected today.

dateparser misreads most Chinese relative dates (下周二, 三天后, 月底), so the rules here are the
contract and dateparser is only a fallback for English forms the rules do not know.

A mention is found first and resolved later, because some forms need the note's context:
a bare weekday ("on Tuesday") is the last occurrence for a contact that happened and the next
occurrence for a follow-up.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date, time, timedelta
from enum import Enum

from bot.parsing.numbers import CN_COUNT, EN_COUNT, cn_to_int, count_to_int


class Lean(Enum):
    """Which way a mention points in time, before context is known."""

    PAST = "past"        # yesterday, 3 days ago, last Monday, 上周二
    FUTURE = "future"    # tomorrow, in 2 weeks, next Tuesday, 下周二
    FIXED = "fixed"      # today, Dec 3, 周二 (this week's): resolved without context
    CONTEXT = "context"  # bare weekday, the 28th: direction comes from the note


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    lean: Lean
    on: date | None = None          # resolved date for PAST/FUTURE/FIXED
    weekday: int | None = None      # CONTEXT: weekday 0..6
    day_of_month: int | None = None  # CONTEXT: day of month 1..31
    month: int | None = None        # CONTEXT with day_of_month: a month-day without a year (3月8号)
    deadline: bool = False          # by Friday, before Dec 3, 周五前, 春节前: due then, so a follow-up
    evening: bool | None = None     # 昨晚 / 明早: which half of the day a bare 8点 is in
    alt: tuple[int, int] | None = None  # 3/4: the other (month, day) reading
    period: bool = False            # mid-January, 3月上旬: a part of a month, named ahead of time
    festival: bool = False          # 元旦, 国庆后, before CNY: placed against now in note.py (a horizon)
    last: date | None = None        # a bare festival (元旦): its most recent day, for a note in the past tense
    next_end: date | None = None    # 月底, end of the week: the next period's end, when this one ends today

    def resolve(self, today: date, *, future: bool) -> date:
        """The date this mention names, given whether the note points it forward."""
        if self.on is not None:
            return self.on
        if self.month is not None:
            assert self.day_of_month is not None
            return month_day_on(today, self.month, self.day_of_month, future=future)
        if self.weekday is not None:
            if future:
                return today + timedelta(days=(self.weekday - today.weekday() - 1) % 7 + 1)
            return today - timedelta(days=(today.weekday() - self.weekday) % 7)
        assert self.day_of_month is not None
        return _day_of_month(today, self.day_of_month, future=future)


@dataclass(frozen=True)
class TimeMention:
    start: int
    end: int
    at: time


WEEKDAYS_EN = {
    "monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2,
    "thursday": 3, "thu": 3, "thur": 3, "thurs": 3, "friday": 4, "fri": 4,
    "saturday": 5, "sat": 5, "sunday": 6,  # no "sun": Sun is a common surname
}
MONTHS_EN = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}
WEEKDAYS_ZH = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6,
               "1": 0, "2": 1, "3": 2, "4": 3, "5": 4, "6": 5, "7": 6}
DAY_OFFSETS = {
    "day before yesterday": -2, "day after tomorrow": 2, "tomorrow": 1, "tmr": 1, "tmrw": 1,
    "yesterday": -1, "today": 0, "tonight": 0, "this morning": 0, "this afternoon": 0,
    "this evening": 0, "last night": -1, "tomorrow morning": 1, "tomorrow afternoon": 1,
    "tomorrow evening": 1, "tomorrow night": 1, "yesterday morning": -1, "yesterday afternoon": -1,
    "yesterday evening": -1,
    # shorthand RMs type (ystd, yday, 2moro, eod) and the usual misspellings of yesterday / tomorrow
    "ystd": -1, "ystdy": -1, "yday": -1, "yest": -1, "yesterdy": -1, "yestrday": -1, "yesteday": -1,
    "yesturday": -1, "2moro": 1, "2morrow": 1, "2mrw": 1, "tmrrw": 1, "tomorow": 1, "tommorow": 1,
    "tommorrow": 1, "eod": 0, "end of day": 0, "end of today": 0, "cob": 0, "close of business": 0,
    "大前天": -3, "前天": -2, "昨天": -1, "昨日": -1, "昨晚": -1, "昨早": -1, "昨夜": -1, "今天": 0, "今日": 0,
    "今早": 0, "今晚": 0, "今夜": 0, "明天": 1, "明日": 1, "明早": 1, "明晚": 1, "后天": 2, "大后天": 3,
}
#: Which half of the day a date word names, for a bare hour beside it (昨晚8点 is 20:00).
_EVENING_WORDS = {"昨晚": True, "今晚": True, "明晚": True, "昨夜": True, "今夜": True, "tonight": True,
                  "last night": True, "this evening": True, "tomorrow evening": True, "tomorrow night": True,
                  "yesterday evening": True, "this afternoon": True, "tomorrow afternoon": True,
                  "yesterday afternoon": True,
                  "今早": False, "明早": False, "昨早": False, "this morning": False, "tomorrow morning": False,
                  "yesterday morning": False}
#: Festivals by the words RMs use (the dates come from the digest's calendar).
FESTIVALS_ZH = {"元旦": "new_year", "春节": "spring_festival", "过年": "spring_festival", "新年": "spring_festival",
                "除夕": "new_years_eve", "元宵": "lantern", "元宵节": "lantern", "清明": "qingming",
                "清明节": "qingming", "五一": "labour_day", "劳动节": "labour_day", "端午": "dragon_boat",
                "端午节": "dragon_boat", "中秋": "mid_autumn", "中秋节": "mid_autumn", "国庆": "national_day",
                "国庆节": "national_day", "十一": "national_day", "圣诞": "christmas", "圣诞节": "christmas",
                "节": "next", "假期": "next", "长假": "next", "放假": "next"}
FESTIVALS_EN = {"chinese new year": "spring_festival", "cny": "spring_festival", "spring festival": "spring_festival",
                "lunar new year": "spring_festival", "new year": "new_year", "new year's day": "new_year",
                "new years": "new_year", "new year's": "new_year", "national day": "national_day",
                "golden week": "national_day", "mid-autumn festival": "mid_autumn", "mid-autumn": "mid_autumn",
                "mid autumn": "mid_autumn", "dragon boat festival": "dragon_boat", "dragon boat": "dragon_boat",
                "qingming": "qingming", "may day": "labour_day", "labour day": "labour_day",
                "labor day": "labour_day", "christmas": "christmas", "xmas": "christmas",
                "holidays": "next", "holiday": "next", "the holidays": "next", "the holiday": "next"}

_WD = "|".join(sorted(WEEKDAYS_EN, key=len, reverse=True))
_MON = "|".join(sorted(MONTHS_EN, key=len, reverse=True))
_B = r"(?<![A-Za-z])"   # word start for English inside mixed-script text
_E = r"(?![A-Za-z])"    # word end
_ORD = r"(?:st|nd|rd|th)?"
_UNIT_EN = r"(day|week|wk|month|mth|year|yr)s?"
_UNIT_ZH = r"(天|日|周|个?星期|个?礼拜|个?月|年)"
_ZH_WD = r"([一二三四五六日天1-7])"
_ZH_DAY = r"(\d{1,2}|[一二三四五六七八九十]{1,3})"
_FEST_ZH = "|".join(sorted((k for k in FESTIVALS_ZH if k not in ("节", "假期", "长假", "放假", "十一", "五一")),
                           key=len, reverse=True))
_FEST_EN = "|".join(re.escape(k) for k in sorted(FESTIVALS_EN, key=len, reverse=True))
_FEST_EN_BARE = "|".join(re.escape(k) for k in sorted(
    (k for k in FESTIVALS_EN if FESTIVALS_EN[k] != "next" and k not in ("cny", "new year", "new years", "new year's")),
    key=len, reverse=True))
_PERIOD_ZH = r"(上旬|中旬|下旬|初|中|底|末)"

# (pattern, builder name). Order matters only for equal spans; longer spans win overlaps.
_PATTERNS: list[tuple[re.Pattern[str], str]] = [(re.compile(p, re.IGNORECASE), kind) for p, kind in [
    (_B + r"(" + "|".join(sorted((k for k in DAY_OFFSETS if k.isascii()), key=len, reverse=True)) + r")" + _E, "offset"),
    (r"(" + "|".join(k for k in sorted(DAY_OFFSETS, key=len, reverse=True) if not k.isascii()) + r")", "offset"),
    (_B + r"(" + EN_COUNT + r")\s*" + _UNIT_EN + r"\s+(?:ago|before|earlier)" + _E, "ago"),
    (_B + r"(?:in|within|after)\s+(" + EN_COUNT + r")\s*" + _UNIT_EN + _E, "later"),
    (_B + r"(" + EN_COUNT + r")\s*" + _UNIT_EN + r"\s+(?:later|from now|from today)" + _E, "later"),
    (r"(" + CN_COUNT + r")\s*" + _UNIT_ZH + r"(?:之|以)?前", "ago"),
    (r"(" + CN_COUNT + r")\s*" + _UNIT_ZH + r"(?:之|以)?[后後内]", "later"),
    (r"(?<![见看听做办去来经通])过(" + CN_COUNT + r")\s*" + _UNIT_ZH + r"(?:之|以)?[后後]?", "later"),
    (r"(?<!一个)半个?月(?:之|以)?[后後]", "half_month"),
    (_B + r"(next|this|last|coming)\s+(" + _WD + r")" + _E, "rel_weekday"),
    (_B + r"(next|nxt|this|last|lst)\s+(week|wk|month|mth|mo|year|yr|quarter|qtr)" + _E, "rel_period"),
    (_B + r"(?:on\s+)?(" + _WD + r")" + _E + r"(?-i:(?!\s+(?!(?:At|On|Morning|Afternoon|Evening|Next|This)\b)[A-Z][a-z]+))", "bare_weekday"),
    (_B + r"(?:on\s+)?(" + _WD + r"),?\s+(next|this|last)\s+week" + _E, "weekday_of_week"),
    (_B + r"(next|this|last)\s+week,?\s+(?:on\s+)?(" + _WD + r")" + _E, "week_of_weekday"),
    (_B + r"(?:the\s+)?(" + _WD + r")\s+after\s+next" + _E, "after_next"),
    (_B + r"(?:the\s+)?week\s+after\s+next" + _E, "week_after_next"),
    (_B + r"(a|one|two|three|" + r"\d)\s+weeks?\s+(?:from|on)\s+(" + _WD + r"|today|tomorrow)" + _E, "week_from"),
    (_B + r"(this|next|the|over\s+the|on\s+the)\s+weekend" + _E, "weekend_en"),
    (r"(下下|下|上|这|本)?(?:个)?(?:周|星期|礼拜)末", "zh_weekend"),
    (r"(下下|下|上|这|本|这个|下个|上个)?(?:周|星期|礼拜)" + _ZH_WD, "zh_weekday"),
    (r"(下下|下|上|这|本)(?:个)?(?:周|星期|礼拜)(?![一二三四五六日天1-7末])", "zh_week"),
    (r"(下|上|这|本)个?月(?:月(?=[初中底末]))?" + _PERIOD_ZH + r"?", "zh_month"),
    (r"(下|上|这|本)个?月" + _ZH_DAY + r"(?:号|日)", "zh_month_nth"),
    (r"(?<![月\d])" + r"(上旬|中旬|下旬|月初|月中)", "zh_bare_period"),
    (_ZH_DAY + r"月(?:份)?" + _PERIOD_ZH, "zh_named_month_period"),
    (r"(下|本|这|上)?(?:一)?个?季度(初|末|底)?|(?<![本这上下个])季(末|度末)", "zh_quarter"),
    (r"(?:这个|本)?月(?:底|末)", "month_end"),
    (r"(?:今)?年(?:底|末)", "year_end"),
    (_B + r"(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?(month|year|week|wk|quarter)" + _E, "end_of"),
    (_B + r"(?:the\s+)?end\s+of\s+next\s+(month|week|year|quarter)" + _E, "end_of_next"),
    (_B + r"(month|year|quarter|week)[- ]end" + _E, "end_of"),
    (_B + r"(eom|eoy|eow|eoq)" + _E, "end_of"),
    (_B + r"(early|mid|late|end\s+of|beginning\s+of|start\s+of)[- ]?(next\s+month|this\s+month)" + _E, "part_of_rel_month"),
    (_B + r"(early|mid|late|end\s+of|beginning\s+of|start\s+of|the\s+end\s+of|the\s+beginning\s+of|the\s+middle\s+of|middle\s+of)[- ]?(" + _MON + r")\.?" + _E, "part_of_month"),
    (_B + r"(?:the\s+)?(\d{1,2})" + _ORD + r"\s+(?:of\s+)?(next|this|last)\s+month" + _E, "nth_of_rel_month"),
    (_B + r"(next|this)\s+month\s+on\s+the\s+(\d{1,2})" + _ORD + _E, "rel_month_nth"),
    (_B + r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})" + r"(?!\d)", "iso"),
    (r"(\d{4})年(\d{1,2})月(\d{1,2})[日号]", "iso"),
    (_B + r"(" + _MON + r")\.?\s+(\d{1,2})" + _ORD + r"(?:,?\s+(\d{4}))?" + r"(?![\d:])" + _E, "month_day"),
    (_B + r"(\d{1,2})" + _ORD + r"\s+(?:of\s+)?(" + _MON + r")" + _E + r"(?:,?\s+(\d{4}))?", "day_month"),
    (r"(?<![\d.])(\d{1,2})/(\d{1,2})(?![\d/])", "slash"),
    (_ZH_DAY + r"月" + _ZH_DAY + r"(?:日|号)?", "zh_month_day"),
    # 12.3回访: month.day in Chinese notes, only right before an action (3.5万, 利率3.2 stay numbers)
    (r"(?<![\d.率化约为])(1[0-2]|0?[1-9])\.(3[01]|[12]\d|0?[1-9])(?![\d.%])(?=\s*(?:号|日)?\s*(?:之前|以前|前|之后|以后|后)?\s*"
     r"(?:回访|跟进|拜访|再联系|联系|电话|打电话|见面|面谈|签约|签合同|放款|开会|上门|再约))", "zh_dot_month_day"),
    (_B + r"(?:on\s+)?the\s+(\d{1,2})" + _ORD + _E + r"(?![.,]?\d|%|\s+(?:time|times|floor|round|generation|tier|year|branch|meeting|visit|call)s?\b)", "the_nth"),
    (r"(?<![\d月])" + _ZH_DAY + r"(?:号|日)(?!元|[楼线院门房厅馆室车位床机柜窗口台桌座街路仓库栋幢单间层])", "zh_nth"),
    (r"(" + _FEST_ZH + r"|节|假期|长假|放假|(?:十一|五一)(?:节|假期|长假)?)(?:假期|长假)?(之前|以前|前后|前|之后|以后|后)?", "festival_zh"),
    (r"(?<![\d今去明前后当每这那本上下一二两三四五六七八九十几多跨同])年(前|后)", "new_year_zh"),
    (_B + r"(before|after|post|pre|by)[- ]?(?:the\s+)?(" + _FEST_EN + r")" + _E, "festival_en"),
    # a festival by its name alone: "visited Fu on New Year's Day" (not CNY, which is also the yuan)
    (_B + r"(?:on\s+|at\s+|over\s+)?(?:the\s+)?(" + _FEST_EN_BARE + r")" + _E, "festival_en_bare"),
]]
#: A deadline: "by Friday", "before Dec 3" (before the mention); 周五前, 15号之前 (after it).
_DEADLINE_BEFORE = re.compile(r"(?<![A-Za-z])(?:by|before|no\s+later\s+than|prior\s+to|ahead\s+of|until|till|due)\s+(?:the\s+|this\s+|next\s+)?$",
                              re.IGNORECASE)
_DEADLINE_AFTER = re.compile(r"(?:之前|以前|前)(?!后)")

_EN_HOUR = r"(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_CN_MIN = r"(\d{1,2}|[零一二三四五六七八九十]{1,3})"
_TIME_PATTERNS = [re.compile(p, re.IGNORECASE) for p in [
    r"(?<![\d:.])(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)(?![A-Za-z])",
    r"(上午|早上|早晨|中午|下午|晚上|傍晚|晚)?\s*(?<![\d:])([01]?\d|2[0-3])[:：]([0-5]\d)(?!\d)",
    r"(上午|早上|早晨|早|中午|下午|晚上|傍晚|晚|凌晨)?\s*(\d{1,2}|[一二两三四五六七八九十]{1,3})\s*[点點时](?:\s*(半|一刻|三刻|" + _CN_MIN + r"分?))?(?![万亿千百元块\d零一二两三四五六七八九十])",
    r"(?<![A-Za-z])(noon|midday)(?![A-Za-z])",
    r"(?<![A-Za-z])(half|quarter)\s+(past|to)\s+" + _EN_HOUR + r"(?:\s*(am|pm|a\.m\.|p\.m\.|in\s+the\s+(?:morning|afternoon|evening)|at\s+night|tonight))?(?![A-Za-z])",
    r"(?<![\d:])(\d{1,2})(?::(\d{2}))?\s+(in\s+the\s+(?:morning|afternoon|evening)|at\s+night|tonight)(?![A-Za-z])",
    # "tomorrow evening at 7": a bare hour read with the date word before it
    r"(?:(?<=evening)|(?<=morning)|(?<=ternoon)|(?<=night))\s+(?:at|@)\s*(\d{1,2})(?:[:.](\d{2}))?(?![\d:.%])(?!\s*(?:am|pm|a\.m|p\.m|k|m)\b)",
]]


#: Words a pattern cannot match without (checked first: most patterns find nothing in most notes).
_NEEDS: dict[tuple[str, bool], tuple[str, ...]] = {
    ("ago", True): ("ago", "before", "earlier"), ("ago", False): ("前",),
    ("later", True): ("in", "within", "after", "later", "from"), ("later", False): ("后", "後", "内", "过"),
    ("half_month", False): ("半",), ("rel_weekday", True): ("next", "this", "last", "coming"),
    ("rel_period", True): ("next", "nxt", "this", "last", "lst"), ("weekday_of_week", True): ("week",),
    ("week_of_weekday", True): ("week",), ("after_next", True): ("after",), ("week_after_next", True): ("after",), ("week_from", True): ("week",),
    ("weekend_en", True): ("weekend",), ("zh_weekend", False): ("末",), ("zh_weekday", False): ("周", "星期", "礼拜"),
    ("zh_week", False): ("周", "星期", "礼拜"), ("zh_month", False): ("月",), ("zh_month_nth", False): ("月",),
    ("zh_bare_period", False): ("旬", "月"), ("zh_named_month_period", False): ("月",), ("zh_quarter", False): ("季",),
    ("month_end", False): ("月",), ("year_end", False): ("年",), ("end_of", True): ("end", "eo"),
    ("end_of_next", True): ("end",), ("part_of_rel_month", True): ("month",),
    ("part_of_month", True): ("early", "mid", "late", "end", "beginning", "start"),
    ("nth_of_rel_month", True): ("month",), ("rel_month_nth", True): ("month",),
    ("month_day", True): tuple(MONTHS_EN), ("day_month", True): tuple(MONTHS_EN),
    ("slash", False): ("/",), ("zh_month_day", False): ("月",), ("zh_dot_month_day", False): (".",), ("the_nth", True): ("the",),
    ("zh_nth", False): ("号", "日"), ("new_year_zh", False): ("年",),
    ("festival_en", True): ("before", "after", "post", "pre", "by"),
    ("festival_en_bare", True): ("new year", "national", "golden", "autumn", "dragon", "qingming", "may day", "labo",
                                 "christmas", "xmas", "spring festival"), ("bare_weekday", True): tuple(WEEKDAYS_EN),
}
_NEEDS_BY_PATTERN = [_NEEDS.get((kind, pattern.pattern.startswith(_B))) for pattern, kind in _PATTERNS]

_CJK_CHAR = re.compile(r"[\u3400-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")


def _worth_trying(pattern: re.Pattern[str], has_cjk: bool, has_latin: bool, has_digit: bool) -> bool:
    """Skip a pattern whose script (or digits) the text lacks: most notes are one language."""
    source = pattern.pattern
    if source.startswith(_B) and not has_latin:
        return False
    if not source.startswith(_B) and not has_cjk and not has_digit:
        return False
    return True


def find_dates(text: str, today: date) -> list[DateMention]:
    """Every date expression in text, left to right, longest first where they overlap."""
    found: list[DateMention] = []
    has_cjk, has_latin = bool(_CJK_CHAR.search(text)), bool(_LATIN.search(text))
    has_digit = any(char.isdigit() for char in text)
    lower = text.lower()
    for (pattern, kind), needs in zip(_PATTERNS, _NEEDS_BY_PATTERN, strict=True):
        if needs is not None and not any(word in lower for word in needs):
            continue
        if not _worth_trying(pattern, has_cjk, has_latin, has_digit):
            continue
        for match in pattern.finditer(text):
            mention = _build(kind, match, today)
            if mention is not None:
                found.append(mention)
    return [_as_deadline(text, mention) for mention in _non_overlapping(found)]


def _as_deadline(text: str, mention: DateMention) -> DateMention:
    if mention.deadline or mention.lean is Lean.PAST:
        return mention
    if _DEADLINE_BEFORE.search(text, max(0, mention.start - 20), mention.start):
        return replace(mention, deadline=True)
    after = _DEADLINE_AFTER.match(text, mention.end)
    if after:
        return replace(mention, end=after.end(), deadline=True)
    return mention


def find_times(text: str) -> list[TimeMention]:
    """Clock times (3pm, 15:00, 下午3点, half past 3, 15时20分), left to right."""
    found: list[TimeMention] = []
    for index, pattern in enumerate(_TIME_PATTERNS):
        for match in pattern.finditer(text):
            at = _build_time(index, match)
            if at is not None:
                found.append(TimeMention(match.start(), match.end(), at))
    return _non_overlapping(found)


def evening_of(mentions: list[DateMention], time_mention: TimeMention) -> bool | None:
    """The half of the day a date word right before a bare hour names (昨晚8点, 明早9点)."""
    for mention in mentions:
        if mention.evening is not None and mention.end >= time_mention.start - 2 and mention.start < time_mention.start:
            return mention.evening
    return None


def _non_overlapping(found: list) -> list:
    kept: list = []
    for mention in sorted(found, key=lambda m: -(m.end - m.start)):
        if all(mention.end <= k.start or mention.start >= k.end for k in kept):
            kept.append(mention)
    return sorted(kept, key=lambda m: m.start)


def _add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _month_end(day: date) -> date:
    return date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])


def _quarter_start(day: date, quarters: int = 0) -> date:
    return _add_months(date(day.year, (day.month - 1) // 3 * 3 + 1, 1), 3 * quarters)


def _shift(today: date, count: int, unit: str, sign: int) -> date:
    unit = unit.lower()
    if unit.startswith(("day", "天", "日")):
        return today + timedelta(days=sign * count)
    if unit.startswith(("week", "wk", "周")) or "星期" in unit or "礼拜" in unit:
        return today + timedelta(weeks=sign * count)
    if unit.startswith(("year", "yr")) or unit == "年":
        return _add_months(today, sign * 12 * count)
    return _add_months(today, sign * count)


def _monday(today: date, weeks: int = 0) -> date:
    return today - timedelta(days=today.weekday()) + timedelta(weeks=weeks)


def _next_weekday(today: date, weekday: int) -> date:
    """The first such weekday counting from tomorrow."""
    return today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)


def _day_of_month(today: date, day: int, *, future: bool) -> date:
    """The next (or last) date whose day of month is `day`, skipping months that lack it."""
    step = 1 if future else -1
    cursor = date(today.year, today.month, 1)
    for _ in range(14):
        if day <= calendar.monthrange(cursor.year, cursor.month)[1]:
            candidate = cursor.replace(day=day)
            if (future and candidate >= today) or (not future and candidate <= today):
                return candidate
        cursor = _add_months(cursor, step)
    return today


def month_day_on(today: date, month: int, day: int, *, future: bool) -> date:
    """3月8号 without a year: the next one on or after today, or the last one on or before it."""
    for year in ((today.year, today.year + 1) if future else (today.year, today.year - 1)):
        candidate = _safe_date(year, month, day) or _safe_date(year, month, 28)
        assert candidate is not None
        if (future and candidate >= today) or (not future and candidate <= today):
            return candidate
    return today


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _year_less(s: int, e: int, month: int | None, day: int | None, *, period: bool = False) -> DateMention | None:
    """A month-day without a year: which year depends on the note (see note.py)."""
    if not month or not day or month > 12 or _safe_date(2024, month, day) is None:
        return None
    return DateMention(s, e, Lean.CONTEXT, month=month, day_of_month=day, period=period)


_PART_DAY = {"early": 1, "beginning of": 1, "start of": 1, "the beginning of": 1, "mid": 15, "middle of": 15,
             "the middle of": 15, "late": 21, "初": 1, "上旬": 1, "中": 15, "中旬": 11, "下旬": 21,
             "月初": 1, "月中": 15}


def _build(kind: str, m: re.Match[str], today: date) -> DateMention | None:
    s, e = m.start(), m.end()
    g = m.groups()
    on: date | None
    if kind == "offset":
        word = g[0].lower()
        offset = DAY_OFFSETS[word]
        lean = Lean.FIXED if offset == 0 else (Lean.PAST if offset < 0 else Lean.FUTURE)
        return DateMention(s, e, lean, on=today + timedelta(days=offset), evening=_EVENING_WORDS.get(word))
    if kind in ("ago", "later"):
        count = count_to_int(g[0])
        if count is None or count > 400:
            return None
        sign = -1 if kind == "ago" else 1
        return DateMention(s, e, Lean.PAST if sign < 0 else Lean.FUTURE,
                           on=_shift(today, count, g[1], sign))
    if kind == "half_month":
        return DateMention(s, e, Lean.FUTURE, on=today + timedelta(days=15))
    if kind == "rel_weekday":
        which, weekday = g[0].lower(), WEEKDAYS_EN[g[1].lower()]
        if which == "coming":
            return DateMention(s, e, Lean.FUTURE, on=_next_weekday(today, weekday))
        weeks = {"next": 1, "this": 0, "last": -1}[which]
        lean = {"next": Lean.FUTURE, "this": Lean.FIXED, "last": Lean.PAST}[which]
        return DateMention(s, e, lean, on=_monday(today, weeks) + timedelta(days=weekday))
    if kind in ("weekday_of_week", "week_of_weekday"):
        weekday_word, which = (g[0], g[1]) if kind == "weekday_of_week" else (g[1], g[0])
        weeks = {"next": 1, "this": 0, "last": -1}[which.lower()]
        lean = {1: Lean.FUTURE, 0: Lean.FIXED, -1: Lean.PAST}[weeks]
        return DateMention(s, e, lean, on=_monday(today, weeks) + timedelta(days=WEEKDAYS_EN[weekday_word.lower()]))
    if kind == "after_next":
        return DateMention(s, e, Lean.FUTURE, on=_next_weekday(today, WEEKDAYS_EN[g[0].lower()]) + timedelta(weeks=1))
    if kind == "week_after_next":
        return DateMention(s, e, Lean.FUTURE, on=_monday(today, 2))
    if kind == "week_from":
        weeks = count_to_int(g[0]) or 1
        anchor = g[1].lower()
        base = (today if anchor == "today" else today + timedelta(days=1) if anchor == "tomorrow"
                else _next_weekday(today, WEEKDAYS_EN[anchor]))
        return DateMention(s, e, Lean.FUTURE, on=base + timedelta(weeks=weeks))
    if kind == "rel_period":
        which, unit = g[0].lower(), g[1].lower()
        unit = {"wk": "week", "mth": "month", "mo": "month", "yr": "year", "qtr": "quarter"}.get(unit, unit)
        sign = {"next": 1, "nxt": 1, "this": 0, "last": -1, "lst": -1}[which]
        if sign == 0:
            return None
        lean = Lean.FUTURE if sign > 0 else Lean.PAST
        if unit == "week":
            return DateMention(s, e, lean, on=_monday(today, sign))
        if unit == "month":
            return DateMention(s, e, lean, on=_add_months(today.replace(day=1), sign))
        if unit == "quarter":
            return DateMention(s, e, lean, on=_quarter_start(today, sign))
        return DateMention(s, e, lean, on=date(today.year + sign, 1, 1))
    if kind == "bare_weekday":
        return DateMention(s, e, Lean.CONTEXT, weekday=WEEKDAYS_EN[g[0].lower()])
    if kind == "weekend_en":
        which = " ".join(g[0].lower().split())
        if which in ("the", "over the", "on the"):   # no this/next: the coming weekend or the one just passed
            return DateMention(s, e, Lean.CONTEXT, weekday=5)
        weeks = 1 if which == "next" else 0
        saturday = _monday(today, weeks) + timedelta(days=5)
        if weeks == 0 and saturday < today:   # said on Sunday: the coming weekend
            saturday += timedelta(weeks=1)
        if weeks:
            return DateMention(s, e, Lean.FUTURE, on=saturday)
        # this weekend: the coming one, but "visited Hao this weekend" said on Monday is the one just passed
        return DateMention(s, e, Lean.FIXED, on=saturday, weekday=5)
    if kind == "zh_weekend":
        weeks = {"下下": 2, "下": 1, "上": -1}.get(g[0] or "", 0)
        lean = Lean.FUTURE if weeks > 0 else (Lean.PAST if weeks < 0 else Lean.FIXED)
        # 周末 alone is a weekday word (its Saturday): 周末拜访了郝总 said on Monday is the one just passed
        return DateMention(s, e, lean, on=_monday(today, weeks) + timedelta(days=5), weekday=5 if weeks == 0 else None)
    if kind == "zh_weekday":
        prefix, weekday = g[0] or "", WEEKDAYS_ZH[g[1]]
        weeks = {"下下": 2, "下": 1, "下个": 1, "上": -1, "上个": -1}.get(prefix, 0)
        lean = Lean.FUTURE if weeks > 0 else (Lean.PAST if weeks < 0 else Lean.FIXED)
        return DateMention(s, e, lean, on=_monday(today, weeks) + timedelta(days=weekday),
                           weekday=weekday if not prefix else None)
    if kind == "zh_week":
        weeks = {"下下": 2, "下": 1, "上": -1}.get(g[0], 0)
        if weeks == 0:
            return None
        return DateMention(s, e, Lean.FUTURE if weeks > 0 else Lean.PAST, on=_monday(today, weeks))
    if kind == "zh_month":
        months = {"下": 1, "上": -1}.get(g[0], 0)
        first = _add_months(today.replace(day=1), months)
        part = g[1]
        if months == 0 and part is None:
            return None
        on = _month_end(first) if part in ("底", "末") else first.replace(day=_PART_DAY.get(part, 1))
        lean = Lean.FUTURE if months > 0 else (Lean.PAST if months < 0 else Lean.FIXED)
        later = _month_end(_add_months(first, 1)) if part in ("底", "末") and months == 0 else None
        return DateMention(s, e, lean, on=on, next_end=later)
    if kind == "zh_month_nth":
        months = {"下": 1, "上": -1}.get(g[0], 0)
        day_number = cn_to_int(g[1])
        first = _add_months(today.replace(day=1), months)
        on = _safe_date(first.year, first.month, day_number or 0)
        if on is None:
            return None
        lean = Lean.FUTURE if months > 0 else (Lean.PAST if months < 0 else Lean.FIXED)
        return DateMention(s, e, lean, on=on)
    if kind == "zh_bare_period":
        return DateMention(s, e, Lean.CONTEXT, day_of_month=_PART_DAY[g[0]])
    if kind == "zh_named_month_period":
        month = cn_to_int(g[0])
        if not month or month > 12:
            return None
        if g[1] in ("底", "末"):
            return _year_less(s, e, month, calendar.monthrange(today.year, month)[1], period=True)
        return _year_less(s, e, month, _PART_DAY[g[1]], period=True)
    if kind == "part_of_month":
        month = MONTHS_EN[g[1].lower()]
        part = " ".join(g[0].lower().split())
        if part.endswith("end of"):
            return _year_less(s, e, month, calendar.monthrange(today.year, month)[1], period=True)
        return _year_less(s, e, month, _PART_DAY[part], period=True)
    if kind == "part_of_rel_month":
        part = " ".join(g[0].lower().split())
        months = 1 if g[1].lower().startswith("next") else 0
        first = _add_months(today.replace(day=1), months)
        on = _month_end(first) if part.endswith("end of") else first.replace(day=_PART_DAY[part])
        return DateMention(s, e, Lean.FUTURE if months else Lean.FIXED, on=on)
    if kind in ("nth_of_rel_month", "rel_month_nth"):
        day_text, which = (g[0], g[1]) if kind == "nth_of_rel_month" else (g[1], g[0])
        months = {"next": 1, "this": 0, "last": -1}[which.lower()]
        first = _add_months(today.replace(day=1), months)
        on = _safe_date(first.year, first.month, int(day_text))
        if on is None:
            return None
        return DateMention(s, e, {1: Lean.FUTURE, 0: Lean.FIXED, -1: Lean.PAST}[months], on=on)
    if kind == "zh_quarter":
        if g[2] is not None:          # 季末 / 季度末: this quarter's last day
            return DateMention(s, e, Lean.FIXED, on=_quarter_start(today, 1) - timedelta(days=1),
                               next_end=_quarter_start(today, 2) - timedelta(days=1))
        quarters = {"下": 1, "上": -1}.get(g[0] or "", 0)
        if g[0] is None and g[1] is None:
            return None
        if g[1] in ("末", "底"):
            return DateMention(s, e, Lean.FIXED if quarters == 0 else Lean.FUTURE,
                               on=_quarter_start(today, quarters + 1) - timedelta(days=1),
                               next_end=_quarter_start(today, 2) - timedelta(days=1) if quarters == 0 else None)
        if quarters == 0:
            return None
        return DateMention(s, e, Lean.FUTURE if quarters > 0 else Lean.PAST, on=_quarter_start(today, quarters))
    if kind == "month_end":
        return DateMention(s, e, Lean.FIXED, on=_month_end(today), next_end=_month_end(_add_months(today.replace(day=1), 1)))
    if kind == "year_end":
        return DateMention(s, e, Lean.FIXED, on=date(today.year, 12, 31), next_end=date(today.year + 1, 12, 31))
    if kind == "end_of":
        unit = g[0].lower()
        if unit in ("month", "eom"):
            return DateMention(s, e, Lean.FIXED, on=_month_end(today),
                               next_end=_month_end(_add_months(today.replace(day=1), 1)))
        if unit in ("year", "eoy"):
            return DateMention(s, e, Lean.FIXED, on=date(today.year, 12, 31), next_end=date(today.year + 1, 12, 31))
        if unit in ("quarter", "eoq"):
            return DateMention(s, e, Lean.FIXED, on=_quarter_start(today, 1) - timedelta(days=1),
                               next_end=_quarter_start(today, 2) - timedelta(days=1))
        return DateMention(s, e, Lean.FIXED, on=_monday(today) + timedelta(days=4),
                           next_end=_monday(today, 1) + timedelta(days=4))
    if kind == "end_of_next":
        unit = g[0].lower()
        if unit == "month":
            on = _month_end(_add_months(today.replace(day=1), 1))
        elif unit == "week":
            on = _monday(today, 1) + timedelta(days=4)
        elif unit == "quarter":
            on = _quarter_start(today, 2) - timedelta(days=1)
        else:
            on = date(today.year + 1, 12, 31)
        return DateMention(s, e, Lean.FUTURE, on=on)
    if kind == "iso":
        on = _safe_date(int(g[0]), int(g[1]), int(g[2]))
        return DateMention(s, e, Lean.FIXED, on=on) if on else None
    if kind in ("month_day", "day_month"):
        month_name, day = (g[0], g[1]) if kind == "month_day" else (g[1], g[0])
        month, day_number = MONTHS_EN[month_name.lower()], int(day)
        year = g[2]
        if year:
            on = _safe_date(int(year), month, day_number)
            return DateMention(s, e, Lean.FIXED, on=on) if on else None
        return _year_less(s, e, month, day_number)
    if kind == "slash":
        left, right = cn_to_int(g[0]), cn_to_int(g[1])
        mention = _year_less(s, e, left, right)
        other = _year_less(s, e, right, left)
        if mention and other and left is not None and right is not None and left != right:
            return replace(mention, alt=(right, left))   # 3/4: 4 March or 3 April? asked
        return mention or other
    if kind in ("zh_month_day", "zh_dot_month_day"):
        return _year_less(s, e, cn_to_int(g[0]), cn_to_int(g[1]))
    if kind in ("the_nth", "zh_nth"):
        day_number = cn_to_int(g[0])
        if not day_number or day_number > 31:
            return None
        return DateMention(s, e, Lean.CONTEXT, day_of_month=day_number)
    if kind == "festival_zh":
        word, side = g[0], g[1]
        key = FESTIVALS_ZH.get(word) or FESTIVALS_ZH.get(word[:2])
        if key is None or (word in ("节", "假期", "长假", "放假") and not side) or side == "前后":
            return None     # 春节前后 is "around": neither before nor after, so not placed
        if word in ("十一", "五一") and not side and not _BARE_HOLIDAY_NUMBER.match(m.string, e):
            return None     # 十一点, 十一月, 五一路: a number or a name; 五一拜访了, 十一期间 are the holidays
        if not side and re.match(r"[路街道巷村镇区桥厂店楼苑园食品公司集团酒广商超]", m.string[e:e + 1]):
            return None     # 国庆路, 中秋食品厂: a name, not the festival
        return _festival(s, e, key, side, today)
    if kind == "new_year_zh":
        return _festival(s, e, "spring_festival", g[0], today)
    if kind == "festival_en":
        side = {"before": "前", "pre": "前", "by": "前", "after": "后", "post": "后"}[g[0].lower()]
        return _festival(s, e, FESTIVALS_EN[g[1].lower()], side, today)
    if kind == "festival_en_bare":
        return _festival(s, e, FESTIVALS_EN[" ".join(g[0].lower().split())], None, today)
    return None


#: What may follow a bare 五一 / 十一 for it to be the holiday: 期间, 那天, or (五一 only) a verb or a name.
_BARE_HOLIDAY_NUMBER = re.compile(r"(?:期间|那天|当天|黄金周)|(?<=五一)(?=拜访|见|和|跟|与|同|去|回访|约|请|陪|带|电话|微信|$)")


def _festival(s: int, e: int, key: str, side: str | None, today: date) -> DateMention | None:
    """春节前 the last working day before it, 国庆后 the first working day after it, 中秋 the day.

    `on` is the next such day (today or later); a bare festival also carries its most recent day
    (`last`), for a note in the past tense (元旦拜访了傅总 said on 4 January). How far ahead a
    festival may be placed without asking is note.py's rule (FESTIVAL_HORIZON_DAYS).
    """
    from bot.reminders.calendar import festival_day, is_working_day  # the digest's calendar

    keys = ("new_year", "spring_festival", "qingming", "labour_day", "dragon_boat", "mid_autumn",
            "national_day") if key == "next" else (key,)
    options = []
    passed = []
    for name in keys:
        for year in (today.year - 1, today.year, today.year + 1):
            day = festival_day(name, year)
            if day is None:
                continue
            if side and side.endswith("前"):
                day -= timedelta(days=1)
                while not is_working_day(day):
                    day -= timedelta(days=1)
            elif side:
                day += timedelta(days=1)
                while not is_working_day(day):
                    day += timedelta(days=1)
            if day >= today:
                options.append(day)
            else:
                passed.append(day)
    if not options:
        return None
    before = bool(side and side.endswith("前"))
    last = max(passed) if passed and not side and key != "next" else None
    if last is not None and min(options) == today:
        last = today
    return DateMention(s, e, Lean.FUTURE, on=min(options), deadline=before, festival=True, last=last)


def _build_time(index: int, m: re.Match[str]) -> time | None:
    hour: int | None
    g = m.groups()
    if index == 0:
        hour, minute = int(g[0]), int(g[1] or 0)
        if not 1 <= hour <= 12 or minute > 59:
            return None
        hour = hour % 12 + (12 if g[2].lower().startswith("p") else 0)
        return time(hour, minute)
    if index == 1:
        hour = int(g[1])
        if g[0] in ("下午", "晚上", "傍晚", "晚") and hour < 12:
            hour += 12
        return time(hour, int(g[2]))
    if index == 2:
        period, hour, extra = g[0], cn_to_int(g[1]), g[2]
        if hour is None or hour > 23 or (period is None and g[1] == "一"):
            # 一点 alone is usually "a little" (快一点), not one o'clock
            return None
        minute = 0
        if extra == "半":
            minute = 30
        elif extra == "一刻":
            minute = 15
        elif extra == "三刻":
            minute = 45
        elif extra:
            minute = cn_to_int(extra.rstrip("分")) or 0
        if minute > 59:
            return None
        if period in ("下午", "晚上", "傍晚", "晚") and hour < 12 or period == "中午" and hour < 6:
            hour += 12
        elif period is None and "时" not in m.group(0) and 1 <= hour <= 6:
            hour += 12  # 3点 in a working day means the afternoon
        return time(hour, minute)
    if index == 3:
        return time(12, 0)
    if index == 4:
        part, direction, hour_word, period = g
        hour = count_to_int(hour_word) if not hour_word.isdigit() else int(hour_word)
        if hour is None or not 1 <= hour <= 12:
            return None
        minute = 30 if part.lower() == "half" else 15
        if direction.lower() == "to":
            if part.lower() == "half":
                return None
            hour, minute = hour - 1 or 12, 45
        return _with_period(hour, minute, period, assume_pm=True)
    if index == 6:
        hour, minute = int(g[0]), int(g[1] or 0)
        if not 1 <= hour <= 12 or minute > 59:
            return None
        word = m.string[max(0, m.start() - 9):m.start()].lower()
        return _with_period(hour, minute, "in the morning" if word.endswith("morning") else "evening",
                            assume_pm=False)
    hour, minute = int(g[0]), int(g[1] or 0)
    if not 1 <= hour <= 12 or minute > 59:
        return None
    return _with_period(hour, minute, g[2], assume_pm=False)


def _with_period(hour: int, minute: int, period: str | None, *, assume_pm: bool) -> time:
    word = (period or "").lower()
    if word.startswith(("p", "in the afternoon", "in the evening", "at night", "tonight")) or "afternoon" in word \
            or "evening" in word or "night" in word:
        hour = hour % 12 + 12
    elif word.startswith("a") or "morning" in word:
        hour = hour % 12
    elif assume_pm and 1 <= hour <= 6:
        hour += 12
    return time(hour, minute)

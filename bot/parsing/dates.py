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
from dataclasses import dataclass
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

    def resolve(self, today: date, *, future: bool) -> date:
        """The date this mention names, given whether the note points it forward."""
        if self.on is not None:
            return self.on
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
    "this evening": 0,
    "大前天": -3, "前天": -2, "昨天": -1, "昨日": -1, "昨晚": -1, "今天": 0, "今日": 0,
    "今早": 0, "今晚": 0, "明天": 1, "明日": 1, "明早": 1, "明晚": 1, "后天": 2, "大后天": 3,
}

_WD = "|".join(sorted(WEEKDAYS_EN, key=len, reverse=True))
_MON = "|".join(sorted(MONTHS_EN, key=len, reverse=True))
_B = r"(?<![A-Za-z])"   # word start for English inside mixed-script text
_E = r"(?![A-Za-z])"    # word end
_ORD = r"(?:st|nd|rd|th)?"
_UNIT_EN = r"(day|week|month|year)s?"
_UNIT_ZH = r"(天|日|周|个?星期|个?礼拜|个?月|年)"
_ZH_WD = r"([一二三四五六日天1-7])"

# (pattern, builder name). Order matters only for equal spans; longer spans win overlaps.
_PATTERNS: list[tuple[re.Pattern[str], str]] = [(re.compile(p, re.IGNORECASE), kind) for p, kind in [
    (_B + r"(" + "|".join(sorted((k for k in DAY_OFFSETS if k.isascii()), key=len, reverse=True)) + r")" + _E, "offset"),
    (r"(" + "|".join(k for k in sorted(DAY_OFFSETS, key=len, reverse=True) if not k.isascii()) + r")", "offset"),
    (_B + r"(" + EN_COUNT + r")\s*" + _UNIT_EN + r"\s+(?:ago|before|earlier)" + _E, "ago"),
    (_B + r"(?:in|within|after)\s+(" + EN_COUNT + r")\s*" + _UNIT_EN + _E, "later"),
    (_B + r"(" + EN_COUNT + r")\s*" + _UNIT_EN + r"\s+(?:later|from now|from today)" + _E, "later"),
    (r"(" + CN_COUNT + r")\s*" + _UNIT_ZH + r"(?:之|以)?前", "ago"),
    (r"(" + CN_COUNT + r")\s*" + _UNIT_ZH + r"(?:之|以)?[后後内]", "later"),
    (_B + r"(next|this|last|coming)\s+(" + _WD + r")" + _E, "rel_weekday"),
    (_B + r"(next|this|last)\s+(week|month|year)" + _E, "rel_period"),
    (_B + r"(?:on\s+)?(" + _WD + r")" + _E, "bare_weekday"),
    (r"(下下|下|上|这|本|这个|下个|上个)?(?:周|星期|礼拜)" + _ZH_WD, "zh_weekday"),
    (r"(下下|下|上|这|本)(?:个)?(?:周|星期|礼拜)(?![一二三四五六日天1-7末])", "zh_week"),
    (r"(下|上|这|本)个?月(初|中|底|末)?", "zh_month"),
    (r"(?:这个|本)?月(?:底|末)(?:前|之前)?", "month_end"),
    (r"(?:今)?年(?:底|末)(?:前|之前)?", "year_end"),
    (_B + r"(?:by\s+)?(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?(month|year|week)" + _E, "end_of"),
    (_B + r"end\s+of\s+next\s+month" + _E, "end_of_next_month"),
    (_B + r"(month|year)[- ]end" + _E, "end_of"),
    (_B + r"(eom|eoy|eow)" + _E, "end_of"),
    (_B + r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})" + r"(?!\d)", "iso"),
    (r"(\d{4})年(\d{1,2})月(\d{1,2})[日号]", "iso"),
    (_B + r"(" + _MON + r")\.?\s+(\d{1,2})" + _ORD + r"(?:,?\s+(\d{4}))?" + r"(?![\d:])" + _E, "month_day"),
    (_B + r"(\d{1,2})" + _ORD + r"\s+(?:of\s+)?(" + _MON + r")" + _E + r"(?:,?\s+(\d{4}))?", "day_month"),
    (r"(?<![\d.])(\d{1,2})/(\d{1,2})(?![\d/])", "slash"),
    (r"(\d{1,2}|[一二三四五六七八九十]{1,3})月(\d{1,2}|[一二三四五六七八九十]{1,3})(?:日|号)?", "zh_month_day"),
    (_B + r"(?:on\s+)?the\s+(\d{1,2})" + _ORD + _E, "the_nth"),
    (r"(?<![\d月])(\d{1,2}|[一二三四五六七八九十]{1,3})(?:号|日)(?!前|后|內|内)", "zh_nth"),
]]

_TIME_PATTERNS = [re.compile(p, re.IGNORECASE) for p in [
    r"(?<![\d:])(\d{1,2})(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)(?![A-Za-z])",
    r"(上午|早上|中午|下午|晚上|傍晚)?\s*(?<![\d:])([01]?\d|2[0-3])[:：]([0-5]\d)(?!\d)",
    r"(上午|早上|早晨|早|中午|下午|晚上|傍晚|晚)?\s*(\d{1,2}|[一二两三四五六七八九十]{1,3})\s*点\s*(半|一刻|三刻|\d{1,2}分?)?",
    r"(?<![A-Za-z])(noon|midday)(?![A-Za-z])",
]]


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
    for pattern, kind in _PATTERNS:
        if not _worth_trying(pattern, has_cjk, has_latin, has_digit):
            continue
        for match in pattern.finditer(text):
            mention = _build(kind, match, today)
            if mention is not None:
                found.append(mention)
    return _non_overlapping(found)


def find_times(text: str) -> list[TimeMention]:
    """Clock times (3pm, 15:00, 下午3点), left to right."""
    found: list[TimeMention] = []
    for index, pattern in enumerate(_TIME_PATTERNS):
        for match in pattern.finditer(text):
            at = _build_time(index, match)
            if at is not None:
                found.append(TimeMention(match.start(), match.end(), at))
    return _non_overlapping(found)


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


def _shift(today: date, count: int, unit: str, sign: int) -> date:
    unit = unit.lower()
    if unit.startswith(("day", "天", "日")):
        return today + timedelta(days=sign * count)
    if unit.startswith(("week", "周")) or "星期" in unit or "礼拜" in unit:
        return today + timedelta(weeks=sign * count)
    if unit.startswith("year") or unit == "年":
        return _add_months(today, sign * 12 * count)
    return _add_months(today, sign * count)


def _monday(today: date, weeks: int = 0) -> date:
    return today - timedelta(days=today.weekday()) + timedelta(weeks=weeks)


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


def _closest_year(today: date, month: int, day: int) -> date | None:
    """Dec 3 without a year: the occurrence nearest to today (so Jan 5 in late Nov is next year)."""
    options = []
    for year in (today.year - 1, today.year, today.year + 1):
        try:
            options.append(date(year, month, day))
        except ValueError:
            continue
    return min(options, key=lambda d: abs((d - today).days)) if options else None


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _build(kind: str, m: re.Match[str], today: date) -> DateMention | None:
    s, e = m.start(), m.end()
    g = m.groups()
    if kind == "offset":
        offset = DAY_OFFSETS[g[0].lower()]
        lean = Lean.FIXED if offset == 0 else (Lean.PAST if offset < 0 else Lean.FUTURE)
        return DateMention(s, e, lean, on=today + timedelta(days=offset))
    if kind in ("ago", "later"):
        count = count_to_int(g[0])
        if count is None or count > 400:
            return None
        sign = -1 if kind == "ago" else 1
        return DateMention(s, e, Lean.PAST if sign < 0 else Lean.FUTURE,
                           on=_shift(today, count, g[1], sign))
    if kind == "rel_weekday":
        which, weekday = g[0].lower(), WEEKDAYS_EN[g[1].lower()]
        if which == "coming":
            return DateMention(s, e, Lean.FUTURE, on=DateMention(s, e, Lean.CONTEXT, weekday=weekday)
                               .resolve(today, future=True))
        weeks = {"next": 1, "this": 0, "last": -1}[which]
        lean = {"next": Lean.FUTURE, "this": Lean.FIXED, "last": Lean.PAST}[which]
        return DateMention(s, e, lean, on=_monday(today, weeks) + timedelta(days=weekday))
    if kind == "rel_period":
        which, unit = g[0].lower(), g[1].lower()
        sign = {"next": 1, "this": 0, "last": -1}[which]
        if sign == 0:
            return None
        lean = Lean.FUTURE if sign > 0 else Lean.PAST
        if unit == "week":
            return DateMention(s, e, lean, on=_monday(today, sign))
        if unit == "month":
            return DateMention(s, e, lean, on=_add_months(today.replace(day=1), sign))
        return DateMention(s, e, lean, on=date(today.year + sign, 1, 1))
    if kind == "bare_weekday":
        return DateMention(s, e, Lean.CONTEXT, weekday=WEEKDAYS_EN[g[0].lower()])
    if kind == "zh_weekday":
        prefix, weekday = g[0] or "", WEEKDAYS_ZH[g[1]]
        weeks = {"下下": 2, "下": 1, "下个": 1, "上": -1, "上个": -1}.get(prefix, 0)
        lean = Lean.FUTURE if weeks > 0 else (Lean.PAST if weeks < 0 else Lean.FIXED)
        return DateMention(s, e, lean, on=_monday(today, weeks) + timedelta(days=weekday))
    if kind == "zh_week":
        weeks = {"下下": 2, "下": 1, "上": -1}.get(g[0], 0)
        if weeks == 0:
            return None
        return DateMention(s, e, Lean.FUTURE if weeks > 0 else Lean.PAST, on=_monday(today, weeks))
    if kind == "zh_month":
        months = {"下": 1, "上": -1}.get(g[0], 0)
        first = _add_months(today.replace(day=1), months)
        part = g[1]
        on = _month_end(first) if part in ("底", "末") else (first.replace(day=15) if part == "中" else first)
        if months == 0 and part is None:
            return None
        lean = Lean.FUTURE if months > 0 else (Lean.PAST if months < 0 else Lean.FIXED)
        return DateMention(s, e, lean, on=on)
    if kind == "month_end":
        return DateMention(s, e, Lean.FIXED, on=_month_end(today))
    if kind == "year_end":
        return DateMention(s, e, Lean.FIXED, on=date(today.year, 12, 31))
    if kind == "end_of":
        unit = g[0].lower()
        if unit in ("month", "eom"):
            return DateMention(s, e, Lean.FIXED, on=_month_end(today))
        if unit in ("year", "eoy"):
            return DateMention(s, e, Lean.FIXED, on=date(today.year, 12, 31))
        return DateMention(s, e, Lean.FIXED, on=_monday(today) + timedelta(days=4))
    if kind == "end_of_next_month":
        return DateMention(s, e, Lean.FUTURE, on=_month_end(_add_months(today.replace(day=1), 1)))
    if kind == "iso":
        on = _safe_date(int(g[0]), int(g[1]), int(g[2]))
        return DateMention(s, e, Lean.FIXED, on=on) if on else None
    if kind in ("month_day", "day_month"):
        month_name, day = (g[0], g[1]) if kind == "month_day" else (g[1], g[0])
        month, day_number = MONTHS_EN[month_name.lower()], int(day)
        year = g[2]
        on = _safe_date(int(year), month, day_number) if year else _closest_year(today, month, day_number)
        return DateMention(s, e, Lean.FIXED, on=on) if on else None
    if kind in ("slash", "zh_month_day"):
        month, day_number = cn_to_int(g[0]), cn_to_int(g[1])
        if not month or not day_number or month > 12:
            return None
        on = _closest_year(today, month, day_number)
        return DateMention(s, e, Lean.FIXED, on=on) if on else None
    if kind in ("the_nth", "zh_nth"):
        day_number = cn_to_int(g[0])
        if not day_number or day_number > 31:
            return None
        return DateMention(s, e, Lean.CONTEXT, day_of_month=day_number)
    return None


def _build_time(index: int, m: re.Match[str]) -> time | None:
    g = m.groups()
    if index == 0:
        hour, minute = int(g[0]), int(g[1] or 0)
        if not 1 <= hour <= 12 or minute > 59:
            return None
        hour = hour % 12 + (12 if g[2].lower().startswith("p") else 0)
        return time(hour, minute)
    if index == 1:
        hour = int(g[1])
        if g[0] in ("下午", "晚上", "傍晚") and hour < 12:
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
            minute = int(extra.rstrip("分"))
        if minute > 59:
            return None
        if period in ("下午", "晚上", "傍晚", "晚") and hour < 12:
            hour += 12
        elif period == "中午" and hour < 6:
            hour += 12
        elif period is None and 1 <= hour <= 6:
            hour += 12  # 3点 in a working day means the afternoon
        return time(hour, minute)
    return time(12, 0)

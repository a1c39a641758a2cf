"""The Chinese working calendar and the days RMs greet clients on.

Public holidays, their make-up working days (调休) and the solar festival dates come from the
`holidays` package; lunar festivals it does not carry as holidays (Lantern, Double Ninth) and
lunar greeting days from config are converted with `lunardate`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays
from lunardate import LunarDate

#: holidays' English names for China → our greeting keys (names shown come from bot/strings).
_HOLIDAY_KEYS = {
    "New Year's Day": "new_year",
    "Chinese New Year (Spring Festival)": "spring_festival",
    "Tomb-Sweeping Day": "qingming",
    "Labor Day": "labour_day",
    "Dragon Boat Festival": "dragon_boat",
    "Mid-Autumn Festival": "mid_autumn",
    "National Day": "national_day",
}
#: Every festival key a greeting can name (extra days from config add their own keys).
FESTIVAL_KEYS = frozenset(_HOLIDAY_KEYS.values()) | {"lantern"}
#: The festivals greeted by default (the issue's list); more come from config.
DEFAULT_GREETINGS = ("new_year", "spring_festival", "lantern", "qingming", "dragon_boat", "mid_autumn",
                     "national_day")


@dataclass(frozen=True)
class GreetingRule:
    """An extra greeting day from config: a solar MM-DD (Women's Day 03-08) or a lunar one (Double Ninth 09-09)."""

    key: str
    month: int
    day: int
    lunar: bool = False


#: Lunar festivals holidays does not list as public holidays.
LANTERN = GreetingRule("lantern", 1, 15, lunar=True)


@dataclass(frozen=True)
class GreetingDay:
    key: str
    on: date


@lru_cache(maxsize=64)
def _china(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("CN", years=year, language="en_US")


@lru_cache(maxsize=8192)
def _lunar_to_solar(year: int, month: int, day: int) -> date | None:
    """The solar date of a lunar date in lunar year `year`; day 30 of a 29-day month is its last day."""
    for candidate in (day, 29) if day == 30 else (day,):
        try:
            return LunarDate(year, month, candidate).to_solar_date()
        except ValueError:
            continue
    return None


def lunar_dates_in(rule_month: int, rule_day: int, start: date, end: date) -> list[date]:
    """Solar dates in [start, end] of a yearly lunar date (a lunar year starts late Jan to mid Feb)."""
    found = []
    for year in range(start.year - 1, end.year + 1):
        solar = _lunar_to_solar(year, rule_month, rule_day)
        if solar is not None and start <= solar <= end:
            found.append(solar)
    return found


def solar_dates_in(month: int, day: int, start: date, end: date) -> list[date]:
    """Solar dates in [start, end] of a yearly MM-DD; 29 Feb falls on 28 Feb in common years."""
    found = []
    for year in range(start.year, end.year + 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            candidate = date(year, month, 28)
        if start <= candidate <= end:
            found.append(candidate)
    return found


@lru_cache(maxsize=4096)
def is_working_day(day: date) -> bool:
    """Mon–Fri except public holidays, plus the weekend make-up days (调休) the State Council sets."""
    calendar = _china(day.year)
    if day in calendar.weekend_workdays:
        return True
    return day.weekday() < 5 and day not in calendar


class WorkCalendar:
    """Working days and greeting days for one configuration; cheap to query repeatedly."""

    def __init__(self, greetings: tuple[str, ...] = DEFAULT_GREETINGS, extra: tuple[GreetingRule, ...] = ()) -> None:
        self.greetings = frozenset(greetings) | {rule.key for rule in extra}
        self.extra = extra

    def is_working_day(self, day: date) -> bool:
        return is_working_day(day)

    def previous_working_day(self, day: date) -> date:
        day -= timedelta(days=1)
        while not self.is_working_day(day):
            day -= timedelta(days=1)
        return day

    @lru_cache(maxsize=256)
    def greeting_days(self, start: date, end: date) -> tuple[GreetingDay, ...]:
        """Festivals in [start, end], each on its first day (the day people greet), by date."""
        found: dict[tuple[str, int], date] = {}
        for year in range(start.year - 1, end.year + 1):
            for day, name in sorted(_china(year).items()):
                key = _HOLIDAY_KEYS.get(name)
                if key in self.greetings and (key, day.year) not in found:
                    found[(key, day.year)] = day
        for rule in (LANTERN, *self.extra):
            if rule.key not in self.greetings:
                continue
            dates = (lunar_dates_in(rule.month, rule.day, start, end) if rule.lunar
                     else solar_dates_in(rule.month, rule.day, start, end))
            for day in dates:
                found[(rule.key, day.year)] = day
        days = [GreetingDay(key, day) for (key, _), day in found.items() if start <= day <= end]
        return tuple(sorted(days, key=lambda g: (g.on, g.key)))


_LUNAR_FESTIVALS = {"spring_festival": (1, 1), "lantern": (1, 15), "dragon_boat": (5, 5), "mid_autumn": (8, 15)}
_SOLAR_FESTIVALS = {"new_year": (1, 1), "labour_day": (5, 1), "national_day": (10, 1), "christmas": (12, 25)}


@lru_cache(maxsize=512)
def festival_day(key: str, year: int) -> date | None:
    """The day of a festival in a (solar) year: what 春节前 / 国庆后 in a note are counted from."""
    if key in _SOLAR_FESTIVALS:
        return date(year, *_SOLAR_FESTIVALS[key])
    if key == "new_years_eve":
        spring = festival_day("spring_festival", year)
        return spring - timedelta(days=1) if spring else None
    if key in _LUNAR_FESTIVALS:
        return _lunar_to_solar(year, *_LUNAR_FESTIVALS[key])
    if key == "qingming":
        days = [day for day, name in _china(year).items() if name == "Tomb-Sweeping Day"]
        return min(days) if days else date(year, 4, 5)
    return None

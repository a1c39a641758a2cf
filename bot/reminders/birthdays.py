"""Client birthdays, solar or lunar: many clients keep the lunar one, which moves every solar year.

A BirthdayWindow converts the few days it covers once (solar and lunar month-day of each), so
finding the birthdays among 300 clients is a dictionary lookup per client, not a calendar
conversion per client.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from functools import lru_cache

from lunardate import LunarDate

from bot.records import Client


def parse_lunar(value: str | None) -> tuple[int, int] | None:
    """A stored lunar birthday "MM-DD" as (month, day), or None when absent or malformed."""
    if not value:
        return None
    try:
        month, day = (int(part) for part in value.split("-"))
    except ValueError:
        return None
    return (month, day) if 1 <= month <= 12 and 1 <= day <= 30 else None


@lru_cache(maxsize=4096)
def _lunar(day: date) -> tuple[int, int, bool]:
    lunar = LunarDate.from_solar_date(day.year, day.month, day.day)
    return lunar.month, lunar.day, bool(lunar.is_leap_month)


class BirthdayWindow:
    """The days [start, end] keyed by the solar and the lunar (month, day) celebrated on them."""

    def __init__(self, start: date, end: date) -> None:
        self.solar: dict[tuple[int, int], date] = {}
        self.lunar: dict[tuple[int, int], date] = {}
        day = start
        while day <= end:
            self.solar.setdefault((day.month, day.day), day)
            if (day.month, day.day) == (2, 28) and not calendar.isleap(day.year):
                self.solar.setdefault((2, 29), day)  # 29 Feb birthdays fall on 28 Feb in common years
            month, lunar_day, leap = _lunar(day)
            if not leap:
                self.lunar.setdefault((month, lunar_day), day)
                if lunar_day == 29 and _lunar(day + timedelta(days=1))[:2] != (month, 30):
                    self.lunar.setdefault((month, 30), day)  # the 30th of a 29-day month: its last day
            day += timedelta(days=1)

    def find_day(self, month: int, day: int, lunar: bool) -> date | None:
        """The day in the window a (month, day) birthday falls on (a family member's)."""
        return (self.lunar if lunar else self.solar).get((month, day))

    def find(self, client: Client) -> tuple[date, bool] | None:
        """(the day the client celebrates, whether lunar). A lunar birthday, when known, wins."""
        lunar = parse_lunar(client.lunar_birthday)
        if lunar is not None:
            day = self.lunar.get(lunar)
            return (day, True) if day else None
        if client.birthday is not None:
            day = self.solar.get((client.birthday.month, client.birthday.day))
            return (day, False) if day else None
        return None


def birthday_between(client: Client, start: date, end: date) -> tuple[date, bool] | None:
    return BirthdayWindow(start, end).find(client)

"""Number words in both languages, because RMs type 三天后 and "in two weeks" as often as digits."""

from __future__ import annotations

import re

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9}
CN_UNITS = {"十": 10, "百": 100, "千": 1000}

EN_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "couple": 2, "a couple of": 2, "a few": 3, "few": 3,
}

#: Regex fragment for a count in English (digits or words).
EN_COUNT = r"(?:\d{1,3}|a couple of|a few|couple|few|an|a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
#: Regex fragment for a count in Chinese (digits or numerals).
CN_COUNT = r"(?:\d{1,3}|[零〇一二两三四五六七八九十百]{1,4})"

_DIGITS = re.compile(r"\d+")


def cn_to_int(text: str) -> int | None:
    """Read 三, 十二, 二十五, 一百零五 or 12; None when it is not a number."""
    if _DIGITS.fullmatch(text):
        return int(text)
    total, current = 0, 0
    for char in text:
        if char in CN_DIGITS:
            current = CN_DIGITS[char]
        elif char in CN_UNITS:
            total += (current or 1) * CN_UNITS[char]
            current = 0
        else:
            return None
    return total + current


def count_to_int(text: str) -> int | None:
    """Read an English or Chinese count as matched by EN_COUNT / CN_COUNT."""
    word = text.strip().lower()
    if word in EN_NUMBERS:
        return EN_NUMBERS[word]
    return cn_to_int(word)

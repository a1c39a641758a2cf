"""Number words in both languages, because RMs type 三天后, 三点五万 and "in two weeks" as often as digits."""

from __future__ import annotations

import re

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9,
             # 大写 (the forms written on cheques and contracts)
             "壹": 1, "贰": 2, "貳": 2, "叁": 3, "參": 3, "肆": 4, "伍": 5, "陆": 6, "陸": 6, "柒": 7,
             "捌": 8, "玖": 9}
CN_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
CN_BIG_UNITS = {"万": 1e4, "萬": 1e4, "亿": 1e8, "億": 1e8}

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
#: One token of a numeral: an Arabic number (thousands commas, decimals) or one character.
_TOKEN = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?: \d{3})+(?![\d,])(?:\.\d+)?|\d+(?:\.\d+)?|.", re.DOTALL)

#: Full-width digits, letters and ASCII punctuation → their ASCII forms, one character for one
#: character, so positions found in the folded text are positions in the note.
FULL_WIDTH = str.maketrans({chr(0xFF01 + i): chr(0x21 + i) for i in range(94)} | {"\u3000": " "})


def fold_width(text: str) -> str:
    """８２，２２５.００ → 82,225.00 (same length)."""
    return text.translate(FULL_WIDTH)


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


def read_numeral(text: str) -> float | None:
    """A money numeral in any usual form, or None when it is not one.

    三点五万 35,000 · 两万五 25,000 (a lone digit after a unit is the next unit down) · 一亿两千万
    120,000,000 · 1亿2000万 · 3.5万 · 一百零五 105 · 壹拾贰万 120,000 · 82,225.00. A unit needs a
    number before it (万一, 千万 as in 千万别 are words, not numbers), except 十 (十万).
    """
    total = 0.0          # everything up to the last 亿 / 万
    section = 0.0        # the part below 万 being built
    current: float | None = None
    decimals = 0         # > 0 after 点: the place of the next decimal digit
    last_unit = 0.0
    zero_gap = False     # 一百零五: the 五 is units, not tens
    saw_digit = False
    for token in _TOKEN.findall(text):
        if token.isspace() or (token == "个" and not decimals):
            continue                          # 1,500 万 · 五个亿: spaces and 个 inside a written amount
        if token[0].isdigit():
            if current is not None or decimals:
                return None
            current = float(token.replace(",", "").replace(" ", ""))
            saw_digit = True
        elif token in CN_DIGITS:
            digit = CN_DIGITS[token]
            saw_digit = True
            if decimals:
                current = (current or 0) + digit / 10 ** decimals
                decimals += 1
            elif digit == 0:
                zero_gap = True
                if current is None and not section and not total:
                    current = 0.0             # 零点八亿
            elif current is not None:
                return None       # 二三: not a numeral (两三百万 is read as a range elsewhere)
            else:
                current = float(digit)
        elif token == "点":
            if current is None or decimals:
                return None
            decimals = 1
        elif token in CN_UNITS:
            unit = float(CN_UNITS[token])
            if current is None and (unit != 10 or section):
                return None
            saw_digit = True                  # 十万: 十 alone counts one ten
            section += (1.0 if current is None else current) * unit
            current, decimals, last_unit, zero_gap = None, 0, unit, False
        elif token in CN_BIG_UNITS:
            unit = CN_BIG_UNITS[token]
            if current is None and not section and not (unit == 1e8 and total):
                return None
            if unit == 1e8:
                total = (total + section + (current or 0)) * unit
            else:
                total += (section + (current or 0)) * unit
            section, current, decimals, last_unit, zero_gap = 0.0, None, 0, unit, False
        else:
            return None
    if not saw_digit:
        return None
    if current is not None:
        if last_unit >= 100 and not zero_gap and not decimals and current.is_integer() and current < 10:
            current *= last_unit / 10        # 两万五, 三千五, 一亿五
        section += current
    return total + section


def count_to_int(text: str) -> int | None:
    """Read an English or Chinese count as matched by EN_COUNT / CN_COUNT."""
    word = text.strip().lower()
    if word in EN_NUMBERS:
        return EN_NUMBERS[word]
    return cn_to_int(word)

"""How the RM reached the client (visit M, call T, email E, message W) and whether it happened.

English verbs carry tense: "visited Liu" logs a contact, "visit Liu tomorrow" plans one.
Chinese has no tense, so a Chinese verb is judged by the date beside it (see note.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

CHANNELS = ("visit", "call", "email", "message")
#: The letters of the seed's contact calendar (M meeting, T telephone, E email) plus W for WeChat.
CHANNEL_LETTERS = {"visit": "M", "call": "T", "email": "E", "message": "W"}


class Tense(Enum):
    PAST = "past"   # visited, called: it happened
    BASE = "base"   # visit, call: an instruction or a plan when a future date goes with it
    NOUN = "noun"   # a call with, WeChat chat, lunch with: it happened
    ZH = "zh"       # Chinese: decided by the date beside it


@dataclass(frozen=True)
class ChannelMention:
    channel: str
    tense: Tense
    start: int
    end: int


_EN = [
    # common misspellings of the past tense ("visted liu yestrday") count as the word
    ("visit", Tense.PAST, r"visited|visted|vistied|visitted|vsited|viisted|vistited|visitied|met(?:\s+up)?(?:\s+with)?|saw|dropped\s+by|stopped\s+by|went\s+to\s+see|"
                          r"had\s+(?:a\s+)?(?:lunch|dinner|coffee|tea|breakfast|meal|meeting)\s+with|"
                          r"caught\s+up\s+with|sat\s+down\s+with|hosted|toured"),
    ("visit", Tense.NOUN, r"(?:site\s+)?visit\s+(?:to|with)|(?:lunch|dinner|coffee|tea|breakfast|meeting|"
                          r"face[\s-]to[\s-]face|f2f)\s+(?:with|w/|w(?=\s))|lunch|dinner|coffee\s+chat|meeting|visiting"),
    ("visit", Tense.BASE, r"visit|meet(?:\s+with)?|see|drop\s+by"),
    ("call", Tense.PAST, r"called|caled|calld|callled|phoned|rang|rung|telephoned|rang\s+up"),
    ("call", Tense.NOUN, r"(?:quick\s+|short\s+|brief\s+|phone\s+|conference\s+|video\s+)?call\s+(?:with|w/|w(?=\s))|"
                         r"phone\s+call|quick\s+call|(?:on\s+the\s+)?phone\s+with|tel|calling"),
    ("call", Tense.BASE, r"call|phone|ring"),
    ("email", Tense.PAST, r"e-?mailed|wrote\s+to|sent\s+(?:an\s+)?e-?mail\s+to"),
    ("email", Tense.NOUN, r"e-?mail\s+(?:to|from|with)|e-?mails|(?:an|the|via|by)\s+e-?mail"),
    ("email", Tense.BASE, r"e-?mail|write\s+to"),
    ("message", Tense.PAST, r"texted|messaged|wechatted|wechated|whatsapped|sms(?:ed|'d)|pinged|dm'?ed"),
    ("message", Tense.NOUN, r"wechat|weixin|sms|whatsapp|text\s+message|message\s+(?:to|from|with)"),
    ("message", Tense.BASE, r"text|message|ping|dm"),
]
_ZH = [
    ("visit", r"上门拜访|上门见了?|拜访|上门|走访|见了|见到|见过|见面|面谈|吃饭|喝茶|喝咖啡|会面|约见|"
              r"面见|会见|登门|到访|来访|碰面|聚餐|宴请|饭局|拜会|去了?一趟"),
    ("call", r"通了电话|打了?电话|打了个电话|电话|回电|致电|通话|来电|电联|去电"),
    ("email", r"发了?邮件|邮件|电邮"),
    ("message", r"微信|短信|发了?消息|发了?信息|钉钉"),
]

_PATTERN_EN = re.compile(
    "(?<![A-Za-z])(?:" + "|".join(f"(?P<{c}_{t.value}_{i}>{p})" for i, (c, t, p) in enumerate(_EN)) + ")(?![A-Za-z])",
    re.IGNORECASE,
)
_PATTERN_ZH = re.compile("|".join(f"(?P<{c}_zh_{i}>{p})" for i, (c, p) in enumerate(_ZH)))
_LATIN = re.compile(r"[A-Za-z]")
_CJK = re.compile(r"[\u3400-\u9fff]")


def find_channels(text: str) -> list[ChannelMention]:
    """Every channel word, left to right (each script's words searched only when present)."""
    found = []
    for pattern, present in ((_PATTERN_EN, _LATIN), (_PATTERN_ZH, _CJK)):
        if not present.search(text):
            continue
        for match in pattern.finditer(text):
            group = match.lastgroup
            assert group is not None, "every alternative of the pattern is a named group"
            channel, tense, _ = group.split("_")
            found.append(ChannelMention(channel, Tense(tense), match.start(), match.end()))
    return sorted(found, key=lambda mention: mention.start)


def channel_from_word(text: str) -> str | None:
    """A channel named on its own ("visit", "电话", "M", "T"), as typed in an Edit reply."""
    word = text.strip()
    by_letter = {letter: channel for channel, letter in CHANNEL_LETTERS.items()}
    if word.upper() in by_letter:
        return by_letter[word.upper()]
    if word.lower() in CHANNELS:
        return word.lower()
    found = find_channels(word)
    return found[0].channel if found else None

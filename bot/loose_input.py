"""What typed text is a note, and what is stray input (pure).

The raw text of every *note* is stored, even when it cannot be understood. Not every line is a
note: a stray button number (`3`), a bare date word (`昨天`, `today`), an amount alone, a thank-you
or a client's name alone record nothing that happened, and filed as contacts they are junk. Such
input is not stored; the RM gets a short hint of what a note looks like.

A line is a note when it has
- a channel (visit, call, email, message), a product or need, or a profile fact; or
- a client's name with something more: a date, an amount or other words (`王总 明天`); after a
  Log tap the client is known, so a date alone (`昨天`) is a note about them; or
- at least MEANINGFUL letters or characters besides names, dates, times and numbers, and it is
  not a greeting or thanks (`asdfghjkl` is stored raw: someone typed it on purpose).
"""

from __future__ import annotations

import re
from datetime import date

from bot.parsing import ParsedNote
from bot.parsing.dates import find_dates, find_times

#: Letters or CJK characters a line needs, besides names, dates, times and numbers, to be a note on its own.
MEANINGFUL = 4
#: Chat, not notes.
CHAT_WORDS = frozenset("""
ok okay k kk yes no yeah yep nope thanks thank you thx ty hi hello hey bye good great fine sure cool
好 好的 好滴 嗯 嗯嗯 哦 噢 是 是的 否 不 对 对的 行 可以 收到 知道了 明白 谢谢 谢了 多谢 你好 您好 在吗 再见 拜拜
""".split())
_CHAT_PHRASES = frozenset({"thank you", "thanks a lot", "good morning", "good night", "早上好", "晚安", "辛苦了"})
_NUMBER = re.compile(r"^\s*[#＃]?\s*[0-9０-９]{1,3}\s*[.。]?\s*$")


def _without(text: str, spans: list[tuple[int, int]]) -> str:
    kept, at = [], 0
    for start, end in sorted(spans):
        if start >= at:
            kept.append(text[at:start])
            at = end
        else:
            at = max(at, end)
    kept.append(text[at:])
    return " ".join(kept)


def meaningful_left(text: str, parsed: ParsedNote, today: date) -> str:
    """The text's letters once names, dates and times are taken out (digits and punctuation never count)."""
    spans = [(m.start, m.end) for m in find_dates(text, today)] + [(m.start, m.end) for m in find_times(text)]
    rest = _without(text, spans)
    for name in parsed.clients or ((parsed.client,) if parsed.client else ()):
        rest = rest.replace(name, " ")
    return "".join(char for char in rest if char.isalpha())


def is_chat(text: str) -> bool:
    words = " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())
    return bool(words) and (words in _CHAT_PHRASES or all(word in CHAT_WORDS for word in words.split()))


def stray_kind(text: str, parsed: ParsedNote, today: date, *, client_known: bool = False) -> str | None:
    """None when the text is a note; else what kind of stray input it is: "number" (a bare number,
    e.g. a button's), "name" (a client's name alone) or "other" (a date word, an amount, thanks…)."""
    if parsed.channel or parsed.needs or parsed.profile:
        return None
    has_name = client_known or bool(parsed.clients or parsed.client)
    left = meaningful_left(text, parsed, today)
    dated = bool(parsed.occurred_on or parsed.follow_up_on or parsed.readings
                 or find_dates(text, today) or find_times(text))
    if has_name and (dated or parsed.amount is not None or (len(left) >= 2 and not is_chat(text))):
        return None
    if len(left) >= MEANINGFUL and not is_chat(text):
        return None
    if _NUMBER.match(text):
        return "number"
    if has_name and not client_known and not left:
        return "name"
    return "other"

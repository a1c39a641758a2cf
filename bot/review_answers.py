"""Answers to /review's question (pure): "any assets at other banks, or not yet on file?"

The rule while the question is open: a line is an answer only when it reads as **one asset with an
amount** (`他行理财 300万`, `招行存款 50万 美元`, `other bank fund 2m HKD R3`) and is nothing else: no
channel, no follow-up date, no profile fact, no client other than the one under review. Any other
line is what it always was (a note, a question, an Edit value) and the question stays open, with
its Done button. `没有`/`none`/`done` closes the question. A line that is almost an answer (an asset
without an amount, two assets, a range) is not guessed at: it too is handled as usual.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, tzinfo

from bot.banks import find_bank
from bot.parsing import parse_note

#: A line that closes the question (compared without punctuation or case).
DONE_WORDS = frozenset({"没有", "没有了", "无", "没了", "就这些", "就这样", "完成", "好了", "结束", "没有其他",
                        "没有别的", "none", "no", "nothing", "nothing else", "no more", "done", "that's all",
                        "thats all", "finished", "n/a", "nil"})
#: How long the question stays open.
PROMPT_HOURS = 24
_RISK = re.compile(r"(?:风险等级|风险|risk(?:\s+level)?)?\s*(?<![A-Za-z0-9])[Rr]([1-5])(?![0-9A-Za-z])")
_PUNCTUATION = re.compile(r"[\s。，,.！!？?～~、;；:：]+")
_MAX_ANSWER = 200


@dataclass(frozen=True)
class AssetAnswer:
    """One asset the RM added to a review: at another bank (`bank` its name, None for 他行), or at the
    RM's own bank (`here`; `bank` as written)."""

    product: str
    amount: float
    currency: str
    bank: str | None
    here: bool = False        # the RM named their own bank: a holding here, not an other-bank asset
    risk: int | None = None


def is_done(text: str) -> bool:
    return _PUNCTUATION.sub(" ", text).strip().casefold() in DONE_WORDS


def read_answer(text: str, now: datetime, tz: tzinfo, client_names: Iterable[str], *, currency: str = "CNY",
                own_banks: Iterable[str] = ()) -> AssetAnswer | None:
    """The asset a line adds to the review of the client called by one of `client_names`, or None
    when the line is not (only) that: then it is handled as a note, as always."""
    if not text.strip() or len(text) > _MAX_ANSWER:
        return None
    bank = find_bank(text, own_banks)
    risk_match = _RISK.search(text)
    rest = text
    for span in [bank.span if bank else None, risk_match.span() if risk_match else None]:
        if span is not None:  # blanked out, so neither reads as a client's name nor a product
            rest = rest[:span[0]] + " " * (span[1] - span[0]) + rest[span[1]:]
    parsed = parse_note(rest, now, tz, currency=currency)
    profile = parsed.profile
    if parsed.channel or parsed.follow_up_on or parsed.readings or parsed.planned:
        return None
    if (profile.family or profile.hobbies or profile.risk_level or profile.preferred_channel
            or profile.preferred_time or profile.cautions or profile.covers):
        return None
    names = {"".join(name.split()).casefold() for name in client_names}
    if any("".join(name.split()).casefold() not in names for name in parsed.clients):
        return None
    assets = profile.other_bank
    if len(assets) > 1:
        return None
    if assets:
        product, amount, written = assets[0].product, assets[0].amount, assets[0].currency
        if parsed.needs:
            return None
    else:
        if len(parsed.needs) != 1:
            return None
        product, amount, written = parsed.needs[0], parsed.amount, parsed.currency
    if product is None or amount is None or amount <= 0 or parsed.amount_max is not None:
        return None
    return AssetAnswer(product, float(amount), written or currency, bank.name if bank else None,
                       bank is not None and bank.here, int(risk_match.group(1)) if risk_match else None)

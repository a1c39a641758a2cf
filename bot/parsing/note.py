"""parse_note: one line an RM typed -> client, channel, dates, needs, amount, follow-up.

A pure function of (text, now, tz). Each date found is given a role: when the contact happened,
when to follow up, or (for a note that only plans an action) the planned date, which is a
follow-up too. The rules are the contract in issue #2 and the table in tests/test_parser_rules.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo

from bot.parsing.amounts import find_amounts
from bot.parsing.channels import ChannelMention, Tense, find_channels
from bot.parsing.dates import DateMention, Lean, TimeMention, find_dates, find_times
from bot.parsing.names import extract_name
from bot.parsing.products import find_products
from bot.parsing.profile import NO_FACTS, ProfileFacts, find_profile

#: Longest note text the parser reads (Telegram's own message limit).
MAX_NOTE_LENGTH = 4096

_FOLLOW_UP_CUE = re.compile(
    r"(?<![A-Za-z])(?:follow(?:ing)?[\s-]*up|followup|f/u|call(?:ing)?\s+(?:(?:him|her|them|back)\s+)?back|callback|"
    r"revisit|re-visit|remind\s+me|reminder|check\s+(?:back|in)|touch\s+base|get\s+back\s+to|circle\s+back|"
    r"reconnect|chase|visit\s+again|meet\s+again|call\s+again|next\s+step|ping\s+again)(?![A-Za-z])"
    r"|回访|跟进|再联系|回电|再约|回复|复访|再访|再去|再打|再聊|再沟通|提醒|约好|约了|再谈|再跟|答复|反馈",
    re.IGNORECASE,
)
_CALL_BACK = re.compile(r"回电|call", re.IGNORECASE)
#: Cues that introduce another action ("remind me to call Hu"), so the note is a plan.
_REMIND_CUE = re.compile(r"remind|提醒", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r"[,，;；。!！?？\n]|(?<![A-Z][a-z])(?<!\b[A-Z])(?<!\bCo)(?<!\bLtd)(?<!\bInc)\.\s")
_PAST_MARK_ZH = re.compile(r"^(?:了|过)")
#: Markup-looking text (<b>, </script>) is kept in the note but is never a name or a date.
_TAG = re.compile(r"</?[A-Za-z][^<>]{0,40}>")


@dataclass(frozen=True)
class ParsedNote:
    text: str
    client: str | None = None
    channel: str | None = None
    occurred_on: date | None = None
    needs: tuple[str, ...] = ()
    amount: float | None = None
    follow_up_on: date | None = None
    follow_up_time: time | None = None
    planned: bool = False
    client_span: tuple[int, int] | None = field(default=None, compare=False)
    profile: ProfileFacts = field(default=NO_FACTS, compare=False)  # family, risk level, hobbies… (profile.py)

    @property
    def missing(self) -> tuple[str, ...]:
        """What the RM should add for the note to count as a contact."""
        return tuple(name for name, value in (("client", self.client), ("channel", self.channel)) if not value)

    def to_json(self) -> dict:
        """The contract of `python -m bot parse`."""
        amount = self.amount
        if amount is not None and float(amount).is_integer():
            amount = int(amount)
        return {
            "client": self.client,
            "channel": self.channel,
            "occurred_on": self.occurred_on.isoformat() if self.occurred_on else None,
            "needs": list(self.needs),
            "amount": amount,
            "follow_up_on": self.follow_up_on.isoformat() if self.follow_up_on else None,
            "follow_up_time": self.follow_up_time.strftime("%H:%M") if self.follow_up_time else None,
        }


@dataclass
class _Dated:
    mention: DateMention
    clause: int
    role: str = ""   # past | follow | future | today
    on: date | None = None


def parse_note(text: str, now: datetime, tz: tzinfo) -> ParsedNote:
    """Understand one note. Never raises on any string; the text is always kept."""
    text = text if isinstance(text, str) else str(text)
    body = _TAG.sub(lambda match: " " * len(match.group(0)), text[:MAX_NOTE_LENGTH])
    local_now = now.astimezone(tz)
    today = local_now.date()

    profile = find_profile(body, today)  # a family member's birthday is not a contact date, nor their name the client
    dates = [d for d in find_dates(body, today) if not profile.covers(d.start, d.end)]
    times = find_times(body)
    time_spans = [(t.start, t.end) for t in times]
    dates = [d for d in dates if not any(d.start < e and d.end > s for s, e in time_spans)]
    products = [p for p in find_products(body) if not profile.covers(p.start, p.end)]
    amounts = [a for a in find_amounts(body)
               if not any(a[0] < m.end and a[1] > m.start for m in dates)
               and not any(a[0] < e and a[1] > s for s, e in time_spans)]
    amounts = [a for a in amounts if not profile.covers(a[0], a[1])]
    clause_starts = [0] + [m.end() for m in _CLAUSE_BREAK.finditer(body)]

    def clause_of(position: int) -> int:
        index = 0
        for number, start in enumerate(clause_starts):
            if start <= position:
                index = number
        return index

    blocked = (list(profile.spans) + [(d.start, d.end) for d in dates] + time_spans
               + [(p.start, p.end) for p in products] + [(a[0], a[1]) for a in amounts])
    all_channels = [c for c in find_channels(body) if not profile.covers(c.start, c.end)]
    cues, channels = _split_cues(body, all_channels)
    cue_clauses = {clause_of(c.start()) for c in cues}
    remind_clauses = {clause_of(c.start()) for c in cues if _REMIND_CUE.match(c.group(0))}

    name = extract_name(body, channels, blocked)
    channel = channels[0].channel if channels else None
    lead = channels[0] if channels else None

    dated = [_Dated(d, clause_of(d.start)) for d in dates]
    for item in dated:
        _assign_role(item, today, cue_clauses, channels, clause_of)

    planned = _is_plan(lead, dated, clause_of, body, remind_clauses)
    past = [d for d in dated if d.role == "past"]
    today_dates = [d for d in dated if d.role == "today"]
    follow = [d for d in dated if d.role == "follow"] or [d for d in dated if d.role == "future"]

    if planned:
        occurred_on = None
        plan_dates = follow or today_dates
        follow_up = plan_dates[0] if plan_dates else None
    else:
        occurred_on = past[0].on if past else today
        follow_up = follow[0] if follow else None
    if profile and not channels and not past:
        occurred_on = None  # a note that only states profile facts is not a contact

    follow_up_on = follow_up.on if follow_up else None
    follow_up_time = _follow_up_time(times, follow_up, cue_clauses, clause_of, planned)
    if follow_up_time and follow_up_on is None:
        follow_up_on = today if follow_up_time > local_now.time().replace(tzinfo=None) else today + timedelta(days=1)
    if follow_up_on is None and cue_clauses:
        follow_up_on = _dateparser_fallback(body, cues, local_now)

    needs: list[str] = []
    for product in products:
        if not product.negated and product.code not in needs:
            needs.append(product.code)

    return ParsedNote(
        text=text,
        client=name[0] if name else None,
        channel=channel,
        occurred_on=occurred_on,
        needs=tuple(needs),
        amount=amounts[0][2] if amounts else None,
        follow_up_on=follow_up_on,
        follow_up_time=follow_up_time,
        planned=planned,
        client_span=name[1] if name else None,
        profile=profile,
    )


def _split_cues(body: str, channels: list[ChannelMention]):
    """Follow-up cues, and the channel words that are not part of one.

    "call back tomorrow" is a cue, but "回电王总" (returned Wang's call) is a contact: a call-back
    word followed by a name is a channel.
    """
    cues = []
    cue_spans = []
    for match in _FOLLOW_UP_CUE.finditer(body):
        if _CALL_BACK.match(match.group(0)) and _names_follow(body, match.end()):
            continue
        cues.append(match)
        cue_spans.append((match.start(), match.end()))
    kept = [c for c in channels if not any(c.start < e and c.end > s for s, e in cue_spans)]
    return cues, kept


def _names_follow(body: str, position: int) -> bool:
    rest = body[position:].lstrip()
    return bool(rest) and (rest[0].isupper() or "\u4e00" <= rest[0] <= "\u9fff") \
        and not re.match(r"(?:time|tomorrow|明天|后天|下周|周|星期)", rest, re.IGNORECASE)


def _assign_role(item: _Dated, today: date, cue_clauses: set[int], channels: list[ChannelMention], clause_of) -> None:
    mention = item.mention
    if mention.lean is Lean.PAST:
        item.role, item.on = "past", mention.resolve(today, future=False)
        return
    if item.clause in cue_clauses:
        item.role, item.on = "follow", mention.resolve(today, future=True)
        return
    if mention.lean is Lean.FUTURE:
        item.role, item.on = "future", mention.resolve(today, future=True)
        return
    if mention.lean is Lean.CONTEXT:
        item.on = mention.resolve(today, future=_points_forward(item, channels, clause_of))
    else:
        item.on = mention.resolve(today, future=True)
    assert item.on is not None
    item.role = "past" if item.on < today else ("future" if item.on > today else "today")


def _points_forward(item: _Dated, channels: list[ChannelMention], clause_of) -> bool:
    """A bare weekday or "the 28th": forward for a plan, back for a contact that happened."""
    same_clause = [c for c in channels if clause_of(c.start) == item.clause]
    for mention in same_clause or channels[:1]:
        if mention.tense in (Tense.PAST, Tense.NOUN):
            return False
        if mention.tense is Tense.BASE:
            return True
    if item.mention.day_of_month is not None:
        return True     # 28号 is the next 28th
    if same_clause and same_clause[0].tense is Tense.ZH:
        return True
    return False        # "Liu on Monday, needs LC": a log of what happened


def _is_plan(lead: ChannelMention | None, dated: list[_Dated], clause_of, body: str,
             remind_clauses: set[int]) -> bool:
    """A note that only plans an action: "call Zhao tomorrow", "明天拜访孙总", "remind me to call Hu"."""
    if lead is None or any(d.role == "past" for d in dated):
        return False
    clause = clause_of(lead.start)
    if clause in remind_clauses or (remind_clauses and lead.tense in (Tense.BASE, Tense.ZH)):
        return any(d.role in ("future", "follow", "today") for d in dated)
    ahead = [d for d in dated if d.role in ("future", "today") and d.clause == clause]
    if lead.tense is Tense.BASE:
        return bool(ahead) or any(d.role == "future" for d in dated)
    if lead.tense is Tense.ZH:
        if _PAST_MARK_ZH.match(body[lead.end:]) or "已" in body[max(0, lead.start - 3):lead.start]:
            return False
        return any(d.role == "future" for d in ahead)
    return False


def _follow_up_time(times: list[TimeMention], follow_up: _Dated | None, cue_clauses: set[int], clause_of,
                    planned: bool) -> time | None:
    for mention in times:
        clause = clause_of(mention.start)
        if (follow_up and clause == follow_up.clause) or clause in cue_clauses or planned:
            return mention.at
    return None


def _dateparser_fallback(body: str, cues: list[re.Match[str]], local_now: datetime) -> date | None:
    """English dates the rules do not know ("follow up in a fortnight"), via dateparser."""
    rest = body[cues[0].end():]
    rest = _CLAUSE_BREAK.split(rest, maxsplit=1)[0].strip()
    if not rest or not rest.isascii() or len(rest) > 40 or not re.search(r"[A-Za-z0-9]", rest):
        return None
    import dateparser  # imported lazily: it is slow to import and rarely needed

    try:
        found = dateparser.parse(
            rest, languages=["en"],
            settings={"RELATIVE_BASE": local_now.replace(tzinfo=None), "PREFER_DATES_FROM": "future",
                      "REQUIRE_PARTS": ["day"]},
        )
    except Exception:  # dateparser raises a variety of errors on odd input; a fallback must not
        return None
    return found.date() if found and found.date() >= local_now.date() else None

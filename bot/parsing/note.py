"""parse_note: one line an RM typed -> client, channel, dates, needs, amount, follow-up.

A pure function of (text, now, tz). Each date found is given a role: when the contact happened,
when to follow up, or (for a note that only plans an action) the planned date, which is a
follow-up too. A date about something else (the client's trip, a document's expiry or signing)
has none, and a date with two readings (a festival a year off, 周五 said on a Friday) is asked. The rules are the contract in issue #2 and the table in tests/test_parser_rules.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo

from bot.parsing.amounts import CORRECTION, corrected_amount, find_amounts
from bot.parsing.channels import ChannelMention, Tense, find_channels
from bot.parsing.dates import DateMention, Lean, TimeMention, find_dates, find_times, month_day_on
from bot.parsing.names import ROMANISED_SURNAMES, extract_names, pinyin_syllables
from bot.parsing.products import ProductMatch, find_products
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
_CLAUSE_BREAK = re.compile(r"[,，;；。!！?？\n]|(?<!\d)[:：](?!\d)|(?<![A-Z][a-z])(?<!\b[A-Z])(?<!\bCo)(?<!\bLtd)(?<!\bInc)\.\s")
#: Markup-looking text (<b>, </script>) is kept in the note but is never a name or a date.
_TAG = re.compile(r"</?[A-Za-z][^<>]{0,40}>")


@dataclass(frozen=True)
class Reading:
    """One way to read a date phrase that has two: the bot offers each as a button."""

    phrase: str
    occurred_on: date | None = None
    follow_up_on: date | None = None
    follow_up_time: time | None = None


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
    currency: str | None = None         # ISO 4217, None when there is no amount
    amount_max: float | None = None     # the upper end of a range (200-300万)
    readings: tuple[Reading, ...] = ()  # a date phrase with two readings: asked, its fields left null
    #: A maturity or expiry date ahead (LC expires Dec 20): never the follow-up, but offered as a labelled
    #: one-tap reminder when the note has no follow-up of its own.
    suggested: tuple[Reading, ...] = field(default=(), compare=False)
    #: Every client the note names, in order ("拜访刘总和王总"); `client` is the first.
    clients: tuple[str, ...] = ()
    profile: ProfileFacts = field(default=NO_FACTS, compare=False)  # family, risk level, hobbies… (profile.py)
    #: The RM corrected an amount in a way the parser cannot place ("500万, 200万… sorry"): the amount
    #: is left null and the reply asks for it, never the first value kept silently.
    amount_unclear: bool = False

    @property
    def missing(self) -> tuple[str, ...]:
        """What the RM should add for the note to count as a contact."""
        found = [name for name, value in (("client", self.client), ("channel", self.channel)) if not value]
        if self.occurred_on is None and self.follow_up_on is None and not self.readings:
            found.append("date")    # neither a contact that happened nor a plan: the bot asks when
        if self.amount_unclear:
            found.append("amount")
        return tuple(found)

    def to_json(self) -> dict:
        """The contract of `python -m bot parse`."""
        return {
            "client": self.client,
            "channel": self.channel,
            "occurred_on": self.occurred_on.isoformat() if self.occurred_on else None,
            "needs": list(self.needs),
            "amount": _number(self.amount),
            "currency": self.currency,
            "amount_max": _number(self.amount_max),
            "follow_up_on": self.follow_up_on.isoformat() if self.follow_up_on else None,
            "follow_up_time": self.follow_up_time.strftime("%H:%M") if self.follow_up_time else None,
        }

    @property
    def asked(self) -> tuple[str, ...]:
        """The fields left null because the bot asks which reading is meant."""
        fields = []
        for name in ("occurred_on", "follow_up_on", "follow_up_time"):
            if any(getattr(reading, name) is not None for reading in self.readings):
                fields.append(name)
        return tuple(fields)


_ZH_SPACE = re.compile(r"(?<=[\u3400-\u9fff\d])[ \t\u3000]+(?=[\u3400-\u9fff\d])")


def _space_breaks(body: str, dates: list[DateMention], time_spans: list[tuple[int, int]],
                  channels: list[ChannelMention]) -> list[int]:
    """Spaces that end a clause in Chinese written without commas: "拜访陈总 要贷款 下周四放款" is a visit
    today and a disbursement next Thursday, as with commas. Only a space after a channel word and
    before a date that has its own words after it (下周四放款) ends the clause; "拜访陈总 下周四" and
    "下周四 拜访陈总" keep the date with the visit."""
    breaks = []
    spans = [(d.start, d.end) for d in dates] + list(time_spans)
    for match in _ZH_SPACE.finditer(body):
        position = match.end()
        if not any(c.end <= match.start() for c in channels):
            continue
        covered = position
        while True:
            step = next((e for s, e in spans if s == covered), None)
            if step is None:
                break
            covered = step
        if covered == position:
            continue    # the words after the space do not open with a date
        rest = _CLAUSE_BREAK.split(body[covered:], maxsplit=1)[0]
        rest = re.sub(r"^(?:上午|下午|中午|晚上|早上|傍晚|左右|前后|以前|之前|以后|之后|前|后)+", "", rest)
        following = re.match(r"[\u3400-\u9fff]", rest)
        if following:
            breaks.append(position)
    return breaks


def _number(value: float | None) -> float | int | None:
    if value is not None and float(value).is_integer():
        return int(value)
    return value


@dataclass
class _Dated:
    mention: DateMention
    clause: int
    role: str = ""   # past | follow | future | today | ask | other (about something else) | unplaced
    on: date | None = None
    readings: list[Reading] = field(default_factory=list)   # role "ask": the readings offered
    open_today: bool = False   # a follow-up that may mean today: 周五回访 said on a Friday, 月底 on the 30th


def parse_note(text: str, now: datetime, tz: tzinfo, *, currency: str = "CNY") -> ParsedNote:
    """Understand one note read at `now` (when it was sent). Never raises; the text is always kept.

    `currency` is the RM's default, used for an amount written without one.
    """
    text = text if isinstance(text, str) else str(text)
    body = _TAG.sub(lambda match: " " * len(match.group(0)), text[:MAX_NOTE_LENGTH])
    local_now = now.astimezone(tz)
    today = local_now.date()

    profile = find_profile(body, today)  # a family member's birthday is not a contact date, nor their name the client
    dates = [d for d in find_dates(body, today) if not profile.overlaps(d.start, d.end)]
    times = [_in_half_of_day(t, dates, body) for t in find_times(body)
             if not profile.overlaps(t.start, t.end)]   # 喜欢晚上7点以后电话联系: when to reach, not a plan
    time_spans = [(t.start, t.end) for t in times]
    dates = [d for d in dates if not any(s <= d.start and d.end <= e for s, e in time_spans)]
    products = [p for p in find_products(body) if not profile.overlaps(p.start, p.end)]
    amounts = [a for a in find_amounts(body)
               if not any(a.start < m.end and a.end > m.start for m in dates)
               and not any(a.start < e and a.end > s for s, e in time_spans)]
    amounts = [a for a in amounts if not profile.overlaps(a.start, a.end)]
    clause_starts = sorted([0] + [m.end() for m in _CLAUSE_BREAK.finditer(body)]
                           + _space_breaks(body, dates, time_spans, find_channels(body)))

    def clause_of(position: int) -> int:
        index = 0
        for number, start in enumerate(clause_starts):
            if start <= position:
                index = number
        return index

    blocked = (list(profile.spans) + [(d.start, d.end) for d in dates] + time_spans
               + [(p.start, p.end) for p in products] + [(a.start, a.end) for a in amounts])
    all_channels = [c for c in find_channels(body) if not profile.overlaps(c.start, c.end)]
    cues, channels = _split_cues(body, all_channels)
    cue_clauses = {clause_of(c.start()) for c in cues}
    remind_clauses = {clause_of(c.start()) for c in cues if _REMIND_CUE.match(c.group(0))}

    names = extract_names(_capitalised_surnames(body), _name_anchors(body, channels, cues), blocked,
                          [(c.start(), c.end()) for c in cues])
    name = names[0] if names else None
    channel = channels[0].channel if channels else None
    lead = channels[0] if channels else None
    happened = _happened(body, lead, clause_of)

    dated = [_Dated(d, clause_of(d.start)) for d in dates]
    readings: list[Reading] = []
    events = _events(body) if dated else []
    for item in dated:
        about = _about_something_else(item.mention, events, cues, channels, clause_of)
        if about:
            item.role = "other"   # 他下周一出国, LC expires Dec 20, 上周五签的合同: not the RM's contact or follow-up
            if about == "expiry" and item.mention.lean is not Lean.PAST:
                item.on = item.mention.resolve(today, future=True)
            continue
        _assign_role(item, today, cue_clauses, channels, clause_of, happened, body)
        if item.role == "ask":
            readings.extend(item.readings or (_slash_readings(item, today, body, cue_clauses) if item.mention.alt
                                              else _month_day_readings(item, today, body, happened)))
    unplaced = any(d.role == "unplaced" for d in dated)     # 节后拜访了刘总: a contact, on a day not known
    about_else = any(d.role == "other" for d in dated)
    expiring = [d for d in dated if d.role == "other" and d.on is not None and today < d.on <= today + timedelta(days=366)]
    dated = [d for d in dated if d.role not in ("ask", "other", "unplaced")]

    planned = _is_plan(lead, dated, clause_of, body, remind_clauses, happened)
    past = [d for d in dated if d.role == "past"]
    today_dates = [d for d in dated if d.role == "today"]
    follow = [d for d in dated if d.role == "follow"] or [d for d in dated if d.role == "future"]

    reported = _reports_contact(body, lead, happened) or _logged_before_follow_up(
        body, lead, dated, times, cue_clauses, remind_clauses, clause_of)
    if planned:
        occurred_on = None
        plan_dates = follow or today_dates
        follow_up = _corrected_date(body, plan_dates[0], dated) if plan_dates else None
    else:
        # today is a contact date only when the note says a contact happened (issue 12): 三天后回访钱总,
        # "by Friday send KYC docs" plan one and have no contact date
        occurred_on = past[0].on if past else (today if reported else None)
        follow_up = _corrected_date(body, follow[0], dated) if follow else None
    if profile and not channels and not past:
        occurred_on = None  # a note that only states profile facts is not a contact
    if (unplaced or (about_else and lead is None)) and not past:
        occurred_on = None  # the only date is a contact's we cannot place, or a document's: asked, not today

    follow_up_on = follow_up.on if follow_up else None
    if follow_up_on is not None and follow_up_on < today:
        follow_up_on = follow_up = None          # a follow-up is never in the past
    follow_up_time = _follow_up_time(times, follow_up, cue_clauses, clause_of, planned)
    if follow_up_time and follow_up_on is None:
        follow_up_on = today if follow_up_time > local_now.time().replace(tzinfo=None) else today + timedelta(days=1)
    if follow_up is not None and follow_up.open_today and follow_up_on is not None and not readings:
        same_day = _open_today_readings(follow_up, body, follow_up_time, local_now, reported and not planned)
        if same_day:
            readings, follow_up_on, follow_up_time = same_day, None, None
    timed = _timed_plan(lead, dated, times, cue_clauses, clause_of, happened, remind_clauses)
    if timed is None and lead is None and not reported and not cue_clauses and not past:
        timed = _unmarked_time_today(dated, times)   # 刘总下午3点到行里: no verb, no past marker
    if timed is None and not times and not readings and not happened and not past and not cue_clauses:
        part = _part_of_today(body, dated, lead, reported)
        if part is not None:
            phrase, starts = part
            if local_now.hour < starts:   # 今晚给刘总打电话 said at 17:30: tonight's plan
                planned, occurred_on, follow_up_on = True, None, today
            else:   # 傍晚给刘总打电话 said at 17:30: done already, or still to do?
                readings = [Reading(phrase, occurred_on=today), Reading(phrase, follow_up_on=today)]
                occurred_on = follow_up_on = follow_up_time = None
    if timed is not None and not readings:
        if timed.at > local_now.time().replace(tzinfo=None):
            planned, occurred_on, follow_up_on, follow_up_time = True, None, today, timed.at
        else:   # 上午10点给李总打电话 said at 17:30: done this morning, or tomorrow's plan?
            phrase = body[timed.start:timed.end]
            readings = [Reading(phrase, occurred_on=today),
                        Reading(phrase, follow_up_on=today + timedelta(days=1), follow_up_time=timed.at)]
            occurred_on = follow_up_on = follow_up_time = None
    if follow_up_on is None and cue_clauses and not readings:
        follow_up_on = _dateparser_fallback(body, cues, local_now)
    if readings:
        if any(r.occurred_on for r in readings):
            occurred_on = None
        if any(r.follow_up_on for r in readings):
            follow_up_on, follow_up_time = None, None

    needs: list[str] = []
    for product in products:
        if not product.negated and product.code not in needs and not _same_loan(body, product, products):
            needs.append(product.code)

    if occurred_on is None and follow_up_on is not None and not readings:
        planned = True
    money, amount_unclear = corrected_amount(body, amounts)
    suggested = () if follow_up_on is not None or readings or not expiring else (
        Reading(body[expiring[0].mention.start:expiring[0].mention.end], follow_up_on=expiring[0].on),)
    return ParsedNote(
        text=text,
        client=name[0] if name else None,
        channel=channel,
        occurred_on=occurred_on,
        needs=tuple(needs),
        amount=money.value if money else None,
        follow_up_on=follow_up_on,
        follow_up_time=follow_up_time,
        planned=planned,
        client_span=name[1] if name else None,
        currency=(money.currency or currency) if money else None,
        amount_max=money.value_max if money else None,
        readings=tuple(readings),
        suggested=suggested,
        clients=tuple(n for n, _ in names),
        profile=profile,
        amount_unclear=amount_unclear,
    )


#: A surname typed in pinyin before a Chinese title when the input method was not switched: zhou总, liu姐.
#: 总之/总是/总共… are words, not the title.
_LOWER_SURNAME_TITLE = re.compile(r"(?<![A-Za-z])([a-z]{1,6})(?=总(?![之是共算体部行结额数计])|姐|哥|经理|老板|董)")


def _capitalised_surnames(body: str) -> str:
    """zhou总 → Zhou总 (same length, so every span stays put): the name finder reads it as it reads Zhou总."""
    def lift(match: re.Match[str]) -> str:
        word = match.group(1)
        return word.capitalize() if word in pinyin_syllables() or word in ROMANISED_SURNAMES else word
    return _LOWER_SURNAME_TITLE.sub(lift, body)


def _corrected_date(body: str, chosen: _Dated, dated: list[_Dated]) -> _Dated:
    """The follow-up date, unless the RM corrects it ("下周二回访，改成下周三", "Tuesday, sorry,
    Wednesday"): a correction word right before a later date forward means that date."""
    current = chosen
    for later in sorted(dated, key=lambda d: d.mention.start):
        if later.mention.start <= current.mention.end or later.role not in ("follow", "future"):
            continue
        for match in CORRECTION.finditer(body, current.mention.end, later.mention.start):
            if _CORRECTION_FILLER.fullmatch(body, match.end(), later.mention.start):
                current = later
                break
    return current


#: What may stand between a correction word and the corrected value: 改成下周三, sorry, Wednesday, 应该是周三.
_CORRECTION_FILLER = re.compile(r"[\s,，:：]*(?:是|为|到|it|to|the)?[\s,，:：]*", re.IGNORECASE)


_GENERIC_LOAN = frozenset({"loan", "loans", "贷款", "借款"})
_ANOTHER = re.compile(r"(?<![A-Za-z])(?:and|also|plus|another|as\s+well)(?![A-Za-z])|和|还|另外|以及|及|另", re.IGNORECASE)


def _same_loan(body: str, product: ProductMatch, products: list[ProductMatch]) -> bool:
    """"mortgage at 3.1%, loan 1.8m": a bare "loan" beside a mortgage is the mortgage's loan, not a
    second need; "a mortgage and a loan", "房贷，还要经营贷" name two."""
    if product.code != "LOAN" or body[product.start:product.end].lower() not in _GENERIC_LOAN:
        return False
    for other in products:
        if other.code == "MORTGAGE" and not other.negated:
            left, right = sorted((other, product), key=lambda p: p.start)
            if not _ANOTHER.search(body[left.end:right.start]):
                return True
    return False


_PAST_WORDS_EN = re.compile(r"(?<![A-Za-z])(?:already|just|had|did|went|was|were|earlier today)(?![A-Za-z])", re.IGNORECASE)
_PAST_WORDS_ZH = re.compile(r"已|刚|了(?!解)|过(?![两几一二三四五六七八九十\d]\s*[天日周月个])")


#: English past-tense verbs that report something done ("discussed", "signed"), beyond the channel words.
_PAST_VERB_EN = re.compile(r"(?<![A-Za-z])(?:[A-Za-z]{2,}ed|said|told|spoke|sent|got|gave|agreed|took|made|"
                           r"brought|caught|heard|paid|sold|bought|wrote|rang)(?![A-Za-z])", re.IGNORECASE)
#: Reported speech: 刘总说…, 王总表示… (the client told the RM, so they were in contact).
_REPORTED_ZH = re.compile(r"(?<!再)说(?!明|服)|表示|提到|告诉|告知|透露|反映|聊到|谈到")
#: -ed words that describe rather than report, or report only a plan (scheduled a call is no contact).
_NOT_PAST_EN = frozenset({
    "need", "needed", "interested", "related", "based", "limited", "listed", "secured", "unsecured", "fixed",
    "guaranteed", "detailed", "scheduled", "planned", "booked", "arranged", "proposed", "expected", "red",
    "bed", "speed", "feed", "seed", "shed", "hundred", "required", "preferred", "invested", "united", "registered",
    "advised", "regarded", "indeed", "biased", "used", "unused", "restricted", "structured",
})


def _reports_contact(body: str, lead: ChannelMention | None, happened: bool) -> bool:
    """Whether the note says a contact took place: a channel word in the past or perfective sense (visited,
    a call with, 拜访 in a Chinese log), or a past marker (了, 过, 已, already, an -ed verb)."""
    if happened:
        return True
    if lead is not None and lead.tense in (Tense.PAST, Tense.NOUN, Tense.ZH):
        return True
    if _PAST_WORDS_EN.search(body) or _PAST_WORDS_ZH.search(body) or _REPORTED_ZH.search(body):
        return True
    return any(match.group(0).lower() not in _NOT_PAST_EN for match in _PAST_VERB_EN.finditer(body))


def _logged_before_follow_up(body: str, lead: ChannelMention | None, dated: list[_Dated], times: list[TimeMention],
                             cue_clauses: set[int], remind_clauses: set[int], clause_of) -> bool:
    """"call Zhou re mortgage, call back tmrw", "visit Liu, follow up next week": a channel verb opening
    the note, with no date or time of its own, and a follow-up phrase in a later clause. The follow-up
    comes after a contact, so the opening verb logs today's; "call Liu tomorrow, follow up Friday" and
    "remind me to call Liu" stay plans."""
    if lead is None or lead.tense is not Tense.BASE or body[:lead.start].strip() or remind_clauses:
        return False
    clause = clause_of(lead.start)
    if not cue_clauses or clause in cue_clauses or min(cue_clauses) < clause:
        return False
    return not any(d.clause == clause for d in dated) and not any(clause_of(t.start) == clause for t in times)


#: Parts of the day named without a clock time, and the hour each starts: a part that has not begun
#: is a plan for today; one under way or over is asked (done already, or still to do?).
_DAY_PARTS = re.compile(r"今晚|今夜|今天晚上|今天下午|今天上午|今早|今天早上|晚上|傍晚|下午|上午|早上|中午|"
                        r"(?<![A-Za-z])(?:tonight|this\s+evening|this\s+afternoon|this\s+morning)(?![A-Za-z])",
                        re.IGNORECASE)
_PART_STARTS = {"今晚": 18, "今夜": 18, "今天晚上": 18, "晚上": 18, "傍晚": 17, "今天下午": 12, "下午": 12,
                "中午": 11, "今天上午": 8, "上午": 8, "今早": 7, "今天早上": 7, "早上": 7,
                "tonight": 18, "this evening": 18, "this afternoon": 12, "this morning": 7}


def _part_of_today(body: str, dated: list[_Dated], lead: ChannelMention | None,
                   reported: bool) -> tuple[str, int] | None:
    """今晚 / 傍晚 / this afternoon with an action not marked done, and no other date: (phrase, start hour)."""
    if any(d.role != "today" for d in dated):
        return None
    if lead is None or lead.tense is Tense.PAST or (reported and lead.tense is not Tense.ZH):
        return None
    match = _DAY_PARTS.search(body)
    if match is None:
        return None
    word = re.sub(r"\s+", " ", match.group(0).lower())
    return match.group(0), _PART_STARTS[word]


def _unmarked_time_today(dated: list[_Dated], times: list[TimeMention]) -> TimeMention | None:
    """A clock time today in a note with no channel word and no past marker (下午3点半跟陈总开会)."""
    if any(d.role != "today" for d in dated) or not times:
        return None
    return times[0]


_SAYS_MORNING = re.compile(r"am|a\.m|上午|早|凌晨|morning", re.IGNORECASE)


def _in_half_of_day(mention: TimeMention, dates: list[DateMention], body: str) -> TimeMention:
    """2:30 this afternoon, 今晚8:30: an hour before noon moves to the evening the date word names."""
    if mention.at.hour >= 12 or _SAYS_MORNING.search(body[mention.start:mention.end]):
        return mention
    for date_mention in dates:
        near = (0 <= mention.start - date_mention.end <= 3) or (0 <= date_mention.start - mention.end <= 3)
        if near and date_mention.evening:
            return TimeMention(mention.start, mention.end, mention.at.replace(hour=mention.at.hour + 12))
    return mention


def _happened(body: str, lead: ChannelMention | None, clause_of) -> bool:
    """A past marker with the note's action: visited, 了, 过, 已, already."""
    if lead is None:
        return False
    if lead.tense is Tense.PAST:
        return True
    clause = clause_of(lead.start)
    start = max(0, lead.start - 8)
    end = lead.end + 12
    while end > lead.end and clause_of(end) != clause:
        end -= 1
    window = body[start:end]
    if lead.tense is Tense.ZH:
        return bool(_PAST_WORDS_ZH.search(body[lead.start:end]) or re.search("已|刚", body[start:lead.start]))
    return bool(_PAST_WORDS_EN.search(window))


def _slash_readings(item: _Dated, today: date, body: str, cue_clauses: set[int]) -> list[Reading]:
    """3/4: 4 March or 3 April, each placed as a follow-up (or a contact when it has passed)."""
    mention = item.mention
    phrase = body[mention.start:mention.end]
    readings = []
    assert mention.alt is not None and mention.month is not None and mention.day_of_month is not None, "a slash date"
    for month, day in ((mention.month, mention.day_of_month), mention.alt):
        follow = item.clause in cue_clauses or mention.deadline
        ahead = month_day_on(today, month, day, future=True)
        last = month_day_on(today, month, day, future=False)
        if follow or (ahead - today) <= (today - last):
            readings.append(Reading(phrase, follow_up_on=ahead))
        else:
            readings.append(Reading(phrase, occurred_on=last))
    return readings


def _month_day_readings(item: _Dated, today: date, body: str, happened: bool = False) -> list[Reading]:
    """A month-day long past: this year's contact, or next year's follow-up; 8月5号拜访过 is marked
    done, so next year's date is no reading of it (the one button confirms the contact date)."""
    mention = item.mention
    phrase = body[mention.start:mention.end]
    last = mention.resolve(today, future=False)
    ahead = mention.resolve(today, future=True)
    if happened:
        return [Reading(phrase, occurred_on=last)]
    return [Reading(phrase, occurred_on=last), Reading(phrase, follow_up_on=ahead)]


#: Verbs a client's name follows when no channel word does ("send Wu the term sheet").
_NAME_VERBS = re.compile(r"(?<![A-Za-z])(?:send|sent|give|gave|remind|tell|told|ask|asked|forward|forwarded|share|shared)"
                         r"(?![A-Za-z])", re.IGNORECASE)


def _name_anchors(body: str, channels: list[ChannelMention], cues: list[re.Match[str]]) -> list[ChannelMention]:
    """Where the name is looked for: each channel word, joined with a follow-up word right after it
    (上门回访何总: the name follows 回访), then verbs that take a person."""
    anchors = []
    for mention in channels:
        end = mention.end
        for cue in cues:
            if cue.start() == end:
                end = cue.end()
        anchors.append(ChannelMention(mention.channel, mention.tense, mention.start, end))
    for match in _NAME_VERBS.finditer(body):
        anchors.append(ChannelMention("", Tense.BASE, match.start(), match.end()))
    return anchors


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
        and not re.match(r"(?:time|tomorrow|tmrw?|tmr|next|this|(?:mon|tues?|wed|thu(?:rs)?|fri|sat|sun)(?:day)?(?![A-Za-z])|"
                     r"明天|后天|下周|周|星期)", rest, re.IGNORECASE)


def _assign_role(item: _Dated, today: date, cue_clauses: set[int], channels: list[ChannelMention], clause_of,
                 happened: bool, body: str) -> None:
    mention = item.mention
    if mention.lean is Lean.PAST:
        item.role, item.on = "past", mention.resolve(today, future=False)
        return
    if mention.alt is not None:
        item.role = "ask"
        return
    lead = channels[0] if channels else None
    # a past marker in this date's clause: with the contact's verb (周末拜访了郝总), or, with no channel
    # word there, after the date (周末和郝总吃了饭)
    lead_here = lead is not None and clause_of(lead.start) == item.clause
    marked_here = happened if lead_here else _marked_after(body, mention.end)
    if mention.festival:
        follow_word = item.clause in cue_clauses
        _assign_festival(item, today, follow_word or (mention.deadline and not marked_here),
                         marked_here and not follow_word, body)
        return
    if item.clause in cue_clauses or mention.deadline:
        item.role, item.on = "follow", mention.resolve(today, future=True)
        if mention.weekday is not None and item.on <= today and mention.lean is Lean.FIXED:
            item.on += timedelta(weeks=1)      # 周三再联系 said on a Wednesday: next week's, unless it may be today
        if mention.weekday is not None and mention.weekday == today.weekday():
            item.open_today = True
        elif mention.next_end is not None and item.on == today:
            item.open_today = True             # 月底再联系 said on the 30th: today, or next month's end?
        return
    if mention.lean is Lean.FUTURE:
        item.role, item.on = "future", mention.resolve(today, future=True)
        return
    if mention.month is not None:
        same_clause = any(clause_of(c.start) == item.clause for c in channels[:1])
        _assign_month_day(item, today, happened and same_clause)
        return
    if mention.lean is Lean.FIXED and mention.weekday is not None:
        # before the verb marked done; with no channel word at all, the marker after the date is the verb's
        before_verb = lead is None or (lead_here and (mention.end <= lead.start or lead.tense is Tense.PAST))
        _assign_weekday_word(item, today, happened or marked_here, marked_here and before_verb, body)
        return
    if mention.lean is Lean.CONTEXT:
        forward = _points_forward(item, channels, clause_of)
        item.on = mention.resolve(today, future=forward)
        item.open_today = forward and mention.weekday is not None and mention.weekday == today.weekday()
    else:
        item.on = mention.resolve(today, future=True)
        # "call Wang end of month" said on the month's last day: today, or next month's end?
        item.open_today = mention.next_end is not None and item.on == today and not marked_here
    assert item.on is not None
    item.role = "past" if item.on < today else ("future" if item.on > today else "today")


#: 了, 已, 过 as past markers after a date; 发过去 / 拿过来 are directions, not the past.
_PAST_AFTER_ZH = re.compile(r"已|了(?!解)|过(?![去来两几一二三四五六七八九十\d])")


def _marked_after(body: str, position: int) -> bool:
    """A past marker (了, 过, 已, an -ed verb) between a date and the end of its clause."""
    end = _CLAUSE_BREAK.search(body, position)
    rest = body[position:end.start() if end else len(body)]
    if _PAST_AFTER_ZH.search(rest) or _PAST_WORDS_EN.search(rest):
        return True
    return any(match.group(0).lower() not in _NOT_PAST_EN for match in _PAST_VERB_EN.finditer(rest))


#: How far ahead a festival named without a year is placed without asking: 国庆后再说 said in November
#: (ten months ahead) may be next October or a slip, so the bot asks; 春节前 said in November is placed.
FESTIVAL_HORIZON_DAYS = 183


def _assign_festival(item: _Dated, today: date, follow: bool, past_tense: bool, body: str) -> None:
    """元旦拜访了傅总 (past tense): its most recent day, if within the last 60 days, else asked;
    元旦前再联系 / 国庆后 (no past marker): its next day within the horizon, else asked."""
    mention = item.mention
    phrase = body[mention.start:mention.end]
    last = mention.last
    if past_tense:
        if last is not None and (today - last).days <= PASSED_MONTH_DAY_DAYS:
            item.role, item.on = ("today" if last == today else "past"), last
        elif last is not None:
            item.role, item.readings = "ask", [Reading(phrase, occurred_on=last)]
        else:
            item.role = "unplaced"          # 节后拜访了刘总: after which holiday, on which day?
        return
    ahead = mention.on
    assert ahead is not None
    if (ahead - today).days <= FESTIVAL_HORIZON_DAYS:
        if follow:
            item.role, item.on = "follow", ahead
        else:
            item.role, item.on = ("today" if ahead == today else "future"), ahead
        return
    item.role = "ask"
    if not follow and last is not None and (today - last).days <= PASSED_MONTH_DAY_DAYS:
        item.readings.append(Reading(phrase, occurred_on=last))   # 元旦拜访傅总 said on 4 January
    item.readings.append(Reading(phrase, follow_up_on=ahead))


def _assign_weekday_word(item: _Dated, today: date, happened: bool, before_marked_verb: bool, body: str) -> None:
    """周一, 周末 without 上/下/这 and without a follow-up word: this week's day, read with the note.

    周末拜访了郝总 (the date before a verb marked done): the most recent one. 拜访了郝总，周末 (a
    contact marked done, the day after it): the contact's day or a plan? asked. Unmarked: this
    week's day, unless it has passed and the next one is nearer (周一拜访孙总 said on Sunday
    evening: last Monday, six days ago, or tomorrow?): asked.
    """
    mention = item.mention
    assert mention.weekday is not None
    last = today - timedelta(days=(today.weekday() - mention.weekday) % 7)
    ahead = today + timedelta(days=(mention.weekday - today.weekday() - 1) % 7 + 1)
    phrase = body[mention.start:mention.end]
    if happened:
        if before_marked_verb:
            item.role, item.on = ("today" if last == today else "past"), last
        else:
            item.role = "ask"
            item.readings = [Reading(phrase, occurred_on=last), Reading(phrase, follow_up_on=ahead)]
        return
    this_week = mention.resolve(today, future=True)
    if this_week < today and (today - this_week) > (ahead - today):
        item.role = "ask"
        item.readings = [Reading(phrase, occurred_on=this_week), Reading(phrase, follow_up_on=ahead)]
        return
    item.on = this_week
    item.role = "past" if this_week < today else ("future" if this_week > today else "today")


def _open_today_readings(item: _Dated, body: str, at: time | None, local_now: datetime,
                         contact_today: bool) -> list[Reading]:
    """A follow-up that may fall on today: 周五下午4点回访 said on Friday morning (today at 16:00, or
    next Friday?), 月底再联系 said on the month's last day (today, or next month's end?): asked.
    周三再联系 after a contact today, or with a time already past: next week's, as said."""
    mention = item.mention
    today = local_now.date()
    phrase = body[mention.start:mention.end]
    if mention.next_end is not None and item.on == today:
        return [Reading(phrase, follow_up_on=today, follow_up_time=at),
                Reading(phrase, follow_up_on=mention.next_end, follow_up_time=at)]
    if contact_today and (at is None or at <= local_now.time().replace(tzinfo=None)):
        return []   # "visited Zhao, follow up Wednesday" on a Wednesday: not the same day
    assert item.on is not None
    if at is not None and at <= local_now.time().replace(tzinfo=None):
        # 周五下午4点回访马总 said on Friday at 17:00: done at 16:00 today, or next Friday's plan?
        return [Reading(phrase, occurred_on=today), Reading(phrase, follow_up_on=item.on, follow_up_time=at)]
    return [Reading(phrase, follow_up_on=today, follow_up_time=at),
            Reading(phrase, follow_up_on=item.on, follow_up_time=at)]


#: Words that tie a date to something other than the RM's contact or follow-up: the client's own
#: plans (travel, absence, family events) and a document's dates (expiry, maturity, a signing done).
_EXPIRY = re.compile(r"到期|届满|过期|失效|(?<![A-Za-z])(?:expir\w*|matur\w*|lapses?|lapsing|runs\s+out|"
                     r"(?:is|are|falls?|loan|payment|repayment|interest|bill|instal+ment)\s+due|due\s+(?:on|date))(?![A-Za-z])",
                     re.IGNORECASE)
_CLIENT_PLAN = re.compile(
    r"出国|出境|出差|回国|归国|回来|旅游|旅行|度假|休假|请假|出游|移民|搬家|结婚|婚礼|住院|手术|飞往|飞去|飞到|"
    r"坐飞机|航班|回老家|探亲|在国外|不在|外出|退休|生日|签了|签的|签好|签过|签完|签署了|签署的|签约了|签约的|签了约|成立|开业|"
    r"(?:他|她|对方)们?[^，,。；;！!？?\s]{0,8}?(?:要|会|将|准备|打算)?(?:去|飞|回)(?![访电复])"
    r"|(?<![A-Za-z])(?:fl(?:y|ies|ying|ew)|flight|travel(?:s|l?ing|l?ed)?|trip|vacation|on\s+holiday|on\s+leave|"
    r"away|abroad|overseas|leav(?:es|ing)\s+for|head(?:s|ing)\s+to|off\s+to|back\s+from|returns?|returning|"
    r"moving|relocat\w*|wedding|hospital|surgery|signed|founded|incorporated|retir\w*|birthday|b-?day)(?![A-Za-z])"
    # he's going to Shanghai, she'll be in HK, they're off to Tokyo: the client's whereabouts
    r"|(?<![A-Za-z])(?:he|she|they)(?:['’](?:s|ll|re)|\s+is|\s+will|\s+are)?\s+(?:be\s+)?(?:going\s+to\s+(?!(?:call|visit|"
    r"meet|send|email|sign|come|wire|pay|transfer|buy|invest|deposit|decide|apply|open|see|talk|discuss|confirm)\b)|"
    r"in\s+(?!the\s+office|touch|the\s+bank)|out\s+of\s+|off\s+to\s+|leaving|visiting)",
    re.IGNORECASE)


def _events(body: str) -> list[tuple[bool, int, int]]:
    """The note's words of the client's plans and documents: (is an expiry, start, end)."""
    return [(True, m.start(), m.end()) for m in _EXPIRY.finditer(body)] + \
        [(False, m.start(), m.end()) for m in _CLIENT_PLAN.finditer(body)]


def _about_something_else(mention: DateMention, events: list[tuple[bool, int, int]], cues: list[re.Match[str]],
                          channels: list[ChannelMention], clause_of) -> str:
    """A date tied, in its clause, to the client's own plans or a document rather than to the RM's
    action: nearer to 出国 / expires / 签的 than to any follow-up word or channel word there.
    "expiry" (a maturity or expiry date), "plan" (anything else of the client's), or "" (the RM's)."""
    clause = clause_of(mention.start)

    def gap(start: int, end: int) -> int:
        return max(start - mention.end, mention.start - end, 0)

    def nearest(expiry_words: bool) -> int | None:
        gaps = [gap(start, end) for is_expiry, start, end in events
                if is_expiry is expiry_words and clause_of(start) == clause]
        return min(gaps) if gaps else None

    if not events:
        return ""
    expiry = nearest(True)
    plan = nearest(False)
    found = [g for g in (expiry, plan) if g is not None]
    if not found:
        return ""
    actions = [gap(c.start(), c.end()) for c in cues if clause_of(c.start()) == clause]
    actions += [gap(c.start, c.end) for c in channels if clause_of(c.start) == clause]
    if actions and min(found) >= min(actions):
        return ""
    return "expiry" if expiry is not None and (plan is None or expiry <= plan) else "plan"


#: A month-day that has passed is the contact date only this recently; older ones are asked.
PASSED_MONTH_DAY_DAYS = 60


def _assign_month_day(item: _Dated, today: date, happened: bool) -> None:
    """3月8号 without a follow-up phrase: the nearest one; when that has passed, the contact date
    if within the last 60 days, else asked (it may be last year's contact or next year's plan)."""
    mention = item.mention
    last = mention.resolve(today, future=False)
    ahead = mention.resolve(today, future=True)
    if happened:
        nearest = last
    elif mention.period:
        nearest = ahead         # mid-January, 3月上旬: named ahead of time
    elif (today - last).days <= PASSED_MONTH_DAY_DAYS:
        nearest = last          # passed lately (Dec 28 said on 3 Jan is last week's, not next December's)
    else:
        nearest = ahead if ahead.year == today.year else last   # this year's, passed long ago: asked
    if nearest >= today:
        item.role, item.on = ("today" if nearest == today else "future"), nearest
    elif (today - nearest).days <= PASSED_MONTH_DAY_DAYS:
        item.role, item.on = "past", nearest
    else:
        item.role, item.on = "ask", None


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
             remind_clauses: set[int], happened: bool) -> bool:
    """A note that only plans an action: "call Zhao tomorrow", "明天拜访孙总", "remind me to call Hu"."""
    if lead is None or any(d.role == "past" for d in dated):
        return False
    clause = clause_of(lead.start)
    if clause in remind_clauses or (remind_clauses and lead.tense in (Tense.BASE, Tense.ZH)):
        return any(d.role in ("future", "follow", "today") for d in dated)
    ahead = [d for d in dated if d.role in ("future", "today") and d.clause == clause]
    if lead.tense is Tense.BASE:
        return not happened and (bool(ahead) or any(d.role == "future" for d in dated))
    if lead.tense is Tense.NOUN:   # "lunch with Zou next Wednesday"; "email from Apex, reply Friday" happened
        return not happened and any(d.role == "future" for d in ahead)
    if lead.tense is Tense.ZH:
        if happened:
            return False
        # 下周三上门回访何总: the channel comes after the follow-up date in its clause
        led = [d for d in dated if d.role == "follow" and d.clause == clause and d.mention.end <= lead.start]
        return any(d.role == "future" for d in ahead) or bool(led)
    return False


def _timed_plan(lead: ChannelMention | None, dated: list[_Dated], times: list[TimeMention], cue_clauses: set[int],
                clause_of, happened: bool, remind_clauses: set[int]) -> TimeMention | None:
    """下午3点给李总打电话, "call Liu at 3pm": a clock time today with an action not marked done."""
    if lead is None or happened or lead.tense is Tense.PAST or cue_clauses or remind_clauses:
        return None
    if any(d.role != "today" for d in dated):
        return None
    clause = clause_of(lead.start)
    same = [t for t in times if clause_of(t.start) == clause]
    return same[0] if same else None


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

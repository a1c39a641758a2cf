"""Profile facts in a note: family, hobbies, risk level, preferred channel and time, cautions.

What the best RM keeps on a client's sheet (seed 003): family members with their birthdays and
school or work, hobbies, the risk level (C1–C5) with when it was assessed, how and when the
client likes to be reached, what to be careful about, and assets held at other banks.

Pure: (text, today) → ProfileFacts. Every fact keeps the span it was read from, so the note
parser does not also read those words as a contact date, a need, an amount or the client's name
("女儿小雨 2010-06-01" is the daughter's birthday, not the day of a contact). A word the rules
cannot read with confidence gives no fact: missing beats wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from bot.parsing.amounts import find_amounts
from bot.parsing.dates import find_dates
from bot.parsing.numbers import cn_to_int
from bot.parsing.products import find_products

Span = tuple[int, int]

#: Client risk levels (适当性): C1 保守 … C5 进取; a client at C_n may be offered products up to R_n.
RISK_LEVELS = (1, 2, 3, 4, 5)
RISK_WORDS_ZH = {"保守": 1, "谨慎": 2, "稳健": 2, "平衡": 3, "成长": 4, "积极": 4, "进取": 5, "激进": 5}
RISK_WORDS_EN = {"conservative": 1, "moderately conservative": 2, "cautious": 2, "prudent": 2, "balanced": 3,
                 "moderate": 3, "growth": 4, "moderately aggressive": 4, "aggressive": 5}
#: Canonical relations (keys of the relation.* strings); "self" is the client's own birthday.
RELATIONS = ("self", "spouse", "wife", "husband", "daughter", "son", "child", "father", "mother",
             "father_in_law", "mother_in_law", "brother", "sister", "grandson", "granddaughter",
             "son_in_law", "daughter_in_law")
#: Preferred contact times.
TIMES = ("morning", "lunch", "afternoon", "evening", "weekend", "off_hours")

_RELATIONS_ZH = {
    "大女儿": "daughter", "小女儿": "daughter", "二女儿": "daughter", "女儿": "daughter", "闺女": "daughter",
    "大儿子": "son", "小儿子": "son", "二儿子": "son", "儿子": "son", "孩子": "child", "小孩": "child",
    "爱人": "spouse", "配偶": "spouse", "老婆": "wife", "妻子": "wife", "媳妇": "wife", "老公": "husband",
    "丈夫": "husband", "父亲": "father", "爸爸": "father", "老爸": "father", "母亲": "mother", "妈妈": "mother",
    "老妈": "mother", "岳父": "father_in_law", "公公": "father_in_law", "老丈人": "father_in_law",
    "岳母": "mother_in_law", "婆婆": "mother_in_law", "丈母娘": "mother_in_law", "哥哥": "brother",
    "弟弟": "brother", "姐姐": "sister", "妹妹": "sister", "外孙女": "granddaughter", "孙女": "granddaughter",
    "外孙": "grandson", "孙子": "grandson", "小孙子": "grandson", "小孙女": "granddaughter", "女婿": "son_in_law", "儿媳": "daughter_in_law",
}
#: Words that are also titles (王太太, 李先生): a relation only after 的/他/她.
_RELATIONS_ZH_AFTER_DE = {"太太": "wife", "夫人": "wife", "先生": "husband"}
_RELATIONS_EN = {
    "father-in-law": "father_in_law", "mother-in-law": "mother_in_law", "son-in-law": "son_in_law",
    "daughter-in-law": "daughter_in_law", "granddaughter": "granddaughter", "grandson": "grandson",
    "daughter": "daughter", "son": "son", "wife": "wife", "husband": "husband", "spouse": "spouse",
    "father": "father", "dad": "father", "mother": "mother", "mom": "mother", "mum": "mother",
    "brother": "brother", "sister": "sister", "kid": "child", "child": "child",
}
_CJK = "\u3400-\u9fff"
#: A relation word may follow the client's name or title (刘总女儿), a possessive, or a break.
_ZH_BEFORE_RELATION = set("的他她其总姐哥生士董长师板叔姨给为帮替 \t,，;；。:：、") | {""}
#: A comma inside a number (3,000) does not end a clause.
_CLAUSE = re.compile(r"(?<!\d)[,，]|[,，](?!\d{3}(?:\D|$))|[;；。!！?？\n]|(?<=[a-z])\.\s")

_REL_ZH = re.compile("|".join(sorted(list(_RELATIONS_ZH) + list(_RELATIONS_ZH_AFTER_DE), key=len, reverse=True)))
_REL_EN = re.compile(r"(?<![A-Za-z])(" + "|".join(sorted(_RELATIONS_EN, key=len, reverse=True)) + r")(?![A-Za-z-])",
                     re.IGNORECASE)
_ZH_NAME_STOP = re.compile(r"生日|在|读|今年|岁|的|是|上|刚|明年|出生|考|工作|毕业|已经|也|喜欢|和|跟|农历|阴历|买|投保|有|"
                           r"要|想|需|说|来|去|打算|准备|希望|让|请|办|开|做|险|重疾|医疗|意外|年金|教育金|寿|保额|保费|"
                           r"公历|阳历|[0-9一二三四五六七八九十]")
_EN_NOT_NAME = {"is", "was", "turns", "turned", "born", "who", "and", "the", "a", "an", "just", "will", "has",
                "had", "studies", "works", "goes", "attends", "birthday", "lunar", "aged", "age", "in", "at"}

_ZH_NUM = r"[0-9]{1,2}|[一二三四五六七八九十]{1,3}"
_LUNAR_MONTHS = {"正": 1, "冬": 11, "腊": 12}
_LUNAR_CUE = r"(?:农历|阴历|lunar\s*)"
_BIRTHDAY_PATTERNS = [
    # (pattern, kind) — kinds: ymd, md, zh_md, en_md, en_dm
    (re.compile(rf"(?P<lunar>{_LUNAR_CUE})?(?P<y>(?:19|20)\d\d)[-/.年](?P<m>\d{{1,2}})[-/.月](?P<d>\d{{1,2}})[日号]?(?!\d)",
                re.IGNORECASE), "ymd"),
    (re.compile(rf"(?P<lunar>{_LUNAR_CUE})?(?P<m>{_ZH_NUM}|[正冬腊])月(?P<d>初[一二三四五六七八九十]|廿[一二三四五六七八九]|"
                rf"{_ZH_NUM})[日号]?", re.IGNORECASE), "zh_md"),
    (re.compile(r"(?P<lunar>lunar\s*)(?P<m>\d{1,2})/(?P<d>\d{1,2})(?![\d/])", re.IGNORECASE), "md"),
    (re.compile(r"(?P<lunar>lunar\s+)?(?<![A-Za-z])(?P<mon>jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+"
                r"(?P<d>\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(?P<y>(?:19|20)\d\d))?(?![\d:])", re.IGNORECASE), "en_md"),
    (re.compile(r"(?P<lunar>lunar\s+)?(?<![\d/])(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>jan|feb|mar|apr|may|"
                r"jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*(?![A-Za-z])(?:,?\s+(?P<y>(?:19|20)\d\d))?", re.IGNORECASE),
     "en_dm"),
]
_MONTHS_EN = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
                                          "nov", "dec"), start=1)}
_BIRTHDAY_WORD = re.compile(r"生日|出生|生于|birthday|born|b\.(?=\s*\d)", re.IGNORECASE)
_AGE = re.compile(r"(?:今年)?(?P<n>\d{1,3}|[一二三四五六七八九十]{1,3})\s*岁|(?<![A-Za-z])(?:aged?\s+(?P<a>\d{1,3})|"
                  r"(?P<b>\d{1,3})\s*(?:years?\s*old|yo|y/o))(?![A-Za-z])"
                  r"|(?:(?<=,)|(?<=, )|(?<=，))\s*(?P<c>\d{1,2})\s*(?=[,，]|$)", re.IGNORECASE)
_GRADE = r"(?:幼儿园|小学|初中|高中|中学|大学|学院|研究生|硕士|博士|高[一二三]|初[一二三]|大[一二三四]|[一二三四五六]年级)"
_SCHOOL_WORK_ZH = re.compile(
    rf"在读[{_CJK}0-9]{{0,10}}?{_GRADE}|就读于?[{_CJK}A-Za-z0-9]{{1,14}}"
    rf"|在[{_CJK}A-Za-z0-9]{{1,14}}?(?:读书|上学|念书|工作|上班|任职|读{_GRADE}?|(?:当|做)[{_CJK}]{{1,6}})"
    rf"|(?<![{_CJK}])(?:读|上|念){_GRADE}|(?:是)(?:医生|老师|教师|律师|护士|公务员|工程师|会计|学生|大学生|研究生)")
_SCHOOL_WORK_EN = re.compile(
    r"(?<![A-Za-z])(?:(?:is\s+)?(?:studies|studying|works|working|teaches|goes\s+to|attends|is\s+at|in\s+grade|"
    r"in\s+year|at)\s+[^,;.，；。]{2,40}|is\s+an?\s+(?:doctor|teacher|lawyer|nurse|engineer|student|accountant|"
    r"civil\s+servant)[^,;.，；。]{0,30})", re.IGNORECASE)

_RISK_CUE = re.compile(r"风险|风评|测评|评级|适当性|承受能力|risk|suitability|investor|profile", re.IGNORECASE)
_RISK_ZH = re.compile(r"(保守|谨慎|稳健|平衡|成长|积极|进取|激进)(型)?")
_RISK_EN = re.compile(r"(?<![A-Za-z])(" + "|".join(sorted(RISK_WORDS_EN, key=len, reverse=True)) + r")(?![A-Za-z])",
                      re.IGNORECASE)
_RISK_CODE = re.compile(r"(?<![A-Za-z0-9])[Cc]([1-5])(?![0-9])(型|级|类|客户)?")
#: A client's name and a bare code, nothing else (刘建国 C3, Zhou C4): the level, as RMs jot it down.
_BARE_RISK = re.compile(rf"(?P<who>[{_CJK}]{{2,6}}|(?:(?:Mr|Mrs|Ms|Miss|Dr)\.?\s+)?[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)"
                        r"\s*(?P<code>[Cc](?P<level>[1-5]))")
#: …unless the words before the code are a place (Room C3, A座 C3, 停车场 C3).
_PLACE_BEFORE_CODE = re.compile(r"楼|座|区|栋|室|层|号|场|馆|门|厅|(?<![A-Za-z])(?:room|rm|block|unit|building|floor|level|"
                                r"zone|area|gate|seat|row|hall|tower|suite|lot|parking|car|model|type|class|grade)(?![A-Za-z])",
                                re.IGNORECASE)
_PRODUCT_RISK = re.compile(r"(?<![A-Za-z0-9])[Rr]([1-5])(?![0-9A-Za-z])")
_NEGATION = re.compile(r"(?:不是|不算|并非|非|不|没有|not|isn't|is not|no longer|n't)\s*$", re.IGNORECASE)

_CHANNEL_WORDS = [
    ("message", r"微信|短信|消息|wechat|weixin|whatsapp|sms|texts?|messages?|messaging"),
    ("email", r"邮件|邮箱|电邮|e-?mails?"),
    ("call", r"电话|打电话|phone|calls?|called|ringing"),
    ("visit", r"面谈|见面|当面|上门|in\s+person|face[\s-]to[\s-]face|meet(?:ing)?s?|visits?"),
]
_CHANNEL = re.compile("|".join(f"(?P<{c}>{p})" for c, p in _CHANNEL_WORDS), re.IGNORECASE)
_TIME_WORDS = [
    ("off_hours", r"下班后|下班时间|非工作时间|工作时间以外|after\s+(?:work|hours)|outside\s+(?:office|work(?:ing)?)\s+hours"),
    ("lunch", r"中午|午休|午饭|吃饭时间|午餐|lunch(?:time)?|noon|midday"),
    ("evening", r"晚上|傍晚|evenings?|tonight|(?<![A-Za-z])after\s+(?:[6-9]|1[01])(?::\d\d)?\s*(?:pm|p\.m\.)|"
                r"(?:下午)?[6-9六七八九]点(?:钟)?(?:以后|之后)"),
    ("morning", r"上午|早上|mornings?"),
    ("afternoon", r"下午|afternoons?"),
    ("weekend", r"周末|weekends?"),
]
_TIME = re.compile("|".join(f"(?P<{c}>{p})" for c, p in _TIME_WORDS), re.IGNORECASE)
_OFFICE_HOURS = re.compile(r"上班时间|工作时间|办公时间|上班的时候|office\s+hours|work(?:ing)?\s+hours|during\s+work",
                           re.IGNORECASE)
_PREFER = re.compile(r"喜欢|习惯|偏好|最好|方便|倾向|只接|只回|只要|只用|首选|更愿意|愿意|prefer(?:s|red)?|best\s+(?:reached|to)|"
                     r"likes?\s+to\s+be|rather|only\s+(?:by|on|via)|reach\s+(?:him|her|them)\s+(?:by|on|via)",
                     re.IGNORECASE)
_DONT = re.compile(r"不要|不能|别|切勿|勿|避免|忌讳|忌|不喜欢|不爱|讨厌|反感|不愿|注意(?!到)|小心|敏感|"
                   r"(?<![A-Za-z])(?:don'?t|do\s+not|never|avoid|careful|sensitive|dislikes?|hates?|no\s+calls?)(?![A-Za-z])",
                   re.IGNORECASE)
_NOT_CAUTION = re.compile(r"别忘|不要忘|不能忘|forget|回访|跟进|提醒|follow|remind|需要|need", re.IGNORECASE)
_HOBBY_ZH = re.compile(r"(?:爱好是?|兴趣是?|业余(?:时间)?(?:喜欢)?|热爱|迷上了?|(?<!不)喜欢)[:：]?\s*")
_HOBBY_EN = re.compile(r"(?<![A-Za-z])(?:likes|loves|enjoys|is\s+into|into|fan\s+of|hobbies?(?:\s+is|\s+are|:)?|plays)\s+",
                       re.IGNORECASE)
_NOT_HOBBY = re.compile(r"联系|接电话|打电话|打扰|沟通|回复|be\s|to\s+be|contacted|reached|called|emailed|texted",
                        re.IGNORECASE)
_OTHER_BANK = re.compile(
    rf"他行|其他银行|别的银行|其它银行|外行|在(?P<bank>[{_CJK}]{{1,6}}?(?:银行|行))(?=[^{_CJK}]?[{_CJK}])"
    r"|(?<![A-Za-z])(?:at|with|in)\s+(?:another|other|a\s+different)\s+banks?(?![A-Za-z])|(?<![A-Za-z])elsewhere(?![A-Za-z])"
    r"|(?<![A-Za-z])other[-\s]bank(?![A-Za-z])|(?<![A-Za-z])(?:at|with)\s+(?P<bank_en>[A-Z][A-Za-z]+\s+Bank)(?![A-Za-z])")
_MAX_TEXT = 4096
#: Where a date phrase sits does not depend on the day it is read: any day finds its span.
_ANY_DAY = date(2026, 1, 1)
#: A note matching none of these has no profile fact (each rule needs one of them).
_TRIGGERS: tuple[re.Pattern[str], ...] = ()  # set below, once every pattern exists
_MAX_FACT = 60


@dataclass(frozen=True)
class Birthday:
    """A birthday: month and day, the year when known; lunar dates are Chinese-calendar months/days."""

    month: int
    day: int
    year: int | None = None
    lunar: bool = False

    def to_dict(self) -> dict:
        return {"month": self.month, "day": self.day, "year": self.year, "lunar": self.lunar}

    @classmethod
    def from_dict(cls, data: dict | None) -> Birthday | None:
        if not data:
            return None
        return cls(int(data["month"]), int(data["day"]), data.get("year"), bool(data.get("lunar")))


@dataclass(frozen=True)
class FamilyMember:
    relation: str
    name: str | None = None
    birthday: Birthday | None = None
    age: int | None = None
    occupation: str | None = None        # school or work, as written
    span: Span = field(default=(0, 0), compare=False)
    fact_id: int | None = field(default=None, compare=False)  # the stored fact that first named them (snooze key)


@dataclass(frozen=True)
class OtherBankAsset:
    """An asset the client holds at another bank (他行理财 300万), for asset reviews."""

    product: str | None
    amount: float | None
    currency: str | None = None
    bank: str | None = None
    span: Span = field(default=(0, 0), compare=False)
    risk: int | None = None              # R1–R5 when the RM said it (an answer to /review's prompt)


@dataclass(frozen=True)
class Cover:
    """An insurance policy the client's household holds: who is insured, what kind, how much."""

    insured: str | None                  # a relation (RELATIONS), "self" for the client; None: unclear, asked
    insured_name: str | None
    kind: str                            # COVER_KINDS
    sum_insured: float | None = None
    premium: float | None = None
    term_years: int | None = None
    currency: str | None = None          # of the sum and the premium (one policy, one currency)
    premium_period: str | None = None    # PREMIUM_PERIODS: year | single; None when not said
    term_to_age: int | None = None       # cover (or payment) until this age: 保到70岁, to age 65
    span: Span = field(default=(0, 0), compare=False)


@dataclass(frozen=True)
class ProfileFacts:
    family: tuple[FamilyMember, ...] = ()
    hobbies: tuple[str, ...] = ()
    risk_level: int | None = None        # 1..5 for C1..C5
    preferred_channel: str | None = None
    preferred_time: str | None = None
    cautions: tuple[str, ...] = ()
    other_bank: tuple[OtherBankAsset, ...] = ()
    covers: tuple[Cover, ...] = ()
    spans: tuple[Span, ...] = field(default=(), compare=False)

    def __bool__(self) -> bool:
        return bool(self.family or self.hobbies or self.risk_level or self.preferred_channel
                    or self.preferred_time or self.cautions or self.other_bank or self.covers)

    def overlaps(self, start: int, end: int) -> bool:
        """True when [start, end) overlaps words read as a profile fact."""
        return any(start < e and end > s for s, e in self.spans)


NO_FACTS = ProfileFacts()


def find_profile(text: str, today: date) -> ProfileFacts:
    """Every profile fact in a note. Never raises: a failure is no facts (the note is kept)."""
    try:
        body = text[:_MAX_TEXT] if isinstance(text, str) else str(text)[:_MAX_TEXT]
        if not any(pattern.search(body) for pattern in _TRIGGERS):
            return NO_FACTS  # most contact notes: one quick look instead of every rule
        return _find(body, today)
    except Exception:  # the note must be stored whatever the rules make of it
        return NO_FACTS


def _clauses(text: str) -> list[Span]:
    spans, start = [], 0
    for match in _CLAUSE.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


#: A space between Chinese words ends a fact in notes written without commas
#: (刘建国 喜欢打高尔夫 风险等级稳健 喜欢微信联系): each part is read as its own clause.
_ZH_SPACE = re.compile(rf"(?<=[{_CJK}])[ \t\u3000]+(?=[{_CJK}])")


def _spaced(text: str, clauses: list[Span], has_product) -> list[Span]:
    """The clauses cut at spaces between Chinese words; a part that reads as no fact alone joins the
    next one (风险等级 稳健, 喜欢 微信联系, 刘建国 喜欢打高尔夫)."""
    parts: list[Span] = []
    for start, end in clauses:
        cuts = [m for m in _ZH_SPACE.finditer(text, start, end)]
        if not cuts:
            parts.append((start, end))
            continue
        first = start
        for match in cuts:
            if _reads_a_fact(text[first:match.start()], has_product(first, match.start())):
                parts.append((first, match.start()))
                first = match.end()
        parts.append((first, end))
    return [(s, e) for s, e in parts if text[s:e].strip()]


def _reads_a_fact(clause: str, mentions_product: bool) -> bool:
    return (_risk(clause)[0] is not None or _preference(clause) is not None
            or _caution(clause, mentions_product) is not None or _hobbies(clause, mentions_product) is not None)


def _find(text: str, today: date) -> ProfileFacts:
    spans: list[Span] = []
    clauses = _clauses(text)
    products = find_products(text)

    def has_product(s: int, e: int) -> bool:
        return any(s <= p.start < e for p in products)

    covers = _covers(text, clauses, products)
    spans += [c.span for c in covers]
    family = [m for m in _family(text, clauses, today)
              if not any(c.span[0] <= m.span[0] < c.span[1] for c in covers)]  # 给女儿买了重疾险: the insured
    spans += [m.span for m in family]
    other_bank = _other_bank(text, clauses, products)
    spans += [a.span for a in other_bank]

    risk = None
    channel = None
    when = None
    hobbies: list[str] = []
    cautions: list[str] = []
    family_spans = [m.span for m in family]
    about_relative = False   # the clause before was about a family member
    for start, end in _spaced(text, clauses, has_product):
        clause = text[start:end]
        if any(s < end and e > start for s, e in family_spans):
            about_relative = True
            continue  # a family member's clause
        if any(s < end and e > start for s, e in spans):
            continue  # another bank's clause, a policy
        if about_relative and _NO_SUBJECT.match(clause):
            continue  # "her husband David, likes tennis": David's, not the client's; left out, never misfiled
        about_relative = False
        level, risk_span = _risk(clause)
        if level is not None:
            risk = level
            spans.append((start + risk_span[0], start + risk_span[1]))
            continue
        found = _preference(clause)
        if found:
            c, w, span = found
            channel, when = c or channel, w or when
            spans.append((start + span[0], start + span[1]))
        caution = _caution(clause, has_product(start, end))
        if caution:
            offset, caution_words = caution
            cautions.append(caution_words)
            spans.append((start + offset, end))
            office = _OFFICE_HOURS.search(clause)
            if office and not found:
                when = "off_hours"
            continue
        if found:
            continue
        hobby = _hobbies(clause, has_product(start, end))
        if hobby:
            offset, words = hobby
            hobbies += [w for w in words if w not in hobbies]
            spans.append((start + offset, end))
    return ProfileFacts(family=tuple(family), hobbies=tuple(hobbies[:10]), risk_level=risk,
                        preferred_channel=channel, preferred_time=when, cautions=tuple(cautions[:10]),
                        other_bank=tuple(other_bank), covers=tuple(covers), spans=tuple(spans))


# --- family ---------------------------------------------------------------------------------------

def _relations(text: str) -> list[tuple[int, int, str]]:
    found: list[tuple[int, int, str]] = []
    for match in _REL_ZH.finditer(text):
        word = match.group(0)
        before = text[match.start() - 1: match.start()]
        if word in _RELATIONS_ZH_AFTER_DE:
            if before not in ("的", "他", "她") and not (word != "先生" and before in ("总", "董")):  # 高总夫人
                continue
            relation = _RELATIONS_ZH_AFTER_DE[word]
        else:
            if before not in _ZH_BEFORE_RELATION and not before.isascii():
                continue
            relation = _RELATIONS_ZH[word]
        found.append((match.start(), match.end(), relation))
    for match in _REL_EN.finditer(text):
        found.append((match.start(), match.end(), _RELATIONS_EN[match.group(1).lower()]))
    found.sort()
    return found


def _family(text: str, clauses: list[Span], today: date) -> list[FamilyMember]:
    relations = _relations(text)
    members: list[FamilyMember] = []
    for index, (start, end, relation) in enumerate(relations):
        limit = relations[index + 1][0] if index + 1 < len(relations) else len(text)
        clause_end = next((e for s, e in clauses if s <= start < e), len(text))
        # later clauses that only add a birthday, an age or a school still describe this member
        for s, e in clauses:
            if s >= clause_end and s < limit and _only_attributes(text[s:e]):
                clause_end = e
            elif s >= clause_end:
                break
        region_end = min(limit, clause_end)
        region = text[end:region_end]
        name, name_end = _member_name(region)
        birthday, b_span = _birthday(region, today)
        age = _age(region)
        occupation = _occupation(region)
        if not (name or birthday or age is not None or occupation):
            continue  # "和他爱人一起喝茶": a mention, not a fact
        span_end = end + max(name_end, b_span[1] if birthday else 0,
                             len(region.rstrip()) if (age is not None or occupation or birthday) else 0)
        members.append(FamilyMember(relation, name, birthday, age, occupation, (start, span_end)))
    # the client's own birthday: 生日 / birthday with a date and no family member in the clause
    for s, e in clauses:
        if any(s < m.span[1] and e > m.span[0] for m in members):
            continue
        clause = text[s:e]
        if not _BIRTHDAY_WORD.search(clause):
            continue
        birthday, b_span = _birthday(clause, today)
        if birthday:
            cue = _BIRTHDAY_WORD.search(clause)
            assert cue is not None
            members.append(FamilyMember("self", None, birthday, None, None,
                                        (s + min(cue.start(), b_span[0]), s + max(cue.end(), b_span[1]))))
    return members


def _only_attributes(clause: str) -> bool:
    stripped = clause.strip()
    if not stripped or _relations(stripped):
        return False
    for pattern, _ in _BIRTHDAY_PATTERNS:
        if pattern.match(stripped):
            return True
    if _SCHOOL_WORK_ZH.match(stripped) or _SCHOOL_WORK_EN.match(stripped):
        return True
    return bool(re.match(r"(?:生日|出生|born|birthday|aged?\b|今年|\d{1,2}\s*岁|\d{1,2}$)", stripped, re.IGNORECASE))


def _member_name(region: str) -> tuple[str | None, int]:
    lead = re.match(r"\s*(?:叫|名叫|名字叫|named|called|is)?\s*", region)
    offset = lead.end() if lead else 0
    rest = region[offset:]
    zh = re.match(rf"[{_CJK}]{{1,6}}", rest)
    if zh:
        candidate = zh.group(0)
        stop = _ZH_NAME_STOP.search(candidate)
        if stop:
            candidate = candidate[:stop.start()]
        # a date word is never a name (女儿下周三生日): the name ends where a date begins
        dated = [d.start for d in find_dates(candidate, _ANY_DAY)]
        if dated:
            candidate = candidate[:min(dated)]
        if 2 <= len(candidate) <= 3 or (candidate[:1] in "小大阿" and len(candidate) == 2):
            return candidate, offset + len(candidate)
        return None, 0
    en = re.match(r"([A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)(?:'s)?", rest)
    if en and en.group(1).split()[0].lower() not in _EN_NOT_NAME and en.group(1).lower()[:3] not in _MONTHS_EN:
        return en.group(1), offset + len(en.group(1))
    return None, 0


def _birthday(region: str, today: date) -> tuple[Birthday | None, Span]:
    for pattern, kind in _BIRTHDAY_PATTERNS:
        match = pattern.search(region)
        if not match:
            continue
        found = _read_birthday(match, kind, region)
        if found and (found.year is None or 1900 <= found.year <= today.year):
            return found, match.span()
    return None, (0, 0)


def _read_birthday(match: re.Match[str], kind: str, region: str) -> Birthday | None:
    lunar = bool(match.group("lunar")) or bool(re.search(r"(?:农历|阴历|lunar)\s*$", region[:match.start()],
                                                         re.IGNORECASE))
    year = int(match.group("y")) if "y" in match.groupdict() and match.group("y") else None
    if kind in ("en_md", "en_dm"):
        month = _MONTHS_EN[match.group("mon").lower()[:3]]
        day = int(match.group("d"))
    elif kind == "zh_md":
        month_text, day_text = match.group("m"), match.group("d")
        month = _LUNAR_MONTHS.get(month_text) or _zh_int(month_text)
        if month_text in _LUNAR_MONTHS or day_text.startswith(("初", "廿")):
            lunar = True
        day = _lunar_day(day_text) if day_text.startswith(("初", "廿")) else _zh_int(day_text)
    else:
        month, day = int(match.group("m")), int(match.group("d"))
    if not (1 <= month <= 12 and 1 <= day <= (30 if lunar else 31)):
        return None
    if not lunar:
        try:
            date(year or 2000, month, day)
        except ValueError:
            return None
    return Birthday(month, day, year, lunar)


def _zh_int(text: str) -> int:
    value = int(text) if text.isdigit() else cn_to_int(text)
    if value is None:  # the patterns match numerals only; find_profile turns a failure into no facts
        raise ValueError(f"not a numeral: {text!r}")
    return value


def _lunar_day(text: str) -> int:
    if text.startswith("初"):
        return _zh_int(text[1:])
    return 20 + _zh_int(text[1:])


def _age(region: str) -> int | None:
    match = _AGE.search(region)
    if not match:
        return None
    raw = match.group("n") or match.group("a") or match.group("b") or match.group("c")
    value = _zh_int(raw)
    return value if 0 <= value <= 120 else None


def _occupation(region: str) -> str | None:
    match = _SCHOOL_WORK_ZH.search(region) or _SCHOOL_WORK_EN.search(region)
    if not match:
        return None
    words = match.group(0).strip()
    return words[:_MAX_FACT] or None


# --- insurance cover -----------------------------------------------------------------------------

COVER_KINDS = ("critical_illness", "life", "medical", "accident", "property", "annuity", "education")
PREMIUM_PERIODS = ("year", "single")
_COVER_KIND = [
    ("critical_illness", r"重疾|重大疾病|critical[\s-]illness|\bCI\b"),
    ("education", r"教育金|education\s+(?:plan|insurance|policy|cover)"),
    ("annuity", r"年金|annuity|annuities"),
    ("medical", r"医疗险|医疗保险|百万医疗|高端医疗|医疗|medical|health\s+(?:insurance|cover|plan|policy)"),
    ("accident", r"意外|accident"),
    ("property", r"财产险|家财|财险|车险|房屋险|property|home\s+insurance|house\s+insurance|car\s+insurance|"
                 r"motor\s+insurance"),
    ("life", r"寿险|人寿|终身寿|定期寿|life\s+(?:insurance|cover|policy|assurance|plan)|term\s+life|whole\s+life"),
]
_COVER_KIND_RE = [(kind, re.compile(pattern, re.IGNORECASE)) for kind, pattern in _COVER_KIND]
_INSURANCE = re.compile(r"险|保险|保单|保额|保费|教育金|年金|重疾|百万医疗|高端医疗|insurance|insured|policy|cover|annuity|premium|assurance",
                        re.IGNORECASE)
#: Not cover at all: a safe deposit box, social insurance, an insurer as an employer.
_NOT_COVER = re.compile(r"保险箱|保险柜|社保|医保|社会保险|五险|保险公司|保险代理|团体|团险|员工|职工|"
                        r"safe[\s-]deposit|social\s+(?:insurance|security)|insurance\s+(?:company|firm|agent|broker)|"
                        r"insurer|group\s+(?:insurance|cover|policy|life|medical)|employees?|staff", re.IGNORECASE)
#: The company's, not the household's: 公司的车险, company fleet insurance.
_COMPANY = re.compile(r"公司|单位|企业|厂|集团|company|corporate|fleet|business|firm", re.IGNORECASE)
#: The cover exists (bought, holds); without one of these, or a sum or premium, an insurance word is a need.
_HOLDS = re.compile(r"买了|已买|已经买|已有|有[^\s，,]{0,6}(?:险|重疾|百万医疗|高端医疗|教育金|年金)|有份|有一份|有两份|投保了|买过|保着|交着|缴着|"
                    r"(?<![A-Za-z])(?:has|have|holds?|bought|took\s+out|is\s+covered|covered)(?![A-Za-z])",
                    re.IGNORECASE)
#: A need, a wish or a proposal, not a policy held: 想买, 需要, 推荐了, interested in, insurance need.
_WANTS = re.compile(r"想|需要|要买|打算|准备|考虑|推荐|建议|感兴趣|有兴趣|咨询|问了?|了解一下|方案|计划书|提案|报价|"
                    r"(?<![A-Za-z])(?:needs?|wants?|wanted|would\s+like|interested|considering|consider|recommend\w*|"
                    r"propos\w*|quote|asked|asks|discuss\w*|thinking)(?![A-Za-z])", re.IGNORECASE)
_SUM_CUE = re.compile(r"保额|保险金额|保障额度|保障|sum\s+(?:insured|assured)|(?:cover(?:ed)?|policy|plan)\s+(?:of|for)|"
                      r"coverage(?:\s+of)?",
                      re.IGNORECASE)
_PREMIUM_CUE = re.compile(r"保费|年缴|年交|每年交?|每年缴|趸交|趸缴|一次性[交缴付]清?|premiums?|a\s+year|per\s+year|annually|"
                          r"yearly", re.IGNORECASE)
_SINGLE = re.compile(r"趸交|趸缴|一次性[交缴付]|single[\s-]premium|one[\s-]off|lump[\s-]sum", re.IGNORECASE)
_YEARLY = re.compile(r"年缴|年交|每年|/\s*年|一年|(?<![A-Za-z])(?:a|per)\s+(?:year|annum)|annual(?:ly)?|yearly|p\.?a\.?(?![A-Za-z])|"
                     r"/\s*y(?:ea)?r", re.IGNORECASE)
#: After an amount: it is the premium (3000/年, 500一年, 80k a year).
_PREMIUM_AFTER = re.compile(r"\s*(?:/\s*年|一年|每年|a\s+year|per\s+year|/\s*y(?:ea)?r|p\.?a\.?(?![A-Za-z])|annually|"
                            r"yearly|premium)", re.IGNORECASE)
#: After an amount: it is the sum insured (3m cover, 50万保额, 50万的保障).
_SUM_AFTER = re.compile(r"\s*(?:的)?(?:保额|保障|cover|coverage|sum\s+insured)", re.IGNORECASE)
#: Just before an amount: "cover" (life cover 2m, like "cover of 2m"): the sum insured. 重疾险 50万
#: stays unread: sum or premium is the RM's to say.
_KIND_BEFORE = re.compile(r"(?<![A-Za-z])cover\s*$", re.IGNORECASE)
_BARE_NUMBER = re.compile(r"(?<![\d.])(?P<n>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)\s*(?P<unit>万|千|w|k|m|million)?"
                          r"(?![A-Za-z])", re.IGNORECASE)
_UNITS = {"万": 1e4, "w": 1e4, "千": 1e3, "k": 1e3, "m": 1e6, "million": 1e6}
_COUNT_AFTER = re.compile(r"\s*(?:年|岁|%|个|次|份|years?|yrs?)", re.IGNORECASE)
_TERM = re.compile(r"(?<![\d.])(\d{1,2})\s*年(?:期|缴|交)?(?![\d月])|(?<![A-Za-z\d])(\d{1,2})[\s-]*years?(?:\s+term)?(?![A-Za-z])",
                   re.IGNORECASE)
_TO_AGE = re.compile(r"(?:保到|保至|保障到|保障至|到|至)\s*(\d{2,3})\s*(?:岁|周岁)|(?<![A-Za-z])(?:to|until|till|up\s+to)\s+(?:age\s+)?"
                     r"(\d{2,3})(?:\s+years\s+old)?(?=\s*$|\s*[,;.]|\s+\w)|(?<![A-Za-z])age\s+(\d{2,3})", re.IGNORECASE)
_SELF = re.compile(r"本人|自己|himself|herself|for\s+(?:him|her)(?!\s*[A-Za-z])", re.IGNORECASE)
#: Several people, or nobody in particular: whose cover it is, the bot asks.
_UNCLEAR_INSURED = re.compile(r"家人|家里人|全家|一家|孩子们|俩孩子|两个孩子|儿女|子女|(?<![A-Za-z])(?:family|kids|children|"
                              r"grandchildren)(?![A-Za-z])", re.IGNORECASE)
_PARENTS = re.compile(r"父母|爸妈|双亲|(?<![A-Za-z])parents(?![A-Za-z])", re.IGNORECASE)


_COVER_DETAIL = re.compile(r"\s*(?:保额|保障额度|保费|年缴|年交|每年|一年|首年|一次性|趸交|趸缴|交|缴|保到|保至|\d{1,2}\s*年|sum\s+(?:insured|assured)|"
                           r"premium|term|single|to\s+age|until\s+age|\d{1,2}[\s-]*years?|for\s+\d{1,2}\s+years|"
                           r"[\d.,]+\s*(?:[kmw万]|million)?\s*(?:[A-Z]{3}\s*)?(?:cover|保额|/\s*年|一年|a\s+year|per\s+year|"
                           r"annually|yearly))", re.IGNORECASE)


def _money(clause: str) -> list[tuple[int, int, float, str | None]]:
    """Amounts in a cover's clause: money as the note parser reads it, and a bare number right after a
    sum or premium cue (保费3000, 年缴2000, premium 3,000), which is money there."""
    found = [(a[0], a[1], float(a[2]), getattr(a, "currency", None)) for a in find_amounts(clause)]
    for bare in _BARE_NUMBER.finditer(clause):  # 5,000 a year, 3000/年: a premium by what follows it
        value = float(bare.group("n").replace(",", "")) * _UNITS.get((bare.group("unit") or "").lower(), 1)
        if value >= 100 and _PREMIUM_AFTER.match(clause, bare.end()) \
                and not any(s <= bare.start() < e for s, e, *_ in found):
            found.append((bare.start(), bare.end(), value, None))
    for cue in list(_SUM_CUE.finditer(clause)) + list(_PREMIUM_CUE.finditer(clause)):
        match = re.match(r"[\s:：为是]{0,2}", clause[cue.end():])
        at = cue.end() + (match.end() if match else 0)
        number = _BARE_NUMBER.match(clause, at)
        if not number or any(s <= number.start() < e for s, e, *_ in found):
            continue
        unit = (number.group("unit") or "").lower()
        if not unit and _COUNT_AFTER.match(clause, number.end()):
            continue  # 20年, 3个: a term or a count, not money
        value = float(number.group("n").replace(",", "")) * _UNITS.get(unit, 1)
        found.append((number.start(), number.end(), value, None))
    return sorted(found)


def _nearest_cue(before: str) -> str | None:
    """"sum" or "premium": which cue stands nearest before an amount (保额50万，年缴1万: each its own)."""
    best: tuple[int, str] | None = None
    for cue, pattern in (("sum", _SUM_CUE), ("premium", _PREMIUM_CUE)):
        for match in pattern.finditer(before):
            if best is None or match.end() > best[0] or (match.end() == best[0] and cue == "premium"):
                best = (match.end(), cue)
    return best[1] if best else None


def _insured(clause: str) -> list[tuple[str | None, str | None]]:
    """Whose cover: [("self", None)], [(relation, name)], [(None, None)] when it is unclear (asked)."""
    if _PARENTS.search(clause) and not _SELF.search(clause):
        return [("father", None), ("mother", None)]
    if _UNCLEAR_INSURED.search(clause):
        return [(None, None)]
    relations = _relations(clause)
    if not relations or _SELF.search(clause):
        return [("self", None)]
    mentioned = {_RELATIONS_ZH.get(m.group(0)) or _RELATIONS_ZH_AFTER_DE.get(m.group(0)) for m in _REL_ZH.finditer(clause)}
    if len({relation for _, _, relation in relations} | (mentioned & set(_RELATIONS_ZH.values()))) > 1:
        return [(None, None)]  # 给儿子和女儿买了: two people, one sentence: asked
    _, r_end, relation = relations[0]
    name, _ = _member_name(clause[r_end:])
    return [(relation, name)]


def _covers(text: str, clauses: list[Span], products) -> list[Cover]:
    found: list[Cover] = []
    taken = 0
    for index, (start, end) in enumerate(clauses):
        if start < taken:
            continue
        clause = text[start:end]
        if not _INSURANCE.search(clause) and not any(p.search(clause) for _, p in _COVER_KIND_RE):
            continue
        for later_start, later_end in clauses[index + 1:]:   # 保额50万，年缴1万，20年: details of this policy
            if not _COVER_DETAIL.match(text[later_start:later_end]):
                break
            end = later_end
        clause = text[start:end]
        kinds = [kind for kind, pattern in _COVER_KIND_RE if pattern.search(clause)]
        if not kinds or _NOT_COVER.search(clause) or _WANTS.search(clause):
            continue
        before_clause = text[clauses[index - 1][0]:start] if index else ""
        if kinds == ["property"] and (_COMPANY.search(clause) or _COMPANY.search(before_clause)):
            continue  # the company's car or premises: not the household's cover
        money = _money(clause)
        sum_insured = premium = None
        currency = None
        for a_start, a_end, value, written in money:
            before = clause[max(0, a_start - 16):a_start]
            after = clause[a_end:a_end + 12]
            cue = _nearest_cue(before)
            if _PREMIUM_AFTER.match(after) and cue != "sum":
                cue = "premium"
            elif _SUM_AFTER.match(after) or (cue is None and _KIND_BEFORE.search(before)):
                cue = "sum"
            if cue == "premium" and premium is None:
                premium = value
            elif cue == "sum" and sum_insured is None:
                sum_insured = value
            else:
                continue  # an amount with no cue: sum or premium? left for the RM to say
            currency = written or currency
        held = _HOLDS.search(clause) or sum_insured is not None or premium is not None
        if not held:
            continue
        period = None
        if premium is not None:
            period = "single" if _SINGLE.search(clause) else ("year" if _YEARLY.search(clause) else None)
        to_age_match = _TO_AGE.search(clause)
        to_age = next((int(g) for g in to_age_match.groups() if g), None) if to_age_match else None
        if to_age is not None and not 1 <= to_age <= 120:
            to_age = None
        term_years = None
        for term in _TERM.finditer(clause):
            if to_age_match and to_age_match.start() <= term.start() < to_age_match.end():
                continue
            term_years = int(term.group(1) or term.group(2))
            break
        if term_years is not None and not 1 <= term_years <= 99:
            term_years = None
        taken = end
        # the words about the policy, not the client's name before them (刘总|给女儿小雨买了重疾险…)
        marks = [m.start() for m in (_HOLDS.search(clause), _SELF.search(clause), _INSURANCE.search(clause)) if m]
        marks += [m.start() for _, pattern in _COVER_KIND_RE if (m := pattern.search(clause))]
        marks += [r_start for r_start, _, _ in _relations(clause)] + [a_start for a_start, *_ in money]
        span = (start + min(marks, default=0), end)
        details = sum_insured is not None or premium is not None
        for insured, insured_name in _insured(clause):
            for kind in kinds[:1] if len(kinds) == 1 or details else kinds:
                found.append(Cover(insured, insured_name, kind, sum_insured, premium, term_years, currency,
                                   period, to_age, span))
    return found


# --- other banks ----------------------------------------------------------------------------------

def _other_bank(text: str, clauses: list[Span], products) -> list[OtherBankAsset]:
    assets: list[OtherBankAsset] = []
    for start, end in clauses:
        clause = text[start:end]
        marker = _OTHER_BANK.search(clause)
        if not marker:
            continue
        held = [p for p in products if start <= p.start < end and not p.negated]
        if not held:
            continue
        amounts = find_amounts(clause)
        amount = amounts[0] if amounts else None
        bank = marker.groupdict().get("bank") or marker.groupdict().get("bank_en")
        level = _PRODUCT_RISK.search(clause)   # the level the RM said (R3); never our catalog's for their product
        assets.append(OtherBankAsset(held[0].code, float(amount[2]) if amount else None,
                                     getattr(amount, "currency", None) if amount else None, bank,
                                     (start + min([marker.start(), held[0].start - start]
                                                  + ([amount[0]] if amount else [])), end),
                                     int(level.group(1)) if level else None))
    return assets


# --- risk, preferences, cautions, hobbies ---------------------------------------------------------

def _negated(clause: str, position: int) -> bool:
    return bool(_NEGATION.search(clause[max(0, position - 6):position]))


def _risk(clause: str) -> tuple[int | None, Span]:
    cue = _RISK_CUE.search(clause)
    code = _RISK_CODE.search(clause)
    if code and (cue or code.group(2)) and not _negated(clause, code.start()):
        return int(code.group(1)), (min(code.start(), cue.start() if cue else code.start()), code.end())
    bare = _BARE_RISK.fullmatch(clause.strip())
    if bare and not _PLACE_BEFORE_CODE.search(bare.group("who")):
        offset = clause.index(clause.strip()) + bare.start("code")
        return int(bare.group("level")), (offset, offset + 2)
    for match in _RISK_ZH.finditer(clause):
        if (cue or match.group(2)) and not _negated(clause, match.start()):
            return RISK_WORDS_ZH[match.group(1)], (min(match.start(), cue.start() if cue else match.start()),
                                                   match.end())
    if cue:
        for match in _RISK_EN.finditer(clause):
            if not _negated(clause, match.start()):
                return RISK_WORDS_EN[match.group(1).lower()], (min(match.start(), cue.start()),
                                                               max(match.end(), cue.end()))
    return None, (0, 0)


def _preference(clause: str) -> tuple[str | None, str | None, Span] | None:
    """How and when the client likes to be reached: 喜欢微信联系, prefers WeChat at lunch."""
    cue = _PREFER.search(clause)
    if not cue or _negated(clause, cue.start()):
        return None
    channel = _CHANNEL.search(clause, cue.start())
    when = _TIME.search(clause)
    if not channel and not when:
        return None
    if _DONT.search(clause[:cue.start()]):
        return None
    ends = [m.end() for m in (channel, when) if m]
    starts = [cue.start()] + [m.start() for m in (channel, when) if m]
    return (channel.lastgroup if channel else None, when.lastgroup if when else None, (min(starts), max(ends)))


def _caution(clause: str, mentions_product: bool) -> tuple[int, str] | None:
    """What to be careful about: 不要上班时间打电话, don't mention his ex-wife."""
    cue = _DONT.search(clause)
    if not cue or mentions_product or _NOT_CAUTION.search(clause):
        return None
    words = clause[cue.start():].strip()
    if len(re.sub(r"\s", "", words)) < len(re.sub(r"\s", "", cue.group(0))) + 2:
        return None
    return cue.start(), words[:_MAX_FACT]


#: A clause that opens with what someone likes or prefers, with no one named: it goes on about whoever
#: the clause before was about.
_NO_SUBJECT = re.compile(r"\s*(?:and\s+|also\s+|并且|而且|也)?(?:likes?|loves?|enjoys?|is\s+into|into|plays|prefers?|"
                         r"hobb|喜欢|爱好|爱|平时|偏好)", re.IGNORECASE)


def _hobbies(clause: str, mentions_product: bool) -> tuple[int, list[str]] | None:
    """Hobbies: 喜欢打高尔夫, 爱好钓鱼和书法, likes golf, enjoys hiking and tennis."""
    if mentions_product or _NOT_HOBBY.search(clause):
        return None
    match = _HOBBY_ZH.search(clause) or _HOBBY_EN.search(clause)
    if not match:
        return None
    rest = clause[match.end():].strip()
    words = [w.strip(" .，,、") for w in re.split(r"和|、|与|及|\band\b|/|,|&", rest) if w.strip(" .，,、")]
    words = [w[:_MAX_FACT] for w in words if not w.lower().startswith(("to ", "the idea"))]
    return (match.start(), words[:5]) if words else None


# --- one field typed on the card or found in an imported column -----------------------------------

def read_risk_level(text: str) -> int | None:
    """C3, c3, 3, 稳健, 稳健型, balanced → the level; None when it is none of them."""
    value = text.strip()
    if re.fullmatch(r"[Cc]?[1-5]", value):
        return int(value[-1])
    level, _ = _risk("risk " + value)
    return level


def read_reach(text: str) -> tuple[str | None, str | None]:
    """微信 中午, WeChat at lunch, phone → (channel, time) the client likes to be reached by."""
    channel = _CHANNEL.search(text)
    when = _TIME.search(text)
    if not when and _OFFICE_HOURS.search(text) and _DONT.search(text):
        return (channel.lastgroup if channel else None), "off_hours"
    return (channel.lastgroup if channel else None), (when.lastgroup if when else None)


def read_family(text: str, today: date) -> tuple[FamilyMember, ...]:
    """女儿小雨 2010-06-01 在读高二; daughter Emma 2012-03-04: the members a typed line describes."""
    return tuple(m for m in find_profile(text, today).family if m.relation != "self")


_KIND_WORDS = {"life": "life", "term": "life", "critical illness": "critical_illness", "ci": "critical_illness",
               "medical": "medical", "health": "medical", "accident": "accident", "personal accident": "accident",
               "pa": "accident", "property": "property", "home": "property", "car": "property", "motor": "property",
               "annuity": "annuity", "pension": "annuity", "education": "education", "医疗": "medical",
               "意外": "accident", "财产": "property", "寿": "life"}


def read_cover_kind(text: str) -> str | None:
    """重疾险, critical illness, 寿险, medical, Life … (a cell or a phrase) → the cover kind (COVER_KINDS), or None."""
    value = text.strip()
    if value in COVER_KINDS:
        return value
    found = next((kind for kind, pattern in _COVER_KIND_RE if pattern.search(value)), None)
    if found:
        return found
    word = re.sub(r"\s+(?:insurance|cover|policy|plan|assurance)$", "", value.lower()).strip()
    return _KIND_WORDS.get(word)


def read_insured(text: str) -> tuple[str, str | None]:
    """被保险人 as written: 本人 / self / empty → the client; 女儿小雨, daughter Emma → (relation, name)."""
    value = text.strip()
    if not value or _SELF.search(value) or value.lower() in ("self", "client", "本人", "客户"):
        return "self", None
    relations = _relations(value)
    if not relations:
        return "", None
    _, end, relation = relations[0]
    name, _ = _member_name(value[end:])
    return relation, name


_TRIGGERS = (_REL_ZH, _REL_EN, _RISK_CUE, _RISK_ZH, _RISK_CODE, _BARE_RISK, _PREFER, _DONT, _HOBBY_ZH, _HOBBY_EN, _OTHER_BANK, _INSURANCE,
             _BIRTHDAY_WORD, _OFFICE_HOURS)

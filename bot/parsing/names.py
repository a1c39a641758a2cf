"""The client's name as written in the note ("Mr. Song", "刘总", "Golden River Foods").

The name sits next to the channel verb: after it in English ("visited Liu") and Chinese
("拜访刘总"), or between a preposition and the verb in Chinese ("和周敏喝茶", "给叶总打电话").
Matching the name against the RM's own clients happens later, in bot.client_matching.
"""

from __future__ import annotations

import re

from bot.parsing.channels import ChannelMention

Span = tuple[int, int]

#: Honorifics kept as part of the name; matching strips them (bot.client_matching).
HONORIFICS_ZH = ("先生", "女士", "小姐", "经理", "老师", "主任", "行长", "董事长", "总经理", "老板", "会计",
                 "阿姨", "书记", "局长", "处长", "科长", "院长", "校长", "厂长", "太太", "夫人", "律师",
                 "医生", "总", "姐", "哥", "董", "叔", "老", "工")
HONORIFICS_EN = ("mr", "mrs", "ms", "miss", "dr", "prof", "madam", "mdm", "director", "chairman",
                 "president", "boss", "manager", "uncle", "auntie", "aunt")
PINYIN_HONORIFICS = ("zong", "jie", "ge", "laoshi", "xiansheng", "nvshi", "jingli", "laoban", "dong")

_CJK = r"\u3400-\u9fff"
_COMPANY_ZH = re.compile(r"(?:有限责任公司|股份有限公司|有限公司|公司|集团|厂|商行|银行|酒店|医院|学校|门店|工作室|中心)")
_ROLE_ZH = re.compile(r"(?:的)?(?:财务总监|财务经理|财务|会计|出纳|老板|负责人|法人|老总|董事长|总经理|办公室|采购|老婆|太太|先生)$")
#: Words that end a Chinese name: what the RM says next ("需要", "说", "聊") or a particle.
_STOP_ZH = re.compile(
    r"需要|需|要|想|说|聊|谈|关于|讨论|介绍|咨询|了解|办理|办|对|有|在|等|问|希望|打算|计划|表示|提到|已经|已|还|"
    r"不|没|看|做|开|买|续|申请|沟通|商量|确认|推荐|签|约|反映|邀请|一起|喝茶|吃饭|喝咖啡|见面|面谈|打电话|"
    r"电话|发邮件|邮件|微信|短信|聊天|汇报|下周|明天|后天|今天|昨天|周[一二三四五六日天]|星期|礼拜|月底|"
    r"跟进|回访|回电|再联系|准备|刚|也|都|就|和|跟|与|同|给|了解|询问|拿|交|送|请|关心|推|报|把|被|让|叫"
)
_LEAD_ZH = re.compile(r"^(?:了|过|一下子|一下|一趟|给|见了|见到|见|拜访了?|联系了?|联络了?|沟通了?|问候了?|告知了?|客户|老客户|新客户)+")

_ZH_BETWEEN = re.compile(rf"(?:和|跟|与|同|陪|请|约|给|帮)([{_CJK}]{{1,12}}?)(?:一起)?$")
_EN_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9&'.\-]*|&|[" + _CJK + r"]+")
_EN_FILLER = {"with", "to", "from", "by", "the", "a", "an", "up", "chat", "call", "catch", "catch-up",
              "quick", "brief", "short", "meeting", "lunch", "dinner", "coffee", "tea", "again",
              "back", "client", "customer", "our", "my", "on", "in", "at", "for", "visit", "phone",
              "message", "messages", "conversation", "talk", "talked", "chatted", "spoke", "spoken",
              "session", "video", "conference"}
#: Capitalised words that are never part of a client name.
_EN_NOT_NAME = {
    "i", "we", "he", "she", "they", "him", "her", "them", "his", "their", "it", "today", "tomorrow",
    "yesterday", "tonight", "next", "last", "this", "monday", "tuesday", "wednesday", "thursday",
    "friday", "saturday", "sunday", "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri",
    "sat", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "january", "february", "march", "april", "june", "july", "august", "september", "october",
    "november", "december", "wechat", "weixin", "sms", "email", "rmb", "cny", "usd", "lc", "ba",
    "fx", "cd", "scf", "ceo", "cfo", "gm", "md", "coo", "cto", "vp", "re", "about", "regarding",
    "and", "but", "needs", "need", "wants", "want", "follow", "asked", "asks", "said", "says",
    "interested", "is", "was", "will", "would", "should", "can", "could", "who", "whose", "then",
    "after", "before", "again", "also", "please", "remind", "me", "us", "new", "old", "loan",
    "deposit", "mortgage", "fund", "funds", "insurance", "payroll", "guarantee", "account",
    "treasurer", "boss", "owner", "accountant", "cashier", "wife", "husband", "son", "daughter",
    "team", "office", "branch", "site", "there", "here", "now", "later", "soon", "call", "visit",
    "meeting", "lunch", "dinner", "coffee", "tea", "chat", "quick", "no", "not", "yes", "ok", "okay",
    "end", "of", "in", "on", "at", "for", "to", "with", "from", "by", "the", "a", "an", "morning", "afternoon", "evening", "week", "month", "year", "day", "days", "weeks", "months",
}
_EN_CONNECT = {"&", "and", "of"}
_EN_COMPANY_TAIL = {"co", "co.", "ltd", "ltd.", "inc", "inc.", "llc", "group", "corp", "corp.", "plc"}


def extract_name(text: str, channels: list[ChannelMention], blocked: list[Span]) -> tuple[str, Span] | None:
    """The client name and its span, or None. `blocked` are spans of dates, products, amounts."""
    for mention in channels:
        found = _before_verb(text, mention.start, blocked) or _after_verb(text, mention.end, blocked)
        if found:
            return found
    return _fallback(text, blocked)


def _is_blocked(start: int, end: int, blocked: list[Span]) -> bool:
    return any(start < e and end > s for s, e in blocked)


def _after_verb(text: str, position: int, blocked: list[Span]) -> tuple[str, Span] | None:
    rest = text[position:]
    stripped = rest.lstrip(" \t:：,，")
    offset = position + len(rest) - len(stripped)
    if stripped[:1] and re.match(rf"[{_CJK}]", stripped[0]):
        lead = _LEAD_ZH.match(stripped)
        skip = lead.end() if lead else 0
        return _zh_name(text, offset + skip, blocked)
    return _en_name(text, offset, blocked)


def _before_verb(text: str, position: int, blocked: list[Span]) -> tuple[str, Span] | None:
    """和周敏喝茶, 给叶总打电话: the name between a preposition and the verb."""
    head = text[max(0, position - 14):position]
    match = _ZH_BETWEEN.search(head)
    if not match:
        return None
    start = position - len(head) + match.start(1)
    name = _trim_zh(match.group(1))
    if not name or _is_blocked(start, start + len(name), blocked):
        return None
    return name, (start, start + len(name))


def _zh_name(text: str, start: int, blocked: list[Span]) -> tuple[str, Span] | None:
    run = re.match(rf"[{_CJK}]{{1,16}}", text[start:])
    if not run:
        return None
    candidate = run.group(0)
    for s, _ in blocked:
        if start < s < start + len(candidate):
            candidate = candidate[: s - start]
    name = _trim_zh(candidate)
    if not name or _is_blocked(start, start + len(name), blocked):
        return None
    return name, (start, start + len(name))


def _trim_zh(candidate: str) -> str:
    """Cut a Chinese run down to the name: at an honorific, a company suffix, or a stop word."""
    if _STOP_ZH.match(candidate):
        return ""
    stop = _STOP_ZH.search(candidate, 1)
    if stop:
        candidate = candidate[: stop.start()]
    company = _COMPANY_ZH.search(candidate, 1)
    if company:
        return candidate[: company.end()]
    for index in range(1, min(len(candidate), 4)):
        for honorific in HONORIFICS_ZH:
            if candidate.startswith(honorific, index) and index <= 3:
                return candidate[: index + len(honorific)]
    candidate = _ROLE_ZH.sub("", candidate) or candidate
    return candidate[:8]


def _en_name(text: str, start: int, blocked: list[Span]) -> tuple[str, Span] | None:
    tokens = list(_EN_TOKEN.finditer(text, start))
    index = 0
    # skip "with", "chat with", "a quick call with" between the verb and the name
    while index < len(tokens) and tokens[index].group(0).lower() in _EN_FILLER:
        if _gap(text, tokens, index):
            return None
        index += 1
    if index >= len(tokens) or _gap_before(text, start, tokens[index].start()):
        return None
    first = tokens[index]
    if re.match(rf"[{_CJK}]", first.group(0)):
        return _zh_name(text, first.start(), blocked)
    picked: list[re.Match[str]] = []
    capitalised = first.group(0)[0].isupper()
    for position in range(index, min(index + 6, len(tokens))):
        token = tokens[position]
        word = token.group(0)
        lower = word.lower().rstrip(".")
        if picked and _gap(text, tokens, position - 1):
            break
        if _is_blocked(token.start(), token.end(), blocked):
            break
        if lower in HONORIFICS_EN and not picked:
            picked.append(token)
            continue
        if picked and lower in _EN_COMPANY_TAIL:
            picked.append(token)
            continue
        if picked and lower in _EN_CONNECT and position + 1 < len(tokens) and tokens[position + 1].group(0)[:1].isupper():
            picked.append(token)
            continue
        if lower in _EN_NOT_NAME or re.match(rf"[{_CJK}]", word):
            break
        if capitalised and word[0].isupper():
            picked.append(token)
            continue
        if not capitalised and not picked and word.isalpha():
            picked.append(token)
            continue
        if not capitalised and picked and lower in PINYIN_HONORIFICS:
            picked.append(token)
        break
    while picked and (picked[-1].group(0).lower() in _EN_CONNECT or picked[-1].group(0).lower().rstrip(".") in HONORIFICS_EN):
        picked.pop()
    if not picked:
        return None
    span = (picked[0].start(), picked[-1].end())
    name = re.sub(r"'s$", "", text[span[0]:span[1]])
    return name, (span[0], span[0] + len(name))


def _gap(text: str, tokens: list[re.Match[str]], index: int) -> bool:
    """True when punctuation separates token index from the next one (the name cannot go on)."""
    if index + 1 >= len(tokens):
        return True
    between = text[tokens[index].end():tokens[index + 1].start()]
    return bool(re.search(r"[,，;；。!！?？:：()\d]", between)) or len(between) > 3


def _gap_before(text: str, start: int, token_start: int) -> bool:
    return bool(re.search(r"[,，;；。!！?？()\d]", text[start:token_start]))


_FALLBACK_ZH = re.compile(rf"([{_CJK}]{{1,3}}?(?:{'|'.join(HONORIFICS_ZH[:12])}|总|姐|哥))")
_FALLBACK_EN = re.compile(r"(?<![A-Za-z])((?:Mr|Mrs|Ms|Miss|Dr)\.?\s+[A-Z][a-z]+)")


def _fallback(text: str, blocked: list[Span]) -> tuple[str, Span] | None:
    """No channel verb: an honorific-bearing name anywhere, or a leading capitalised name."""
    for pattern in (_FALLBACK_EN, _FALLBACK_ZH):
        match = pattern.search(text)
        if match and not _is_blocked(match.start(1), match.end(1), blocked):
            name = match.group(1)
            if pattern is _FALLBACK_ZH:
                name = _trim_zh(_LEAD_ZH.sub("", name))
            if name:
                start = text.find(name)
                return name, (start, start + len(name))
    stripped = text.lstrip()
    if stripped[:1].isupper():
        return _en_name(text, len(text) - len(stripped), blocked)
    if stripped[:1] and re.match(rf"[{_CJK}]", stripped[0]):
        found = _zh_name(text, len(text) - len(stripped), blocked)
        if found and any(found[0].endswith(h) for h in HONORIFICS_ZH) or (found and _COMPANY_ZH.search(found[0])):
            return found
    return None

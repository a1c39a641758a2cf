"""The client's name as written in the note ("Mr. Song", "刘总", "Golden River Foods").

The name sits next to the channel verb: after it in English ("visited Liu") and Chinese
("拜访刘总"), or between a preposition and the verb in Chinese ("和周敏喝茶", "给叶总打电话").
Matching the name against the RM's own clients happens later, in bot.client_matching.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from bot.parsing.channels import ChannelMention
from bot.parsing.company_words import company_short_forms, dictionary_word

Span = tuple[int, int]

#: Honorifics kept as part of the name; matching strips them (bot.client_matching).
HONORIFICS_ZH = ("总监", "总裁", "总助", "先生", "女士", "小姐", "经理", "老师", "主任", "行长", "董事长", "总经理", "老板", "会计",
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
    r"跟进|回访|回电|再联系|准备|刚|也|都|就|和|跟|与|及|同|给|了解|询问|拿|交|送|请|关心|推|报|把|被|让|叫"
)
_LEAD_ZH = re.compile(r"^(?:了|过|一下子|一下|一趟|给|见了|见到|见|拜访了?|联系了?|联络了?|沟通了?|问候了?|告知了?|通知了?|告诉了?|"
                      r"客户|老客户|新客户)+")
#: "国庆路的宏发五金": a place and 的 before the name are not part of it.
_PLACE_OF = re.compile(rf"^[{_CJK}]{{1,8}}?(?:路|街|大道|区|市|县|镇|村|广场|园区|大厦|开发区)"
                       rf"(?:上|边|旁|口|附近|那边|这边|里|内|那家|这家)?的(?=[{_CJK}]{{2}})")

#: Common Chinese surnames (a one-character name must be one; 和, 于, 向… are left out: they are
#: far more often words).
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫严段雷侯龙史陶黎贺顾毛郝龚邵万钱覃武戴莫孔"
    "汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕"
    "单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦"
    "褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘"
    "池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻厉伊仝区郜阚权帅屠朴盖练廉"
    "禹井祖漆巴丰卿狄计索宣晋初芮扈晁阙浦戈鹿薄邸雍辜羊乌母裘亓修邰赫杭况宿鲜逯隆茹诸慕危嵇湛宾戎茅揭"
    "尉冶檀衣展昝幸奉植衡富尧闭洪")
COMPOUND_SURNAMES = frozenset({"欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙",
                               "宇文", "司徒", "夏侯", "令狐", "端木", "澹台", "百里", "南宫", "西门", "申屠"})
#: Words that are never a client: the bank's own staff, pronouns, bare titles.
_NOT_CLIENT_ZH = frozenset({
    "行长", "副行长", "支行长", "分行长", "主任", "同事", "领导", "行领导", "经理", "客户经理", "我", "我们", "他",
    "她", "他们", "她们", "对方", "客户", "大家", "团队", "总", "老板", "先生", "女士", "小姐", "老师", "部门",
    "支行", "分行", "总行", "老总", "财务", "会计", "出纳", "董事长", "总经理", "主管", "师傅", "领导们", "同事们",
})
#: Characters a name may directly follow (a preposition or a verb's end): 和杨秀兰阿姨, 见到王丽姐.
_NAME_LEAD = set("和跟与同陪请约给帮见访到了向对")
_STAFF_LEAD = re.compile(r"^(?:我行|本行|我们|我的|我|咱们|同事|领导|行长|主任|副行长|支行|分行|总行|部门)")
_FUNCTION_LEAD = re.compile(r"^(?:了|过|的|着|又|再|还|就|都|也|去|来|到)+(?=[\u3400-\u9fff])")
_TITLE_ANYWHERE = re.compile("|".join(sorted((h for h in HONORIFICS_ZH if len(h) > 1 or h in "总董姐哥"),
                                             key=len, reverse=True)))
#: Romanised surnames and pinyin syllables common as the first word of a name.
_ROMANISED_HINT = frozenset(
    "wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he gao lin luo zheng liang xie song tang "
    "han feng deng cao peng zeng xiao tian dong yuan pan jiang cai yu du ye cheng su wei lu ding ren shen yao "
    "lu jiang cui zhong tan fan jin shi liao jia xia fang bai zou meng xiong qin qiu yin xue yan duan lei hou "
    "long shi tao qian kong wong chan lee lau ng tan lim cheung ho mr mrs ms miss dr".split())
_ZH_BETWEEN = re.compile(rf"(?:和|跟|与|同|陪|请|约|给|帮)([{_CJK}]{{1,12}}?)(?:一起)?$")
_EN_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9&'.\-]*|&|[" + _CJK + r"]+")
_EN_FILLER = {"with", "to", "from", "by", "the", "a", "an", "up", "chat", "call", "catch", "catch-up",
              "quick", "brief", "short", "meeting", "lunch", "dinner", "coffee", "tea", "again",
              "back", "client", "customer", "our", "my", "on", "in", "at", "for", "visit", "phone",
              "message", "messages", "conversation", "talk", "talked", "chatted", "spoke", "spoken",
              "session", "video", "conference", "w", "w/", "via", "over", "follow", "followed"}
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
    # verbs and greetings that start a sentence, never a name
    "met", "meet", "called", "calling", "visited", "visiting", "phoned", "rang", "emailed", "texted",
    "messaged", "wechatted", "spoke", "talked", "saw", "had", "got", "sent", "went", "dropped", "followed",
    "td", "fd", "ncd", "bond", "bonds", "hi", "hello", "hey", "dear", "thanks", "thank", "regards", "sorry", "good", "pls", "fyi", "note", "todo",
    "colleague", "colleagues", "manager", "supervisor", "president", "director", "you", "your", "our", "my",
    # papers and compliance words an RM sends or asks for, never a client
    "send", "kyc", "aml", "cdd", "edd", "docs", "doc", "documents", "document", "paperwork", "forms", "form",
    "proposal", "quote", "quotation", "contract", "agreement", "invoice", "statement", "statements", "report",
    "deck", "slides", "brochure", "termsheet", "pitch",
}
#: Words that also are first names (Hope, Will, May) but open a sentence when a lower-case word follows.
_SENTENCE_WORDS = {"hope", "will", "may", "might", "must", "shall", "can", "could", "would", "should", "need",
                   "plan", "try", "just", "also", "still", "grace", "frank", "rose", "mark", "bill", "sue", "pat"}
#: Roles at a client company: "the CFO of Golden River" names Golden River.
_EN_ROLES = {"cfo", "ceo", "coo", "cto", "gm", "md", "vp", "treasurer", "boss", "owner", "accountant", "cashier",
             "founder", "chairman", "director", "head", "manager", "president", "finance", "team", "wife",
             "husband", "son", "daughter", "assistant", "secretary"}
_EN_CONNECT = {"&", "and", "of"}
_PRODUCT_WORDS = {"loan", "deposit", "mortgage", "fund", "funds", "insurance", "payroll", "guarantee", "wealth"}
#: Month names that are also first names or company words (April Chen, March Electronics): a name
#: when a capitalised word follows and the month is not part of a date (dates are blocked spans).
_MONTH_NAMES = {"january", "february", "march", "april", "may", "june", "july", "august", "september",
                "october", "november", "december"}
#: Verbs that open a sentence in upper case ("Prepared the proposal for Wong", "Review with Pan"):
#: with a lower-case word after them they are not a name.
_OPENING_VERBS = {"prepare", "prepared", "review", "reviewed", "draft", "drafted", "check", "checked", "get",
                  "arrange", "arranged", "submit", "submitted", "collect", "collected", "update", "updated",
                  "discuss", "discussed", "finalise", "finalised", "finalize", "finalized", "confirm", "confirmed",
                  "book", "booked", "schedule", "scheduled", "chase", "chased", "set", "setup", "sign", "signed",
                  "renew", "renewed", "approve", "approved", "process", "processed", "issue", "issued"}
#: Romanised surnames that are English words too ("for long", "to so", "from low"): after a
#: preposition in lower case they are the word, not a name.
_SURNAME_ENGLISH = {"long", "he", "an", "so", "to", "man", "fan", "tan", "pan", "sun", "lo", "law", "low", "young",
                    "ma", "mr", "mrs", "ms", "miss", "dr", "ho", "tin", "wan", "hon", "tay", "won", "ban", "ip", "au",
                    "kan", "lam", "hang", "bang", "tong", "chin", "fun", "yam"}
#: What follows to/from/for in an RM's note and is no client: places and the bank's own departments.
_NOT_CLIENT_AFTER_PREPOSITION = re.compile(
    r"(?:shanghai|beijing|shenzhen|guangzhou|hangzhou|nanjing|suzhou|tianjin|chongqing|chengdu|wuhan|xiamen|"
    r"qingdao|dalian|ningbo|xi'?an|hong\s+kong|hk|macau|macao|taipei|taiwan|singapore|london|tokyo|new\s+york|"
    r"china|the\s+mainland|mainland|pudong|lujiazui|legal|compliance|risk|credit|finance|operations|ops|treasury|"
    r"head\s+office|headquarters|hq|it|hr|audit|marketing|sales|management|approval|committee|board)(?![A-Za-z])",
    re.IGNORECASE)
_PREPOSITION = re.compile(r"(?<![A-Za-z])(?:for|to|from|with|w/)\s+", re.IGNORECASE)
_EN_COMPANY_TAIL = {"co", "co.", "ltd", "ltd.", "inc", "inc.", "llc", "group", "corp", "corp.", "plc", "sons",
                    "brothers", "bros", "partners", "associates", "company", "holdings", "trading"}


@lru_cache(maxsize=1)
def pinyin_syllables() -> frozenset[str]:
    """Every toneless pinyin syllable (about 400), from pypinyin's dictionary."""
    from bot.pinyin import syllable_table, toneless

    chars = "".join(chr(k) for k in syllable_table() if 0x4E00 <= k <= 0x9FFF)
    return frozenset(toneless(chars, errors="ignore"))


#: Romanised surnames that are not Mandarin pinyin (Cantonese, Hokkien, Wade-Giles, Korean, Vietnamese).
ROMANISED_SURNAMES = frozenset(
    "wong chan cheung lee ng tan lim tang chow chau chu ho lau leung kwok yip ip yeung tsang tse lai fung cheng "
    "kwan choi chiu au mak ong goh teo koh chua yap low soh hsu chang hsieh tsai kuo chou yu kim park nguyen tran "
    "shum sham tam yau fong kong lok mok poon pang siu sze tong wan wai yuen tsui chung law lo lui luk man hui hon "
    "ko kan lam ngai ngan woo young yiu yue chong chin ching choy chui fok fu hau heung kok kwong kung loh mui pun "
    "shek shiu so suen tai tin to tsoi yam yung cheuk chik koo tay teh tham toh yong yeo quek seah sim chen".split())


@lru_cache(maxsize=4096)
def _pinyin_word(word: str) -> bool:
    """A word made of pinyin syllables (zhijun, jianguo): a Chinese given name in pinyin."""
    if not word.isalpha() or len(word) > 12:
        return False
    syllables = pinyin_syllables()
    reach = [True] + [False] * len(word)
    for end in range(1, len(word) + 1):
        reach[end] = any(reach[start] and word[start:end] in syllables for start in range(max(0, end - 6), end))
    return reach[-1]


def extract_name(text: str, channels: list[ChannelMention], blocked: list[Span]) -> tuple[str, Span] | None:
    """The (first) client name and its span, or None. `blocked` are spans of dates, products, amounts."""
    names = extract_names(text, channels, blocked)
    return names[0] if names else None


def extract_names(text: str, channels: list[ChannelMention], blocked: list[Span],
                  cues: Sequence[Span] = ()) -> list[tuple[str, Span]]:
    """Every client the note names ("拜访刘总和王总", "met Liu and Wang"), first one first.

    The name sits next to a channel verb, else next to a follow-up verb ("回访张总 下周二",
    "follow up with Zhang"), else it is a titled name anywhere ("刘总今天电话里…").
    """
    first = _first_name(text, channels, blocked, cues)
    if first is None:
        return []
    found = [first]
    before = _joined_before(text, first[1][0], blocked)
    if before and before[0] != first[0]:
        found.insert(0, before)
    while len(found) < 4:
        more = _joined_name(text, found[-1][1][1], blocked)
        if more is None or more[0] in {n for n, _ in found}:
            break
        found.append(more)
    return found


def _first_name(text: str, channels: list[ChannelMention], blocked: list[Span],
                cues: Sequence[Span]) -> tuple[str, Span] | None:
    for mention in channels:
        found = _before_verb(text, mention.start, blocked) or _subject(text, mention.start, blocked) \
            or _after_verb(text, mention.end, blocked)
        if found:
            return found
    for start, end in cues:
        found = _before_verb(text, start, blocked) or _subject(text, start, blocked) or _after_verb(text, end, blocked)
        if found:
            return found
    return _fallback(text, blocked)


def _subject(text: str, position: int, blocked: list[Span]) -> tuple[str, Span] | None:
    """The note opens with the name, then the verb: "liu zong called back", "张伟 来电", "赵老师 电话".

    Only a head that is nothing but a name (dates and times aside) counts."""
    head = text[:position]
    for s, e in blocked:
        if e <= position:
            head = head[:s] + " " * (e - s) + head[e:]
    head = head.rstrip(" \t,，:：-–")
    start = len(head) - len(head.lstrip())
    if not head.strip() or len(head) - start > 40:
        return None
    if re.match(rf"[{_CJK}]", head[start]):
        run = head[start:]
        if not re.fullmatch(rf"[{_CJK}]{{2,12}}", run):
            return None
        name = _trim_zh(run)
        if name == run and (_titled_zh(name) or _COMPANY_ZH.search(name) or (name[0] in SURNAMES and len(name) <= 3)):
            return name, (start, start + len(name))
        return None
    if not re.fullmatch(r"[A-Za-z][A-Za-z .'&]{0,40}", head[start:]):
        return None
    found = _en_name(text, start, blocked)
    if found and not text[found[1][1]:len(head)].strip():
        return found
    return None


_JOIN_ZH = re.compile(r"\s*(?:和|跟|与|及|以及|还有|、|/)\s*")
_JOIN_EN = re.compile(r"\s*(?:,?\s*and|&|/|,)\s+", re.IGNORECASE)


def _joined_name(text: str, end: int, blocked: list[Span]) -> tuple[str, Span] | None:
    """A second name joined to the first: 刘总和王总, 刘总、王总, Liu and Wang."""
    rest = text[end:]
    joined = _JOIN_ZH.match(rest)
    if joined and re.match(rf"[{_CJK}]", rest[joined.end():joined.end() + 1]):
        start = end + joined.end()
        found = _zh_name(text, start, blocked)
        if found and (_titled_zh(found[0]) or _joined_like(text[:end], found[0])):
            return found
        return None
    joined = _JOIN_EN.match(rest)
    if joined:
        found = _en_name(text, end + joined.end(), blocked)
        if found and _person_like_en(found[0]):
            return found
    return None


def _joined_before(text: str, start: int, blocked: list[Span]) -> tuple[str, Span] | None:
    """A titled name joined before the first one: 何总和郭总一起吃饭 (the verb came after 郭总)."""
    head = text[:start]
    joined = re.search(r"(?:和|跟|与|及|、)\s*$", head)
    if not joined:
        return None
    titled = _titled_anywhere(head[:joined.start()], blocked, last=True)
    if titled and titled[1][1] == joined.start() and _titled_zh(titled[0]):
        return titled
    return _joined_full_before(text, joined.start(), start)


def _joined_full_before(text: str, end: int, second: int) -> tuple[str, Span] | None:
    """A full name joined before another full name, opening the note or after a preposition:
    刘建国和刘建军来访, 和李明、章伟吃饭."""
    for length in (3, 2, 4):
        start = end - length
        name = text[start:end]
        if start < 0 or not _full_name_zh(name) or dictionary_word(name, names_too=False) \
                or name in _NOT_CLIENT_ZH or name in _COMPANIONS_ZH or _STAFF_LEAD.match(name):
            continue
        boundary = start == 0 or not re.match(rf"[{_CJK}]", text[start - 1]) or text[start - 1] in _NAME_LEAD
        if boundary and any(_full_name_zh(text[second:second + n]) for n in (2, 3)):
            return name, (start, end)
    return None


#: People a client comes with, never a second client (拜访李明和高管, 和司机).
_COMPANIONS_ZH = frozenset({"高管", "司机", "房东", "股东", "法人", "员工", "助理", "秘书", "律师", "家属", "合伙人", "董秘",
                            "师傅", "朋友", "家人", "孩子", "儿子", "女儿", "老婆", "老公", "爱人", "父母", "团队"})


def _joined_like(head: str, second: str) -> bool:
    """A second name after 和/与/跟 without a title, of the same kind as the first: two full names
    (拜访刘建国和刘建军, 李明和章伟) or two companies (华信科技和鑫源食品). A companion (高管, 司机) or
    an everyday word (和平, 同事) is not one."""
    first = re.search(rf"[{_CJK}]+$", re.sub(r"\s*(?:和|跟|与|及|以及|还有|、|/)\s*$", "", head))
    if first is None or second in _NOT_CLIENT_ZH or second in _COMPANIONS_ZH:
        return False
    run = first.group(0)
    if company_short_forms(second) or _COMPANY_ZH.search(second):
        return any(bool(company_short_forms(run[-n:]) or _COMPANY_ZH.search(run[-n:]))
                   for n in range(3, min(12, len(run)) + 1))
    person_before = any(_full_name_zh(run[-n:]) or _titled_zh(run[-n:]) for n in (2, 3, 4))
    return person_before and _full_name_zh(second) and not dictionary_word(second, names_too=False)


def _full_name_zh(name: str) -> bool:
    """A surname and a one- or two-character given name, no title: 李明, 刘建国, 欧阳娜娜."""
    surname = name[:2] if name[:2] in COMPOUND_SURNAMES else name[:1]
    return (surname in SURNAMES or surname in COMPOUND_SURNAMES) and 1 <= len(name) - len(surname) <= 2 \
        and re.fullmatch(rf"[{_CJK}]+", name) is not None and not _titled_zh(name)


def _preposition_in_word(text: str, at: int) -> bool:
    """和/同/跟/与/请/约/给/帮 at `at` written as half of a word: 同业, 同事, 合同, 陪同, 和平, 邀请."""
    if at < 0 or at >= len(text):
        return False
    after = text[at:at + 2]
    before = text[max(0, at - 1):at + 1]
    return (len(after) == 2 and dictionary_word(after)) or (len(before) == 2 and dictionary_word(before))


def _titled_zh(name: str) -> bool:
    """A Chinese name with a surname and a title (王总, 欧阳经理, 小王): clearly a person."""
    if name[:1] in "小老" and name[1:2] in SURNAMES:
        return True
    return any(name.endswith(h) and len(name) > len(h) for h in HONORIFICS_ZH) and name[0] in SURNAMES


def _person_like_en(name: str) -> bool:
    words = [w.lower().rstrip(".") for w in name.split()]
    if not words or len(words) > 3 or set(words) & _EN_COMPANY_TAIL:
        return False
    return words[0] in HONORIFICS_EN or words[0] in _ROMANISED_HINT or all(w[:1].isupper() for w in name.split())


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
    # 同业来拜访, 在和平路和刘总: a preposition that is half of a word (同业, 和平) is not one
    while match and _preposition_in_word(text, position - len(head) + match.start()) \
            and not _titled_zh(_trim_zh(match.group(1)) or "-"):
        match = _ZH_BETWEEN.search(head, match.start() + 1)
    if not match:
        return None
    start = position - len(head) + match.start(1)
    name = _trim_zh(match.group(1))
    if not name or _is_blocked(start, start + len(name), blocked):
        return None
    return name, (start, start + len(name))


#: A company named with a number inside (世界500强企业华峰集团, 第3建筑公司): the whole name.
_COMPANY_WITH_NUMBER = re.compile(rf"[{_CJK}]{{1,8}}\d+[{_CJK}]{{0,10}}?(?:有限责任公司|股份有限公司|有限公司|公司|集团)")


def _zh_name(text: str, start: int, blocked: list[Span]) -> tuple[str, Span] | None:
    run = re.match(rf"[{_CJK}]{{1,16}}", text[start:])
    if not run:
        return None
    numbered = _COMPANY_WITH_NUMBER.match(text, start)
    if numbered and not _is_blocked(start, numbered.end(), blocked) and not _STOP_ZH.search(numbered.group(0)):
        return numbered.group(0), numbered.span()
    candidate = run.group(0)
    for s, _ in blocked:
        if start < s < start + len(candidate):
            candidate = candidate[: s - start]
    name = _trim_zh(candidate)
    if not name or _is_blocked(start, start + len(name), blocked):
        return None
    return name, (start, start + len(name))


def _trim_zh(candidate: str) -> str:
    """Cut a Chinese run down to the name, and refuse words that are no client's name."""
    name = _cut_zh(_PLACE_OF.sub("", _FUNCTION_LEAD.sub("", candidate)))
    if not name or name in _NOT_CLIENT_ZH or _STAFF_LEAD.match(name):
        return ""
    if len(name) == 1 and name not in SURNAMES:
        return ""   # 里, 对, 他: a function word left over, not a surname
    return name


def _cut_zh(candidate: str) -> str:
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
    while index < len(tokens) and (tokens[index].group(0).lower() in _EN_FILLER or (
            tokens[index].group(0).lower() in _EN_ROLES and index + 1 < len(tokens)
            and tokens[index + 1].group(0).lower() in ("of", "at", "from"))):
        if _gap(text, tokens, index):
            return None
        index += 2 if tokens[index].group(0).lower() in _EN_ROLES else 1
    venue = _past_venue(text, tokens, index, start)
    if venue is not None:
        return _en_name(text, venue, blocked) if venue >= 0 else None
    if index >= len(tokens) or _gap_before(text, start, tokens[index].start()):
        return None
    first = tokens[index]
    if index and tokens[index - 1].group(0).lower() in ("to", "from", "for") \
            and _NOT_CLIENT_AFTER_PREPOSITION.match(text, first.start()):
        return None     # "send to Finance", "visited a client from Shanghai": a department or a place
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
        pinyin_name = (capitalised and word[0].isupper() and lower in pinyin_syllables() and position + 1 < len(tokens)
                       and tokens[position + 1].group(0)[:1].isupper()
                       and _pinyin_word(tokens[position + 1].group(0).lower()))
        # "April Chen", "March Electronics": a month word opening a name (a date would be blocked)
        pinyin_name = pinyin_name or (not picked and capitalised and lower in _MONTH_NAMES
                                      and position + 1 < len(tokens) and not _gap(text, tokens, position)
                                      and tokens[position + 1].group(0)[:1].isupper()
                                      and tokens[position + 1].group(0).lower().rstrip(".") not in _EN_NOT_NAME
                                      and not _is_blocked(tokens[position + 1].start(), tokens[position + 1].end(),
                                                          blocked))
        if picked and capitalised and word[0].isupper() and lower in _PRODUCT_WORDS:
            picked.append(token)   # "Golden Fund", "Harbour Insurance": the company's name goes on
            continue
        if (lower in _EN_NOT_NAME and not pinyin_name and not (picked and _pinyin_word(lower) and word[0].isupper())) \
                or re.match(rf"[{_CJK}]", word):
            break
        if capitalised and word[0].isupper():
            picked.append(token)
            continue
        if capitalised and picked and lower in PINYIN_HONORIFICS:
            picked.append(token)   # "Li laoshi", "Qian zong"
            continue
        if not capitalised and not picked and word.isalpha() and (_pinyin_word(lower) or lower in ROMANISED_SURNAMES):
            picked.append(token)
            continue
        if not capitalised and picked and lower in PINYIN_HONORIFICS:
            picked.append(token)
            continue
        if not capitalised and len(picked) < 3 and (_pinyin_word(lower) or lower in ROMANISED_SURNAMES) \
                and lower not in _EN_FILLER and lower not in _EN_NOT_NAME:
            picked.append(token)   # "wu li", "zhang san": a name in lower-case pinyin
            continue
        break
    while picked and (picked[-1].group(0).lower() in _EN_CONNECT or picked[-1].group(0).lower().rstrip(".") in HONORIFICS_EN):
        picked.pop()
    # "Liu and Wang", "Sarah Wong & Grace Wang" are two people: keep the first; the second is
    # found as a joined name. "Golden River and Sons" is one company.
    for cut, token in enumerate(picked):
        if cut and token.group(0).lower() in ("and", "&"):
            left, right = picked[:cut], picked[cut + 1:]
            right_words = [t.group(0).lower().rstrip(".") for t in right]
            if (len(left) == len(right) and not set(right_words) & _EN_COMPANY_TAIL) or (
                    right_words and right_words[0] in _ROMANISED_HINT | set(HONORIFICS_EN)
                    and _person_like_en(picked[0].group(0))) or _surname_and_person(left, right_words):
                picked = left
            break
    if not picked:
        return None
    span = (picked[0].start(), picked[-1].end())
    name = re.sub(r"'s$", "", text[span[0]:span[1]])
    return name, (span[0], span[0] + len(name))


def _surname_and_person(left: list[re.Match[str]], right_words: list[str]) -> bool:
    """"Zhao and Sarah Wong": a client called by surname alone, then a full name ending in a surname,
    are two people ("Golden River and Sons", "Zhao and Partners" stay one company)."""
    surnames = _ROMANISED_HINT | ROMANISED_SURNAMES
    return (len(left) == 1 and left[0].group(0).lower() in surnames and 2 <= len(right_words) <= 3
            and right_words[-1] in surnames and not set(right_words) & _EN_COMPANY_TAIL)


#: Words that name a place, never a client: "visited Room 1203 of Kam's office".
_EN_PLACES = {"room", "rm", "floor", "flat", "unit", "suite", "level", "block", "tower", "building", "office",
              "hotel", "restaurant", "cafe", "café", "club", "lobby", "mall", "plaza", "centre", "center", "airport",
              "station", "factory", "warehouse", "shop", "store", "canteen", "bar", "venue", "hq", "headquarters",
              "showroom", "clubhouse", "lounge"}


_MEAL_BEFORE = re.compile(r"(?:dinner|lunch|breakfast|brunch|coffee|tea|drinks|golf|dim\s+sum|yum\s+cha)\W*$",
                          re.IGNORECASE)


def _past_venue(text: str, tokens: list[re.Match[str]], index: int, start: int) -> int | None:
    """Where a name may start after a place ("Dinner at Peninsula with Leo Ma" → Leo Ma, "Room 1203 of
    Kam's office" → Kam), -1 when the place is followed by no name, None when there is no place.
    A place is a place word (Room, hotel), a word after "in", or one after "at" when a meal came
    before it or "with" follows it ("site visit at Zhang Wei" is a visit to Zhang Wei)."""
    if index >= len(tokens):
        return None
    word = tokens[index].group(0)
    back = index - 1
    while back >= 0 and tokens[back].start() >= start and tokens[back].group(0).lower() == "the":
        back -= 1
    before = tokens[back].group(0).lower() if back >= 0 and tokens[back].start() >= start else ""
    end = -1
    for position in range(index + 1, min(index + 6, len(tokens))):
        if re.search(r"[,，;；。!！?？:：()]", text[tokens[position - 1].end():tokens[position].start()]):
            break
        if tokens[position].group(0).lower() in ("with", "w/", "w", "of"):
            end = tokens[position].end()
            break
    meal = before == "at" and bool(_MEAL_BEFORE.search(text[:tokens[back].start()]))
    if word.lower() in _EN_PLACES or (word[:1].isupper() and (before == "in" or (before == "at" and (
            meal or end >= 0)))):
        return end
    return None


def _gap(text: str, tokens: list[re.Match[str]], index: int) -> bool:
    """True when punctuation separates token index from the next one (the name cannot go on)."""
    if index + 1 >= len(tokens):
        return True
    between = text[tokens[index].end():tokens[index + 1].start()]
    return bool(re.search(r"[,，;；。!！?？:：()\d]", between)) or len(between) > 3


def _gap_before(text: str, start: int, token_start: int) -> bool:
    return bool(re.search(r"[,，;；。!！?？()\d]", text[start:token_start]))


_INTERBANK = re.compile(r"的?同业")
_FALLBACK_ZH = re.compile(rf"([{_CJK}]{{1,3}}?(?:{'|'.join(HONORIFICS_ZH[:12])}|总|姐|哥))")
_FALLBACK_EN = re.compile(r"(?<![A-Za-z])((?:Mr|Mrs|Ms|Miss|Dr)\.?\s+[A-Z][a-z]+)")


def _titled_anywhere(text: str, blocked: list[Span], last: bool = False) -> tuple[str, Span] | None:
    """The first (or last) surname + title anywhere (回访张总, 刘总今天电话里…, 杨秀兰阿姨): the name
    with its given name when one stands between a word boundary and the title."""
    found: list[tuple[str, Span]] = []
    for match in _TITLE_ANYWHERE.finditer(text):
        title_start, end = match.start(), match.end()
        for length in (3, 2, 1):
            start = title_start - length
            if start < 0 or _is_blocked(start, end, blocked):
                continue
            name = text[start:end]
            head = text[start:title_start]
            if length == 1:
                ok = head in SURNAMES
            else:
                boundary = start == 0 or not re.match(rf"[{_CJK}]", text[start - 1]) or text[start - 1] in _NAME_LEAD
                ok = head in COMPOUND_SURNAMES or (boundary and head[0] in SURNAMES and not _STOP_ZH.search(head))
            if ok and name not in _NOT_CLIENT_ZH:
                found.append((name, (start, end)))
                break
        if found and not last:
            return found[0]
    return found[-1] if found else None


def _after_preposition(text: str, blocked: list[Span]) -> tuple[str, Span] | None:
    """"the proposal for Wong Trading", "board resolution from Huang", "review with Pan": a name right
    after for / to / from / with when nothing better names the client. Only a capitalised word that
    is no common word (for Friday, from HQ, to KYC) or a lower-case romanised surname (with liu)
    starts one; "for lunch", "with the CFO", "to the branch", "for a loan" name nobody."""
    for match in _PREPOSITION.finditer(text):
        token = _EN_TOKEN.match(text, match.end())
        if token is None or _is_blocked(token.start(), token.end(), blocked):
            continue
        word = token.group(0)
        lower = word.lower().rstrip(".")
        if re.match(rf"[{_CJK}]", word) or _NOT_CLIENT_AFTER_PREPOSITION.match(text, token.start()):
            continue
        if word[0].isupper():
            if word.isupper() and len(word) <= 4 and lower not in ROMANISED_SURNAMES | _ROMANISED_HINT:
                continue    # HQ, KYC, CFO, IT: an acronym on its own is not taken for a client
            if lower in _EN_NOT_NAME and lower not in _MONTH_NAMES and lower not in HONORIFICS_EN:
                continue
        elif lower not in (_ROMANISED_HINT | ROMANISED_SURNAMES) - _SURNAME_ENGLISH - _EN_NOT_NAME:
            continue
        found = _en_name(text, token.start(), blocked)
        if found:
            return found
    return None


def _fallback(text: str, blocked: list[Span]) -> tuple[str, Span] | None:
    """No channel verb: an honorific-bearing name anywhere, or a leading capitalised name."""
    match = _FALLBACK_EN.search(text)
    if match and not _is_blocked(match.start(1), match.end(1), blocked):
        return match.group(1), (match.start(1), match.end(1))
    titled = _titled_anywhere(text, blocked)
    if titled:
        return titled
    stripped = text.lstrip()
    offset = len(text) - len(stripped)
    spoken = re.match(r"([a-z]+)\s+(" + "|".join(PINYIN_HONORIFICS) + r")(?![a-z])", stripped)
    if spoken and spoken.group(1) in pinyin_syllables():
        return spoken.group(0), (offset, offset + spoken.end())
    lead = re.match(r"(?:send|ask|tell|give|remind|ping|chase|invite|thank|introduce|update|brief)\s+", stripped,
                    re.IGNORECASE)
    if lead and not _PREPOSITION.match(text, offset + lead.end()):   # "send Wu the term sheet"
        found = _en_name(text, offset + lead.end(), blocked)
        if found:
            return found
    opening = re.match(r"([A-Z][a-z]+)\s+([a-z]+)", stripped)
    # "Hope to close…", "Will call…", "Prepared the proposal…": a word that starts a sentence, not Hope Chiu
    sentence = bool(opening) and (opening.group(1).lower() in _SENTENCE_WORDS | _OPENING_VERBS)  # type: ignore[union-attr]
    if stripped[:1].isupper() and not sentence:
        found = _en_name(text, offset, blocked)
        if found:
            return found
    found = _after_preposition(text, blocked)
    if found or sentence or stripped[:1].isupper():
        return found
    if stripped[:1] and re.match(rf"[{_CJK}]", stripped[0]):
        found = _zh_name(text, len(text) - len(stripped), blocked)
        if found and _INTERBANK.match(text, found[1][1]):
            return None     # 中国银行的同业: another bank's interbank staff, not a client
        if found and any(found[0].endswith(h) for h in HONORIFICS_ZH) or (found and _COMPANY_ZH.search(found[0])):
            return found
    return None

"""FAQ ranking for Chinese and English questions (pure: entries and a question in, ids out).

The promise is "the curated answer, or an honest 'I have none'", so the ranking answers only when
the answer answers the question, not when the question merely shares the job's words:

- Words: Chinese segmented by jieba (characters it leaves single rejoin into one word), English
  stemmed (Snowball, RM shorthand spelled out), product codes from the shared catalog (so "LC",
  "信用证" and "letter of credit" meet), and what a question asks for (a figure, a date, a
  duration, a frequency, today's value, servicing such as closing or losing something). Words
  RMs use for the same thing meet (额度/授信, 干嘛/做什么, KYC/onboarding, seminar/salon); what only
  frames a question (吗, 怎么办, 违规吗, can I, against the rules, dont, wanna) is not its content. SQLite
  FTS5 cannot do this: its tokenizer finds nothing in Chinese, trigrams miss 理财 and 开户.
  Chinese A-not-A questions (放不放款) keep the verb once; a single character repeating a word of the
  question (考核怎么考) adds nothing; "list the …" and "… refer to" only frame a question.
- Ranking: BM25 over every phrasing, keyword, title and answer of an entry, and over two words in a row
  as a phrase ("client list" is confidentiality, "handover list" the handover), which tells sibling
  topics apart where each word alone does not.
- Answering: the question's key content (its words weighted by IDF over the entries; the job's
  generic words 客户, 经理, 风险, 银行, client, bank count for little; a word no entry knows counts
  as uncovered) must be covered by what the best entry is *about*: its title, keywords and
  phrasings, its answer text at half. A missing everyday word (东西, 直接; jieba's counts of general
  Chinese, a short list for English; a figure) costs less than a missing rare one (追索, 个税). The best
  entry must also lead the runner-up, clearly so when the question holds only the job's generic words.
  Otherwise: no answer, the closest topics as buttons.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import snowballstemmer  # type: ignore[import-untyped]
from rapidfuzz import fuzz, process

from bot.faq.entries import FaqEntry

if TYPE_CHECKING:
    import jieba  # type: ignore[import-untyped]  # (imported where the index is built: 0.2-0.4 s)
from bot.parsing.products import find_products

K1, B = 1.2, 0.75
#: The share of the question's key content the best entry must cover to answer.
MIN_COVERAGE = 0.65
#: ... the least key content (IDF-weighted) a question must carry to be answered at all.
MIN_KEY_WEIGHT = 1.0
#: ... and how far ahead of the runner-up the best entry must be (score ratio), unless its
#: coverage is clearly better than the runner-up's.
MIN_MARGIN = 1.05
COVERAGE_LEAD = 0.1
#: A topic ranked 2nd or 3rd within this score ratio that covers the question clearly better
#: (COVERAGE_LEAD) is a sibling the question may be about: no answer, both among the buttons.
SIBLING_RATIO = 1.5
#: ... and for a question made only of the job's generic words.
GENERIC_MARGIN = 1.15
#: Coverage that counts as the whole question (rounding aside).
FULL_COVERAGE = 0.95
FIELD_WEIGHTS = {"question": 1.0, "keyword": 2.0, "title": 2.0, "answer": 0.3}
#: A term found only in an entry's answer text is half evidence that the entry is about it.
ANSWER_ONLY_EVIDENCE = 0.5

def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Words that frame a question rather than name its topic ("what kinds of … do I need to …").
_EN_STOP = _word_set("""
a an the is are am was were be been being do does did doing i me my we our you your he she his her it its they
them their this that these those what which who whom whose how when where why can could may might must shall
should will would to of in on at for from by with about as and or but if so not no any some there here than
then into out up down over under again just also too very please tell explain know need want wants get got let
allowed ok okay thing things something anything really actually one s t don doesn isn aren i'm im whats what's
way ways good best right mean means much many him himself herself themselves mine yours ask asked asking give
gave given use used using kind kinds type types sort look looks like have has had happen happens other others
another else expect expected suppose supposed step steps procedure process tip tips thru walk exactly
basically usually normally typically able idea main each every all both either whether now still pls plz etc
eg ie someone somebody anyone anybody hi hello hey thanks thank test testing ever always often sometimes go
ur abt thx wanna gonna gotta cuz coz cos b4 wrt asap fyi btw imo tho dont cant wont isnt arent doesnt didnt
shouldnt wouldnt couldnt whats hows ive youre theyre thats theres hv
goes going come comes put take takes make makes made meaning worth found
""")
#: Words nearly every question about the job carries: they rank a little but prove no topic.
_EN_GENERIC = {"client", "customer", "bank", "banking", "manager", "rm", "relationship", "risk", "job", "work",
               "handle", "deal", "do", "make", "us", "staff", "our", "branch", "business", "company", "firm"}
#: Chinese words that frame a question or join words rather than name a topic.
_ZH_STOP_WORDS = _word_set("""
你好 您好 谢谢 在吗 喂 测试 老是 老 两家 一家 几家 两个 两种 怎么回事 回事 一回事 一场 一份 行里 刚 刚刚 死活 但 还是 就是 替 帮 用 向 从 到 为 以 及 将 各 每 此 其 怎 啥子 哪儿 咋 咋办 一样 意思 包括 内容 主要
这笔 那笔 这家 那家 这位 那位 这种 那种 东西 准备 作为 方向 多久 最长 最多 最少 几 哪几 哪几个 哪几种 哪几类 几类 几种 几个 平时 一直 总是 已经 正在 然后 之后 之前 以后 以前 比较 特别 非常 真的 其实 当 当好 某个 某些 称为
叫做 叫 是指 指的是 定义 含义 概念 说说 讲讲 解释 列出 的 了 吗 呢 吧 啊 么 是 我 你 他 她 它 们 在 和 与 或 就 都 也 还 要 有 个 这 那 哪 谁 啥 该 请 问 一下 给 把 被 对
跟 让 得 地 着 过 嘛 呀 什么 怎么 怎样 如何 可以 是否 能否 哪些 哪个 为什么 为啥 请问 我们 他们 你们 是不是 不是 要不要 不要 有没有 没有 应该 需要 一个 时候 具体 到底 注意 之间 哪里
能够 进行 办法 能不能 可不可以 行不行 怎么办 怎么样 什么样 这个 那个 这些 那些 自己 一些 有些 以及 或者 如果 但是 因为 所以 能 会 可 想 去 来 说 做 干 弄 搞 算不算 行 好 多 很 太 又
再 才 只 是什么 指 等 啦 么样 还有 别的 其他 其它 这样 那样 这么 那么 一遍 越来越 几块 哪几块 几部分 哪几部分 几方面 哪几方面 一定 必须 要求 时 后 前 里 中 上 下
些 呗 哈 嗯 哦 喔 之类 什么的 等等 啥的 怎么弄 咋弄 咋整 怎么搞 怎么整 行吗 好吗 可否 成吗 允许 允不允许 请教
应当 由谁 由谁来 谁来 通常 平常 需不需要 用不用 得不得 该不该 该怎么 要怎么 怎么做 咋做 如何做 什么地方 哪些方面 啥时候
""")
#: Words nearly every question about the job carries: they rank a little but prove no topic.
_ZH_GENERIC = {"客户", "经理", "客户经理", "银行", "我行", "风险", "业务", "工作", "问题", "情况", "相关", "方面",
               "公司", "企业", "处理", "做好", "规定", "办理", "对公", "个人", "单位", "干什么"}
#: Words RMs use for the same thing, spelled as the word the entries use: a question in either
#: word meets an entry written in the other. Chinese words as jieba cuts them; English words
#: before stemming.
_ZH_SYNONYMS = {
    "干嘛": "干什么", "干啥": "干什么", "做啥": "做什么", "礼品": "礼物", "送礼": "礼物", "购物卡": "礼物",
    "签名字": "签名", "签个字": "签字", "署名": "签名", "额度": "授信", "授信额度": "授信", "信贷额度": "授信", "贷款额度": "授信",
    "介绍客户": "转介绍", "转推荐": "转介绍", "开立": "开户", "开个户": "开户", "开账户": "开户",
    "保密性": "保密", "外传": "泄露", "泄漏": "泄露", "外泄": "泄露", "说出去": "泄露",
    "绩效考评": "绩效考核", "考评": "考核", "拜访客户": "拜访", "走访": "拜访",
    "职能": "职责", "本职": "职责", "本职工作": "职责", "分内": "职责", "分内事": "职责",
    "打包票": "保证", "打包票说": "保证", "担保说": "保证", "做主": "拍板", "答应": "承诺", "许诺": "承诺", "说了算": "拍板", "年底": "年度", "年终": "年度",
    "楼盘": "房地产", "放贷": "放款", "遮遮掩掩": "不愿透露", "藏着掖着": "不愿透露", "不肯透露": "不愿透露",
    "新品": "新产品", "上线": "发行", "上新": "发行", "推出": "发行", "发售": "发行",
    "过桥": "借新还旧", "倒贷": "借新还旧", "挪用": "挪用贷款",
    # "what harm does it do" asks for the topic's risks; "say out" is disclosing
    "危害": "风险", "坏处": "风险", "害处": "风险", "隐患": "风险", "说出": "透露", "说出来": "透露", "状况": "情况",
    "特征": "信号", "迹象": "信号", "征兆": "信号", "苗头": "信号", "没用": "不用", "没动用": "不用", "没有用": "不用",
    "举例": "例子", "举个例子": "例子", "实例": "例子", "不亏": "保本", "稳赚": "保本", "亏不了": "保本", "不会亏": "保本",
    # a client's family, however named, is the confidentiality question's "family"
    "老婆": "妻子", "媳妇": "妻子", "爱人": "妻子", "太太": "妻子", "老公": "丈夫", "先生": "丈夫",
    "儿子": "家人", "女儿": "家人", "父亲": "家人", "母亲": "家人", "爸爸": "家人", "妈妈": "家人", "老爸": "家人",
    "老妈": "家人", "子女": "家人", "父母": "家人", "孩子": "家人", "家属": "家人", "亲属": "家人", "亲戚": "家人",
}
_EN_SYNONYMS = {
    "kyc": "onboarding", "cdd": "onboarding", "freebie": "gift",
    "kickback": "bribe", "kickbacks": "bribes", "payoff": "repay", "repayment": "repay", "repayments": "repay",
    "payback": "repay", "coworker": "colleague", "coworkers": "colleagues",
    "teammate": "colleague", "teammates": "colleagues", "boss": "supervisor",
    "customers": "clients", "customer": "client", "cust": "client", "custs": "clients",
    "seminar": "salon", "seminars": "salons",
    "webinar": "salon", "workshop": "salon", "workshops": "salons",
    "appraisal": "assessment", "appraisals": "assessments", "evaluation": "assessment",
    "evaluated": "assessed", "rated": "assessed", "graded": "assessed",
    "harm": "risk", "harms": "risk", "danger": "risk", "dangers": "risk",
    "recognise": "identify", "recognize": "identify", "spot": "identify", "detect": "identify", "inside": "internal",
    "brief": "report", "briefing": "report", "hurt": "risk", "hurts": "risk",
    "son": "family", "sons": "family", "daughter": "family", "daughters": "family", "dad": "family",
    "father": "family", "mum": "family", "mom": "family", "mother": "family", "parents": "family",
    "kids": "family", "children": "family", "brother": "family", "sister": "family", "relatives": "family",
}
#: "What does … do" in its colloquial forms (做什么, 干啥, 做些什么, 干哪些活) as the one word jieba knows.
_ZH_WHAT_DO = re.compile(r"(?:做|干)(?:些|点|哪些)?(?:什么|啥|嘛)(?:活|事)?|干哪些活|干什么活")
#: Chinese asks yes-or-no by doubling a verb around 不 (放不放款, 批不批): the verb once is the content.
_ZH_A_NOT_A = re.compile(r"([\u3400-\u9fff])不\1")
#: English framing at a question's ends: "list the …", "name the …", "what does X refer to".
_EN_FRAME = re.compile(r"^\W*(?:please\s+)?(?:list|name|give me)\b|\brefers?\s+to\W*$", re.IGNORECASE)
#: English contractions cut at the apostrophe: the word before it, as the stop list knows it.
_EN_CONTRACTIONS = {"won": "will", "can": "can", "shan": "shall", "ain": "is"}
_WORD = re.compile(r"[a-z][a-z0-9]*(?:'[a-z]+)?|\d+")
_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
UNIGRAM_WEIGHT = 0.6
#: A single character is ambiguous (证 in 四证 or 证件), so even an everyday one counts at least this.
UNIGRAM_FLOOR = 0.5
PRODUCT_WEIGHT = 1.5
GENERIC_WEIGHT = 0.3
#: A question made only of the job's generic words (客户经理主要负责什么) is about them: they count as
#: key content, at this weight (a marker the answering step reads: such a question must lead clearly).
GENERIC_ONLY = 0.999
#: A part of a longer Chinese word (理财 in 理财产品) matches, but less than the word.
PART_WEIGHT = 0.5
#: Two words in a row, as a phrase, in addition to each word.
PHRASE_WEIGHT = 0.5
#: The question's word is missing from the entry's topic but its parts are there.
PART_COVERAGE = 0.7
#: A word no entry knows is key content no entry covers; it weighs as a rare known word would.
UNKNOWN_WEIGHT = 0.6
#: A missing word that another entry is about weighs this much more.
FOREIGN_TOPIC = 1.0


#: Everyday English words that add little to what a question is about (English has no word
#: counts at hand as Chinese has jieba's): they weigh as an everyday Chinese word does.
_EN_EVERYDAY = _word_set("""
okay fine sure thing stuff bit lot lots kind sort matter example examples instance case cases situation actual
actually real really basic general specific particular certain common typical usual normal simple quick
quickly fast slow easy hard able possible necessary important main key major minor big small little new old
first last next previous same different similar whole full part parts piece total maybe perhaps probably still
already yet even just only also too quite rather pretty very enough onto into within without among between
across along around inside outside through get gets getting got put puts putting keep keeps keeping hold holds
holding let lets letting bring brings involve involves involved include includes including contain contains
containing consist help helps helping try tries trying start starts starting stop stops finish done doing work
works working find finds finding show shows showing see sees seeing look looks looking seem seems think thinks
thought feel feels felt believe guess wonder wondering someone somebody anyone anybody everyone everybody
people person guy guys folks please pls advice advise suggestion suggestions never while away say says said
saying tell tells told telling play plays playing everything nothing somewhere anywhere later soon
around back off else ok alright fine right wrong true false anyway though although besides since because
more less most great greater nice after before ones describe described compare compared comparison
outline summarise summarize define definition during against rule rules permitted permissible acceptable
appropriate proper send sends sent sending set sets setting produce produces produced
healthy weekend weekends morning afternoon evening tonight tomorrow yesterday forgot forget forgets page pages
""")

_STEMMER = snowballstemmer.stemmer("english")
#: Shorthand RMs type, spelled out before stemming.
_EN_SHORTHAND = {"mgr": "manager", "mgrs": "managers", "dept": "department", "depts": "departments",
                 "ops": "operations", "info": "information", "docs": "documents", "doc": "document",
                 "acct": "account", "accts": "accounts", "corp": "corporate", "biz": "business",
                 "rms": "rm", "co": "company", "reqs": "requirements", "req": "requirement", "govt": "government",
                 "intel": "intelligence", "approx": "approximately", "cust": "customer", "custs": "customers"}


@lru_cache(maxsize=20_000)
def _stem(word: str) -> str:
    word = word.split("'")[0]
    return _STEMMER.stemWord(_EN_SHORTHAND.get(word, word))


#: The stop words as stems, so "asks" or "wanted" frame a question as "ask" and "want" do.
#: (Adverbs keep their stems: "basically" framing a question does not make "basic account" one.)
_EN_STOP_STEMS = {_stem(w) for w in _EN_STOP if not w.endswith("ly")} - {"process", "procedur", "test", "found", "walk"}
_GENERIC_TERMS = {f"w:{_stem(w)}" for w in _EN_GENERIC} | {f"z:{w}" for w in _ZH_GENERIC}


#: Banking terms jieba cuts apart (基本/存款/账户) but an RM means as one thing: one word each, so
#: 基本存款账户 and 一般存款账户 differ as wholes, not only in 基本 and 一般.
_ZH_TERMS = ("基本存款账户", "一般存款账户", "专用存款账户", "临时存款账户", "商业承兑汇票", "国内信用证")


@lru_cache(maxsize=1)
def _segmenter() -> jieba.Tokenizer:
    """jieba on its own dictionary held compactly (bot/chinese_words.py), once per process."""
    from bot.chinese_words import segmenter  # not on the start path: the FAQ index is built after it

    tokenizer = segmenter()
    for term in _ZH_TERMS:
        tokenizer.add_word(term)
    return tokenizer


@dataclass(frozen=True)
class Unit:
    """One word of a text: its term, its weight, and the terms of its parts (理财产品 → 理财, 产品)."""
    term: str
    weight: float
    parts: tuple[str, ...] = ()
    #: how much the word says in everyday language (1 for rare words, less for 东西, 直接, 外面)
    information: float = 1.0

    @property
    def evidence(self) -> bool:
        """The job's generic words help ranking but prove no topic."""
        return self.term not in _GENERIC_TERMS


_ASKED_WORDS = {"多少", "多久", "几次", "频率", "什么时候", "哪天", "几号", "几点", "几天", "几个月", "几年", "多长时间"}


def _words(segmenter: jieba.Tokenizer, run: str) -> list[str]:
    """jieba's words of a run of Chinese; characters it leaves single (借/新/还/旧) rejoin as one
    word between particles, so a term jieba does not know still counts as content."""
    words: list[str] = []
    single: list[str] = []

    def flush() -> None:
        # a particle inside the run separates words (出了新 → 出, 新)
        piece: list[str] = []
        for char in [*single, "的"]:
            if char in _ZH_STOP_WORDS:
                if piece:
                    words.append("".join(piece))
                piece = []
            else:
                piece.append(char)
        single.clear()

    for word in segmenter.lcut(run, HMM=False):
        if len(word) == 1:
            single.append(word)
        else:
            flush()
            words.append(word)
    flush()
    return words


#: What a question asks for beyond its topic: a figure, a date, a duration, a frequency. An entry
#: answers such a question only if its own phrasings ask for the same ("核心客户多久联系一次").
_ASKS_FOR = {
    "amount": re.compile(r"多少|几成|比例是|利率|费率|手续费|收费|价格|下限|上限|门槛|起点|最低|最高|how much|how many|"
                         r"\b(?:rates?|fees?|charges?|prices?|costs?|thresholds?|minimum|maximum)\b", re.IGNORECASE),
    # "when" asks for a date only as the question's own word (when is…, when should I…), not in a
    # clause that sets the scene ("can I … when I quit")
    "date": re.compile(r"什么时候|哪天|几号|几点|^\W*when\b|\bwhen\s+(?:is|are|was|were|do|does|did|should|shall|must|can|"
                       r"could|will|would|may|might)\b|what date|what time", re.IGNORECASE),
    "duration": re.compile(r"多久|多长时间|几天|几个月|几年|how long", re.IGNORECASE),
    "frequency": re.compile(r"几次|多久一次|频率|how often|how frequently", re.IGNORECASE),
    # today's figures: the FAQ holds standing rules, not the rate or product of the day
    "current": re.compile(r"今天|今日|现在|目前|最新|本周|这周|本月|这个月|今年|\b(?:today'?s?|tonight|current|currently|"
                          r"latest|this (?:week|month|year))\b", re.IGNORECASE),
    # servicing an existing account, card or key: losing, closing, freezing, resetting
    "servicing": re.compile(r"丢|挂失|销户|注销|冻结|解冻|重置|补办|换卡|\b(?:lost|stolen|close|closing|closed|cancel\w*|"
                            r"freeze|frozen|unfreeze|reset|replace\w*)\b", re.IGNORECASE),
}


#: What an answer states (a term, a frequency, a figure) it can answer a question asking for
#: ("银行承兑汇票最长能开几个月" → "最长不超过6个月").
_STATES = {
    "duration": re.compile(r"\d+\s*(?:个月|年|天|日|周)|(?:\d+|one|two|three|six|twelve)\s*(?:months?|years?|days?|weeks?)\b",
                           re.IGNORECASE),
    "frequency": re.compile(r"每(?:天|日|周|月|季度?|半年|年)|至少一次|(?:daily|weekly|monthly|quarterly|yearly|annually)\b|"
                            r"\bevery (?:day|week|month|quarter|year)\b|\bonce a\b", re.IGNORECASE),
    "amount": re.compile(r"\d+(?:\.\d+)?\s*%|\d\s*(?:元|万|亿)|[×=]|\bformula\b", re.IGNORECASE),
}


def stated(text: str) -> set[str]:
    """The asks (i:duration, i:frequency, i:amount) a text answers by stating them."""
    return {f"i:{name}" for name, pattern in _STATES.items() if pattern.search(text)}


#: Words that ask whether something is allowed (违规吗, 合规吗) frame a yes/no question about a rule; the
#: topic is what is done, so they weigh as everyday words do.
_ZH_RULE_WORDS = {"违规", "合规", "违反规定", "犯规", "违法", "允许", "规矩", "规定", "禁止", "不准", "不允许"}
#: Everyday words (jieba's counts over general Chinese) say little about which topic is asked:
#: a word this common or more counts at the floor, a word this rare or more counts fully.
COMMON_COUNT, RARE_COUNT, COMMON_FLOOR = 20_000, 200, 0.2


def _information(count: int | None, total: int) -> float:
    if not count:
        return 1.0
    low, high = math.log(total / COMMON_COUNT), math.log(total / RARE_COUNT)
    return min(1.0, max(COMMON_FLOOR, (math.log(total / count) - low) / (high - low)))


@lru_cache(maxsize=8_192)
def units(text: str) -> tuple[Unit, ...]:
    """The words of a text: product codes, what it asks for, English words (stemmed), Chinese words.
    Cached: the FAQ's own texts come back with every index built (each reload, each test's bot)."""
    found = [Unit(f"p:{m.code}", PRODUCT_WEIGHT) for m in find_products(text)]
    found += [Unit(f"i:{name}", 1.0) for name, pattern in _ASKS_FOR.items() if pattern.search(text)]
    for word in _WORD.findall(_EN_FRAME.sub(" ", text.lower())):
        if "'" in word:  # he's → he, won't → will, client's → client
            stem, _, tail = word.partition("'")
            word = _EN_CONTRACTIONS.get(stem, stem) if tail == "t" else stem
            if word.endswith("n") and tail == "t" and stem not in _EN_CONTRACTIONS:  # didn't → did (can't stays can)
                word = word[:-1]
        if word not in _EN_STOP and len(word) > 1:
            word = _EN_SYNONYMS.get(word, _EN_SHORTHAND.get(word, word))
            if word in _EN_STOP or _stem(word) in _EN_STOP_STEMS:
                continue
            term = f"w:{_stem(word)}"
            # a figure (20%, 3 days) rarely names a topic: it weighs as an everyday word
            found.append(Unit(term, GENERIC_WEIGHT if term in _GENERIC_TERMS else 1.0,
                              information=COMMON_FLOOR if word in _EN_EVERYDAY or word.isdigit() else 1.0))
    segmenter = _segmenter()
    for run in _CJK_RUN.findall(text):
        words = _words(segmenter, _ZH_A_NOT_A.sub(r"\1", _ZH_WHAT_DO.sub("干什么", run)))
        starts = {word[0] for word in words if len(word) > 1}
        for word in words:
            if word in _ZH_STOP_WORDS or word in _ASKED_WORDS:
                continue
            word = _ZH_SYNONYMS.get(word, word)
            if len(word) == 1 and word in starts:
                continue  # 考核怎么考, 展期能展多久: the single verb repeats a word already there
            if len(word) == 1:
                found += _characters(word)
                continue
            term = f"z:{word}"
            parts: tuple[str, ...] = ()
            if len(word) >= 3:
                pieces = ((word[:2], word[-2:]) if segmenter.FREQ.get(word)
                          else tuple(word[i:i + 2] for i in range(len(word) - 1)))
                parts = tuple(f"z:{piece}" for piece in dict.fromkeys(pieces) if piece not in _ZH_STOP_WORDS)
            information = (COMMON_FLOOR if word in _ZH_RULE_WORDS
                           else _information(segmenter.FREQ.get(word), segmenter.total))
            found.append(Unit(term, GENERIC_WEIGHT if term in _GENERIC_TERMS else 1.0, parts, information))
    return tuple(found)


def _characters(word: str) -> list[Unit]:
    """Single characters as words: each says as much as everyday Chinese says it does (事, 看 little)."""
    segmenter = _segmenter()
    return [Unit(f"u:{char}", UNIGRAM_WEIGHT,
                 information=max(UNIGRAM_FLOOR, _information(segmenter.FREQ.get(char), segmenter.total)))
            for char in word if char not in _ZH_STOP_WORDS]


def terms(text: str) -> list[tuple[str, float]]:
    """(term, weight) pairs of a text for BM25: its words and, at part weight, their parts."""
    found: list[tuple[str, float]] = []
    previous = ""
    for unit in units(text):
        found.append((unit.term, unit.weight))
        found.extend((part, unit.weight * PART_WEIGHT) for part in unit.parts)
        # two words in a row are a phrase ("client list", "客户 名单"): it tells sibling topics apart
        # where each word alone does not
        if previous[:2] == unit.term[:2] and unit.term[:2] in ("w:", "z:"):
            found.append((f"b:{previous[2:]}_{unit.term[2:]}", PHRASE_WEIGHT))
        previous = unit.term
    return found


@dataclass(frozen=True)
class Ranking:
    answer_id: str | None
    ranked: tuple[str, ...]
    score: float
    coverage: float
    #: the question's key content (IDF-weighted); 0 for noise such as "？？？"
    key_weight: float = 0.0
    #: how many of the question's words the FAQ knows, and how many it has at all
    known_words: int = 0
    words: int = 0

    @property
    def is_noise(self) -> bool:
        """Nothing in the question could name a topic ("？？？", "asdf", "hi"): not worth a curator's time."""
        return self.words == 0 or (self.known_words == 0 and self.words == 1)

    def to_json(self) -> dict:
        return {"answer_id": self.answer_id, "ranked": list(self.ranked), "score": round(self.score, 3),
                "coverage": round(self.coverage, 3)}


class FaqIndex:
    """BM25 statistics over the entries; `rank` is a pure function of the question."""

    def __init__(self, entries: list[FaqEntry]) -> None:
        self.entries = {entry.id: entry for entry in entries}
        self._tf: dict[str, dict[str, float]] = {}
        self._topic: dict[str, set[str]] = {}
        self._length: dict[str, float] = {}
        document_frequency: Counter[str] = Counter()
        for entry in entries:
            counts: defaultdict[str, float] = defaultdict(float)
            topic: set[str] = set()
            for field, texts in (("question", entry.questions_en + entry.questions_zh),
                                 ("keyword", entry.keywords_en + entry.keywords_zh),
                                 ("title", [entry.title_en, entry.title_zh]),
                                 ("answer", [entry.answer_en, entry.answer_zh])):
                for text in texts:
                    for term, weight in terms(text):
                        counts[term] += FIELD_WEIGHTS[field] * weight
                        if field != "answer":
                            topic.add(term)
            self._tf[entry.id] = counts
            topic |= stated(entry.answer_en) | stated(entry.answer_zh)
            self._topic[entry.id] = topic
            self._length[entry.id] = sum(counts.values())
            document_frequency.update(counts.keys())
        total = max(len(entries), 1)
        self._average_length = sum(self._length.values()) / total
        self._idf = {term: math.log(1 + (total - df + 0.5) / (df + 0.5)) for term, df in document_frequency.items()}
        self._unknown_idf = math.log(1 + (total + 0.5) / 0.5)
        self._words = sorted({term[2:] for term in self._idf if term.startswith("w:")})
        self._topic_terms = set().union(*self._topic.values()) if self._topic else set()

    def _known(self, term: str) -> str | None:
        """The term itself, or for an unknown English word the closest known one (typos)."""
        if term in self._idf:
            return term
        if term.startswith("w:") and len(term) >= 9:
            match = process.extractOne(term[2:], self._words, scorer=fuzz.ratio, score_cutoff=88)
            if match:
                return f"w:{match[0]}"
        return None

    def _key_units(self, question: str) -> list[tuple[Unit, str | None, float]]:
        """The question's key content: (word, its known term or None, its IDF weight). A question
        made only of the job's generic words (客户经理主要负责什么) is about them, so they count."""
        key = []
        # a product code repeats the words it was found in (信用证 → LC): the words carry the content
        words = [unit for unit in units(question[:500]) if not unit.term.startswith("p:")]
        content = [unit for unit in words if unit.evidence]
        if not any(not unit.term.startswith("u:") for unit in content):
            weight = 1.0 if content else GENERIC_ONLY
            content += [Unit(unit.term, weight, unit.parts) for unit in words if not unit.evidence]
        seen: set[str] = set()
        for unit in content:
            if unit.term in seen:  # a word said twice ("sign … sign it") is one piece of content
                continue
            seen.add(unit.term)
            known = self._known(unit.term)
            if known is None and unit.term.startswith("z:") and len(unit.term) <= 4 \
                    and unit.term[2:] not in _segmenter().FREQ:
                # characters left single by jieba and joined here (链断, 回头补) that no entry knows:
                # judged character by character, as jieba left them
                key += [self._key_unit(char) for char in _characters(unit.term[2:]) if char.term not in seen]
                continue
            if known is not None:
                idf = self._idf[known]
            else:
                # 外资企业 is not covered by 企业: a generic part says nothing of the whole
                known_parts = [self._idf[p] for p in unit.parts if p in self._idf and p not in _GENERIC_TERMS]
                idf = max(known_parts) if known_parts else self._unknown_idf * UNKNOWN_WEIGHT
            key.append((unit, known, unit.weight * idf))
        return key

    def _key_unit(self, unit: Unit) -> tuple[Unit, str | None, float]:
        known = self._known(unit.term)
        idf = self._idf[known] if known is not None else self._unknown_idf * UNKNOWN_WEIGHT
        return unit, known, unit.weight * idf

    def _coverage(self, entry_id: str, key: list[tuple[Unit, str | None, float]]) -> float:
        """The share of the key content the entry is about (its topic fields; its answer text counts
        ANSWER_ONLY_EVIDENCE). An everyday word the entry lacks (东西, 直接) costs less than a rare one
        (追索, 个税), which likely names another topic."""
        topic, counts = self._topic[entry_id], self._tf[entry_id]
        covered = missing = 0.0
        for unit, known, weight in key:
            parts = [part for part in unit.parts if part not in _GENERIC_TERMS]  # 外资企业 is not about 企业
            if known is not None and known in topic:
                share = 1.0
            elif parts and all(part in topic for part in parts):
                share = PART_COVERAGE
            elif (known is not None and known in counts) or any(part in topic for part in parts):
                share = ANSWER_ONLY_EVIDENCE
            else:
                share = 0.0
            covered += weight * share
            # only a word some entry uses can be an everyday word here; an unknown one is news; a word
            # another entry is about suggests the question is about that other topic too
            factor = unit.information if known is not None or unit.term.startswith("w:") else 1.0
            if share == 0 and known in self._topic_terms:
                factor *= FOREIGN_TOPIC
            missing += weight * (1 - share) * factor
        return covered / (covered + missing) if covered + missing else 0.0

    def scores(self, question: str) -> dict[str, float]:
        """Each entry's BM25 score for the question."""
        query: defaultdict[str, float] = defaultdict(float)
        for term, weight in terms(question[:500]):
            known = self._known(term)
            if known is not None:
                query[known] += weight
        scores: dict[str, float] = {}
        for entry_id, counts in self._tf.items():
            score = 0.0
            norm = K1 * (1 - B + B * self._length[entry_id] / self._average_length)
            for term, weight in query.items():
                tf = counts.get(term)
                if tf:
                    score += weight * self._idf[term] * tf * (K1 + 1) / (tf + norm)
            scores[entry_id] = score
        return scores

    def rank(self, question: str) -> Ranking:
        scores = self.scores(question)
        ranked = tuple(sorted(scores, key=lambda key: (-scores[key], key)))
        key = self._key_units(question)
        key_weight = sum(weight for _, _, weight in key)
        known_words = sum(known is not None for _, known, _ in key)
        if not ranked or not key_weight:
            return Ranking(None, ranked, scores[ranked[0]] if ranked else 0.0, 0.0, key_weight, known_words, len(key))
        best = ranked[0]
        coverage = self._coverage(best, key)
        confident = key_weight >= MIN_KEY_WEIGHT and coverage >= MIN_COVERAGE and scores[best] > 0
        if confident and len(ranked) > 1:
            runner_up = ranked[1]
            # an entry that covers the whole question need only be ahead; a partial match must lead
            margin = MIN_MARGIN if coverage < FULL_COVERAGE else 1.0
            if any(unit.weight == GENERIC_ONLY for unit, _, _ in key):
                # only the job's generic words ("what kinds of relationship managers…"): many topics
                # share them, so the best must lead clearly and coverage cannot tell them apart
                margin = max(margin, GENERIC_MARGIN)
            runner_up_coverage = self._coverage(runner_up, key)
            if runner_up_coverage >= coverage:
                # the runner-up covers the question as fully: a near tie in score is a coin toss
                margin = max(margin, MIN_MARGIN)
            ahead = scores[best] > margin * scores[runner_up]
            clearer = margin < GENERIC_MARGIN and coverage >= runner_up_coverage + COVERAGE_LEAD
            # an entry a little further down that covers the question clearly better is a sibling the
            # question may be about: no answer, both among the buttons
            better_below = any(self._coverage(other, key) >= coverage + COVERAGE_LEAD
                               and scores[best] < SIBLING_RATIO * scores[other] for other in ranked[1:3])
            confident = (ahead or clearer) and not better_below
        return Ranking(best if confident else None, ranked, scores[best], coverage, key_weight, known_words, len(key))

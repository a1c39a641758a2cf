"""Which of the RM's own clients a name in a note means, or the question to ask.

A note filed under the wrong client is worse than a question, so only these match on their own:
the exact name, an alias, the same name without its title when only one client fits (刘 and
`Liu` → 刘总 while 刘总 is the only 刘), the pinyin of the whole name (`liu zong` → 刘总),
Mr X ↔ X总 when that is the only X, and a typo inside a Latin-script name (`Sara Wong` → Sarah
Wong). Every other difference is asked, among the look-alikes, with "new client X" as a choice:
another character for the surname even when it sounds the same (李/刘, 章/张), the same surname
with another title or given name (刘女士, 小刘, 刘董 vs 刘总 / 刘芳). A pure function of
(name, clients); the RM's pick becomes an alias, so the question is asked once.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import NamedTuple

from rapidfuzz.distance import DamerauLevenshtein

from bot.client_short_forms import (
    company_endings,
    company_short_forms,
    latin_short_forms,
    ordinary_word,
    same_first_name,
    shop_owner_form,
)
from bot.parsing.names import COMPOUND_SURNAMES, ROMANISED_SURNAMES, SURNAMES, pinyin_syllables
from storage.records import Client

#: How many look-alikes a question offers (each a button).
MAX_CANDIDATES = 5

_CJK = re.compile(r"[\u3400-\u9fff]")
_NOT_WORD = re.compile(r"[^0-9a-z\u3400-\u9fff&]+")
_LATIN_TOKEN = re.compile(r"[a-z0-9&]+")

#: Titles and their canonical form: the same title in either script is the same title.
_TITLES: dict[str, str] = {}
for _canonical, _forms in {
    "总": ("总经理", "老总", "总", "zong", "laozong", "zongjingli"),
    "董": ("董事长", "董事", "董", "dong", "dongshizhang", "chairman"),
    "经理": ("经理", "jingli", "manager"), "总监": ("总监", "zongjian"), "总裁": ("总裁", "zongcai", "ceo"),
    "先生": ("先生", "xiansheng", "mr", "mister", "sir"),
    "女士": ("女士", "小姐", "太太", "夫人", "nvshi", "nushi", "xiaojie", "taitai",
           "ms", "mrs", "miss", "madam", "mdm"),
    "姐": ("姐", "jie"), "哥": ("哥", "ge"), "老师": ("老师", "laoshi", "teacher"), "老板": ("老板", "laoban", "boss"),
    "主任": ("主任", "zhuren", "director"), "行长": ("行长", "hangzhang", "president"),
    "会计": ("会计", "kuaiji", "accountant"), "阿姨": ("阿姨", "ayi", "auntie", "aunt"), "叔": ("叔", "shu", "uncle"),
    "书记": ("书记",), "局长": ("局长",), "处长": ("处长",), "科长": ("科长",), "院长": ("院长",), "校长": ("校长",),
    "厂长": ("厂长",), "律师": ("律师", "lawyer"), "医生": ("医生", "dr", "doctor"),
    "教授": ("教授", "prof", "professor"),
    "工": ("工",),
}.items():
    for _form in _forms:
        _TITLES[_form] = _canonical
_PINYIN_TITLES = ("xiansheng", "jingli", "laoshi", "laoban", "nvshi", "zong", "dong")
#: Titles written before the name.
_PREFIX_TITLES = {"小": "小", "老": "老", "阿": "阿"}
_LATIN_PREFIX_TITLES = {"mr", "mister", "mrs", "ms", "miss", "madam", "mdm", "dr", "prof", "xiao", "lao", "uncle",
                        "auntie", "aunt", "director", "president", "chairman", "manager", "boss", "sir"}
_ZH_SUFFIX_TITLES = sorted((t for t in _TITLES if _CJK.match(t)), key=len, reverse=True)
#: A company's legal suffix is a title too: 金河食品有限公司 is 金河食品.
_COMPANY_SUFFIXES_ZH = ("股份有限公司", "有限责任公司", "有限公司", "集团公司", "集团", "公司")
_COMPANY_SUFFIXES_EN = {"co", "ltd", "limited", "inc", "llc", "corp", "corporation", "plc", "company", "group"}
#: English titles that say only "a man" / "a woman": they fit X总 only when X is the only X.
_GENERIC = {"先生", "女士"}
#: Romanised surnames that are not Mandarin pinyin (Wong 黄/王, Chan 陈, Lee 李): a different
#: spelling here is a different person, never a typo.
_OTHER_ROMANISED = ROMANISED_SURNAMES
#: Surnames read otherwise than the character usually is (曾 zeng, 单 shan, 区 ou).
_SURNAME_READINGS = {"曾": "zeng", "单": "shan", "仇": "qiu", "解": "xie", "区": "ou", "朴": "piao", "查": "zha",
                     "盖": "ge", "尉": "yu", "乐": "yue", "缪": "miao", "覃": "qin", "翟": "zhai", "种": "chong",
                     "召": "shao", "繁": "po", "员": "yun", "秘": "bi", "黑": "he", "句": "gou", "不": "fou"}
#: The Mandarin readings of surnames romanised otherwise (Cantonese, Hokkien, Wade-Giles): Ho is 何
#: (he), Wong is 王 or 黄. Such a name is the same surname as those characters, so it is asked among
#: them, never filed under one of them by itself.
_READINGS = {
    "ho": "he", "wong": "wang huang", "chan": "chen", "lee": "li", "lau": "liu", "cheung": "zhang", "ng": "wu",
    "lam": "lin", "lim": "lin", "tan": "chen tan", "chow": "zhou", "chau": "zhou", "yip": "ye", "ip": "ye",
    "kwok": "guo", "leung": "liang", "yeung": "yang", "tsang": "zeng", "tse": "xie", "lai": "li lai",
    "fung": "feng", "cheng": "zheng cheng", "kwan": "guan", "choi": "cai", "chiu": "zhao", "mak": "mai",
    "hsu": "xu", "chang": "zhang", "hsieh": "xie", "tsai": "cai", "kuo": "guo", "chou": "zhou", "shum": "cen",
    "tam": "tan", "yau": "qiu you", "fong": "fang", "kong": "jiang kong", "mok": "mo", "poon": "pan",
    "pang": "peng pang", "siu": "xiao", "sze": "shi", "tong": "tang", "wan": "yun wen", "wai": "wei",
    "yuen": "yuan", "tsui": "xu", "chung": "zhong", "law": "luo", "lo": "lu luo", "lui": "lei lu", "hui": "xu",
    "ko": "gao", "ngai": "wei", "ngan": "yan", "woo": "wu", "young": "yang", "yiu": "yao", "chin": "qian chen",
    "ching": "cheng", "choy": "cai", "chui": "xu", "fok": "huo", "kok": "guo", "kwong": "kuang", "kung": "gong",
    "loh": "luo", "mui": "mei", "pun": "pan", "shek": "shi", "so": "su", "suen": "sun", "tai": "dai",
    "tin": "tian", "to": "du", "tsoi": "cai", "yam": "ren", "yung": "rong", "cheuk": "zhuo", "koo": "gu",
    "yeo": "yang", "quek": "guo", "goh": "wu", "teo": "zhang", "koh": "xu", "chua": "cai", "yap": "ye",
    "low": "liu", "soh": "su", "ong": "wang", "au": "ou", "sham": "shen", "tay": "zheng",
}
#: Surname sounds an RM's ear or keyboard confuses (南方口音 h/w, l/n, z/zh, c/ch, s/sh, -n/-ng).
_VOWELS = set("aeiouv")
_INITIAL = re.compile(r"([zcs]h|[bpmfdtnlgkhjqxrzcsyw]?)(.*)")
_SOUND_ALIKE = [("huang", "wang"), ("zh", "z"), ("ch", "c"), ("sh", "s"), ("ng", "n"), ("l", "n"), ("f", "h")]


@dataclass(frozen=True)
class NameKeys:
    """A name's normal forms: as written, its core without title, the title, and the pinyin."""

    written: str                # lowercase, without spaces and punctuation
    cjk: bool                   # written in Chinese characters
    core: str                   # without title ("刘", "liu", "sarahwong"), in its own script
    title: str                  # the canonical title ("总", "女士") or ""
    spoken: str                 # the core as toneless pinyin syllables without spaces ("liu", "liufang")
    spoken_forms: frozenset[str]  # the core in pinyin, with each reading of the surname ("zengli", "cengli")
    surname: str                # the core's surname in its own script ("刘", "liu"), or ""
    surname_sounds: frozenset[str]  # the surname's possible readings ("zeng", "ceng" for 曾)
    tokens: tuple[str, ...]     # Latin tokens of the core (for typos)

    @property
    def bare_surname(self) -> bool:
        """The core is only a surname ("刘", "Liu"): it may mean any client of that surname."""
        return bool(self.core) and self.core == self.surname


@dataclass(frozen=True)
class ClientMatch:
    """exact/alias: file under clients[0]; ask: one tap among clients or "new client <name>";
    new: nobody looks like it; none: the note names no client."""

    kind: str
    clients: tuple[Client, ...] = ()
    name: str | None = None
    reason: str = ""

    @property
    def client(self) -> Client | None:
        return self.clients[0] if self.kind in ("exact", "alias") else None

    def to_json(self) -> dict:
        return {"kind": self.kind, "candidates": [c.name for c in self.clients]}



def _pinyin(text: str) -> list[str]:
    """The toneless reading; pypinyin is imported at the first Chinese name, not at start-up."""
    from bot.pinyin import toneless

    return toneless(text)

def _romanised(token: str) -> bool:
    """A token that is a Chinese syllable or surname in some romanisation (Liu, Wong, Zhuo)."""
    return token in _OTHER_ROMANISED or token in pinyin_syllables()


@lru_cache(maxsize=65536)
def name_keys(name: str) -> NameKeys:
    lowered = name.strip().lower()
    written = _NOT_WORD.sub("", lowered)
    if _CJK.search(written):
        return _cjk_keys(written)
    return _latin_keys(written, _LATIN_TOKEN.findall(lowered))


def _cjk_keys(written: str) -> NameKeys:
    core, title = written, ""
    for suffix in _COMPANY_SUFFIXES_ZH:
        if core.endswith(suffix) and len(core) > len(suffix) + 1:
            core, title = core[: -len(suffix)], "公司"
            break
    if not title:
        for suffix in _ZH_SUFFIX_TITLES:
            if core.endswith(suffix) and len(core) > len(suffix):
                core, title = core[: -len(suffix)], _TITLES[suffix]
                break
    if not title and len(core) >= 2 and core[0] in _PREFIX_TITLES and core[1:2] != core[0]:
        core, title = core[1:], _PREFIX_TITLES[core[0]]
    surname = ""
    if _CJK.match(core):
        surname = (core[:2] if core[:2] in COMPOUND_SURNAMES else core[0]) if title != "公司" else ""
    syllables = _pinyin(core)
    sounds: set[str] = set()
    if surname:
        if len(surname) == 1:
            sounds = {_pinyin(surname)[0], *_SURNAME_READINGS.get(surname, "").split()}
        else:
            sounds = {"".join(_pinyin(surname))}
    spoken = "".join(syllables)
    rest = "".join(_pinyin(core[len(surname):])) if surname else ""
    forms = {spoken} | {reading + rest for reading in sounds} if len(surname) == 1 else {spoken}
    return NameKeys(written, True, core, title, spoken, frozenset(forms), surname, frozenset(sounds), tuple(syllables))


def _latin_keys(written: str, tokens: list[str]) -> NameKeys:
    title = ""
    if len(tokens) > 1 and tokens[0] in _LATIN_PREFIX_TITLES and tokens[0] in _TITLES:
        title, tokens = _TITLES[tokens[0]], tokens[1:]
    elif len(tokens) > 1 and tokens[0] in ("xiao", "lao"):
        title, tokens = ("小" if tokens[0] == "xiao" else "老"), tokens[1:]
    while len(tokens) > 1 and tokens[-1] in _COMPANY_SUFFIXES_EN:
        title, tokens = "公司", tokens[:-1]
    if not title and len(tokens) > 1 and tokens[-1] in _TITLES:
        title, tokens = _TITLES[tokens[-1]], tokens[:-1]
    if not title and len(tokens) == 1:  # "liuzong": a surname and a pinyin title run together
        for form in _PINYIN_TITLES:
            head = tokens[0][: -len(form)]
            if tokens[0].endswith(form) and head in pinyin_syllables():
                title, tokens = _TITLES[form], [head]
                break
    core = "".join(tokens)
    surname = ""
    if title != "公司" and tokens:
        # pinyin names put the surname first (Liu Fang); English names last (Sarah Wong)
        surname = tokens[0] if _romanised(tokens[0]) else tokens[-1]
    sounds = frozenset({surname, *_READINGS.get(surname, "").split()}) if surname else frozenset()
    return NameKeys(written, False, core, title, core, frozenset({core}), surname, sounds, tuple(tokens))


def _names(client: Client) -> Iterable[tuple[str, bool]]:
    yield client.name, False
    for alias in client.aliases:
        yield alias, True


def _same_core(q: NameKeys, n: NameKeys) -> bool:
    if not q.core or not n.core:
        return False
    if q.cjk == n.cjk:
        return q.core == n.core
    return bool(q.spoken_forms & n.spoken_forms)


def _same_surname(q: NameKeys, n: NameKeys) -> bool:
    if not q.surname or not n.surname:
        return False
    if q.cjk and n.cjk:
        return q.surname == n.surname
    return bool(q.surname_sounds & n.surname_sounds)


def _rival(q: NameKeys, n: NameKeys) -> bool:
    """Another client a surname-only name could mean: the same surname, in either script and any
    romanisation (He, Ho and 何 are one surname)."""
    return _same_surname(q, n)


@lru_cache(maxsize=65536)
def _sounds_alike(a: str, b: str) -> bool:
    """Syllables an ear confuses: the same but for an accent pair (zh/z, -ng/-n, l/n, huang/wang), or
    the same initial with a final one edit apart (li/liu, cheng/chen) or two vowels apart (zhou/zhao).
    Song and Sun are not alike."""
    norm_a, norm_b = a, b
    for x, y in _SOUND_ALIKE:
        norm_a, norm_b = norm_a.replace(x, y), norm_b.replace(x, y)
    if norm_a == norm_b:
        return True
    match_a, match_b = _INITIAL.match(a), _INITIAL.match(b)
    assert match_a is not None and match_b is not None  # the pattern matches any string
    (initial_a, final_a), (initial_b, final_b) = match_a.groups(), match_b.groups()
    if _normal_initial(initial_a) != _normal_initial(initial_b) or not final_a or not final_b:
        return False
    distance = DamerauLevenshtein.distance(final_a, final_b)
    vowels_only = set(final_a + final_b) <= _VOWELS
    return distance <= 1 or (vowels_only and distance <= 2)


def _normal_initial(initial: str) -> str:
    for x, y in _SOUND_ALIKE[1:]:
        initial = initial.replace(x, y)
    return initial


#: Pairs a pinyin input method's fuzzy setting (模糊音) treats as one: typing one gives the other's characters.
_FUZZY_PINYIN = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("ng", "n"), ("l", "n"), ("f", "h"))
_KEYBOARD_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


def _adjacent_keys(a: str, b: str) -> bool:
    for row_index, row in enumerate(_KEYBOARD_ROWS):
        if a in row:
            column = row.index(a)
            for other_index in (row_index - 1, row_index, row_index + 1):
                if 0 <= other_index < len(_KEYBOARD_ROWS):
                    other = _KEYBOARD_ROWS[other_index]
                    if b in other and abs(other.index(b) - column) <= 1:
                        return True
    return False


@lru_cache(maxsize=65536)
def _surname_slip(a: str, b: str) -> bool:
    """Two surname readings one slip of typing apart: the same sound (章/张 zhang, an input method's
    wrong character), a fuzzy-pinyin pair (程/陈 cheng/chen, 曾/郑 zeng/zheng), or one keystroke
    (li/liu a letter dropped, zhuo/zhou two swapped, a neighbouring key). 周/赵 (zhou/zhao), 黄/王
    (huang/wang) and 程/张 (cheng/zhang) are other surnames, not slips, and offer no candidate."""
    if a == b:
        return True
    norm_a, norm_b = a, b
    for x, y in _FUZZY_PINYIN:
        norm_a, norm_b = norm_a.replace(x, y), norm_b.replace(x, y)
    if norm_a == norm_b:
        return True
    if DamerauLevenshtein.distance(a, b) != 1 or min(len(a), len(b)) < 2:
        return False
    if len(a) != len(b):
        return True     # a letter dropped or doubled
    differing = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    return len(differing) == 2 or _adjacent_keys(*differing[0])   # two swapped, or a neighbouring key


def _surname_alike(q: NameKeys, n: NameKeys) -> bool:
    """Another surname one slip of typing away (章/张, 程/陈, 李/刘 li/liu, Zhuo/Zhou) on a name that is
    otherwise the same: the same title (李总/刘总), both surnames alone, or the same given name."""
    q_given, n_given = _given(q), _given(n)
    if q_given and q_given == n_given:   # Eric Sham / Eric Shum: with the same given name, one edit is enough
        return any(_sounds_alike(a, b) or DamerauLevenshtein.distance(a, b) == 1
                   for a in q.surname_sounds for b in n.surname_sounds)
    if not any(_surname_slip(a, b) for a in q.surname_sounds for b in n.surname_sounds):
        return False
    if q.title and q.title == n.title:
        return True
    return q.bare_surname and n.bare_surname and (not q.title or not n.title)


def _given_syllables(keys: NameKeys) -> list[str]:
    if keys.cjk:
        return list(keys.tokens[len(keys.surname):]) if keys.surname else []
    tokens = list(keys.tokens)
    if keys.surname in tokens:
        tokens.remove(keys.surname)
    return tokens


def _given_alike(q: NameKeys, n: NameKeys) -> bool:
    """Could be the same person by the given name: one side has none (刘总 / 刘芳), or they sound
    alike syllable by syllable (刘芳 / 刘方, Li Wei / Li Wen). 刘强 is not 刘芳."""
    a, b = _given_syllables(q), _given_syllables(n)
    if not a or not b:
        return True
    return len(a) == len(b) and all(_sounds_alike(x, y) for x, y in zip(a, b, strict=True))


def _full_name_against_title(q: NameKeys, n: NameKeys) -> bool:
    """刘芳 written while the list has only 刘总: a full name names a person, and 刘总 is not shown to be
    her (that would be an alias of 刘总), so she is a new client, not a question about 刘总."""
    return bool(_given_syllables(q)) and not _given_syllables(n) and q.title != "公司"


def _given(keys: NameKeys) -> str:
    """The given name in pinyin (芳 → fang for 刘芳; fang for Liu Fang)."""
    if keys.cjk:
        return "".join(keys.tokens[len(keys.surname):]) if keys.surname else ""
    tokens = list(keys.tokens)
    if keys.surname in tokens:
        tokens.remove(keys.surname)
    return "".join(tokens)


def _titles_fit(q: NameKeys, n: NameKeys) -> str:
    """How two titles fit: "same", "loose" (one has none), "generic" (Mr vs 总), or ""."""
    if q.title == n.title:
        return "same"
    if not q.title or not n.title:
        return "loose"
    if "公司" in (q.title, n.title):
        return ""
    pair = {q.title, n.title}
    if pair == {"先生", "女士"}:
        return ""
    if pair & _GENERIC and q.cjk != n.cjk:
        return "generic"
    return ""


def _typo(q: NameKeys, n: NameKeys) -> bool:
    """A slip inside a Latin-script name (Sara Wong / Sarah Wong), never another Chinese syllable."""
    if q.cjk or n.cjk or len(q.tokens) != len(n.tokens) or q.title != n.title or len(q.core) < 6:
        return False
    differing = [(a, b) for a, b in zip(q.tokens, n.tokens, strict=True) if a != b]
    if len(differing) != 1:
        return False
    a, b = differing[0]
    if min(len(a), len(b)) < 3 or max(len(a), len(b)) < 4 or a[0] != b[0] or _romanised(a) or _romanised(b):
        return False
    return DamerauLevenshtein.distance(a, b) == 1


class _Index:
    """An RM's clients by every key a rule compares, so a note looks at the few related names only.

    Kept between notes; when the RM's list changes by a few clients (a new client, an alias) it is
    updated in place rather than rebuilt."""

    def __init__(self, clients: Sequence[Client]) -> None:
        self.entries_of: dict[tuple, list[_Entry]] = {}
        self.by: dict[tuple, list[_Entry]] = defaultdict(list)
        self.sound_count: Counter[str] = Counter()
        self._needles: tuple[dict, list[int]] | None = None
        #: shorter words for clients (_short_forms_of): form → {client id: (client, kind)}
        self.shorts: dict[str, dict[int, tuple[Client, str]]] = defaultdict(dict)
        for client in clients:
            self.add(client)

    @property
    def sounds(self) -> Iterable[str]:
        return self.sound_count.keys()

    def add(self, client: Client) -> None:
        entries = []
        for n, is_alias in _names(client):
            keys = name_keys(n)
            if not keys.written:
                continue
            entry = _Entry(client, n, is_alias, keys)
            entries.append(entry)
            for key in _cached_index_keys(n):
                self.by[key].append(entry)
            self.sound_count.update(keys.surname_sounds)
            for form, kind in _short_forms_of(n.strip()):
                self.shorts[form].setdefault(client.id, (client, kind))
        self.entries_of[_client_key(client)] = entries
        self._needles = None

    def remove(self, client_key: tuple) -> None:
        for entry in self.entries_of.pop(client_key, ()):
            for key in _cached_index_keys(entry.name):
                kept = [e for e in self.by[key] if e is not entry]
                if kept:
                    self.by[key] = kept
                else:
                    del self.by[key]
            self.sound_count.subtract(entry.keys.surname_sounds)
            for sound in entry.keys.surname_sounds:
                if self.sound_count[sound] <= 0:
                    del self.sound_count[sound]
            for form, _ in _short_forms_of(entry.name.strip()):
                fits = self.shorts.get(form, {})
                fits.pop(entry.client.id, None)
                if not fits:
                    self.shorts.pop(form, None)
        self._needles = None

    def needles(self) -> tuple[dict[str, list[tuple[Client, str, bool, bool]]], list[int]]:
        """Names worth finding as written in a note, by their text (lowered unless an acronym)."""
        if self._needles is None:
            found: dict[str, list[tuple[Client, str, bool, bool]]] = defaultdict(list)
            for e in (e for entries in self.entries_of.values() for e in entries):
                n = e.name.strip()
                acronym = n.isascii() and n.isupper() and n.isalpha() and len(n) >= 2   # PHT, GRF
                if (n.isascii() and len(n.split()) < 2 and not acronym) or (not n.isascii() and len(n) < 2):
                    continue
                found[n if acronym else n.lower()].append((e.client, n, e.is_alias, acronym))
            self._needles = (dict(found), sorted({len(k) for k in found}))
        return self._needles

    def related(self, q: NameKeys) -> list[_Entry]:
        """Every entry any rule could relate to q (a superset; the rules decide)."""
        found: dict[int, _Entry] = {}
        keys = list(_index_keys(q))
        for sound in q.surname_sounds:
            keys += [("sound", other) for other in self.sounds if _sounds_alike(sound, other)]
        for key in keys:
            for entry in self.by.get(key, ()):
                found[id(entry)] = entry
        return list(found.values())


class _Entry(NamedTuple):
    client: Client
    name: str
    is_alias: bool
    keys: NameKeys


@lru_cache(maxsize=65536)
def _cached_index_keys(name: str) -> tuple[tuple, ...]:
    return tuple(_index_keys(name_keys(name)))


def _index_keys(k: NameKeys) -> Iterable[tuple]:
    yield ("written", k.written)
    if k.cjk:
        yield ("core", k.core)
        for form in k.spoken_forms:
            yield ("spoken", form)
        if k.surname:
            yield ("surname", k.surname)
        for i in range(len(k.core) - 1):
            yield ("bigram", k.core[i:i + 2])
    else:
        yield ("core", k.core)
        yield ("spoken", k.core)
        if k.tokens:
            yield ("typo", len(k.tokens), "".join(t[0] for t in k.tokens))
            yield ("first", k.tokens[0])
            yield ("last", k.tokens[-1])
    for sound in k.surname_sounds:
        yield ("sound", sound)


_INDEXES: dict[tuple, _Index] = {}
#: How many clients may differ for a kept index to be updated instead of built anew.
_UPDATE_LIMIT = 16


def _client_key(client: Client) -> tuple:
    return (client.id, client.name, client.aliases)


def _index(clients: Sequence[Client]) -> _Index:
    """The index of exactly these clients: kept, updated from a recent one, or built."""
    key = tuple(_client_key(c) for c in clients)
    index = _INDEXES.pop(key, None)
    if index is None:
        wanted = set(key)
        for old_key in list(_INDEXES)[-4:]:   # the latest used: likely this RM's list before a change
            old = _INDEXES[old_key]
            if len(old.entries_of.keys() ^ wanted) <= _UPDATE_LIMIT:
                del _INDEXES[old_key]
                for gone in old.entries_of.keys() - wanted:
                    old.remove(gone)
                for client in clients:
                    if _client_key(client) not in old.entries_of:
                        old.add(client)
                index = old
                break
    if index is None:
        index = _Index(clients)
    while len(_INDEXES) >= 64:
        _INDEXES.pop(next(iter(_INDEXES)))
    _INDEXES[key] = index     # the most recently used last
    return index


def match_client(name: str | None, clients: Sequence[Client]) -> ClientMatch:
    """The client a name as written in a note means, or the look-alikes to ask among."""
    return _fresh(_match_client(name, clients), clients)


def _fresh(match: ClientMatch, clients: Sequence[Client]) -> ClientMatch:
    """The caller's own Client values (the index may hold older ones with the same names)."""
    if not match.clients:
        return match
    by_id = {c.id: c for c in clients}
    return replace(match, clients=tuple(by_id.get(c.id, c) for c in match.clients))


def _match_client(name: str | None, clients: Sequence[Client]) -> ClientMatch:
    if not name or not name_keys(name).written:
        return ClientMatch("none")
    q = name_keys(name)
    related = _index(clients).related(q)
    exact = [(e.client, e.is_alias) for e in related if e.keys.written == q.written]
    exact_clients = tuple(sorted(_unique(c for c, _ in exact), key=lambda c: c.id))
    if len(exact_clients) == 1:
        return ClientMatch("alias" if all(a for _, a in exact) else "exact", exact_clients, name, "as written")
    if exact_clients:
        return ClientMatch("ask", exact_clients[:MAX_CANDIDATES], name, "several clients have this name")

    same: list[tuple[Client, str, bool]] = []
    for e in related:
        fit = _titles_fit(q, e.keys) if _same_core(q, e.keys) else ""
        if fit and all(c.id != e.client.id for c, _, _ in same):
            same.append((e.client, fit, e.is_alias))
    if len(same) == 1:
        client, fit, is_alias = same[0]
        # a surname alone, or with a title that only says man/woman (Mr, Ms), names the client only
        # when no other client has that surname (by sound, when the note is in the other script)
        needs_unique = fit == "generic" or (q.bare_surname and (fit == "loose" or q.title in _GENERIC)) \
            or (fit == "loose" and name_keys(client.name).bare_surname)
        rivals = needs_unique and any(e.client.id != client.id and _rival(q, e.keys) for e in related)
        if not rivals:
            return ClientMatch("alias" if is_alias else "exact", (client,), name, f"same name, title {fit}")
    typos = _unique(e.client for e in related if _typo(q, e.keys))
    if len(typos) == 1 and not same:
        return ClientMatch("exact", typos, name, "a typo in a Latin-script name")
    candidates = _look_alikes(q, related)
    if candidates:
        return ClientMatch("ask", tuple(candidates), name, "look-alikes")
    return ClientMatch("new", (), name, "nobody looks like it")


def look_alikes(name: str, clients: Sequence[Client], limit: int = MAX_CANDIDATES) -> list[Client]:
    """Clients a name could mean, closest first: same name, same surname, sound-alike surname,
    typos, names containing it."""
    q = name_keys(name)
    by_id = {c.id: c for c in clients}
    return [by_id.get(c.id, c) for c in _look_alikes(q, _index(clients).related(q), limit)]


def _look_alikes(q: NameKeys, related: list[_Entry], limit: int = MAX_CANDIDATES) -> list[Client]:
    best: dict[int, tuple[int, int, Client]] = {}
    for e in related:
        keys = e.keys
        score = 0
        if keys.written == q.written:
            score = 100
        elif _same_core(q, keys):
            score = 90
        elif _typo(q, keys):
            score = 85
        elif _nickname(q, keys):
            score = 84
        elif _same_surname(q, keys) and _given_alike(q, keys) and not _full_name_against_title(q, keys):
            both_given = bool(_given_syllables(q)) and bool(_given_syllables(keys))
            score = 82 if both_given else 80 if q.title and q.title == keys.title else 70
        elif _surname_alike(q, keys):
            score = 60
        elif _contains(q, keys):
            score = 50
        if score and score > best.get(e.client.id, (0,))[0]:
            best[e.client.id] = (score, e.client.id, e.client)
    ranked = sorted(best.values(), key=lambda item: (-item[0], item[1]))
    return [c for _, _, c in ranked[:limit]]


def _nickname(q: NameKeys, n: NameKeys) -> bool:
    """Mike Huang / Michael Huang, Kate Lee / Katherine Lee: one person by a nickname and the same
    surname, maybe; asked, never filed by itself and never a new client without the question."""
    if q.cjk or n.cjk or len(q.tokens) != 2 or len(n.tokens) != 2 or q.tokens[1] != n.tokens[1]:
        return False
    return q.tokens[0] != n.tokens[0] and same_first_name(q.tokens[0], n.tokens[0])


def _contains(q: NameKeys, n: NameKeys) -> bool:
    """金河 in 金河食品, Golden River in Golden River Foods: one name holds the other's core."""
    if q.cjk != n.cjk or not q.core or not n.core:
        return False
    if q.cjk:
        shorter, longer = sorted((q.core, n.core), key=len)
        return len(shorter) >= 2 and shorter in longer
    a, b = sorted((q.tokens, n.tokens), key=len)
    return bool(a) and len(a) < len(b) and (b[: len(a)] == a or b[-len(a):] == a) and len("".join(a)) >= 4


def _unique(clients: Iterable[Client]) -> tuple[Client, ...]:
    seen: dict[int, Client] = {}
    for c in clients:
        seen.setdefault(c.id, c)
    return tuple(seen.values())


def read_client_list(text: str) -> list[Client]:
    """A client list file: one client per line, aliases after tabs (`python -m bot parse --clients`)."""
    listed: list[Client] = []
    for line in text.splitlines():
        name, *aliases = [part.strip() for part in line.split("\t")]
        if name:
            listed.append(Client(len(listed) + 1, name, tuple(a for a in aliases if a)))
    return listed


def note_match_json(matches: Sequence[ClientMatch]) -> dict:
    """One note's matches as `client_match`: filed when every name is sure, else asked, new or none."""
    if len(matches) == 1:
        return matches[0].to_json()
    kinds = {m.kind for m in matches}
    kind = next(k for k in ("ask", "new", "alias", "exact", "none") if k in kinds)
    candidates = list(dict.fromkeys(c.name for m in matches for c in m.clients))
    return {"kind": kind, "candidates": candidates,
            "each": [{"name": m.name, **m.to_json()} for m in matches]}


def match_note(names: Sequence[str], text: str, clients: Sequence[Client]) -> list[ClientMatch]:
    """One match per client the note names.

    The parser's names come first. A client's own name or alias written in the note as is wins
    over a parser name around it ("金河食品的" → 金河食品, "Grace Wang TD" → Grace Wang), but not
    over the same name with another title (王总监 is not 王总). When the parser found no name, a
    client named in the note is the one: in full ("LC for Golden River Foods"), or by a shorter
    word for it (华信 for 华信科技有限公司, filed only when distinctive, else asked: see
    _short_mentions). A client named right after or before another by 和/与/跟/and is one more
    contact ("拜访华信科技和鑫源食品").
    """
    spans = [(start, end, _fresh(m, clients)) for start, end, m in _mention_spans(text, clients)]
    mentions = [m for _, _, m in spans]
    shorts_found: list[list[tuple[int, int, ClientMatch]]] = []

    def shorts() -> list[tuple[int, int, ClientMatch]]:   # read only when needed: it costs a scan
        if not shorts_found:
            taken = [(s, e) for s, e, _ in spans]
            shorts_found.append([(s, e, _fresh(m, clients)) for s, e, m in _short_mentions(text, clients, taken)])
        return shorts_found[0]

    matches: list[ClientMatch] = []
    used: set[int] = set()
    for name in names:
        found = match_client(name, clients)
        if found.client is None:
            inside = _mention_in(name, text, mentions)
            found = inside if inside is not None else _short_for(name, found, shorts())
        if found.client is not None and found.client.id in used:
            continue
        if found.client is not None:
            used.add(found.client.id)
        matches.append(found)
    if not matches:
        written = sorted(spans + shorts(), key=lambda item: item[0])
        if written:
            return _distinct([m for _, _, m in written])[:4]
        return [ClientMatch("none")]
    if not _JOINED.search(text):
        return matches
    joined = _joined_mentions(names, text, spans + shorts(), matches)
    return matches + joined if joined else matches


def _mentions(text: str, clients: Sequence[Client]) -> list[ClientMatch]:
    """Clients named as written in the note, in the order written (see _mention_spans)."""
    return [m for _, _, m in _mention_spans(text, clients)]


def _mention_spans(text: str, clients: Sequence[Client]) -> list[tuple[int, int, ClientMatch]]:
    """Clients named as written in the note: Chinese names of two characters or more, Latin names
    of two words or more (or an acronym in capitals: PHT), between word boundaries; longest first,
    never overlapping. A short form followed by other words than the client's full name (金河 in
    金河物流 for 金河食品) is asked."""
    lowered = text.lower()
    needles, lengths = _index(clients).needles()
    spans: list[tuple[int, int, Client, str, bool]] = []
    for start in range(len(text)):
        for length in lengths:
            end = start + length
            if end > len(text):
                break
            for key in {lowered[start:end], text[start:end]}:
                for client, n, is_alias, acronym in needles.get(key, ()):
                    if acronym and text[start:end] != n:
                        continue
                    if n.isascii() and (re.match(r"[a-z]", lowered[end:end + 1])
                                        or (start and re.match(r"[a-z]", lowered[start - 1]))):
                        continue
                    spans.append((start, end, client, n, is_alias))
    spans.sort(key=lambda s: (-(s[1] - s[0]), s[0]))
    taken: list[tuple[int, int]] = []
    result: list[tuple[int, int, ClientMatch]] = []
    for start, end, client, n, is_alias in spans:
        if any(start < e and end > s for s, e in taken):
            continue
        taken.append((start, end))
        if _cut_short(text, start, end, client):
            result.append((start, end, ClientMatch("ask", (client,), text[start:end], "a short form in a longer name")))
        else:
            result.append((start, end, ClientMatch("alias" if is_alias else "exact", (client,), n, "named as written")))
    result.sort(key=lambda item: item[0])
    return result


def _cut_short(text: str, start: int, end: int, client: Client) -> bool:
    """金河 written where the client is 金河食品 and the note goes on 金河物流: another company."""
    following = text[end:end + 1]
    if not _CJK.match(following):
        return False
    written = text[start:end]
    longer = [n for n, _ in _names(client) if n.startswith(written) and len(n) > len(written)]
    return bool(longer) and not any(text.startswith(n, start) for n in longer)


def _mention_in(name: str, text: str, mentions: list[ClientMatch]) -> ClientMatch | None:
    """A client named as written inside the parser's name, unless the name only adds another title."""
    for mention in mentions:
        written = mention.name or ""
        if mention.client is None or not written or (written.lower() not in name.lower()
                                                      and name.lower() not in written.lower()):
            continue
        q, m = name_keys(name), name_keys(written)
        if _same_core(q, m) and q.title != m.title and q.title:
            continue   # 王总监 is not 王总
        if q.cjk and len(name) > len(written) and name.startswith(written) and name[len(written):] in _TITLES:
            continue
        return mention
    return None


def find_clients(query: str, clients: Sequence[Client]) -> ClientMatch:
    """/client X and /forget X: one client when the name says so, else the ones to pick from."""
    return match_client(query, clients)


def closest_clients(name: str, clients: Sequence[Client], limit: int = 5) -> list[Client]:
    """The clients most like a name, for the "merge into…" buttons (look-alikes first, then the rest)."""
    alike = look_alikes(name, clients, limit)
    rest = [c for c in clients if c not in alike]
    return (alike + rest)[:limit]


# --- A client written shorter than on the list (华信, 新华印刷, 建国, 老周): bot.client_short_forms ---

#: What may stand right before a short form: a preposition or the end of a verb (去华信, 拜访华信, 联系华信).
_SHORT_BEFORE = set("去到在和跟与同给找见访约陪帮向对及了过系话、为是户")
#: What may follow a name: what the RM says next, a particle, a day, a role at the client.
_SHORT_AFTER = re.compile(
    r"的|说|讲|谈|聊|要|想|需|来|去|在|有|对|和|跟|与|及|、|那边|这边|方面|今天|明天|昨天|后天|下周|本周|这周|上周|"
    r"月底|老板|老总|财务|打算|计划|希望|表示|反馈|确认|准备|已经|已|还|也|都|又|再|刚|不|没|申请|办|做|开|续|签|"
    r"问|咨询|了解|提|称|觉得|同意|答应|来电|电话|回电|回复|发来|一起|上门|拜访|约|请|喝茶|吃饭|见面|了|这|那|"
    r"最近|目前|现在|正在|可能|应该|又|贷款|开户|存款|代发")
#: A place word after it: 华夏路, 建国路, 新华街 are streets, not clients.
_SHORT_PLACE_AFTER = re.compile(r"[路街道巷弄村镇县市区省桥门]")
#: What a person (not a word) does next: 建国说, 建国来电.
_SHORT_PERSON_AFTER = re.compile(r"说|讲|表示|来电|打电话|回电|问|想|要|希望|觉得|答应|同意|反馈|提到|称")
_SHORT_PERSON_BEFORE = set("和跟与同给找见访约陪帮")


#: The longest short form looked for in a note.
_SHORT_LONGEST = 10


def _short_fits(index: _Index, text: str) -> list[tuple[Client, str]]:
    """The clients a shorter word fits, and how: ("short", a company without its industry and legal
    endings), ("given", a person's two-character given name), ("familiar", 老周 and 小周 for a 周,
    or for 老周五金店). A word that is some client's full name or alias is no short form."""
    fits = index.shorts.get(text)
    if not fits or ("written", _NOT_WORD.sub("", text)) in index.by:
        return []
    return list(fits.values())


@lru_cache(maxsize=65536)
def _short_forms_of(name: str) -> tuple[tuple[str, str], ...]:
    keys = name_keys(name)
    if not keys.cjk:
        return tuple((form, "latin") for form in latin_short_forms(name))
    companies = company_short_forms(name)
    forms = [(form, "short") for form in companies if len(form) >= 2]
    owner = shop_owner_form(name)
    if owner:
        forms.append((owner, "familiar"))
    if not companies and keys.title != "公司" and len(keys.surname) == 1 and keys.surname in SURNAMES:
        forms += [("老" + keys.surname, "familiar"), ("小" + keys.surname, "familiar")]
        given = keys.core[1:]
        if not keys.title and len(given) == 2:
            forms.append((given, "given"))
    return tuple(forms)


def _short_mentions(text: str, clients: Sequence[Client],
                    taken: Sequence[tuple[int, int]]) -> list[tuple[int, int, ClientMatch]]:
    """Clients written shorter than on the list, outside the spans already taken: a distinctive
    company short form of one client files the note (华信 for 华信科技有限公司); a short form that is
    also a word or a place (新华, 东方), several clients' short form (华信 for 华信科技 and 华信贸易),
    a given name (建国) and 老/小 with a surname (老周) are asked, with every client they fit. A short
    form inside a longer word (中华信托, 华夏路) is no mention."""
    index = _index(clients)
    if not index.shorts:
        return []
    spans: list[tuple[int, int]] = []
    for start in range(len(text)):
        for end in range(min(len(text), start + _SHORT_LONGEST), start + 1, -1):
            if text[start:end] in index.shorts and _short_fits(index, text[start:end]):
                spans.append((start, end))
    spans += _latin_short_spans(text, index)
    spans.sort(key=lambda s: (-(s[1] - s[0]), s[0]))
    busy = list(taken)
    found: list[tuple[int, int, ClientMatch]] = []
    for start, end in spans:
        if any(start < e and end > s for s, e in busy):
            continue
        match = _short_mention(text, start, end, _short_fits(index, _short_key(text[start:end])))
        if match is not None:
            busy.append((start, end))
            found.append((start, end, match))
    return sorted(found, key=lambda item: item[0])


def _short_key(written: str) -> str:
    """The key of a short form as written: Chinese as is, English in lower case with single spaces."""
    return " ".join(written.lower().split()) if written.isascii() else written


def _latin_short_spans(text: str, index: _Index) -> list[tuple[int, int]]:
    """English short forms written capitalised as whole words (Golden River, Bluewave)."""
    words = list(re.finditer(r"[A-Za-z0-9][A-Za-z0-9&'.]*", text))
    spans = []
    for i, first in enumerate(words):
        if not first.group(0)[0].isupper():
            continue
        for j in range(min(len(words), i + 4), i, -1):
            between = text[first.start():words[j - 1].end()]
            if re.search(r"[^A-Za-z0-9&'. ]", between):
                continue
            end = words[j - 1].end() - (1 if between.endswith(".") else 0)
            if _short_fits(index, _short_key(text[first.start():end])):
                spans.append((first.start(), end))
                break
    return spans


def _short_mention(text: str, start: int, end: int, fits: list[tuple[Client, str]]) -> ClientMatch | None:
    written = text[start:end]
    before = text[start - 1] if start else ""
    if before and _CJK.match(before) and before not in _SHORT_BEFORE:
        return None     # 中华信托: the short form is inside another word
    rest = text[end:]
    if _SHORT_PLACE_AFTER.match(rest):
        return None     # 华夏路, 建国路: a street
    longer = ""
    if rest and _CJK.match(rest[0]) and not _SHORT_AFTER.match(rest):
        ending = next((e for e in company_endings() if rest.startswith(e)), "")
        if not ending:
            return None  # 华信托, 建国者: another word goes on
        longer = written + ending   # 华信贸易 when the client is 华信科技: maybe a sister company
    kinds = {kind for _, kind in fits}
    if kinds == {"given"} and ordinary_word(written) and not (
            _SHORT_PERSON_AFTER.match(rest) or before in _SHORT_PERSON_BEFORE):
        return None     # 建国 in 建国七十周年 is a word; 建国说 is a person
    candidates = _unique(c for c, _ in fits)[:MAX_CANDIDATES]
    if longer:
        return ClientMatch("ask", candidates, longer, _SISTER)
    if kinds == {"short"} and len(candidates) == 1 and not ordinary_word(written):
        return ClientMatch("exact", candidates, written, "a distinctive short form of one client")
    return ClientMatch("ask", candidates, written, "a short form: a word too, or several clients")


_SISTER = "a short form with another industry: maybe a sister company"


def _short_for(name: str, found: ClientMatch, shorts: list[tuple[int, int, ClientMatch]]) -> ClientMatch:
    """The parser's name is a short form found in the note (拜访华信 → 华信): filed when that is sure,
    else the short form's clients are asked with the look-alikes."""
    if found.kind not in ("new", "ask"):
        return found
    for _, _, short in shorts:
        if short.name != name or short.reason == _SISTER:
            continue    # 宏达机械 written in full, the list has 宏达建材: another company, as the parser read it
        if short.client is not None:
            return short
        candidates = _unique([*found.clients, *short.clients])[:MAX_CANDIDATES]
        return ClientMatch("ask", candidates, name, short.reason)
    return found


_JOINED = re.compile(r"\s*(?:和|与|跟|及|以及|还有|、|/|&|,?\s*and\s)\s*", re.IGNORECASE)


def _joined_mentions(names: Sequence[str], text: str, written: list[tuple[int, int, ClientMatch]],
                     matches: list[ClientMatch]) -> list[ClientMatch]:
    """Clients written next to a name the note holds, joined by 和/与/跟/、/and: 拜访华信科技和鑫源食品
    files both (a parser that stopped at the first name leaves the second to this)."""
    lowered = text.lower()
    anchors: list[tuple[int, int]] = []
    # the names filed (as written), and the parser's names no filed name lies inside (王总, 宏达机械)
    filed = [m.name for m in matches if m.client is not None and m.name]
    for name in filed + [n for n in names if not any(f.lower() in n.lower() for f in filed)]:
        at = lowered.find(name.lower())
        if at >= 0:
            anchors.append((at, at + len(name)))
    taken = {c.id for m in matches for c in m.clients}
    added: list[ClientMatch] = []
    grown = True
    while grown:
        grown = False
        for start, end, mention in written:
            if any(start < e and end > s for s, e in anchors) or any(c.id in taken for c in mention.clients):
                continue
            after = any((j := _JOINED.match(text, e)) and j.end() == start and j.end() > e for _, e in anchors)
            before = any((j := _JOINED.match(text, end)) and j.end() == s and j.end() > end for s, _ in anchors)
            if after or before:
                anchors.append((start, end))
                taken.update(c.id for c in mention.clients)
                added.append(mention)
                grown = True
    return added[:3]


def _distinct(matches: list[ClientMatch]) -> list[ClientMatch]:
    """One match per client: the first written."""
    seen: set[int] = set()
    kept = []
    for m in matches:
        ids = {c.id for c in m.clients}
        if ids and ids <= seen:
            continue
        seen |= ids
        kept.append(m)
    return kept

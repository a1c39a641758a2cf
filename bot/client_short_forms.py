"""The shorter words an RM writes for a client on the list: a company without its industry and legal
suffix (华信 for 华信科技有限公司, 新华印刷 for 新华印刷厂), a person's given name (建国 for 刘建国),
老/小 and the surname (老周 for 周敏), an English nickname (Mike for Michael).

Such a word may name the client or be an everyday word (中国, 东方, 新华 Xinhua, 建国 "founding a
nation"), so only a *distinctive* company short form (one no dictionary knows as a word or a place)
files a note by itself; every other short word is asked (bot.client_matching). Pure functions of a
name.
"""

from __future__ import annotations

import re
from functools import lru_cache

from bot.parsing.company_words import company_endings, company_short_forms, dictionary_word
from bot.parsing.names import SURNAMES

__all__ = ["company_endings", "company_short_forms", "latin_short_forms", "ordinary_word", "same_first_name",
           "shop_owner_form"]

_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")


#: What an English company name ends with besides its own words: its trade and legal form.
_LATIN_TAILS = frozenset("""
    co co. company ltd ltd. limited inc inc. llc corp corp. corporation plc group holdings holding trading traders
    foods food tech technology technologies logistics electronics textiles industries industrial international
    enterprises enterprise manufacturing garments apparel pharma pharmaceuticals engineering construction
    properties property shipping metals plastics packaging printing furniture motors auto parts hardware import
    export investments investment capital partners solutions systems services development developments materials
    chemicals imports exports & and sons bros brothers hk china asia
""".split())
_LATIN_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9&'.]*")


def latin_short_forms(name: str) -> list[str]:
    """The shorter names of an English company, lower case, longest first: Golden River Foods Co.
    → golden river foods, golden river; Bluewave Tech → bluewave. A single word is kept only when
    it is five letters or more (Acme is no short form of Acme Trading)."""
    words = _LATIN_WORD.findall(name)
    if len(words) < 2 or not name.isascii():
        return []
    forms = []
    while len(words) > 1 and words[-1].lower() in _LATIN_TAILS:
        words = words[:-1]
        forms.append(" ".join(words).lower())
    return [f for f in forms if " " in f or len(f) >= 5]


def shop_owner_form(name: str) -> str | None:
    """老周 for 老周五金店: the shop is named after its owner, and 老周 may be either (asked)."""
    written = "".join(_CJK_RUN.findall(name))
    if written == name.strip() and len(written) >= 3 and written[0] in "老小" and written[1] in SURNAMES:
        return written[:2]
    return None


@lru_cache(maxsize=65536)
def ordinary_word(word: str) -> bool:
    """A word a note may hold without naming anyone: a common word or a place (中国, 东方, 新华,
    华夏, 建国), or 老/小 and a surname (any 周 is 老周)."""
    if len(word) == 2 and word[0] in "老小阿" and word[1] in SURNAMES:
        return True
    return dictionary_word(word)


#: English nicknames and the formal names they stand for (Mike is Michael, Bill is William).
_NICKNAMES: dict[str, tuple[str, ...]] = {
    "michael": ("mike", "mick", "mickey", "mikey"), "william": ("bill", "will", "billy", "willie", "liam"),
    "robert": ("bob", "rob", "bobby", "robbie", "bert"), "anthony": ("tony",),
    "katherine": ("kate", "kathy", "katie", "kat"),
    "catherine": ("kate", "cathy", "katie", "cat"), "kathryn": ("kate", "kathy", "katie"),
    "elizabeth": ("liz", "beth", "lizzie", "betty", "eliza", "lisa"), "richard": ("rick", "dick", "richie", "rich"),
    "james": ("jim", "jimmy", "jamie"), "joseph": ("joe", "joey"), "thomas": ("tom", "tommy"),
    "christopher": ("chris", "kit"), "christine": ("chris", "tina", "chrissy"), "christina": ("chris", "tina"),
    "daniel": ("dan", "danny"), "david": ("dave", "davy"), "edward": ("ed", "eddie", "ted", "ned"),
    "matthew": ("matt",), "nicholas": ("nick", "nicky"), "samuel": ("sam", "sammy"), "samantha": ("sam",),
    "alexander": ("alex", "sandy", "xander"), "alexandra": ("alex", "sandra", "sandy"), "andrew": ("andy", "drew"),
    "benjamin": ("ben", "benny"), "charles": ("charlie", "chuck"), "jonathan": ("jon", "jonny"),
    "kenneth": ("ken", "kenny"), "lawrence": ("larry",), "patrick": ("pat",), "patricia": ("pat", "patty", "trish"),
    "peter": ("pete",), "stephen": ("steve",), "steven": ("steve",), "timothy": ("tim", "timmy"),
    "vincent": ("vince", "vinny"), "frederick": ("fred", "freddie"), "gregory": ("greg",), "jeffrey": ("jeff",),
    "raymond": ("ray",), "ronald": ("ron", "ronnie"), "donald": ("don", "donny"), "douglas": ("doug",),
    "gerald": ("gerry", "jerry"), "henry": ("harry", "hank"), "jennifer": ("jen", "jenny"),
    "jessica": ("jess", "jessie"), "margaret": ("maggie", "peggy", "meg", "margie"), "rebecca": ("becky", "becca"),
    "susan": ("sue", "susie"), "victoria": ("vicky", "tori"), "deborah": ("debbie", "deb"), "pamela": ("pam",),
    "cynthia": ("cindy",), "jacqueline": ("jackie",), "josephine": ("jo", "josie"),
    "theodore": ("ted", "teddy", "theo"),
    "zachary": ("zach", "zack"), "nathaniel": ("nate", "nat"), "nathan": ("nate",), "leonard": ("leo", "len", "lenny"),
    "philip": ("phil",), "phillip": ("phil",), "eugene": ("gene",), "abigail": ("abby",), "amanda": ("mandy",),
    "angela": ("angie",), "barbara": ("barb", "babs"), "dorothy": ("dot", "dottie"), "eleanor": ("ellie", "nora"),
    "florence": ("flo",), "gabriel": ("gabe",), "gabrielle": ("gabby",), "isabella": ("bella", "izzy"),
    "jacob": ("jake",), "judith": ("judy",), "kimberly": ("kim",), "leonardo": ("leo",), "louis": ("lou",),
    "madeleine": ("maddie",), "melissa": ("mel", "missy"), "melanie": ("mel",), "mitchell": ("mitch",),
    "nicole": ("nicky", "nikki"), "oliver": ("ollie",), "priscilla": ("cilla",), "ronaldo": ("ron",),
    "sebastian": ("seb",), "stanley": ("stan",), "stephanie": ("steph",), "terence": ("terry",),
    "valerie": ("val",), "walter": ("walt",), "wilson": ("will",), "winifred": ("winnie",), "yvonne": ("vonnie",),
}
_FORMAL_OF: dict[str, set[str]] = {}
for _formal, _short in _NICKNAMES.items():
    for _nick in _short:
        _FORMAL_OF.setdefault(_nick, set()).add(_formal)


def same_first_name(a: str, b: str) -> bool:
    """Two English first names one person may go by (Mike / Michael, Kate / Katherine, Bill / Will)."""
    a, b = a.lower(), b.lower()
    if a == b:
        return True
    forms_a = _FORMAL_OF.get(a, set()) | ({a} if a in _NICKNAMES else set())
    forms_b = _FORMAL_OF.get(b, set()) | ({b} if b in _NICKNAMES else set())
    return bool(forms_a & forms_b)

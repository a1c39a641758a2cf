"""Which client a name means: the few sure matches, and every look-alike asked (issue 11).

Rows are (the RM's client list, the name as written in the note, the expected kind, the client
names expected: the one filed under, or the candidates asked among, closest first), and the rule.
"""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.client_matching import ClientMatch, find_clients, match_client, match_note
from storage.records import Client


def clients(*names: str) -> list[Client]:
    """Clients from names; "name|alias|alias" gives aliases."""
    made = []
    for number, spec in enumerate(names, start=1):
        name, *aliases = spec.split("|")
        made.append(Client(number, name, tuple(aliases)))
    return made


LIU = ("刘总", "刘芳", "王经理", "Zhou Min", "Golden River Foods|金河食品", "陈建国", "陈丽", "Sarah Wong")

ROWS: list[tuple[tuple[str, ...], str, str, list[str], str]] = [
    # what matches on its own
    (LIU, "刘总", "exact", ["刘总"], "the exact name"),
    (LIU, "金河食品", "alias", ["Golden River Foods"], "an alias"),
    (LIU, "golden river foods", "exact", ["Golden River Foods"], "case and spacing do not matter"),
    (LIU, "Liu Zong", "exact", ["刘总"], "the pinyin of the whole name"),
    (LIU, "liu zong", "exact", ["刘总"], "lower-case pinyin of the whole name"),
    (LIU, "liuzong", "exact", ["刘总"], "pinyin run together"),
    (("刘总", "王经理"), "刘", "exact", ["刘总"], "the name without its title, the only 刘"),
    (("刘总", "王经理"), "Liu", "exact", ["刘总"], "the name without its title in pinyin, the only Liu"),
    (("陈总", "刘芳"), "Mr Chen", "exact", ["陈总"], "Mr X is X总 when that is the only 陈"),
    (("陈总", "刘芳"), "Mr. Chen", "exact", ["陈总"], "Mr. with a dot"),
    (("陈先生", "刘芳"), "Mr Chen", "exact", ["陈先生"], "Mr is 先生 in the other script"),
    (("陈先生", "陈丽"), "Mr Chen", "ask", ["陈先生", "陈丽"], "Mr or Ms and a surname fit any 陈: asked"),
    (("Mrs Chan", "May Chan"), "Ms Chan", "ask", ["Mrs Chan", "May Chan"], "Ms Chan may be May Chan"),
    (("何总", "Dr Ho"), "Mr He", "ask", ["何总", "Dr Ho"], "He and Ho are both 何"),
    (("Ms Tang", "Tan Wei"), "Tang", "exact", ["Ms Tang"], "the only Tang, in the same script"),
    (("胡总", "许艳"), "Mr Hu", "exact", ["胡总"], "许 is read hu only rarely: not a rival surname"),
    (("郭总", "Simon Kwok"), "Guo", "ask", ["郭总", "Simon Kwok"], "Kwok is 郭 in Cantonese: the same surname"),
    (("Li Laoshi", "刘芳"), "李老师", "exact", ["Li Laoshi"], "a title in pinyin is the title"),
    (("Bluewave Tech", "刘芳"), "Bluewave Tec", "exact", ["Bluewave Tech"], "a letter missing in a company word"),
    (("Eric Shum", "刘芳"), "Eric Sham", "ask", ["Eric Shum"], "Sham is another surname: asked, not taken for a typo"),
    (LIU, "刘芳女士", "exact", ["刘芳"], "the full name with a title added"),
    (LIU, "Liu Fang", "exact", ["刘芳"], "the full name in pinyin"),
    (LIU, "Zhou Min", "exact", ["Zhou Min"], "Latin exact"),
    (LIU, "周敏", "exact", ["Zhou Min"], "the characters of a pinyin-listed client"),
    (LIU, "Sara Wong", "exact", ["Sarah Wong"], "a typo inside a Latin-script name"),
    (LIU, "Golden River Food", "exact", ["Golden River Foods"], "a typo inside a company name"),
    (("金河食品", "刘总"), "金河食品有限公司", "exact", ["金河食品"], "a company without its legal suffix"),
    (("Golden River Foods Co., Ltd.", "刘总"), "Golden River Foods", "exact", ["Golden River Foods Co., Ltd."],
     "a company without Co., Ltd."),
    (("曾总", "刘芳"), "Zeng Zong", "exact", ["曾总"], "a surname with two readings (曾 zeng/ceng)"),
    (("王总经理", "刘芳"), "王总", "exact", ["王总经理"], "总经理 and 总 are the same title"),
    # a different surname character is asked, even when it sounds the same
    (LIU, "李总", "ask", ["刘总"], "李/刘 li~liu: asked, never filed under 刘总"),
    (("张总", "刘芳"), "章总", "ask", ["张总"], "章/张 sound the same: asked"),
    (("赵总", "刘芳"), "周总", "new", [], "周/赵 zhou~zhao: two surnames, no slip of typing (trial 2): not offered"),
    (("赵总", "刘芳"), "Zhou", "new", [], "Zhou is not Zhao: 赵总 is no candidate"),
    (("张总", "刘芳"), "Cheng", "new", [], "Cheng is not Zhang: 张总 is no candidate"),
    (("陈总", "刘芳"), "Cheng", "ask", ["陈总"], "Cheng/Chen: -ng/-n, a fuzzy-pinyin slip"),
    (("周总", "刘芳"), "Zhuo", "ask", ["周总"], "Zhuo/Zhou: two letters swapped"),
    (("张总", "刘芳"), "Zahng", "ask", ["张总"], "Zahng: a typo of Zhang"),
    (("曾总", "刘芳"), "郑总", "ask", ["曾总"], "曾/郑 zeng/zheng: a fuzzy-pinyin slip"),
    (("胡总", "刘芳"), "吴总", "new", [], "胡/吴 hu/wu: two surnames"),
    (("陈总", "刘芳"), "程总", "ask", ["陈总"], "程/陈 cheng~chen"),
    (("王总", "刘芳"), "黄总", "new", [], "黄/王 huang~wang: two surnames, not a slip of typing"),
    (("Wong Li", "刘芳"), "Wang Li", "ask", ["Wong Li"], "Wong may be 王: the same surname"),
    (LIU, "柳总", "ask", ["刘总"], "柳/刘 the same pinyin, another character"),
    (("张总", "刘芳"), "Zhang Zong", "exact", ["张总"], "pinyin cannot tell 章 from 张, and only 张 is listed"),
    (("张总", "章总"), "Zhang Zong", "ask", ["张总", "章总"], "pinyin that fits two clients is asked"),
    (("Wang Li", "刘芳"), "Wong Li", "ask", ["Wang Li"], "Wong is another romanisation, not a typo of Wang"),
    (LIU, "Zhuo Min", "ask", ["Zhou Min"], "Zhuo is another syllable, not a typo of Zhou"),
    (("Li Wei", "刘芳"), "Li Wen", "ask", ["Li Wei"], "Wei/Wen: another given name"),
    # the same surname with another title or given name is asked
    (LIU, "刘女士", "ask", ["刘总", "刘芳"], "刘女士 could be 刘芳, or a new 刘"),
    (LIU, "刘经理", "ask", ["刘总", "刘芳"], "another title"),
    (LIU, "小刘", "ask", ["刘总", "刘芳"], "小刘 is not 刘总"),
    (LIU, "刘董", "ask", ["刘总", "刘芳"], "刘董 is not 刘总"),
    (LIU, "王总", "ask", ["王经理", "Sarah Wong"], "王总 is not 王经理; Wong may be a 王"),
    (LIU, "刘", "ask", ["刘总", "刘芳"], "a surname alone with two 刘 on file"),
    (LIU, "Liu", "ask", ["刘总", "刘芳"], "a pinyin surname alone with two 刘 on file"),
    (LIU, "陈", "ask", ["陈建国", "陈丽"], "a surname alone"),
    (LIU, "Chen", "ask", ["陈建国", "陈丽"], "a pinyin surname alone"),
    (("陈总", "陈丽"), "Mr Chen", "ask", ["陈总", "陈丽"], "Mr Chen when 陈总 is not the only 陈"),
    (("刘总", "王经理"), "Ms Liu", "exact", ["刘总"], "Ms X is X总 when the only 刘"),
    (("刘先生", "王经理"), "刘女士", "ask", ["刘先生"], "先生 and 女士 are two people"),
    (LIU, "刘建国", "new", [], "a full name not on the list is a new client, not a question about 刘总 (trial 2)"),
    (LIU, "刘强", "new", [], "a full name: 刘芳 is someone else, 刘总 is not shown to be him"),
    (("刘总|刘强", "刘芳"), "刘强", "alias", ["刘总"], "刘总 known as 刘强 (an alias): filed there"),
    (("刘总", "王经理"), "刘芳", "new", [], "拜访刘芳 with only 刘总 on file: a new client (trial 2)"),
    (("刘总", "王经理"), "Liu Fang", "new", [], "the full name in pinyin: a new client too"),
    (("刘芳", "王经理"), "刘强", "new", [], "two full names with other given names are two people"),
    (LIU, "陈建华", "new", [], "another given name, nothing alike: a new client"),
    (LIU, "陈剑国", "ask", ["陈建国"], "a given name that sounds the same (an input-method slip) is asked"),
    (LIU, "刘方", "ask", ["刘芳"], "刘方 sounds like 刘芳; 刘总 is no candidate for a full name"),
    (LIU, "Fang", "new", [], "a given name alone finds nobody by surname"),
    (LIU, "金河", "ask", ["Golden River Foods"], "part of a company name"),
    # nobody alike: a new client
    (LIU, "Smith", "new", [], "nobody alike"),
    (LIU, "孙总", "new", [], "another surname that sounds nothing alike"),
    (("孙总", "刘芳"), "Mr. Song", "new", [], "Song and Sun are two surnames, not an accent apart"),
    (("王经理", "刘芳"), "黄总", "new", [], "黄/王 with two other titles are two people"),
    ((), "刘总", "new", [], "no clients yet"),
    # several clients with the same name
    (("刘总|老刘", "刘总经理|老刘"), "老刘", "ask", ["刘总", "刘总经理"], "an alias two clients share"),
]


def test_table_has_no_duplicates():
    counts = Counter((listed, name) for listed, name, _, _, _ in ROWS)
    assert not [key for key, count in counts.items() if count > 1]


@pytest.mark.parametrize(("listed", "name", "kind", "expected"),
                         [pytest.param(*row[:4], id=row[4]) for row in ROWS])
def test_match(listed, name, kind, expected):
    found = match_client(name, clients(*listed))
    assert (found.kind, [c.name for c in found.clients]) == (kind, expected), found.reason


def test_no_name_is_none():
    assert match_client(None, clients(*LIU)).kind == "none"
    assert match_client("  ", clients(*LIU)).kind == "none"


def test_a_client_named_in_full_is_used_when_the_parser_found_no_name():
    found = match_note([], "LC for Golden River Foods", clients(*LIU))
    assert [(m.kind, m.client.name) for m in found] == [("exact", "Golden River Foods")]


def test_a_short_latin_name_inside_another_word_is_not_a_mention():
    assert match_note([], "Lima office opened", clients("Li", "刘总"))[0].kind == "none"


def test_two_names_are_two_matches():
    found = match_note(["刘总", "王经理"], "拜访刘总和王经理", clients(*LIU))
    assert [m.client.name for m in found] == ["刘总", "王经理"]


def test_find_clients_asks_for_a_surname_shared_by_several():
    assert find_clients("刘", clients(*LIU)).kind == "ask"
    assert find_clients("刘芳", clients(*LIU)).client.name == "刘芳"


def test_the_json_of_a_match():
    assert ClientMatch("ask", tuple(clients("刘总", "刘芳")), "刘").to_json() == {"kind": "ask",
                                                                               "candidates": ["刘总", "刘芳"]}


SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
TITLES = ["总", "经理", "女士", "先生", "姐", "哥", "董", ""]


@given(st.lists(st.tuples(st.sampled_from(SURNAMES), st.sampled_from(TITLES)), min_size=1, max_size=12, unique=True),
       st.sampled_from(SURNAMES), st.sampled_from(TITLES))
def test_a_chinese_name_is_filed_only_under_the_same_surname(listed, surname, title):
    """Whatever the list, a name never lands on a client of another surname character."""
    roster = clients(*(s + t for s, t in listed))
    found = match_client(surname + title, roster)
    if found.client is not None:
        assert found.client.name.startswith(surname) or found.client.name == surname + title


def test_the_callers_own_client_values_come_back():
    """The index of a client list is reused; the clients returned are the ones passed in now."""
    before = [Client(1, "刘总", tier="C"), Client(2, "王经理")]
    after = [Client(1, "刘总", tier="A"), Client(2, "王经理")]
    assert match_client("刘总", before).client.tier == "C"
    assert match_client("刘总", after).client.tier == "A"
    assert match_note([], "拜访刘总", after)[0].client.tier == "A"


@given(st.lists(st.tuples(st.sampled_from(SURNAMES), st.sampled_from(TITLES)), min_size=1, max_size=12, unique=True),
       st.data())
def test_a_listed_name_as_written_is_never_asked(listed, data):
    """The RM's own words for a client file the note at once, whatever look-alikes share the list."""
    roster = clients(*(s + t for s, t in listed))
    chosen = data.draw(st.sampled_from(roster))
    found = match_client(chosen.name, roster)
    assert (found.kind, found.client) == ("exact", chosen)


def test_a_known_client_elsewhere_never_replaces_the_name_the_parser_found():
    """"visited Smith, supplier of Golden River Foods" is about Smith: asked or new, never GRF."""
    found = match_note(["Smith"], "visited Smith, supplier of Golden River Foods", clients(*LIU))
    assert [m.kind for m in found] == ["new"]


LATIN_SURNAMES = ["Wang", "Wong", "Li", "Lee", "Liu", "Lau", "Chen", "Chan", "Zhang", "Cheung", "Huang", "Ho", "He",
                  "Zhou", "Chow", "Zhao", "Lin", "Lam", "Ng", "Wu", "Tan", "Tang", "Yip", "Ye"]
GIVEN_NAMES = ["Sarah", "David", "Helen", "Grace", "Tony", "Wei", "Fang", "Min", ""]


@given(st.lists(st.tuples(st.sampled_from(GIVEN_NAMES), st.sampled_from(LATIN_SURNAMES)), min_size=1, max_size=10,
                unique=True),
       st.sampled_from(GIVEN_NAMES), st.sampled_from(LATIN_SURNAMES), st.sampled_from(["", "Mr ", "Ms "]))
def test_a_latin_name_is_never_filed_under_another_surname(listed, given_name, surname, title):
    roster = clients(*(f"{g} {s}".strip() for g, s in listed))
    found = match_client(f"{title}{given_name} {surname}".strip(), roster)
    if found.client is not None:
        assert found.client.name.split()[-1] == surname, (found.client.name, found.reason)


@given(st.lists(st.tuples(st.sampled_from(SURNAMES), st.sampled_from(TITLES)), min_size=2, max_size=14, unique=True),
       st.integers(min_value=0, max_value=3), st.sampled_from(SURNAMES), st.sampled_from(TITLES))
def test_an_index_updated_after_a_change_matches_like_a_new_one(listed, dropped, surname, title):
    """The RM adds a client or an alias, or forgets one: the kept index gives the answers a fresh one would."""
    from bot import client_matching

    before = clients(*(s + t for s, t in listed))
    after = [*before[dropped:-1], Client(before[-1].id, before[-1].name, ("老" + before[-1].name,)),
             Client(999, surname + title)]
    query, note = surname + title, f"拜访老{before[-1].name}，谈贷款"
    match_client(query, before)                      # the index of the list before the change
    updated = (match_client(query, after), match_note([], note, after))
    client_matching._INDEXES.clear()
    fresh = (match_client(query, after), match_note([], note, after))
    assert updated == fresh
    assert any(m.client == after[-2] for m in fresh[1]), "the new alias is found as written"

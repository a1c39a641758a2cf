"""Profile facts in notes (issue 19): (note, expected facts, the rule it shows), both languages.

"today" is Wednesday 2026-11-25. Only the keys named in a row are checked; `family` lists
(relation, name, birthday "YYYY-MM-DD" / "MM-DD" / "L MM-DD" for lunar, age, occupation).
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.parsing import parse_note
from bot.parsing.profile import Birthday, find_profile
from tests.conftest import NOW

TODAY = date(2026, 11, 25)
TZ = ZoneInfo("Asia/Shanghai")


def _birthday(b: Birthday | None) -> str | None:
    if b is None:
        return None
    text = f"{b.month:02d}-{b.day:02d}"
    if b.year:
        text = f"{b.year}-{text}"
    return f"L {text}" if b.lunar else text


def _facts(text: str) -> dict:
    found = find_profile(text, TODAY)
    return {
        "family": [(m.relation, m.name, _birthday(m.birthday), m.age, m.occupation) for m in found.family],
        "hobbies": list(found.hobbies),
        "risk": found.risk_level,
        "channel": found.preferred_channel,
        "time": found.preferred_time,
        "cautions": list(found.cautions),
        "other_bank": [(a.product, a.amount, a.bank) for a in found.other_bank],
        "covers": [(c.insured, c.insured_name, c.kind, c.sum_insured, c.premium, c.term_years) for c in found.covers],
    }


ROWS: list[tuple[str, dict, str]] = [
    # family members
    ("刘总 女儿小雨 2010-06-01 在读高二", {"family": [("daughter", "小雨", "2010-06-01", None, "在读高二")]},
     "the issue's example: relation, name, solar birthday with year, school"),
    ("刘总的爱人张丽 生日农历八月十五", {"family": [("spouse", "张丽", "L 08-15", None, None)]},
     "lunar birthday in Chinese numerals"),
    ("王总儿子今年12岁，在实验中学读书", {"family": [("son", None, None, 12, "在实验中学读书")]},
     "age and school across a comma, no name"),
    ("陈姐母亲生日腊月初八", {"family": [("mother", None, "L 12-08", None, None)]}, "腊月初八 is lunar"),
    ("李总老公在华为工作", {"family": [("husband", None, None, None, "在华为工作")]}, "work"),
    ("刘总的太太王芳 3月8日生日", {"family": [("wife", "王芳", "03-08", None, None)]},
     "太太 after 的 is a wife; month-day without year"),
    ("王太太需要理财", {"family": []}, "王太太 is a client's title, not a wife"),
    ("王姐姐来电", {"family": []}, "王姐姐 is a name"),
    ("刘建国 女儿下周三生日 准备礼物", {"family": []},
     "trial 3 D3: a date word is never a name (no daughter called 下周); a relative date is no birthday"),
    ("刘总女儿小雨明天生日", {"family": [("daughter", "小雨", None, None, None)]},
     "near miss: the name is kept, the relative date is no birthday"),
    ("刘总女儿小周 在读高二", {"family": [("daughter", "小周", None, None, "在读高二")]},
     "near miss: 小周 is a name, not 周 a weekday"),
    ("Liu's daughter Emma birthday next Wednesday", {"family": [("daughter", "Emma", None, None, None)]},
     "English: the name is kept, a relative date is no birthday"),
    ("拜访刘总，和他爱人一起喝茶", {"family": []}, "a relation with nothing about them is no fact"),
    ("电话林总，他太太要开户", {"family": []}, "what the wife wants is not her name"),
    ("Mr Chen's daughter Emma, 12, studies at Hill School",
     {"family": [("daughter", "Emma", None, 12, "studies at Hill School")]}, "English: name, age, school"),
    ("visited Liu, his wife Lucy born 3 May 1980", {"family": [("wife", "Lucy", "1980-05-03", None, None)]},
     "born + day month year"),
    ("Wang's son Tom birthday March 4", {"family": [("son", "Tom", "03-04", None, None)]}, "month day"),
    ("Zhao's mother, lunar 8/15 birthday", {"family": [("mother", None, "L 08-15", None, None)]},
     "lunar M/D in English"),
    ("刘总生日3月5日", {"family": [("self", None, "03-05", None, None)]}, "the client's own birthday"),
    # risk levels
    ("王姐 风险偏好 稳健", {"risk": 2}, "稳健 with a risk cue is C2"),
    ("王姐 稳健型", {"risk": 2}, "稳健型 alone is a risk level"),
    ("孙总风险测评C4", {"risk": 4}, "C code with a cue"),
    ("赵总是进取型投资者", {"risk": 5}, "进取型"),
    ("周总风险承受能力保守", {"risk": 1}, "保守"),
    ("钱总 平衡型", {"risk": 3}, "平衡型"),
    ("Ms Lin risk profile balanced", {"risk": 3}, "English balanced is C3"),
    ("Mr Ye is an aggressive investor", {"risk": 5}, "aggressive investor"),
    ("Mr Hu risk level C2", {"risk": 2}, "C2 in English"),
    ("王总 不是进取型", {"risk": None}, "a negated level is no level"),
    ("刘总公司经营稳健", {"risk": None}, "稳健 without a risk cue or 型 is not a risk level"),
    ("刘总 C3", {"risk": 3}, "trial 3 D4: a name and a bare C3, as RMs jot it down, is the risk level"),
    ("刘建国C3", {"risk": 3}, "a bare code written against the name"),
    ("Zhou C4", {"risk": 4}, "English: a name and a bare code"),
    ("风险C3", {"risk": 3}, "a cue and the code"),
    ("Room C3", {"risk": None}, "near miss: a room, not a risk level"),
    ("停车场 C3", {"risk": None}, "near miss: a parking spot"),
    ("visited Liu at building C3", {"risk": None}, "near miss: C3 among other words without a cue is not read"),
    ("刘总 C3楼", {"risk": None}, "near miss: C3楼 is a floor"),
    ("刘建国 喜欢打高尔夫 风险等级稳健 喜欢微信联系 不喜欢上班时间接电话",
     {"hobbies": ["打高尔夫"], "risk": 2, "channel": "message", "time": "off_hours",
      "cautions": ["不喜欢上班时间接电话"]}, "trial 3 D4: facts split by spaces are each read, not only the first"),
    ("刘总 风险等级 稳健", {"risk": 2}, "near miss: a space inside one fact keeps it whole"),
    ("刘总 喜欢 微信联系", {"channel": "message", "hobbies": []}, "near miss: 喜欢 alone joins the words after it"),
    ("刘总 不要 上班时间打电话", {"cautions": ["不要 上班时间打电话"], "time": "off_hours"},
     "near miss: a caution cue alone joins the words after it"),
    ("陈总 说他不喜欢电话 只要微信", {"channel": "message", "cautions": ["不喜欢电话"]}, "只要微信 is the preferred channel"),
    ("刘总 只要贷款", {"channel": None}, "near miss: 只要 a product is no channel"),
    ("Mr Liu's wife prefers WeChat", {"channel": "message"}, "English preferred channel"),
    ("Zhou risk profile balanced, prefers phone calls after 6pm", {"risk": 3, "channel": "call", "time": "evening"},
     "trial 3: after 6pm is the evening"),
    ("刘总 喜欢晚上7点以后电话联系", {"channel": "call", "time": "evening"}, "7点以后 is the evening"),
    # preferences and cautions
    ("Mr Chen likes golf, don't call during office hours, prefers WeChat at lunch",
     {"hobbies": ["golf"], "cautions": ["don't call during office hours"], "channel": "message", "time": "lunch"},
     "the issue's English example"),
    ("Sarah Wong's husband David, birthday lunar 8/15, likes tennis", {"hobbies": []},
     "trial 3: the husband likes tennis; left out rather than filed as the client's hobby"),
    ("刘总的爱人张丽，喜欢瑜伽", {"hobbies": []}, "a clause with no subject after the spouse's is about the spouse"),
    ("刘总女儿小雨，刘总本人喜欢钓鱼", {"hobbies": ["钓鱼"]}, "near miss: the clause names the client again"),
    ("刘总不喜欢上班时间接电话", {"cautions": ["不喜欢上班时间接电话"], "time": "off_hours", "hobbies": []},
     "the seed: no calls in office hours is a caution and a time"),
    ("王姐喜欢微信联系", {"channel": "message", "hobbies": []}, "a preferred channel is not a hobby"),
    ("孙总最好中午打电话", {"channel": "call", "time": "lunch"}, "channel and time"),
    ("Mrs Huang prefers email", {"channel": "email"}, "prefers email"),
    ("Ye is best reached by phone in the evening", {"channel": "call", "time": "evening"}, "best reached by"),
    ("刘总和母亲账户分开，不要透露他的资产", {"cautions": ["不要透露他的资产"]}, "the seed's privacy caution"),
    ("拜访刘总，别忘了下周回访", {"cautions": []}, "别忘 is a reminder, not a caution"),
    ("电话王总，不需要贷款", {"cautions": []}, "a declined product is not a caution"),
    ("don't forget to call Liu", {"cautions": []}, "don't forget is not a caution"),
    # hobbies
    ("刘总喜欢钓鱼和书法", {"hobbies": ["钓鱼", "书法"]}, "two hobbies"),
    ("王姐爱好瑜伽", {"hobbies": ["瑜伽"]}, "爱好"),
    ("Mr Chen enjoys hiking and tennis", {"hobbies": ["hiking", "tennis"]}, "enjoys A and B"),
    ("李总 喜欢新基金", {"hobbies": []}, "liking a product is an interest (a need), not a hobby"),
    ("he likes new funds", {"hobbies": []}, "the seed's 'likes new funds' is a product interest"),
    # other banks
    ("刘总 他行理财 300万", {"other_bank": [("WEALTH", 3_000_000.0, None)]}, "他行 + product + amount"),
    ("王姐在招商银行有基金50万", {"other_bank": [("FUND", 500_000.0, "招商银行")]}, "a named bank"),
    ("Mr Ye has a 2m deposit at another bank", {"other_bank": [("DEPOSIT", 2_000_000.0, None)]},
     "product and amount before the marker"),
    ("刘总在招商银行上班", {"other_bank": [], "family": []}, "a bank with no product is not an asset"),
    # insurance cover
    ("刘总给女儿小雨买了重疾险，保额50万，年缴1万，20年",
     {"covers": [("daughter", "小雨", "critical_illness", 500_000.0, 10_000.0, 20)], "family": []},
     "the insured, kind, sum, premium and term across commas"),
    ("王姐有寿险 保额100万", {"covers": [("self", None, "life", 1_000_000.0, None, None)]}, "the client's own"),
    ("刘总爱人张丽买了百万医疗险", {"covers": [("spouse", "张丽", "medical", None, None, None)]}, "a named spouse"),
    ("拜访刘总，他有重疾险和寿险", {"covers": [("self", None, "critical_illness", None, None, None),
                                   ("self", None, "life", None, None, None)]}, "two kinds held"),
    ("Mr Chen has life insurance, sum insured 2m, premium 20k a year",
     {"covers": [("self", None, "life", 2_000_000.0, 20_000.0, None)]}, "English sum and premium"),
    ("拜访刘总，想给女儿买重疾险", {"covers": []}, "wanting cover is a need, not a policy held"),
    ("王姐有保险 50万", {"covers": []}, "no kind of cover: nothing guessed"),
    ("马总给儿子买了教育金，年缴5万", {"covers": [("son", None, "education", None, 50_000.0, None)]},
     "教育金 is cover without the word 险"),
    ("王姐有重疾险 50万", {"covers": [("self", None, "critical_illness", None, None, None)]},
     "an amount without 保额 or 保费 is left for the RM, not guessed"),
    # nothing
    ("拜访刘总，需要信用证，下周二回访", {"family": [], "hobbies": [], "risk": None, "channel": None, "time": None,
                                "cautions": [], "other_bank": []}, "an ordinary contact note has no facts"),
    ("visited Liu, follow up next Tuesday", {"family": [], "hobbies": [], "risk": None, "channel": None,
                                             "cautions": []}, "an ordinary English note has no facts"),
]


def test_rows_are_unique():
    duplicates = [text for text, count in Counter(text for text, _, _ in ROWS).items() if count > 1]
    assert not duplicates


@pytest.mark.parametrize("text,expected,reason", ROWS, ids=[row[0] for row in ROWS])
def test_profile_rule(text: str, expected: dict, reason: str):
    found = _facts(text)
    for key, value in expected.items():
        assert found[key] == value, f"{reason}: {key}"


# (note, expected parse fields, rule): how profile facts change the contact the note records
NOTE_ROWS: list[tuple[str, dict, str]] = [
    ("刘总 女儿小雨 2010-06-01 在读高二", {"client": "刘总", "occurred_on": None, "channel": None},
     "a date tied to a family member is a birthday, not a contact date; profile only is not a contact"),
    ("刘总的爱人张丽 生日农历八月十五", {"client": "刘总", "occurred_on": None, "follow_up_on": None},
     "a lunar birthday is no date of the note"),
    ("王姐 风险偏好 稳健", {"client": "王姐", "occurred_on": None}, "a risk level alone is not a contact"),
    ("Mr Chen likes golf, don't call during office hours, prefers WeChat at lunch",
     {"client": "Mr Chen", "channel": None, "occurred_on": None},
     "'call' in a caution and 'WeChat' in a preference are not the channel of a contact"),
    ("拜访刘总，女儿小雨在读高三，需要理财", {"client": "刘总", "channel": "visit", "occurred_on": "2026-11-25",
                                 "needs": ["WEALTH"]}, "a contact and a fact: both"),
    ("昨天电话王姐，她风险偏好稳健，下周二回访", {"client": "王姐", "channel": "call", "occurred_on": "2026-11-24",
                                   "follow_up_on": "2026-12-01"}, "contact, risk level and follow-up"),
    ("刘总 他行理财 300万", {"client": "刘总", "needs": [], "amount": None, "occurred_on": None},
     "an asset at another bank is neither a need nor the note's amount"),
    ("visited Liu, his wife Lucy born 3 May 1980", {"client": "Liu", "channel": "visit", "occurred_on": "2026-11-25"},
     "the wife's birth date is not the contact date"),
    ("拜访刘总，想给女儿买重疾险", {"needs": ["INSURANCE"], "channel": "visit"}, "wanting cover is a need"),
    ("拜访刘总，他有重疾险和寿险", {"needs": [], "channel": "visit"}, "cover held is not a need"),
]


@pytest.mark.parametrize("text,expected,reason", NOTE_ROWS, ids=[row[0] for row in NOTE_ROWS])
def test_profile_in_the_note(text: str, expected: dict, reason: str):
    parsed = parse_note(text, NOW, TZ).to_json()
    for key, value in expected.items():
        assert parsed[key] == value, f"{reason}: {key}"


def test_note_rows_are_unique():
    assert len({row[0] for row in NOTE_ROWS}) == len(NOTE_ROWS)


WORDS = ["女儿", "儿子", "爱人", "太太", "的", "小雨", "张丽", "2010-06-01", "农历", "八月十五", "腊月初八", "生日",
         "在读高二", "岁", "12", "风险偏好", "稳健", "C3", "型", "喜欢", "微信", "中午", "不要", "don't", "call",
         "prefers", "WeChat", "lunch", "likes", "golf", "daughter", "Emma", "born", "lunar", "8/15", "他行", "理财",
         "300万", "at another bank", ",", "，", " ", "刘总", "Mr Chen", "🙂", "<b>", "aged"]
notes = st.one_of(st.text(max_size=300), st.lists(st.sampled_from(WORDS), max_size=25).map(" ".join),
                  st.lists(st.sampled_from(WORDS), max_size=25).map("".join))


@settings(max_examples=400, deadline=None)
@given(text=notes, today=st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)))
def test_profile_never_raises_and_stays_in_range(text: str, today: date):
    found = find_profile(text, today)
    assert found.risk_level in (None, 1, 2, 3, 4, 5)
    assert found.preferred_time in (None, "morning", "lunch", "afternoon", "evening", "weekend", "off_hours")
    assert found.preferred_channel in (None, "visit", "call", "email", "message")
    for member in found.family:
        if member.birthday:
            assert 1 <= member.birthday.month <= 12 and 1 <= member.birthday.day <= 31
            assert member.birthday.year is None or member.birthday.year <= today.year
        assert all(0 <= s <= e <= len(text) for s, e in [member.span])
    assert all(len(words) <= 60 for words in found.hobbies + found.cautions)
    parsed = parse_note(text, datetime.combine(today, datetime.min.time(), timezone.utc), TZ)
    assert parsed.text == text

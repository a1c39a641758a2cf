"""The parsing contract of issue #2 as a table: (note, expected fields, the rule it shows).

"now" is Wednesday 2026-11-25 17:30 Asia/Shanghai; Monday of next week is 11-30.
Only the fields named in a row are checked.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.parsing import parse_note
from tests.conftest import NOW, SHARED

TZ = ZoneInfo("Asia/Shanghai")
XFAIL = "xfail"

ROWS: list[tuple[str, dict, str]] = [
    # channels
    ("visited Liu, needs LC", {"channel": "visit", "client": "Liu"}, "visited is a visit"),
    ("had lunch with Wang", {"channel": "visit", "client": "Wang"}, "lunch with is a visit"),
    ("coffee with Mrs. Huang", {"channel": "visit", "client": "Mrs. Huang"}, "coffee with, English honorific kept"),
    ("phoned Zhao about his loan", {"channel": "call", "needs": ["LOAN"]}, "phoned is a call"),
    ("rang Qian, wants FX hedging", {"channel": "call", "needs": ["FX"]}, "rang is a call"),
    ("emailed Golden River Foods", {"channel": "email", "client": "Golden River Foods"}, "emailed, company client"),
    ("texted Lin Fang", {"channel": "message", "client": "Lin Fang"}, "texted is a message"),
    ("SMS to Tang re card", {"channel": "message", "needs": ["CARD"]}, "SMS is a message"),
    ("上门拜访周总", {"channel": "visit", "client": "周总"}, "上门拜访"),
    ("和孙姐吃饭聊理财", {"channel": "visit", "client": "孙姐", "needs": ["WEALTH"]}, "和X吃饭"),
    ("通了电话,马总要开户", {"channel": "call", "needs": ["ACCOUNT"]}, "通了电话"),
    ("给欧阳经理发邮件", {"channel": "email", "client": "欧阳经理"}, "给X发邮件, two-character surname"),
    ("短信通知王先生存单到期", {"channel": "message", "needs": ["DEPOSIT"]}, "短信"),
    # dates
    ("visited Liu yesterday", {"occurred_on": "2026-11-24"}, "yesterday"),
    ("前天拜访刘总", {"occurred_on": "2026-11-23"}, "前天"),
    ("called Xie 3 days ago", {"occurred_on": "2026-11-22"}, "N days ago"),
    ("三天前电话谢姐", {"occurred_on": "2026-11-22"}, "N天前 with a Chinese numeral"),
    ("visited Liu, follow up tomorrow", {"follow_up_on": "2026-11-26"}, "tomorrow"),
    ("拜访刘总,后天回访", {"follow_up_on": "2026-11-27"}, "后天"),
    ("visited Liu, follow up day after tomorrow", {"follow_up_on": "2026-11-27"}, "day after tomorrow"),
    ("visited Liu, follow up next Tuesday", {"follow_up_on": "2026-12-01"}, "next <weekday> is next week's"),
    ("visited Liu, follow up next Thursday", {"follow_up_on": "2026-12-03"}, "next Thursday is not tomorrow"),
    ("拜访刘总,下周二回访", {"follow_up_on": "2026-12-01"}, "下周X"),
    ("拜访刘总,下星期五跟进", {"follow_up_on": "2026-12-04"}, "下星期X"),
    ("拜访刘总,本周五跟进", {"follow_up_on": "2026-11-27"}, "本周X"),
    ("拜访刘总,这周六再联系", {"follow_up_on": "2026-11-28"}, "这周X"),
    ("周二拜访杜总", {"occurred_on": "2026-11-24"}, "周X is this week's, here past"),
    ("上周三电话孙总", {"occurred_on": "2026-11-18"}, "上周X"),
    ("met Qian last Friday", {"occurred_on": "2026-11-20"}, "last <weekday>"),
    ("visited Zhao on Monday", {"occurred_on": "2026-11-23"}, "bare weekday, past contact: last occurrence"),
    ("visited Zhao, follow up Thursday", {"follow_up_on": "2026-11-26"}, "bare weekday, follow-up: next occurrence"),
    ("visited Zhao, follow up Wednesday", {"follow_up_on": "2026-12-02"}, "bare weekday equal to today: next week"),
    ("visited Liu, follow up this Friday", {"follow_up_on": "2026-11-27"}, "this <weekday>"),
    ("visited Liu, follow up in 3 weeks", {"follow_up_on": "2026-12-16"}, "in N weeks"),
    ("visited Liu, follow up in two months", {"follow_up_on": "2027-01-25"}, "in N months, word numeral"),
    ("拜访石总,两周后回访", {"follow_up_on": "2026-12-09"}, "两周后"),
    ("拜访石总,10天后回访", {"follow_up_on": "2026-12-05"}, "N天后"),
    ("拜访石总,三个月后回访", {"follow_up_on": "2027-02-25"}, "N个月后"),
    ("visited Liu, revisit next week", {"follow_up_on": "2026-11-30"}, "next week is Monday of next week"),
    ("拜访刘总,下周回访", {"follow_up_on": "2026-11-30"}, "下周 is Monday of next week"),
    ("visited Liu, follow up end of month", {"follow_up_on": "2026-11-30"}, "end of month"),
    ("电话王姐,月底前再联系", {"follow_up_on": "2026-11-30"}, "月底前"),
    ("拜访刘总,年底跟进", {"follow_up_on": "2026-12-31"}, "年底"),
    ("visited Liu, follow up end of year", {"follow_up_on": "2026-12-31"}, "end of year"),
    ("visited Du, follow up Dec 8", {"follow_up_on": "2026-12-08"}, "Dec 8"),
    ("visited Du, follow up 3 December", {"follow_up_on": "2026-12-03"}, "day month"),
    ("visited Du, follow up Jan 5", {"follow_up_on": "2027-01-05"}, "month day rolls to next year"),
    ("拜访杜总,12月3日跟进", {"follow_up_on": "2026-12-03"}, "12月3日"),
    ("拜访杜总,12月3号跟进", {"follow_up_on": "2026-12-03"}, "12月3号"),
    ("visited Liu, follow up the 28th", {"follow_up_on": "2026-11-28"}, "the 28th: next such day"),
    ("拜访刘总,20号回访", {"follow_up_on": "2026-12-20"}, "20号 already passed this month: next month"),
    ("visited Liu, call back tomorrow 3pm", {"follow_up_on": "2026-11-26", "follow_up_time": "15:00"}, "3pm"),
    ("拜访刘总,明天下午3点回电", {"follow_up_on": "2026-11-26", "follow_up_time": "15:00"}, "下午3点"),
    ("拜访刘总,下周一上午10点跟进", {"follow_up_on": "2026-11-30", "follow_up_time": "10:00"}, "上午10点"),
    ("visited Liu, follow up Friday 15:00", {"follow_up_on": "2026-11-27", "follow_up_time": "15:00"}, "15:00"),
    ("拜访刘总,周五下午2点半跟进", {"follow_up_time": "14:30"}, "下午2点半"),
    ("met Liu at 10am", {"follow_up_time": None, "follow_up_on": None}, "a time of the contact is no follow-up"),
    # roles: follow-up vs contact date vs plan
    ("visited Liu, LC expires Dec 3", {"occurred_on": "2026-11-25", "follow_up_on": "2026-12-03"}, "a future date is a follow-up"),
    ("Visited Han yesterday, follow up next Monday", {"occurred_on": "2026-11-24", "follow_up_on": "2026-11-30"}, "past and follow-up"),
    ("call Zhao tomorrow about the loan", {"occurred_on": None, "follow_up_on": "2026-11-26", "channel": "call"}, "plan only"),
    ("明天拜访孙总", {"occurred_on": None, "follow_up_on": "2026-11-26", "client": "孙总"}, "Chinese plan only"),
    ("call Ye on Friday about the guarantee", {"occurred_on": None, "follow_up_on": "2026-11-27"}, "plan with a bare weekday"),
    ("remind me to call Mr. Hu next Tuesday", {"occurred_on": None, "follow_up_on": "2026-12-01"}, "remind me: a plan"),
    ("三个月后提醒我给姚总打电话", {"occurred_on": None, "follow_up_on": "2027-02-25"}, "提醒: a plan"),
    ("今天上午拜访了刘总", {"occurred_on": "2026-11-25", "follow_up_on": None}, "today is the contact date"),
    ("visited Liu", {"occurred_on": "2026-11-25", "follow_up_on": None}, "the contact date defaults to today"),
    ("回电王总,理财到期", {"channel": "call", "client": "王总", "follow_up_on": None}, "回电 + a name is a contact"),
    # products and negation
    ("visited Dragon Auto Parts, need export LC and FX settlement", {"needs": ["LC", "FX"]}, "two products"),
    ("见了范氏公司财务,银承加贴现", {"needs": ["BA", "DISCOUNT"], "client": "范氏公司"}, "银承, 贴现, role word dropped"),
    ("quick call with Cheng, no need for a credit card", {"needs": []}, "negated need"),
    ("visited Liu, doesn't need a loan but wants a deposit", {"needs": ["DEPOSIT"]}, "negation stops at but"),
    ("电话程总,不需要信用卡", {"needs": []}, "不需要"),
    ("拜访钱总,不需要贷款,需要保函", {"needs": ["GUARANTEE"]}, "negation stays in its clause"),
    ("visited Liu, wants a mortgage", {"needs": ["MORTGAGE"]}, "mortgage"),
    ("拜访刘总,要办按揭", {"needs": ["MORTGAGE"]}, "按揭"),
    ("visited Liu, working capital", {"needs": ["LOAN"]}, "working capital is a loan"),
    ("拜访刘总,流贷展期", {"needs": ["LOAN"]}, "流贷 and 展期 are one need"),
    ("visited Liu, credit line renewal", {"needs": ["CREDIT_LINE"]}, "credit line"),
    ("拜访刘总,谈授信额度", {"needs": ["CREDIT_LINE"]}, "授信额度"),
    ("visited Liu, bank guarantee", {"needs": ["GUARANTEE"]}, "guarantee"),
    ("visited Liu, interested in wealth products", {"needs": ["WEALTH"]}, "wealth product"),
    ("visited Liu, likes funds", {"needs": ["FUND"]}, "plural synonym"),
    ("拜访刘总,保险续保", {"needs": ["INSURANCE"]}, "保险"),
    ("visited Liu, CD matures", {"needs": ["DEPOSIT"]}, "CD"),
    ("拜访刘总,大额存单", {"needs": ["DEPOSIT"]}, "大额存单"),
    ("visited Liu, wants a credit card", {"needs": ["CARD"]}, "credit card, not credit line"),
    ("visited Liu, payroll for 200 staff", {"needs": ["PAYROLL"], "amount": None}, "200 staff is a count"),
    ("拜访刘总,开通企业网银和现金管理", {"needs": ["EBANK"]}, "网银, 现金管理"),
    ("visited Liu, new company account opening", {"needs": ["ACCOUNT"]}, "account opening"),
    ("拜访刘总,结售汇", {"needs": ["FX"]}, "结售汇"),
    ("visited Liu, supply chain finance", {"needs": ["SCF"]}, "supply chain finance"),
    ("拜访石总,供应链融资", {"needs": ["SCF"]}, "供应链融资"),
    ("visited Liu, looking forward to next quarter", {"needs": []}, "looking forward is no FX forward"),
    # amounts
    ("called Wang, deposit 500k", {"amount": 500000}, "500k"),
    ("visited Liu, loan 2m", {"amount": 2000000}, "2m"),
    ("visited Liu, 1.5 million in funds", {"amount": 1500000}, "1.5 million"),
    ("拜访刘总,理财50万", {"amount": 500000}, "50万"),
    ("拜访刘总,贷款2000万", {"amount": 20000000}, "2000万"),
    ("拜访刘总,授信2亿", {"amount": 200000000}, "2亿"),
    ("visited Liu, RMB 3,000,000 deposit", {"amount": 3000000}, "RMB 3,000,000"),
    ("拜访刘总,贷款三百万", {"amount": 3000000}, "Chinese numeral amount"),
    ("visited Liu, follow up in 3 months", {"amount": None}, "3 months is not 3m"),
    ("拜访刘总,12月3日跟进", {"amount": None}, "a date is not an amount"),
    # names
    ("visited liu zong, needs LC", {"client": "liu zong"}, "pinyin honorific kept"),
    ("Met Fan Co. treasurer", {"client": "Fan Co."}, "company with Co."),
    ("visited 韩总, needs payroll, follow up 下周一", {"client": "韩总", "follow_up_on": "2026-11-30"}, "mixed"),
    ("拜访龙腾汽配,需要出口信用证", {"client": "龙腾汽配"}, "company name ends at the comma"),
    ("拜访刘总需要信用证", {"client": "刘总", "needs": ["LC"]}, "no comma: the name ends at the honorific"),
    ("微信联系林芳,要办房贷", {"client": "林芳"}, "微信联系X"),
    ("打电话给何经理", {"client": "何经理"}, "打电话给X"),
    ("visited Sun Li on Tuesday", {"client": "Sun Li", "occurred_on": "2026-11-24"}, "Sun is a surname, not Sunday"),
    ("<b>visited</b> Wang", {"client": "Wang"}, "markup is never a name"),
    # names come from where names are (issue 11): never function words, staff or verbs
    ("刘总今天电话里对报价不太满意", {"client": "刘总", "channel": "call"}, "里 after 电话 is no name"),
    ("陪行长拜访刘总", {"clients": ["刘总"]}, "行长 is the bank's own staff"),
    ("和同事一起拜访王总", {"clients": ["王总"]}, "同事 is staff"),
    ("领导带我拜访孙总", {"clients": ["孙总"]}, "领导 is staff"),
    ("跟主任去拜访赵总", {"clients": ["赵总"]}, "主任 alone is staff"),
    ("约了周总下周见面", {"client": "周总"}, "了 is no part of a name"),
    ("约了周总，谈贴现", {"client": "周总"}, "约了 + name, no channel word"),
    ("Met with the CFO of Golden River", {"client": "Golden River"}, "Met is a verb; the CFO of X names X"),
    ("Called Zhao about the loan", {"client": "Zhao"}, "Called is a verb"),
    ("wechat w/ wu li", {"client": "wu li", "channel": "message"}, "w/ is with; lower-case pinyin name"),
    ("visited Chen with my manager", {"clients": ["Chen"]}, "my manager is staff"),
    ("Hi Xiao Wang, thanks for your time", {"client": None}, "a greeting is no name"),
    # a note led by a follow-up verb or a date carries its client
    ("回访张总 下周二", {"client": "张总", "follow_up_on": "2026-12-01"}, "led by 回访"),
    ("跟进张总，月底前再联系", {"client": "张总", "follow_up_on": "2026-11-30"}, "led by 跟进"),
    ("三天后回访钱总", {"client": "钱总", "follow_up_on": "2026-11-28"}, "led by a date, then 回访"),
    ("下周三上门回访何总", {"client": "何总", "follow_up_on": "2026-12-02"}, "上门回访"),
    ("follow up with Zhang on Friday", {"client": "Zhang", "follow_up_on": "2026-11-27"}, "led by follow up with"),
    ("liu zong called back", {"client": "liu zong"}, "the name is the subject"),
    ("Zhang called, wants LC", {"client": "Zhang", "needs": ["LC"]}, "a capitalised subject"),
    ("I called Wang", {"client": "Wang"}, "I is no name"),
    ("send Wu the term sheet by Friday", {"client": "Wu"}, "the name after an errand verb"),
    ("Li laoshi wants a fund switch", {"client": "Li laoshi"}, "a pinyin title after a capitalised surname"),
    ("He Zhijun dinner, talked about M&A loan", {"client": "He Zhijun"}, "He is a surname before a pinyin given name"),
    ("张伟 来电 问换汇额度", {"client": "张伟"}, "the note opens with the name, then the verb"),
    ("赵老师 电话 孩子出国换汇", {"client": "赵老师"}, "the opening name beats words after the verb"),
    ("ma zong wants payroll", {"client": "ma zong"}, "lower-case pinyin name and title, no verb"),
    ("杨秀兰阿姨 买了国债", {"client": "杨秀兰阿姨"}, "a full name before a title"),
    ("王总监来访 问现金管理", {"client": "王总监"}, "总监 is a title of its own, not 总"),
    ("met Sarah Wong & Grace Wang for tea", {"clients": ["Sarah Wong", "Grace Wang"]}, "two full names joined by &"),
    ("何总和郭总一起吃饭", {"clients": ["何总", "郭总"]}, "a name joined before the one next to the verb"),
    ("Wendi Mak TD matured", {"client": "Wendi Mak"}, "TD is a product, not a name"),
    ("Hope to close the bond deal by Fri", {"client": None}, "Hope opening a sentence is a verb"),
    ("Lunch w Frank Kwan", {"client": "Frank Kwan"}, "Frank inside a name stays a name"),
    ("remind me to call Mr. Hu", {"client": "Mr. Hu"}, "remind me is no name"),
    # two clients in one note
    ("拜访刘总和王总", {"clients": ["刘总", "王总"]}, "和 joins two clients"),
    ("和刘总、王总吃饭", {"clients": ["刘总", "王总"]}, "、 joins two clients"),
    ("拜访刘总、王总和赵总", {"clients": ["刘总", "王总", "赵总"]}, "three clients"),
    ("met Liu and Wang", {"clients": ["Liu", "Wang"]}, "and joins two surnames"),
    ("met liu and wang", {"clients": ["liu", "wang"]}, "lower case too"),
    ("met Mr. Chen and Mrs. Li", {"clients": ["Mr. Chen", "Mrs. Li"]}, "two titled names"),
    ("拜访刘总和他的财务", {"clients": ["刘总"]}, "他的财务 is no second client"),
    ("visited Golden River and Sons", {"clients": ["Golden River and Sons"]}, "a company with and is one client"),
    # known gaps
    ("visited Liu, follow up a week from Friday", {"follow_up_on": "2026-12-04"}, XFAIL),
]


def _check_duplicates() -> None:
    counts = Counter(text for text, _, _ in ROWS)
    duplicates = [text for text, count in counts.items() if count > 1]
    assert not duplicates, f"duplicate rows: {duplicates}"


def test_table_has_no_duplicates():
    _check_duplicates()


@pytest.mark.parametrize(
    ("text", "expected"),
    [pytest.param(text, expected, id=reason if reason != XFAIL else text,
                  marks=[pytest.mark.xfail(strict=True, reason="known gap")] if reason == XFAIL else [])
     for text, expected, reason in ROWS],
)
def test_rule(text: str, expected: dict):
    parsed = parse_note(text, NOW, TZ)
    got = parsed.to_json()
    for field, value in expected.items():
        if field == "clients":
            assert list(parsed.clients) == value, parsed
        elif field == "needs":
            assert sorted(got["needs"]) == sorted(value), (field, got)
        else:
            assert got[field] == value, (field, got)


def _load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _norm(name: str | None) -> str | None:
    return None if name is None else "".join(ch for ch in name.lower() if ch.isalnum() or ch == "&")


def _assert_example(example: dict) -> None:
    got = parse_note(example["text"], NOW, TZ).to_json()
    assert _norm(got["client"]) in {_norm(name) for name in example["client"]}, got
    for field in ("channel", "occurred_on", "amount", "follow_up_on"):
        assert got[field] == example[field], (field, got)
    assert sorted(got["needs"]) == sorted(example["needs"]), got
    if "follow_up_time" in example:
        assert got["follow_up_time"] == example["follow_up_time"], got


EVAL = _load(Path(__file__).parent / "data" / "notes_eval.jsonl")
DEV_PATH = SHARED / "examples" / "notes_dev.jsonl"
DEV = _load(DEV_PATH) if DEV_PATH.exists() else []


@pytest.mark.parametrize("example", EVAL, ids=[e["text"][:40] for e in EVAL])
def test_evaluation_set(example: dict):
    """90 notes written independently of the parser, from the rules alone."""
    _assert_example(example)


@pytest.mark.skipif(not DEV, reason="shared examples not beside the repository")
@pytest.mark.parametrize("example", DEV, ids=[e["text"][:40] for e in DEV])
def test_shared_dev_examples(example: dict):
    _assert_example(example)


def test_timezone_decides_today():
    """23:30 UTC on the 24th is already the 25th in Shanghai, and still the 24th in New York."""
    late = datetime.fromisoformat("2026-11-24T23:30:00+00:00")
    assert parse_note("visited Liu", late, ZoneInfo("Asia/Shanghai")).to_json()["occurred_on"] == "2026-11-25"
    assert parse_note("visited Liu", late, ZoneInfo("America/New_York")).to_json()["occurred_on"] == "2026-11-24"

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
    ("visited Liu, LC application Dec 3", {"occurred_on": "2026-11-25", "follow_up_on": "2026-12-03"}, "a future date is a follow-up"),
    ("visited Liu, LC expires Dec 3", {"occurred_on": "2026-11-25", "follow_up_on": None},
     "an expiry date is the LC's, not a follow-up (was one until the held-out evaluation, brief dates2)"),
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
    # money: amount plus currency (issue #12)
    ("电话马总,三点五万的理财快到期了", {"amount": 35000, "currency": "CNY"}, "三点五万: 点 is a decimal point"),
    ("拜访刘总,存款两万五", {"amount": 25000}, "两万五: a lone digit after 万 is thousands"),
    ("拜访刘总,授信一亿两千万", {"amount": 120000000}, "一亿两千万: mixed 亿 and 万"),
    ("拜访刘总,贷款1亿2000万", {"amount": 120000000}, "1亿2000万: digits with units"),
    ("拜访刘总,贷款一百零五万", {"amount": 1050000}, "零 keeps the units place"),
    ("拜访刘总,存款壹拾贰万元", {"amount": 120000, "currency": "CNY"}, "大写 numerals"),
    ("拜访刘总,理财三千五百万", {"amount": 35000000}, "三千五百万"),
    ("电话王姐,手续费三块五", {"amount": 3.5, "currency": "CNY"}, "块 with a lone digit is 角"),
    ("电话王姐,费用3元5角2分", {"amount": 3.52}, "元/角/分"),
    ("拜访刘总,回款82，225.00元", {"amount": 82225, "currency": "CNY"}, "full-width thousands comma"),
    ("拜访刘总,存款１００万", {"amount": 1000000}, "full-width digits"),
    ("拜访刘总,贷款200-300万", {"amount": 2000000, "amount_max": 3000000}, "a range keeps both ends"),
    ("拜访刘总,贷款两三百万", {"amount": 2000000, "amount_max": 3000000}, "两三百万 is a range"),
    ("visited Liu, loan $2-3m", {"amount": 2000000, "amount_max": 3000000, "currency": "USD"}, "English range"),
    ("visited Liu, deposit 500k to 1m", {"amount": 500000, "amount_max": 1000000}, "range with two scales"),
    ("visited Liu, USD 500k deposit", {"amount": 500000, "currency": "USD"}, "USD before the number"),
    ("visited Liu, loan $2m", {"amount": 2000000, "currency": "USD"}, "$ is USD"),
    ("拜访刘总,美元100万", {"amount": 1000000, "currency": "USD"}, "美元 before the number"),
    ("拜访刘总,存了五十万美元", {"amount": 500000, "currency": "USD"}, "美元 after the number"),
    ("拜访孙总,需要港币贷款300万", {"amount": 3000000, "currency": "HKD"}, "港币 earlier in the clause"),
    ("微信祁总，美刀50万要结汇", {"amount": 500000, "currency": "USD"}, "美刀 (slang for US dollars) before the amount, in the same clause"),
    ("微信祁总，刀50万要结汇", {"amount": 500000, "currency": "CNY"}, "a bare 刀 counts only right after an amount; before it, the default currency"),
    ("拜访刘总,100万港币存款", {"amount": 1000000, "currency": "HKD"}, "港币 after the number"),
    ("visited Liu, HK$5m loan", {"amount": 5000000, "currency": "HKD"}, "HK$"),
    ("visited Liu, EUR 3 million LC", {"amount": 3000000, "currency": "EUR"}, "EUR, million"),
    ("拜访刘总,欧元存款20万", {"amount": 200000, "currency": "EUR"}, "欧元"),
    ("拜访刘总,日元贷款5000万", {"amount": 50000000, "currency": "JPY"}, "日元"),
    ("visited Liu, £200k deposit", {"amount": 200000, "currency": "GBP"}, "£ is GBP"),
    ("拜访刘总,英镑10万", {"amount": 100000, "currency": "GBP"}, "英镑"),
    ("visited Liu, ¥5000 fee", {"amount": 5000, "currency": "CNY"}, "¥ is CNY"),
    ("visited Liu, 2 billion RMB credit line", {"amount": 2000000000, "currency": "CNY"}, "billion, RMB"),
    ("拜访刘总,人民币300万", {"amount": 3000000, "currency": "CNY"}, "人民币"),
    ("visited Liu, deposit 50w", {"amount": 500000, "currency": "CNY"}, "w is 万; no currency word: the default"),
    ("拜访刘总,员工3万人", {"amount": None, "currency": None}, "3万人 counts people"),
    ("visited Liu, his mobile 13800138000", {"amount": None}, "a phone number is not money"),
    ("拜访刘总,利率3.5%", {"amount": None}, "a percentage is not money"),
    ("拜访刘总,3年期定期", {"needs": ["DEPOSIT"], "amount": None}, "3年期 is a term"),
    ("拜访刘总,公司2015年成立", {"amount": None}, "a year is not money"),
    ("拜访刘总,万一利率上调", {"amount": None}, "万一 is a word"),
    ("拜访刘总,千万别忘了", {"amount": None}, "千万 is a word"),
    # dates and times (issue #12)
    ("send Wu the term sheet by Friday, called him today about FX",
     {"occurred_on": "2026-11-25", "follow_up_on": "2026-11-27", "client": "Wu"}, "by Friday: a deadline follow-up"),
    ("visited Liu, send the proposal before Friday", {"follow_up_on": "2026-11-27"}, "before Friday"),
    ("visited Liu, docs due by Dec 3", {"follow_up_on": "2026-12-03"}, "by <month day>"),
    ("拜访刘总,周五前发方案", {"follow_up_on": "2026-11-27"}, "周五前: a deadline"),
    ("拜访刘总,下周三之前回复", {"follow_up_on": "2026-12-02"}, "下周三之前"),
    ("拜访刘总,12月3日前提交材料", {"follow_up_on": "2026-12-03"}, "12月3日前"),
    ("拜访刘总,15号前签合同", {"follow_up_on": "2026-12-15"}, "15号前: the next 15th"),
    ("昨晚8点拜访了赵总", {"occurred_on": "2026-11-24", "follow_up_on": None}, "昨晚 with a time"),
    ("拜访刘总,明晚8点回访", {"follow_up_on": "2026-11-26", "follow_up_time": "20:00"}, "明晚8点"),
    ("拜访刘总,明早9点回电", {"follow_up_on": "2026-11-26", "follow_up_time": "09:00"}, "明早9点"),
    ("拜访刘总,明天下午三点十五回访", {"follow_up_time": "15:15"}, "三点十五"),
    ("拜访刘总,明天15时20分回访", {"follow_up_time": "15:20"}, "15时20分"),
    ("拜访刘总,明天下午三点一刻回访", {"follow_up_time": "15:15"}, "一刻"),
    ("visited Liu, call back tomorrow 3:15 in the afternoon", {"follow_up_time": "15:15"}, "in the afternoon"),
    ("visited Liu, call back tomorrow half past 3 pm", {"follow_up_time": "15:30"}, "half past"),
    ("visited Liu, call back tomorrow at quarter to 4", {"follow_up_time": "15:45"}, "quarter to"),
    ("visited Liu, follow up wednesday next week", {"follow_up_on": "2026-12-02"}, "<weekday> next week"),
    ("visited Liu, follow up next week on Friday", {"follow_up_on": "2026-12-04"}, "next week on <weekday>"),
    ("visited Liu, follow up friday after next", {"follow_up_on": "2026-12-04"}, "after next: second from tomorrow"),
    ("visited Liu, follow up thursday after next", {"follow_up_on": "2026-12-03"}, "thursday after next"),
    ("visited Liu, follow up end of next week", {"follow_up_on": "2026-12-04"}, "end of next week is its Friday"),
    ("visited Liu, follow up end of the week", {"follow_up_on": "2026-11-27"}, "end of the week is Friday"),
    ("visited Liu, follow up on the 20th of next month", {"follow_up_on": "2026-12-20"}, "20th of next month"),
    ("拜访刘总,下个月9号回访", {"follow_up_on": "2026-12-09"}, "下个月9号"),
    ("拜访刘总,本月28日回访", {"follow_up_on": "2026-11-28"}, "本月28日"),
    ("上个月9号拜访了刘总", {"occurred_on": "2026-10-09"}, "上个月9号"),
    ("拜访刘总,周末再联系", {"follow_up_on": "2026-11-28"}, "周末 is Saturday"),
    ("拜访刘总,这周末再联系", {"follow_up_on": "2026-11-28"}, "这周末"),
    ("拜访刘总,下周末再联系", {"follow_up_on": "2026-12-05"}, "下周末 is next Saturday"),
    ("visited Liu, follow up this weekend", {"follow_up_on": "2026-11-28"}, "this weekend"),
    ("visited Liu, follow up next weekend", {"follow_up_on": "2026-12-05"}, "next weekend"),
    ("拜访刘总,下月中旬回访", {"follow_up_on": "2026-12-11"}, "中旬 is the 11th"),
    ("拜访刘总,下个月上旬回访", {"follow_up_on": "2026-12-01"}, "上旬 is the 1st"),
    ("拜访刘总,下旬回访", {"follow_up_on": "2026-12-21"}, "下旬 passed this month: next month's 21st"),
    ("拜访刘总,月中回访", {"follow_up_on": "2026-12-15"}, "月中 is the 15th"),
    ("拜访刘总,下月初回访", {"follow_up_on": "2026-12-01"}, "下月初"),
    ("拜访刘总,12月中旬回访", {"follow_up_on": "2026-12-11"}, "12月中旬"),
    ("拜访刘总,元旦前再联系", {"follow_up_on": "2026-12-31"}, "元旦前: last working day before"),
    ("拜访刘总,春节前回访", {"follow_up_on": "2027-02-04"}, "春节前: 除夕 is a holiday"),
    ("拜访刘总,年前回访", {"follow_up_on": "2027-02-04"}, "年前 is before Spring Festival"),
    ("拜访刘总,年后回访", {"follow_up_on": "2027-02-11"}, "年后: first working day after the holiday"),
    ("拜访刘总,节后回访", {"follow_up_on": "2027-01-04"}, "节后: after the next festival (元旦)"),
    ("拜访刘总,国庆后回访", {"follow_up_on": None},
     "国庆后 when this year's has passed: ten months ahead, asked (was 2027-10-06, brief dates2)"),
    ("拜访刘总,两年后续约", {"follow_up_on": "2028-11-25"}, "两年后 is in two years, not after Spring Festival"),
    ("visited Liu, follow up before Chinese New Year", {"follow_up_on": "2027-02-04"}, "before CNY"),
    ("visited Liu, follow up after the holidays", {"follow_up_on": "2027-01-04"}, "after the holidays"),
    ("拜访刘总,过两天再联系", {"follow_up_on": "2026-11-27"}, "过两天"),
    ("拜访刘总,半个月后回访", {"follow_up_on": "2026-12-10"}, "半个月后"),
    ("visited Liu, follow up mid Dec", {"follow_up_on": "2026-12-15"}, "mid Dec is the 15th"),
    ("visited Liu, follow up early March", {"follow_up_on": "2027-03-01"}, "early March is the 1st"),
    ("visited Liu, follow up mid March", {"follow_up_on": "2027-03-15"}, "mid March"),
    ("visited Liu, follow up late March", {"follow_up_on": "2027-03-21"}, "late March is the 21st"),
    ("visited Liu, follow up next quarter", {"follow_up_on": "2027-01-01"}, "next quarter: its first day"),
    ("拜访刘总,下季度回访", {"follow_up_on": "2027-01-01"}, "下季度"),
    ("拜访刘总,3月8号回访", {"follow_up_on": "2027-03-08"}, "a passed month-day follow-up is next year's"),
    ("11月2号见了刘总", {"occurred_on": "2026-11-02"}, "passed month-day within 60 days: the contact"),
    ("8月3日拜访刘总", {"occurred_on": None, "follow_up_on": None}, "passed over 60 days: asked"),
    ("拜访刘总,11月2号签了合同", {"occurred_on": "2026-11-25", "follow_up_on": None},
     "a signing date is the contract's: today's visit stays today (was 11-02, brief dates2)"),
    ("拜访刘总,8月3日签的合同", {"occurred_on": "2026-11-25", "follow_up_on": None},
     "a signing long ago is the contract's, not asked as a contact (brief dates2)"),
    ("下周三上门回访何总", {"occurred_on": None, "follow_up_on": "2026-12-02", "client": "何总"},
     "a note led by its follow-up date is a plan"),
    ("下午3点给李总打电话", {"occurred_on": None, "follow_up_on": None}, "earlier today, no past marker: asked"),
    ("晚上8点给李总打电话", {"occurred_on": None, "follow_up_on": "2026-11-25", "follow_up_time": "20:00"},
     "later today, no past marker: a plan"),
    ("下午3点给李总打了电话", {"occurred_on": "2026-11-25", "follow_up_on": None}, "了: it happened"),
    ("call Liu at 7pm", {"occurred_on": None, "follow_up_on": "2026-11-25", "follow_up_time": "19:00"},
     "a time later today: a plan"),
    ("call Liu at 10am", {"occurred_on": None, "follow_up_on": None}, "an earlier time today: asked"),
    ("visited Liu, follow up the week after next", {"follow_up_on": "2026-12-07"}, "the week after next: its Monday"),
    ("拜访刘总,春节前后回访", {"follow_up_on": None}, "春节前后 is 'around': not placed, not guessed"),
    ("拜访刘总,周五前后回访", {"follow_up_on": "2026-11-27"}, "周五前后 is about Friday, not a deadline"),
    ("visited Liu, follow up 3/4", {"follow_up_on": None}, "3/4: 4 March or 3 April, asked"),
    ("visited Liu, follow up 12/25", {"follow_up_on": "2026-12-25"}, "12/25 has one reading"),
    ("called Ms. Fang, mid-January review of the credit line", {"follow_up_on": "2027-01-15"},
     "a month period is named ahead of time"),
    ("拜访刘总,明年1月上旬跟进授信", {"follow_up_on": "2027-01-01"}, "1月上旬 in late November: next January"),
    ("发邮件给冯总,贴现票据零点八亿", {"amount": 80000000}, "零点八亿"),
    ("called Ms. Lei, term deposit 45,000 maturing", {"amount": 45000, "currency": "CNY"},
     "thousands grouping reads as money"),
    ("visited Liu, 1,200 employees on payroll", {"amount": None}, "a grouped count is still a count"),
    ("called Luo Group, credit line between 500k and 800k", {"amount": 500000, "amount_max": 800000}, "between X and Y"),
    ("visit Hu at 2:30 this afternoon", {"follow_up_time": None, "occurred_on": None, "follow_up_on": None},
     "2:30 this afternoon is 14:30: earlier than 17:30, asked"),
    ("visited Ning, follow up tomorrow evening at 7", {"follow_up_time": "19:00"}, "evening at 7"),
    ("WeChat Ms. Jiao, follow up tomorrow at 9.30am", {"follow_up_time": "09:30"}, "9.30am"),
    ("在6号楼见面滕经理,要开网银", {"follow_up_on": None}, "6号楼 is a building, not the 6th"),
    ("拜访国庆路的宏发五金,需要贷款", {"follow_up_on": None}, "国庆路 is a road, not National Day"),
    ("拜访中秋食品厂,需要银承", {"follow_up_on": None}, "中秋食品厂 is a company"),
    ("visited Bo for the 2nd time, needs a credit line", {"occurred_on": "2026-11-25"}, "the 2nd time is no date"),
    ("visited Ms. Yao, asks about the 1.65% term deposit", {"occurred_on": "2026-11-25"}, "the 1.65% is no date"),
    ("拜访刘总,周三再联系", {"follow_up_on": "2026-12-02"}, "周三 follow-up said on a Wednesday: next week's"),
    ("lunch with Ms. Zou next Wednesday", {"occurred_on": None, "follow_up_on": "2026-12-02"},
     "a meal noun with a future day is a plan"),
    ("coffee with Deng at 6:45 pm", {"occurred_on": None, "follow_up_time": "18:45"}, "later today: a plan"),
    ("拜访齐总,美金50万购汇", {"needs": ["FX"], "currency": "USD"}, "美金, 购汇"),
    ("拜访吕老板,信用卡额度想提到八万五", {"needs": ["CARD"], "amount": 85000}, "信用卡额度 is the card's, 八万五"),
    # known gaps (names are matched elsewhere; these month and weekday words are kept out of names)
    ("KYC docs sent, proposal next week", {"client": None}, "papers and compliance words (KYC, docs, proposal) are never a client"),
    ("emailed Wang the proposal", {"client": "Wang", "channel": "email"}, "the client, not the paper sent"),
    ("called April Chen, wants a wealth product", {"client": "April Chen"}, "a month word opening a name"),
    ("visited March Electronics, needs an LC", {"client": "March Electronics"}, "a month word opening a company"),
    ("visited Liu in March", {"client": "Liu"}, "a month with no capitalised word after it is no name"),
    ("called Ms. Ye Lan, mortgage at 3.1%, loan 1.8m", {"needs": ["MORTGAGE"]}, "a bare loan beside a mortgage is its loan"),
    ("called Liu, mortgage and a loan for the shop", {"needs": ["MORTGAGE", "LOAN"]}, "mortgage and a loan: two needs"),
    ("拜访王总，房贷，还要贷款", {"needs": ["MORTGAGE", "LOAN"]}, "还要贷款: a second need"),
    ("by Friday send KYC docs to Cheng Hua", {"client": "Cheng Hua"}, "a name after to"),
    # English names after a preposition when no verb names the client (trial 2, defect 4)
    ("prepared the proposal for Wong Trading", {"client": "Wong Trading"}, "a company after for"),
    ("Prepared the proposal for Wong", {"client": "Wong"}, "a capitalised verb opening the note is no name"),
    ("$2-3m revolving facility for Wong Trading, call back next Monday", {"client": "Wong Trading"}, "for + company"),
    ("HK$3m deposit for Wong", {"client": "Wong", "currency": "HKD"}, "for + surname"),
    ("between 500k and 800k USD for Chen", {"client": "Chen"}, "for + surname after a range"),
    ("end of next week send proposal to Luo", {"client": "Luo"}, "to + surname after the paper sent"),
    ("early March catch up with Yu", {"client": "Yu"}, "with + surname after a month period"),
    ("visted liu yestrday loan 5m", {"client": "liu", "channel": "visit", "occurred_on": "2026-11-24"},
     "misspelt visited, lower-case pinyin surname"),
    ("lunch with liu tomorrow", {"client": "liu"}, "a lower-case romanised surname after with"),
    ("booked a table for lunch", {"client": None}, "for lunch names nobody"),
    ("got the memo from HQ", {"client": None}, "an acronym after from is no client"),
    ("went to the branch", {"client": None}, "to the branch names nobody"),
    ("applied for a loan", {"client": None, "needs": ["LOAN"]}, "for a loan names nobody"),
    ("talked about it for long", {"client": None}, "long after for is the word, not the surname"),
    ("flew to Shanghai for the roadshow", {"client": None}, "a place after to is no client"),
    ("trip to Hong Kong next week", {"client": None}, "Hong Kong is a place, though Hong is a surname"),
    ("proposal for Hong Wei", {"client": "Hong Wei"}, "Hong Wei is a person"),
    ("escalated to Risk for approval", {"client": None}, "the bank's own department is no client"),
    ("send to Finance team", {"client": None}, "send to + department names nobody"),
    ("send to Wong by Friday", {"client": "Wong"}, "send to + surname"),
    ("emailed the CFO about the LC", {"client": None}, "the CFO alone names no client"),
    # needs named with words between the verb and the product (trial 2, defect 3)
    ("liu zong called back, wants 50w wealth", {"needs": ["WEALTH"], "amount": 500000}, "wealth alone is the wealth need"),
    ("wealthy family, visited Liu", {"needs": []}, "wealthy is no product"),
    ("visited Liu, 2m wealth", {"needs": ["WEALTH"], "amount": 2000000}, "an amount's product: wealth"),
    ("called Liu about our wealth clients", {"needs": []}, "wealth clients are people, no need"),
    ("visited Golden Wealth Ltd, needs LC", {"client": "Golden Wealth Ltd", "needs": ["LC"]},
     "a product word inside a company name is the name"),
    ("visited Golden Fund, needs LC", {"client": "Golden Fund", "needs": ["LC"]}, "Fund inside a company name"),
    ("电话冉经理，理财买了3只，还想买基金", {"needs": ["FUND"]}, "理财买了: already bought, not a need"),
    ("电话仇总，贷款已经还清了", {"needs": []}, "a loan paid off is no need"),
    ("电话仇总，贷款结清后想再贷500万", {"needs": ["LOAN"], "amount": 5000000}, "结清后 (after paying off) leads to a new loan: still a need"),
    ("理财经理小林陪我拜访卓总，谈代发", {"needs": ["PAYROLL"]}, "理财经理 is a colleague's job title, not a wealth need"),
    ("电话蔡总，他们基金会想开个捐赠账户", {"needs": ["ACCOUNT"]}, "基金会 is a foundation, not a fund"),
    ("拜访唐总，代发员工工资", {"needs": ["PAYROLL"]}, "员工 after 代发 is payroll's staff, not a job title"),
    ("电话韦总，理财师推荐的理财产品他想买", {"needs": ["WEALTH"]}, "理财师 is a job; the 理财产品 after it is the need"),
    ("拜访王总，基金已经买过了，想要理财", {"needs": ["WEALTH"]}, "基金已经买过: held, not asked for"),
    ("拜访世界500强企业华峰集团，需要保理", {"client": "世界500强企业华峰集团"}, "a number inside a company's name"),
    ("拜访第3建筑公司，需要保函", {"client": "第3建筑公司"}, "第3…公司 is one name"),
    ("电话刘经理，要开立美元账户", {"needs": ["ACCOUNT"], "amount": None, "currency": None}, "开立…账户; no amount, no currency"),
    ("拜访王总，想开一个基本账户", {"needs": ["ACCOUNT"]}, "开一个…账户"),
    ("拜访王总，开个户", {"needs": ["ACCOUNT"]}, "开个户"),
    ("拜访王总，开立信用证", {"needs": ["LC"]}, "开立 without 账户 is no account"),
    ("拜访王总，开户行是工行", {"needs": []}, "开户行 is the bank of an account, no need"),
    ("拜访王总，聊了账户余额", {"needs": []}, "账户余额 is no account opening"),
    ("visited Liu, wants to open a USD account", {"needs": ["ACCOUNT"], "currency": None}, "open a … account"),
    ("visited Liu, the account is open", {"needs": []}, "an account that is open is no need"),
    ("electronic banking setup for Chen Holdings", {"needs": ["EBANK"], "client": "Chen Holdings"}, "electronic banking"),
    ("拜访王总，开通电子银行", {"needs": ["EBANK"]}, "电子银行"),
    # self-corrections take the corrected value, or leave the amount to ask (trial 2, defect 5)
    ("call Zhou by Friday re ¥1.2m credit card limit... actually 12万", {"amount": 120000, "currency": "CNY"},
     "actually: the later amount"),
    ("拜访王总 贷款120万，不对，12万", {"amount": 120000}, "不对: the later amount"),
    ("拜访王总 贷款500万，应该是800万", {"amount": 8000000}, "应该是: the later amount"),
    ("拜访王总 贷款是12万不是120万", {"amount": 120000}, "是X不是Y: X"),
    ("拜访王总 贷款不是120万，是12万", {"amount": 120000}, "不是Y，是X: X"),
    ("visited Liu, USD 1.2m, sorry, 1.5m", {"amount": 1500000, "currency": "USD"}, "sorry: the later, in the first's currency"),
    ("visited Liu, loan 3m not 5m", {"amount": 3000000}, "X not Y: X"),
    ("visited Liu, loan 3m rather than 5m", {"amount": 3000000}, "X rather than Y: X"),
    ("sorry for the delay, visited Liu, loan 5m", {"amount": 5000000}, "one amount: sorry is about something else"),
    ("sorry, visited Liu, deposit 500万, loan 200万", {"amount": None}, "a correction placed before both: asked"),
    ("visited Liu, deposit 500万, loan 200万", {"amount": 5000000}, "two amounts, no correction: the first"),
    # a space ends a clause in Chinese without commas when a dated action of its own follows (trial 2, defect 11)
    ("拜访陈总 要一千五百万美元的贷款 下周四放款", {"occurred_on": "2026-11-25", "follow_up_on": "2026-12-03"},
     "spaces as commas: a visit today, the loan next Thursday"),
    ("拜访陈总 下周四", {"occurred_on": None, "follow_up_on": "2026-12-03"}, "a bare date after the visit plans it"),
    ("下周四 拜访陈总", {"occurred_on": None, "follow_up_on": "2026-12-03"}, "a date before the visit plans it"),
    ("拜访陈总 下周四上午", {"occurred_on": None, "follow_up_on": "2026-12-03"}, "a date and a part of day: still the plan"),
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
    ("短信通知郑姐，定期明天到期", {"client": "郑姐"}, "通知 after the channel is no part of the name"),
    ("拜访国庆路的宏发五金，需要贷款", {"client": "宏发五金"}, "a place and 的 before the company"),
    ("拜访刘总的财务，谈贷款", {"client": "刘总"}, "的 after a person keeps the person"),
    ("Stella Tsui wants insurance. send deck tmr", {"client": "Stella Tsui"}, "a lower-case English word is no name"),
    # two clients in one note
    ("拜访刘总和王总", {"clients": ["刘总", "王总"]}, "和 joins two clients"),
    ("和刘总、王总吃饭", {"clients": ["刘总", "王总"]}, "、 joins two clients"),
    ("拜访刘总、王总和赵总", {"clients": ["刘总", "王总", "赵总"]}, "three clients"),
    ("met Liu and Wang", {"clients": ["Liu", "Wang"]}, "and joins two surnames"),
    ("met liu and wang", {"clients": ["liu", "wang"]}, "lower case too"),
    ("met Mr. Chen and Mrs. Li", {"clients": ["Mr. Chen", "Mrs. Li"]}, "two titled names"),
    ("拜访刘总和他的财务", {"clients": ["刘总"]}, "他的财务 is no second client"),
    ("visited Golden River and Sons", {"clients": ["Golden River and Sons"]}, "a company with and is one client"),
    ("visited Liu, follow up a week from Friday", {"follow_up_on": "2026-12-04"}, "a week from Friday: next Friday + 7"),
    # plans are not contacts (issue 12, trial report): today is the contact date only when a contact is reported
    ("三天后回访孙总", {"occurred_on": None, "follow_up_on": "2026-11-28"}, "only a follow-up: a plan, no contact date"),
    ("年后找赵总谈授信", {"occurred_on": None, "follow_up_on": "2027-02-11", "needs": ["CREDIT_LINE"]},
     "年后 with no past marker: a plan"),
    ("明晚8点回访冯总", {"occurred_on": None, "follow_up_on": "2026-11-26", "follow_up_time": "20:00"},
     "明晚8点: tomorrow's plan, no contact today"),
    ("跟进张总,月底前再联系", {"occurred_on": None, "follow_up_on": "2026-11-30"}, "跟进 + deadline: a plan"),
    ("节后再约张总", {"occurred_on": None, "follow_up_on": "2027-01-04"}, "节后再约: a plan"),
    ("下周末跟冯总打球", {"occurred_on": None, "follow_up_on": "2026-12-05"}, "a future weekend, no verb of contact"),
    ("15号回访蒋总", {"occurred_on": None, "follow_up_on": "2026-12-15"}, "date-led 回访: a plan"),
    ("by Friday send KYC docs to Liu", {"occurred_on": None, "follow_up_on": "2026-11-27"},
     "a deadline with an instruction: a plan"),
    ("follow up with Qian on Friday", {"occurred_on": None, "follow_up_on": "2026-11-27"}, "follow up on <weekday>: a plan"),
    ("next quarter review with Pan", {"occurred_on": None, "follow_up_on": "2027-01-01", "client": "Pan"},
     "next quarter: a plan; with + surname"),
    ("before Dec 3 get board resolution from Huang", {"occurred_on": None, "follow_up_on": "2026-12-03", "client": "Huang"},
     "before <date>: a deadline, no contact"),
    ("今晚给刘总打电话", {"occurred_on": None, "follow_up_on": "2026-11-25"}, "今晚 said at 17:30: tonight's plan"),
    ("今晚和刘总吃饭了", {"occurred_on": "2026-11-25"}, "今晚 with 了: it happened"),
    ("下午给刘总打电话", {"occurred_on": None, "follow_up_on": None}, "下午 said at 17:30, no past marker: asked"),
    ("call Liu tonight", {"occurred_on": None, "follow_up_on": "2026-11-25"}, "tonight said at 17:30: a plan"),
    ("刘总说要做理财", {"occurred_on": "2026-11-25", "needs": ["WEALTH"]}, "reported speech 说 reports a contact"),
    ("discussed the LC with Liu", {"occurred_on": "2026-11-25", "needs": ["LC"]}, "an -ed verb reports a contact"),
    ("王总需要贷款", {"occurred_on": None, "follow_up_on": None}, "no channel, no past marker: no date, asked"),
    ("visited Liu, needs a loan", {"occurred_on": "2026-11-25"}, "a past-tense channel verb: today"),
    ("拜访刘总,需要信用证,下周二回访", {"occurred_on": "2026-11-25", "follow_up_on": "2026-12-01"},
     "a Chinese channel verb in a log reports the contact"),
    ("刘总下午3点到行里", {"occurred_on": None, "follow_up_on": None, "follow_up_time": None},
     "an earlier time today with no past marker: asked"),
    ("下午3点半跟陈总开会", {"occurred_on": None, "follow_up_on": None, "follow_up_time": None},
     "15:30 said at 17:30 with no past marker: asked"),
    ("刘总晚上8点到行里", {"occurred_on": None, "follow_up_on": "2026-11-25", "follow_up_time": "20:00"},
     "a later time today with no past marker: a plan"),
    ("today's call with chen: he'll wire 2.5 mn usd next week", {"occurred_on": "2026-11-25", "follow_up_on": "2026-11-30"},
     "a colon ends the clause: next week is the wire's, not the call's"),
    ("拜访刘总：下周二回访", {"occurred_on": "2026-11-25", "follow_up_on": "2026-12-01"}, "a full-width colon ends a clause"),
    ("12.3回访刘总", {"occurred_on": None, "follow_up_on": "2026-12-03"}, "12.3 before an action is 12月3日"),
    ("10.20拜访过钱总", {"occurred_on": "2026-10-20"}, "10.20 with 拜访过: the contact date"),
    ("拜访刘总 利率3.5到期", {"occurred_on": "2026-11-25", "follow_up_on": None}, "a rate of 3.5 is no date"),
    # shorthand
    ("called Liu ystd", {"occurred_on": "2026-11-24"}, "ystd is yesterday"),
    ("called Liu yday", {"occurred_on": "2026-11-24"}, "yday is yesterday"),
    ("visited Liu yestrday", {"occurred_on": "2026-11-24"}, "a common misspelling of yesterday"),
    ("call Liu tmrw 10am", {"occurred_on": None, "follow_up_on": "2026-11-26", "follow_up_time": "10:00"}, "tmrw"),
    ("call Liu 2moro", {"occurred_on": None, "follow_up_on": "2026-11-26"}, "2moro"),
    ("meet Liu nxt wk", {"occurred_on": None, "follow_up_on": "2026-11-30"}, "nxt wk is next week (its Monday)"),
    ("visited Liu, follow up in 2 wks", {"follow_up_on": "2026-12-09"}, "wks is weeks"),
    ("send docs to Liu by eod", {"occurred_on": None, "follow_up_on": "2026-11-25"}, "by eod: today's deadline"),
    ("send docs to Liu by eow", {"occurred_on": None, "follow_up_on": "2026-11-27"}, "eow: this week's Friday"),
    # money as RMs type it
    ("电话冯总 要 1,500 万 的 承兑", {"amount": 15000000, "currency": "CNY"}, "spaces around a grouped number and 万"),
    ("拜访刘总 贷款 1 500万", {"amount": 15000000}, "a space as a thousands separator"),
    ("拜访何总 贷款 3000 万 元", {"amount": 30000000, "currency": "CNY"}, "spaces between number, 万 and 元"),
    ("拜访王总 理财 1w5", {"amount": 15000}, "1w5 is 1万5千"),
    ("拜访王总 理财 2w", {"amount": 20000}, "w is 万"),
    ("拜访王总 理财 3k", {"amount": 3000}, "k is 千"),
    ("拜访王总 理财 2百到3百万", {"amount": 2000000, "amount_max": 3000000}, "2百到3百万: 万 applies to both ends"),
    ("拜访王总 他要5千到1万", {"amount": 5000, "amount_max": 10000}, "5千到1万: each end keeps its own unit"),
    ("拜访陈总 银团贷款五个亿", {"amount": 500000000}, "五个亿"),
    ("拜访陈总 需要授信 额度一个亿", {"amount": 100000000}, "一个亿"),
    ("拜访陈总 授信 1个亿", {"amount": 100000000}, "1个亿"),
    ("拜访何总 贷款500万期限3年利率3.2%下周二回访", {"amount": 5000000, "follow_up_on": "2026-12-01"},
     "期限 after an amount does not make it a count"),
    ("拜访刘总 贷款十万", {"amount": 100000}, "十万: 十 alone is ten"),
    ("visited Chen, loan 2.5MM usd", {"amount": 2500000, "currency": "USD"}, "MM is a million"),
    ("给郑总打了电话 他要换汇 10万欧", {"amount": 100000, "currency": "EUR"}, "欧 after an amount is EUR"),
    ("拜访王总 三千美刀", {"amount": 3000, "currency": "USD"}, "美刀 is USD"),
    ("拜访王总 5k刀", {"amount": 5000, "currency": "USD"}, "刀 after an amount is USD"),
    ("拜访王总 100万美", {"amount": 1000000, "currency": "USD"}, "美 closing an amount is USD"),
    ("拜访王总 十万日币", {"amount": 100000, "currency": "JPY"}, "日币"),
    ("拜访王总 十万日圆", {"amount": 100000, "currency": "JPY"}, "日圆"),
    ("拜访王总 十万港纸", {"amount": 100000, "currency": "HKD"}, "港纸"),
    ("拜访王总 十万港元", {"amount": 100000, "currency": "HKD"}, "港元"),
    ("拜访王总 十万澳元", {"amount": 100000, "currency": "AUD"}, "澳元"),
    ("拜访王总 十万加元", {"amount": 100000, "currency": "CAD"}, "加元"),
    ("拜访王总 十万新币", {"amount": 100000, "currency": "SGD"}, "新币"),
    ("拜访王总 十万英镑", {"amount": 100000, "currency": "GBP"}, "英镑"),
    ("拜访王总 买了100万美的股票", {"amount": 1000000, "currency": "CNY"}, "美的 is a company, not USD"),
    ("拜访王总 100万欧洲项目", {"amount": 1000000, "currency": "CNY"}, "欧洲 is Europe, not EUR"),
    ("拜访王总 手机138 0013 8000", {"amount": None}, "a phone number with spaces is no amount"),
    # a date about something else is neither the follow-up nor the contact date (brief dates2): only a date
    # tied to the RM's own action (回访, follow up, remind me, meet…) or to the contact itself fills them
    ("拜访王总,他下周一出国", {"occurred_on": "2026-11-25", "follow_up_on": None}, "the client's trip is no follow-up"),
    ("电话孙总,她周五去北京出差", {"occurred_on": "2026-11-25", "follow_up_on": None}, "a business trip is the client's"),
    ("拜访刘总,他下个月回国", {"follow_up_on": None}, "回国: the client's return"),
    ("微信李总,他12月10号结婚", {"occurred_on": "2026-11-25", "follow_up_on": None}, "a wedding is the client's"),
    ("拜访刘总,合同12月31日到期", {"occurred_on": "2026-11-25", "follow_up_on": None}, "an expiry date is the contract's"),
    ("电话钱总,定期存款下周三到期", {"follow_up_on": None, "needs": ["DEPOSIT"]}, "a maturity date is the deposit's"),
    ("拜访刘总,上周五签的合同", {"occurred_on": "2026-11-25", "follow_up_on": None},
     "the contract date is not the contact date: today's visit stays today"),
    ("上周五签的合同", {"occurred_on": None, "follow_up_on": None}, "a signing alone: no contact date guessed"),
    ("拜访王总,他下周一出国,周五前回访", {"follow_up_on": "2026-11-27"}, "near miss: the RM's own deadline stays"),
    ("拜访刘总,合同12月31日到期,下周二回访", {"occurred_on": "2026-11-25", "follow_up_on": "2026-12-01"},
     "near miss: the follow-up word's date is the follow-up"),
    ("电话马总,理财月底到期,月底前再联系", {"follow_up_on": "2026-11-30"}, "near miss: the same day, once as the RM's deadline"),
    ("上周五拜访刘总,签了合同", {"occurred_on": "2026-11-20"}, "near miss: the date goes with the visit"),
    ("拜访刘总,下周四来行里签合同", {"follow_up_on": "2026-12-03"}, "near miss: signing at the bank is a meeting ahead"),
    ("visited Wang, he flies to Shenzhen on the 2nd", {"occurred_on": "2026-11-25", "follow_up_on": None},
     "the client's flight is no follow-up, nor the contact date"),
    ("met Liu, his LC expires on Dec 20", {"occurred_on": "2026-11-25", "follow_up_on": None}, "expires: the LC's date"),
    ("visited Hu, term deposit matures next Friday", {"follow_up_on": None}, "matures: the deposit's date"),
    ("called Zhao, he's on holiday until Monday", {"occurred_on": "2026-11-25", "follow_up_on": None},
     "on holiday until: the client's absence, not a deadline"),
    ("visited Liu, signed the contract last Friday", {"occurred_on": "2026-11-25", "follow_up_on": None},
     "the signing's date is not the visit's"),
    ("signed the contract with Liu last Friday", {"occurred_on": None}, "a signing alone: no contact date guessed"),
    ("she's travelling to HK next week, called her today", {"occurred_on": "2026-11-25", "follow_up_on": None},
     "travelling: the client's plan"),
    ("visited Wang, he flies on the 2nd, call back Monday", {"occurred_on": "2026-11-25", "follow_up_on": "2026-11-30"},
     "near miss: call back Monday is the RM's"),
    ("visited Liu, LC expires Dec 20, remind me Dec 15", {"follow_up_on": "2026-12-15"}, "near miss: remind me is the RM's"),
    ("met Liu last Friday, signed the LC", {"occurred_on": "2026-11-20"}, "near miss: the date goes with met"),
    ("拜访刘总,他下周一去深圳", {"occurred_on": "2026-11-25", "follow_up_on": None}, "他…去: the client's trip"),
    ("拜访刘总,他月底退休", {"follow_up_on": None}, "a retirement is the client's"),
    ("拜访刘总,上周五签约了", {"occurred_on": "2026-11-25"}, "签约了: the contract's date"),
    ("下周一去刘总公司拜访", {"occurred_on": None, "follow_up_on": "2026-11-30"}, "near miss: the RM goes, a visit planned"),
    ("visited Liu, he's going to Shanghai next week", {"occurred_on": "2026-11-25", "follow_up_on": None},
     "he's going to <place>: the client's whereabouts"),
    ("visited Liu, she'll be in HK until Friday", {"follow_up_on": None}, "she'll be in <place> until: not a deadline"),
    ("visited Liu, his loan is due on Dec 15", {"follow_up_on": None}, "due on: the loan's date"),
    ("called Zhang, he will come in next Tuesday to sign", {"follow_up_on": "2026-12-01"},
     "near miss: coming in to the bank is a meeting"),
    ("today's call with Chen, he is interested in funds, follow up next week", {"follow_up_on": "2026-11-30"},
     "near miss: he is interested is no whereabouts"),
    # holidays against now (brief dates2): past tense, the most recent one (within 60 days, else asked);
    # a plan, the next one within FESTIVAL_HORIZON_DAYS (183), else asked
    ("国庆后再说", {"occurred_on": None, "follow_up_on": None}, "国庆后 ten months ahead: asked; 再说 is no reported speech"),
    ("visited Liu, follow up after National Day", {"occurred_on": "2026-11-25", "follow_up_on": None},
     "after National Day ten months ahead: asked"),
    ("拜访刘总,端午前回访", {"follow_up_on": None}, "端午 (9 June 2027) is beyond the horizon: asked"),
    ("拜访刘总,清明前回访", {"follow_up_on": "2027-04-02"}, "near miss: 清明 in April is within the horizon"),
    ("中秋拜访过傅总", {"occurred_on": None, "follow_up_on": None}, "中秋 61 days ago: past the 60-day window, asked"),
    # a weekday or weekend word without a tense marker after a contact marked done creates no follow-up
    ("拜访了郝总,周末", {"occurred_on": None, "follow_up_on": None}, "周末 after a done visit: its day or a plan? asked"),
    ("拜访了郝总 周六", {"occurred_on": None, "follow_up_on": None}, "周六 after a done visit: asked"),
    ("拜访了郝总,周末再联系", {"occurred_on": "2026-11-25", "follow_up_on": "2026-11-28"},
     "near miss: 再联系 makes it the follow-up"),
    ("周六拜访了郝总", {"occurred_on": "2026-11-21", "follow_up_on": None}, "near miss: before the done verb, the last one"),
    ("visited Hao, Saturday", {"occurred_on": "2026-11-21", "follow_up_on": None}, "a bare weekday after visited: the last one"),
    ("拜访刘总,周末把资料发过去", {"occurred_on": "2026-11-25", "follow_up_on": "2026-11-28"},
     "near miss: 发过去 is a direction, not the past"),
    ("拜访刘总,周末把资料发过去了", {"occurred_on": None, "follow_up_on": None},
     "sent at the weekend beside today's visit: which day was the contact? asked"),
    ("十一点拜访了刘总", {"occurred_on": "2026-11-25", "follow_up_on": None}, "near miss: 十一点 is eleven o'clock"),
    ("拜访五一路的刘总", {"occurred_on": "2026-11-25", "follow_up_on": None}, "near miss: 五一路 is a road"),
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


#: Rows that need another "now": (now, note, expected, rule).
ROWS_AT: list[tuple[str, str, dict, str]] = [
    ("2026-11-25T12:00:00+08:00", "下午3点给李总打电话", {"occurred_on": None, "follow_up_on": "2026-11-25", "follow_up_time": "15:00"},
     "said at noon: a plan for 15:00, not a contact"),
    ("2026-09-10T10:00:00+08:00", "拜访刘总,3月8号回访", {"follow_up_on": "2027-03-08"}, "passed month-day follow-up: next year"),
    ("2026-11-25T10:00:00+08:00", "下午给刘总打电话", {"occurred_on": None, "follow_up_on": "2026-11-25"},
     "下午 said at 10:00: this afternoon's plan"),
    ("2026-11-25T20:30:00+08:00", "今晚给刘总打电话", {"occurred_on": None, "follow_up_on": None},
     "今晚 said at 20:30 without a past marker: asked"),
    ("2026-11-25T20:30:00+08:00", "晚上8点跟陈总吃饭", {"occurred_on": None, "follow_up_on": None},
     "20:00 said at 20:30 without a past marker: asked"),
    ("2026-09-10T10:00:00+08:00", "拜访刘总,国庆后回访", {"follow_up_on": "2026-10-08"}, "国庆后: after the 1-7 Oct holiday"),
    ("2026-11-29T10:00:00+08:00", "visited Liu, follow up this weekend", {"follow_up_on": "2026-12-05"},
     "this weekend said on Sunday: the coming one"),
    ("2027-01-03T10:00:00+08:00", "visited Liu on Dec 28", {"occurred_on": "2026-12-28"}, "Dec 28 said on 3 Jan: last year's"),
    # holidays against now (brief dates2)
    ("2027-01-04T10:00:00+08:00", "元旦拜访了傅总", {"occurred_on": "2027-01-01", "follow_up_on": None},
     "a past-tense holiday: the most recent one, never a follow-up a year later"),
    ("2027-01-04T10:00:00+08:00", "visited Fu on New Year's Day", {"occurred_on": "2027-01-01", "follow_up_on": None},
     "a past-tense holiday named in English"),
    ("2027-01-04T10:00:00+08:00", "元旦拜访傅总", {"occurred_on": None, "follow_up_on": None},
     "no tense marker, three days after it: last one's contact or next year's plan? asked"),
    ("2026-12-20T10:00:00+08:00", "元旦拜访傅总", {"occurred_on": None, "follow_up_on": "2027-01-01"},
     "near miss: twelve days ahead, a plan"),
    ("2026-10-20T10:00:00+08:00", "国庆拜访了傅总", {"occurred_on": "2026-10-01"}, "国庆 with 了: this year's"),
    ("2027-01-01T10:00:00+08:00", "元旦拜访了傅总", {"occurred_on": "2027-01-01"}, "near miss: said on the day, today"),
    ("2026-02-25T10:00:00+08:00", "拜访刘总,年后再联系", {"occurred_on": "2026-02-25", "follow_up_on": None},
     "年后 said after this year's: next year's is eleven months ahead, asked"),
    ("2026-09-10T10:00:00+08:00", "visited Liu, follow up after National Day", {"follow_up_on": "2026-10-08"},
     "near miss: within the horizon, the first working day after"),
    # phrases that fall on today, or are ambiguous by day of week (brief dates2)
    ("2026-11-30T10:00:00+08:00", "月底再联系王总", {"occurred_on": None, "follow_up_on": None},
     "月底 said on the month's last day: today, or next month's end? asked"),
    ("2026-11-30T10:00:00+08:00", "visited Liu, follow up end of month", {"occurred_on": "2026-11-30", "follow_up_on": None},
     "end of month said on its last day: asked"),
    ("2026-11-29T10:00:00+08:00", "月底再联系王总", {"occurred_on": None, "follow_up_on": "2026-11-30"},
     "near miss: the day before, tomorrow"),
    ("2026-11-27T10:00:00+08:00", "visited Liu, follow up end of the week", {"follow_up_on": None},
     "end of the week said on Friday: asked"),
    ("2026-11-29T20:00:00+08:00", "周一拜访孙总", {"occurred_on": None, "follow_up_on": None},
     "周一 said on Sunday evening: six days ago, or tomorrow? asked"),
    ("2026-11-29T20:00:00+08:00", "周一拜访了孙总", {"occurred_on": "2026-11-23", "follow_up_on": None},
     "near miss: 了 says it happened, last Monday"),
    ("2026-11-29T20:00:00+08:00", "下周一拜访孙总", {"occurred_on": None, "follow_up_on": "2026-11-30"},
     "near miss: 下周一 is tomorrow"),
    ("2026-11-26T10:00:00+08:00", "周一拜访孙总", {"occurred_on": "2026-11-23"},
     "near miss: said on Thursday, Monday three days ago is nearer"),
    ("2026-11-27T09:00:00+08:00", "周五下午4点回访马总", {"occurred_on": None, "follow_up_on": None, "follow_up_time": None},
     "周五 4pm said on Friday morning: today at 16:00, or next Friday? asked"),
    ("2026-11-27T17:00:00+08:00", "周五下午4点回访马总", {"occurred_on": None, "follow_up_on": None, "follow_up_time": None},
     "said on Friday at 17:00: done at 16:00, or next Friday? asked"),
    ("2026-11-27T09:00:00+08:00", "follow up with Ma on Friday at 4pm", {"follow_up_on": None, "follow_up_time": None},
     "Friday 4pm said on Friday morning: asked"),
    ("2026-11-27T09:00:00+08:00", "拜访马总,周五回访", {"occurred_on": "2026-11-27", "follow_up_on": "2026-12-04"},
     "near miss: after today's visit, a follow-up on Friday is next Friday's"),
    ("2026-11-27T09:00:00+08:00", "下周五下午4点回访马总", {"follow_up_on": "2026-12-04", "follow_up_time": "16:00"},
     "near miss: 下周五 is next week's"),
    ("2026-11-30T10:00:00+08:00", "周末拜访了郝总", {"occurred_on": "2026-11-28", "follow_up_on": None},
     "周末 with 了 said on Monday: the weekend just passed, no follow-up"),
    ("2026-11-30T10:00:00+08:00", "visited Hao over the weekend", {"occurred_on": "2026-11-28", "follow_up_on": None},
     "over the weekend, past tense, said on Monday: Saturday just passed"),
    ("2026-11-30T10:00:00+08:00", "周末拜访郝总", {"occurred_on": None, "follow_up_on": "2026-12-05"},
     "near miss: no 了 on Monday, this week's weekend is a plan"),
    ("2026-11-30T10:00:00+08:00", "拜访了郝总,周末", {"occurred_on": None, "follow_up_on": None},
     "周末 after a done visit said on Monday: asked, no follow-up invented"),
    ("2026-11-30T10:00:00+08:00", "visited Hao this weekend", {"occurred_on": "2026-11-28", "follow_up_on": None},
     "this weekend with a past verb said on Monday: the one just passed"),
    ("2026-11-30T10:00:00+08:00", "这周末拜访了郝总", {"occurred_on": "2026-11-28", "follow_up_on": None},
     "这周末 with 了 said on Monday: the one just passed"),
    ("2026-11-27T09:00:00+08:00", "Friday 4pm call Ma", {"occurred_on": None, "follow_up_on": None},
     "Friday 4pm said on Friday morning, a plan: today or next Friday? asked"),
    ("2026-11-27T09:00:00+08:00", "周五下午4点拜访马总", {"follow_up_on": "2026-11-27", "follow_up_time": "16:00"},
     "near miss: no follow-up word, 周五 is this week's, today"),
    ("2026-11-29T20:00:00+08:00", "周日回访刘总", {"follow_up_on": None}, "周日回访 said on Sunday evening: asked"),
    ("2027-01-04T10:00:00+08:00", "元旦跟傅总吃了饭", {"occurred_on": "2027-01-01", "follow_up_on": None},
     "了 after the holiday, no channel word: the most recent one"),
    ("2027-01-04T10:00:00+08:00", "元旦前拜访了傅总", {"occurred_on": None, "follow_up_on": None},
     "before a holiday in the past tense: which day? asked, never a deadline a year later"),
    ("2026-11-30T10:00:00+08:00", "call Wang end of month", {"occurred_on": None, "follow_up_on": None},
     "a plan for end of month said on its last day: asked"),
    ("2026-11-30T10:00:00+08:00", "周末和郝总吃了饭", {"occurred_on": "2026-11-28", "follow_up_on": None},
     "周末 then 了 with no channel word, said on Monday: the weekend just passed"),
    ("2026-11-30T10:00:00+08:00", "周末和郝总吃饭", {"occurred_on": None, "follow_up_on": "2026-12-05"},
     "near miss: no 了, this week's weekend is a plan"),
    ("2026-11-26T10:00:00+08:00", "拜访刘总,周五前发方案", {"follow_up_on": "2026-11-27"}, "near miss: said on Thursday"),
    ("2026-03-20T10:00:00+08:00", "visited Liu, follow up before National Day", {"follow_up_on": None},
     "before National Day said in March (194 days ahead): asked"),
    ("2026-03-20T10:00:00+08:00", "拜访刘总,五一前回访", {"follow_up_on": "2026-04-30"},
     "near miss: 五一前 six weeks ahead, the last working day before"),
    ("2026-12-10T10:00:00+08:00", "春节拜访了刘总", {"occurred_on": None, "follow_up_on": None},
     "a past-tense 春节 ten months ago: asked, not today"),
    ("2026-05-06T10:00:00+08:00", "五一拜访了刘总", {"occurred_on": "2026-05-01", "follow_up_on": None},
     "a bare 五一 before a verb is the holiday; past tense, the one just passed"),
    ("2026-10-09T10:00:00+08:00", "十一期间拜访了刘总", {"occurred_on": "2026-10-01", "follow_up_on": None},
     "十一期间 is the National Day holiday"),
]


def test_table_at_has_no_duplicates():
    counts = Counter((now, text) for now, text, _, _ in ROWS_AT)
    assert not [key for key, count in counts.items() if count > 1]


@pytest.mark.parametrize(("now", "text", "expected"), [pytest.param(n, t, e, id=r) for n, t, e, r in ROWS_AT])
def test_rule_at(now: str, text: str, expected: dict):
    got = parse_note(text, datetime.fromisoformat(now), TZ).to_json()
    for field, value in expected.items():
        assert got[field] == value, (field, got)


@pytest.mark.parametrize(("text", "readings"), [
    ("下午3点给李总打电话", [("occurred_on", "2026-11-25"), ("follow_up_on", "2026-11-26")]),
    ("8月3日拜访刘总", [("occurred_on", "2026-08-03"), ("follow_up_on", "2027-08-03")]),
    ("8月5号拜访过钱总", [("occurred_on", "2026-08-05")]),   # 拜访过 is done: no next-year follow-up reading
    ("傍晚给刘总打电话", [("occurred_on", "2026-11-25"), ("follow_up_on", "2026-11-25")]),  # 傍晚 under way at 17:30
])
def test_two_readings_are_carried_for_the_bot_to_ask(text: str, readings: list):
    parsed = parse_note(text, NOW, TZ)
    got = [(name, getattr(r, name).isoformat()) for r in parsed.readings
           for name in ("occurred_on", "follow_up_on") if getattr(r, name) is not None]
    assert got == readings
    assert all(getattr(parsed, name) is None for name in parsed.asked)


@pytest.mark.parametrize(("text", "suggested", "reason"), [
    ("met Liu, his LC expires on Dec 20", "2026-12-20", "an expiry ahead: offered as a reminder"),
    ("拜访刘总,合同12月31日到期", "2026-12-31", "到期 ahead: offered"),
    ("短信通知郑姐，定期一万八明天到期", "2026-11-26", "a maturity tomorrow: offered, not filed"),
    ("拜访刘总,合同12月31日到期,下周二回访", None, "the RM's own follow-up: nothing offered over it"),
    ("拜访王总,他下周一出国", None, "a trip is no reminder"),
    ("电话孙总,贷款上周到期了", None, "an expiry passed: nothing to remind"),
])
def test_an_expiry_date_ahead_is_suggested_never_filed(text: str, suggested: str | None, reason: str):
    parsed = parse_note(text, NOW, TZ)
    assert parsed.follow_up_on is None or suggested is None, reason
    got = parsed.suggested[0].follow_up_on.isoformat() if parsed.suggested else None
    assert got == suggested, reason

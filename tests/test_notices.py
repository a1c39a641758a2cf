"""Product notices (issue 19): who a new product suits, on fixed data; /notify end to end."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from bot.client_profile import ClientProfile
from bot.notices import Offer, match_offer, read_offer
from storage.records import Client, Holding
from tests.conftest import RM_ZH

TODAY = date(2026, 11, 25)
FUND_R3 = Offer("FUND", "新发基金", 3, 500_000.0)
CLIENTS = [Client(1, "刘总"), Client(2, "王姐"), Client(3, "赵总"), Client(4, "孙总"), Client(5, "钱总"),
           Client(6, "周总"), Client(7, "吴总")]
PROFILES = {
    1: ClientProfile(risk_level=4, risk_assessed_on=date(2026, 6, 1), preferred_channel="message"),
    2: ClientProfile(risk_level=2, risk_assessed_on=date(2026, 6, 1)),        # C2 < R3: not suitable
    3: ClientProfile(risk_level=5, risk_assessed_on=date(2025, 6, 1)),        # older than 12 months
    4: ClientProfile(),                                                      # never assessed
    5: ClientProfile(risk_level=3, risk_assessed_on=date(2026, 11, 1)),
    6: ClientProfile(risk_level=5, risk_assessed_on=date(2026, 11, 1)),       # contacted yesterday
}
NEEDS = {1: {"FUND"}, 2: {"FUND"}, 3: {"FUND"}, 4: {"FUND"}, 6: {"FUND"}}
HOLDINGS = [
    Holding(1, 5, "DEPOSIT", "活期", 800_000.0),                                # demand deposit above 50万
    Holding(2, 7, "DEPOSIT", "活期", 100_000.0),                                # below the amount
    Holding(3, 1, "WEALTH", "", 1_000_000.0, maturity_date=date(2026, 12, 10)),  # maturing within 30 days
    Holding(4, 7, "WEALTH", "", 1_000_000.0, maturity_date=date(2027, 3, 1)),    # too far
]
LAST = {6: date(2026, 11, 24), 1: date(2026, 11, 1)}


def test_the_matching_rules():
    found = match_offer(FUND_R3, CLIENTS, PROFILES, NEEDS, HOLDINGS, LAST, TODAY)
    assert [c.client for c in found.suitable] == ["刘总", "钱总"], "C4 with a need and a maturity first, C3 demand"
    assert [r.kind for r in found.suitable[0].reasons] == ["need", "maturity"]
    assert [r.kind for r in found.suitable[1].reasons] == ["demand"]
    assert [c.client for c in found.unassessed] == ["孙总", "赵总"], "no assessment or an old one: apart"
    assert found.too_risky == 1, "王姐 C2 is below R3"
    assert found.recently_contacted == 1, "周总 was contacted yesterday"
    assert "吴总" not in {c.client for c in found.suitable + found.unassessed}, "small demand, far maturity"


def test_an_rm_with_no_clients_and_an_r1_product_for_the_unassessed():
    assert match_offer(FUND_R3, [], {}, {}, [], {}, TODAY).suitable == ()
    r1 = Offer("DEPOSIT", "大额存单", 1)
    found = match_offer(r1, CLIENTS, PROFILES, {4: {"DEPOSIT"}}, [], {}, TODAY)
    assert [c.client for c in found.suitable] == ["孙总"], "R1 suits a client with no assessment"


def test_a_client_without_a_risk_level_is_never_suitable_above_r1_without_saying_so():
    for risk in (2, 3, 4, 5):
        found = match_offer(Offer("FUND", "x", risk), [Client(4, "孙总")], {}, {4: {"FUND"}}, [], {}, TODAY)
        assert found.suitable == () and [c.client for c in found.unassessed] == ["孙总"]


@dataclass(frozen=True)
class _Held(Holding):
    """A holding with a currency (the `money` branch adds the column to Holding)."""

    currency: str = "USD"


def test_mixed_currencies_are_never_compared():
    usd = _Held(9, 5, "DEPOSIT", "活期", 900_000.0)
    found = match_offer(FUND_R3, [Client(5, "钱总")], PROFILES, {}, [usd], {}, TODAY)
    assert found.suitable == (), "USD 900k is not above CNY 500k: never compared"
    found = match_offer(Offer("FUND", "x", 3, 500_000.0, "USD"), [Client(5, "钱总")], PROFILES, {}, [usd], {}, TODAY)
    assert [c.client for c in found.suitable] == ["钱总"], "the same currency is"


OFFERS = [
    ("FUND R3", ("FUND", 3, None), "a code and a level"),
    ("新发基金 R3 50万", ("FUND", 3, 500_000.0), "a named new fund, level and amount"),
    ("债券基金", ("FUND", 2, None), "a named product's level from the catalog"),
    ("bond fund 500k", ("FUND", 2, 500_000.0), "English named product"),
    ("理财", ("WEALTH", 2, None), "the product's own level"),
    ("wealth r4", ("WEALTH", 4, None), "the RM's level wins"),
]


@pytest.mark.parametrize("words,expected,reason", OFFERS, ids=[o[0] for o in OFFERS])
def test_read_offer(words, expected, reason):
    offer, problem = read_offer(words)
    assert problem is None and offer is not None, reason
    assert (offer.product, offer.risk, offer.amount) == expected, reason


@pytest.mark.parametrize("words,problem", [("", "notify.usage"), ("火箭", "notify.unknown_product"),
                                           ("保险", "notify.no_risk"), ("LC", "notify.no_risk")])
def test_read_offer_asks(words, problem):
    assert read_offer(words) == (None, problem)


async def test_notify_end_to_end(rm, repo, clock):
    await rm.send("拜访刘总，喜欢新基金")
    await rm.send("刘总 风险偏好 成长")
    await rm.send("拜访王姐，想买基金")           # no assessment: listed apart
    await rm.send("电话赵总，基金")
    await rm.send("赵总 风险偏好 进取")
    from datetime import timedelta
    clock.now += timedelta(days=5)              # nobody contacted in the last 3 days
    reply = (await rm.send("/notify 新发基金 R3 50万"))[-1]
    lines = reply.text.splitlines()
    assert "新发基金" in lines[0] and "R3" in lines[0] and "50万元" in lines[0]
    assert any(line.startswith("1. <b>刘总</b>（C4）") for line in lines)
    assert any(line.startswith("2. <b>赵总</b>（C5）") for line in lines)
    assert "未做风险测评" in reply.text and "<b>王姐</b>（未测评）" in reply.text
    assert "不得承诺保本" in reply.text and "机器人不会向客户发送" in reply.text
    assert reply.button_labels()[:2] == ["✏️ 1 刘总", "✏️ 2 赵总"]
    await rm.press("✏️ 1 刘总")
    logged = (await rm.send("电话介绍了新发基金"))[-1]
    assert "刘总" in logged.text
    again = (await rm.send("/notify FUND R3"))[-1]
    assert "刘总" not in again.text.split("\n\n")[0] and "近 3 天内已联系" in again.text
    usage = (await rm.send("/notify"))[-1]
    assert "/notify 新发基金 R3 50万" in usage.text
    assert "R1–R5" in (await rm.send("/notify 保险"))[-1].text
    assert RM_ZH


async def test_a_demand_deposit_in_another_currency_is_no_reason(rm, repo, clock):
    """A USD 活期 of 100万 is not 100万 yuan: /notify for a 50万 (yuan) fund leaves it out, not silently in."""
    await rm.send("拜访刘总")
    await rm.send("刘总 风险偏好 成长")
    await rm.send("拜访王姐")
    await rm.send("王姐 风险偏好 成长")
    await rm.send_document("h.csv", "客户,产品,名称,金额,币种\n刘总,存款,活期,100万,USD\n王姐,存款,活期,100万,CNY\n"
                           .encode())
    assert {h.currency for h in await repo.holdings.list(RM_ZH)} == {"USD", "CNY"}
    from datetime import timedelta
    clock.now += timedelta(days=5)
    reply = (await rm.send("/notify 新发基金 R3 50万"))[-1]
    assert "王姐" in reply.text and "刘总" not in reply.text

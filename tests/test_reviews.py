"""Asset reviews (issue 19): deltas on fixed data, cadence, the /review reply, charts and the export."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, timedelta

import openpyxl
import pytest

from bot.client_profile import ClientProfile
from bot.exports import ExportData, export_xlsx
from bot.parsing.profile import OtherBankAsset
from bot.reviews import Review, ReviewItem, compare, reviews_due, snapshot_items, totals
from storage.records import Client, Coverage, Holding
from tests.conftest import RM_ZH

TODAY = date(2026, 11, 25)


@dataclass(frozen=True)
class _Held(Holding):
    currency: str = "USD"


def test_a_client_with_no_review_gets_a_first_snapshot():
    items = snapshot_items([Holding(1, 1, "WEALTH", "稳享", 1_000_000.0), Holding(2, 1, "FUND", "", None)],
                           [OtherBankAsset("WEALTH", 3_000_000.0, None, "招商银行")])
    assert [(i.source, i.product, i.amount, i.currency, i.risk) for i in items] == [
        ("here", "WEALTH", 1_000_000.0, "CNY", 2), ("here", "FUND", None, "CNY", 3),
        ("other_bank", "WEALTH", 3_000_000.0, "CNY", None)], "another bank's product: no level unless the RM said it"
    found = compare(None, items)
    assert found.previous_on is None and {c.status for c in found.changes} == {"same"}
    assert found.totals == {"CNY": (None, 4_000_000.0)}, "a missing amount counts as nothing"


def test_a_policy_known_by_its_cover_is_protection_not_an_asset_in_the_review():
    cover = Coverage("critical_illness", "daughter", "小雨", sum_insured=500_000.0, premium=10_000.0)
    items = snapshot_items([Holding(1, 1, "INSURANCE", "重疾险", None, cover=cover),
                            Holding(2, 1, "INSURANCE", "年金险", 200_000.0, cover=Coverage("annuity")),
                            Holding(3, 1, "INSURANCE", "", None)], [])
    assert [(i.name, i.amount) for i in items] == [("年金险", 200_000.0), ("", None)], (
        "a cover with a value held (an annuity's 200,000) and a bare insurance holding stay; a cover alone does not")


def test_one_earlier_review_gives_each_asset_its_change_and_the_total():
    before = Review(1, 1, date(2026, 10, 25), (
        ReviewItem("here", "WEALTH", "稳享", amount=1_000_000.0),
        ReviewItem("here", "DEPOSIT", "定期", amount=500_000.0),
        ReviewItem("other_bank", "FUND", bank="招商银行", amount=200_000.0)))
    now = (ReviewItem("here", "WEALTH", "稳享", amount=1_200_000.0),
           ReviewItem("other_bank", "FUND", bank="招商银行", amount=200_000.0),
           ReviewItem("here", "INSURANCE", "", amount=100_000.0))
    found = compare(before, now)
    assert [(c.item.product, c.status, c.delta) for c in found.changes] == [
        ("WEALTH", "changed", 200_000.0), ("FUND", "same", 0.0), ("INSURANCE", "new", 100_000.0),
        ("DEPOSIT", "gone", -500_000.0)]
    assert found.totals == {"CNY": (1_700_000.0, 1_500_000.0)}


def test_mixed_currencies_are_never_added_together():
    items = snapshot_items([Holding(1, 1, "DEPOSIT", "定期", 1_000_000.0), _Held(2, 1, "DEPOSIT", "USD CD", 200_000.0)],
                           [OtherBankAsset("FUND", 50_000.0, "HKD", None)])
    assert totals(items) == {"CNY": 1_000_000.0, "USD": 200_000.0, "HKD": 50_000.0}
    before = Review(1, 1, date(2026, 10, 1), (ReviewItem("here", "DEPOSIT", "USD CD", amount=150_000.0, currency="USD"),))
    found = compare(before, items)
    assert found.totals == {"CNY": (0.0, 1_000_000.0), "HKD": (0.0, 50_000.0), "USD": (150_000.0, 200_000.0)}
    assert list(found.totals)[0] == "CNY", "the default currency first"


def test_review_cadence_by_tier_and_per_client():
    clients = [Client(1, "A客户", tier="A"), Client(2, "B客户", tier="B"), Client(3, "C客户", tier="C"),
               Client(4, "不复盘", tier="A"), Client(5, "每周", tier="C")]
    profiles = {4: ClientProfile(review_days=0), 5: ClientProfile(review_days=7)}
    last = {1: TODAY - timedelta(days=31), 2: TODAY - timedelta(days=60), 3: TODAY - timedelta(days=400),
            4: TODAY - timedelta(days=400), 5: TODAY - timedelta(days=7)}
    due = reviews_due(clients, profiles, last, TODAY)
    assert [(d.client, d.days_overdue) for d in due] == [("A客户", 1), ("每周", 0)], \
        "A monthly, B quarterly (not yet), C none, a client's own cadence (0: none) wins"
    assert [d.client for d in reviews_due(clients[:1], {}, {}, TODAY)] == ["A客户"], "never reviewed is due"


def test_the_export_has_a_reviews_sheet_with_changes():
    reviews = (Review(1, 1, date(2026, 10, 25), (ReviewItem("here", "WEALTH", "稳享", amount=1_000_000.0),)),
               Review(2, 1, TODAY, (ReviewItem("here", "WEALTH", "稳享", amount=1_200_000.0, risk=2),
                                    ReviewItem("other_bank", "FUND", bank="招商银行", amount=300_000.0, risk=3))))
    data = ExportData((Client(1, "刘总"),), (), (), (), month=TODAY, today=TODAY, reviews=reviews)
    sheet = openpyxl.load_workbook(io.BytesIO(export_xlsx(data, "zh")))["资产回顾"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert rows[0][:3] == ["刘总", rows[0][1], "本行"] and rows[0][9] is None, "the first review has no change"
    assert rows[1][2:10] == ["本行", "理财", "稳享", None, "R2", 1_200_000, "CNY", 200_000]
    assert rows[2][2:10] == ["他行", "基金", None, "招商银行", "R3", 300_000, "CNY", 300_000]


def _photos(replies):
    return [r for r in replies if r.method == "sendPhoto"]


async def test_review_end_to_end(rm, repo, clock):
    await rm.send_document("h.csv", "客户,产品,名称,金额\n刘总,理财,稳享,1000000\n刘总,存款,定期,500000\n".encode())
    await rm.send("刘总 他行理财 300万")
    replies = await rm.send("/review 刘总")
    text = next(r for r in replies if r.method == "sendMessage").text
    assert "刘总</b> 资产回顾" in text and "首次回顾" in text
    assert "他行（未注明）理财：300万元" in text and "<b>合计（CNY）</b>：450万元" in text
    assert len(_photos(replies)) == 2, "the bar chart of totals and the pie"
    clock.now += timedelta(days=31)
    await rm.send_document("h.csv", "客户,产品,名称,金额\n刘总,理财,稳享,1200000\n".encode())
    replies = await rm.send("/review 刘总")
    text = next(r for r in replies if r.method == "sendMessage").text
    assert "与上次回顾（11月25日 周三）相比" in text
    assert "理财 稳享 R2：100万元 → 120万元（+20万元）" in text
    assert "<b>合计（CNY）</b>：450万元 → 470万元（+20万元）" in text
    [client] = await repo.clients.list(RM_ZH)
    assert [r.reviewed_on.isoformat() for r in await repo.reviews.for_client(RM_ZH, client.id)] == [
        "2026-11-25", "2026-12-26"]
    again = await rm.send("/review 刘总")
    assert len(await repo.reviews.for_client(RM_ZH, client.id)) == 2, "a second review the same day replaces it"
    assert "与上次回顾（11月25日 周三）相比" in next(r for r in again if r.method == "sendMessage").text
    assert "/review 客户名" in (await rm.send("/review"))[-1].text
    assert "没有找到" in (await rm.send("/review 不存在"))[-1].text


async def test_review_due_joins_the_digest(rm, repo, clock):
    await rm.send("拜访刘总")
    [client] = await repo.clients.list(RM_ZH)
    await repo.clients.set_tier(RM_ZH, client.id, "A")
    await rm.send("/review 刘总")
    clock.now += timedelta(days=30)
    digest = (await rm.send("/due"))[-1]
    assert "该做资产回顾的客户" in digest.text and "刘总</b>（A类）· 上次 11月25日" in digest.text


async def test_other_bank_assets_from_the_holdings_import_feed_the_next_review(rm, repo):
    sheet = ("客户,产品,名称,金额,银行\n"
             "刘总,理财,稳享,1000000,本行\n"
             "刘总,理财,,3000000,招商银行\n"
             "刘总,存款,定期,500000,他行\n"
             "刘总,存款,活期,200000,\n")
    reply = (await rm.send_document("h.csv", sheet.encode()))[-1]
    assert "新增 2" in reply.text and "2 项为他行资产" in reply.text, reply.text
    assert sorted(h.name for h in await repo.holdings.list(RM_ZH)) == ["活期", "稳享"], "only what is held here"
    text = next(r for r in await rm.send("/review 刘总") if r.method == "sendMessage").text
    assert "招商银行" in text and "他行（未注明）" in text
    assert "<b>合计（CNY）</b>：470万元" in text, text


async def test_an_unreadable_other_bank_cell_is_a_row_error_not_a_guess(rm, repo):
    sheet = "客户,产品,金额,他行,银行\n刘总,理财,100万,也许,\n王姐,理财,100万,否,招商银行\n赵总,理财,100万,是,\n"
    reply = (await rm.send_document("h.csv", sheet.encode()))[-1]
    assert "第 2 行" in reply.text and "第 3 行" in reply.text and "1 项为他行资产" in reply.text, reply.text
    assert await repo.holdings.list(RM_ZH) == []


SHEET = ("客户,产品,名称,金额,银行\n"
         "刘总,理财,稳享,1000000,招商银行\n"
         "刘总,存款,定期,500000,招行\n"
         "刘总,理财,,3000000,工商银行\n")


async def test_without_an_own_bank_the_import_says_which_banks_it_filed_as_other_banks(rm, repo):
    reply = (await rm.send_document("h.csv", SHEET.encode()))[-1]
    assert "3 项为他行资产" in reply.text and "文件中注明的他行：招商银行、招行、工商银行" in reply.text, reply.text
    assert "[bank] own_names" in reply.text and await repo.holdings.list(RM_ZH) == []


@pytest.mark.parametrize("language", ["zh", "en"])
async def test_the_own_bank_in_config_makes_its_rows_holdings_here(settings, clock, language):
    from bot.application import build_application, running
    from bot.offline_api import OfflineBotAPI, OfflineUser
    from tests.conftest import RM_EN

    settings.bank.own_names = ["招商银行", "招行", "CMB"]
    api = OfflineBotAPI()
    application = build_application(settings, request=api, clock=clock)
    async with running(application):
        user_id = RM_ZH if language == "zh" else RM_EN
        rm = OfflineUser(application, api, user_id, first_name="R", language_code=language)
        repo = application.bot_data.repo
        # imported before the own bank was configured: filed as other banks' assets
        settings.bank.own_names = []
        await rm.send_document("h.csv", SHEET.encode())
        settings.bank.own_names = ["招商银行", "招行", "CMB"]
        reply = (await rm.send_document("h.csv", SHEET.encode()))[-1]
        if language == "zh":
            assert "新增 2" in reply.text and "其中 2 项注明为本行（招商银行、招行），按本行持仓记录。" in reply.text
            assert "1 项为他行资产" in reply.text and "own_names" not in reply.text, reply.text
        else:
            assert "2 of them name your own bank (招商银行, 招行): held here." in reply.text, reply.text
        assert sorted(h.name for h in await repo.holdings.list(user_id)) == ["定期", "稳享"]
        text = next(r for r in await rm.send("/review 刘总") if r.method == "sendMessage").text
        assert "招商银行" not in text and "招行" not in text, "the own bank's rows are no other bank's assets"
        assert ("<b>合计（CNY）</b>：450万元" if language == "zh" else "<b>Total (CNY)</b>: ¥4,500,000") in text, text


async def test_a_risk_level_said_in_a_note_goes_with_the_other_bank_asset(rm, repo):
    await rm.send("刘总 他行理财 300万 R3")
    text = next(r for r in await rm.send("/review 刘总") if r.method == "sendMessage").text
    assert "他行（未注明）理财 R3：300万元" in text, text

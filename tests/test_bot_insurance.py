"""Insurance holdings as an RM uses them (issue 19): a note in, the bot's reply, Undo, whose policy it
is, the card's coverage section, the holdings import, /mydata and /forget, through the offline Bot API."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from storage.records import Fact
from tests.conftest import RM_EN, RM_ZH


def only_message(replies):
    messages = [r for r in replies if r.method in ("sendMessage", "editMessageText")]
    assert len(messages) == 1, [m.text for m in messages]
    return messages[0]


async def _policies(repo, rm_id: int):
    return [h for h in await repo.holdings.list(rm_id) if h.cover is not None]


async def test_a_policy_note_files_an_insurance_holding_says_so_and_undo_removes_it(rm, repo):
    await rm.send("拜访刘总")
    reply = only_message(await rm.send("刘总给女儿小雨买了重疾险，保额50万，年缴1万，交20年"))
    assert "已记入 <b>刘总</b> 的档案（不算一次联系）" in reply.text
    assert "🛡 保单：女儿小雨 · 重疾险 保额 50万元 · 年缴 1万元 · 20 年" in reply.text
    assert reply.button_labels()[:2] == ["↩️ 撤销", "✏️ 修改"]
    [policy] = await _policies(repo, RM_ZH)
    assert (policy.product, policy.amount, policy.currency) == ("INSURANCE", None, "CNY"), \
        "a sum insured is not an asset: the holding's amount stays empty"
    assert policy.cover is not None and (policy.cover.insured, policy.cover.insured_name, policy.cover.kind,
                                         policy.cover.sum_insured, policy.cover.premium, policy.cover.premium_period,
                                         policy.cover.term_years) == \
        ("daughter", "小雨", "critical_illness", 500_000, 10_000, "year", 20)
    await rm.press("↩️ 撤销", on=reply)
    assert await _policies(repo, RM_ZH) == [], "Undo removes the policy with its note"
    card = only_message(await rm.send("/client 刘总"))
    assert "保障" not in card.text and "重疾" not in card.text


async def test_the_insured_resolves_to_a_family_member_on_the_profile_by_relation(rm, repo):
    await rm.send("拜访刘总")
    await rm.send("刘总的爱人张丽 生日农历八月十五")
    reply = only_message(await rm.send("刘总爱人 意外险 保额100万"))
    assert "🛡 保单：爱人张丽 · 意外险 保额 100万元" in reply.text, "爱人 is 张丽, the one spouse on the profile"
    [policy] = await _policies(repo, RM_ZH)
    assert policy.cover is not None and (policy.cover.insured, policy.cover.insured_name) == ("spouse", "张丽")
    reply = only_message(await rm.send("王姐 医疗险 保费3000/年"))
    assert "🛡 保单：王姐本人 · 医疗险 年缴 3000元" in reply.text, "no relation named: the client's own"


async def test_whose_policy_is_asked_with_one_tap_per_person_never_guessed(rm, repo):
    await rm.send("拜访刘总")
    await rm.send("刘总 女儿小雨 2010-06-01 在读高二")
    await rm.send("刘总 女儿小雪 2014-03-02")
    reply = only_message(await rm.send("刘总给女儿买了重疾险，保额30万"))
    assert "🛡 保单：被保险人待确认 · 重疾险 保额 30万元" in reply.text
    assert "这份重疾险的被保险人是谁？" in reply.text
    assert reply.button_labels() == ["刘总本人", "女儿小雨", "女儿小雪", "↩️ 撤销", "✏️ 修改"], \
        "two daughters on the profile: which one is asked"
    [policy] = await _policies(repo, RM_ZH)
    assert policy.cover is not None and policy.cover.insured is None, "filed without a guess"
    card = only_message(await rm.send("/client 刘总"))
    assert "• 被保险人待确认：重疾险 保额 30万元" in card.text
    tapped = only_message(await rm.press("女儿小雪", on=reply))
    assert "🛡 已记为女儿小雪的重疾险。" in tapped.text and "↩️ 撤销" in tapped.button_labels()
    [policy] = await _policies(repo, RM_ZH)
    assert policy.cover is not None and (policy.cover.insured, policy.cover.insured_name) == ("daughter", "小雪")
    card = only_message(await rm.send("/client 刘总"))
    assert "• 女儿小雪：重疾险 保额 30万元" in card.text
    assert "⚠️ 女儿小雨：无重疾保障" in card.text and "⚠️ 刘总" not in card.text
    assert "⚠️ 本人：无重疾保障" in card.text and "⚠️ 女儿小雪" not in card.text
    stale = await rm.press_data(f"n:i:{policy.contact_id}:{policy.id}:999999", reply.message_id)
    assert any(s.method == "answerCallbackQuery" and s.params.get("show_alert") for s in stale), \
        "a family member who is not on this client's profile is refused"


async def test_a_family_policy_note_asks_and_another_rm_cannot_answer_it(rm, rm_en, repo):
    await rm.send("拜访刘总")
    reply = only_message(await rm.send("刘总给家人买了意外险"))
    assert "这份意外险的被保险人是谁？" in reply.text and reply.button_labels()[0] == "刘总本人"
    [policy] = await _policies(repo, RM_ZH)
    await rm_en.send("visited Mr Chen")
    forged = await rm_en.press_data(f"n:i:{policy.contact_id}:{policy.id}:s")
    assert any(s.method == "answerCallbackQuery" and s.params.get("show_alert") for s in forged)
    [policy] = await _policies(repo, RM_ZH)
    assert policy.cover is not None and policy.cover.insured is None, "another RM's tap changes nothing"
    await rm.press("刘总本人", on=reply)
    [policy] = await _policies(repo, RM_ZH)
    assert policy.cover is not None and policy.cover.insured == "self"


async def test_the_english_card_shows_cover_per_person_and_flags_who_has_no_critical_illness_cover(rm_en, repo):
    await rm_en.send("visited Mr Chen")
    await rm_en.send("Mr Chen's daughter Xiaoyu, 12, studies at Hill School")
    reply = only_message(await rm_en.send("Mr Chen has life cover 2m HKD for 20 years, premium 80k a year"))
    assert "🛡 Policy: Mr Chen (self) · life sum insured HKD 2,000,000 · premium HKD 80,000/yr · 20 years" \
        in reply.text
    card = only_message(await rm_en.send("/client Mr Chen"))
    assert "🛡 <b>Cover</b>" in card.text
    assert "• self: life sum insured HKD 2,000,000 · premium HKD 80,000/yr · 20 years" in card.text
    assert "• daughter Xiaoyu: none" in card.text
    assert "⚠️ daughter Xiaoyu: no critical-illness cover" in card.text
    assert "⚠️ self: no critical-illness cover" in card.text
    assert "Holdings" not in card.text, "a policy is shown in the coverage section, not again as a holding"


async def test_a_policy_of_a_note_whose_client_is_asked_is_filed_once_the_client_is_picked(rm, repo):
    await rm.send("拜访刘芳")
    await rm.send("拜访刘强")
    reply = only_message(await rm.send("刘总有寿险 保额100万"))
    assert "哪位客户" in reply.text or "客户待确认" in reply.text
    assert await _policies(repo, RM_ZH) == [], "no client yet: not filed under a guess"
    picked = only_message(await rm.press("刘芳", on=reply))
    assert "🛡 保单：" in picked.text and "寿险 保额 100万元" in picked.text
    [policy] = await _policies(repo, RM_ZH)
    [liu_fang] = [c for c in await repo.clients.list(RM_ZH) if c.name == "刘芳"]
    assert policy.client_id == liu_fang.id and policy.cover is not None and policy.cover.insured == "self"
    assert [f for f in await repo.client_facts.for_client(RM_ZH, liu_fang.id) if f.kind == "cover"] == []


INSURANCE_IMPORT = (
    "客户,产品,名称,被保险人,险种,保额,保费,缴费方式,缴费年期\n"
    "刘总,保险,平安福,本人,寿险,100万,2万,年缴,20\n"
    "刘总,保险,少儿重疾,女儿小雨,重疾险,50万,1万,年缴,至30岁\n"
    "刘总,保险,养老年金,爱人张丽,年金,,100万,趸交,\n"
    "刘总,保险,某保单,本人,寿险,很多,,,\n"
    "刘总,保险,某保单2,本人,意外险,,,,二十年左右\n"
).encode()


async def test_the_holdings_import_reads_the_insurance_columns_and_counts_unreadable_rows(rm, repo):
    await rm.send("拜访刘总")
    reply = (await rm.send_document("holdings.csv", INSURANCE_IMPORT, caption="holdings"))[-1]
    assert "新增 3" in reply.text and "2 行未导入" in reply.text
    assert "第 5 行：保额“很多”无法识别" in reply.text
    assert "第 6 行：年限“二十年左右”无法识别" in reply.text
    policies = {h.name: h.cover for h in await _policies(repo, RM_ZH)}
    assert set(policies) == {"平安福", "少儿重疾", "养老年金"}
    assert policies["少儿重疾"] is not None and policies["少儿重疾"].term_to_age == 30
    annuity = policies["养老年金"]
    assert annuity is not None and (annuity.insured, annuity.insured_name, annuity.kind, annuity.premium,
                                    annuity.premium_period) == ("spouse", "张丽", "annuity", 1_000_000, "single")
    card = only_message(await rm.send("/client 刘总"))
    assert "• 本人：寿险 保额 100万元 · 年缴 2万元 · 20 年" in card.text
    assert "• 女儿小雨：重疾险 保额 50万元 · 年缴 1万元 · 保至 30 岁" in card.text
    assert "• 爱人张丽：年金险 趸交 100万元" in card.text and "⚠️ 爱人张丽：无重疾保障" in card.text


async def test_mydata_includes_the_policies_and_forget_erases_them(rm, repo):
    await rm.send("拜访刘总")
    await rm.send("刘总给女儿小雨买了重疾险，保额50万，年缴1万，交20年")
    replies = await rm.send("/mydata")
    document = next(r for r in replies if r.method == "sendDocument")
    data = json.loads(document.params["_files"]["document"])
    [policy] = [h for h in data["holdings"] if h["cover_kind"]]
    assert (policy["insured_relation"], policy["insured_name"], policy["sum_insured_cents"]) == \
        ("daughter", "小雨", 50_000_000)
    [client] = await repo.clients.list(RM_ZH)
    await rm.send("/forget 刘总")
    await rm.press(f"p:forget:{client.id}")
    assert await repo.db.fetch_all("SELECT * FROM holdings WHERE rm_id = ?", (RM_ZH,)) == []
    assert await repo.holdings.list(RM_EN) == []


async def test_a_policy_kept_as_a_fact_before_insurance_holdings_is_not_shown_twice_after_a_re_import(rm, repo):
    """Before migration 0010 an import filed an insurance row as a holding plus a cover fact; the
    migration leaves such a fact (which holding is it?), and a re-import fills the holding."""
    await rm.send("拜访刘总")
    [client] = await repo.clients.list(RM_ZH)
    old = Fact("cover", json.dumps({"insured": "daughter", "name": "小雨", "kind": "critical_illness", "sum": 500000.0,
                                    "premium": 10000.0, "term": 20, "currency": None}), date(2026, 11, 1))
    await repo.client_facts.add(RM_ZH, client.id, [old], datetime(2026, 11, 1, tzinfo=UTC))
    card = only_message(await rm.send("/client 刘总"))
    assert "• 女儿小雨：重疾险 保额 50万元 · 年缴 1万元 · 20 年" in card.text, "a fact the migration left shows"
    await rm.send_document("holdings.csv", INSURANCE_IMPORT, caption="holdings")
    card = only_message(await rm.send("/client 刘总"))
    assert card.text.count("• 女儿小雨：") == 1 and card.text.count("重疾险") == 1

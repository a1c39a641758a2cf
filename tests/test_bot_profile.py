"""Client profiles as an RM uses them (issue 19): notes in, the bot's replies and the card out."""

from __future__ import annotations

import json

from tests.conftest import RM_EN, RM_ZH


def only_message(replies):
    messages = [r for r in replies if r.method in ("sendMessage", "editMessageText")]
    assert len(messages) == 1, [m.text for m in messages]
    return messages[0]


async def test_a_profile_only_note_is_filed_on_the_profile_not_as_a_contact(rm, repo):
    await rm.send("拜访刘总，需要信用证")
    reply = only_message(await rm.send("刘总 女儿小雨 2010-06-01 在读高二"))
    assert "已记入 <b>刘总</b> 的档案（不算一次联系）" in reply.text
    assert "女儿小雨（生日 2010-06-01 · 16 岁 · 在读高二）" in reply.text
    assert "联系方式" not in reply.text, "a profile-only note does not ask for a channel"
    assert reply.button_labels()[:2] == ["↩️ 撤销", "✏️ 修改"]
    [client] = await repo.clients.list(RM_ZH)
    last = await repo.contacts.last_contacts(RM_ZH)
    assert last[client.id].isoformat() == "2026-11-25"
    [profile_note, _] = await repo.contacts.recent(RM_ZH, 2)
    assert profile_note.occurred_on is None and profile_note.channel is None
    assert profile_note.raw_text == "刘总 女儿小雨 2010-06-01 在读高二", "the raw text is stored"


async def test_a_contact_with_a_fact_does_both_and_the_card_shows_the_profile(rm, repo):
    reply = only_message(await rm.send("昨天电话王姐，她风险偏好稳健，喜欢微信联系，下周二回访"))
    assert "已记录：<b>王姐</b>" in reply.text and "电话 · 11月24日" in reply.text
    assert "已记入 <b>王姐</b> 的档案" in reply.text
    assert "C2 稳健型" in reply.text and "微信/短信" in reply.text
    await rm.send("王姐的爱人张丽 生日农历八月十五")
    card = only_message(await rm.send("/client 王姐"))
    assert "<b>客户档案</b>" in card.text
    assert "爱人张丽（生日 农历8月15日）" in card.text
    assert "⚖️ 风险等级：C2 稳健型（2026-11-25 评估）" in card.text
    assert "📞 联系偏好：微信/短信" in card.text


async def test_undo_takes_the_facts_away(rm, repo):
    await rm.send("拜访刘总")
    await rm.send("刘总 风险偏好 进取")
    card = only_message(await rm.send("/client 刘总"))
    assert "C5 进取型" in card.text
    await rm.press("↩️ 撤销", on=[s for s in rm.api.sent if "已记入" in (s.text or "")][-1])
    card = only_message(await rm.send("/client 刘总"))
    assert "进取" not in card.text and "客户档案" not in card.text


async def test_english_profile_note(rm_en, repo):
    await rm_en.send("visited Mr Chen")
    reply = only_message(await rm_en.send("Mr Chen likes golf, don't call during office hours, prefers WeChat at lunch"))
    assert "Added to <b>Mr Chen</b>'s profile (not counted as a contact)" in reply.text
    assert "Hobbies: golf" in reply.text
    assert "Careful: don't call during office hours" in reply.text
    assert "Prefers: WeChat/SMS · at lunch" in reply.text
    [client] = await repo.clients.list(RM_EN)
    facts = await repo.client_facts.for_client(RM_EN, client.id)
    assert {f.kind for f in facts} == {"hobby", "caution", "channel", "time"}


async def test_an_ambiguous_note_files_its_facts_with_the_client_picked(rm, repo):
    await rm.send("拜访刘芳")
    await rm.send("拜访刘强")
    reply = only_message(await rm.send("刘总 女儿小雨 2010-06-01"))
    if "哪位客户" in reply.text:
        await rm.press("刘芳")
        [client] = [c for c in await repo.clients.list(RM_ZH) if c.name == "刘芳"]
    else:
        [client] = [c for c in await repo.clients.list(RM_ZH) if c.name == "刘总"]
    facts = await repo.client_facts.for_client(RM_ZH, client.id)
    assert [f.kind for f in facts] == ["family"]


async def test_forget_erases_and_mydata_includes_the_facts(rm, repo):
    await rm.send("拜访刘总")
    await rm.send("刘总 女儿小雨 2010-06-01")
    replies = await rm.send("/mydata")
    document = next(r for r in replies if r.method == "sendDocument")
    data = json.loads(document.params["_files"]["document"])
    assert any("小雨" in fact["value"] for fact in data["client_facts"])
    [client] = await repo.clients.list(RM_ZH)
    await rm.send("/forget 刘总")
    await rm.press(f"p:forget:{client.id}")
    assert await repo.db.fetch_all("SELECT * FROM client_facts WHERE rm_id = ?", (RM_ZH,)) == []


async def test_family_birthdays_join_the_digest_and_due_contacts_show_how_to_reach(rm, repo):
    # today is Wed 2026-11-25; 11-27 is in two days
    await rm.send("拜访刘总")
    await rm.send("刘总的女儿小雨 2012-11-27 在读初二")
    await rm.send("王姐 喜欢微信联系，中午方便")  # a new client, never contacted: due
    digest = (await rm.send("/due"))[-1]
    assert "刘总的女儿小雨" in digest.text and "11月27日" in digest.text
    王姐 = next(line for line in digest.text.splitlines() if "王姐" in line)
    assert "（偏好：微信/短信 · 中午）" in 王姐


async def test_a_lunar_birthday_of_a_family_member_in_english(rm_en, repo):
    # lunar 10/19 of 2026 falls on solar 2026-11-27, in two days
    await rm_en.send("visited Mr Ye")
    await rm_en.send("Mr Ye's mother, lunar 10/19 birthday")
    digest = (await rm_en.send("/due"))[-1]
    line = next(line for line in digest.text.splitlines() if "mother" in line)
    assert "Mr Ye's mother" in line and "Fri 27 Nov" in line and "lunar" in line


async def test_edit_fields_accept_the_profile(rm, repo):
    await rm.send("拜访刘总")
    [client] = await repo.clients.list(RM_ZH)
    await rm.send("/client 刘总")
    await rm.press("🛠 修改资料")
    assert "风险等级" in rm.api.sent[-1].button_labels()
    await rm.press("风险等级")
    bad = only_message(await rm.send("很高"))
    assert "风险等级格式不对" in bad.text and "C1–C5" in bad.text
    saved = only_message(await rm.send("平衡型"))
    assert "已保存 刘总 的风险等级" in saved.text
    await rm.press_data(f"c:field:{client.id}:family")
    await rm.send("女儿小雨 2010-06-01 在读高二")
    await rm.press_data(f"c:field:{client.id}:reach")
    await rm.send("微信 中午")
    card = only_message(await rm.send("/client 刘总"))
    assert "C3 平衡型" in card.text and "女儿小雨" in card.text and "微信/短信 · 中午" in card.text
    await rm.press_data(f"c:field:{client.id}:risk_level")
    await rm.send("C4")
    card = only_message(await rm.send("/client 刘总"))
    assert "C4 成长型" in card.text and "C3" not in card.text, "an edited level replaces the old one"


CLIENTS_WITH_PROFILE = (
    "姓名,等级,风险等级,风险评估日期,爱好,联系偏好,注意事项,家庭成员\n"
    "刘总,A,稳健,2026-03-01,高尔夫、钓鱼,微信 中午,不要上班时间打电话,女儿小雨 2010-06-01 在读高二\n"
    "王姐,B,C4,,,,,\n"
    "赵总,B,很高,,,,,\n"
).encode("utf-8")


async def test_the_clients_import_accepts_the_profile(rm, repo):
    reply = (await rm.send_document("clients.csv", CLIENTS_WITH_PROFILE))[-1]
    assert "新增 2" in reply.text and "第 4 行" in reply.text and "很高" in reply.text
    card = only_message(await rm.send("/client 刘总"))
    assert "C2 稳健型（2026-03-01 评估）" in card.text
    assert "高尔夫、钓鱼" in card.text and "微信/短信 · 中午" in card.text and "不要上班时间打电话" in card.text
    assert "女儿小雨" in card.text
    card = only_message(await rm.send("/client 王姐"))
    assert "C4 成长型（评估日期未知）" in card.text, "no assessment date is said, never made up"
    again = (await rm.send_document("clients.csv", CLIENTS_WITH_PROFILE))[-1]
    assert "更新 2" in again.text
    card = only_message(await rm.send("/client 刘总"))
    assert card.text.count("女儿小雨") == 1 and card.text.count("高尔夫") == 1, "a re-import does not duplicate"


async def test_the_card_shows_cover_per_person_and_flags_no_critical_illness(rm, repo):
    await rm.send("拜访刘总")
    await rm.send("刘总的爱人张丽 生日农历八月十五")
    await rm.send("刘总给女儿小雨买了重疾险，保额50万，年缴1万，20年")
    await rm.send("刘总有寿险 保额100万")
    card = only_message(await rm.send("/client 刘总"))
    assert "🛡 <b>保障</b>" in card.text
    assert "• 本人：寿险 保额 100万元" in card.text and "⚠️ 本人：无重疾保障" in card.text
    assert "• 爱人张丽：无" in card.text and "⚠️ 爱人张丽：无重疾保障" in card.text
    assert "• 女儿小雨：重疾险 保额 50万元 · 年缴 1万元 · 20 年" in card.text
    assert "⚠️ 女儿小雨" not in card.text, "she has critical-illness cover"


INSURANCE_HOLDINGS = (
    "客户,产品,名称,被保险人,险种,保额,保费,年限\n"
    "刘总,保险,平安福,本人,寿险,1000000,20000,20\n"
    "刘总,保险,少儿重疾,女儿小雨,重疾险,500000,10000,20\n"
    "刘总,保险,车险,本人,火箭险,,,\n"
).encode("utf-8")


async def test_the_holdings_import_carries_cover_per_person(rm, repo):
    await rm.send("拜访刘总")
    reply = (await rm.send_document("holdings.csv", INSURANCE_HOLDINGS, caption="holdings"))[-1]
    assert "第 4 行" in reply.text and "火箭险" in reply.text, "a kind of cover it cannot read is refused"
    card = only_message(await rm.send("/client 刘总"))
    assert "• 本人：寿险 保额 100万元 · 年缴 2万元 · 20 年" in card.text and "⚠️ 本人：无重疾保障" in card.text
    assert "• 女儿小雨：重疾险 保额 50万元 · 年缴 1万元 · 20 年" in card.text and "⚠️ 女儿小雨" not in card.text
    await rm.send_document("holdings.csv", INSURANCE_HOLDINGS, caption="holdings")
    card = only_message(await rm.send("/client 刘总"))
    assert card.text.count("女儿小雨") == 1, "a re-import does not list a policy twice"


async def test_a_note_naming_several_clients_files_no_profile_facts_and_says_so(rm, repo):
    await rm.send("拜访刘总")
    await rm.send("拜访王总")
    replies = await rm.send("拜访刘总和王总，女儿小雨 2010-06-01 在读高二")
    texts = [r.text for r in replies if r.method == "sendMessage"]
    assert any("提到多位客户，客户资料未保存" in text for text in texts)
    assert await repo.db.fetch_all("SELECT * FROM client_facts WHERE rm_id = ?", (RM_ZH,)) == []


async def test_snoozing_a_family_birthday_leaves_the_clients_own_and_the_reverse(rm, repo):
    # today is Wed 2026-11-25: 刘总's own birthday (on the card) and his daughter's are both in two days
    await rm.send("拜访刘总")
    await rm.send("刘总的女儿小雨 2012-11-27 在读初二")
    [client] = await repo.clients.list(RM_ZH)
    await repo.clients.set_field(RM_ZH, client.id, "birthday", "1975-11-27")
    digest = (await rm.send("/due"))[-1]
    birthdays = [line for line in digest.text.splitlines() if "11月27日" in line]
    assert len(birthdays) == 2, digest.text
    family = [b["callback_data"] for row in digest.buttons for b in row if b["callback_data"].startswith("d:s7:r:")]
    own = [b["callback_data"] for row in digest.buttons for b in row if b["callback_data"].startswith("d:s7:b:")]
    assert len(family) == 1 and own == [f"d:s7:b:{client.id}"], "each birthday has its own snooze key"

    await rm.press(family[0], on=digest)
    after = [line for line in (await rm.send("/due"))[-1].text.splitlines() if "11月27日" in line]
    assert len(after) == 1 and "小雨" not in after[0] and "刘总" in after[0], "the client's own birthday stays"

    await rm.press(own[0], on=(await rm.send("/due"))[-1])
    assert not [line for line in (await rm.send("/due"))[-1].text.splitlines() if "11月27日" in line]
    assert {(row["kind"], row["item_id"]) for row in await repo.db.fetch_all(
        "SELECT kind, item_id FROM reminder_snoozes WHERE rm_id = ?", (RM_ZH,))} == {
        ("family", int(family[0].rsplit(":", 1)[1])), ("birthday", client.id)}


async def test_snoozing_the_clients_own_birthday_leaves_the_familys(rm, repo):
    await rm.send("拜访刘总")
    await rm.send("刘总的女儿小雨 2012-11-27 在读初二")
    [client] = await repo.clients.list(RM_ZH)
    await repo.clients.set_field(RM_ZH, client.id, "birthday", "1975-11-27")
    await rm.press(f"d:s1:b:{client.id}", on=(await rm.send("/due"))[-1])
    after = [line for line in (await rm.send("/due"))[-1].text.splitlines() if "11月27日" in line]
    assert len(after) == 1 and "刘总的女儿小雨" in after[0]


async def test_forget_takes_the_family_birthday_snoozes_with_the_client(rm, repo):
    await rm.send("拜访刘总")
    await rm.send("刘总的女儿小雨 2012-11-27 在读初二")
    digest = (await rm.send("/due"))[-1]
    [family] = [b["callback_data"] for row in digest.buttons for b in row if b["callback_data"].startswith("d:s7:r:")]
    await rm.press(family, on=digest)
    assert await repo.snoozes.all(RM_ZH)
    [client] = await repo.clients.list(RM_ZH)
    await rm.send("/forget 刘总")
    await rm.press(f"p:forget:{client.id}")
    assert await repo.snoozes.all(RM_ZH) == {}


async def test_trial3_preferences_written_with_spaces_are_facts_not_a_wechat_contact(rm, repo):
    """Trial 3 D4: 喜欢微信联系 and 不喜欢上班时间接电话 are how to reach the client, not a contact today;
    every fact of the spaced note is kept, not only the risk level."""
    await rm.send("昨天拜访刘建国，需要信用证")
    reply = only_message(await rm.send("刘建国 喜欢打高尔夫 风险等级稳健 喜欢微信联系 不喜欢上班时间接电话"))
    assert "不算一次联系" in reply.text, reply.text
    assert "高尔夫" in reply.text and "C2 稳健型" in reply.text and "微信/短信" in reply.text
    assert "不喜欢上班时间接电话" in reply.text
    [client] = await repo.clients.list(RM_ZH)
    last = await repo.contacts.last_contacts(RM_ZH)
    assert last[client.id].isoformat() == "2026-11-24", "no WeChat contact today"
    facts = await repo.client_facts.for_client(RM_ZH, client.id)
    assert {f.kind for f in facts} >= {"hobby", "risk", "channel", "caution"}


async def test_trial3_a_date_word_is_never_a_family_member(rm, repo):
    await rm.send("昨天拜访刘建国，需要信用证")
    reply = only_message(await rm.send("刘建国 女儿下周三生日 准备礼物"))
    assert "下周" not in reply.text.replace("刘建国 女儿下周三生日 准备礼物", ""), reply.text
    [client] = await repo.clients.list(RM_ZH)
    facts = await repo.client_facts.for_client(RM_ZH, client.id)
    assert not [f for f in facts if f.kind == "family"], "no daughter called 下周"

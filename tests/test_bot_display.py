"""Trial report 2, defects 8 and 10: what the RM sees says the right thing on the right line, in both
languages (an update in, the bot's replies out): a plan's time beside its date, a plan on the card as
a plan, one /due line per client per day, and what /week's "new clients" counts."""

from __future__ import annotations

from datetime import timedelta

from tests.conftest import NOW, RM_EN, RM_ZH
from tests.test_bot_notes import only_message


async def test_a_plans_time_is_on_its_date_line_not_after_the_amount(rm, rm_en):
    reply = only_message(await rm.send("明天下午3点回访张总，谈信用证，30万"))
    lines = reply.text.split("\n")
    assert lines[1].endswith("11月26日 周四 15:00"), lines
    assert "金额：30万元" in lines and "需求：信用证" in lines, "no time after the amount or the needs"
    reply = only_message(await rm_en.send("call Zhang tomorrow 3pm about LC, 300k"))
    lines = reply.text.split("\n")
    assert lines[1] == "Call · Thu 26 Nov 15:00" and "Amount: ¥300,000" in lines and "Needs: Letter of credit" in lines


async def test_a_profile_note_on_the_card_is_a_record_not_an_undated_contact(rm):
    """Trial 3: a note of profile facts showed among recent contacts as '（无日期）'."""
    await rm.send("拜访刘总，需要贷款")
    await rm.send("刘总 喜欢打高尔夫 不喜欢上班时间接电话")
    card = only_message(await rm.send("/client 刘总"))
    assert "📝 记录 – 刘总 喜欢打高尔夫" in card.text and "无日期" not in card.text, card.text


async def test_a_plan_on_the_card_shows_as_a_plan_with_its_date(rm, rm_en):
    await rm.send("拜访张总，需要贷款")
    await rm.send("明天下午3点回访张总，谈信用证")
    card = only_message(await rm.send("/client 张总"))
    assert "🗓 计划 11月26日 周四 15:00 – 明天下午3点回访张总" in card.text and "无日期" not in card.text
    assert "? 方式未记录" not in card.text, "a note without a channel shows no '?' letter"
    await rm_en.send("visited Zhang, needs a loan")
    await rm_en.send("call Zhang tomorrow 3pm about LC")
    card = only_message(await rm_en.send("/client Zhang"))
    assert "🗓 planned Thu 26 Nov 15:00" in card.text and "no date" not in card.text


async def test_due_lists_a_client_once_a_day_with_both_follow_ups_and_done_closes_both(rm, repo, clock):
    await rm.send("拜访张总，需要贷款，明天晚上7点回访")
    await rm.send("电话张总，谈信用证，明天下午3点20回访")
    clock.now = NOW + timedelta(days=1)
    due = only_message(await rm.send("/due"))
    assert due.text.count("张总") == 1, due.text
    assert "今天到期 15:20、19:00（2 项）" in due.text
    await rm.press("✓ 1 张总", on=due)
    assert await repo.follow_ups.open(RM_ZH) == [], "Done on the line closes both follow-ups"
    assert len(await repo.contacts.recent(RM_ZH, 10)) == 3, "the two notes and one contact logged by Done"


async def test_snoozing_the_line_snoozes_both(rm_en, repo, clock):
    await rm_en.send("visited Zhang, needs a loan, follow up tomorrow 7pm")
    await rm_en.send("called Zhang about LC, follow up tomorrow 3pm")
    clock.now = NOW + timedelta(days=1)
    due = only_message(await rm_en.send("/due"))
    assert "due today 15:00, 19:00 (2 items)" in due.text
    await rm_en.press("+1 day", on=due)
    assert all(f.snoozed_until is not None for f in await repo.follow_ups.open(RM_EN))
    assert "Zhang" not in only_message(await rm_en.send("/due")).text


async def test_week_says_what_new_clients_counts_and_shows_the_clients_added(rm, rm_en):
    await rm.send("拜访刘总，需要信用证")
    await rm.send("明天拜访孙总")  # a plan: 孙总 is added, not yet contacted
    week = only_message(await rm.send("/week")).text
    assert "新客户（本周首次联系）：1 位 · 本周新建 2 位" in week, week
    await rm_en.send("visited Liu, needs LC")
    week = only_message(await rm_en.send("/week")).text
    assert "new clients (first contacted this week): 1" in week and "added this week" not in week, week
    await rm_en.send("visit Sun tomorrow")
    week = only_message(await rm_en.send("/week")).text
    assert "new clients (first contacted this week): 1 · added this week: 2" in week, week

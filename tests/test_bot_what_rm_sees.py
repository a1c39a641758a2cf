"""Issue 18: what the RM sees is right and complete (reports, digest, card), in both languages,
end to end through the offline Bot API."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from types import SimpleNamespace

from tests.conftest import NOW, RM_EN, RM_ZH

D = date.fromisoformat
#: 04:44 on Monday 30 Nov 2026 in Shanghai: still Sunday 29 Nov in UTC.
MONDAY_EARLY = datetime.fromisoformat("2026-11-30T04:44:00+08:00")


def client_row(name, tier="B", last=None):
    return SimpleNamespace(name=name, phone=None, company=None, tier=tier, birthday=None, lunar_birthday=None,
                           last_contact=D(last) if last else None, cadence_days=None, notes=None)


def button_data(sent):
    return [b["callback_data"] for row in sent.buttons for b in row]


async def test_week_at_0444_monday_in_shanghai_counts_todays_new_clients_in_this_week(rm, rm_en, clock):
    clock.now = MONDAY_EARLY
    await rm.send("拜访刘总,需要信用证")
    await rm_en.send("visited Liu, needs LC")
    week = (await rm.send("/week"))[-1].text
    assert "11月30日" in week and "新客户（本周首次联系）：1 位" in week and "联系次数：<b>1</b>" in week, week
    assert "new clients (first contacted this week): 1" in (await rm_en.send("/week"))[-1].text
    last_week = (await rm_en.send("/week 2026-11-29"))[-1].text
    assert "new clients (first contacted this week): 0" in last_week and "Contacts: <b>0</b>" in last_week
    today = (await rm.send("/today"))[-1].text
    assert "已记录 1 次联系" in today and "刘总" in today


async def test_imported_clients_are_shown_apart_from_new_clients(rm_en, repo, clock):
    await rm_en.send("/start")
    await repo.clients.import_rows(RM_EN, [client_row(f"Client {n}", last="2026-05-10") for n in range(19)], NOW)
    await rm_en.send("called Client 3, wants a deposit")   # an imported client contacted: not new
    await rm_en.send("visited Zhou, needs LC")              # first contact with Zhou: new
    month = (await rm_en.send("/month"))[-1].text
    assert "Clients reached: 2 · new clients (first contacted this month): 1 · imported: 19" in month, month


async def test_garbage_and_plans_are_stored_but_not_counted_as_contacts(rm, rm_en, repo):
    await rm_en.send("asdfghjkl")
    await rm_en.send("visit Sun tomorrow")
    assert len(await repo.contacts.recent(RM_EN, 10)) == 2  # both stored, raw
    week = (await rm_en.send("/week"))[-1].text
    assert "Contacts: <b>0</b>" in week and "?" not in week.split("\n")[1], week
    assert "0 contacts logged" in (await rm_en.send("/today"))[-1].text
    await rm.send("asdfghjkl")
    assert "联系次数：<b>0</b>" in (await rm.send("/week"))[-1].text


async def test_done_logs_the_channel_of_the_note_that_set_the_follow_up_and_offers_to_change_it(rm_en, repo, clock):
    await rm_en.send("called Liu, wants a deposit, follow up tomorrow")
    clock.now = NOW + timedelta(days=1)
    digest = (await rm_en.send("/due"))[-1]
    done = next(d for d in button_data(digest) if d.startswith("d:ok:f:"))
    replies = await rm_en.press(done, on=digest)
    edited = next(r for r in replies if r.method == "editMessageText")
    assert edited.message_id == digest.message_id and "Liu" not in edited.text, edited.text
    asked = replies[-1]
    assert asked.method == "sendMessage" and "logged as: Call" in asked.text
    logged = (await repo.contacts.recent(RM_EN, 1))[0]
    assert logged.channel == "call" and logged.occurred_on == D("2026-11-26")
    changed = (await rm_en.press("Visit", on=asked))[-1]
    assert "Changed to Visit" in changed.text
    assert (await repo.contacts.get(RM_EN, logged.id)).channel == "visit"
    week = (await rm_en.send("/week"))[-1].text
    assert "?" not in week.split("\n")[1], week


async def test_done_on_a_due_client_asks_the_channel_in_chinese(rm, repo):
    await rm.send("/start")
    await repo.clients.import_rows(RM_ZH, [client_row("王姐", "A", "2026-10-01")], NOW)
    digest = (await rm.send("/due"))[-1]
    done = next(d for d in button_data(digest) if d.startswith("d:ok:c:"))
    replies = await rm.press(done, on=digest)
    assert "王姐" not in next(r for r in replies if r.method == "editMessageText").text
    assert "是哪种方式" in replies[-1].text
    assert "已改为电话" in (await rm.press("电话", on=replies[-1]))[-1].text


async def test_a_snooze_edits_the_digest_in_place(rm, repo):
    await rm.send("/start")
    await repo.clients.import_rows(RM_ZH, [client_row("王姐", "A", "2026-10-01"), client_row("李总", "A", "2026-09-01")], NOW)
    digest = (await rm.send("/due"))[-1]
    snooze = next(d for d in button_data(digest) if d.startswith("d:s1:c:"))
    replies = await rm.press(snooze, on=digest)
    edited = next(r for r in replies if r.method == "editMessageText")
    assert edited.message_id == digest.message_id
    assert ("王姐" in edited.text) != ("李总" in edited.text), edited.text  # one left, one hidden


async def test_today_lists_every_contact_newest_first_in_pages(rm_en):
    for n in range(23):
        await rm_en.send(f"called Client{n:02d}, wants a deposit")
    first = (await rm_en.send("/today"))[-1]
    assert "23 contacts logged" in first.text and "(page 1/3)" in first.text
    assert first.text.index("Client22") < first.text.index("Client21") and "Client12" not in first.text
    second = (await rm_en.press("Next ›", on=first))[-1]
    assert second.method == "editMessageText" and "Client12" in second.text and "(page 2/3)" in second.text
    third = (await rm_en.press("Next ›", on=first))[-1]
    assert "Client00" in third.text and "Next ›" not in [b["text"] for row in third.buttons for b in row]


async def test_week_shows_every_need(rm_en):
    needs = ["LC", "deposit", "loan", "FX", "wealth management", "bill discounting", "supply chain finance",
             "bank acceptance bill"]
    for n, need in enumerate(needs):
        await rm_en.send(f"visited Client{n}, needs {need}")
    week = (await rm_en.send("/week"))[-1].text
    line = next(line for line in week.split("\n") if line.startswith("Needs captured"))
    assert line.count(" 1") >= 7, line


async def test_card_follow_ups_keep_their_time_and_are_not_repeated(rm, rm_en):
    await rm.send("拜访刘总,需要信用证,12月3日下午3点回访")
    await rm.send("电话刘总,12月3日下午3点回访")
    card = (await rm.send("/client 刘总"))[-1].text
    assert card.count("📌") == 1 and "12月3日 周四 15:00" in card, card
    await rm_en.send("called Liu, follow up Dec 3 3pm")
    await rm_en.send("visited Liu, follow up Dec 3 at 3pm")
    await rm_en.send("visited Liu, follow up Dec 4")
    card = (await rm_en.send("/client Liu"))[-1].text
    assert card.count("📌") == 2 and "Thu 3 Dec 15:00" in card and "Fri 4 Dec" in card, card


async def test_birthday_without_a_year_is_accepted_and_shown_without_year_or_weekday(rm, rm_en):
    for user, name, typed, shown in ((rm, "刘总", "12月2日", "12月2日"), (rm_en, "Liu", "Dec 2", "2 Dec"),
                                     (rm_en, "Wang", "12-02", "2 Dec"), (rm, "王姐", "1968年12月1日", "1968年12月1日")):
        await user.send(f"拜访{name}" if user is rm else f"visited {name}")
        card = (await user.send(f"/client {name}"))[-1]
        await user.press(card.button_labels()[2], on=card)  # Edit fields
        await user.press("c:field:" + card.buttons[0][0]["callback_data"].split(":")[2] + ":birthday")
        saved = (await user.send(typed))[-1].text
        assert "birthday" in saved.lower() or "生日" in saved, saved
        card = (await user.send(f"/client {name}"))[-1].text
        line = next(line for line in card.split("\n") if line.startswith("🎂"))
        assert line == f"🎂 {shown}", (typed, line)


async def test_edit_date_refuses_a_future_day(rm_en, rm, repo):
    await rm_en.send("visited Liu, needs LC")
    await rm_en.press("✏️ Edit")
    await rm_en.press("n:f:" + str((await repo.contacts.recent(RM_EN, 1))[0].id) + ":date")
    refused = (await rm_en.send("next Friday"))[-1].text
    assert "cannot be in the future" in refused
    await rm_en.send("yesterday")  # still waiting for the date: a past one is taken
    assert (await repo.contacts.recent(RM_EN, 1))[0].occurred_on == D("2026-11-24")
    await rm.send("拜访刘总")
    await rm.press("✏️ 修改")
    await rm.press("n:f:" + str((await repo.contacts.recent(RM_ZH, 1))[0].id) + ":date")
    assert "不能是将来的日期" in (await rm.send("下周五"))[-1].text


async def test_chart_of_a_client_without_holdings_says_so_in_text(rm, rm_en):
    await rm_en.send("visited Liu")
    reply = (await rm_en.send("/chart Liu"))[-1]
    assert reply.method == "sendMessage" and "no holdings on record" in reply.text
    await rm.send("拜访刘总")
    reply = (await rm.send("/chart 刘总"))[-1]
    assert reply.method == "sendMessage" and "还没有记录持仓" in reply.text


async def test_faq_section_headers_show_their_topics_and_lead_back(rm, rm_en):
    for user, header, back in ((rm_en, "— Compliance —", "‹ All topics"), (rm, "— 合规 —", "‹ 全部主题")):
        menu = [s for s in await user.send("/faq") if s.method == "sendMessage"][-1]
        every = menu.button_labels()
        shown = (await user.press(header, on=menu))[-1]
        assert shown.method == "editMessageReplyMarkup"
        labels = [b["text"] for row in user.api.messages[(user.chat["id"], menu.message_id)]["reply_markup"]
                  ["inline_keyboard"] for b in row]
        assert labels[0] == back and 1 < len(labels) < len(every) and not any(label.startswith("—") for label in labels)
        await user.press(back, on=menu)
        labels = [b["text"] for row in user.api.messages[(user.chat["id"], menu.message_id)]["reply_markup"]
                  ["inline_keyboard"] for b in row]
        assert labels == every


async def test_unknown_timezone_names_only_the_timezone(rm, rm_en):
    reply = (await rm_en.send("/settings timezone Mars/Olympus"))[-1].text
    assert "“Mars/Olympus”" in reply and "timezone Mars" not in reply
    reply = (await rm.send("/settings 时区 火星"))[-1].text
    assert "“火星”" in reply and "时区 火星" not in reply


async def test_no_machine_like_prompts(rm, rm_en):
    saved = (await rm.send("刘总需要信用证"))[-1]
    assert "方式？" not in saved.text
    await rm.press("✏️ 修改", on=saved)
    prompt = (await rm.press("客户"))[-1].text
    assert "请发送新的" not in prompt and "客户改成什么？" in prompt
    saved = (await rm_en.send("Liu needs LC"))[-1]
    assert "channel?" not in saved.text


def test_a_note_without_dates_is_listed_on_the_rms_day_it_was_written():
    from zoneinfo import ZoneInfo

    from bot.note_reply import compose_recent
    from storage.records import Contact
    written = datetime.fromisoformat("2026-11-29T20:44:00+00:00")  # 04:44 Monday in Shanghai
    note = Contact(1, "asdfghjkl", None, None, None, None, None, created_at=written)
    text = compose_recent([note], "zh", D("2026-11-30"), ZoneInfo("Asia/Shanghai"))
    assert "11月30日 周一" in text and "11月29日" not in text


async def test_the_console_screen_prints_a_timed_follow_up_push_and_a_digest(bot, rm_en, repo, clock, tmp_path):
    import io

    from bot.console import Screen
    application, api = bot
    out = io.StringIO()
    screen = Screen(api, RM_EN, out, tmp_path / "files")
    await rm_en.send("called Liu, follow up tomorrow 3pm")
    screen.flush()
    (follow_up,) = await repo.follow_ups.open(RM_EN)
    clock.now = datetime.fromisoformat("2026-11-26T15:00:00+08:00")
    pusher, rm = application.bot_data.pusher, await repo.rms.get(RM_EN)
    assert await pusher.push_follow_up(application.bot, rm, follow_up.id) == "sent"  # a push, not a reply
    assert await pusher.push_digest(application.bot, rm, D("2026-11-26")) == "sent"
    screen.flush()
    text = out.getvalue()
    assert "Follow-up now: Liu" in text and "Follow-ups due" in text, text
    assert "[1] ✓ 1 Liu" in text


async def test_a_card_says_where_the_follow_ups_it_leaves_out_are(rm_en):
    for day in range(1, 8):
        await rm_en.send(f"called Liu, follow up Dec {day}")
    card = (await rm_en.send("/client Liu"))[-1].text
    assert card.count("📌") == 5 and "…and 2 more follow-ups: /export lists them all" in card, card

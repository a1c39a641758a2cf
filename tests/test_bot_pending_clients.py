"""Notes whose client is still to confirm (trial report 2, defect 1): the RM types the next note
instead of tapping; the notes wait, are listed in /due and the morning digest with one tap each,
and filing one offers to file the others written with the same name (never silently); the card
and the cadence then count them. An update in, the bot's replies out."""

from __future__ import annotations

from datetime import date, datetime

from bot.offline_api import Sent
from tests.conftest import RM_EN, RM_ZH
from tests.test_bot_matching import on_file
from tests.test_bot_notes import only_message


def messages(replies: list[Sent]) -> list[Sent]:
    return [r for r in replies if r.method in ("sendMessage", "editMessageText")]


async def two_unanswered_notes(rm, repo):
    await on_file(rm, repo, "刘总")
    first = only_message(await rm.send("拜访李总，理财到期，壹佰伍拾万元续作"))
    second = only_message(await rm.send("电话李总，要买基金，明天下午3点回访"))
    for reply in (first, second):
        assert "哪位客户" in reply.text and "➕ 新客户“李总”" in reply.button_labels()
        assert "会留在 /due 的“待确认客户”里" in reply.text, "the RM learns an unanswered note is not lost"
    pending = await repo.contacts.pending_clients(RM_ZH)
    assert [c.client_name for c in pending] == ["李总", "李总"], "the typed name is kept while the client waits"


async def test_two_unanswered_notes_are_listed_in_due_resolved_once_and_counted_on_the_card(rm, repo):
    await two_unanswered_notes(rm, repo)
    due = only_message(await rm.send("/due"))
    assert "待确认客户" in due.text
    assert due.text.count("“李总”是哪位") == 2
    assert "<b>?</b>" not in due.text and "?</b>" not in due.text, "never a client named '?'"
    assert "回访 11月26日 周四 15:00" in due.text, "the waiting note's follow-up shows with it"
    labels = due.button_labels()
    assert {"1· 刘总", "1· ➕ 新客户“李总”", "1· 跳过", "2· 刘总", "2· ➕ 新客户“李总”", "2· 跳过"} <= set(labels)

    replies = messages(await rm.press("1· ➕ 新客户“李总”"))
    digest, question = replies
    assert digest.method == "editMessageText" and digest.text.count("“李总”是哪位") == 1
    assert question.text.startswith("还有 1 条写作“李总”的记录在等您确认客户。也归入 <b>李总</b> 吗？")
    assert question.button_labels() == ["是，都归入", "否"]
    assert len(await repo.contacts.pending_clients(RM_ZH)) == 1, "nothing filed before the RM says yes"

    filed = only_message(await rm.press("是，都归入"))
    assert "又有 1 条记录归入 <b>李总</b>" in filed.text
    assert await repo.contacts.pending_clients(RM_ZH) == []

    card = only_message(await rm.send("/client 李总"))
    assert "理财" in card.text and "基金" in card.text, "both notes' needs are on her card"
    assert "上次联系：今天" in card.text
    assert card.text.count("拜访") + card.text.count("电话") >= 2
    [liu_fang] = [c for c in await repo.clients.list(RM_ZH) if c.name == "李总"]
    assert (await repo.contacts.last_contacts(RM_ZH))[liu_fang.id] == date(2026, 11, 25), "cadence counts them"
    after = only_message(await rm.send("/due"))
    assert "待确认客户" not in after.text


async def test_no_leaves_the_earlier_notes_waiting_in_due(rm, repo):
    await two_unanswered_notes(rm, repo)
    await rm.send("/due")
    await rm.press("2· 刘总")
    kept = only_message(await rm.press("否"))
    assert "仍在 /due" in kept.text
    [waiting] = await repo.contacts.pending_clients(RM_ZH)
    assert waiting.raw_text.startswith("拜访李总")
    assert "待确认客户" in only_message(await rm.send("/due")).text


async def test_picking_on_the_notes_own_question_offers_the_earlier_ones(rm, repo):
    await two_unanswered_notes(rm, repo)
    replies = messages(await rm.press("➕ 新客户“李总”"))  # the second note's own question, tapped late
    assert len(replies) == 2 and "也归入 <b>李总</b> 吗？" in replies[1].text
    await rm.press("是，都归入")
    assert await repo.contacts.pending_clients(RM_ZH) == []


async def test_editing_a_later_notes_client_to_the_name_offers_the_earlier_ones(rm, repo):
    await two_unanswered_notes(rm, repo)
    await rm.send("拜访刘总，谈代发工资")  # filed under 刘总; the RM corrects it: it was 李总
    await rm.press("✏️ 修改")
    await rm.press("客户")
    replies = messages(await rm.send("李总"))
    assert "李总" in replies[0].text
    assert replies[1].text.startswith("还有 2 条写作“李总”的记录"), [r.text for r in replies]
    only_message(await rm.press("是，都归入"))
    assert await repo.contacts.pending_clients(RM_ZH) == []


async def test_skip_takes_the_note_off_the_list_and_files_it_under_no_client(rm, repo):
    await two_unanswered_notes(rm, repo)
    await rm.send("/due")
    replies = messages(await rm.press("1· 跳过"))
    assert len(replies) == 1 and replies[0].text.count("“李总”是哪位") == 1
    [waiting] = await repo.contacts.pending_clients(RM_ZH)
    assert waiting.raw_text.startswith("电话李总")
    skipped = [c for c in await repo.contacts.recent(RM_ZH, 5) if c.raw_text.startswith("拜访李总")]
    assert skipped[0].client_id is None and skipped[0].raw_text, "the raw text stays"


async def test_the_morning_digest_lists_them_in_english_too(bot, rm_en, repo):
    application, api = bot
    await on_file(rm_en, repo, "Liu Wei")
    asked = only_message(await rm_en.send("called Mr Liu about a loan, follow up Friday"))
    assert "Liu Wei" in asked.button_labels()
    await application.bot_data.pusher.push_all_digests(application.bot, date(2026, 11, 25))
    pushed = [s for s in api.sent if s.chat_id == RM_EN][-1]
    assert "Client to confirm" in pushed.text and "Who is “Mr Liu”?" in pushed.text
    assert "follow up Fri 27 Nov" in pushed.text
    assert {"1· Liu Wei", "1· ➕ New “Mr Liu”", "1· Skip"} <= set(pushed.button_labels())


async def test_a_stale_digest_tap_on_an_answered_note_says_so(rm, repo):
    await two_unanswered_notes(rm, repo)
    due = only_message(await rm.send("/due"))
    await rm.press("1· 跳过", on=due)
    answers = await rm.press_data(next(b["callback_data"] for row in due.buttons for b in row
                                       if b["text"] == "1· 跳过"), due.message_id)
    assert any(a.method == "answerCallbackQuery" for a in answers)
    assert len(await repo.contacts.pending_clients(RM_ZH)) == 1


async def test_a_timed_follow_up_of_a_waiting_note_names_it_as_to_confirm(bot, rm, repo, clock):
    application, api = bot
    await two_unanswered_notes(rm, repo)
    (follow_up,) = await repo.follow_ups.open(RM_ZH)
    clock.now = datetime.fromisoformat("2026-11-26T15:00:00+08:00")
    profile = await repo.rms.get(RM_ZH)
    assert await application.bot_data.pusher.push_follow_up(application.bot, profile, follow_up.id) == "sent"
    pushed = [s for s in api.sent if s.chat_id == RM_ZH][-1]
    assert "现在该回访：李总（客户待确认）" in pushed.text and "?" not in pushed.text


async def test_a_later_note_that_creates_the_client_offers_the_earlier_ones(rm_en, repo):
    await on_file(rm_en, repo, "Liu Wei")
    only_message(await rm_en.send("called Mr Liu about a loan"))  # asked against Liu Wei, not answered
    [liu_wei] = await repo.clients.list(RM_EN)
    await rm_en.send("/forget Liu Wei")
    await rm_en.press(f"p:forget:{liu_wei.id}")  # nobody alike now: the next "Mr Liu" is a new client
    replies = messages(await rm_en.send("visited Mr Liu, needs LC"))
    assert "(new client)" in replies[0].text
    assert replies[1].text.startswith("1 more note written as “Mr Liu” is waiting for its client. File it under <b>Mr Liu</b> too?"), \
        [r.text for r in replies]
    only_message(await rm_en.press("Yes, file them"))
    assert await repo.contacts.pending_clients(RM_EN) == []
    card = only_message(await rm_en.send("/client Mr Liu"))
    assert "Loan" in card.text and "Letter of credit" in card.text

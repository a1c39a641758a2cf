"""Open questions never vanish (trial report 3, D9): a date phrase read two ways stays asked, in
/due, until a reading is tapped, also when the note's client was asked first and settled there.
An update in, the bot's replies out."""

from __future__ import annotations

from datetime import date, time

from tests.conftest import RM_EN, RM_ZH
from tests.test_bot_matching import on_file
from tests.test_bot_notes import only_message


async def test_after_the_client_is_picked_in_due_the_date_question_is_still_asked(rm, repo):
    """上午10点给李总打电话 said at 17:30 asks the client and "done or plan?"; the RM types on, picks
    李明 in /due: the date question is listed there, and one tap dates the note."""
    await on_file(rm, repo, "李明")
    asked = only_message(await rm.send("上午10点给李总打电话"))
    assert "是指哪个" in asked.text and "哪位客户" in asked.text, asked.text
    due = only_message(await rm.send("/due"))
    assert "待确认客户" in due.text and "待确认日期" not in due.text, "one question at a time: the client first"
    picked = only_message(await rm.press("1· 李明", on=due))
    assert "待确认日期" in picked.text and "上午10点" in picked.text, picked.text
    labels = [label for label in picked.button_labels() if label.startswith("1· 回访")]
    assert labels, picked.button_labels()
    [contact] = await repo.contacts.recent(RM_ZH, 1)
    assert contact.client_display == "李明" and contact.follow_up_on is None and contact.occurred_on is None
    dated = only_message(await rm.press(labels[0], on=picked))
    assert "待确认日期" not in dated.text, "answered: no longer listed"
    [contact] = await repo.contacts.recent(RM_ZH, 1)
    assert (contact.follow_up_on, contact.follow_up_time) == (date(2026, 11, 26), time(10, 0))


async def test_picking_the_client_on_the_notes_own_reply_asks_the_date_again(rm, repo):
    await on_file(rm, repo, "李明")
    asked = only_message(await rm.send("上午10点给李总打电话"))
    picked = only_message(await rm.press("李明", on=asked))
    assert "李明" in picked.text and "是指哪个" in picked.text, "the date question is asked again"
    labels = picked.button_labels()
    assert labels[0].startswith("已联系：11月25日") and labels[1].startswith("回访：11月26日"), labels
    only_message(await rm.press(labels[0], on=picked))
    [contact] = await repo.contacts.recent(RM_ZH, 1)
    assert contact.occurred_on == date(2026, 11, 25) and contact.client_display == "李明"
    assert "待确认日期" not in only_message(await rm.send("/due")).text


async def test_an_unanswered_date_question_waits_in_due(rm_en, repo):
    """`f/u 12/3` reads 3 Dec or 12 Mar; the RM types the next note instead of tapping."""
    await on_file(rm_en, repo, "Zhao")
    asked = only_message(await rm_en.send("Zhao ystd said budget 1.2m, pls f/u 12/3"))
    assert "which do you mean" in asked.text
    await rm_en.send("visited Zhao, needs LC")
    due = only_message(await rm_en.send("/due"))
    assert "Date to confirm" in due.text and "12/3" in due.text and "Zhao" in due.text, due.text
    labels = [label for label in due.button_labels() if label.startswith("1· Follow up")]
    assert len(labels) == 2, due.button_labels()
    dated = only_message(await rm_en.press(labels[0], on=due))
    assert "Date to confirm" not in dated.text
    contact = (await repo.contacts.all(RM_EN))[0]
    assert contact.occurred_on == date(2026, 11, 24) and contact.follow_up_on == date(2026, 12, 3)


async def test_another_rms_date_button_changes_nothing(rm, rm_en, repo):
    await on_file(rm_en, repo, "Zhao")
    only_message(await rm_en.send("Zhao ystd said budget 1.2m, pls f/u 12/3"))
    [contact] = await repo.contacts.all(RM_EN)
    replies = await rm.press_data(f"d:dr:{contact.id}:f20261203")
    assert any(r.method == "answerCallbackQuery" for r in replies)
    [contact] = await repo.contacts.all(RM_EN)
    assert contact.follow_up_on is None, "scoped by RM: the other RM's note stays asked"
    assert "Date to confirm" in only_message(await rm_en.send("/due")).text

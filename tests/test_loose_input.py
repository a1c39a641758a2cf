"""What counts as a note (bot/loose_input.py, trial report 2 defect 9): (input, expected, reason)
rows both ways, then the bot's replies: stray input gets a hint and stores nothing."""

from __future__ import annotations

from collections import Counter
from zoneinfo import ZoneInfo

import pytest

from bot.loose_input import stray_kind
from bot.parsing import parse_note
from tests.conftest import NOW, RM_EN, RM_ZH
from tests.test_bot_matching import on_file
from tests.test_bot_notes import only_message

TZ = ZoneInfo("Asia/Shanghai")

# (text, None when it is a note else the stray kind, why)
ROWS = [
    ("3", "number", "a button number typed in Telegram or out of range in the console"),
    ("12", "number", "a bare number"),
    ("#2", "number", "a numbered pick"),
    ("昨天", "other", "a date word alone: when, but nothing happened"),
    ("today", "other", "an English date word alone"),
    ("下周二", "other", "a day alone"),
    ("3pm", "other", "a time alone"),
    ("3万", "other", "an amount alone: whose, for what?"),
    ("谢谢", "other", "thanks is chat"),
    ("好的", "other", "an acknowledgement"),
    ("ok", "other", "an English acknowledgement"),
    ("thank you", "other", "an English thank-you of 8 letters is still chat"),
    ("🙂🙂🙂", "other", "emoji only"),
    ("...", "other", "punctuation only"),
    ("王总", "name", "a client's name alone: a look-up, not a contact (/client)"),
    ("Liu", "name", "an English name alone"),
    ("call Li", None, "a channel and a name"),
    ("拜访刘总", None, "a channel and a name"),
    ("电话", None, "a channel alone is a note (the reply asks whose)"),
    ("信用证", None, "a product alone is a note (a need to follow)"),
    ("王总 明天", None, "a name and a date: a plan"),
    ("Li tomorrow", None, "a name and a date in English"),
    ("王总 50万", None, "a name and an amount"),
    ("刘总说要开户", None, "reported speech with a need"),
    ("asdfghjkl", None, "4+ letters typed on purpose are stored raw (the raw text rule)"),
    ("刘总今天心情不错", None, "a name with words"),
    ("项目进展顺利", None, "4+ characters of free text"),
    ("met the CFO", None, "a channel word in English"),
]


def test_rows_are_unique():
    assert not [text for text, n in Counter(text for text, _, _ in ROWS).items() if n > 1]


@pytest.mark.parametrize(("text", "expected", "why"), ROWS, ids=[row[0] for row in ROWS])
def test_what_counts_as_a_note(text, expected, why):
    assert stray_kind(text, parse_note(text, NOW, TZ), NOW.date()) == expected, why


@pytest.mark.parametrize(("text", "expected"), [("昨天", None), ("电话", None), ("today", None), ("3", "number"),
                                                ("谢谢", "other")])
def test_after_a_log_tap_the_client_is_known_so_a_date_alone_is_a_note(text, expected):
    assert stray_kind(text, parse_note(text, NOW, TZ), NOW.date(), client_known=True) == expected


async def test_a_stray_number_and_a_date_word_get_a_hint_and_store_nothing(rm, rm_en, repo):
    reply = only_message(await rm.send("3"))
    assert reply.text.startswith("“3”不是按钮，也不像一条记录，没有保存。")
    reply = only_message(await rm.send("昨天"))
    assert "没有保存" in reply.text and "拜访刘总" in reply.text
    reply = only_message(await rm_en.send("today"))
    assert "nothing was saved" in reply.text and "<i>visited Liu" in reply.text
    assert await repo.contacts.recent(RM_ZH) == [] and await repo.contacts.recent(RM_EN) == []


async def test_a_name_alone_points_to_the_card_and_stores_nothing(rm, repo):
    reply = only_message(await rm.send("王总"))
    assert "/client 王总" in reply.text and "拜访王总，谈贷款" in reply.text
    assert await repo.contacts.recent(RM_ZH) == [] and await repo.clients.list(RM_ZH) == []


async def test_a_date_word_after_log_is_a_note_about_that_client(rm, repo):
    await on_file(rm, repo, "刘总")
    card = only_message(await rm.send("/client 刘总"))
    await rm.press("✏️ 记录联系", on=card)
    reply = only_message(await rm.send("昨天"))
    assert "刘总" in reply.text
    [note] = await repo.contacts.recent(RM_ZH)
    assert note.client_display == "刘总" and str(note.occurred_on) == "2026-11-24"


async def test_a_stray_number_while_a_log_waits_keeps_it_waiting(rm, repo):
    await on_file(rm, repo, "刘总")
    card = only_message(await rm.send("/client 刘总"))
    await rm.press("✏️ 记录联系", on=card)
    assert "没有保存" in only_message(await rm.send("3")).text
    only_message(await rm.send("电话沟通，想续存"))
    [note] = await repo.contacts.recent(RM_ZH)
    assert note.client_display == "刘总"

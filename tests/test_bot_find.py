"""/find: an RM searches their own notes by word, client or product, newest first, paged."""

from __future__ import annotations

from bot.note_search import PAGE_SIZE, QUERY_BYTES, note_query
from tests.conftest import RM_ZH


def only_message(replies):
    messages = [r for r in replies if r.method in ("sendMessage", "editMessageText")]
    assert len(messages) == 1, [m.text for m in messages]
    return messages[0]


async def test_find_by_product_word_finds_every_spelling_newest_first(rm):
    await rm.send("拜访刘总,需要信用证,下周二回访")
    await rm.send("电话王姐,理财到期")
    await rm.send("visited Zhao, needs an L/C")
    reply = only_message(await rm.send("/find 信用证"))
    assert "共 <b>2</b> 条记录" in reply.text
    lines = reply.text.splitlines()[1:]
    assert "Zhao" in lines[0] and "刘总" in lines[1], "newest first; the L/C note is found by its need"
    assert "王姐" not in reply.text


async def test_find_by_client_name_in_english(rm_en):
    await rm_en.send("visited Liu, needs LC")
    await rm_en.send("called Wang about FX")
    await rm_en.send("met liu again, wants a loan")
    reply = only_message(await rm_en.send("/find Liu"))
    assert "<b>2</b> notes mention “Liu”" in reply.text
    assert "Wang" not in reply.text


async def test_results_are_paged_with_buttons_and_nothing_is_hidden(rm_en):
    for number in range(PAGE_SIZE + 3):
        await rm_en.send(f"called Chen about deposit {number}")
    first = only_message(await rm_en.send("/find deposit"))
    assert f"<b>{PAGE_SIZE + 3}</b> notes" in first.text and "page 1 of 2" in first.text
    assert f"deposit {PAGE_SIZE + 2}" in first.text, "newest first"
    assert len(first.button_labels()) == 1, "page 1 has only a next button"
    second = only_message(await rm_en.press(first.button_labels()[0]))
    assert "page 2 of 2" in second.text and "deposit 0" in second.text
    assert len(second.text.splitlines()) == 1 + 3
    assert len(second.button_labels()) == 1, "the last page has only a previous button"


async def test_no_match_and_no_words_get_a_clear_reply(rm, rm_en):
    assert "没有记录提到“贴现”" in only_message(await rm.send("/find 贴现")).text
    assert "/find LC" in only_message(await rm_en.send("/find")).text


async def test_an_rm_finds_only_their_own_notes(rm, rm_en):
    await rm.send("拜访刘总,需要信用证")
    reply = only_message(await rm_en.send("/find 刘总"))
    assert "No notes mention" in reply.text


async def test_text_with_markup_and_wildcards_is_data(rm_en, repo):
    await rm_en.send("visited <b>Liu</b>, 100% sure about LC")
    await rm_en.send("visited Wang, 50 percent")
    reply = only_message(await rm_en.send("/find 100%"))
    assert "<b>1</b> notes" in reply.text and "&lt;b&gt;Liu&lt;/b&gt;" in reply.text
    assert "No notes mention" in only_message(await rm_en.send("/find _")).text


async def test_a_forged_page_is_refused_politely(rm_en):
    replies = await rm_en.press_data("q:99999999999999999999:LC")
    assert [r.method for r in replies] == ["answerCallbackQuery"] and "no longer available" in replies[0].text


def test_the_query_fits_in_button_data():
    query = note_query("信用证" * 40)
    assert query is not None and len(f"q:10000:{query.text}".encode()) <= 64
    assert len(query.text.encode()) <= QUERY_BYTES
    assert note_query("   ") is None
    assert note_query("需要信用证").products == ("LC",)

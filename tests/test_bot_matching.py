"""Client matching as an RM meets it (issue 11): an update in, the bot's replies out.

A note is filed under a client it surely means, or the bot asks with one tap per candidate and
"new client"; the pick is remembered; an edited client is that exact client; /client and /forget
ask among several; a note about two clients is two contacts; a forwarded message is the client's.
"""

from __future__ import annotations

from datetime import datetime

from bot.imports.rows import ClientRow
from tests.conftest import NOW, RM_EN, RM_ZH
from tests.test_bot_notes import only_message


async def on_file(user, repo, *clients: str) -> None:
    """The RM's clients, as an import would leave them (a note would ask about look-alikes), each
    contacted today so that no digest is due while a test runs."""
    await user.send("/start")
    rows = [ClientRow(line, name, last_contact=NOW.date()) for line, name in enumerate(clients, start=2)]
    await repo.clients.import_rows(user.user["id"], rows, NOW)


async def names(repo, rm_id=RM_ZH) -> set[str]:
    return {c.name for c in await repo.clients.list(rm_id)}


async def latest(repo, rm_id=RM_ZH):
    return (await repo.contacts.recent(rm_id, 1))[0]


async def test_a_look_alike_surname_is_asked_not_filed(rm, repo):
    await rm.send("拜访刘总,需要信用证")
    reply = only_message(await rm.send("拜访李总，谈票据贴现"))
    assert "哪位客户" in reply.text
    assert "客户待确认：<b>李总</b>" in reply.text and "已记录：<b>李总</b>" not in reply.text, \
        "while asking, the reply must not read as if the note were filed under 李总"
    assert reply.button_labels()[:2] == ["刘总", "➕ 新客户“李总”"]
    assert (await latest(repo)).client_id is None, "nothing filed before the RM answers"
    only_message(await rm.press("➕ 新客户“李总”"))
    assert await names(repo) == {"刘总", "李总"}
    assert (await latest(repo)).client_display == "李总"


async def test_the_pick_becomes_an_alias_and_is_never_asked_again(rm, repo):
    await on_file(rm, repo, "刘总", "刘芳")
    reply = only_message(await rm.send("微信刘女士，理财到期"))
    assert {"刘总", "刘芳", "➕ 新客户“刘女士”"} <= set(reply.button_labels())
    picked = only_message(await rm.press("刘芳"))
    assert "刘芳" in picked.text
    [liu_fang] = [c for c in await repo.clients.list(RM_ZH) if c.name == "刘芳"]
    assert "刘女士" in liu_fang.aliases
    again = only_message(await rm.send("电话刘女士，要买基金"))
    assert "哪位客户" not in again.text and "刘芳" in again.text
    assert (await latest(repo)).client_display == "刘芳"


async def test_a_clear_note_asks_nothing(rm, repo):
    await on_file(rm, repo, "刘总", "刘芳")
    for note in ("电话刘总，要开户", "liu zong called back", "微信刘芳，理财到期"):
        reply = only_message(await rm.send(note))
        assert "哪位客户" not in reply.text and "新客户" not in reply.text, note


async def test_edit_client_to_a_new_name_creates_that_exact_client(rm, repo):
    await rm.send("拜访刘总")
    await rm.send("拜访刘总，谈贷款")
    await rm.press("✏️ 修改")
    await rm.press("客户")
    reply = only_message(await rm.send("刘经理"))
    assert "刘经理" in reply.text
    assert await names(repo) == {"刘总", "刘经理"}
    assert (await latest(repo)).client_display == "刘经理", "never snapped back to 刘总"


async def test_edit_client_to_an_existing_name_picks_it(rm, repo):
    await rm.send("拜访刘总")
    await rm.send("拜访孙总")
    await rm.press("✏️ 修改")
    await rm.press("客户")
    only_message(await rm.send("刘总"))
    assert await names(repo) == {"刘总"}, "the client the note had created is gone with it"
    assert (await latest(repo)).client_display == "刘总"


async def test_client_card_with_several_matches_asks_which(rm, repo):
    await on_file(rm, repo, "刘总", "刘芳")
    reply = only_message(await rm.send("/client 刘"))
    assert "哪位客户" in reply.text and set(reply.button_labels()) == {"刘总", "刘芳"}
    card = await rm.press("刘芳")
    assert any("刘芳" in sent.text for sent in card)
    single = await rm.send("/client 刘总")
    assert any("刘总" in sent.text for sent in single)


async def test_client_card_with_one_uncertain_match_asks_about_that_one(rm, repo):
    await on_file(rm, repo, "Sarah Wong", "刘总")
    reply = only_message(await rm.send("/client Sarah"))
    assert reply.button_labels() == ["Sarah Wong"], "a given name alone is asked, with its one candidate"
    assert "您是指 <b>Sarah Wong</b> 吗" in reply.text and "哪位" not in reply.text, reply.text
    card = await rm.press("Sarah Wong")
    assert any("Sarah Wong" in sent.text for sent in card)


async def test_forget_with_several_matches_asks_which(rm, repo):
    await on_file(rm, repo, "刘总", "刘芳")
    reply = only_message(await rm.send("/forget 刘"))
    assert set(reply.button_labels()) == {"刘总", "刘芳"}
    confirm = only_message(await rm.press("刘芳"))
    assert "刘芳" in confirm.text
    await rm.press("p:forget:" + str(next(c.id for c in await repo.clients.list(RM_ZH) if c.name == "刘芳")))
    assert await names(repo) == {"刘总"}


async def test_a_note_about_two_clients_is_one_contact_each(rm, repo):
    await rm.send("拜访刘总")
    await rm.send("拜访王总")
    replies = [r for r in await rm.send("拜访刘总和王总，谈供应链融资") if r.method == "sendMessage"]
    assert len(replies) == 2
    contacts = await repo.contacts.recent(RM_ZH, 2)
    assert {c.client_display for c in contacts} == {"刘总", "王总"}
    assert all(c.needs == ("SCF",) for c in contacts)
    assert len(await repo.contacts.all(RM_ZH)) == 4


async def test_a_note_about_two_clients_asks_for_the_unclear_one(rm_en, repo):
    await on_file(rm_en, repo, "Liu Fang", "Wang Wei", "Wang Li")
    replies = [r for r in await rm_en.send("met Liu Fang and Wang, needs FX") if r.method == "sendMessage"]
    assert len(replies) == 2
    assert "Which client" not in replies[0].text
    assert "Which client" in replies[1].text and {"Wang Wei", "Wang Li"} <= set(replies[1].button_labels())


async def test_a_forwarded_message_is_a_contact_with_its_sender(rm, repo):
    await on_file(rm, repo, "刘总", "刘芳")
    sent = int(datetime.fromisoformat("2026-11-23T10:00:00+08:00").timestamp())
    origin = {"type": "user", "date": sent, "sender_user": {"id": 555, "is_bot": False, "first_name": "刘芳"}}
    reply = only_message(await rm.send_message(text="Hi 小王，我们下个月要开一个信用证，麻烦准备一下材料", forward_origin=origin))
    contact = await latest(repo)
    assert contact.client_display == "刘芳" and contact.channel == "message"
    assert contact.occurred_on.isoformat() == "2026-11-23" and contact.needs == ("LC",)
    assert "Hi" not in await names(repo) and "刘芳" in reply.text


async def test_a_forward_from_a_look_alike_sender_asks_whom_it_is_about(rm, repo):
    await on_file(rm, repo, "刘总", "刘芳")
    origin = {"type": "user", "date": 1764000000, "sender_user": {"id": 556, "is_bot": False, "first_name": "刘"}}
    reply = only_message(await rm.send_message(text="Hi，理财到期了，怎么续？", forward_origin=origin))
    assert "哪位客户" in reply.text and {"刘总", "刘芳"} <= set(reply.button_labels())
    assert (await latest(repo)).client_id is None


async def test_a_forward_from_a_hidden_sender_asks_for_the_client(rm_en, repo):
    origin = {"type": "hidden_user", "date": 1764000000, "sender_user_name": ""}
    reply = only_message(await rm_en.send_message(text="Hi, please renew my deposit", forward_origin=origin))
    assert "could not find" in reply.text and "client" in reply.text
    contact = await latest(repo, RM_EN)
    assert contact.client_id is None and contact.channel == "message"
    assert await names(repo, RM_EN) == set()


async def test_a_two_client_note_delivered_again_is_stored_once(rm, repo):
    await on_file(rm, repo, "刘总", "王总")
    await rm.send("拜访刘总和王总")
    await rm.deliver_again(rm.delivered[-1])
    assert len(await repo.contacts.all(RM_ZH)) == 2


async def test_editing_a_two_client_note_files_it_again(rm, repo):
    await on_file(rm, repo, "刘总", "王总", "赵总")
    await rm.send("拜访刘总和王总")
    message_id = rm.delivered[-1]["message"]["message_id"]
    await rm.edit(message_id, "拜访刘总和赵总，谈贷款")
    contacts = await repo.contacts.all(RM_ZH)
    assert sorted(c.client_display for c in contacts) == ["刘总", "赵总"]
    assert all(c.needs == ("LOAN",) for c in contacts)


async def test_the_rm_forwarding_their_own_message_logs_it_as_a_note(rm_en, repo):
    origin = {"type": "user", "date": 1764000000, "sender_user": {"id": RM_EN, "is_bot": False, "first_name": "Amy"}}
    only_message(await rm_en.send_message(text="visited Liu, needs LC", forward_origin=origin))
    contact = await latest(repo, RM_EN)
    assert contact.client_display == "Liu" and contact.channel == "visit"


async def test_chart_with_several_matches_asks_which(rm, repo, bot):
    _, api = bot
    await on_file(rm, repo, "刘总", "刘芳")
    reply = only_message(await rm.send("/chart 刘"))
    assert set(reply.button_labels()) == {"刘总", "刘芳"}
    picked = await rm.press("刘芳")
    assert [sent.method for sent in picked if sent.method != "answerCallbackQuery"] == ["sendMessage"]
    assert "刘芳" in picked[-1].text and "刘总" not in picked[-1].text  # no holdings yet: said in words


async def test_one_amount_for_two_clients_is_counted_once(rm, repo):
    """拜访刘总和王总，谈银团贷款五个亿: a contact with each, the 5亿 once in the week's figures."""
    from bot.reports.loading import load_period_report

    await on_file(rm, repo, "刘总", "王总")
    await rm.send("拜访刘总和王总，谈银团贷款五个亿")
    contacts = await repo.contacts.all(RM_ZH)
    assert len(contacts) == 2 and {c.amount for c in contacts} == {5e8}
    assert len({c.note_id for c in contacts}) == 1, "both contacts know they came from one note"
    profile = await repo.rms.get(RM_ZH)
    report = await load_period_report(repo, profile, "week", NOW.date())
    assert report.amounts == {"CNY": 5e8} and report.needs == {"LOAN": 1}


async def test_a_full_name_not_on_the_list_is_a_new_client_not_a_question(rm, repo):
    """拜访刘芳 with only 刘总 on file: 刘芳 is a person of her own (trial 2); no question about 刘总."""
    await on_file(rm, repo, "刘总")
    reply = only_message(await rm.send("拜访刘芳，理财到期，壹佰伍拾万元续作"))
    assert "哪位客户" not in reply.text and "刘芳" in reply.text
    assert (await latest(repo)).client_display == "刘芳"
    assert await names(repo) == {"刘总", "刘芳"}


async def test_a_surname_far_from_every_client_offers_no_candidate(rm_en, repo):
    """'called Zhou' with 赵总 on file: Zhou is not Zhao, so 赵总 is no candidate (trial 2)."""
    await on_file(rm_en, repo, "赵总")
    reply = only_message(await rm_en.send("called Zhou, wants a deposit"))
    assert "Which client" not in reply.text and "赵总" not in reply.button_labels()
    assert (await latest(repo, RM_EN)).client_display == "Zhou"

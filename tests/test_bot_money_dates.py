"""Money and dates end to end (issue 12): currency in the reply, a note read when it was sent,
a caption logged as the note, and a date phrase with two readings asked with buttons."""

from __future__ import annotations

from datetime import date, time

from tests.conftest import NOW, RM_EN, RM_ZH


def only_message(replies):
    messages = [r for r in replies if r.method in ("sendMessage", "editMessageText")]
    assert len(messages) == 1, [m.text for m in messages]
    return messages[0]


async def test_currency_and_range_are_shown_and_stored(rm_en, rm, repo):
    reply = only_message(await rm_en.send("visited Chen, needs a USD 2m LC, follow up Friday"))
    assert "USD 2,000,000" in reply.text and "¥" not in reply.text
    [contact] = await repo.contacts.recent(RM_EN)
    assert (contact.amount, contact.currency, contact.amount_max) == (2_000_000, "USD", None)
    reply = only_message(await rm.send("拜访刘总，贷款200-300万"))
    assert "200万–300万元" in reply.text
    [contact] = await repo.contacts.recent(RM_ZH)
    assert (contact.amount, contact.currency, contact.amount_max) == (2_000_000, "CNY", 3_000_000)


async def test_a_note_is_read_when_it_was_sent_not_when_handled(rm_en, repo):
    """After downtime: sent three days before the bot handles it, "yesterday" is the day before sending."""
    sent = int(NOW.timestamp()) - 3 * 86400
    await rm_en.send_message(text="visited Zhao yesterday", date=sent)
    [contact] = await repo.contacts.recent(RM_EN)
    assert contact.occurred_on == date(2026, 11, 21)


async def test_a_photo_caption_is_logged_and_the_file_not_kept(rm_en, repo):
    photo = [{"file_id": "p1", "file_unique_id": "up1", "width": 10, "height": 10}]
    reply = only_message(await rm_en.send_message(photo=photo, caption="visited Liu, needs LC"))
    assert "file was not kept" in reply.text and "Liu" in reply.text
    [contact] = await repo.contacts.recent(RM_EN)
    assert contact.raw_text == "visited Liu, needs LC" and contact.needs == ("LC",)


async def test_a_pdf_with_a_caption_is_logged_as_a_note(rm, repo):
    reply = only_message(await rm.send_document("合同.pdf", b"%PDF-1.4", caption="拜访刘总，需要保函"))
    assert "文件未保存" in reply.text
    [contact] = await repo.contacts.recent(RM_ZH)
    assert contact.needs == ("GUARANTEE",)


async def test_two_readings_are_offered_as_buttons_and_a_tap_files_one(rm, repo):
    """上午10点给李总打电话 said at 17:30: done this morning, or tomorrow's plan? Asked, not guessed."""
    reply = only_message(await rm.send("上午10点给李总打电话"))
    assert "是指哪个" in reply.text
    labels = reply.button_labels()
    assert labels[0].startswith("已联系：11月25日") and labels[1].startswith("回访：11月26日")
    [contact] = await repo.contacts.recent(RM_ZH)
    assert contact.occurred_on is None and contact.follow_up_on is None
    picked = only_message(await rm.press(labels[1], on=reply))
    assert "10:00" in picked.text
    [contact] = await repo.contacts.recent(RM_ZH)
    assert (contact.follow_up_on, contact.follow_up_time) == (date(2026, 11, 26), time(10, 0))


async def test_the_other_reading_files_the_contact_date(rm_en, repo):
    reply = only_message(await rm_en.send("call Liu at 10am"))
    picked = only_message(await rm_en.press(reply.button_labels()[0], on=reply))
    assert "Wed 25 Nov" in picked.text
    [contact] = await repo.contacts.recent(RM_EN)
    assert contact.occurred_on == date(2026, 11, 25) and contact.follow_up_on is None


async def test_a_forged_reading_is_refused(rm_en, repo):
    reply = only_message(await rm_en.send("call Liu at 10am"))
    [contact] = await repo.contacts.recent(RM_EN)
    answers = await rm_en.press_data(f"n:r:{contact.id}:o20991231", message_id=reply.message_id)
    assert any(a.method == "answerCallbackQuery" for a in answers)
    [contact] = await repo.contacts.recent(RM_EN)
    assert contact.occurred_on is None


async def test_holdings_keep_their_currency_on_the_card_and_the_pie(rm, repo):
    content = "客户,产品,名称,金额,币种,到期日\n刘总,存款,美元定期,100万,USD,2027-01-31\n刘总,贷款,流贷,200万,,2027-03-31\n"
    await rm.send_document("holdings.csv", content.encode("utf-8-sig"), caption="holdings")
    card = only_message(await rm.send("/client 刘总"))
    assert "100万美元" in card.text and "200万元" in card.text
    holdings = await repo.holdings.list(RM_ZH)
    assert sorted((h.amount, h.currency) for h in holdings) == [(1e6, "USD"), (2e6, "CNY")]


def test_a_pie_never_adds_currencies():
    from bot.charts import pie_currency, pie_slices
    from storage.records import Holding

    holdings = [Holding(1, 1, "LOAN", amount=2e6, currency="CNY"), Holding(2, 1, "DEPOSIT", amount=1e6, currency="USD"),
                Holding(3, 1, "FUND", amount=5e5, currency="CNY")]
    currency, others = pie_currency(holdings)
    assert (currency, others) == ("CNY", ["USD"])
    assert pie_slices(holdings, currency) == [("LOAN", 2e6), ("FUND", 5e5)]


async def test_an_ambiguous_client_and_two_readings_are_asked_together(rm_en, repo):
    await rm_en.send("visited Liu Fang")
    await rm_en.send("visited Liu Qiang")
    reply = only_message(await rm_en.send("call Liu at 10am"))
    labels = reply.button_labels()
    assert labels[0].startswith("Contact on") and labels[1].startswith("Follow up")
    assert "Liu Fang" in labels and "Liu Qiang" in labels
    only_message(await rm_en.press(labels[1], on=reply))
    contact = (await repo.contacts.recent(RM_EN))[0]
    assert contact.follow_up_on == date(2026, 11, 26) and contact.follow_up_time == time(10, 0)


async def test_the_default_currency_comes_from_config(settings, clock):
    from bot.application import build_application, running
    from bot.config import DefaultsSettings
    from bot.offline_api import OfflineBotAPI, OfflineUser

    settings = settings.model_copy(update={"defaults": DefaultsSettings(currency="HKD")})
    api = OfflineBotAPI()
    application = build_application(settings, request=api, clock=clock)
    async with running(application):
        user = OfflineUser(application, api, RM_EN, first_name="Amy", language_code="en")
        reply = only_message(await user.send("visited Liu, deposit 500k"))
        assert "HKD 500,000" in reply.text
        [contact] = await application.bot_data.repo.contacts.recent(RM_EN)
        assert contact.currency == "HKD"


async def test_a_plan_is_not_a_contact_made_today(rm, repo):
    """三天后给许总打电话 only plans a call: filed as planned, with a follow-up and no contact date."""
    reply = only_message(await rm.send("三天后给许总打电话"))
    assert reply.text.startswith("🗓") and "已记录" not in reply.text and "11月28日" in reply.text
    [contact] = await repo.contacts.recent(RM_ZH)
    assert contact.occurred_on is None and contact.follow_up_on == date(2026, 11, 28)


async def test_a_note_with_neither_a_contact_nor_a_plan_asks_for_the_date(rm_en, repo):
    reply = only_message(await rm_en.send("Liu needs a loan"))
    assert "the date" in reply.text and "Planned" not in reply.text
    [contact] = await repo.contacts.recent(RM_EN)
    assert contact.occurred_on is None and contact.follow_up_on is None


async def test_currency_shorthand_is_stored_as_its_code(rm, repo):
    reply = only_message(await rm.send("给郑总打了电话 他要换汇 10万欧"))
    assert "欧元" in reply.text
    [contact] = await repo.contacts.recent(RM_ZH)
    assert (contact.amount, contact.currency) == (100_000, "EUR")


async def test_a_corrected_amount_is_the_corrected_one_or_asked(rm_en, rm, repo):
    """The RM's self-correction wins (trial 2); one the parser cannot place leaves the amount to ask."""
    only_message(await rm_en.send("called Zhou re ¥1.2m credit card limit... actually 12万"))
    assert (await repo.contacts.recent(RM_EN, 1))[0].amount == 120_000
    only_message(await rm.send("拜访刘总 贷款120万，不对，12万"))
    assert (await repo.contacts.recent(RM_ZH, 1))[0].amount == 120_000
    reply = only_message(await rm_en.send("sorry, visited Liu, deposit 5m, loan 2m"))
    assert (await repo.contacts.recent(RM_EN, 1))[0].amount is None, "never the first value silently"
    assert "which amount you meant" in reply.text and "Edit" in reply.text

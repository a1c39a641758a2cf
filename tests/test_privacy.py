"""One RM can never reach another RM's clients: every command and every button, with guessed ids."""

from __future__ import annotations

import json
import re

import pytest
from telegram.ext import CallbackQueryHandler, CommandHandler

from tests.conftest import ADMIN, RM_EN, RM_ZH

#: Every command, with arguments naming the other RM's client.
COMMANDS = {
    "start": "", "help": "", "note": "", "find": "刘", "undo": "", "due": "", "today": "", "week": "", "month": "",
    "client": "刘总", "clients": "", "export": "", "chart": "刘总", "team": "", "faq": "开户", "faq_gaps": "",
    "faq_reload": "", "settings": "", "cancel": "", "forget": "刘总", "mydata": "", "status": "",
    "notify": "FUND R3", "review": "刘总",
}
#: Every button family, with the other RM's ids filled in.
CALLBACKS = ["n:u:{contact}", "n:e:{contact}", "n:x:{contact}", "n:f:{contact}:client", "n:p:{contact}:{client}",
             "n:c:{contact}", "n:m:{contact}", "n:mi:{contact}:{client}", "d:ok:c:{client}", "d:ok:f:{follow_up}",
             "d:ok:m:{holding}", "d:ok:b:{client}", "d:ok:r:{fact}", "d:s7:r:{fact}", "d:s1:c:{client}", "d:s7:m:{holding}", "d:log:c:{client}",
             "d:h:new_year:20270101:0", "c:card:{client}", "c:log:{client}", "c:tier:{client}",
             "c:settier:{client}:C", "c:edit:{client}", "c:field:{client}:phone", "c:field:{client}:risk_level", "c:tl:{client}:0", "l:*:0",
             "p:ask:{client}", "p:forget:{client}", "p:keep", "s:lang:en", "s:toggle:workdays", "f:1:x", "q:0:LC",
             "q:0:刘", "r:t:20261125:0", "d:ch:{contact}:T", "f:c:compliance", "v:u:{answer}:{review}",
             "v:ok:{review}"]


def test_the_tables_cover_every_registered_command_and_button(bot):
    application, _ = bot
    handlers = [h for group in application.handlers.values() for h in group]
    commands = {c for h in handlers if isinstance(h, CommandHandler) for c in h.commands}
    assert commands == set(COMMANDS), "a new command needs a privacy case"
    prefixes = {h.pattern.pattern for h in handlers if isinstance(h, CallbackQueryHandler) and h.pattern}
    covered = {p for p in prefixes if any(re.match(p, data.split("{")[0]) for data in CALLBACKS)}
    assert covered == prefixes, f"a new button family needs a privacy case: {prefixes - covered}"


async def snapshot(repo):
    return json.dumps({
        "clients": [c.__dict__ for c in await repo.clients.list(RM_ZH)],
        "contacts": [(c.id, c.raw_text, c.client_id, c.channel) for c in await repo.contacts.recent(RM_ZH, 100)],
        "follow_ups": [f.__dict__ for f in await repo.follow_ups.all(RM_ZH)],
        "holdings": [h.__dict__ for h in await repo.holdings.list(RM_ZH)],
        "snoozes": {str(k): v for k, v in (await repo.snoozes.all(RM_ZH)).items()},
        "facts": {k: [f.__dict__ for f in v] for k, v in (await repo.client_facts.by_client(RM_ZH)).items()},
        "reviews": [r.__dict__ for r in await repo.reviews.all(RM_ZH)],
        "review_prompt": (await repo.reviews.prompt(RM_ZH)).__dict__,
    }, default=str, sort_keys=True)


@pytest.fixture
def settings(settings):
    settings.access.supervisors = {}
    return settings


async def test_another_rm_reaches_nothing_by_command_or_guessed_button(rm, rm_en, repo, bot):
    application, api = bot
    await rm.send("拜访刘总,需要信用证,明天回访")
    await rm.send("刘总 风险偏好 进取, 女儿小雨 2010-06-01")
    await rm.send_document("h.csv", "客户,产品,到期日\n刘总,存款,2026-12-02\n".encode())
    await rm.send("/review 刘总")
    await rm.send("他行理财 300万")   # an answer to the review's question
    await rm_en.send("/start")
    ids = {"review": (await repo.reviews.prompt(RM_ZH)).review_id,
           "answer": next(f.id for facts in (await repo.client_facts.by_client(RM_ZH)).values() for f in facts
                          if f.kind == "other_bank"),
           "client": (await repo.clients.list(RM_ZH))[0].id, "contact": (await repo.contacts.recent(RM_ZH, 1))[0].id,
           "follow_up": (await repo.follow_ups.open(RM_ZH))[0].id, "holding": (await repo.holdings.list(RM_ZH))[0].id,
           "fact": next(f.id for facts in (await repo.client_facts.by_client(RM_ZH)).values() for f in facts
                        if f.kind == "family")}
    before = await snapshot(repo)
    seen = len(api.sent)
    for command, argument in COMMANDS.items():
        await rm_en.send(f"/{command} {argument}".strip())
    for template in CALLBACKS:
        await rm_en.press_data(template.format(**ids))
    await rm_en.send("刘总")  # a note naming the other RM's client makes a new client of RM_EN's own
    assert await snapshot(repo) == before
    answers = [s for s in api.sent[seen:] if s.chat_id in (RM_EN, None)]
    leaked = [s.method for s in answers if "刘总" in s.text and s.method != "sendMessage" or "信用证" in s.text]
    assert leaked == []
    for sent in answers:
        for name, blob in sent.params.get("_files", {}).items():
            assert "刘总".encode() not in blob and "信用证".encode() not in blob, (sent.method, name)
    assert all(c.name != "刘总" or c.id != ids["client"] for c in await repo.clients.list(RM_EN))


async def test_forget_erases_a_client_after_confirmation_and_is_audited(rm, repo):
    await rm.send("拜访刘总,需要信用证,明天回访")
    await rm.send("拜访王姐")
    reply = (await rm.send("/forget 刘总"))[-1]
    assert "无法恢复" in reply.text
    await rm.press("保留", on=reply)
    assert len(await repo.clients.list(RM_ZH)) == 2
    reply = (await rm.send("/forget 刘总"))[-1]
    await rm.press("🗑 删除", on=reply)
    assert [c.name for c in await repo.clients.list(RM_ZH)] == ["王姐"]
    assert [c.raw_text for c in await repo.contacts.recent(RM_ZH, 10)] == ["拜访王姐"]
    assert await repo.follow_ups.all(RM_ZH) == []
    assert [(a["action"], a["actor_id"]) for a in await repo.audit.recent()] == [("forget", RM_ZH)]


async def test_mydata_sends_everything_about_the_rm_and_nothing_else(rm, rm_en, bot, repo):
    application, api = bot
    await rm.send("拜访刘总,需要信用证")
    await rm_en.send("visited Liu")
    await rm_en.send("/mydata")
    data = json.loads(api.sent[-1].params["_files"]["document"])
    assert [c["name"] for c in data["clients"]] == ["Liu"] and data["profile"][0]["user_id"] == RM_EN
    assert "刘总" not in json.dumps(data, ensure_ascii=False)
    assert (await repo.audit.recent())[0]["action"] == "mydata"


async def test_status_for_admins_and_alerts_on_handler_errors(bot, rm_en, repo, monkeypatch):
    from bot.offline_api import OfflineUser
    application, api = bot
    admin = OfflineUser(application, api, ADMIN, first_name="Ops", language_code="en")
    assert "admins" in (await rm_en.send("/status"))[-1].text
    text = (await admin.send("/status"))[-1].text
    assert "version" in text and "Errors in the last 24 h: 0" in text

    async def broken(*args, **kwargs):
        raise RuntimeError("boom")
    monkeypatch.setattr(repo.contacts, "recent", broken)
    replies = await rm_en.send("/note")
    assert any("went wrong" in s.text for s in replies)
    alerts = [s for s in api.sent if s.chat_id == ADMIN and "RuntimeError" in s.text]
    assert len(alerts) == 1 and "boom" not in alerts[0].text
    await rm_en.send("/note")  # a second failure within 10 minutes: no second alert
    assert len([s for s in api.sent if s.chat_id == ADMIN and "RuntimeError" in s.text]) == 1
    assert "Errors in the last 24 h: 2" in (await admin.send("/status"))[-1].text


async def test_logs_carry_ids_never_note_text_or_client_names(rm, rm_en, stranger, repo, caplog):
    """At production's INFO level (the bot's own loggers even at DEBUG), nothing an RM typed about
    a client reaches the log: not the note, not the name, not a question."""
    import logging

    caplog.set_level(logging.INFO)
    for name in ("bot", "handlers", "storage"):
        caplog.set_level(logging.DEBUG, logger=name)
    secrets = ["Zhuangyuan", "庄园集团", "hush-hush merger", "ultrasecret"]
    await rm_en.send("visited Zhuangyuan, hush-hush merger, needs LC 5m, follow up tomorrow 3pm")
    await rm.send("拜访庄园集团,需要信用证")
    await rm_en.send("/client Zhuangyuan")
    await rm_en.send("can I share ultrasecret client data with my team?")
    await rm_en.send("ultrasecret gibberish ????")
    (client,) = await repo.clients.list(RM_EN)
    await rm_en.send("/forget Zhuangyuan")
    await rm_en.press(f"p:forget:{client.id}")
    assert await repo.clients.list(RM_EN) == []
    await stranger.send("visited Zhuangyuan ultrasecret")
    await rm_en.deliver_again(rm_en.delivered[0])  # a re-delivered update is logged too
    assert caplog.records, "the log was captured"
    leaked = [secret for secret in secrets if secret in caplog.text]
    assert leaked == [], f"client data in the log: {leaked}"

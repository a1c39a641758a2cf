"""The curated FAQ: its files, its ranking on our own paraphrases, and the bot's answers."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

from bot.faq import FaqError, FaqIndex, load_faq, looks_like_question
from tests.conftest import ADMIN, RM_EN, RM_ZH

REQUIRED = """prohibited-acts sign-for-client hold-client-valuables offsite-cash proxy-business gifts-and-fees
client-confidentiality suspicious-activity job-handover decision-authority three-checks risk-types risk-mitigation
loan-due-diligence service-taboos courtesy-phrases contact-frequency daily-report wealth-sale-disclosure
false-mortgage acceptance-bill-background financial-statement-fraud legal-validity basic-account-opening
general-account-opening corporate-online-banking letter-of-credit bank-acceptance-bill bill-discounting
supply-chain-finance performance-assessment client-tiering""".split()
EVAL = [json.loads(line) for line in (Path(__file__).parent / "data" / "faq_eval.jsonl").read_text("utf-8").splitlines()]
INDEX = FaqIndex(load_faq())


def test_every_required_entry_exists_with_both_languages():
    entries = {e.id: e for e in load_faq()}
    assert set(REQUIRED) <= set(entries)
    for entry in entries.values():
        assert len(entry.questions_en) >= 2 and len(entry.questions_zh) >= 2
        assert entry.answer_en and entry.answer_zh and entry.source


#: (id, language) pairs known to answer fewer than two of our paraphrases; strict, like an xfail row:
#: a gap that gets fixed must be removed from here.
KNOWN_GAPS = {("sign-for-client", "en")}


def test_each_required_id_answers_two_phrasings_per_language():
    """Our own paraphrases (tests/data/faq_eval.jsonl), none of them copied into the FAQ files."""
    answered: dict[tuple[str, str], int] = defaultdict(int)
    for row in EVAL:
        if row["id"] and INDEX.rank(row["q"]).answer_id == row["id"]:
            answered[(row["id"], row["lang"])] += 1
    short = {(i, lang) for i in REQUIRED for lang in ("en", "zh") if answered[(i, lang)] < 2}
    assert short == KNOWN_GAPS, short


def test_accuracy_and_abstention_on_the_evaluation_set():
    in_scope = [r for r in EVAL if r["id"]]
    out_of_scope = [r for r in EVAL if not r["id"]]
    top1 = sum(INDEX.rank(r["q"]).answer_id == r["id"] for r in in_scope) / len(in_scope)
    top3 = sum(r["id"] in INDEX.rank(r["q"]).ranked[:3] for r in in_scope) / len(in_scope)
    abstained = sum(INDEX.rank(r["q"]).answer_id is None for r in out_of_scope) / len(out_of_scope)
    assert len(in_scope) >= 100
    assert top1 >= 0.95 and top3 >= 0.98 and abstained >= 0.9, (top1, top3, abstained)


@pytest.mark.parametrize("question", ["What is the capital of France?", "今天股市怎么样", "明天天气如何",
                                      "who won the football match yesterday?", "推荐一部好看的电影"])
def test_out_of_scope_questions_abstain(question):
    ranking = INDEX.rank(question)
    assert ranking.answer_id is None and len(ranking.ranked) >= 3


@pytest.mark.parametrize(("text", "question"), [
    ("can I sign for a client?", True), ("开基本户要带什么资料", True), ("是否可以收客户的礼品", True),
    ("What is an LC?", True), ("信用证是什么？", True), ("能不能代客户取钱", True),
    ("visited Liu, needs LC", False), ("拜访刘总,需要信用证", False), ("called Wang about a deposit", False),
])
def test_questions_are_told_from_notes(text, question):
    assert looks_like_question(text) is question


def test_a_malformed_faq_file_is_refused_with_file_entry_and_reason(tmp_path):
    (tmp_path / "bad-entry.toml").write_text('id = "bad-entry"\ncategory = "gossip"\n', encoding="utf-8")
    with pytest.raises(FaqError) as caught:
        load_faq(tmp_path)
    assert "bad-entry.toml" in str(caught.value) and "'bad-entry'" in str(caught.value)


async def test_a_question_gets_the_curated_answer_with_source_and_two_more_topics(rm_en):
    [reply] = [s for s in await rm_en.send("Can I sign the form for my client?") if s.method == "sendMessage"]
    entry = INDEX.entries["sign-for-client"]
    assert entry.title_en in reply.text and "Source:" in reply.text and "reviewed 2026-11-22" in reply.text
    assert entry.answer_en.strip().splitlines()[0][:40].replace("'", "&#x27;")[:20] in reply.text
    assert len(reply.buttons) == 2


async def test_chinese_question_gets_the_chinese_answer(rm):
    [reply] = [s for s in await rm.send("/faq 开基本户要带什么资料") if s.method == "sendMessage"]
    assert INDEX.entries["basic-account-opening"].title_zh in reply.text and "来源" in reply.text


async def test_unanswerable_question_is_honest_logged_and_shown_to_admins(bot, rm_en):
    application, api = bot
    [reply] = [s for s in await rm_en.send("What is the capital of France?") if s.method == "sendMessage"]
    assert "no curated answer" in reply.text and len(reply.buttons) == 3
    from bot.offline_api import OfflineUser
    admin = OfflineUser(application, api, ADMIN, language_code="en")
    [gaps] = [s for s in await admin.send("/faq_gaps") if s.method == "sendMessage"]
    assert "capital of france" in gaps.text
    [refused] = [s for s in await rm_en.send("/faq_gaps") if s.method == "sendMessage"]
    assert "admins" in refused.text


async def test_faq_alone_lists_topics_and_a_button_shows_one(rm_en):
    [menu] = [s for s in await rm_en.send("/faq") if s.method == "sendMessage"]
    assert "Compliance" in " ".join(menu.button_labels())
    replies = await rm_en.press("Letter of credit" if "Letter of credit" in menu.button_labels()
                                else INDEX.entries["letter-of-credit"].title_en)
    assert any("Source:" in s.text for s in replies)


async def test_a_note_with_a_question_mark_still_logs_a_contact(rm_en, repo):
    await rm_en.send("called Wang, wants to renew his deposit?")
    assert (await repo.contacts.recent(RM_EN))[0].client_display == "Wang"


async def test_reload_keeps_the_last_good_faq_when_a_file_is_bad(bot, tmp_path):
    application, api = bot
    from bot.offline_api import OfflineUser
    (tmp_path / "broken.toml").write_text("id = [", encoding="utf-8")
    application.bot_data.settings.faq.directory = str(tmp_path)
    admin = OfflineUser(application, api, ADMIN, language_code="en")
    [reply] = [s for s in await admin.send("/faq_reload") if s.method == "sendMessage"]
    assert "not reloaded" in reply.text and "broken.toml" in reply.text
    assert len(application.bot_data.faq.entries) == len(INDEX.entries)
    assert RM_ZH  # the RM fixtures are unaffected

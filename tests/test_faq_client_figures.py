"""A question about one client's own figures points to the card; the FAQ does not answer it with
whichever rule shares its words (trial 3: 刘建国账户余额多少 got the confidentiality entry's "不可以…")."""

from __future__ import annotations

import pytest

from bot.faq.client_figures import client_asked_about
from bot.imports.rows import ClientRow
from storage.records import Client
from tests.conftest import NOW, RM_EN, RM_ZH

CLIENTS = [Client(1, "刘建国", aliases=("刘总",)), Client(2, "Sarah Wong"), Client(3, "王总"), Client(4, "Li")]

ROWS = [
    ("刘建国账户余额多少", "刘建国", "a client's balance"),
    ("刘总在我们行有多少存款", "刘建国", "by alias: deposits held"),
    ("what is Sarah Wong's balance", "Sarah Wong", "English, by full name"),
    ("how much money does sarah wong have with us", "Sarah Wong", "case does not matter"),
    ("刘总要我代他签字可以吗", None, "near miss: a rule asked with a client in it; no figures asked"),
    ("大额存单余额多少起存", None, "near miss: figures, but no client named"),
    ("王总和刘总的余额", None, "two clients: not one card to point to"),
    ("Lisa's balance", None, "near miss: Li inside another word is not the client Li"),
    ("承兑汇票最长多少天", None, "near miss: a figure about a product, no client"),
]


def test_rows_are_unique() -> None:
    assert len({q for q, _, _ in ROWS}) == len(ROWS)


@pytest.mark.parametrize(("question", "expected", "why"), ROWS, ids=[r[2] for r in ROWS])
def test_client_asked_about(question: str, expected: str | None, why: str) -> None:
    found = client_asked_about(question, CLIENTS)
    assert (found.name if found else None) == expected, why


async def test_a_client_balance_question_points_to_the_card(rm, repo):
    await rm.send("/start")
    await repo.clients.import_rows(RM_ZH, [ClientRow(2, "刘建国", last_contact=NOW.date())], NOW)
    [reply] = [s for s in await rm.send("/faq 刘建国账户余额多少") if s.method == "sendMessage"]
    assert "刘建国" in reply.text and "不存客户数据" in reply.text and "不可以" not in reply.text
    assert reply.button_labels() == ["📇 刘建国"]
    card = await rm.press("📇 刘建国")
    assert any("刘建国" in s.text for s in card)
    assert await repo.faq_log.gaps() == [], "a look-up is not a gap for the FAQ's curators"


async def test_a_rule_asked_about_a_client_still_gets_its_answer(rm_en, repo):
    await rm_en.send("/start")
    await repo.clients.import_rows(RM_EN, [ClientRow(2, "Sarah Wong", last_contact=NOW.date())], NOW)
    [reply] = [s for s in await rm_en.send("/faq can I sign for a client?") if s.method == "sendMessage"]
    assert "No." in reply.text or "Source:" in reply.text

"""The curated FAQ: its files, its ranking on our own paraphrases, and the bot's answers."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

from bot.faq import FaqError, FaqIndex, load_faq, looks_like_question
from tests.conftest import ADMIN, RM_EN, RM_ZH

REQUIRED = ["prohibited-acts", "sign-for-client", "hold-client-valuables", "offsite-cash", "proxy-business", "gifts-and-fees", "client-confidentiality", "suspicious-activity", "job-handover", "decision-authority", "three-checks", "risk-types", "risk-mitigation", "loan-due-diligence", "service-taboos", "courtesy-phrases", "contact-frequency", "daily-report", "wealth-sale-disclosure", "false-mortgage", "acceptance-bill-background", "financial-statement-fraud", "legal-validity", "basic-account-opening", "general-account-opening", "corporate-online-banking", "letter-of-credit", "bank-acceptance-bill", "bill-discounting", "supply-chain-finance", "performance-assessment", "client-tiering"]
#: Issue 15: every practice and rule the domain sources teach that an RM would ask about.
ADDED = ["rm-five-roles", "rm-duties", "internal-coordination", "professional-ethics", "competency-model", "rm-reports", "retail-vs-corporate-rm", "lobby-manager", "industry-specialist", "unused-credit-line", "asset-review", "insurance-review", "asking-referrals", "new-product-notice", "low-contribution-clients", "client-salons", "undisclosed-assets", "real-estate-loan", "short-loan-long-use", "rollover-extension", "related-party-guarantee", "moral-risk", "operational-risk-events", "credit-risk-culture", "client-needs-card", "self-review"]
DATA = Path(__file__).parent / "data"


def _rows(name: str) -> list[dict]:
    return [json.loads(line) for line in (DATA / name).read_text("utf-8").splitlines()]


EVAL = _rows("faq_eval.jsonl")
#: Written by a separate helper given only the entry titles (see /work/evalsets/faq/README.md).
INDEPENDENT = _rows("faq_paraphrases_independent.jsonl")
NEAR_DOMAIN = _rows("faq_near_domain.jsonl")
UNRELATED = _rows("faq_unrelated.jsonl")
#: Written after the ranking was tuned on the sets above (tests/data/faq_fresh.README.md).
FRESH = _rows("faq_paraphrases_fresh.jsonl")
NEAR_DOMAIN_FRESH = _rows("faq_near_domain_fresh.jsonl")
ENTRIES = load_faq()
INDEX = FaqIndex(ENTRIES)


def test_every_required_entry_exists_with_both_languages():
    entries = {e.id: e for e in load_faq()}
    assert set(REQUIRED) <= set(entries)
    for entry in entries.values():
        assert len(entry.questions_en) >= 2 and len(entry.questions_zh) >= 2
        assert entry.answer_en and entry.answer_zh and entry.source


def test_the_added_topics_are_reviewed_entries_with_several_phrasings():
    entries = {e.id: e for e in ENTRIES}
    assert set(ADDED) <= set(entries), set(ADDED) - set(entries)
    for entry_id in ADDED:
        entry = entries[entry_id]
        assert entry.reviewed.isoformat() == "2026-11-29", entry_id
        assert len(entry.questions_en) >= 4 and len(entry.questions_zh) >= 4, entry_id
        assert len(entry.keywords_en) >= 5 and len(entry.keywords_zh) >= 5, entry_id


def test_practice_is_a_category_beside_compliance_and_product():
    categories = {e.id: e.category for e in ENTRIES}
    assert {categories[i] for i in ("client-tiering", "contact-frequency", "performance-assessment")} == {"practice"}
    assert set(categories.values()) == {"compliance", "product", "practice"}


#: Each correction issue 15 asked for, checked against the seeds (../shared/seeds) and the rules in force:
#: (entry, language, text that must be there, text that must not come back, why).
CORRECTIONS = [
    ("three-checks", "zh", "三表是电表、水表、报表", "海关报表", "seed 000: 三表 are 电表、水表、报表, not customs reports"),
    ("three-checks", "en", "electricity meter, water meter, financial statements", "customs",
     "seed 000: the third meter is the statements"),
    ("loan-due-diligence", "zh", "必须双人调查", "一般双人", "seed 004's 八个严禁: two-person investigation is required"),
    ("loan-due-diligence", "en", "two-person investigation and a face-to-face interview are required", "normally in pairs",
     "seed 004: required, not usual"),
    ("prohibited-acts", "zh", "不交接不离岗", "不擅自离岗", "item 8 is about the handover (seed 004)"),
    ("prohibited-acts", "en", "no leaving without handover", "no leaving without notice", "item 8 is about the handover"),
    ("basic-account-opening", "zh", "预留印章不能是原子章", "原子章一般不予接受", "seed 004: 所有预留印章不能是原子章"),
    ("basic-account-opening", "en", "cannot be a reserved seal", "usually refused", "seed 004: never, not usually"),
    ("general-account-opening", "zh", "预留印章不能是原子章", "原子章一般", "seed 004 applies to every account"),
    ("daily-report", "zh", "下班前向主管汇报", "随时报告", "seed 004: the report is before leaving; it holds no 'major risks at any time'"),
    ("daily-report", "en", "before you leave", "at once, not at day's end", "the daily report is a day's-end report"),
    ("bank-acceptance-bill", "zh", "自出票日至到期日最长不超过6个月", "以监管规定和本行制度为准",
     "中国人民银行 中国银行保险监督管理委员会令〔2022〕第4号 第二十五条: at most 6 months"),
    ("bank-acceptance-bill", "zh", "〔2022〕第4号，第二十五条", "1年", "the order and article are named; never a one-year term"),
    ("bank-acceptance-bill", "en", "at most 6 months from issue to maturity", "one year", "Order 2022 No. 4, art. 25"),
    ("bill-discounting", "zh", "票面金额 × 年贴现率 × 贴现日至到期日的天数 / 360", "/ 365", "discount interest counts a 360-day year"),
    ("bill-discounting", "en", "face value × annual discount rate × days from the discount date to maturity / 360", "/ 365",
     "discount interest counts a 360-day year"),
    ("letter-of-credit", "zh", "国内信用证适用《国内信用证结算办法》", "国际信用证通常遵循国际商会的UCP600规则；",
     "domestic LCs follow 国内信用证结算办法, international ones UCP600"),
    ("letter-of-credit", "en", "Domestic LCs follow the Domestic Letter of Credit Settlement Measures", "Uses: domestic and international",
     "a domestic LC is not governed by UCP600 alone"),
    ("corporate-online-banking", "zh", "财政零余额账户不能开通企业网银", "财政零余额账户可以", "seed 004: 财政零余额账户不能开立网银"),
    ("corporate-online-banking", "en", "a fiscal zero-balance account (财政零余额账户) cannot open online banking", "zero-balance account can",
     "seed 004"),
    ("service-taboos", "zh", "不说“不行”“不知道”，改说", "拿“规定”压人，却不说明原因。", "each taboo phrase with what to say instead"),
    ("service-taboos", "en", "Not \"No\" / \"I don't know\", but", "hiding behind rules without explaining them",
     "each taboo phrase with what to say instead"),
    ("client-confidentiality", "zh", "《个人信息保护法》（2021年）", "《网络安全法》", "the law in force on personal information"),
    ("client-confidentiality", "en", "Personal Information Protection Law (2021)", "Cybersecurity Law", "the law in force"),
    ("suspicious-activity", "zh", "《反洗钱法》（2024年修订）禁止向客户或他人泄露", "2006年", "the 2024 revision, and no tipping off"),
    ("suspicious-activity", "en", "the Anti-Money Laundering Law (revised 2024) forbids telling the client", "(2006)",
     "the 2024 revision, and no tipping off"),
    ("legal-validity", "zh", "《民法典》第三百九十七条", "《物权法》", "the Civil Code replaced the Property Law (2021)"),
    ("legal-validity", "en", "Civil Code, art. 397", "Property Law", "the Civil Code replaced the Property Law and the Guarantee Law"),
    ("legal-validity", "zh", "地上建筑物一并抵押", "《担保法》", "land is mortgaged together with its buildings"),
]


def test_the_corrections_table_has_no_duplicates():
    keys = [(entry_id, language, fact) for entry_id, language, fact, _, _ in CORRECTIONS]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize(("entry_id", "language", "fact", "wrong", "why"), CORRECTIONS,
                         ids=[f"{i}-{lang}-{n}" for n, (i, lang, _, _, _) in enumerate(CORRECTIONS)])
def test_each_correction_holds_and_the_wrong_text_does_not_return(entry_id, language, fact, wrong, why):
    answer = INDEX.entries[entry_id].answer(language)
    assert fact in answer, why
    assert wrong not in answer, why


@pytest.mark.parametrize(("entry_id", "language", "fact"), [
    ("three-checks", "zh", "三表是电表、水表、报表"),
    ("three-checks", "en", "electricity meter, water meter, financial statements"),
    ("loan-due-diligence", "zh", "必须双人调查"),
    ("prohibited-acts", "zh", "不交接不离岗"),
    ("basic-account-opening", "zh", "预留印章不能是原子章"),
    ("general-account-opening", "zh", "不能是原子章"),
    ("bank-acceptance-bill", "zh", "最长不超过6个月"),
    ("bank-acceptance-bill", "zh", "第二十五条"),
    ("bill-discounting", "zh", "票面金额 × 年贴现率 × 贴现日至到期日的天数 / 360"),
    ("bill-discounting", "en", "face value × annual discount rate × days from the discount date to maturity / 360"),
    ("letter-of-credit", "zh", "《国内信用证结算办法》"),
    ("letter-of-credit", "zh", "UCP600"),
    ("corporate-online-banking", "zh", "财政零余额账户不能开通企业网银"),
    ("client-confidentiality", "zh", "《个人信息保护法》（2021年）"),
    ("suspicious-activity", "zh", "《反洗钱法》（2024年修订）禁止向客户或他人泄露"),
    ("legal-validity", "zh", "《民法典》第三百九十七条"),
    ("service-taboos", "zh", "不说“不行”“不知道”，改说"),
])
def test_the_corrected_facts_are_in_the_answers(entry_id, language, fact):
    assert fact in INDEX.entries[entry_id].answer(language)


def test_the_daily_report_does_not_claim_major_risks_wait_for_it():
    entry = INDEX.entries["daily-report"]
    assert "随时报告" not in entry.answer_zh and "at once, not at day's end" not in entry.answer_en
    assert "海关报表" not in INDEX.entries["three-checks"].answer_zh.splitlines()[0]


def test_answers_read_on_a_phone_and_sources_name_documents():
    for entry in ENTRIES:
        for language in ("en", "zh"):
            lines = entry.answer(language).splitlines()
            assert not lines[0].startswith("-") and len(lines) <= 6, (entry.id, language)
        assert ".txt" not in entry.source and "_" not in entry.source, entry.id


#: (id, language) pairs known to answer fewer than two of our paraphrases; strict, like an xfail row:
#: a gap that gets fixed must be removed from here. None left.
KNOWN_GAPS: set[tuple[str, str]] = set()
#: Our paraphrases the FAQ does not answer (it abstains, the closest topics as buttons), each with why;
#: strict: one that gets answered must be removed from here, and no other may join silently.
KNOWN_MISSES = {
    "what kinds of relationship managers does a bank have?":
        "only the job's generic words (relationship, manager, bank) once 'kinds of' frames the question; "
        "several entries share them and none leads clearly, so it abstains (its topic ranks 4th, off the buttons)",
}


def test_each_required_id_answers_two_phrasings_per_language():
    """Our own paraphrases (tests/data/faq_eval.jsonl), none of them copied into the FAQ files."""
    answered: dict[tuple[str, str], int] = defaultdict(int)
    for row in EVAL:
        if row["id"] and INDEX.rank(row["q"]).answer_id == row["id"]:
            answered[(row["id"], row["lang"])] += 1
    short = {(i, lang) for i in REQUIRED + ADDED for lang in ("en", "zh") if answered[(i, lang)] < 2}
    assert short == KNOWN_GAPS, short


def _plain(text: str) -> str:
    """Lower case without punctuation or spaces, so a copy with a changed comma is still a copy."""
    return "".join(char for char in text.lower() if char.isalnum())


def test_no_evaluation_question_appears_verbatim_in_an_entry():
    """The sets measure the FAQ only while their questions are not in it: not as a phrasing, a keyword,
    a title, nor inside an answer (compared without punctuation, spaces or case). A code such as "LC"
    is a keyword, not a copy of the question "LC?"."""
    fields = [_plain(text) for e in ENTRIES for text in (*e.questions_en, *e.questions_zh, *e.keywords_en,
                                                         *e.keywords_zh, e.title_en, e.title_zh, e.answer_en, e.answer_zh)
              if len(_plain(text)) > 3]
    everything = "\n".join(fields)
    copied = [row["q"] for row in EVAL + INDEPENDENT + NEAR_DOMAIN + UNRELATED + FRESH + NEAR_DOMAIN_FRESH
              if _plain(row["q"]) in set(fields) or (len(_plain(row["q"])) >= 12 and _plain(row["q"]) in everything)]
    assert not copied, copied


def test_the_verbatim_check_sees_a_copy():
    question = EVAL[0]["q"]
    assert _plain(question.upper() + " ?") == _plain(question) and _plain("a, b") == _plain("ab")


def test_our_paraphrases_are_not_copies_of_the_curated_phrasings():
    curated = {q.lower() for e in ENTRIES for q in e.questions_en + e.questions_zh}
    copied = [row["q"] for row in EVAL + INDEPENDENT if row["q"].lower() in curated]
    assert not copied, copied
    added = [row for row in EVAL if row["id"] in ADDED]
    for entry_id in ADDED:
        for language in ("en", "zh"):
            assert sum(r["id"] == entry_id and r["lang"] == language for r in added) >= 3, (entry_id, language)


def _top1(rows: list[dict]) -> float:
    return sum(INDEX.rank(r["q"]).answer_id == r["id"] for r in rows) / len(rows)


def _answered(rows: list[dict]) -> float:
    return sum(INDEX.rank(r["q"]).answer_id is not None for r in rows) / len(rows)


@pytest.mark.parametrize("language", ["en", "zh", "all"])
def test_accuracy_and_abstention_on_the_evaluation_set(language):
    """Issue 15's target, per language and overall: top-1 ≥ 0.95 on our paraphrases."""
    rows = [r for r in EVAL if language in ("all", r["lang"])]
    in_scope = [r for r in rows if r["id"]]
    out_of_scope = [r for r in rows if not r["id"]]
    top1 = sum(INDEX.rank(r["q"]).answer_id == r["id"] for r in in_scope) / len(in_scope)
    top3 = sum(r["id"] in INDEX.rank(r["q"]).ranked[:3] for r in in_scope) / len(in_scope)
    abstained = sum(INDEX.rank(r["q"]).answer_id is None for r in out_of_scope) / len(out_of_scope)
    assert len(in_scope) >= 100 and len(out_of_scope) >= 10
    assert top1 >= 0.95 and top3 >= 0.98 and abstained >= 0.9, (top1, top3, abstained)


def test_a_paraphrase_is_answered_right_or_not_at_all():
    """A sibling entry's answer to a paraphrase is the defect we fight (worse than abstaining): none
    in our set or the independent one; and our misses are exactly the known ones."""
    wrong = [(r["q"], INDEX.rank(r["q"]).answer_id) for r in EVAL + INDEPENDENT
             if r["id"] and INDEX.rank(r["q"]).answer_id not in (None, r["id"])]
    assert not wrong, wrong
    missed = {r["q"] for r in EVAL if r["id"] and INDEX.rank(r["q"]).answer_id is None}
    assert missed == set(KNOWN_MISSES), missed ^ set(KNOWN_MISSES)



@pytest.mark.parametrize("language", ["en", "zh"])
def test_rates_per_language_do_not_fall_below_what_we_reached(language):
    """Floors at the figures reached (bench/faq_ranking.py prints them); the targets are in the xfails."""
    ours = [r for r in EVAL if r["id"] and r["lang"] == language]
    independent = [r for r in INDEPENDENT if r["lang"] == language]
    near = [r for r in NEAR_DOMAIN if r["lang"] == language]
    unrelated = [r for r in UNRELATED if r["lang"] == language]
    assert len(near) >= 40 and len(unrelated) >= 20
    top1, top1_independent = _top1(ours), _top1(independent)
    top3 = sum(r["id"] in INDEX.rank(r["q"]).ranked[:3] for r in ours) / len(ours)
    wrong_near, answered_unrelated = _answered(near), _answered(unrelated)
    assert top1 >= 0.95 and top1_independent >= 0.96 and top3 >= 0.99, (top1, top1_independent, top3)
    # near-domain wrong answers stay at what was reached before issue 15's ranking work (2 of 108)
    assert wrong_near <= 0.02 and answered_unrelated <= 0.05, (wrong_near, answered_unrelated)


@pytest.mark.parametrize(("round_", "language", "floor"), [(1, "en", 0.75), (1, "zh", 0.89), (2, "en", 0.87),
                                                            (2, "zh", 0.94), (3, "en", 0.70), (3, "zh", 0.79)])
def test_fresh_sets_do_not_get_worse(round_, language, floor):
    """The fresh sets, written after tuning, are far below the development sets (bench/faq_ranking.py prints
    both): floors at what they reached, no wrong answer to a paraphrase, near-domain wrong ≤ 5%."""
    rows = [r for r in FRESH if r["round"] == round_ and r["lang"] == language]
    assert len(rows) >= 29 and _top1(rows) >= floor, _top1(rows)
    wrong = [(r["q"], INDEX.rank(r["q"]).answer_id) for r in rows if INDEX.rank(r["q"]).answer_id not in (None, r["id"])]
    assert not wrong, wrong
    assert _answered(NEAR_DOMAIN_FRESH) <= 0.05


def test_near_domain_questions_get_no_answer_and_unrelated_ones_abstain():
    """Issue 15's targets: wrong answers ≤ 5% on near-domain questions, abstention ≥ 0.95 on unrelated."""
    assert _answered(NEAR_DOMAIN) <= 0.05
    assert 1 - _answered(UNRELATED) >= 0.95


def test_paraphrases_reach_the_top1_target():
    """Issue 15's target over all paraphrases; a missed one gets the closest topics as buttons."""
    assert _top1([r for r in EVAL if r["id"]] + INDEPENDENT) >= 0.95


@pytest.mark.parametrize(("question", "asks_for"), [
    ("今天的LPR是多少", "today's figure"), ("what's the current discount rate?", "today's figure"),
    ("基本户销户需要什么资料", "closing an account"),
    ("how do I close a company's basic account?", "closing an account"),
    ("the client lost his online banking USB key", "a lost key"),
])
def test_questions_for_todays_figures_or_servicing_get_no_answer(question, asks_for):
    assert INDEX.rank(question).answer_id is None, asks_for


#: How RMs type on a phone, answered by rules that generalise (none of these is an entry's phrasing):
#: (question, expected entry, the rule it shows).
COLLOQUIAL = [
    ("做客户经理平时是干啥的", "rm-duties", "干嘛/干啥/做什么 are one framing word, 干什么"),
    ("客户经理要干哪些活", "rm-duties", "干哪些活 is 干什么 too"),
    ("贷前调查要做什么", "loan-due-diligence", "做什么 frames the question; the topic is 贷前调查, not duties"),
    ("代客户签字算违规吗", "sign-for-client", "违规吗 asks whether a rule allows it; it is not the topic"),
    ("is it against the rules to accept gifts at new year", "gifts-and-fees", "against the rules frames a yes/no question"),
    ("client cant come in, can i sign the opening forms for him", "sign-for-client", "cant is shorthand, not content"),
    ("client wants to payoff the old loan w a new one", "rollover-extension", "payoff means repay"),
    ("how do I run a client seminar", "client-salons", "a seminar is a salon"),
    ("银承期限最长多久", "bank-acceptance-bill", "the answer states the term (6个月), so it answers 'how long'"),
    ("贷款展期最长能展几年", "rollover-extension", "the answer states the limits; 展 repeats 展期"),
    ("my client's daughter asked for his balance, can I tell her", "client-confidentiality", "a daughter is family"),
    ("客户儿子来问他爸的存款，能说吗", "client-confidentiality", "儿子, 爸 are 家人"),
    ("what should I do when I suspect money laundering", "suspicious-activity", "'when I …' sets the scene, asks no date"),
    ("考核到底怎么考", "performance-assessment", "考 repeats 考核"),
    ("担保圈的危害", "related-party-guarantee", "危害 asks for the risks"),
    ("how to recognise fake financial statements", "financial-statement-fraud", "recognise is identify (British spelling)"),
    ("list the types of bank risk", "risk-types", "'list the …' frames the question"),
    ("my borrower can't pay back on time, can we give him more time", "rollover-extension",
     "can't is 'can' (a framing word), not a word 'ca'"),
]


def test_contractions_are_their_words():
    from bot.faq.ranking import units
    assert [u.term for u in units("borrower can't repay, didn't pay, won't sign")] == ["w:borrow", "w:repay", "w:pay", "w:sign"]


def test_colloquial_questions_table_has_no_duplicates():
    questions = [q for q, _, _ in COLLOQUIAL]
    assert len(questions) == len(set(questions))
    curated = {q.lower() for e in ENTRIES for q in e.questions_en + e.questions_zh}
    assert not [q for q in questions if q.lower() in curated]


@pytest.mark.parametrize(("question", "entry_id", "rule"), COLLOQUIAL, ids=[r for _, _, r in COLLOQUIAL])
def test_colloquial_questions_reach_their_topic(question, entry_id, rule):
    assert INDEX.rank(question).answer_id == entry_id, rule


def test_every_curated_phrasing_and_title_answers_its_own_topic():
    """What the bot itself shows (titles as buttons, curated phrasings) must lead back to the topic."""
    misses = [(e.id, q) for e in ENTRIES for q in e.questions_en + e.questions_zh + [e.title_en, e.title_zh]
              if INDEX.rank(q).answer_id != e.id]
    assert not misses, misses


def test_every_example_the_bot_suggests_answers():
    import re

    from bot.strings import t
    examples = [m for language in ("en", "zh") for key in ("faq.topics", "faq.no_question")
                for m in re.findall(r"<code>/faq ([^<]+)</code>", str(t(language, key)))]
    assert len(examples) >= 4
    for example in examples:
        assert INDEX.rank(example).answer_id == "sign-for-client", example


@pytest.mark.parametrize("question", ["What is the capital of France?", "今天股市怎么样", "明天天气如何",
                                      "who won the football match yesterday?", "推荐一部好看的电影",
                                      "how do I reset my password in the core banking system?", "怎么给客户办信用卡",
                                      "电脑连不上wifi怎么办", "what's the weather tomorrow?"])
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


def _entry_file(**changes) -> str:
    fields = {"id": "sign-for-client", "category": "compliance", "title_en": "Signing for a client",
              "title_zh": "代客户签名", "source": "客户经理培训讲义 · 八个严禁", "reviewed": "2026-11-29",
              "keywords_en": ["sign"], "keywords_zh": ["代签"], "questions_en": ["Can I sign for a client?"],
              "questions_zh": ["可以代客户签字吗"], "answer_en": "No. Never sign for a client.\n- It is forgery.",
              "answer_zh": "不可以。不得替客户签字。\n- 这是八个严禁之一。"}
    fields.update(changes)
    return "\n".join(f"{key} = {value}" if key == "reviewed" else f"{key} = {json.dumps(value, ensure_ascii=False)}"
                     for key, value in fields.items())


@pytest.mark.parametrize(("changes", "reason"), [
    ({}, None),
    ({"source": "004_dea1348c380baca0.txt: 八个严禁"}, "source must name the document in words"),
    ({"answer_en": "No. Never.\n" + "\n".join(f"- point {i}" for i in range(6))}, "6 points; at most 5"),
    ({"answer_zh": "- 不可以代签，这是八个严禁之一。"}, "must open with a one-line answer"),
    ({"answer_en": "Signing for a client is forgery.\n- Never do it."}, "opens with a verdict"),
    ({"answer_zh": "可以。客户同意就行。"}, "opposite verdicts"),
    ({"questions_en": ["How do I get a client's signature?"], "answer_en": "Ask him in person.\n- Never forge it."},
     "a verdict in one language only"),
    ({"answer_en": "No. Never.\nWhy:\n- forgery"}, "only points"),
    ({"category": "practice"}, None),
], ids=["good", "file-name", "six-points", "no-opening", "no-verdict", "opposite", "one-sided", "heading", "practice"])
def test_the_loader_checks_that_an_entry_reads_well_on_a_phone(tmp_path, changes, reason):
    (tmp_path / "sign-for-client.toml").write_text(_entry_file(**changes), encoding="utf-8")
    if reason is None:
        assert load_faq(tmp_path)[0].id == "sign-for-client"
        return
    with pytest.raises(FaqError) as caught:
        load_faq(tmp_path)
    assert reason in str(caught.value) and "sign-for-client.toml" in str(caught.value)


async def test_a_question_gets_the_curated_answer_with_source_and_two_more_topics(rm_en):
    [reply] = [s for s in await rm_en.send("Can I sign the form for my client?") if s.method == "sendMessage"]
    entry = INDEX.entries["sign-for-client"]
    assert entry.title_en in reply.text and "Source:" in reply.text
    assert f"reviewed {entry.reviewed.isoformat()}" in reply.text
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


async def test_noise_gets_a_hint_and_is_not_logged_for_curators(bot, rm_en, repo):
    for noise in ("？？？", "???", "asdf?"):
        [reply] = [s for s in await rm_en.send(f"/faq {noise}") if s.method == "sendMessage"]
        assert "in words" in reply.text
    assert await repo.faq_log.gaps() == []


async def test_an_off_job_question_abstains_and_is_logged(rm_en, repo):
    [reply] = [s for s in await rm_en.send("/faq how do I reset my password in the core banking system?")
               if s.method == "sendMessage"]
    assert "no curated answer" in reply.text and len(reply.buttons) == 3
    assert [q.lower() for q, _ in await repo.faq_log.gaps()] == ["how do i reset my password in the core banking system?"]


async def test_faq_alone_lists_topics_and_a_button_shows_one(rm_en):
    [menu] = [s for s in await rm_en.send("/faq") if s.method == "sendMessage"]
    assert "Compliance" in " ".join(menu.button_labels())
    assert "Client practice" in " ".join(menu.button_labels())
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


async def test_a_question_while_the_index_is_still_building_gets_one_moment_then_its_answer(settings, clock, monkeypatch):
    """The index (jieba) is built in a thread after start; a question asked meanwhile is neither silent
    nor answered wrongly: after a moment the RM is told to wait, then gets the answer (one build only)."""
    import asyncio
    import threading

    import bot.context
    from bot.application import build_application, running
    from bot.offline_api import OfflineBotAPI, OfflineUser

    gate, builds = threading.Event(), []

    def slow_index(entries):  # a slow machine's first build: held until the test lets it finish
        builds.append(1)
        gate.wait(10)
        return FaqIndex(entries)

    monkeypatch.setattr(bot.context, "FaqIndex", slow_index)
    api = OfflineBotAPI()
    application = build_application(settings, request=api, clock=clock)
    try:
        async with running(application):
            assert not application.bot_data.faq_built
            rm_en = OfflineUser(application, api, RM_EN, first_name="Amy", language_code="en")
            asking = asyncio.ensure_future(rm_en.send("Can I sign the form for my client?"))
            for _ in range(200):
                if any("One moment" in s.text for s in api.sent):
                    break
                await asyncio.sleep(0.05)
            assert not asking.done()
            gate.set()
            replies = [s for s in await asyncio.wait_for(asking, 10) if s.method == "sendMessage"]
            assert "One moment" in replies[0].text
            assert INDEX.entries["sign-for-client"].title_en in replies[1].text and len(replies) == 2
            await asyncio.sleep(1.2)  # the warm-up after start finds the index built: no second build
            assert len(builds) == 1
    finally:
        gate.set()


async def test_the_topic_list_needs_no_index(bot, rm_en):
    """/faq alone and its buttons read the entries; they do not wait for (or build) the index."""
    application, _ = bot
    application.bot_data.faq_warming.cancel()  # the warm-up after start would build it meanwhile
    application.bot_data._faq = None
    application.bot_data._faq_build = None
    [menu] = [s for s in await rm_en.send("/faq") if s.method == "sendMessage"]
    assert INDEX.entries["sign-for-client"].title_en in menu.button_labels()
    await rm_en.press(INDEX.entries["sign-for-client"].title_en)
    assert not application.bot_data.faq_built


async def test_every_topic_button_shows_its_own_entry(rm_en, rm):
    """Every topic /faq offers, in both languages, opens that topic's answer (not another's)."""
    for user, language in ((rm_en, "en"), (rm, "zh")):
        [menu] = [s for s in await user.send("/faq") if s.method == "sendMessage"]
        buttons = [b for row in menu.buttons for b in row if b["callback_data"].startswith("f:a:")]
        assert len(buttons) == len(INDEX.entries)
        for button in buttons:
            entry = INDEX.entries[button["callback_data"].split(":", 2)[-1]]
            assert button["text"] == entry.title(language)
            [shown] = [s for s in await user.press_data(button["callback_data"], menu.message_id)
                       if s.method == "sendMessage"]
            assert f"<b>{entry.title(language)}</b>" in shown.text, (language, entry.id)


async def test_typed_noise_gets_a_hint_and_is_not_logged(rm, repo):
    for noise in ("？？？", "？"):
        [reply] = [s for s in await rm.send(noise) if s.method == "sendMessage"]
        assert "用文字提问" in reply.text
    assert await repo.faq_log.gaps() == []


async def test_a_stop_during_the_index_build_leaves_no_task_pending(settings, clock, monkeypatch):
    import asyncio
    import threading

    import bot.context
    from bot.application import build_application, running
    from bot.offline_api import OfflineBotAPI

    gate = threading.Event()
    monkeypatch.setattr(bot.context, "FaqIndex", lambda entries: gate.wait(10) and FaqIndex(entries))
    application = build_application(settings, request=OfflineBotAPI(), clock=clock)
    try:
        async with running(application):
            waiting = asyncio.ensure_future(application.bot_data.faq_index())
            await asyncio.sleep(0.05)
        build = application.bot_data._faq_build
        assert build is not None and build.cancelled() and application.bot_data.faq_warming.done()
        waiting.cancel()
    finally:
        gate.set()

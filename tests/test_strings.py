"""The zh and en catalogs carry the same keys and placeholders; values are escaped."""

from bot.strings import Markup, catalog, placeholders, t


def test_catalogs_match():
    zh, en = catalog("zh"), catalog("en")
    assert set(zh) == set(en)
    for key in zh:
        assert placeholders(zh[key]) == placeholders(en[key]), key


def test_values_are_escaped_unless_markup():
    assert t("en", "note.picked", client="<b>&") == "Filed under <b>&lt;b&gt;&amp;</b>."
    assert "<i>x</i>" in t("en", "note.missing", missing=Markup("<i>x</i>"))


# --- Chinese punctuation (issue 18): full-width in Chinese text --------------------------------
import re  # noqa: E402

_TAG_OR_PLACEHOLDER = re.compile(r"<[^>]*>|\{[a-z_]+\}")
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


def ascii_punctuation_in_chinese(text: str) -> list[str]:
    """ASCII , : ; ? ! next to a Chinese character (tags and spaces between do not count), and
    any ASCII ( ) in a text with Chinese in it: each as the few characters around it."""
    plain = _TAG_OR_PLACEHOLDER.sub(lambda m: "\x00" if m.group().startswith("{") else "", text)
    found = []
    for i, char in enumerate(plain):
        if char in "()" and _CJK.search(plain):
            found.append(plain[max(0, i - 6):i + 6])
        elif char in ",:;?!":
            before = plain[:i].rstrip(" ")[-1:]
            after = plain[i + 1:].lstrip(" ")[:1]
            if _CJK.match(before or " ") or _CJK.match(after or " "):
                found.append(plain[max(0, i - 6):i + 6])
    return found


def test_the_check_finds_ascii_punctuation_beside_chinese_and_only_there():
    assert len(ascii_punctuation_in_chinese("待办:今日回访 0 项,逾期")) == 2
    assert len(ascii_punctuation_in_chinese("联系次数：<b>{count}</b>({channels})")) == 2
    assert len(ascii_punctuation_in_chinese("方式? ")) == 1
    assert ascii_punctuation_in_chinese("需求：信用证，下周二 15:00。visited Liu, needs LC") == []
    assert ascii_punctuation_in_chinese("visited Liu (yesterday), needs LC") == []


def test_chinese_strings_use_full_width_punctuation():
    zh = catalog("zh")
    # weekday.names and month.names are comma-separated lists the code splits, not text
    wrong = {key: found for key, value in zh.items()
             if not key.endswith(".names") and (found := ascii_punctuation_in_chinese(value))}
    assert not wrong, wrong

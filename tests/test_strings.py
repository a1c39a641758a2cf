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

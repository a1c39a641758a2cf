"""The /chart PNGs: valid phone-sized images in zh and en, empty data, week bucketing, pie slices,
the CJK font fallback, and rendering from several threads at once."""

from __future__ import annotations

import struct
import warnings
from pathlib import Path
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from types import SimpleNamespace

import pytest

from bot import charts
from bot.charts import cjk_font, contacts_per_week_png, holdings_pie_png, pie_slices, weekly_counts
from bot.records import Contact, Holding

TODAY = date(2026, 11, 25)  # a Wednesday: the last week starts Monday 23 Nov
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def contact(id_, channel, on):
    return Contact(id=id_, raw_text="", client_id=1, client_name=None, channel=channel, occurred_on=on, amount=None)


CONTACTS = [
    contact(1, "visit", date(2026, 11, 23)),   # Monday of this week
    contact(2, "call", date(2026, 11, 25)),
    contact(3, None, date(2026, 11, 22)),      # Sunday: the week before
    contact(4, "email", date(2026, 9, 7)),     # Monday of the first of 12 weeks
    contact(5, "message", date(2026, 9, 6)),   # too old
    contact(6, "visit", None),                 # no date: cannot be placed
    contact(7, "fax", date(2026, 11, 24)),     # not a channel we know: unknown
]
HOLDINGS = [
    Holding(1, 1, "LOAN", "流贷", amount=5_000_000.0),
    Holding(2, 1, "LOAN", "车贷", amount=1_000_000.0),
    Holding(3, 1, "WEALTH", "稳健理财", amount=3_000_000.0),
    Holding(4, 1, "FX", "远期结汇", amount=None),
    Holding(5, 1, "某新产品", "", amount=500_000.0),
]


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_MAGIC
    return struct.unpack(">II", data[16:24])


def assert_phone_png(data: bytes) -> None:
    assert png_size(data) == (960, 720)
    assert 5_000 < len(data) < 400_000


@pytest.mark.parametrize("language", ["zh", "en"])
def test_weekly_chart_png(language):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph (tofu) warns: must not happen
        assert_phone_png(contacts_per_week_png(CONTACTS, TODAY, language))


@pytest.mark.parametrize("language", ["zh", "en"])
def test_pie_png(language):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert_phone_png(holdings_pie_png("刘总", HOLDINGS, language))


@pytest.mark.parametrize("language", ["zh", "en"])
def test_empty_data_still_makes_a_readable_png(language):
    assert_phone_png(contacts_per_week_png([], TODAY, language))
    assert_phone_png(holdings_pie_png("Ann", [], language))
    assert_phone_png(holdings_pie_png("Ann", [Holding(1, 1, "LOAN", amount=None)], language))
    # different pictures from the ones with data
    assert holdings_pie_png("Ann", [], language) != holdings_pie_png("Ann", HOLDINGS, language)


def test_weekly_counts_by_iso_week_and_channel():
    first, counts = weekly_counts(CONTACTS, TODAY)
    assert first == date(2026, 9, 7) and first.weekday() == 0
    assert counts["visit"][-1] == 1 and counts["call"][-1] == 1
    assert counts[None][-1] == 1 and counts[None][-2] == 1      # the fax, and the Sunday contact
    assert counts["email"][0] == 1
    assert sum(map(sum, counts.values())) == 5                  # too old and undated left out
    first, counts = weekly_counts(CONTACTS, TODAY, weeks=1)
    assert first == date(2026, 11, 23) and sum(map(sum, counts.values())) == 3
    with pytest.raises(ValueError):
        weekly_counts(CONTACTS, TODAY, weeks=0)


def test_pie_slices_sum_by_product_and_skip_missing_amounts():
    assert pie_slices(HOLDINGS) == [("LOAN", 6_000_000.0), ("WEALTH", 3_000_000.0), ("某新产品", 500_000.0)]
    many = [Holding(i, 1, f"P{i:02d}", amount=float(100 - i)) for i in range(12)]
    slices = pie_slices(many)
    assert len(slices) == charts.PIE_SLICES and slices[-1][0] == ""   # the rest summed as "Other"
    assert sum(amount for _, amount in slices) == sum(h.amount for h in many)


def test_zh_falls_back_to_english_without_a_cjk_font():
    zh = contacts_per_week_png(CONTACTS, TODAY, "zh")
    en = contacts_per_week_png(CONTACTS, TODAY, "en")
    if cjk_font() is None:
        assert zh == en
        assert charts._pinyin("刘总") == "Liu Zong"
        assert charts._Text("zh").drawable("刘总 (ABC)") == "Liu Zong (ABC)"
    else:
        assert zh != en


def test_a_font_named_cjk_that_cannot_draw_chinese_is_not_used(monkeypatch):
    from matplotlib import font_manager

    dejavu = next(f.fname for f in font_manager.fontManager.ttflist if f.name == "DejaVu Sans")
    fake = SimpleNamespace(ttflist=[SimpleNamespace(name="Noto Sans CJK SC", fname=dejavu)])
    monkeypatch.setattr(font_manager, "fontManager", fake)
    monkeypatch.setattr(font_manager, "findSystemFonts", lambda *a, **k: ["/x/NotoSansCJK-Regular.ttc", dejavu])
    assert charts._find_cjk_font() is None


def test_charts_render_from_several_threads():
    jobs = [lambda: contacts_per_week_png(CONTACTS, TODAY, "en"), lambda: holdings_pie_png("Ann", HOLDINGS, "en"),
            lambda: contacts_per_week_png(CONTACTS[:3], TODAY - timedelta(days=30), "zh"),
            lambda: holdings_pie_png("刘总", HOLDINGS[:2], "zh")] * 3
    serial = [job() for job in jobs]
    with ThreadPoolExecutor(max_workers=6) as pool:
        parallel = list(pool.map(lambda job: job(), jobs))
    assert parallel == serial


def _render(text: str, font) -> bytes:
    figure, axes = charts._figure()
    axes.set_axis_off()
    axes.text(0.5, 0.5, text, fontproperties=font, ha="center", va="center")
    return charts._png(figure)


def test_a_chinese_chart_draws_real_glyphs_from_the_packaged_font():
    path = charts.packaged_font_path()
    assert path is not None and path.endswith("NotoSansSC-RMA.otf"), "the font ships inside the package"
    assert (Path(path).parent / "OFL.txt").read_text(encoding="utf-8").startswith("Copyright"), "with its licence"
    font = charts.cjk_font()
    assert font is not None and font.get_file() == path, "the packaged font is preferred"
    large = font.copy()
    large.set_size(40)
    chinese, tofu = _render("刘总资产", large), _render("\ue000\ue001\ue002\ue003", large)
    assert chinese != tofu, "Chinese is drawn as glyphs, not the fallback box"
    assert _render("王姐理财", large) != chinese, "different characters draw differently"
    text = charts._Text("zh")
    assert text.language == "zh" and text.drawable("刘总") == "刘总"
    assert ord("龘") not in charts._charmap(path), "龘 is outside GB 2312 and the subset"
    assert text.drawable("龘总") == "Da Zong", "a name with a character the font lacks is pinyin, not a box"


def test_chinese_chart_amounts_in_wan_and_yi_english_with_currency():
    assert charts._Text("zh").amount(1_000_000) == "100万元"
    assert charts._Text("zh").amount(120_000_000) == "1.2亿元"
    assert charts._Text("en").amount(1_000_000) == "¥1,000,000"


def test_without_any_cjk_font_zh_charts_fall_back_to_english_and_pinyin(monkeypatch):
    monkeypatch.setattr(charts, "cjk_font", lambda: None)
    text = charts._Text("zh")
    assert text.language == "en" and text.drawable("刘总 (ABC)") == "Liu Zong (ABC)"
    assert contacts_per_week_png(CONTACTS, TODAY, "zh") == contacts_per_week_png(CONTACTS, TODAY, "en")

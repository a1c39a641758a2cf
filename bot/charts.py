"""PNG charts for /chart: contacts per week by channel, and a client's holdings by product.

Pure and thread-safe: dates are passed in, nothing reads a clock, and every chart is drawn on its
own `matplotlib.figure.Figure` with an Agg canvas (no pyplot, no global backend or rcParams), so
charts can be rendered from worker threads at once. Every piece of text gets an explicit
FontProperties instead of relying on rcParams.

Chinese text needs a CJK font, which matplotlib does not ship, so the package does: bot/fonts/ holds
a subset of Noto Sans CJK SC (SIL OFL 1.1, licence beside it; scripts/subset_cjk_font.py) with the
characters the bot draws and the 6,763 hanzi of GB 2312, so zh charts are Chinese with no system
package. `cjk_font()` takes it, else an installed one (CJK_FAMILIES). A name with a character the
font lacks is written in pinyin ("刘总" → "Liu Zong") rather than as tofu boxes, and with no CJK
font at all a zh chart falls back to the English labels.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from functools import lru_cache
from io import BytesIO
from typing import cast

from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.ticker import MaxNLocator

from bot.display import format_amount
from bot.parsing.channels import CHANNELS
from bot.parsing.products import load_catalog
from bot.strings import catalog
from storage.records import Contact, Holding

FIGSIZE = (8, 6)       # inches: 960 x 720 px at 120 dpi, readable full-width on a phone
DPI = 120
PIE_SLICES = 8         # the largest products; the rest are summed into "Other"
#: Font families that cover Simplified Chinese, most preferred first.
CJK_FAMILIES = (
    "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN", "Noto Sans CJK JP",
    "Noto Sans CJK TC", "Source Han Sans", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Microsoft YaHei",
    "PingFang SC", "Hiragino Sans GB", "Heiti SC", "STHeiti", "SimHei", "Droid Sans Fallback",
    "Noto Serif CJK SC", "Source Han Serif SC", "AR PL UMing CN", "AR PL UKai CN", "SimSun",
)
_CJK_FILE = re.compile(r"notosanscjk|notoserifcjk|notosanssc|sourcehan|wqy|wenquanyi|simhei|simsun|msyh|"
                       r"pingfang|hiragino.*gb|droidsansfallback|uming|ukai", re.IGNORECASE)
_CJK_TEXT = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]")
_PROBE = "中文客户联系"
_COLORS = {"visit": "#1f77b4", "call": "#2ca02c", "email": "#ff7f0e", "message": "#9467bd", None: "#9e9e9e"}
_PIE_COLORS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf",
               "#bcbd22", "#7f7f7f")
_FONT_LOCK = threading.Lock()


def contacts_per_week_png(contacts: Iterable[Contact], today: date, language: str, weeks: int = 12) -> bytes:
    """Stacked bars of contacts per ISO week (Monday start), by channel, ending with today's week.

    Contacts without a date are left out (they cannot be placed in a week); a channel that is None
    or not known is counted as "unknown".
    """
    text = _Text(language)
    first, counts = weekly_counts(contacts, today, weeks)
    figure, axes = _figure()
    positions = list(range(weeks))
    bottoms = [0] * weeks
    for channel, values in counts.items():
        if not any(values):
            continue
        label = text.word(f"channel.{channel}" if channel else "chart.unknown_channel")
        axes.bar(positions, values, bottom=bottoms, color=_COLORS[channel], label=label, width=0.7)
        bottoms = [b + v for b, v in zip(bottoms, values, strict=True)]
    for position, total in zip(positions, bottoms, strict=True):
        if total:
            axes.text(position, total, str(total), ha="center", va="bottom", fontproperties=text.font(9))
    months = text.word("month.names").split(",")
    ticks = [text.word("chart.week_tick").format(day=(first + timedelta(weeks=i)).day,
                                                 month=months[(first + timedelta(weeks=i)).month - 1])
             for i in positions]
    axes.set_xticks(positions, ticks, rotation=45, ha="right")
    for tick in axes.get_xticklabels() + axes.get_yticklabels():
        tick.set_fontproperties(text.font(9))
    axes.set_xlim(-0.5, weeks - 0.5)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_ylim(0, max(max(bottoms), 1) * 1.15)
    axes.set_title(text.word("chart.weekly_title").format(weeks=weeks), fontproperties=text.font(14), pad=30)
    axes.set_xlabel(text.word("chart.weekly_xlabel"), fontproperties=text.font(10))
    axes.set_ylabel(text.word("chart.weekly_ylabel"), fontproperties=text.font(10))
    axes.spines[["top", "right"]].set_visible(False)
    axes.grid(axis="y", alpha=0.3)
    axes.set_axisbelow(True)
    if any(bottoms):
        axes.legend(prop=text.font(9), loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False, ncols=5)
    else:
        axes.text(0.5, 0.5, text.word("chart.no_data"), transform=axes.transAxes, ha="center", va="center",
                  fontproperties=text.font(16), color="#757575")
    return _png(figure)


def holdings_pie_png(client_name: str, holdings: Iterable[Holding], language: str) -> bytes:
    """A pie of the client's holdings by product, amounts and shares labelled, the total in the title.

    Holdings without an amount (or with none above zero) are skipped; with nothing left the PNG
    says there is no data.
    """
    text = _Text(language)
    holdings = list(holdings)
    currency, others = pie_currency(holdings)
    ordered = pie_slices(holdings, currency)
    total = sum(amount for _, amount in ordered)
    figure, axes = _figure()
    title = text.word("chart.pie_title").format(client=text.drawable(client_name))
    if not ordered:
        axes.set_axis_off()
        axes.set_title(title, fontproperties=text.font(14))
        axes.text(0.5, 0.5, text.word("chart.no_data"), transform=axes.transAxes, ha="center", va="center",
                  fontproperties=text.font(18), color="#757575")
        return _png(figure)

    names = [text.product(code) if code else text.word("chart.other") for code, _ in ordered]
    amounts = [amount for _, amount in ordered]
    wedges, _, percents = axes.pie(
        amounts, colors=_PIE_COLORS[:len(amounts)], startangle=90, counterclock=False,
        autopct=lambda share: f"{share:.0f}%" if share >= 4 else "", pctdistance=0.75,
        wedgeprops={"linewidth": 1, "edgecolor": "white"}, textprops={"fontproperties": text.font(10)})
    for label in percents:
        label.set_color("white")
    axes.set_aspect("equal")
    legend = [f"{name}\n{text.amount(amount, currency)} · {amount / total:.1%}"
              for name, amount in zip(names, amounts, strict=True)]
    axes.legend(wedges, legend, loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False,
                prop=text.font(10), labelspacing=1.0)
    heading = f"{title}\n{text.word('chart.pie_total').format(total=text.amount(total, currency))}"
    if others:
        heading += "\n" + text.word("chart.pie_other_currencies").format(currencies=", ".join(others))
    axes.set_title(heading, fontproperties=text.font(14))
    figure.subplots_adjust(left=0.02, right=0.62, top=0.86, bottom=0.04)
    return _png(figure)


def weekly_counts(contacts: Iterable[Contact], today: date,
                  weeks: int = 12) -> tuple[date, dict[str | None, list[int]]]:
    """The first week's Monday, and contacts per week by channel (None: unknown), oldest week first."""
    if weeks < 1:
        raise ValueError("weeks must be at least 1")
    first = today - timedelta(days=today.weekday()) - timedelta(weeks=weeks - 1)
    counts: dict[str | None, list[int]] = {channel: [0] * weeks for channel in (*CHANNELS, None)}
    for contact in contacts:
        if contact.occurred_on is None:
            continue
        index = (contact.occurred_on - first).days // 7
        if 0 <= index < weeks:
            counts[contact.channel if contact.channel in CHANNELS else None][index] += 1
    return first, counts


def pie_currency(holdings: Iterable[Holding]) -> tuple[str, list[str]]:
    """The one currency a pie is drawn in (the one most holdings use, CNY on a tie) and the others
    left out: amounts in different currencies are never added together."""
    counts: dict[str, int] = defaultdict(int)
    for holding in holdings:
        if holding.amount is not None and holding.amount > 0:
            counts[holding.currency or "CNY"] += 1
    if not counts:
        return "CNY", []
    chosen = max(counts, key=lambda code: (counts[code], code == "CNY", code))
    return chosen, sorted(code for code in counts if code != chosen)


def pie_slices(holdings: Iterable[Holding], currency: str = "CNY") -> list[tuple[str, float]]:
    """(product code, amount) largest first, holdings in `currency` only; amounts missing or not above
    zero skipped; past PIE_SLICES the smallest are summed under the code "" (drawn as "Other")."""
    by_product: dict[str, float] = defaultdict(float)
    for holding in holdings:
        if (holding.currency or "CNY") != currency:
            continue
        if holding.amount is not None and holding.amount > 0:
            by_product[holding.product] += float(holding.amount)
    ordered = sorted(by_product.items(), key=lambda item: (-item[1], item[0]))
    if len(ordered) > PIE_SLICES:
        ordered = ordered[:PIE_SLICES - 1] + [("", sum(amount for _, amount in ordered[PIE_SLICES - 1:]))]
    return ordered


class _Text:
    """Labels in the chart's language, or in English (and pinyin) when no CJK font can draw them."""

    def __init__(self, language: str) -> None:
        self.cjk = cjk_font()
        self.language = "zh" if language == "zh" and self.cjk is not None else "en"
        self.words = catalog(self.language)

    def word(self, key: str) -> str:
        return self.words[key]

    def font(self, size: float) -> FontProperties:
        if self.cjk is not None:
            font = self.cjk.copy()
            font.set_size(size)
            return font
        return FontProperties(family="DejaVu Sans", size=size)

    def drawable(self, value: str) -> str:
        """Text the font can draw: Chinese becomes pinyin when there is no CJK font, or when the
        font lacks one of its characters (a rare name), never a tofu box."""
        if not _CJK_TEXT.search(value):
            return value
        if self.cjk is not None:
            path = self.cjk.get_file()
            if path is None or all(ord(char) in _charmap(str(path)) for char in value if ord(char) >= 0x2E80):
                return value
        return _pinyin(value)

    def amount(self, amount: float, currency: str = "CNY") -> str:
        return format_amount(amount, self.language, currency)

    def product(self, code: str) -> str:
        product = load_catalog().get(code)
        if product is None:
            return self.drawable(code)
        return product.zh if self.language == "zh" else product.en


def _pinyin(value: str) -> str:
    """刘总 → Liu Zong, ABC公司 → ABC Gong Si (full-width punctuation folded to ASCII first)."""
    from bot.pinyin import toneless  # only needed without a CJK font

    # pypinyin calls `errors` with each run of non-Chinese text and splices the list it returns.
    keep = cast(Callable[[str], str], lambda chars: ["\0" + chars])
    parts = toneless(unicodedata.normalize("NFKC", value), errors=keep)
    words = [part[1:] if part.startswith("\0") else part.capitalize() for part in parts]
    return re.sub(r"([(\[]) | ([)\],.;:!?])", r"\1\2", " ".join(" ".join(words).split()))


#: The CJK font shipped in the package (bot/fonts/OFL.txt is its licence).
PACKAGED_FONT = "NotoSansSC-RMA.otf"


@lru_cache(maxsize=1)
def cjk_font() -> FontProperties | None:
    """The packaged font, else an installed one that draws Chinese, or None. Looked up once per process."""
    with _FONT_LOCK:
        path = packaged_font_path()
        if path is not None and _covers_chinese(path):
            return FontProperties(fname=path)
        return _find_cjk_font()


def packaged_font_path() -> str | None:
    """The shipped font's file (an installed package's files are on disk), or None when absent."""
    from importlib.resources import files

    resource = files("bot") / "fonts" / PACKAGED_FONT
    try:
        return str(resource) if resource.is_file() else None
    except (OSError, TypeError):
        return None


@lru_cache(maxsize=8)
def _charmap(path: str) -> frozenset[int]:
    from matplotlib.ft2font import FT2Font

    return frozenset(FT2Font(path).get_charmap())


def _find_cjk_font() -> FontProperties | None:
    files_by_family: dict[str, list[str]] = defaultdict(list)
    for entry in font_manager.fontManager.ttflist:
        files_by_family[entry.name].append(entry.fname)
    for family in CJK_FAMILIES:
        for path in files_by_family.get(family, ()):
            if _covers_chinese(path):
                return FontProperties(fname=path)
    # Fonts installed after matplotlib built its font cache are missing from ttflist: look on disk.
    try:
        system_fonts = font_manager.findSystemFonts()
    except Exception:  # noqa: BLE001 (a broken fontconfig must not break charts)
        system_fonts = []
    for path in sorted(system_fonts):
        if _CJK_FILE.search(path.rsplit("/", 1)[-1]) and _covers_chinese(path):
            return FontProperties(fname=path)
    return None


def _covers_chinese(path: str) -> bool:
    try:
        from matplotlib.ft2font import FT2Font

        charmap = FT2Font(path).get_charmap()
    except Exception:  # noqa: BLE001 (unreadable or unsupported font file)
        return False
    return all(ord(char) in charmap for char in _PROBE)


def _figure():
    figure = Figure(figsize=FIGSIZE, dpi=DPI, layout=None)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    figure.subplots_adjust(left=0.09, right=0.97, top=0.86, bottom=0.17)
    return figure, axes


def _png(figure: Figure) -> bytes:
    buffer = BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, facecolor="white")
    return buffer.getvalue()


__all__ = ["cjk_font", "contacts_per_week_png", "holdings_pie_png", "pie_slices", "weekly_counts"]

"""The asset review's bar chart: total assets at each review (pure, thread-safe like bot.charts)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot.charts import _figure, _png, _Text


def review_totals_png(client_name: str, points: Sequence[tuple[date, float]], currency: str, language: str) -> bytes:
    """Bars of the client's total assets (one currency) at each review, oldest first."""
    text = _Text(language)
    figure, axes = _figure()
    title = text.word("chart.review_title").format(client=text.drawable(client_name), currency=currency)
    axes.set_title(title, fontproperties=text.font(14))
    if not points:
        axes.set_axis_off()
        axes.text(0.5, 0.5, text.word("chart.no_data"), transform=axes.transAxes, ha="center", va="center",
                  fontproperties=text.font(18), color="#757575")
        return _png(figure)
    labels = [day.isoformat() for day, _ in points]
    values = [total for _, total in points]
    bars = axes.bar(range(len(values)), values, color="#1f77b4", width=0.6)
    for bar, value in zip(bars, values):
        axes.annotate(_amount(text, value, currency), (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                      ha="center", va="bottom", fontproperties=text.font(9), xytext=(0, 3), textcoords="offset points")
    axes.set_xticks(range(len(values)), labels, rotation=30 if len(values) > 6 else 0)
    for label in axes.get_xticklabels():
        label.set_fontproperties(text.font(9))
    axes.set_yticks([])
    for side in ("top", "right", "left"):
        axes.spines[side].set_visible(False)
    axes.set_ylim(0, max(values) * 1.18 or 1)
    return _png(figure)


def _amount(text: _Text, value: float, currency: str) -> str:
    if currency == "CNY":
        return text.amount(value)
    return f"{currency} {value:,.0f}"

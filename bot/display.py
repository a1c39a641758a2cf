"""How dates, amounts, channels and products read in each language (pure, no I/O)."""

from __future__ import annotations

from datetime import date, time

from bot.parsing.products import load_catalog
from bot.strings import catalog, t


def format_date(day: date, language: str, today: date | None = None) -> str:
    """Mon 30 Nov / 11月30日 周一, with the year only when it is not this year."""
    weekday = catalog(language)["weekday.names"].split(",")[day.weekday()]
    same_year = today is not None and today.year == day.year
    if language == "zh":
        text = f"{day.month}月{day.day}日 {weekday}"
        return text if same_year else f"{day.year}年{text}"
    month = catalog(language)["month.names"].split(",")[day.month - 1]
    text = f"{weekday} {day.day} {month}"
    return text if same_year else f"{text} {day.year}"


def format_birthday(day: date, language: str, yearless: int = 1904) -> str:
    """12月2日 / 2 Dec: no weekday (it would be the birth year's), the year only when known."""
    if language == "zh":
        text = f"{day.month}月{day.day}日"
        return text if day.year == yearless else f"{day.year}年{text}"
    month = catalog(language)["month.names"].split(",")[day.month - 1]
    text = f"{day.day} {month}"
    return text if day.year == yearless else f"{text} {day.year}"


def format_when(day: date, at: time | None, language: str, today: date | None = None) -> str:
    text = format_date(day, language, today)
    return f"{text} {at.strftime('%H:%M')}" if at else text


#: Chinese names of the currencies RMs write; any other shows its ISO code.
_CURRENCY_ZH = {"CNY": "元", "USD": "美元", "HKD": "港币", "EUR": "欧元", "JPY": "日元", "GBP": "英镑",
                "SGD": "新加坡元", "AUD": "澳元", "CAD": "加元", "CHF": "瑞郎", "KRW": "韩元", "TWD": "新台币",
                "MOP": "澳门元"}


def format_amount(amount: float, language: str, currency: str | None = "CNY", amount_max: float | None = None) -> str:
    """¥3,000,000 or USD 2,000,000 in English; 300万元 or 200万美元 in Chinese, the way RMs say it.
    A range shows both ends; the currency is always shown, never converted."""
    code = currency or "CNY"
    if language == "zh":
        unit = _CURRENCY_ZH.get(code, " " + code)
        numbers = _zh_number(amount) if amount_max is None else f"{_zh_number(amount)}–{_zh_number(amount_max)}"
        return numbers + unit
    numbers = _en_number(amount) if amount_max is None else f"{_en_number(amount)}–{_en_number(amount_max)}"
    return f"¥{numbers}" if code == "CNY" else f"{code} {numbers}"


def _zh_number(amount: float) -> str:
    if amount >= 1e8:
        return f"{amount / 1e8:g}亿"
    if amount >= 1e4:
        return f"{amount / 1e4:g}万"
    return f"{amount:g}"


def _en_number(amount: float) -> str:
    return f"{amount:,.0f}" if float(amount).is_integer() else f"{amount:,.2f}"


def channel_name(channel: str | None, language: str) -> str:
    return catalog(language)[f"channel.{channel}" if channel else "channel.unknown"]


def product_names(codes: tuple[str, ...] | list[str], language: str) -> str:
    products = load_catalog()
    names = []
    for code in codes:
        product = products.get(code)
        if product is None:
            names.append(code)
        elif language == "zh":
            names.append(product.zh)
        else:
            names.append(product.en)
    return ("、" if language == "zh" else ", ").join(names)


def joined(parts: list[str], language: str) -> str:
    return t(language, "note.and").join(parts)

"""What an export holds, laid out once as localized tables that the XLSX and CSV writers share.

Pure: everything (including today and the calendar month) is passed in; nothing reads a clock,
a file or the database. Both writers render the same `Table`s, so the columns, their order and the
formula-injection guard are identical in the workbook and in the CSV zip.
"""

from __future__ import annotations

import calendar
import unicodedata
from dataclasses import dataclass
from datetime import date, time

from bot.display import product_names
from bot.parsing.channels import CHANNEL_LETTERS
from bot.reviews import Review, compare
from bot.strings import LANGUAGES, catalog
from storage.records import Client, Contact, FollowUp, Holding

#: Column kinds: how a value is written (cell type and number format in XLSX, text form in CSV).
TEXT, DATE, AMOUNT, INT, TIME = "text", "date", "amount", "int", "time"

#: A text value starting with one of these is read as a formula by Excel, LibreOffice or Sheets
#: (= + - @; tab and carriage return per OWASP "CSV injection"). Such values are never written as
#: formulas: see `needs_guard` and the two writers.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

#: Letter for a contact whose channel is unknown, in the calendar.
UNKNOWN_LETTER = "?"


@dataclass(frozen=True)
class ExportData:
    clients: tuple[Client, ...]
    contacts: tuple[Contact, ...]       # Contact.client_id links to clients; occurred_on may be None
    holdings: tuple[Holding, ...]
    follow_ups: tuple[FollowUp, ...]
    month: date                         # any day in the month shown by the Contact calendar sheet
    today: date
    reviews: tuple[Review, ...] = ()    # asset reviews, each with its items (bot.reviews)


@dataclass(frozen=True)
class Table:
    """One sheet (or CSV file): localized headers, a kind per column, rows of plain values."""

    key: str                            # clients, contacts, calendar, holdings, follow_ups
    sheet_name: str                     # localized, at most 31 characters (Excel's limit)
    file_name: str                      # ASCII CSV member name, e.g. contact_calendar_2026-11.csv
    headers: tuple[str, ...]
    kinds: tuple[str, ...]
    rows: tuple[tuple, ...]
    title: str | None = None            # a title row above the header (the calendar's month)


def needs_guard(value: str) -> bool:
    """True when a spreadsheet would treat this text as a formula."""
    return value.startswith(FORMULA_TRIGGERS)


def display_width(text: str) -> int:
    """Width in Excel's character units: CJK (wide/fullwidth) characters count double."""
    widest = 0
    for line in text.split("\n"):
        width = 0
        for char in line:
            width += 2 if char > "\u1100" and unicodedata.east_asian_width(char) in "WF" else 1
        widest = max(widest, width)
    return widest


def build_tables(data: ExportData, language: str) -> tuple[Table, ...]:
    """The seven tables of an export, in sheet order."""
    lang = language if language in LANGUAGES else "zh"
    words = catalog(lang)
    names = {client.id: client.name for client in data.clients}
    return (
        _clients(data, words),
        _contacts(data, words, names, lang),
        _calendar(data, words),
        _holdings(data, words, names, lang),
        _follow_ups(data, words, names),
        _reviews(data, words, names, lang),
        _coverage(data, words, names),
    )


def _header(words: dict[str, str], *keys: str) -> tuple[str, ...]:
    return tuple(words[f"export.column.{key}"] for key in keys)


def _contact_client(contact: Contact, names: dict[int, str]) -> str | None:
    if contact.client_id is not None and contact.client_id in names:
        return names[contact.client_id]
    return contact.client_display or contact.client_name or None


def _last_contacts(data: ExportData) -> dict[int, date]:
    latest: dict[int, date] = {}
    for client in data.clients:
        if client.last_contact_on is not None:
            latest[client.id] = client.last_contact_on
    for contact in data.contacts:
        if contact.client_id is None or contact.occurred_on is None:
            continue
        known = latest.get(contact.client_id)
        if known is None or contact.occurred_on > known:
            latest[contact.client_id] = contact.occurred_on
    return latest


def _clients(data: ExportData, words: dict[str, str]) -> Table:
    latest = _last_contacts(data)
    rows = []
    for client in data.clients:
        last = latest.get(client.id)
        rows.append((client.name, client.tier, client.company, client.phone, _birthday_cell(client.birthday),
                     client.lunar_birthday, client.cadence_days, last,
                     (data.today - last).days if last else None, client.notes))
    return Table(
        "clients", words["export.sheet.clients"], "clients.csv",
        _header(words, "name", "tier", "company", "phone", "birthday", "lunar_birthday", "cadence",
                "last_contact", "days_since", "notes"),
        (TEXT, TEXT, TEXT, TEXT, DATE, TEXT, INT, DATE, INT, TEXT),
        tuple(rows))


def _channel(channel: str | None, words: dict[str, str]) -> tuple[str, str]:
    if channel in CHANNEL_LETTERS:
        return CHANNEL_LETTERS[channel], words[f"channel.{channel}"]
    return "", words["export.channel_unknown"]


def shared_amounts(contacts: tuple[Contact, ...] | list[Contact]) -> dict[int, tuple[int, ...]]:
    """Contact id → the ids of the other contacts of the same note carrying the same amount
    (拜访刘总和王总，五个亿: one sum of money discussed with two clients). Only the first of them
    (the lowest id) writes the amount in the export, so a column sum counts it once."""
    groups: dict[tuple, list[int]] = {}
    for contact in contacts:
        if contact.amount is not None and contact.note_id is not None:
            key = (contact.note_id, contact.amount, contact.currency or "CNY", contact.amount_max)
            groups.setdefault(key, []).append(contact.id)
    shared: dict[int, tuple[int, ...]] = {}
    for ids in groups.values():
        if len(ids) > 1:
            for contact_id in ids:
                shared[contact_id] = tuple(sorted(i for i in ids if i != contact_id))
    return shared


def _contacts(data: ExportData, words: dict[str, str], names: dict[int, str], lang: str) -> Table:
    ordered = sorted(data.contacts, key=lambda c: (c.occurred_on is None, c.occurred_on or date.min, c.id))
    shared = shared_amounts(data.contacts)
    by_id = {c.id: c for c in data.contacts}
    separator = "、" if lang == "zh" else ", "
    rows = []
    for contact in ordered:
        letter, channel = _channel(contact.channel, words)
        others = shared.get(contact.id, ())
        written = contact.amount is not None and not (others and min(others) < contact.id)
        with_whom = separator.join(_contact_client(by_id[i], names) or by_id[i].client_name or "?" for i in others)
        rows.append((contact.occurred_on, _contact_client(contact, names), letter, channel,
                     contact.amount if written else None,
                     product_names(contact.needs, lang) if contact.needs else None,
                     contact.follow_up_on, contact.raw_text,
                     (contact.currency or "CNY") if written else None, contact.amount_max if written else None,
                     with_whom or None))
    return Table(
        "contacts", words["export.sheet.contacts"], "contacts.csv",
        _header(words, "date", "client", "channel_code", "channel", "amount", "needs", "follow_up", "note_text",
                "currency", "amount_max", "amount_shared_with"),
        (DATE, TEXT, TEXT, TEXT, AMOUNT, TEXT, DATE, TEXT, TEXT, AMOUNT, TEXT),
        tuple(rows))


def _calendar(data: ExportData, words: dict[str, str]) -> Table:
    """Rows are clients, columns the days of the month; a cell holds that day's channel letters."""
    year, month = data.month.year, data.month.month
    days = calendar.monthrange(year, month)[1]
    letters: dict[tuple[int, int], list[str]] = {}
    for contact in sorted(data.contacts, key=lambda c: c.id):
        day = contact.occurred_on
        if contact.client_id is None or day is None or day.year != year or day.month != month:
            continue
        letters.setdefault((contact.client_id, day.day), []).append(
            CHANNEL_LETTERS.get(contact.channel or "", UNKNOWN_LETTER))
    rows = []
    for client in data.clients:
        cells = ["".join(letters.get((client.id, day), ())) or None for day in range(1, days + 1)]
        total = sum(len(cell) for cell in cells if cell)
        rows.append((client.name, *cells, total or None))
    month_name = words["month.names"].split(",")[month - 1]
    return Table(
        "calendar", words["export.sheet.calendar"], f"contact_calendar_{year:04d}-{month:02d}.csv",
        (words["export.column.client"], *(str(day) for day in range(1, days + 1)), words["export.column.total"]),
        (TEXT, *(TEXT,) * days, INT),
        tuple(rows),
        title=words["export.calendar_title"].format(month=month_name, year=year))


def _holdings(data: ExportData, words: dict[str, str], names: dict[int, str], lang: str) -> Table:
    ordered = sorted(data.holdings, key=lambda h: (h.maturity_date is None, h.maturity_date or date.min,
                                                   names.get(h.client_id) or "", h.id))
    rows = []
    for holding in ordered:
        maturity = holding.maturity_date
        rows.append((names.get(holding.client_id), product_names((holding.product,), lang),
                     holding.name or None, holding.amount, holding.start_date, maturity,
                     (maturity - data.today).days if maturity else None,
                     (holding.currency or "CNY") if holding.amount is not None else None))
    return Table(
        "holdings", words["export.sheet.holdings"], "holdings.csv",
        _header(words, "client", "product", "holding_name", "amount", "start", "maturity", "days_to_maturity",
                "currency"),
        (TEXT, TEXT, TEXT, AMOUNT, DATE, DATE, INT, TEXT),
        tuple(rows))


def _follow_ups(data: ExportData, words: dict[str, str], names: dict[int, str]) -> Table:
    ordered = sorted(data.follow_ups, key=lambda f: (f.due_on, f.due_time or time.min, f.id))
    rows = []
    for follow_up in ordered:
        client = names.get(follow_up.client_id) if follow_up.client_id is not None else None
        rows.append((client, follow_up.due_on, follow_up.due_time,
                     words.get(f"export.status.{follow_up.status}", follow_up.status)))
    return Table(
        "follow_ups", words["export.sheet.follow_ups"], "follow_ups.csv",
        _header(words, "client", "due_on", "time", "status"),
        (TEXT, DATE, TIME, TEXT),
        tuple(rows))


def _reviews(data: ExportData, words: dict[str, str], names: dict[int, str], lang: str) -> Table:
    """Seed 003's asset review sheet: every asset at every review, with its change since the one before."""
    rows = []
    previous: dict[int, Review] = {}
    for review in sorted(data.reviews, key=lambda r: (names.get(r.client_id) or "", r.reviewed_on, r.id)):
        found = compare(previous.get(review.client_id), review.items)
        for change in found.changes:
            item = change.item
            rows.append((names.get(review.client_id), review.reviewed_on,
                         words[f"export.source.{item.source}"], product_names((item.product,), lang),
                         item.name or None, item.bank or None, f"R{item.risk}" if item.risk else None,
                         change.after, item.currency,
                         change.delta if found.previous_on is not None else None))
        previous[review.client_id] = review
    return Table(
        "reviews", words["export.sheet.reviews"], "reviews.csv",
        _header(words, "client", "review_date", "source", "product", "holding_name", "bank", "risk", "review_amount",
                "currency", "change"),
        (TEXT, DATE, TEXT, TEXT, TEXT, TEXT, TEXT, AMOUNT, TEXT, AMOUNT),
        tuple(rows))


def _coverage(data: ExportData, words: dict[str, str], names: dict[int, str]) -> Table:
    """Seed 003's insurance coverage table: each policy with whom it insures, its kind, sum, premium and term."""
    rows = []
    policies = [h for h in data.holdings if h.cover is not None]
    for holding in sorted(policies, key=lambda h: (names.get(h.client_id) or "", h.id)):
        cover = holding.cover
        assert cover is not None
        if cover.insured is None:
            who = words["insurance.unknown_person"]
        else:
            relation = words[f"relation.{cover.insured}"]
            who = words["profile.named"].format(relation=relation, name=cover.insured_name) if cover.insured_name \
                else relation
        has_money = cover.sum_insured is not None or cover.premium is not None
        rows.append((names.get(holding.client_id), who, words[f"profile.cover_{cover.kind}"], cover.sum_insured,
                     cover.premium, words[f"export.period.{cover.premium_period}"] if cover.premium_period else None,
                     cover.term_years, cover.term_to_age, (holding.currency or "CNY") if has_money else None,
                     holding.name or None))
    return Table(
        "coverage", words["export.sheet.coverage"], "coverage.csv",
        _header(words, "client", "insured", "cover_kind", "sum_insured", "premium", "premium_period", "term_years",
                "to_age", "currency", "holding_name"),
        (TEXT, TEXT, TEXT, AMOUNT, AMOUNT, TEXT, INT, INT, TEXT, TEXT),
        tuple(rows))


__all__ = ["AMOUNT", "DATE", "INT", "TEXT", "TIME", "ExportData", "Table", "build_tables", "display_width",
           "needs_guard"]


def _birthday_cell(birthday):
    """A birthday typed without a year exports as MM-DD, not with the placeholder year."""
    from bot.client_fields import NO_YEAR
    return birthday.strftime("%m-%d") if birthday is not None and birthday.year == NO_YEAR else birthday

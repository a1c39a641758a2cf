"""The digest as one short message with buttons (pure: text and (label, data) pairs, no Telegram).

Most urgent first; each section shows at most SECTION_LIMIT items and says how many more there
are, so a long day still fits one phone screen and Telegram's 4,096 characters.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from bot.callback_data import encode
from bot.client_profile import reach_text
from bot.display import format_amount, format_date, format_when, product_names
from bot.note_reply import snippet
from bot.open_dates import reading_code
from bot.reminders.digest import Digest
from bot.strings import Markup, t

SECTION_LIMIT = 8
BUTTON_ITEMS = 10
#: Waiting notes with their own buttons (candidates, new client, skip); the rest wait for the next digest.
PENDING_BUTTONS = 5
NAME = 32

Button = tuple[str, str]


def _days_text(language: str, days: int, key: str) -> str:
    if days == 0:
        return t(language, f"digest.{key}_today")
    if days == 1:
        return t(language, f"digest.{key}_one")
    return t(language, f"digest.{key}_many", days=days)


def compose_digest(digest: Digest, language: str,
                   holiday_name: Callable[[str], str]) -> tuple[Markup, list[list[Button]]]:
    """(HTML text, button rows) for a digest. Button data: d:<ok|s1|s7|log>:<f|c|b|r|m>:<id>,
    d:h:<key>:<YYYYMMDD>:0; r is a family member's birthday, by the fact that named them."""
    today = digest.day
    if digest.is_empty:
        return t(language, "digest.empty", date=format_date(today, language, today)), []
    lines: list[str] = [t(language, "digest.header", date=format_date(today, language, today), count=digest.size)]
    actionable: list[tuple[int, str, int, str]] = []  # (number, kind, id, client)
    number = 0

    def section(title: str, items, render, kind: str | Callable | None, item_id=None, client=None) -> None:
        nonlocal number
        if not items:
            return
        lines.append("")
        lines.append(t(language, f"digest.section_{title}"))
        for item in items[:SECTION_LIMIT]:
            if kind is None:
                lines.append(render(item, 0))
                continue
            number += 1
            lines.append(render(item, number))
            actionable.append((number, kind(item) if callable(kind) else kind, item_id(item), client(item)))
        if len(items) > SECTION_LIMIT:
            lines.append(t(language, "digest.more", count=len(items) - SECTION_LIMIT))

    def follow_up(item, n: int) -> str:
        times = sorted({at for at in (item.due_time, *item.other_times) if at is not None})
        clock = t(language, "digest.list_separator").join(f"{at:%H:%M}" for at in times)
        if item.days_overdue == 0:
            what: str = t(language, "digest.due_today", time=f" {clock}" if clock else "")
        else:
            what = t(language, "digest.overdue", days=item.days_overdue, date=format_date(item.due_on, language, today))
        if item.count > 1:  # one line per client per day: how many follow-ups it holds
            what = Markup(what + t(language, "digest.follow_up_count", count=item.count))
        client = snippet(item.client, NAME) if item.client else t(language, "digest.no_client")
        return t(language, "digest.line", n=n, client=client, what=what)

    def waiting(item, n: int) -> str:
        when = format_date(item.written_on, language, today) if item.written_on else ""
        line: str = t(language, "digest.pending_line", n=n, name=snippet(item.name, NAME), date=when,
                 text=snippet(item.text, 40))
        if item.follow_up_on:
            line += t(language, "digest.pending_follow_up",
                      date=format_when(item.follow_up_on, item.follow_up_time, language, today))
        return line

    def contact(item, n: int) -> str:
        if item.last_contact_on is None:
            what = t(language, "digest.never_contacted")
        else:
            what = t(language, "digest.last_contact", date=format_date(item.last_contact_on, language, today),
                     overdue=_days_text(language, item.days_overdue, "overdue"))
        reach = reach_text(item.reach_channel, item.reach_time, language)
        if reach:
            what = Markup(what + t(language, "profile.hint", how=reach))
        return t(language, "digest.line_tier", n=n, client=snippet(item.client, NAME), tier=item.tier, what=what)

    def birthday(item, n: int) -> str:
        what = t(language, "digest.birthday", when=_days_text(language, item.days_until, "in"),
                 date=format_date(item.on, language, today),
                 lunar=t(language, "digest.lunar") if item.lunar else "")
        if item.relation:  # 刘总的女儿小雨
            who = t(language, f"relation.{item.relation}")
            who = t(language, "profile.named", relation=who, name=item.relative) if item.relative else who
            client = t(language, "profile.relative", client=snippet(item.client, NAME), who=who)
            return t(language, "digest.line", n=n, client=client, what=what)
        return t(language, "digest.line", n=n, client=snippet(item.client, NAME), what=what)

    def greeting(item, _n: int) -> str:
        return t(language, "digest.holiday", name=holiday_name(item.key), date=format_date(item.on, language, today),
                 when=_days_text(language, (item.on - today).days, "in"), count=len(item.clients))

    def maturity(item, n: int) -> str:
        product = product_names((item.product,), language) + (f" {item.name}" if item.name else "")
        what = t(language, "digest.maturity", product=snippet(product, 40),
                 amount=f" {format_amount(item.amount, language, item.currency)}" if item.amount else "",
                 date=format_date(item.maturity_on, language, today),
                 when=_days_text(language, item.days_left, "in"))
        return t(language, "digest.line", n=n, client=snippet(item.client, NAME), what=what)

    if digest.pending:  # notes whose client is still to confirm: first, they hold the day's data back
        lines += ["", t(language, "digest.section_pending")]
        for note in digest.pending[:SECTION_LIMIT]:
            number += 1
            lines.append(waiting(note, number))
        if len(digest.pending) > SECTION_LIMIT:
            lines.append(t(language, "digest.more", count=len(digest.pending) - SECTION_LIMIT))
    if digest.dates:  # notes whose date phrase reads two ways: a tap on a reading dates them
        lines += ["", t(language, "digest.section_dates")]
        for open_date in digest.dates[:SECTION_LIMIT]:
            number += 1
            client = snippet(open_date.client, NAME) if open_date.client else t(language, "digest.no_client")
            lines.append(t(language, "digest.date_line", n=number, client=client,
                           phrase=snippet(open_date.phrase, 30), text=snippet(open_date.text, 40)))
        if len(digest.dates) > SECTION_LIMIT:
            lines.append(t(language, "digest.more", count=len(digest.dates) - SECTION_LIMIT))
    section("follow_ups", digest.follow_ups, follow_up, "f", lambda i: i.follow_up_id, lambda i: i.client)
    section("contacts", digest.due_contacts, contact, "c", lambda i: i.client_id, lambda i: i.client)
    section("birthdays", digest.birthdays, birthday, lambda i: "r" if i.member_id else "b",
            lambda i: i.member_id or i.client_id, lambda i: i.client)
    section("holidays", digest.holidays, greeting, None)
    section("maturities", digest.maturities, maturity, "m", lambda i: i.holding_id, lambda i: i.client)
    if digest.reviews:  # asset reviews due by cadence (issue 19): listed, no buttons
        lines += ["", t(language, "review.due_section")]
        for review in digest.reviews[:SECTION_LIMIT]:
            if review.last_review_on is None:  # never reviewed: counted below, not listed
                continue
            what = t(language, "review.due_last", date=format_date(review.last_review_on, language, today),
                     overdue=_days_text(language, review.days_overdue or 0, "overdue"))
            lines.append(t(language, "review.due_line", client=snippet(review.client, NAME), tier=review.tier,
                           what=what))
        if len(digest.reviews) > SECTION_LIMIT:
            lines.append(t(language, "digest.more", count=len(digest.reviews) - SECTION_LIMIT))
    if digest.never_reviewed and not digest.is_empty:
        lines.append(t(language, "review.due_never", count=digest.never_reviewed))

    rows: list[list[Button]] = pending_rows(digest.pending, language)
    rows += date_rows(digest.dates, language, today, first=min(len(digest.pending), SECTION_LIMIT))
    for n, kind, item_id, client in actionable[:BUTTON_ITEMS]:
        done = t(language, "digest.button_done", n=n, client=snippet(client or t(language, "digest.no_client"), 10))
        rows.append([(done, encode("d", "ok", kind, item_id)),
                     (t(language, "digest.button_day"), encode("d", "s1", kind, item_id)),
                     (t(language, "digest.button_week"), encode("d", "s7", kind, item_id)),
                     (t(language, "digest.button_log"), encode("d", "log", kind, item_id))])
    for item in digest.holidays:
        rows.append([(t(language, "digest.button_holiday", name=holiday_name(item.key), count=len(item.clients)),
                      encode("d", "h", item.key, item.on, 0))])
    return Markup("\n".join(lines)), rows


def date_rows(dates, language: str, today: date, first: int = 0) -> list[list[Button]]:
    """Per note whose date is to confirm: one button per reading, each led by its number."""
    rows: list[list[Button]] = []
    for n, item in enumerate(dates[:PENDING_BUTTONS], start=first + 1):
        row: list[Button] = []
        for reading in item.readings:
            if reading.occurred_on:
                label = t(language, "note.reading_contact", date=format_date(reading.occurred_on, language, today))
            else:
                label = t(language, "note.reading_follow_up",
                          date=format_when(reading.follow_up_on, reading.follow_up_time, language, today))
            row.append((t(language, "digest.pending_pick", n=n, client=label),
                        encode("d", "dr", item.contact_id, reading_code(reading))))
        rows.append(row)
    return rows


def pending_rows(pending, language: str, first: int = 0) -> list[list[Button]]:
    """Per waiting note: a button per candidate, then "new client" and skip, each led by its number."""
    rows: list[list[Button]] = []
    for n, item in enumerate(pending[:PENDING_BUTTONS], start=first + 1):
        if item.candidates:
            rows.append([(t(language, "digest.pending_pick", n=n, client=snippet(name, 12)),
                          encode("d", "pk", item.contact_id, client_id)) for client_id, name in item.candidates])
        rows.append([(t(language, "digest.pending_new", n=n, name=snippet(item.name, 12)),
                      encode("d", "pn", item.contact_id)),
                     (t(language, "digest.pending_skip", n=n), encode("d", "px", item.contact_id))])
    return rows


def compose_greeting_list(name: str, on: date, clients: tuple[str, ...], page: int, language: str,
                          page_size: int = 40) -> tuple[Markup, int]:
    """One page of the clients to greet for a holiday: (text, number of pages)."""
    pages = max(1, -(-len(clients) // page_size))
    page = min(max(page, 0), pages - 1)
    chunk = clients[page * page_size:(page + 1) * page_size]
    lines = [t(language, "digest.greet_header", name=name, date=format_date(on, language, None),
               count=len(clients), page=page + 1, pages=pages)]
    lines += [t(language, "digest.greet_line", n=page * page_size + i + 1, client=snippet(c, NAME))
              for i, c in enumerate(chunk)]
    return Markup("\n".join(lines)), pages

"""Reports as short phone messages (pure: text out, paged where long, never cut silently)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from bot.client_profile import EMPTY, ClientProfile, compose_facts
from bot.display import channel_name, format_amount, format_birthday, format_date, format_when, product_names
from bot.note_reply import snippet
from bot.parsing.channels import CHANNEL_LETTERS
from bot.reminders.digest import Digest
from bot.reports.figures import PeriodReport
from bot.strings import Markup, t
from storage.records import Client, Contact, FollowUp, Holding

NAME = 32
PAGE_SIZE = 15


def _channels(by_channel: dict[str, int], language: str) -> str:
    parts = [f"{CHANNEL_LETTERS.get(channel, '?')} {count}" for channel, count in by_channel.items()]
    return " · ".join(parts) if parts else "–"


def _range(start: date, end: date, language: str, today: date) -> str:
    if start == end:
        return format_date(start, language, today)
    return f"{format_date(start, language, today)} – {format_date(end, language, today)}"


def compose_period(report: PeriodReport, language: str, today: date) -> Markup:
    clients: str = t(language, "report.clients", reached=report.clients_reached, new=report.new_clients,
                     period=t(language, f"report.in_{report.period}"))
    if report.created_clients != report.new_clients:  # what "new" leaves out: plans, earlier first contacts
        clients += t(language, "report.created", count=report.created_clients,
                     period=t(language, f"report.in_{report.period}"))
    if report.imported_clients:
        clients += t(language, "report.imported", count=report.imported_clients)
    lines: list[str] = [
        t(language, f"report.title_{report.period}", range=_range(report.start, report.end, language, today)),
        t(language, "report.contacts", count=report.contacts, channels=_channels(report.by_channel, language)),
        clients]
    if report.needs:  # every need: the catalog is short, so the line stays short enough
        needs = [f"{product_names((code,), language)} {count}" for code, count in report.needs.items()]
        lines.append(t(language, "report.needs", needs=", ".join(needs)))
    else:
        lines.append(t(language, "report.no_needs"))
    lines.append(t(language, "report.follow_ups", done=report.follow_ups_done, due=report.follow_ups_due))
    coverage = []
    for tier, figures in report.coverage.items():
        share = f"{figures.share:.0%}" if figures.share is not None else "–"
        coverage.append(t(language, "report.coverage_tier", tier=tier, covered=figures.covered, total=figures.total,
                          share=share))
    lines.append(t(language, "report.coverage", tiers=Markup(" · ".join(coverage))))
    if report.contacts == 0 and report.follow_ups_due == 0:
        lines.append(t(language, "report.nothing_yet"))
    return Markup("\n".join(lines))


TODAY_PAGE = 10


def compose_today(contacts: list[Contact], digest: Digest, language: str, page: int = 0,
                  page_size: int = TODAY_PAGE) -> tuple[Markup, int, int]:
    """(text, the page shown, pages): today's contacts newest first, one page of them, then what is
    still due. Pages beyond the end show the last one."""
    today = digest.day
    newest = sorted(contacts, key=lambda c: c.id, reverse=True)
    pages = max(1, -(-len(newest) // page_size))
    page = min(max(page, 0), pages - 1)
    title: str = t(language, "report.today_title", date=format_date(today, language, today), count=len(contacts))
    if pages > 1:
        title += t(language, "report.page", page=page + 1, pages=pages)
    lines: list[str] = [title]
    for contact in newest[page * page_size:(page + 1) * page_size]:
        lines.append(t(language, "report.today_line", channel=CHANNEL_LETTERS.get(contact.channel or "", "?"),
                       client=snippet(contact.client_display or contact.client_name or "?", NAME),
                       text=snippet(contact.raw_text, 40)))
    if not contacts:
        lines.append(t(language, "report.today_none"))
    due_today = [f for f in digest.follow_ups if f.days_overdue == 0]
    lines.append("")
    lines.append(t(language, "report.still_due", follow_ups=len(due_today),
                   overdue=len(digest.follow_ups) - len(due_today),
                   contacts=len(digest.due_contacts), birthdays=sum(1 for b in digest.birthdays if b.days_until == 0),
                   maturities=len(digest.maturities)))
    return Markup("\n".join(lines)), page, pages


@dataclass(frozen=True)
class ClientCard:
    client: Client
    holdings: tuple[Holding, ...]
    open_follow_ups: tuple[FollowUp, ...]
    open_needs: tuple[str, ...]
    recent: tuple[Contact, ...]
    last_contact_on: date | None
    profile: ClientProfile = EMPTY
    last_review_on: date | None = None


def review_cadence_line(card: ClientCard, language: str, today: date) -> Markup:
    """How often the client's assets are reviewed (their own cadence, else their tier's) and when last."""
    from bot.reviews import review_cadence

    days = review_cadence(card.client, card.profile)
    cadence = t(language, "card.review_every", days=days) if days else t(language, "card.review_none")
    source = (t(language, "card.review_own") if card.profile.review_days is not None
              else t(language, "card.review_tier", tier=card.client.tier))
    last = (t(language, "card.review_last", date=format_date(card.last_review_on, language, today))
            if card.last_review_on else t(language, "card.review_never"))
    return t(language, "card.review_cadence", cadence=cadence, source=source, last=last)


def compose_client_card(card: ClientCard, language: str, today: date) -> Markup:
    client = card.client
    none = t(language, "card.none")
    lines = [t(language, "card.title", client=snippet(client.name, 48), tier=client.tier)]
    if client.company or client.phone:
        lines.append(t(language, "card.company_phone", company=client.company or none, phone=client.phone or none))
    birthday = []
    if client.birthday:
        birthday.append(format_birthday(client.birthday, language))
    if client.lunar_birthday:
        birthday.append(t(language, "card.lunar", date=client.lunar_birthday))
    lines.append(t(language, "card.birthday", birthday=Markup(" · ".join(birthday)) if birthday else none))
    if card.last_contact_on:
        days = (today - card.last_contact_on).days
        lines.append(t(language, "card.last_contact_today" if days == 0 else "card.last_contact",
                       date=format_date(card.last_contact_on, language, today), days=days))
    else:
        lines.append(t(language, "card.never"))
    if card.profile:
        lines += [t(language, "profile.card_title"), *compose_facts(card.profile, language, today)]
    lines.append(review_cadence_line(card, language, today))
    holdings = [h for h in card.holdings if h.cover is None]  # policies are in the profile's coverage section
    if holdings:
        lines.append(t(language, "card.holdings"))
        for holding in holdings[:10]:
            product = product_names((holding.product,), language) + (f" {holding.name}" if holding.name else "")
            amount = f" {format_amount(holding.amount, language, holding.currency)}" if holding.amount else ""
            matures = (t(language, "card.matures", date=format_date(holding.maturity_date, language, today))
                       if holding.maturity_date else "")
            lines.append(t(language, "card.holding", product=snippet(product, 40), amount=amount, matures=matures))
        if len(holdings) > 10:
            lines.append(t(language, "card.more_holdings", count=len(holdings) - 10))
    if card.open_needs:
        lines.append(t(language, "card.needs", needs=product_names(card.open_needs, language)))
    # one line per date and time: several notes promising the same follow-up are one promise
    follow_ups = sorted({(f.due_on, f.due_time or time.min, f.due_time) for f in card.open_follow_ups})
    for due_on, _, due_time in follow_ups[:5]:
        lines.append(t(language, "card.follow_up", date=format_when(due_on, due_time, language, today)))
    if len(follow_ups) > 5:
        lines.append(t(language, "card.more_follow_ups", count=len(follow_ups) - 5))
    if card.recent:
        lines.append(t(language, "card.recent"))
        for contact in card.recent:
            lines.append(compose_timeline_line(contact, language, today))
    return Markup("\n".join(lines))


def compose_timeline_line(contact: Contact, language: str, today: date) -> Markup:
    if contact.occurred_on:
        when = format_date(contact.occurred_on, language, today)
    elif contact.follow_up_on:  # a plan: shown as one, on its day
        when = t(language, "card.planned", date=format_when(contact.follow_up_on, contact.follow_up_time, language,
                                                            today))
    else:  # a note with no contact in it (profile facts, an unparsed line): a record, not an undated contact
        when = t(language, "card.noted")
    if not contact.channel:  # no "? channel unknown" on the card: the date and the note's words
        return t(language, "card.contact_line_no_channel", date=when, text=snippet(contact.raw_text, 60))
    return t(language, "card.contact_line", date=when, letter=CHANNEL_LETTERS.get(contact.channel or "", "?"),
             channel=channel_name(contact.channel, language), text=snippet(contact.raw_text, 60))


def compose_timeline(client: Client, contacts: list[Contact], page: int, pages: int, language: str,
                     today: date) -> Markup:
    lines = [t(language, "card.timeline", client=snippet(client.name, 48), page=page + 1, pages=max(pages, 1))]
    lines += [compose_timeline_line(c, language, today) for c in contacts] or [t(language, "card.no_contacts")]
    return Markup("\n".join(lines))


def compose_client_list(clients: list[tuple[Client, date | None]], tier: str | None, page: int, language: str,
                        today: date, page_size: int = PAGE_SIZE) -> tuple[Markup, int, list[Client]]:
    """(text, pages, the clients on this page) for /clients [A|B|C], most neglected first."""
    pages = max(1, -(-len(clients) // page_size))
    page = min(max(page, 0), pages - 1)
    chunk = clients[page * page_size:(page + 1) * page_size]
    lines = [t(language, "clients.title", tier=tier or t(language, "clients.all"), count=len(clients),
               page=page + 1, pages=pages)]
    for number, (client, last) in enumerate(chunk, start=page * page_size + 1):
        days = (t(language, "clients.never") if last is None else t(language, "clients.today") if last == today
                else t(language, "clients.days", days=(today - last).days))
        lines.append(t(language, "clients.line", n=number, client=snippet(client.name, NAME), tier=client.tier,
                       days=days))
    if not clients:
        lines.append(t(language, "clients.none_in_tier", tier=tier) if tier else t(language, "clients.none"))
    return Markup("\n".join(lines)), pages, [client for client, _ in chunk]


@dataclass(frozen=True)
class TeamRow:
    rm_name: str
    by_channel: dict[str, int]
    follow_ups_overdue: int
    core_overdue: tuple[str, ...]
    notes: tuple[str, ...] = ()   # note text, only when the config allows supervisors to see it


def compose_team(rows: list[TeamRow], language: str, today: date) -> list[Markup]:
    """The team summary, split into messages under Telegram's limit (never cut)."""
    header = t(language, "team.title", date=format_date(today, language, today), count=len(rows))
    blocks: list[str] = []
    for row in rows:
        block = [t(language, "team.rm", name=snippet(row.rm_name, 40), contacts=sum(row.by_channel.values()),
                   channels=_channels(row.by_channel, language), overdue=row.follow_ups_overdue,
                   core=len(row.core_overdue))]
        if row.core_overdue:
            block.append(t(language, "team.core", names=", ".join(snippet(n, 20) for n in row.core_overdue[:10])
                           + ("…" if len(row.core_overdue) > 10 else "")))
        block += [t(language, "team.note", text=snippet(text, 80)) for text in row.notes[:5]]
        blocks.append("\n".join(block))
    if not rows:
        blocks.append(t(language, "team.empty"))
    messages: list[Markup] = []
    current: str = header
    for text in blocks:
        if len(current) + len(text) + 2 > 3800:
            messages.append(Markup(current))
            current = text
        else:
            current = f"{current}\n\n{text}"
    messages.append(Markup(current))
    return messages

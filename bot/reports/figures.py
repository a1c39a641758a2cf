"""The figures behind /week and /month (and `python -m bot report --json`)."""

from __future__ import annotations

import calendar
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo

from bot.parsing.channels import CHANNEL_LETTERS
from bot.reminders.digest import cadence_of
from storage.records import Client, Contact, FollowUp

PERIODS = ("day", "week", "month")


def period_range(period: str, day: date) -> tuple[date, date]:
    """The day itself, its Monday–Sunday week, or its calendar month."""
    if period == "day":
        return day, day
    if period == "week":
        start = day - timedelta(days=day.weekday())
        return start, start + timedelta(days=6)
    if period == "month":
        return day.replace(day=1), day.replace(day=calendar.monthrange(day.year, day.month)[1])
    raise ValueError(f"unknown period {period!r}")


@dataclass(frozen=True)
class Coverage:
    """Tier clients contacted within their cadence, as of the period's end."""

    covered: int
    total: int

    @property
    def share(self) -> float | None:
        return self.covered / self.total if self.total else None


@dataclass(frozen=True)
class PeriodReport:
    period: str
    start: date
    end: date
    contacts: int
    by_channel: dict[str, int]          # visit/call/email/message/unknown → count
    clients_reached: int
    new_clients: int                    # first contact logged in the period
    needs: dict[str, int]               # product code → notes that captured it
    follow_ups_due: int
    follow_ups_done: int
    coverage: dict[str, Coverage]       # "A", "B"
    imported_clients: int = 0           # added by an import in the period (never "new")
    #: ISO 4217 → the money the period's notes named, each note's amount once however many clients it is
    #: about (拜访刘总和王总，银团贷款五个亿 is 5亿, not 10亿); currencies are never added together.
    amounts: dict[str, float] = field(default_factory=dict)
    created_clients: int = 0            # added by a note in the period (a plan's too), whatever its first contact

    def to_json(self) -> dict:
        return {
            "period": self.period, "start": self.start.isoformat(), "end": self.end.isoformat(),
            "contacts": self.contacts,
            "by_channel": {CHANNEL_LETTERS.get(k, "?"): v for k, v in self.by_channel.items()},
            "by_channel_name": dict(self.by_channel),
            "clients_reached": self.clients_reached, "new_clients": self.new_clients,
            "imported_clients": self.imported_clients, "created_clients": self.created_clients,
            "needs": dict(self.needs),
            "amounts": {code: _number(value) for code, value in self.amounts.items()},
            "follow_ups": {"due": self.follow_ups_due, "done": self.follow_ups_done},
            "coverage": {tier: {"covered": c.covered, "total": c.total,
                                "share": round(c.share, 3) if c.share is not None else None}
                         for tier, c in self.coverage.items()},
        }


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def _note_key(contact: Contact) -> tuple:
    return ("note", contact.note_id) if contact.note_id is not None else ("contact", contact.id)


def needs_by_note(contacts: Iterable[Contact]) -> Counter[str]:
    """Product code → notes that captured it: a note about two clients names its needs once."""
    seen: set[tuple] = set()
    counted: Counter[str] = Counter()
    for contact in contacts:
        for product in contact.needs:
            key = (_note_key(contact), product)
            if key not in seen:
                seen.add(key)
                counted[product] += 1
    return counted


def amounts_by_note(contacts: Iterable[Contact]) -> dict[str, float]:
    """ISO 4217 → the sum of the notes' amounts, each note's amount once: the contacts of one note
    about several clients carry the same amount (the money discussed with each), which is one sum of
    money. An amount one of them was edited to is another sum and counts too. A range counts its
    lower end (what is sure)."""
    seen: set[tuple] = set()
    totals: dict[str, float] = {}
    for contact in contacts:
        if contact.amount is None:
            continue
        currency = contact.currency or "CNY"
        key = (_note_key(contact), currency, contact.amount)
        if key in seen:
            continue
        seen.add(key)
        totals[currency] = totals.get(currency, 0.0) + contact.amount
    return totals


def is_contact(contact: Contact) -> bool:
    """A contact in a report: a note about a client with the day it happened. A plan (no date yet),
    a profile note or text nothing could be read from is stored, but is not a contact."""
    return contact.client_id is not None and contact.occurred_on is not None


def dated(contacts: Iterable[Contact]) -> Iterator[tuple[int, date, Contact]]:
    """(client id, day it happened, contact) of each contact in a report (is_contact)."""
    for contact in contacts:
        if contact.client_id is not None and contact.occurred_on is not None:
            yield contact.client_id, contact.occurred_on, contact


def local_day(moment: datetime | None, tz: tzinfo | None) -> date | None:
    """The RM's calendar day of a stored moment (the stored offset's day when tz is unknown)."""
    if moment is None:
        return None
    return (moment.astimezone(tz) if tz is not None and moment.tzinfo is not None else moment).date()


def _existed_by(client: Client, end: date, tz: tzinfo | None) -> bool:
    """The client was the RM's by `end`: added by then, or (an import) last contacted by then."""
    created = local_day(client.created_at, tz) or client.created_on
    return created is None or created <= end or (client.last_contact_on is not None and client.last_contact_on <= end)


def first_contacts_of(contacts: list[Contact] | tuple[Contact, ...]) -> dict[int, date]:
    first: dict[int, date] = {}
    for client_id, day, _ in dated(contacts):
        first[client_id] = min(first.get(client_id, day), day)
    return first


def period_report(period: str, day: date, clients: list[Client] | tuple[Client, ...],
                  contacts: list[Contact] | tuple[Contact, ...], follow_ups: list[FollowUp] | tuple[FollowUp, ...],
                  cadence: Mapping[str, int], last_contacts: Mapping[int, date] | None = None,
                  first_contacts: Mapping[int, date] | None = None, tz: tzinfo | None = None) -> PeriodReport:
    """Contacts: at least the period's (any others are ignored); follow-ups: those due in the period.
    Coverage counts each client's last contact up to the period's end: `last_contacts` when the
    caller has it (storage aggregates it), else derived from `contacts`.

    A new client is one whose first logged contact falls in the period (`first_contacts`, else
    derived from `contacts`) and who had no contact before it on record (an import's last contact):
    an import is not a new client, it is counted apart by the day it was imported. The reply says
    so, and adds the clients created by notes in the period when that differs (a client known only
    from a plan, or first contacted before the period, is created but not new). Days of stored
    moments are taken in the RM's timezone `tz`.
    """
    start, end = period_range(period, day)
    in_period = [c for _, occurred, c in dated(contacts) if start <= occurred <= end]
    by_channel = Counter(c.channel or "unknown" for c in in_period)
    ordered = {channel: by_channel[channel] for channel in ("visit", "call", "email", "message", "unknown")
               if by_channel[channel]}
    needs = needs_by_note(in_period)
    last: dict[int, date] = dict(last_contacts) if last_contacts is not None else {}
    for client_id, occurred, _ in dated(contacts if last_contacts is None else ()):
        if occurred <= end:
            last[client_id] = max(last.get(client_id, occurred), occurred)
    first = dict(first_contacts) if first_contacts is not None else first_contacts_of(contacts)
    coverage = {}
    for tier in ("A", "B"):
        tiered = [c for c in clients if c.tier == tier and _existed_by(c, end, tz)]
        covered = 0
        for client in tiered:
            seen = [d for d in (last.get(client.id), client.last_contact_on) if d and d <= end]
            if seen and (end - max(seen)).days < cadence_of(client, cadence):
                covered += 1
        coverage[tier] = Coverage(covered, len(tiered))
    due = [f for f in follow_ups if start <= f.due_on <= end]
    new = sum(1 for c in clients if c.id in first and start <= first[c.id] <= end
              and (c.last_contact_on is None or c.last_contact_on >= start))
    imported = sum(1 for c in clients if (on := local_day(c.imported_at, tz)) and start <= on <= end)
    created = sum(1 for c in clients if c.imported_at is None and (on := local_day(c.created_at, tz))
                  and start <= on <= end)
    return PeriodReport(
        period, start, end, len(in_period), ordered, len({c.client_id for c in in_period}), new,
        dict(needs.most_common()), len(due), sum(1 for f in due if f.status == "done"), coverage, imported,
        amounts_by_note(in_period), created)

"""The morning digest: who is due today and why, most urgent first.

`compute_digest` is a pure function of (clients, last contacts, follow-ups, holdings, snoozes,
calendar, today): the scheduler, /due and `python -m bot digest` all call it, so what the RM
is pushed, what they see on demand and what scripts print are the same thing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from bot.client_profile import ClientProfile
from bot.open_dates import OpenDate
from bot.pending_clients import PendingNote
from bot.reminders.birthdays import BirthdayWindow
from bot.reminders.calendar import WorkCalendar
from bot.reviews import ReviewDue, reviews_due
from storage.records import Client, FollowUp, Holding

DEFAULT_CADENCE = {"A": 30, "B": 60, "C": 90}
_TIER_ORDER = {"A": 0, "B": 1, "C": 2}


@dataclass(frozen=True)
class DigestRules:
    """How far ahead to look; from config."""

    birthday_days: int = 3
    greeting_days: int = 7
    maturity_days: tuple[int, ...] = (30, 7, 1)


@dataclass(frozen=True)
class DigestInput:
    """One RM's stored data, as the storage layer reads it."""

    clients: tuple[Client, ...]
    last_contacts: Mapping[int, date]           # client id → last logged contact
    follow_ups: tuple[FollowUp, ...]             # open ones
    holdings: tuple[Holding, ...] = ()
    snoozes: Mapping[tuple[str, int], date] = field(default_factory=dict)  # (kind, id) → hidden before
    cadence: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_CADENCE))
    profiles: Mapping[int, ClientProfile] = field(default_factory=dict)  # client id → profile (family, reach)
    last_reviews: Mapping[int, date] | None = None   # client id → last asset review; None: reviews not tracked
    pending: tuple[PendingNote, ...] = ()          # notes whose client the RM has not confirmed yet
    dates: tuple[OpenDate, ...] = ()               # notes whose date the RM has not confirmed yet


@dataclass(frozen=True)
class FollowUpItem:
    """A client's follow-ups due on one day, as one line (the first one's id keys its buttons;
    Done and snooze take them all)."""

    follow_up_id: int
    client_id: int | None
    client: str
    due_on: date
    due_time: time | None
    days_overdue: int
    others: tuple[int, ...] = ()              # the client's other follow-ups due that day
    other_times: tuple[time | None, ...] = ()

    @property
    def count(self) -> int:
        return 1 + len(self.others)


@dataclass(frozen=True)
class ContactItem:
    client_id: int
    client: str
    tier: str
    last_contact_on: date | None   # None: never contacted
    days_overdue: int | None       # 0 = due today; None when never contacted
    cadence_days: int
    reach_channel: str | None = None   # how and when the client likes to be reached (profile)
    reach_time: str | None = None


@dataclass(frozen=True)
class BirthdayItem:
    client_id: int
    client: str
    on: date
    lunar: bool
    days_until: int
    relation: str | None = None    # a family member's birthday (relation.* key), None for the client's own
    relative: str | None = None    # their name, when known
    member_id: int | None = None   # a family member's: their fact id, snoozed apart from the client ("family")


@dataclass(frozen=True)
class GreetingItem:
    key: str
    on: date
    client_ids: tuple[int, ...]
    clients: tuple[str, ...]


@dataclass(frozen=True)
class MaturityItem:
    holding_id: int
    client_id: int
    client: str
    product: str
    name: str
    amount: float | None
    maturity_on: date
    days_left: int
    currency: str | None = "CNY"


@dataclass(frozen=True)
class Digest:
    day: date
    follow_ups: tuple[FollowUpItem, ...] = ()
    due_contacts: tuple[ContactItem, ...] = ()
    birthdays: tuple[BirthdayItem, ...] = ()
    holidays: tuple[GreetingItem, ...] = ()
    maturities: tuple[MaturityItem, ...] = ()
    reviews: tuple[ReviewDue, ...] = ()    # asset reviews overdue by cadence
    never_reviewed: int = 0                # clients with a review cadence and no review yet (one line)
    pending: tuple[PendingNote, ...] = ()  # notes whose client is still to confirm
    dates: tuple[OpenDate, ...] = ()       # notes whose date is still to confirm (two readings)

    @property
    def is_empty(self) -> bool:
        return not (self.follow_ups or self.due_contacts or self.birthdays or self.holidays or self.maturities
                    or self.reviews or self.pending or self.dates)

    @property
    def size(self) -> int:
        return (len(self.follow_ups) + len(self.due_contacts) + len(self.birthdays) + len(self.holidays)
                + len(self.maturities) + len(self.reviews) + len(self.pending) + len(self.dates))

    def to_json(self, holiday_name=lambda key: key) -> dict:
        """The documented JSON of `python -m bot digest --json`."""
        return {
            "clients_to_confirm": [{"name": i.name, "written_on": i.written_on.isoformat() if i.written_on else None,
                                    "candidates": [name for _, name in i.candidates]} for i in self.pending],
            "dates_to_confirm": [{"client": i.client, "written_on": i.written_on.isoformat() if i.written_on else None,
                                  "phrase": i.phrase} for i in self.dates],
            "follow_ups": [{"client": i.client, "due_on": i.due_on.isoformat(), "count": i.count}
                           for i in self.follow_ups],
            "due_contacts": [{"client": i.client, "tier": i.tier,
                              "last_contact_on": i.last_contact_on.isoformat() if i.last_contact_on else None,
                              "days_overdue": i.days_overdue} for i in self.due_contacts],
            "birthdays": [{"client": i.client, "on": i.on.isoformat(),
                           **({"relation": i.relation, "name": i.relative} if i.relation else {})}
                          for i in self.birthdays],
            "holidays": [{"name": holiday_name(i.key), "on": i.on.isoformat(), "clients": list(i.clients)}
                         for i in self.holidays],
            "maturities": [{"client": i.client, "product": i.product, "maturity_on": i.maturity_on.isoformat(),
                            "days_left": i.days_left} for i in self.maturities],
        }


def _snoozed(snoozes: Mapping[tuple[str, int], date], kind: str, item_id: int, today: date) -> bool:
    until = snoozes.get((kind, item_id))
    return until is not None and until > today


def _woke_up(snoozes: Mapping[tuple[str, int], date], kind: str, item_id: int, today: date, since: date) -> bool:
    """A snooze that ended after the previous digest: the item comes back once."""
    until = snoozes.get((kind, item_id))
    return until is not None and since < until <= today


def last_contact(client: Client, last_contacts: Mapping[int, date]) -> date | None:
    """The later of the imported baseline and the last logged contact."""
    logged = last_contacts.get(client.id)
    known = [d for d in (client.last_contact_on, logged) if d is not None]
    return max(known) if known else None


def cadence_of(client: Client, cadence: Mapping[str, int]) -> int:
    return client.cadence_days or cadence.get(client.tier, DEFAULT_CADENCE.get(client.tier, 90))


def _tier_rank(client: Client) -> int:
    return _TIER_ORDER.get(client.tier, 3)


def compute_digest(data: DigestInput, today: date, calendar: WorkCalendar, rules: DigestRules = DigestRules(),
                   previous_day: date | None = None) -> Digest:
    """Everything due on `today`. previous_day is the last day a digest went out (default: yesterday);
    a maturity threshold or a snooze that passed in between shows up today, once."""
    since = previous_day if previous_day is not None else today - timedelta(days=1)
    names = {client.id: client.name for client in data.clients}

    waiting = {note.contact_id for note in data.pending}  # their follow-ups show with the waiting note
    due = sorted((f for f in data.follow_ups
                  if f.status == "open" and f.due_on <= today and not (f.snoozed_until and f.snoozed_until > today)
                  and not (f.client_id is None and f.contact_id in waiting)),
                 key=lambda f: (f.due_on, f.due_time or time(0), f.id))
    by_client_day: dict[tuple[int, date], list[FollowUp]] = {}
    for f in due:  # one line per client per day, listing each of its follow-ups
        by_client_day.setdefault((f.client_id, f.due_on) if f.client_id else (-f.id, f.due_on), []).append(f)
    follow_ups = sorted(
        (FollowUpItem(first.id, first.client_id, names.get(first.client_id, "") if first.client_id else "",
                      first.due_on, first.due_time, (today - first.due_on).days,
                      tuple(f.id for f in rest), tuple(f.due_time for f in rest))
         for first, *rest in by_client_day.values()),
        key=lambda item: (-item.days_overdue, item.due_time or time(0), item.follow_up_id))
    followed = {item.client_id for item in follow_ups}

    contacts = []
    for client in data.clients:
        if client.id in followed or _snoozed(data.snoozes, "contact", client.id, today):
            continue
        cadence = cadence_of(client, data.cadence)
        last = last_contact(client, data.last_contacts)
        profile = data.profiles.get(client.id)
        reach = (profile.preferred_channel, profile.preferred_time) if profile else (None, None)
        if last is None:
            contacts.append(ContactItem(client.id, client.name, client.tier, None, None, cadence, *reach))
        elif (overdue := (today - last).days - cadence) >= 0:
            contacts.append(ContactItem(client.id, client.name, client.tier, last, overdue, cadence, *reach))
    contacts.sort(key=lambda item: (_TIER_ORDER.get(item.tier, 3), item.days_overdue is not None,
                                    -(item.days_overdue or 0), item.client))

    window = BirthdayWindow(today, today + timedelta(days=rules.birthday_days))
    birthdays = []
    for client in data.clients:
        found = window.find(client)
        if found and not _snoozed(data.snoozes, "birthday", client.id, today):
            birthdays.append(BirthdayItem(client.id, client.name, found[0], found[1], (found[0] - today).days))
        profile = data.profiles.get(client.id)
        for member in profile.family if profile else ():
            if member.birthday is None:
                continue
            if member.relation == "self" and (client.birthday or client.lunar_birthday):
                continue  # the client's own birthday from the card wins over one from a note
            relation = None if member.relation == "self" else member.relation
            # the client's own birthday snoozes as "birthday"; each family member's apart, by fact id
            kind, key = ("family", member.fact_id) if relation and member.fact_id else ("birthday", client.id)
            if _snoozed(data.snoozes, kind, key, today):
                continue
            on = window.find_day(member.birthday.month, member.birthday.day, member.birthday.lunar)
            if on is not None:
                birthdays.append(BirthdayItem(client.id, client.name, on, member.birthday.lunar, (on - today).days,
                                              relation, member.name if relation else None,
                                              key if kind == "family" else None))
    birthdays.sort(key=lambda item: (item.on, item.client))

    greeted = sorted(data.clients, key=lambda c: (_tier_rank(c), c.name))
    holidays = tuple(
        GreetingItem(day.key, day.on, tuple(c.id for c in greeted), tuple(c.name for c in greeted))
        for day in calendar.greeting_days(today, today + timedelta(days=rules.greeting_days)))

    maturities = []
    marks = [timedelta(days=k) for k in rules.maturity_days]
    for holding in data.holdings:
        if holding.handled or holding.maturity_date is None or holding.maturity_date < today:
            continue
        if _snoozed(data.snoozes, "maturity", holding.id, today):
            continue
        days_left = (holding.maturity_date - today).days
        crossed = any(since < holding.maturity_date - mark <= today for mark in marks)
        if crossed or _woke_up(data.snoozes, "maturity", holding.id, today, since):
            maturities.append(MaturityItem(holding.id, holding.client_id, names.get(holding.client_id, ""),
                                           holding.product, holding.name, holding.amount,
                                           holding.maturity_date, days_left, holding.currency))
    maturities.sort(key=lambda item: (item.days_left, -(item.amount or 0), item.client))

    due_reviews = reviews_due(data.clients, data.profiles, data.last_reviews, today) \
        if data.last_reviews is not None else ()
    reviews = tuple(item for item in due_reviews if item.last_review_on is not None)
    return Digest(today, tuple(follow_ups), tuple(contacts), tuple(birthdays), holidays, tuple(maturities), reviews,
                  len(due_reviews) - len(reviews), data.pending, data.dates)

"""What the bot knows about an RM's world, as plain values: the records storage returns and the pure core reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time


@dataclass(frozen=True)
class RMProfile:
    """An RM using the bot, with their own language, timezone and contact cadences."""

    user_id: int
    chat_id: int
    display_name: str = ""
    language: str = "zh"
    timezone: str = "Asia/Shanghai"
    digest_time: str = "08:30"
    working_days_only: bool = True
    send_empty_digest: bool = True
    cadence_a: int = 30
    cadence_b: int = 60
    cadence_c: int = 90
    active: bool = True


@dataclass(frozen=True)
class Client:
    id: int
    name: str
    aliases: tuple[str, ...] = ()
    tier: str = "C"
    cadence_days: int | None = None
    phone: str | None = None
    company: str | None = None
    birthday: date | None = None
    lunar_birthday: str | None = None
    notes: str | None = None
    last_contact_on: date | None = None
    created_on: date | None = None       # the date part of created_at as stored (see created_at)
    created_at: datetime | None = None   # tz-aware: reports take its date in the RM's timezone
    imported_at: datetime | None = None  # added by an import (not by a note), tz-aware


@dataclass(frozen=True)
class Contact:
    """One stored note: the raw text always, and what the parser and the RM made of it."""

    id: int
    raw_text: str
    client_id: int | None
    client_name: str | None
    channel: str | None
    occurred_on: date | None
    amount: float | None
    needs: tuple[str, ...] = ()
    follow_up_on: date | None = None
    follow_up_time: time | None = None
    created_client: bool = False
    created_at: datetime | None = None
    client_display: str | None = field(default=None, compare=False)
    currency: str | None = None       # ISO 4217 of amount
    amount_max: float | None = None   # the upper end when the amount is a range
    #: The message the note came in: the same for each client of a note about several (拜访刘总和王总),
    #: so a note's amount and needs are counted once in totals. None for a contact logged by a button.
    note_id: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Coverage:
    """What an insurance holding covers (seed 003's coverage table): who, what kind, how much, how long.

    insured is "self" for the client or a family relation; None while the RM has not said whose it is.
    Money is in the holding's currency; sum and premium are stored as integer cents.
    """

    kind: str                          # critical_illness | life | medical | accident | property | annuity | education
    insured: str | None = "self"
    insured_name: str | None = None
    sum_insured: float | None = None
    premium: float | None = None
    premium_period: str | None = None  # year | single
    term_years: int | None = None
    term_to_age: int | None = None


@dataclass(frozen=True)
class Holding:
    """A product a client holds; maturity_date is when it matures, expires, renews or falls due."""

    id: int
    client_id: int
    product: str
    name: str = ""
    amount: float | None = None
    start_date: date | None = None
    maturity_date: date | None = None
    handled: bool = False
    currency: str | None = None       # ISO 4217 of amount (and of an insurance holding's sum and premium)
    cover: Coverage | None = None     # an insurance holding's cover
    contact_id: int | None = None     # the note it came from (Undo removes it)


@dataclass(frozen=True)
class FollowUp:
    """A follow-up promised in a note ("follow up next Tuesday"), open until done or cancelled."""

    id: int
    client_id: int | None
    contact_id: int | None
    due_on: date
    due_time: time | None = None
    status: str = "open"
    snoozed_until: date | None = None


@dataclass(frozen=True)
class Fact:
    kind: str
    value: str                      # JSON for family/other_bank, plain text otherwise
    noted_on: date
    contact_id: int | None = None
    id: int = 0


#: An amount without a currency is in this one.
DEFAULT_CURRENCY = "CNY"


@dataclass(frozen=True)
class ReviewItem:
    source: str                    # here | other_bank
    product: str
    name: str = ""
    bank: str = ""
    amount: float | None = None
    currency: str = DEFAULT_CURRENCY
    risk: int | None = None

    @property
    def key(self) -> tuple[str, str, str, str, str]:
        return (self.source, self.product, self.name, self.bank, self.currency)


@dataclass(frozen=True)
class Review:
    id: int
    client_id: int
    reviewed_on: date
    items: tuple[ReviewItem, ...] = ()


@dataclass(frozen=True)
class ReviewPrompt:
    """An open /review question: the RM's next lines that read as assets are added to this review."""

    client_id: int
    review_id: int
    asked_at: datetime
    expires_at: datetime
    answers: int = 0

"""Asset reviews (pure): a snapshot of what a client holds, here and at other banks, and the change
since the last review, per asset and in total (seed 003's asset review sheet).

Totals are per currency: amounts in different currencies are never added together. Review cadence
by tier (A monthly, B quarterly, C none by default; a client's own cadence overrides) says who is
due for one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from bot.client_profile import ClientProfile
from bot.parsing.products import load_catalog
from bot.parsing.profile import OtherBankAsset
from storage.records import DEFAULT_CURRENCY, Client, Holding, Review, ReviewItem

#: Days between reviews by tier; None: no regular review.
REVIEW_CADENCE: dict[str, int | None] = {"A": 30, "B": 90, "C": None}


@dataclass(frozen=True)
class Change:
    item: ReviewItem               # the current item (the previous one for a gone asset)
    before: float | None
    after: float | None
    status: str                    # new | gone | changed | same

    @property
    def delta(self) -> float | None:
        if self.before is None and self.after is None:
            return None
        return (self.after or 0.0) - (self.before or 0.0)


@dataclass(frozen=True)
class Comparison:
    previous_on: date | None
    changes: tuple[Change, ...]
    totals: Mapping[str, tuple[float | None, float]]   # currency → (total before or None, total now)


def snapshot_items(holdings: Iterable[Holding], other_bank: Iterable[OtherBankAsset]) -> tuple[ReviewItem, ...]:
    """What the client holds now: holdings here and assets the RM noted at other banks.

    A holding here has the catalog's risk level (R1–R5) for its product and name; an asset at another
    bank only the level the RM said: our catalog rates our products, not another bank's. A policy
    known only by its cover (sum insured, premium, no value held) is protection, not an asset: the
    card's coverage lines show it, and a review listing it with no amount would be noise."""
    catalog = load_catalog()

    def risk(code: str, name: str) -> int | None:
        product = catalog.get(code)
        if product is None:
            return None
        lowered = name.lower()
        return next((level for named, level in product.named if named.lower() in lowered), product.risk)

    items = [ReviewItem("here", h.product, h.name or "", "", h.amount,
                        getattr(h, "currency", None) or DEFAULT_CURRENCY, risk(h.product, h.name or ""))
             for h in holdings if h.cover is None or h.amount is not None]
    items += [ReviewItem("other_bank", a.product or "", "", a.bank or "", a.amount,
                         a.currency or DEFAULT_CURRENCY, a.risk)
              for a in other_bank if a.product]
    return tuple(items)


def totals(items: Iterable[ReviewItem]) -> dict[str, float]:
    """Total per currency (amounts missing count as nothing, currencies never mixed)."""
    found: dict[str, float] = {}
    for item in items:
        if item.amount is not None:
            found[item.currency] = found.get(item.currency, 0.0) + float(item.amount)
    return found


def compare(previous: Review | None, current: Iterable[ReviewItem]) -> Comparison:
    """Each asset's change since the previous review, and the totals per currency."""
    now = list(current)
    before = {item.key: item for item in previous.items} if previous else {}
    changes: list[Change] = []
    for item in now:
        old = before.pop(item.key, None)
        if previous is None or old is None:
            changes.append(Change(item, None, item.amount, "new" if previous is not None else "same"))
        else:
            same = (old.amount or 0.0) == (item.amount or 0.0)
            changes.append(Change(item, old.amount, item.amount, "same" if same else "changed"))
    changes += [Change(old, old.amount, None, "gone") for old in before.values()]
    after_totals = totals(now)
    before_totals = totals(previous.items) if previous else {}
    currencies = sorted(set(after_totals) | set(before_totals), key=lambda c: (c != DEFAULT_CURRENCY, c))
    return Comparison(previous.reviewed_on if previous else None, tuple(changes),
                      {c: (before_totals.get(c, 0.0) if previous else None, after_totals.get(c, 0.0))
                       for c in currencies})


def review_cadence(client: Client, profile: ClientProfile | None,
                   cadence: Mapping[str, int | None] = REVIEW_CADENCE) -> int | None:
    """Days between reviews for this client: their own (0: none), else their tier's."""
    own = profile.review_days if profile is not None else None
    if own is not None:
        return own or None
    return cadence.get(client.tier)


@dataclass(frozen=True)
class ReviewDue:
    client_id: int
    client: str
    tier: str
    last_review_on: date | None
    days_overdue: int | None       # None: never reviewed


def reviews_due(clients: Iterable[Client], profiles: Mapping[int, ClientProfile], last_reviews: Mapping[int, date],
                today: date, cadence: Mapping[str, int | None] = REVIEW_CADENCE) -> tuple[ReviewDue, ...]:
    """Clients whose review is due by cadence, most overdue first (never reviewed after)."""
    due = []
    for client in clients:
        days = review_cadence(client, profiles.get(client.id), cadence)
        if not days:
            continue
        last = last_reviews.get(client.id)
        if last is None:
            due.append(ReviewDue(client.id, client.name, client.tier, None, None))
        elif (overdue := (today - last).days - days) >= 0:
            due.append(ReviewDue(client.id, client.name, client.tier, last, overdue))
    return tuple(sorted(due, key=lambda d: (d.days_overdue is None, -(d.days_overdue or 0), d.client)))


def money_text(amount: float, currency: str, language: str) -> str:
    """300万元 / ¥3,000,000 in yuan; other currencies with their code (USD 200,000)."""
    from bot.display import format_amount

    if currency == DEFAULT_CURRENCY:
        return format_amount(amount, language)
    return f"{currency} {amount:,.0f}" if float(amount).is_integer() else f"{currency} {amount:,.2f}"


def _signed(value: float, currency: str, language: str) -> str:
    return ("+" if value > 0 else "−") + money_text(abs(value), currency, language)


def compose_review(client: str, reviewed_on: date, found: Comparison, language: str, today: date,
                   covers: int = 0):
    """The review reply: each asset with its change, then the totals per currency; `covers`: the
    client's policies known only by their cover, left out of the assets (said, not silently)."""
    from bot.display import format_date, product_names
    from bot.note_reply import snippet
    from bot.strings import Markup, t

    none = t(language, "card.none")
    lines = [t(language, "review.title", client=snippet(client, 48), date=format_date(reviewed_on, language, today))]
    if found.previous_on is None:
        lines.append(t(language, "review.first"))
    else:
        lines.append(t(language, "review.since", date=format_date(found.previous_on, language, today)))
    if not found.changes:
        lines.append(t(language, "review.nothing"))
    for change in found.changes:
        item = change.item
        what = product_names((item.product,), language) + (f" {item.name}" if item.name else "")
        if item.source == "other_bank":
            what = t(language, "review.other_bank", bank=item.bank or t(language, "profile.other_bank_unnamed"),
                     product=what)
        risk = f" R{item.risk}" if item.risk else ""
        after = money_text(change.after, item.currency, language) if change.after is not None else none
        if change.status == "changed" and change.before is not None:
            before = money_text(change.before, item.currency, language)
            delta = change.delta or 0.0
            how = t(language, "review.changed", before=before, after=after,
                    delta=_signed(delta, item.currency, language))
        elif change.status == "gone":
            how = t(language, "review.gone", before=money_text(change.before, item.currency, language)
                    if change.before is not None else none)
        elif change.status == "new":
            how = t(language, "review.new", after=after)
        else:
            how = t(language, "review.same", after=after)
        lines.append(t(language, "review.line", what=snippet(what, 48), risk=risk, how=Markup(how)))
    for currency, (total_before, total_now) in found.totals.items():
        if total_before is None:
            lines.append(t(language, "review.total_first", currency=currency,
                           total=money_text(total_now, currency, language)))
        else:
            lines.append(t(language, "review.total", currency=currency,
                           before=money_text(total_before, currency, language),
                           after=money_text(total_now, currency, language),
                           delta=_signed(total_now - total_before, currency, language)
                           if total_now != total_before else "±0"))
    if covers:
        lines.append(t(language, "review.covers_apart", count=covers))
    return Markup("\n".join(lines))

"""Product notices: which of the RM's clients a new product suits, and why (pure).

Seed 003's best RM keeps a list of who likes new funds and "remembers to send it to him". Here a
product offer (code, risk level R1–R5, optional minimum amount) is matched against each client's
reasons to hear of it, the suitability rule (适当性: a client at C_n may be offered up to R_n) and
how recently they were contacted. A client with no risk assessment, or one older than 12 months,
is never listed as suitable for anything above R1: they are listed apart with a warning. The bot
never messages clients: the RM contacts them and logs it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from bot.client_profile import ClientProfile, risk_is_current
from bot.parsing.products import load_catalog
from storage.records import Client, Holding

if TYPE_CHECKING:
    from bot.strings import Markup

#: Holdings maturing within this many days free money for the new product.
MATURITY_DAYS = 30
#: Clients contacted this recently are left out (they just heard from the RM).
QUIET_DAYS = 3
#: A demand deposit (活期) is a DEPOSIT holding so named.
_DEMAND = re.compile(r"活期|demand|current\s+account|savings|call\s+deposit", re.IGNORECASE)
_RISK = re.compile(r"(?<![A-Za-z0-9])[Rr]([1-5])(?![0-9])")


@dataclass(frozen=True)
class Offer:
    product: str                    # catalog code
    name: str                       # as the RM wrote it ("新发基金")
    risk: int                       # 1..5
    amount: float | None = None     # a demand deposit must be at least this
    currency: str = "CNY"


@dataclass(frozen=True)
class Reason:
    kind: str                       # need | maturity | demand
    product: str | None = None
    amount: float | None = None
    currency: str = "CNY"
    on: date | None = None          # the maturity date


@dataclass(frozen=True)
class Candidate:
    client_id: int
    client: str
    reasons: tuple[Reason, ...]
    risk_level: int | None          # the client's C level, when assessed
    assessed_on: date | None
    channel: str | None
    time: str | None


@dataclass(frozen=True)
class NoticeList:
    offer: Offer
    suitable: tuple[Candidate, ...] = ()
    unassessed: tuple[Candidate, ...] = ()     # no assessment or older than 12 months: ask first
    too_risky: int = 0                         # had a reason but their C level is below the product's R
    recently_contacted: int = 0                # had a reason but were contacted in the last QUIET_DAYS
    no_reason: int = 0                         # no need, maturity or demand deposit for the offer
    clients: int = 0                           # all the RM's clients looked at


def read_offer(words: str) -> tuple[Offer | None, str | None]:
    """`FUND R3`, `新发基金 R3 50万`, `bond fund 500k` → (offer, None) or (None, the problem's key).

    The product is a catalog code or a word the catalog knows; the risk level is the R the RM
    wrote, else the named product's, else the product's; without one the RM is asked.
    """
    from bot.parsing.amounts import find_amounts
    from bot.parsing.products import find_products

    text = " ".join(words.split())[:120]
    if not text:
        return None, "notify.usage"
    catalog = load_catalog()
    risk_match = _RISK.search(text)
    rest = _RISK.sub(" ", text) if risk_match else text
    amounts = [a for a in find_amounts(rest)]
    amount = float(amounts[0][2]) if amounts else None
    currency = (getattr(amounts[0], "currency", None) or "CNY") if amounts else "CNY"
    for a in amounts[:1]:
        rest = rest[:a[0]] + " " + rest[a[1]:]
    name = " ".join(rest.split())
    code = name.upper() if name.upper() in catalog else None
    if code is None:
        found = [p for p in find_products(name) if not p.negated]
        code = found[0].code if found else None
    if code is None:
        return None, "notify.unknown_product"
    product = catalog[code]
    risk = int(risk_match.group(1)) if risk_match else None
    if risk is None:
        lowered = name.lower()
        risk = next((level for named, level in product.named if named.lower() in lowered), None)
    if risk is None:
        risk = product.risk
    if risk is None:
        return None, "notify.no_risk"
    return Offer(code, name or code, risk, amount, currency), None


def match_offer(offer: Offer, clients: Iterable[Client], profiles: Mapping[int, ClientProfile],
                needs: Mapping[int, set[str]], holdings: Iterable[Holding], last_contacts: Mapping[int, date],
                today: date, total_clients: int | None = None) -> NoticeList:
    """Who to tell about the offer: reasons first, then suitability, then recent contact.
    `total_clients`: all the RM's clients, when `clients` holds only those with a reason (the
    others are counted as having none)."""
    reasons: dict[int, list[Reason]] = {}
    for client_id, codes in needs.items():
        if offer.product in codes:
            reasons.setdefault(client_id, []).append(Reason("need", offer.product))
    soon = today + timedelta(days=MATURITY_DAYS)
    for holding in holdings:
        currency = getattr(holding, "currency", None) or "CNY"
        if (holding.maturity_date and not holding.handled and today <= holding.maturity_date <= soon):
            reasons.setdefault(holding.client_id, []).append(
                Reason("maturity", holding.product, holding.amount, currency, holding.maturity_date))
        elif (holding.product == "DEPOSIT" and _DEMAND.search(holding.name or "") and holding.amount is not None
              and currency == offer.currency and holding.amount >= (offer.amount or 0.01)):
            reasons.setdefault(holding.client_id, []).append(Reason("demand", holding.product, holding.amount,
                                                                    currency))
    suitable: list[Candidate] = []
    unassessed: list[Candidate] = []
    too_risky = quiet = no_reason = total = 0
    for client in clients:
        total += 1
        found = reasons.get(client.id)
        if not found:
            no_reason += 1
            continue
        last = last_contacts.get(client.id)
        if last is not None and (today - last).days < QUIET_DAYS:
            quiet += 1
            continue
        profile = profiles.get(client.id) or ClientProfile()
        candidate = Candidate(client.id, client.name, tuple(found), profile.risk_level, profile.risk_assessed_on,
                              profile.preferred_channel, profile.preferred_time)
        if risk_is_current(profile, today):
            assert profile.risk_level is not None
            if profile.risk_level >= offer.risk:
                suitable.append(candidate)
            else:
                too_risky += 1
        elif offer.risk <= 1:
            suitable.append(candidate)  # R1 suits every client
        else:
            unassessed.append(candidate)

    def order(candidate: Candidate):
        money = sum(r.amount or 0 for r in candidate.reasons if r.currency == offer.currency)
        return (-len(candidate.reasons), -money, candidate.client)

    return NoticeList(offer, tuple(sorted(suitable, key=order)), tuple(sorted(unassessed, key=order)),
                      too_risky, quiet, no_reason + max(0, (total_clients or total) - total),
                      max(total, total_clients or 0))


#: Rows listed (each with a Log button) per section.
ROWS_SHOWN = 20


def compose_notices(found: NoticeList, language: str, today: date) -> tuple[Markup, list[tuple[str, str]]]:
    """(the list, one (label, callback data) Log button per row): c:log:<client id>."""
    from bot.callback_data import encode
    from bot.client_profile import reach_text
    from bot.display import format_amount, format_date, product_names
    from bot.note_reply import snippet
    from bot.strings import Markup, t

    offer = found.offer
    amount = t(language, "notify.min_amount", amount=format_amount(offer.amount, language)) if offer.amount else ""
    named = snippet(offer.name, 40)
    lines: list[str] = [t(language, "notify.header", product=named, risk=offer.risk, amount=amount,
                          count=len(found.suitable)) if found.suitable else
                        t(language, "notify.header_none", product=named, risk=offer.risk, amount=amount)]
    buttons: list[tuple[str, str]] = []

    def money(value: float | None) -> str:
        return format_amount(value, language) if value is not None else ""

    def row(n: int, candidate: Candidate, stale: bool) -> str:
        parts = []
        for reason in candidate.reasons:
            if reason.kind == "need":
                parts.append(t(language, "notify.reason_need", product=product_names((offer.product,), language)))
            elif reason.kind == "maturity":
                assert reason.on is not None
                parts.append(t(language, "notify.reason_maturity",
                               product=product_names((reason.product or "",), language), amount=money(reason.amount),
                               date=format_date(reason.on, language, today)))
            else:
                parts.append(t(language, "notify.reason_demand", amount=money(reason.amount)))
        if candidate.risk_level is None:
            level = t(language, "notify.level_none")
        elif stale:
            assessed = candidate.assessed_on
            level = t(language, "notify.level_stale", code=f"C{candidate.risk_level}",
                      date=assessed.isoformat() if assessed and assessed != date.min else "?")
        else:
            level = t(language, "notify.level", code=f"C{candidate.risk_level}")
        reach = reach_text(candidate.channel, candidate.time, language)
        return t(language, "notify.row", n=n, client=snippet(candidate.client, 32), level=level,
                 reasons=Markup(" · ".join(parts)), reach=t(language, "notify.reach", how=reach) if reach else "")

    n = 0
    for candidate in found.suitable[:ROWS_SHOWN]:
        n += 1
        lines.append(row(n, candidate, False))
        buttons.append((t(language, "notify.button_log", n=n, client=snippet(candidate.client, 10)),
                        encode("c", "log", candidate.client_id)))
    if len(found.suitable) > ROWS_SHOWN:
        lines.append(t(language, "digest.more", count=len(found.suitable) - ROWS_SHOWN))
    if not found.suitable:  # say why: every client left out is counted under one reason
        lines.append(t(language, "notify.none_why", count=found.clients) if found.clients
                     else t(language, "notify.none"))
        if found.recently_contacted:
            lines.append(t(language, "notify.left_quiet", count=found.recently_contacted, days=QUIET_DAYS))
        if found.too_risky:
            lines.append(t(language, "notify.left_too_risky", count=found.too_risky, risk=offer.risk))
        if found.unassessed:
            lines.append(t(language, "notify.left_unassessed", count=len(found.unassessed)))
        if found.no_reason:
            lines.append(t(language, "notify.left_no_reason", count=found.no_reason, days=MATURITY_DAYS,
                           product=product_names((offer.product,), language),
                           amount=t(language, "notify.left_amount", amount=format_amount(offer.amount, language))
                           if offer.amount else ""))
    if found.unassessed:
        lines += ["", t(language, "notify.unassessed", count=len(found.unassessed), risk=offer.risk)]
        for candidate in found.unassessed[:ROWS_SHOWN]:
            n += 1
            lines.append(row(n, candidate, candidate.risk_level is not None))
            buttons.append((t(language, "notify.button_log", n=n, client=snippet(candidate.client, 10)),
                            encode("c", "log", candidate.client_id)))
    if found.too_risky and found.suitable:
        lines.append(t(language, "notify.too_risky", count=found.too_risky, risk=offer.risk))
    if found.recently_contacted and found.suitable:
        lines.append(t(language, "notify.quiet", count=found.recently_contacted, days=QUIET_DAYS))
    lines.append("")
    if offer.product != "DEPOSIT":
        lines.append(t(language, "notify.compliance"))
    lines.append(t(language, "notify.you_send"))
    return Markup("\n".join(lines)), buttons

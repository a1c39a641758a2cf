"""Reading what a report needs from storage (the shell around the pure figures)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from bot.client_profile import build_profile
from bot.insurance import cover_of
from bot.reminders.digest import last_contact
from bot.reports.compose import ClientCard, TeamRow
from bot.reports.figures import PeriodReport, is_contact, period_range, period_report
from storage import Repository
from storage.records import Client, RMProfile

NEEDS_WINDOW = timedelta(days=90)


def cadences(rm: RMProfile) -> dict[str, int]:
    return {"A": rm.cadence_a, "B": rm.cadence_b, "C": rm.cadence_c}


async def load_period_report(repo: Repository, rm: RMProfile, period: str, day: date) -> PeriodReport:
    start, end = period_range(period, day)
    clients = await repo.clients.list(rm.user_id)
    contacts = await repo.contacts.between(rm.user_id, start, end)
    last = await repo.contacts.last_contacts(rm.user_id, until=end)
    follow_ups = await repo.follow_ups.due_between(rm.user_id, start, end)
    first = await repo.contacts.first_contacts(rm.user_id)
    return period_report(period, day, clients, contacts, follow_ups, cadences(rm), last, first,
                         ZoneInfo(rm.timezone))


async def load_client_card(repo: Repository, rm: RMProfile, client: Client, today: date) -> ClientCard:
    rm_id = rm.user_id
    recent, _ = await repo.contacts.for_client(rm_id, client.id, 5)
    window, _ = await repo.contacts.for_client(rm_id, client.id, 200)
    needs = tuple(dict.fromkeys(p for c in window if c.occurred_on and c.occurred_on >= today - NEEDS_WINDOW
                                for p in c.needs))
    follow_ups = tuple(f for f in await repo.follow_ups.open(rm_id) if f.client_id == client.id)
    last = last_contact(client, await repo.contacts.last_contacts(rm_id))
    profile = build_profile(await repo.client_facts.for_client(rm_id, client.id))
    holdings = tuple(await repo.holdings.for_client(rm_id, client.id))
    covers = tuple(cover for holding in holdings if (cover := cover_of(holding)) is not None)
    if covers:  # insurance holdings join any cover still kept as a fact (from before migration 0010) that is
        # not the same person's policy of the same kind (an import made both before; a re-import fills the holding)
        held = {(c.insured, c.insured_name, c.kind) for c in covers}
        kept = tuple(c for c in profile.covers if (c.insured, c.insured_name, c.kind) not in held)
        profile = replace(profile, covers=kept + covers)
    reviews = await repo.reviews.for_client(rm_id, client.id)
    return ClientCard(client, holdings, follow_ups, needs, tuple(recent), last, profile,
                      reviews[-1].reviewed_on if reviews else None)


async def load_team(repo: Repository, rm_ids: list[int], day: date, show_notes: bool) -> list[TeamRow]:
    """Per RM: today's contacts by channel, overdue follow-ups, core (tier A) clients overdue."""
    rows = []
    for rm_id in rm_ids:
        rm = await repo.rms.get(rm_id)
        if rm is None:
            continue
        contacts = [c for c in await repo.contacts.between(rm_id, day, day) if is_contact(c)]
        by_channel: dict[str, int] = {}
        for contact in contacts:
            by_channel[contact.channel or "unknown"] = by_channel.get(contact.channel or "unknown", 0) + 1
        overdue = sum(1 for f in await repo.follow_ups.open(rm_id)
                      if f.due_on < day and not (f.snoozed_until and f.snoozed_until > day))
        last = await repo.contacts.last_contacts(rm_id)
        core = tuple(c.name for c in await repo.clients.list(rm_id) if c.tier == "A"
                     and ((seen := last_contact(c, last)) is None
                          or (day - seen).days >= (c.cadence_days or rm.cadence_a)))
        notes = tuple(c.raw_text for c in contacts) if show_notes else ()
        rows.append(TeamRow(rm.display_name or str(rm_id), by_channel, overdue, core, notes))
    return rows

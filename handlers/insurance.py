"""Insurance policies a note tells of: filed as insurance holdings with the note, and "whose is it?".

A note's policies become holdings of its client (Undo of the note removes them). The insured
person is the client or a family member on the profile (bot/insurance.py decides, purely); when
the note does not say surely, the holding is filed without one and the reply asks, one tap per
person: `n:i:<contact id>:<holding id>:<s | family fact id>`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from telegram import InlineKeyboardButton

from bot.callback_data import encode
from bot.client_profile import build_profile, cover_facts, cover_from_fact
from bot.context import BotContext
from bot.insurance import (
    SELF,
    Person,
    added_line,
    coverage_of,
    holding_name,
    insured_choices,
    kind_text,
    person_text,
    resolve_insured,
)
from bot.note_reply import snippet
from bot.parsing.profile import Cover
from bot.strings import Markup, t
from storage.records import Contact


@dataclass(frozen=True)
class Filed:
    """A policy a note filed: its holding, what it covers, and whose it is (None: asked)."""

    holding_id: int
    cover: Cover
    insured: Person | None


async def file_covers(context: BotContext, contact: Contact, covers: tuple[Cover, ...], text: str,
                      at: datetime) -> list[Filed]:
    """Store a note's policies: as holdings of its client, or as facts while the note waits for the
    RM to pick its client (file_pending_covers files them then). Once per note."""
    if not covers:
        return []
    rm_id = context.profile.user_id
    if contact.client_id is None:
        if not await context.repo.client_facts.for_contact(rm_id, contact.id):
            await context.repo.client_facts.add(rm_id, None, cover_facts(covers, at.astimezone(context.tz).date()),
                                                context.now(), contact_id=contact.id)
        return []
    if await context.repo.holdings.for_contact(rm_id, contact.id):
        return []  # a re-delivered message: filed already
    return await _file(context, contact, contact.client_id, covers, text)


async def _file(context: BotContext, contact: Contact, client_id: int, covers: tuple[Cover, ...] | list[Cover],
                text: str) -> list[Filed]:
    rm_id = context.profile.user_id
    default = context.settings.defaults.currency  # money written without a currency is in the RM's default
    covers = [replace(c, currency=c.currency or default) if c.sum_insured is not None or c.premium is not None
              else c for c in covers]
    family = build_profile(await context.repo.client_facts.for_client(rm_id, client_id)).family
    resolved = [resolve_insured(cover, family, text[cover.span[0]:cover.span[1]] if cover.span[1] else "")
                for cover in covers]
    rows = [(holding_name(cover, insured, context.language), coverage_of(cover, insured), cover.currency)
            for cover, insured in zip(covers, resolved, strict=True)]
    ids = await context.repo.holdings.add_noted_covers(rm_id, client_id, contact.id, rows, context.now())
    return [Filed(holding_id, cover, insured)
            for holding_id, cover, insured in zip(ids, covers, resolved, strict=False)]


async def file_pending_covers(context: BotContext, contact: Contact | None) -> list[Filed]:
    """Once the RM has picked a note's client: the note's covers, kept as facts meanwhile, become
    that client's insurance holdings."""
    if contact is None or contact.client_id is None:
        return []
    rm_id = context.profile.user_id
    facts = [f for f in await context.repo.client_facts.for_contact(rm_id, contact.id) if f.kind == "cover"]
    covers = [cover for fact in facts if (cover := cover_from_fact(fact)) is not None]
    if not covers or await context.repo.holdings.for_contact(rm_id, contact.id):
        return []
    filed = await _file(context, contact, contact.client_id, covers, "")
    await context.repo.client_facts.remove_for_contact(rm_id, contact.id, "cover")
    return filed


def filed_lines(filed: list[Filed], language: str, client: str | None) -> list[Markup]:
    """The reply's lines: each policy filed, and the question when one's insured person is open."""
    lines = [added_line(f.cover, f.insured, language, client) for f in filed]
    asked = next((f for f in filed if f.insured is None), None)
    if asked is not None:
        lines.append(t(language, "insurance.ask", kind=kind_text(asked.cover.kind, language)))
    return lines


async def ask_rows(context: BotContext, contact: Contact, filed: list[Filed]) -> list[list[InlineKeyboardButton]]:
    """One tap per person for the first policy whose insured person is open: the client, each family member."""
    asked = next((f for f in filed if f.insured is None), None)
    if asked is None or contact.client_id is None:
        return []
    rm_id = context.profile.user_id
    family = build_profile(await context.repo.client_facts.for_client(rm_id, contact.client_id)).family
    client = snippet(contact.client_display or contact.client_name or "", 24)
    buttons = [InlineKeyboardButton(choice.label, callback_data=encode("n", "i", contact.id, asked.holding_id,
                                                                           choice.who))
               for choice in insured_choices(family, client, context.language)]
    return [buttons[i:i + 3] for i in range(0, len(buttons), 3)]


async def pick_insured(context: BotContext, contact: Contact, holding_id: int, who: str) -> Markup | None:
    """The RM's tap: file the policy under that person. The confirmation, or None when the button is
    stale (the note undone, the policy or the family member gone, another RM's ids)."""
    rm_id = context.profile.user_id
    holding = await context.repo.holdings.get(rm_id, holding_id)
    if holding is None or holding.contact_id != contact.id or holding.cover is None:
        return None
    person: Person
    if who == "s":
        person = (SELF, None)
    else:
        family = build_profile(await context.repo.client_facts.for_client(rm_id, holding.client_id)).family
        member = next((m for m in family if str(m.fact_id) == who and m.relation != SELF), None)
        if member is None:
            return None
        person = (member.relation, member.name)
    if not await context.repo.holdings.set_insured(rm_id, holding.id, person[0], person[1], context.now()):
        return None
    client = snippet(contact.client_display or contact.client_name or "", 24)
    return t(context.language, "insurance.set", who=person_text(person, context.language, client),
             kind=kind_text(holding.cover.kind, context.language))

"""Insurance holdings (issue 19, seed 003's coverage table): whose cover it is, and how it reads.

Pure. A policy a note tells of is filed under the client or a family member already on the
profile, by relation or by name; when the note leaves it open (家人, kids, two daughters on the
profile) the insured person stays empty and the bot asks with one tap per person, never a guess.
The card shows one line per person with the kinds and sums they hold, and flags everyone (the
client included) who has no critical-illness cover, as the seed's table does.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.display import format_amount
from bot.parsing.profile import Cover, FamilyMember
from bot.strings import Markup, t
from storage.records import Coverage, Holding

SELF = "self"
_SPOUSE = {"spouse", "wife", "husband"}
_CHILD = {"child", "son", "daughter"}

Person = tuple[str, str | None]   # (relation, name); ("self", None) is the client


def _related(said: str, known: str) -> bool:
    """The relation a note uses can name this member: 爱人 is the wife, 孩子 the son or daughter."""
    if said == known:
        return True
    if said in _SPOUSE and known in _SPOUSE:
        return said == "spouse" or known == "spouse"
    return (said == "child" and known in _CHILD) or (known == "child" and said in _CHILD)


def resolve_insured(cover: Cover, family: Sequence[FamilyMember], words: str = "") -> Person | None:
    """Whose policy this is, or None when the note does not say surely (the bot asks).

    `words` are the note's words about the policy: a family member named there without a relation
    (小雨的重疾险) is that member.
    """
    members = [m for m in family if m.relation != SELF]
    if cover.insured is None:
        return None
    if cover.insured == SELF:
        named = [m for m in members if m.name and m.name in words]
        if len(named) == 1:
            return named[0].relation, named[0].name
        return (SELF, None) if not named else None
    if cover.insured_name:
        named = [m for m in members if m.name == cover.insured_name]
        if not named:
            return cover.insured, cover.insured_name  # someone new, but said plainly: 女儿小雨
        if len(named) == 1 and _related(cover.insured, named[0].relation):
            return named[0].relation, named[0].name
        return None  # the name belongs to someone of another relation on the profile
    alike = [m for m in members if _related(cover.insured, m.relation)]
    if len(alike) == 1:
        return alike[0].relation, alike[0].name
    if not alike:
        return cover.insured, None  # his daughter, not yet on the profile: plain enough
    return None  # two daughters on the profile: which one?


def coverage_of(cover: Cover, insured: Person | None) -> Coverage:
    relation, name = insured if insured else (None, None)
    return Coverage(cover.kind, relation, name, cover.sum_insured, cover.premium, cover.premium_period,
                    cover.term_years, cover.term_to_age)


def cover_of(holding: Holding) -> Cover | None:
    """An insurance holding as the card and the fold of profile facts read a cover."""
    c = holding.cover
    if c is None:
        return None
    return Cover(c.insured, c.insured_name, c.kind, c.sum_insured, c.premium, c.term_years, holding.currency,
                 c.premium_period, c.term_to_age)


def person_text(person: Person, language: str, client: str | None = None) -> str:
    """女儿小雨 / daughter Xiaoyu; the client as 刘总本人 / Liu (self) when the name is given."""
    relation, name = person
    if relation == SELF and client:
        return t(language, "insurance.client_self", client=client)
    who = t(language, f"relation.{relation}")
    return t(language, "profile.named", relation=who, name=name) if name else who


def kind_text(kind: str, language: str) -> str:
    return t(language, f"profile.cover_{kind}")


def holding_name(cover: Cover, insured: Person | None, language: str) -> str:
    """The name a policy from a note is filed under: 重疾险（女儿小雨） / critical illness (daughter Xiaoyu)."""
    kind = kind_text(cover.kind, language)
    if insured is None:
        return kind
    return t(language, "insurance.holding_name", kind=kind, who=person_text(insured, language))[:120]


def details_text(cover: Cover, language: str) -> str:
    """保额 50万元 · 年缴 1万元 · 20 年 / sum insured CNY 500,000 · premium … /yr · 20 years."""
    currency = cover.currency or "CNY"
    parts = []
    if cover.sum_insured is not None:
        parts.append(t(language, "profile.cover_sum", amount=format_amount(cover.sum_insured, language, currency)))
    if cover.premium is not None:
        key = {"year": "profile.cover_premium", "single": "insurance.premium_single"}.get(
            cover.premium_period or "", "insurance.premium")
        parts.append(t(language, key, amount=format_amount(cover.premium, language, currency)))
    if cover.term_years is not None:
        parts.append(t(language, "profile.cover_term", years=cover.term_years))
    if cover.term_to_age is not None:
        parts.append(t(language, "insurance.to_age", age=cover.term_to_age))
    return " · ".join(parts)


def cover_text(cover: Cover, language: str) -> str:
    details = details_text(cover, language)
    return kind_text(cover.kind, language) + (f" {details}" if details else "")


def added_line(cover: Cover, insured: Person | None, language: str, client: str | None = None) -> Markup:
    """The reply's line for a policy a note added: 🛡 保单：女儿小雨 · 重疾险 保额 50万元 · …"""
    who = person_text(insured, language, client) if insured else t(language, "insurance.unknown_person")
    return t(language, "insurance.added", who=who, cover=cover_text(cover, language))


@dataclass(frozen=True)
class Choice:
    """One tap of "whose policy is it?": the client, or a family member (by the fact that named them)."""

    label: str
    who: str            # "s" for the client, else the family member's fact id


def insured_choices(family: Iterable[FamilyMember], client: str, language: str) -> list[Choice]:
    choices = [Choice(person_text((SELF, None), language, client), "s")]
    for member in family:
        if member.relation != SELF and member.fact_id is not None:
            choices.append(Choice(person_text((member.relation, member.name), language), str(member.fact_id)))
    return choices[:8]


def _same_person(cover: Cover, person: Person) -> bool:
    relation, name = person
    if cover.insured is None:
        return False
    return cover.insured == relation and (cover.insured_name is None or name is None or cover.insured_name == name)


def coverage_lines(covers: Sequence[Cover], family: Sequence[FamilyMember], language: str) -> list[Markup]:
    """The card's coverage section: one line per person (the client, each family member, anyone
    else insured), the policies whose insured person is not yet known, then a flag per person
    without critical-illness cover. Nothing when no cover is known at all."""
    if not covers:
        return []
    people: list[Person] = [(SELF, None)]
    for member in family:
        if member.relation != SELF and (member.relation, member.name) not in people:
            people.append((member.relation, member.name))
    for cover in covers:
        if cover.insured is not None and not any(_same_person(cover, person) for person in people):
            people.append((cover.insured, cover.insured_name))
    separator = Markup("；" if language == "zh" else "; ")
    lines = [t(language, "profile.coverage")]
    unflagged: list[Person] = []
    for person in people:
        held = [c for c in covers if _same_person(c, person)]
        text = separator.join(cover_text(c, language) for c in held) if held else t(language, "insurance.none")
        lines.append(t(language, "profile.cover_line", who=person_text(person, language), covers=text))
        if not any(c.kind == "critical_illness" for c in held):
            unflagged.append(person)
    unknown = [c for c in covers if c.insured is None]
    if unknown:
        lines.append(t(language, "insurance.unknown_line",
                       covers=separator.join(cover_text(c, language) for c in unknown)))
    lines += [t(language, "insurance.no_critical_illness", who=person_text(person, language)) for person in unflagged]
    return lines

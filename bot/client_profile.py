"""A client's profile (family, hobbies, risk level, how to reach them, cautions), built from facts.

Each fact a note (or the card's Edit, or an import) adds is stored as one row with the note it came
from, so Undo of the note takes its facts with it and the profile is always a pure fold of the
facts that remain: the latest risk level, channel and time win; family members with the same
relation and name are one person whose newest details win; hobbies and cautions accumulate.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from datetime import date

from bot.insurance import coverage_lines
from bot.parsing.profile import (
    Birthday,
    Cover,
    FamilyMember,
    OtherBankAsset,
    ProfileFacts,
    read_family,
    read_reach,
    read_risk_level,
)
from bot.strings import Markup, t
from storage.records import Fact

#: Fact kinds as stored (client_facts.kind).
KINDS = ("family", "hobby", "risk", "channel", "time", "caution", "other_bank", "review_days", "cover")
#: An assessment older than this is stale for suitability (适当性): list apart with a warning.
RISK_VALID_DAYS = 365


@dataclass(frozen=True)
class ClientProfile:
    family: tuple[FamilyMember, ...] = ()
    hobbies: tuple[str, ...] = ()
    risk_level: int | None = None
    risk_assessed_on: date | None = None
    preferred_channel: str | None = None
    preferred_time: str | None = None
    cautions: tuple[str, ...] = ()
    other_bank: tuple[OtherBankAsset, ...] = ()
    review_days: int | None = None   # the client's own review cadence (0: none); None: the tier's
    covers: tuple[Cover, ...] = ()   # insurance the household holds (seed 003's coverage table)

    def __bool__(self) -> bool:
        return bool(self.family or self.hobbies or self.risk_level or self.preferred_channel or self.preferred_time
                    or self.cautions or self.other_bank or self.covers)


EMPTY = ClientProfile()


def facts_of(found: ProfileFacts, noted_on: date) -> list[Fact]:
    """The facts to store for what the parser found in one note."""
    facts: list[Fact] = []
    for member in found.family:
        facts.append(Fact("family", json.dumps({
            "relation": member.relation, "name": member.name,
            "birthday": member.birthday.to_dict() if member.birthday else None,
            "age": member.age, "occupation": member.occupation}, ensure_ascii=False), noted_on))
    facts += [Fact("hobby", hobby, noted_on) for hobby in found.hobbies]
    if found.risk_level is not None:
        facts.append(Fact("risk", f"C{found.risk_level}", noted_on))
    if found.preferred_channel:
        facts.append(Fact("channel", found.preferred_channel, noted_on))
    if found.preferred_time:
        facts.append(Fact("time", found.preferred_time, noted_on))
    facts += [Fact("caution", caution, noted_on) for caution in found.cautions]
    for asset in found.other_bank:
        facts.append(Fact("other_bank", json.dumps({
            "product": asset.product, "amount": asset.amount, "currency": asset.currency, "bank": asset.bank,
            **({"risk": asset.risk} if asset.risk else {})},
            ensure_ascii=False), noted_on))
    return facts


def cover_facts(covers, noted_on: date) -> list[Fact]:
    """Covers of a note still waiting for its client: facts until the RM picks the client, then
    insurance holdings (handlers/insurance.py). The card reads any left over (from before
    migration 0010 too) as cover."""
    return [Fact("cover", json.dumps({
        "insured": cover.insured, "name": cover.insured_name, "kind": cover.kind, "sum": cover.sum_insured,
        "premium": cover.premium, "term": cover.term_years, "currency": cover.currency,
        "period": cover.premium_period, "to_age": cover.term_to_age}, ensure_ascii=False), noted_on)
        for cover in covers]


def cover_from_fact(fact: Fact) -> Cover | None:
    """A cover fact as the parser's Cover, or None when it cannot be read."""
    try:
        data = json.loads(fact.value)
        insured = data["insured"]
        period = data.get("period", "year" if data.get("premium") is not None else None)
        return Cover(None if insured is None else str(insured), data.get("name"), str(data["kind"]), data.get("sum"),
                     data.get("premium"), data.get("term"), data.get("currency"), period, data.get("to_age"))
    except (ValueError, KeyError, TypeError):
        return None


def _member(value: str) -> FamilyMember | None:
    try:
        data = json.loads(value)
        return FamilyMember(str(data["relation"]), data.get("name"), Birthday.from_dict(data.get("birthday")),
                            data.get("age"), data.get("occupation"))
    except (ValueError, KeyError, TypeError):
        return None


def _merge_member(members: list[FamilyMember], new: FamilyMember) -> None:
    """Same relation and name (or the one unnamed member of that relation): one person, newest wins."""
    same = [i for i, m in enumerate(members) if m.relation == new.relation and m.name == new.name]
    if not same and new.relation != "self":
        of_relation = [i for i, m in enumerate(members) if m.relation == new.relation]
        if len(of_relation) == 1 and (members[of_relation[0]].name is None or new.name is None):
            same = of_relation
    if new.relation == "self":
        same = [i for i, m in enumerate(members) if m.relation == "self"]
    if not same:
        members.append(new)
        return
    old = members[same[0]]
    members[same[0]] = replace(old, name=new.name or old.name, birthday=new.birthday or old.birthday,
                               age=new.age if new.age is not None else old.age,
                               occupation=new.occupation or old.occupation,
                               fact_id=old.fact_id if old.fact_id is not None else new.fact_id)


def build_profile(facts: list[Fact]) -> ClientProfile:
    """The profile the facts add up to, oldest first (ties by id)."""
    members: list[FamilyMember] = []
    hobbies: list[str] = []
    cautions: list[str] = []
    assets: list[OtherBankAsset] = []
    risk = risk_on = channel = when = review_days = None
    covers: list[Cover] = []
    for fact in sorted(facts, key=lambda f: (f.noted_on, f.id)):
        if fact.kind == "family":
            member = _member(fact.value)
            if member is not None:
                member = replace(member, fact_id=fact.id)
                _merge_member(members, member)
        elif fact.kind == "hobby" and fact.value not in hobbies:
            hobbies.append(fact.value)
        elif fact.kind == "caution" and fact.value not in cautions:
            cautions.append(fact.value)
        elif fact.kind == "risk" and len(fact.value) == 2 and fact.value[1] in "12345":
            risk, risk_on = int(fact.value[1]), fact.noted_on
        elif fact.kind == "channel":
            channel = fact.value
        elif fact.kind == "time":
            when = fact.value
        elif fact.kind == "cover":
            cover = cover_from_fact(fact)
            if cover is None:
                continue
            # the same policy noted again (same person and kind): the newest details win
            covers = [c for c in covers if (c.insured, c.insured_name, c.kind) != (cover.insured, cover.insured_name,
                                                                                    cover.kind)] + [cover]
        elif fact.kind == "review_days" and fact.value.isdigit():
            review_days = int(fact.value)
        elif fact.kind == "other_bank":
            try:
                data = json.loads(fact.value)
                risk = data.get("risk")
                asset = OtherBankAsset(data.get("product"), data.get("amount"), data.get("currency"), data.get("bank"),
                                       risk=risk if type(risk) is int and 1 <= risk <= 5 else None)
            except (ValueError, TypeError, AttributeError):
                continue
            # the newest figure for the same product at the same bank replaces the older one
            assets = [a for a in assets if (a.product, a.bank) != (asset.product, asset.bank)] + [asset]
    return ClientProfile(tuple(members), tuple(hobbies), risk, risk_on, channel, when, tuple(cautions), tuple(assets),
                         review_days, tuple(covers))


def risk_is_current(profile: ClientProfile, today: date) -> bool:
    """An assessment within the last 12 months: suitability may rely on it."""
    return (profile.risk_level is not None and profile.risk_assessed_on is not None
            and profile.risk_assessed_on != date.min and (today - profile.risk_assessed_on).days <= RISK_VALID_DAYS)


# --- text -----------------------------------------------------------------------------------------

def birthday_text(birthday: Birthday, language: str) -> str:
    if birthday.lunar:
        return t(language, "profile.lunar", month=birthday.month, day=birthday.day)
    if birthday.year:
        return f"{birthday.year}-{birthday.month:02d}-{birthday.day:02d}"
    return t(language, "profile.month_day", month=birthday.month, day=birthday.day)


def member_text(member: FamilyMember, language: str, today: date | None = None) -> Markup:
    """女儿小雨（生日 2010-06-01 · 在读高二） / daughter Emma (12 · studies at Hill School)."""
    who = t(language, f"relation.{member.relation}")
    if member.name:
        who = t(language, "profile.named", relation=who, name=member.name)
    details = []
    if member.birthday:
        details.append(t(language, "profile.birthday", date=birthday_text(member.birthday, language)))
    if member.birthday and member.birthday.year and today:
        details.append(t(language, "profile.age", age=today.year - member.birthday.year
                         - ((today.month, today.day) < (member.birthday.month, member.birthday.day))))
    elif member.age is not None:
        details.append(t(language, "profile.age", age=member.age))
    if member.occupation:
        details.append(t(language, "profile.plain", text=member.occupation))
    if not details:
        return Markup(who)
    return t(language, "profile.with_details", who=Markup(who), details=Markup(" · ".join(details)))


def reach_text(channel: str | None, when: str | None, language: str) -> str | None:
    """微信 · 中午 / WeChat · at lunch: how the client likes to be reached."""
    parts = []
    if channel:
        parts.append(t(language, f"profile.channel_{channel}"))
    if when:
        parts.append(t(language, f"profile.time_{when}"))
    return " · ".join(parts) or None


def risk_text(level: int, language: str) -> str:
    return t(language, "profile.risk_level", code=f"C{level}", word=t(language, f"profile.risk_{level}"))


def compose_facts(found: ProfileFacts | ClientProfile, language: str, today: date | None = None,
                  assessed_on: date | None = None, covers: bool = True) -> list[Markup]:
    """One line per kind of fact: the reply to a note, and the profile part of the card (with the
    coverage section unless `covers` is False: a note's reply says which policies it filed)."""
    lines: list[Markup] = []
    others = [m for m in found.family if m.relation != "self"]
    if others:
        separator = Markup("；" if language == "zh" else "; ")
        lines.append(t(language, "profile.family",
                       members=Markup(separator.join(member_text(m, language, today) for m in others))))
    for member in found.family:
        if member.relation == "self" and member.birthday:
            lines.append(t(language, "profile.own_birthday", date=birthday_text(member.birthday, language)))
    if found.hobbies:
        lines.append(t(language, "profile.hobbies", hobbies=("、" if language == "zh" else ", ").join(found.hobbies)))
    if found.risk_level is not None:
        line = t(language, "profile.risk", level=risk_text(found.risk_level, language))
        when = assessed_on or getattr(found, "risk_assessed_on", None)
        if when == date.min:
            line = Markup(line + t(language, "profile.assessed_unknown"))
        elif when is not None:
            line = Markup(line + t(language, "profile.assessed", date=when.isoformat()))
        lines.append(line)
    reach = reach_text(found.preferred_channel, found.preferred_time, language)
    if reach:
        lines.append(t(language, "profile.reach", how=reach))
    for caution in found.cautions:
        lines.append(t(language, "profile.caution", text=caution))
    for asset in found.other_bank:
        lines.append(other_bank_line(asset, language))
    if covers:
        lines += coverage_lines(found.covers, found.family, language)
    return lines


def other_bank_line(asset: OtherBankAsset, language: str) -> Markup:
    from bot.display import format_amount, product_names

    product = product_names((asset.product,), language) if asset.product else t(language, "card.none")
    amount = format_amount(asset.amount, language) if asset.amount is not None else t(language, "card.none")
    if asset.currency and asset.currency != "CNY" and asset.amount is not None:
        amount = f"{asset.currency} {asset.amount:,.0f}"
    return t(language, "profile.other_bank", bank=asset.bank or t(language, "profile.other_bank_unnamed"),
             product=product, amount=amount)


# --- the card's Edit and the clients import ------------------------------------------------------

#: Profile fields the card's Edit and the clients import accept, each stored as facts of these kinds.
PROFILE_FIELDS = {"risk_level": ("risk",), "reach": ("channel", "time"), "hobbies": ("hobby",),
                  "cautions": ("caution",), "family": (), "review_days": ("review_days",)}
_SPLIT = re.compile(r"[,，、;；/]|\band\b")


class ProfileFieldError(ValueError):
    """The typed value does not fit; `hint` is the strings key that says what would."""

    def __init__(self, hint: str) -> None:
        super().__init__(hint)
        self.hint = hint


def read_profile_field(field: str, text: str, today: date) -> list[Fact]:
    """The facts a typed (or imported) value stands for; an empty list clears the field.

    family adds members (a member with the same relation and name is updated); the other fields
    replace what the client had (PROFILE_FIELDS gives the kinds replaced).
    """
    value = text.strip()[:200]
    if value.lower() in ("none", "clear", "-", "无", "清空", "没有"):
        return []
    if field == "risk_level":
        level = read_risk_level(value)
        if level is None:
            raise ProfileFieldError("profile.hint_risk_level")
        return [Fact("risk", f"C{level}", today)]
    if field == "reach":
        channel, when = read_reach(value)
        if not channel and not when:
            raise ProfileFieldError("profile.hint_reach")
        return [Fact(kind, v, today) for kind, v in (("channel", channel), ("time", when)) if v]
    if field in ("hobbies", "cautions"):
        parts = [p.strip() for p in (_SPLIT.split(value) if field == "hobbies" else [value]) if p.strip()]
        return [Fact("hobby" if field == "hobbies" else "caution", p[:60], today) for p in parts[:10]]
    if field == "review_days":
        if not value.isdigit() or int(value) > 3650:
            raise ProfileFieldError("profile.hint_review_days")
        return [Fact("review_days", str(int(value)), today)]
    if field == "family":
        members = read_family(value, today)
        if not members:
            raise ProfileFieldError("profile.hint_family")
        return facts_of(ProfileFacts(family=members), today)
    raise ValueError(f"not a profile field: {field}")

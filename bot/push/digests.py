"""An RM's digest composed from what is stored: the figures, the message and its buttons; and the
message of a timed follow-up. Nothing is sent here: bot/push/reminders.py delivers (claims the
delivery log, sends once through the outbound queue, records the outcome)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callback_data import encode
from bot.client_profile import build_profile
from bot.config import Settings
from bot.note_reply import snippet
from bot.open_dates import open_dates
from bot.pending_clients import pending_notes
from bot.reminders import Digest, DigestInput, DigestRules, GreetingRule, WorkCalendar, compute_digest
from bot.reminders.digest_message import compose_digest
from bot.reminders.schedule import previous_digest_day
from bot.strings import catalog, t
from storage import Repository
from storage.records import FollowUp, RMProfile


def calendar_from(settings: Settings) -> WorkCalendar:
    extra = tuple(GreetingRule(day.key, int(day.date[:2]), int(day.date[3:]), day.lunar)
                  for day in settings.reminders.extra_days)
    return WorkCalendar(tuple(settings.reminders.greetings), extra)


def holiday_namer(settings: Settings, language: str) -> Callable[[str], str]:
    extra = {day.key: day.name_zh if language == "zh" else day.name_en for day in settings.reminders.extra_days}
    strings = catalog(language)
    return lambda key: extra.get(key) or strings.get(f"holiday.{key}", key)


def keyboard(rows: Sequence[Sequence[tuple[str, str]]]) -> InlineKeyboardMarkup | None:
    if not rows:
        return None
    return InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=data) for label, data in row]
                                 for row in rows])


class DigestComposer:
    """Reads what an RM's digest needs and composes it (no sending, no delivery log)."""

    def __init__(self, repo: Repository, settings: Settings) -> None:
        self.repo, self.settings = repo, settings
        self.calendar = calendar_from(settings)
        self.rules = DigestRules(settings.reminders.birthday_days, settings.reminders.holiday_days,
                                 tuple(settings.reminders.maturity_days))

    async def digest_for(self, rm: RMProfile, day: date) -> Digest:
        """The RM's digest for `day`, from what is stored now."""
        repo, rm_id = self.repo, rm.user_id
        clients = tuple(await repo.clients.list(rm_id))
        data = DigestInput(
            clients=clients,
            last_contacts=await repo.contacts.last_contacts(rm_id),
            follow_ups=tuple(await repo.follow_ups.open(rm_id)),
            holdings=tuple(await repo.holdings.maturing(
                rm_id, day, day + timedelta(days=max(self.rules.maturity_days, default=0)))),
            snoozes=await repo.snoozes.all(rm_id),
            cadence={"A": rm.cadence_a, "B": rm.cadence_b, "C": rm.cadence_c},
            profiles={client_id: build_profile(facts)
                      for client_id, facts in (await repo.client_facts.by_client(rm_id)).items()},
            last_reviews=await repo.reviews.last_reviews(rm_id),
            pending=pending_notes(await repo.contacts.pending_clients(rm_id), clients, ZoneInfo(rm.timezone)),
            dates=open_dates(await repo.contacts.date_asked(rm_id), ZoneInfo(rm.timezone),
                             self.settings.defaults.currency))
        return compute_digest(data, day, self.calendar, self.rules, previous_digest_day(day, rm, self.calendar))

    async def digest_message(self, rm: RMProfile, day: date):
        """(text, keyboard) of the RM's digest for `day`, as /due and the push show it."""
        digest = await self.digest_for(rm, day)
        text, rows = compose_digest(digest, rm.language, holiday_namer(self.settings, rm.language))
        return digest, text, keyboard(rows)

    async def follow_up_message(self, rm: RMProfile, follow_up: FollowUp) -> tuple[str, InlineKeyboardMarkup | None]:
        """(text, buttons) of a timed follow-up's push: Done, +1 day, Log."""
        client = await self.repo.clients.get(rm.user_id, follow_up.client_id) if follow_up.client_id else None
        contact = await self.repo.contacts.get(rm.user_id, follow_up.contact_id) if follow_up.contact_id else None
        if client is not None:
            who = client.name
        elif contact is not None and contact.client_name:  # the note's client is still to confirm
            who = t(rm.language, "digest.pending_name", name=contact.client_name)
        else:
            who = t(rm.language, "digest.no_client")
        text = t(rm.language, "digest.follow_up_push", client=who,
                 text=snippet(contact.raw_text, 200) if contact else "")
        rows = [[(t(rm.language, "digest.button_done_one"), encode("d", "ok", "f", follow_up.id)),
                 (t(rm.language, "digest.button_day"), encode("d", "s1", "f", follow_up.id)),
                 (t(rm.language, "digest.button_log"), encode("d", "log", "f", follow_up.id))]]
        return text, keyboard(rows)

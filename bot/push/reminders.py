"""Digests and timed follow-ups, from stored data to the RM's chat, each exactly once.

The delivery log is claimed before sending, so the daily job, the catch-up after a restart and
`python -m bot push-digests` can all run without ever sending twice.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.ext import ExtBot

from bot.client_profile import build_profile
from bot.config import Settings
from bot.note_reply import snippet
from bot.outbound import OutboundQueue, PushStopped
from bot.push.sender import Blocked, MaybeDelivered, send_push
from bot.records import RMProfile
from bot.reminders import Digest, DigestInput, DigestRules, GreetingRule, WorkCalendar, compute_digest
from bot.reminders.digest_message import compose_digest
from bot.reminders.schedule import digest_due, local_day, previous_digest_day, timed_follow_ups_due
from bot.strings import catalog, t
from storage import Repository

log = logging.getLogger(__name__)


def calendar_from(settings: Settings) -> WorkCalendar:
    extra = tuple(GreetingRule(day.key, int(day.date[:2]), int(day.date[3:]), day.lunar)
                  for day in settings.reminders.extra_days)
    return WorkCalendar(tuple(settings.reminders.greetings), extra)


def holiday_namer(settings: Settings, language: str) -> Callable[[str], str]:
    extra = {day.key: day.name_zh if language == "zh" else day.name_en for day in settings.reminders.extra_days}
    strings = catalog(language)
    return lambda key: extra.get(key) or strings.get(f"holiday.{key}", key)


def keyboard(rows: list[list[tuple[str, str]]]) -> InlineKeyboardMarkup | None:
    if not rows:
        return None
    return InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=data) for label, data in row]
                                 for row in rows])


class ReminderPusher:
    def __init__(self, repo: Repository, settings: Settings, clock: Callable[[], datetime],
                 outbound: OutboundQueue | None = None) -> None:
        self.repo, self.settings, self.clock = repo, settings, clock
        self.calendar = calendar_from(settings)
        self.rules = DigestRules(settings.reminders.birthday_days, settings.reminders.holiday_days,
                                 tuple(settings.reminders.maturity_days))
        self.outbound = outbound  # the bot's outbound queue: it paces the pushes and stops them

    @property
    def stopped(self) -> bool:
        """The bot is stopping: pushes not yet claimed are left for the next start."""
        return self.outbound is not None and self.outbound.pushes_stopped

    async def _concurrently(self, pushes: Iterable[Callable[[], Awaitable[str]]]) -> Counter:
        """Run pushes side by side (the outbound queue paces them), enough at once to keep it busy."""
        outcomes: Counter = Counter()
        gate = asyncio.Semaphore(self.settings.push.in_flight * 2)

        async def one(push: Callable[[], Awaitable[str]]) -> None:
            async with gate:
                if not self.stopped:  # stopping: the next start's catch-up sends the rest
                    outcomes[await push()] += 1

        await asyncio.gather(*(one(push) for push in pushes))
        return outcomes

    # --- what is due ----------------------------------------------------------------------
    async def digest_for(self, rm: RMProfile, day: date) -> Digest:
        """The RM's digest for `day`, from what is stored now."""
        repo, rm_id = self.repo, rm.user_id
        data = DigestInput(
            clients=tuple(await repo.clients.list(rm_id)),
            last_contacts=await repo.contacts.last_contacts(rm_id),
            follow_ups=tuple(await repo.follow_ups.open(rm_id)),
            holdings=tuple(await repo.holdings.maturing(rm_id, day, day + timedelta(days=max(self.rules.maturity_days, default=0)))),
            snoozes=await repo.snoozes.all(rm_id),
            cadence={"A": rm.cadence_a, "B": rm.cadence_b, "C": rm.cadence_c},
            profiles={client_id: build_profile(facts)
                      for client_id, facts in (await repo.client_facts.by_client(rm_id)).items()},
            last_reviews=await repo.reviews.last_reviews(rm_id))
        return compute_digest(data, day, self.calendar, self.rules, previous_digest_day(day, rm, self.calendar))

    async def digest_message(self, rm: RMProfile, day: date):
        """(text, keyboard) of the RM's digest for `day`, as /due and the push show it."""
        digest = await self.digest_for(rm, day)
        text, rows = compose_digest(digest, rm.language, holiday_namer(self.settings, rm.language))
        return digest, text, keyboard(rows)

    # --- pushing --------------------------------------------------------------------------
    async def push_digest(self, bot: ExtBot, rm: RMProfile, day: date) -> str:
        """Send the RM's digest for `day` once: 'sent', 'skipped' (empty and turned off), 'already',
        'blocked' or 'failed'."""
        key = day.isoformat()
        claimed_at = self.clock()
        if not await self.repo.deliveries.claim(rm.user_id, "digest", key, claimed_at):
            return "already"
        try:
            digest, text, markup = await self.digest_message(rm, day)
            if digest.is_empty and not rm.send_empty_digest:
                await self.repo.deliveries.mark_sent(rm.user_id, "digest", key, None, self.clock())
                return "skipped"
            message = await send_push(bot, rm.chat_id, text, markup, paid=self.settings.push.paid_broadcast)
        except PushStopped:
            await self.repo.deliveries.release(rm.user_id, "digest", key, claimed_at)
            return "stopped"
        except Blocked:
            await self._blocked(rm, "digest", key)
            return "blocked"
        except MaybeDelivered:
            return await self._maybe_delivered(rm.user_id, "digest", key)
        except Exception as error:  # logged and kept for a later run; one RM never stops the rest
            log.error("digest for RM %s on %s failed: %s", rm.user_id, key, type(error).__name__)
            await self.repo.deliveries.mark_failed(rm.user_id, "digest", key, type(error).__name__)
            return "failed"
        await self.repo.deliveries.mark_sent(rm.user_id, "digest", key, message.message_id, self.clock())
        return "sent"

    async def push_all_digests(self, bot: ExtBot, day: date | None = None, *, only_due: bool = False) -> Counter:
        """Every active RM's digest: for `day` (the operator's command), or, with only_due, each RM
        whose digest time has passed today in their timezone on a digest day (the catch-up)."""
        now = self.clock()
        pushes = []
        for rm in await self.repo.rms.active():
            target = day
            if only_due:
                target = digest_due(now, rm, ZoneInfo(rm.timezone), self.calendar)
                if target is None:
                    continue
            elif target is None:
                target = local_day(now, ZoneInfo(rm.timezone))
            pushes.append(lambda rm=rm, target=target: self.push_digest(bot, rm, target))
        return await self._concurrently(pushes)

    async def push_queued_digests(self, bot: ExtBot) -> Counter:
        """The digests `push-digests` handed to this running bot (the delivery log as its outbox)."""
        pushes = []
        for rm_id, key in await self.repo.deliveries.queued("digest"):
            rm = await self.repo.rms.get(rm_id)
            if rm is None or not rm.active:
                await self.repo.deliveries.mark_failed(rm_id, "digest", key, "inactive")
                continue
            pushes.append(lambda rm=rm, day=date.fromisoformat(key): self.push_digest(bot, rm, day))
        return await self._concurrently(pushes)

    async def push_follow_up(self, bot: ExtBot, rm: RMProfile, follow_up_id: int) -> str:
        """A timed follow-up, pushed once at its time (it also stays in the digest until done)."""
        follow_up = await self.repo.follow_ups.get(rm.user_id, follow_up_id)
        now = self.clock()
        if follow_up is None or not timed_follow_ups_due([follow_up], now, ZoneInfo(rm.timezone)):
            return "not_due"
        key = str(follow_up_id)
        if not await self.repo.deliveries.claim(rm.user_id, "follow_up", key, now):
            return "already"
        try:
            client = await self.repo.clients.get(rm.user_id, follow_up.client_id) if follow_up.client_id else None
            contact = await self.repo.contacts.get(rm.user_id, follow_up.contact_id) if follow_up.contact_id else None
            text = t(rm.language, "digest.follow_up_push", client=client.name if client else "?",
                     text=snippet(contact.raw_text, 200) if contact else "")
            rows = [[(t(rm.language, "digest.button_done_one"), f"d:ok:f:{follow_up_id}"),
                     (t(rm.language, "digest.button_day"), f"d:s1:f:{follow_up_id}"),
                     (t(rm.language, "digest.button_log"), f"d:log:f:{follow_up_id}")]]
            message = await send_push(bot, rm.chat_id, text, keyboard(rows))
        except PushStopped:
            await self.repo.deliveries.release(rm.user_id, "follow_up", key, now)
            return "stopped"
        except Blocked:
            await self._blocked(rm, "follow_up", key)
            return "blocked"
        except MaybeDelivered:
            return await self._maybe_delivered(rm.user_id, "follow_up", key)
        except Exception as error:
            log.error("follow-up %s for RM %s failed: %s", follow_up_id, rm.user_id, type(error).__name__)
            await self.repo.deliveries.mark_failed(rm.user_id, "follow_up", key, type(error).__name__)
            return "failed"
        await self.repo.deliveries.mark_sent(rm.user_id, "follow_up", key, message.message_id, self.clock())
        return "sent"

    async def push_due_follow_ups(self, bot: ExtBot) -> Counter:
        """Timed follow-ups whose time came today while nobody was pushing (the catch-up)."""
        now = self.clock()
        pushes = []
        for rm_id, _chat_id, timezone, follow_up in await self.repo.follow_ups.timed_open((now - timedelta(days=1)).date()):
            if timed_follow_ups_due([follow_up], now, ZoneInfo(timezone)):
                rm = await self.repo.rms.get(rm_id)
                if rm is not None and rm.active:
                    pushes.append(lambda rm=rm, follow_up_id=follow_up.id: self.push_follow_up(bot, rm, follow_up_id))
        return await self._concurrently(pushes)

    async def push_team(self, bot: ExtBot, supervisor_id: int, day: date) -> str:
        """A supervisor's evening team summary, once a day (split only if over Telegram's limit)."""
        from bot.reports.compose import compose_team
        from bot.reports.loading import load_team

        rm_ids = self.settings.access.supervisors.get(supervisor_id)
        if rm_ids is None:
            return "not_supervisor"
        key = day.isoformat()
        claimed_at = self.clock()
        if not await self.repo.deliveries.claim(supervisor_id, "team", key, claimed_at):
            return "already"
        profile = await self.repo.rms.get(supervisor_id)
        language = profile.language if profile else self.settings.defaults.language
        message = None
        try:
            rows = await load_team(self.repo, rm_ids, day, self.settings.access.supervisors_see_notes)
            for text in compose_team(rows, language, day):
                message = await send_push(bot, profile.chat_id if profile else supervisor_id, text)
        except PushStopped:
            if message is None:
                await self.repo.deliveries.release(supervisor_id, "team", key, claimed_at)
                return "stopped"
            # stopped between the parts of a long summary: a retry would repeat the parts sent
            log.info("team summary for %s stopped after its first parts", supervisor_id)
        except MaybeDelivered:
            return await self._maybe_delivered(supervisor_id, "team", key)
        except Exception as error:
            log.error("team summary for %s failed: %s", supervisor_id, type(error).__name__)
            await self.repo.deliveries.mark_failed(supervisor_id, "team", key, type(error).__name__)
            return "failed"
        await self.repo.deliveries.mark_sent(supervisor_id, "team", key, message.message_id if message else None,
                                             self.clock())
        return "sent"

    async def push_due_team_summaries(self, bot: ExtBot) -> Counter:
        """Today's team summaries whose time passed while nobody was pushing (the catch-up)."""
        outcomes: Counter = Counter()
        at = time.fromisoformat(self.settings.defaults.team_time)
        for supervisor_id in self.settings.access.supervisors:
            if self.stopped:
                break
            profile = await self.repo.rms.get(supervisor_id)
            local = self.clock().astimezone(ZoneInfo(profile.timezone if profile else self.settings.defaults.timezone))
            if local.time() >= at:
                outcomes[await self.push_team(bot, supervisor_id, local.date())] += 1
        return outcomes

    async def _maybe_delivered(self, rm_id: int, kind: str, key: str) -> str:
        """Sent twice without an answer: the RM may have it; a later run must not send a third."""
        log.warning("%s %s for %s may have arrived (no answer twice): not sent again", kind, key, rm_id)
        await self.repo.deliveries.mark_sent(rm_id, kind, key, None, self.clock())
        return "maybe_sent"

    async def _blocked(self, rm: RMProfile, kind: str, key: str) -> None:
        log.info("RM %s blocked the bot: marked inactive", rm.user_id)
        await self.repo.deliveries.mark_failed(rm.user_id, kind, key, "blocked")
        await self.repo.rms.update(rm.user_id, active=False)

"""Telegram delivers an update again after a crash: it is handled once (storage/update_log.py).

In polling mode every update above the last confirmed offset comes again after a restart, and in
webhook mode every request not yet answered; some of them were handled already.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.application import build_application, running
from bot.offline_api import OfflineBotAPI, OfflineUser
from storage import Repository
from storage.update_log import UpdateKey
from tests.conftest import NOW, RM_EN, STRANGER
from tests.test_bot_reminders import client_row, seed


def texts(replies):
    return [reply.text for reply in replies]


async def test_a_note_delivered_again_after_its_reply_is_neither_stored_nor_answered_twice(rm_en, repo):
    first = await rm_en.send("visited Liu, needs LC")
    assert "Saved" in first[-1].text
    assert await rm_en.deliver_again(rm_en.delivered[-1]) == []
    assert len(await repo.contacts.recent(RM_EN, 10)) == 1


async def test_undo_delivered_again_removes_one_note_not_two(rm_en, repo):
    await rm_en.send("visited Liu")
    await rm_en.send("called Wang")
    assert "Removed" in (await rm_en.send("/undo"))[-1].text
    assert await rm_en.deliver_again(rm_en.delivered[-1]) == []
    assert [c.raw_text for c in await repo.contacts.recent(RM_EN, 10)] == ["visited Liu"]


async def test_a_settings_toggle_delivered_again_toggles_once(rm_en, repo):
    await rm_en.send("/settings")
    assert (await repo.rms.get(RM_EN)).working_days_only
    await rm_en.press("s:toggle:workdays")
    await rm_en.deliver_again(rm_en.delivered[-1])
    assert not (await repo.rms.get(RM_EN)).working_days_only


async def test_a_digest_done_delivered_again_logs_one_contact(rm_en, repo):
    await rm_en.send("/start")
    clients = await seed(repo, RM_EN, client_row("Wang", "A", "2026-10-01"))
    due = (await rm_en.send("/due"))[-1]
    await rm_en.press(f"d:ok:c:{clients['Wang'].id}", on=due)
    await rm_en.deliver_again(rm_en.delivered[-1])
    assert len(await repo.contacts.recent(RM_EN, 10)) == 1


async def test_an_ordinary_update_is_logged_done_with_its_user_and_id(rm_en, repo):
    await rm_en.send("/help")
    update_id = rm_en.delivered[-1]["update_id"]
    assert await repo.update_log.state(UpdateKey(RM_EN, update_id, NOW)) == "done"
    assert await repo.update_log.state(UpdateKey(RM_EN, update_id + 1, NOW)) is None


async def test_strangers_leave_nothing_in_the_update_log(stranger, repo):
    await stranger.send("visited Liu")
    assert await repo.update_log.state(UpdateKey(STRANGER, stranger.delivered[-1]["update_id"], NOW)) is None
    assert await repo.db.fetch_all("SELECT * FROM update_log") == []


async def test_rows_older_than_two_days_are_pruned(rm_en, repo):
    await rm_en.send("/help")
    assert await repo.update_log.prune(NOW + timedelta(days=1)) == 0
    assert await repo.update_log.prune(NOW + timedelta(days=2, seconds=1)) == 1


class SlowTelegram(OfflineBotAPI):
    """A Bot API whose replies (`held`) never answer while `hold` is set: the bot can die before its reply."""

    def __init__(self, held: tuple[str, ...] = ("sendMessage",)) -> None:
        super().__init__()
        self.held = held
        self.hold = False
        self.waiting = asyncio.Event()
        self.release = asyncio.Event()  # never set: until the process is killed

    async def do_request(self, url, method, request_data=None, **timeouts):
        if self.hold and url.rsplit("/", 1)[-1] in self.held:
            self.waiting.set()
            await self.release.wait()
        return await super().do_request(url, method, request_data, **timeouts)


async def crash_while_replying(settings, clock, notes: list[str], command: str | None = None, *,
                               act=None, held=("sendMessage",)) -> tuple[dict, str | None]:
    """Send `notes`, then `command` (or `act(user)`), and kill the bot while its reply is on the
    way: (the last update, the update log's state for it at the kill)."""
    api = SlowTelegram(held)
    application = build_application(settings, request=api, clock=clock, schedule=False)
    async with running(application):
        user = OfflineUser(application, api, RM_EN, first_name="Amy", language_code="en")
        for note in notes:
            await user.send(note)
        api.hold = True
        handling = asyncio.create_task(act(user) if act else user.send(command))
        await asyncio.wait_for(api.waiting.wait(), 5)
        handling.cancel()  # kill -9: the reply never leaves, the update is never confirmed
        update = user.delivered[-1]
        return update, await application.bot_data.repo.update_log.state(UpdateKey(RM_EN, update["update_id"], NOW))


async def deliver_after_restart(settings, clock, update: dict) -> tuple[list, list[str]]:
    """The restarted bot gets `update` again: (its replies, the RM's notes after)."""
    api = OfflineBotAPI()
    application = build_application(settings, request=api, clock=clock, schedule=False)
    async with running(application):
        replies = await OfflineUser(application, api, RM_EN, language_code="en").deliver_again(update)
        return replies, [c.raw_text for c in await application.bot_data.repo.contacts.recent(RM_EN, 10)]


async def test_undo_committed_just_before_a_crash_is_not_repeated_and_the_rm_is_told(settings, clock):
    undo, state = await crash_while_replying(settings, clock, ["visited Liu", "called Wang"], "/undo")
    assert state == "applied"  # the note was removed in the same commit
    replies, notes = await deliver_after_restart(settings, clock, undo)
    assert texts(replies) == ["✓ This was already done just before the bot restarted; nothing was repeated."]
    assert notes == ["visited Liu"]


async def test_an_update_the_crash_cut_off_before_any_effect_is_handled_after_restart(settings, clock):
    recent, state = await crash_while_replying(settings, clock, ["visited Liu"], "/note")
    assert state is None  # read-only: nothing marked it
    replies, _ = await deliver_after_restart(settings, clock, recent)
    assert "visited Liu" in replies[-1].text


async def test_a_question_cut_off_by_a_crash_is_answered_after_restart(settings, clock):
    question, state = await crash_while_replying(settings, clock, [], "/faq can I sign for a client?")
    assert state is None, "an answer can always be given again: nothing marks it applied"
    replies, _ = await deliver_after_restart(settings, clock, question)
    assert replies and "already done" not in replies[-1].text


async def test_a_done_cut_off_before_its_answer_is_not_repeated_after_restart(settings, clock):
    async def press_done(user):
        clock.now = NOW  # the follow-up logged yesterday is due today
        due = (await user.send("/due"))[-1]
        done = next(b["callback_data"] for row in due.buttons for b in row if b["callback_data"].startswith("d:ok:f:"))
        return await user.press(done, on=due)

    clock.now = NOW - timedelta(days=1)
    update, state = await crash_while_replying(settings, clock, ["called Liu, follow up tomorrow"], act=press_done,
                                               held=("answerCallbackQuery",))
    assert state == "applied"
    repo = await Repository.open(settings.storage.database)
    try:
        assert await repo.follow_ups.open(RM_EN) == [] and len(await repo.contacts.recent(RM_EN, 10)) == 2
    finally:
        await repo.close()
    replies, notes = await deliver_after_restart(settings, clock, update)
    assert [r.text for r in replies] == ["✓ This was already done just before the bot restarted; nothing was repeated."]
    assert len(notes) == 2

"""What the bot waits for the RM to type (an Edit's value, a card field, a Log) survives a restart
and expires (storage/awaited.py): an update in, the bot's replies out, with a restart between."""

from __future__ import annotations

from datetime import timedelta

from bot.application import build_application, running
from bot.offline_api import OfflineBotAPI, OfflineUser
from storage.awaited import AWAIT_FOR
from tests.conftest import RM_EN
from tests.test_bot_notes import only_message


def user_of(application, api) -> OfflineUser:
    return OfflineUser(application, api, RM_EN, first_name="Amy", language_code="en", first_message_id=500)


async def test_an_edit_tapped_before_a_restart_takes_the_value_typed_after_it(settings, clock):
    api = OfflineBotAPI()
    application = build_application(settings, request=api, clock=clock, schedule=False)
    async with running(application):
        amy = user_of(application, api)
        await amy.send("visited Liu yesterday, needs LC, 3m")
        await amy.press("✏️ Edit")
        prompt = only_message(await amy.press("Amount"))
        assert "amount" in prompt.text.lower()
    api = OfflineBotAPI()  # the bot restarts: a new process, the same database
    application = build_application(settings, request=api, clock=clock, schedule=False)
    async with running(application):
        amy = OfflineUser(application, api, RM_EN, first_name="Amy", language_code="en", first_message_id=900)
        reply = only_message(await amy.send("5m"))
        assert "¥5,000,000" in reply.text, "the value typed after the restart is the Edit's, not a new note"
        contacts = await application.bot_data.repo.contacts.recent(RM_EN, 5)
        assert [c.amount for c in contacts] == [5_000_000], "no note '5m' was stored"


async def test_an_edit_left_waiting_expires_and_the_text_is_a_note_again(rm_en, repo, clock):
    await rm_en.send("visited Liu yesterday, needs LC")
    await rm_en.press("✏️ Edit")
    await rm_en.press("Amount")
    clock.now += AWAIT_FOR + timedelta(minutes=1)
    reply = only_message(await rm_en.send("called Wang, wants a loan"))
    assert "Wang" in reply.text
    assert len(await repo.contacts.recent(RM_EN, 5)) == 2


async def test_cancel_stops_the_wait_across_kinds_and_says_when_nothing_waits(rm_en, repo):
    await rm_en.send("visited Liu yesterday")
    await rm_en.press("✏️ Edit")
    await rm_en.press("Amount")
    assert "cancel" in only_message(await rm_en.send("/cancel")).text.lower()
    assert await repo.awaited.get(RM_EN, application_now(rm_en)) is None
    nothing = only_message(await rm_en.send("/cancel"))
    assert nothing.text != ""


def application_now(user):
    return user.application.bot_data.clock()

"""Reminders end to end: /due, the digest buttons, pushes (once, paced, 429, 403), imports, settings."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timedelta
from types import SimpleNamespace

import pytest

from bot.application import build_application, running
from bot.config import AccessSettings, PushSettings, Settings, StorageSettings
from bot.jobs import digest_job_name, follow_up_job_name
from bot.offline_api import BotAPIError, OfflineBotAPI, OfflineUser
from tests.conftest import NOW, RM_EN, RM_ZH

D = date.fromisoformat


@pytest.fixture
def settings(tmp_path):
    return Settings(storage=StorageSettings(database=str(tmp_path / "bot.sqlite3")),
                    access=AccessSettings(allowed_user_ids=[RM_ZH, RM_EN]),
                    push=PushSettings(messages_per_second=30, seconds_per_chat=0))


def client_row(name, tier=None, last=None, birthday=None, lunar=None):
    return SimpleNamespace(name=name, phone=None, company=None, tier=tier, birthday=D(birthday) if birthday else None,
                           lunar_birthday=lunar, last_contact=D(last) if last else None, cadence_days=None, notes=None)


async def seed(repo, rm_id, *rows):
    await repo.clients.import_rows(rm_id, list(rows), NOW)
    return {c.name: c for c in await repo.clients.list(rm_id)}


def sends(api, chat_id):
    return [s for s in api.sent if s.method == "sendMessage" and s.chat_id == chat_id]


async def test_due_lists_follow_ups_and_done_closes_it_and_logs_a_contact(rm, repo, clock):
    await rm.send("拜访刘总,需要信用证,明天回访")
    clock.now = NOW + timedelta(days=1)
    reply = (await rm.send("/due"))[-1]
    assert "到期回访" in reply.text and "刘总" in reply.text
    data = [b["callback_data"] for row in reply.buttons for b in row]
    done = next(d for d in data if d.startswith("d:ok:f:"))
    answers = await rm.press(done, on=reply)
    assert any("已完成" in a.text for a in answers if a.method == "answerCallbackQuery")
    assert await repo.follow_ups.open(RM_ZH) == []
    assert len(await repo.contacts.recent(RM_ZH, 10)) == 2  # the note and the contact Done logged
    again = (await rm.send("/due"))[-1]
    assert "到期回访" not in again.text


async def test_due_contact_snoozes_a_day_and_comes_back(rm, repo, clock):
    await rm.send("/start")
    await seed(repo, RM_ZH, client_row("王姐", "A", "2026-10-01"))
    reply = (await rm.send("/due"))[-1]
    assert "该联系的客户" in reply.text and "王姐" in reply.text and "逾期 25 天" in reply.text
    snooze = next(b["callback_data"] for row in reply.buttons for b in row if b["callback_data"].startswith("d:s1:c:"))
    await rm.press(snooze, on=reply)
    assert "王姐" not in (await rm.send("/due"))[-1].text
    clock.now = NOW + timedelta(days=1)
    assert "王姐" in (await rm.send("/due"))[-1].text


async def test_log_button_files_the_next_note_under_that_client(rm, repo):
    await rm.send("/start")
    clients = await seed(repo, RM_ZH, client_row("王姐", "A", "2026-10-01"))
    reply = (await rm.send("/due"))[-1]
    prompt = await rm.press(f"d:log:c:{clients['王姐'].id}", on=reply)
    assert "王姐" in prompt[-1].text
    await rm.send("电话沟通,想续存")
    note = (await repo.contacts.recent(RM_ZH, 1))[0]
    assert note.client_id == clients["王姐"].id and note.channel == "call"
    assert "王姐" not in (await rm.send("/due"))[-1].text  # the contact reset the cadence


async def test_forged_or_foreign_digest_buttons_are_refused(rm, rm_en, repo):
    await rm.send("/start")
    await rm_en.send("/start")
    mine = await seed(repo, RM_ZH, client_row("王姐", "A"))
    for data in (f"d:ok:c:{mine['王姐'].id}", "d:ok:c:999999", "d:zz:c:1", "d:ok:c:abc", "d:h:x:2026:0", "d:"):
        answers = await rm_en.press_data(data)
        assert [a.method for a in answers] == ["answerCallbackQuery"], data
    assert len(await repo.contacts.recent(RM_ZH, 10)) == 0


async def test_digest_is_pushed_once_and_an_empty_day_says_so(bot, rm, rm_en, repo):
    application, api = bot
    await rm.send("/start")
    await rm_en.send("/start")
    await seed(repo, RM_ZH, client_row("王姐", "A", "2026-10-01"))
    pusher = application.bot_data.pusher
    first = await pusher.push_all_digests(application.bot, D("2026-11-25"))
    second = await pusher.push_all_digests(application.bot, D("2026-11-25"))
    assert first == {"sent": 2} and second == {"already": 2}
    assert "王姐" in sends(api, RM_ZH)[-1].text
    assert "nothing due today" in sends(api, RM_EN)[-1].text
    assert await repo.deliveries.status(RM_ZH, "digest", "2026-11-25") == "sent"


async def test_empty_digest_is_skipped_when_turned_off(bot, rm_en, repo):
    application, api = bot
    await rm_en.send("/settings empty off")
    before = len(sends(api, RM_EN))
    assert await application.bot_data.pusher.push_all_digests(application.bot, D("2026-11-25")) == {"skipped": 1}
    assert len(sends(api, RM_EN)) == before


async def test_429_waits_retry_after_and_nothing_is_dropped(bot, rm_en):
    application, api = bot
    await rm_en.send("/start")
    api.fail_next = [BotAPIError(429, "Too Many Requests: retry after 1", retry_after=1)]
    before = len(sends(api, RM_EN))
    assert await application.bot_data.pusher.push_all_digests(application.bot, D("2026-11-25")) == {"sent": 1}
    assert len(sends(api, RM_EN)) == before + 1


async def test_a_blocked_rm_is_marked_inactive_and_skipped_until_they_write(bot, rm_en, repo):
    application, api = bot
    await rm_en.send("/start")
    api.blocked_chats.add(RM_EN)
    pusher = application.bot_data.pusher
    assert await pusher.push_all_digests(application.bot, D("2026-11-25")) == {"blocked": 1}
    assert not (await repo.rms.get(RM_EN)).active
    assert await pusher.push_all_digests(application.bot, D("2026-11-26")) == {}
    api.blocked_chats.clear()
    await rm_en.send("/help")
    assert (await repo.rms.get(RM_EN)).active
    assert await pusher.push_all_digests(application.bot, D("2026-11-26")) == {"sent": 1}


async def test_a_failed_push_is_retried_by_the_next_run(bot, rm_en, repo):
    application, api = bot
    await rm_en.send("/start")
    api.fail_next = [BotAPIError(400, "Bad Request: chat not found")]
    pusher = application.bot_data.pusher
    assert await pusher.push_all_digests(application.bot, D("2026-11-25")) == {"failed": 1}
    assert await pusher.push_all_digests(application.bot, D("2026-11-25")) == {"sent": 1}


async def wait_for(predicate, timeout=3.0):
    for _ in range(int(timeout / 0.02)):
        if predicate():
            return True
        await asyncio.sleep(0.02)
    return False


async def test_restart_rebuilds_jobs_and_catches_up_todays_digest_once(settings, clock):
    # APScheduler fires jobs on the wall clock, so the injected "now" must lie ahead of it:
    # a working Wednesday evening long after any run of this suite.
    clock.now = datetime.fromisoformat("2090-11-29T17:30:00+08:00")
    api = OfflineBotAPI()
    application = build_application(settings, request=api, clock=clock)
    async with running(application):
        user = OfflineUser(application, api, RM_EN, first_name="Amy", language_code="en")
        await user.send("/start")
        await user.send("called Liu, follow up tomorrow 3pm")
        assert application.job_queue.get_jobs_by_name(digest_job_name(RM_EN))  # scheduled on first contact
        (follow_up,) = await application.bot_data.repo.follow_ups.open(RM_EN)
        assert application.job_queue.get_jobs_by_name(follow_up_job_name(RM_EN, follow_up.id))
    for _ in range(2):  # the bot was down at 08:30: it sends the digest once when it comes back
        api = OfflineBotAPI()
        application = build_application(settings, request=api, clock=clock)
        async with running(application):
            (job,) = application.job_queue.get_jobs_by_name(digest_job_name(RM_EN))
            assert (job.next_t.hour, job.next_t.minute) == (8, 30)
            assert application.job_queue.get_jobs_by_name(follow_up_job_name(RM_EN, follow_up.id))
            await wait_for(lambda: sends(api, RM_EN))
            await asyncio.sleep(0.1)
            digests = [s for s in sends(api, RM_EN) if "to do" in s.text or "nothing due" in s.text]
            assert len(digests) == (1 if _ == 0 else 0)


async def test_a_timed_follow_up_is_pushed_at_its_time_once(bot, rm_en, repo, clock):
    application, api = bot
    await rm_en.send("called Liu, follow up tomorrow 3pm")
    (follow_up,) = await repo.follow_ups.open(RM_EN)
    rm = await repo.rms.get(RM_EN)
    pusher = application.bot_data.pusher
    assert await pusher.push_follow_up(application.bot, rm, follow_up.id) == "not_due"
    clock.now = datetime.fromisoformat("2026-11-26T15:00:00+08:00")
    assert await pusher.push_follow_up(application.bot, rm, follow_up.id) == "sent"
    assert await pusher.push_follow_up(application.bot, rm, follow_up.id) == "already"
    assert "Follow-up now: Liu" in sends(api, RM_EN)[-1].text


async def test_settings_change_digest_time_cadence_and_switches(bot, rm_en, repo):
    application, _ = bot
    assert "Morning digest: 08:30" in (await rm_en.send("/settings"))[-1].text
    assert "07:45" in (await rm_en.send("/settings digest 7:45"))[-1].text
    (job,) = application.job_queue.get_jobs_by_name(digest_job_name(RM_EN))
    assert (job.next_t.hour, job.next_t.minute) == (7, 45)
    await rm_en.send("/settings cadence A 20")
    await rm_en.send("/settings workdays off")
    profile = await repo.rms.get(RM_EN)
    assert (profile.digest_time, profile.cadence_a, profile.working_days_only) == ("07:45", 20, False)
    shown = await rm_en.press("s:toggle:workdays")
    assert (await repo.rms.get(RM_EN)).working_days_only and "Working days only: on" in shown[-1].text
    for bad in ("/settings digest 25:00", "/settings cadence D 30", "/settings cadence A 0", "/settings fly <b>"):
        reply = (await rm_en.send(bad))[-1]
        assert "I could not read" in reply.text, bad


CLIENTS_CSV = "name,tier,birthday,last_contact\n刘总,A,1975-11-26,2026-10-01\n王姐,b,,2026-11-20\n,A,,\n".encode()
HOLDINGS_CSV = "客户,产品,产品名称,金额,到期日\n刘总,大额存单,3年期,1000000,2026-12-02\n新客户,LC,,50万,2026-12-25\n".encode()


async def test_import_by_file_loads_good_rows_reports_bad_ones_and_reimport_updates(rm_en, repo):
    reply = (await rm_en.send_document("clients.csv", CLIENTS_CSV))[-1]
    assert "2 added" in reply.text and "Line 4" in reply.text
    reply = (await rm_en.send_document("clients.csv", CLIENTS_CSV))[-1]
    assert "0 added, 2 updated" in reply.text
    assert len(await repo.clients.list(RM_EN)) == 2
    reply = (await rm_en.send_document("holdings.csv", HOLDINGS_CSV, caption="holdings"))[-1]
    assert "2 added" in reply.text and "1 clients were new" in reply.text
    due = (await rm_en.send("/due"))[-1].text
    assert "Maturing soon" in due and "Liu" not in due and "刘总" in due and "Birthdays" in due


async def test_holiday_button_lists_clients_to_greet_with_pages(rm_en, repo, clock):
    await rm_en.send("/start")
    await seed(repo, RM_EN, *[client_row(f"Client {n:02d}", "A", "2026-12-20") for n in range(45)])
    clock.now = datetime.fromisoformat("2026-12-28T09:00:00+08:00")
    reply = (await rm_en.send("/due"))[-1]
    assert "New Year's Day" in reply.text and "greet 45 clients" in reply.text
    listing = (await rm_en.press("🎉 New Year's Day: list 45 clients", on=reply))[-1]
    assert "Client 00" in listing.text and "Client 44" not in listing.text and "page 1/2" in listing.text
    page_two = (await rm_en.press("Next ›", on=listing))[-1]
    assert page_two.method == "editMessageText" and "Client 44" in page_two.text


async def test_the_start_catch_up_has_run_before_anyone_types(bot):
    """A catch-up digest must not land in the middle of what the console or a test types first:
    `running()` returns only once the start's catch-up is done."""
    application, _ = bot
    assert application.bot_data.caught_up.is_set()

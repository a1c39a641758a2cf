"""Webhook mode over real HTTP on 127.0.0.1: the secret is checked on every request, and Telegram's
POST is answered only once the update is handled, so a crash before that loses nothing (Telegram
sends an unanswered update again)."""

from __future__ import annotations

import asyncio
import json
import socket
from contextlib import asynccontextmanager

import httpx

from bot.application import build_application, running
from tests.conftest import RM_EN
from tests.test_redelivery import SlowTelegram

SECRET = "s3cret-token-for-tests"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@asynccontextmanager
async def webhook_bot(settings, clock):
    """(application, api, post): the bot serving its webhook; post(update, secret) → HTTP status."""
    api = SlowTelegram()
    application = build_application(settings, request=api, clock=clock, schedule=False)
    port = free_port()
    async with running(application):
        await application.updater.start_webhook(listen="127.0.0.1", port=port, url_path="telegram",
                                                webhook_url="https://bot.example.invalid/telegram",
                                                secret_token=SECRET)
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            async def post(update: dict, secret: str | None = SECRET) -> int:
                headers = {"Content-Type": "application/json"}
                if secret is not None:
                    headers["X-Telegram-Bot-Api-Secret-Token"] = secret
                response = await client.post("/telegram", content=json.dumps(update), headers=headers)
                return response.status_code
            post.client = client  # type: ignore[attr-defined]  # for other paths: GET /healthz
            try:
                yield application, api, post
            finally:
                await application.updater.stop()


def note(update_id: int, text: str) -> dict:
    user = {"id": RM_EN, "is_bot": False, "first_name": "Amy", "language_code": "en"}
    return {"update_id": update_id, "message": {"message_id": update_id, "date": 0, "text": text, "from": user,
                                                 "chat": {"id": RM_EN, "type": "private", "first_name": "Amy"}}}


async def test_a_posted_note_is_stored_and_answered_before_telegram_gets_its_200(settings, clock):
    async with webhook_bot(settings, clock) as (application, api, post):
        assert api.calls[-1][0] == "setWebhook" and api.calls[-1][1]["secret_token"] == SECRET
        assert await post(note(1, "visited Liu, needs LC")) == 200
        assert [s.text.split("\n")[0] for s in api.sent] == ["✅ Saved: <b>Liu</b> (new client)"]
        assert len(await application.bot_data.repo.contacts.recent(RM_EN)) == 1


async def test_the_post_stays_unanswered_while_the_update_is_being_handled(settings, clock):
    async with webhook_bot(settings, clock) as (application, api, post):
        api.hold = True
        posting = asyncio.create_task(post(note(1, "visited Liu")))
        try:
            await asyncio.wait_for(api.waiting.wait(), 5)  # stored; the reply to the RM is on its way
            await asyncio.sleep(0.3)
            assert not posting.done(), "Telegram was answered before the update was handled"
        finally:
            api.release.set()
        assert await asyncio.wait_for(posting, 5) == 200


async def test_a_post_without_the_secret_is_refused_and_nothing_is_stored(settings, clock):
    async with webhook_bot(settings, clock) as (application, api, post):
        assert await post(note(1, "visited Liu"), secret=None) == 403
        assert await post(note(2, "visited Liu"), secret="wrong-secret-0000000") == 403
        await asyncio.sleep(0.1)
        assert api.sent == [] and await application.bot_data.repo.contacts.recent(RM_EN) == []


async def test_telegram_sending_an_update_again_gets_200_and_no_second_note(settings, clock):
    async with webhook_bot(settings, clock) as (application, api, post):
        assert await post(note(7, "visited Liu")) == 200
        assert await post(note(7, "visited Liu")) == 200
        assert len(api.sent) == 1 and len(await application.bot_data.repo.contacts.recent(RM_EN)) == 1


async def test_telegram_sending_an_update_again_while_it_is_handled_gets_one_note_and_one_reply(settings, clock):
    async with webhook_bot(settings, clock) as (application, api, post):
        api.hold = True
        first = asyncio.create_task(post(note(9, "visited Liu")))
        try:
            await asyncio.wait_for(api.waiting.wait(), 5)
            again = asyncio.create_task(post(note(9, "visited Liu")))  # Telegram gave up waiting and re-sent
            await asyncio.sleep(0.2)
            assert not again.done()
        finally:
            api.release.set()
        assert await asyncio.wait_for(first, 5) == 200 and await asyncio.wait_for(again, 5) == 200
        assert len([s for s in api.sent if s.method == "sendMessage"]) == 1
        assert len(await application.bot_data.repo.contacts.recent(RM_EN)) == 1



async def test_healthz_says_the_database_takes_writes_and_when_the_last_update_came(settings, clock):
    async with webhook_bot(settings, clock) as (application, api, post):
        first = await post.client.get("/healthz")  # no secret: load balancers do not have it
        assert first.status_code == 200 and first.headers["Cache-Control"] == "no-store"
        body = first.json()
        assert body["status"] == "ok" and body["database"] == "ok"
        assert body["last_update_seconds"] is None  # nothing came yet
        assert body["updates_in_progress"] == 0
        assert (body["waiting_replies"], body["waiting_pushes"]) == (0, 0)  # the outbound queue is empty
        assert await post(note(1, "visited Liu, needs LC")) == 200
        after = await post.client.get("/healthz")
        assert after.json()["last_update_seconds"] is not None and after.json()["last_update_seconds"] < 5
        assert "Liu" not in after.text  # ids and counts only
        assert len(await application.bot_data.repo.contacts.recent(RM_EN)) == 1  # the probe wrote no data


async def test_healthz_fails_when_the_database_takes_no_writes(settings, clock):
    import sqlite3

    async with webhook_bot(settings, clock) as (application, api, post):
        db = application.bot_data.repo.db
        real_execute = db.conn.execute

        def read_only(sql, *args, **kwargs):  # the disk remounted read-only under the running bot
            if str(sql).startswith("PRAGMA user_version ="):
                error = sqlite3.OperationalError("attempt to write a readonly database")
                error.sqlite_errorname = "SQLITE_READONLY"
                raise error
            return real_execute(sql, *args, **kwargs)

        db.conn.execute = read_only
        try:
            answer = await post.client.get("/healthz")
        finally:
            db.conn.execute = real_execute
        assert answer.status_code == 503
        assert answer.json()["status"] == "fail" and answer.json()["database"] == "read_only"
        assert (await post.client.get("/healthz")).status_code == 200  # writable again: healthy again

"""Schema migrations and connection settings."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from storage import Database
from storage.migrations import load_migrations


async def test_blank_database_migrates_to_the_latest_version(tmp_path: Path):
    db = await Database.open(tmp_path / "blank.sqlite3")
    try:
        version = (await db.fetch_one("PRAGMA user_version"))[0]
        assert version == len(load_migrations()) >= 1
        tables = {row[0] for row in await db.fetch_all("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert {"rms", "clients", "client_aliases", "contacts", "contact_needs", "follow_ups"} <= tables
        assert (await db.fetch_one("PRAGMA journal_mode"))[0] == "wal"
        assert (await db.fetch_one("PRAGMA foreign_keys"))[0] == 1
    finally:
        await db.close()


async def test_reopening_applies_nothing_twice(tmp_path: Path):
    for _ in range(2):
        db = await Database.open(tmp_path / "twice.sqlite3")
        await db.close()
    with sqlite3.connect(tmp_path / "twice.sqlite3") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_migration_files_are_numbered_without_gaps(tmp_path: Path):
    (tmp_path / "0001_a.sql").write_text("SELECT 1;")
    (tmp_path / "0003_c.sql").write_text("SELECT 1;")
    with pytest.raises(ValueError, match="0002"):
        load_migrations(tmp_path)


async def test_foreign_keys_hold(tmp_path: Path):
    db = await Database.open(tmp_path / "fk.sqlite3")
    try:
        with pytest.raises(sqlite3.IntegrityError):
            async with db.transaction() as conn:
                await conn.execute("INSERT INTO clients (rm_id, name, created_at) VALUES (1, 'x', 'now')")
    finally:
        await db.close()


async def test_a_done_closes_its_follow_up_only_in_the_commit_that_stores_its_contact(tmp_path: Path):
    """A digest Done's two effects commit together: a crash or error cannot close the follow-up
    and lose the contact (the re-delivered Done would find the follow-up closed and log nothing)."""
    from datetime import date, datetime

    from storage import Repository

    now = datetime.fromisoformat("2026-11-25T17:30:00+08:00")
    repo = await Repository.open(tmp_path / "db.sqlite3")
    try:
        await repo.rms.ensure(100, 100, "RM", language="en", timezone="Asia/Shanghai", digest_time="08:30", now=now)

        async def log(closes=None, message_id=None, follow_up_on=None, follow_up_time=None):
            return await repo.contacts.log(100, raw_text="Done", client_name="Liu", client_id=None, new_client="Liu",
                                           channel=None, occurred_on=now.date(), amount=None, needs=(),
                                           follow_up_on=follow_up_on, follow_up_time=follow_up_time,
                                           message_id=message_id, now=now, closes_follow_up=closes)

        await log(message_id=1, follow_up_on=date(2026, 11, 26))
        (follow_up,) = await repo.follow_ups.open(100)
        with pytest.raises(AttributeError):  # a malformed time fails after the close, inside the same transaction
            await log(closes=follow_up.id, follow_up_on=date(2026, 12, 1), follow_up_time="15:00")
        assert [f.id for f in await repo.follow_ups.open(100)] == [follow_up.id], "closed without its contact"
        await log(closes=follow_up.id)
        assert await repo.follow_ups.open(100) == [] and len(await repo.contacts.recent(100, 10)) == 2
    finally:
        await repo.close()


async def test_releasing_a_claim_leaves_one_another_run_has_taken_over(tmp_path: Path):
    from datetime import datetime, timedelta

    from storage import Repository

    t0 = datetime.fromisoformat("2026-11-25T08:30:00+08:00")
    repo = await Repository.open(tmp_path / "db.sqlite3")
    try:
        assert await repo.deliveries.claim(100, "digest", "2026-11-25", t0)
        later = t0 + timedelta(minutes=11)  # the first claim went stale: another run took it over
        assert await repo.deliveries.claim(100, "digest", "2026-11-25", later)
        await repo.deliveries.release(100, "digest", "2026-11-25", t0)
        assert await repo.deliveries.status(100, "digest", "2026-11-25") == "pending"
        await repo.deliveries.release(100, "digest", "2026-11-25", later)
        assert await repo.deliveries.status(100, "digest", "2026-11-25") is None
    finally:
        await repo.close()

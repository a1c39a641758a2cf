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

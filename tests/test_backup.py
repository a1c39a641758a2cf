"""Online backup (SQLite backup API) while the bot writes, rotation, guarded restore, and the CLI."""

from __future__ import annotations

import asyncio
import json
import logging
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path

import pytest

import storage.backup as backup_module
from storage import Database, Repository
from storage.backup import (BackupError, RestoreError, backup_database, backup_now, check_backup, restore_database,
                            rotate_backups)
from storage.migrations import load_migrations
from storage.run_lock import AlreadyRunning, is_running, lock_path, running_lock

ROOT = Path(__file__).resolve().parents[1]
LATEST = len(load_migrations())
STAMP = "2026-11-25T17:30:00+08:00"
NIGHT = datetime(2026, 11, 25, 2, 30)


async def _fill(path: Path, contacts: int, text: str = "拜访刘总,需要信用证") -> None:
    """A migrated database with RM 100 and CONTACTS notes numbered 1…CONTACTS."""
    db = await Database.open(path)
    try:
        async with db.transaction() as conn:
            await conn.execute("INSERT OR IGNORE INTO rms (user_id, chat_id, created_at) VALUES (100, 100, ?)", (STAMP,))
            await conn.executemany("INSERT INTO contacts (rm_id, raw_text, created_at) VALUES (100, ?, ?)",
                                   [(f"{number} {text}", STAMP) for number in range(contacts)])
    finally:
        await db.close()


def _count(path: Path) -> tuple[int, int]:
    """(rows, highest id) of contacts: equal when the copy holds an unbroken prefix of the notes."""
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT count(*), coalesce(max(id), 0) FROM contacts").fetchone()
    finally:
        conn.close()


def _integrity(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


class Writer(threading.Thread):
    """Another connection inserting a note every `pause` seconds, as the running bot would."""

    def __init__(self, path: Path, pause: float) -> None:
        super().__init__(daemon=True)
        self.path, self.pause = path, pause
        self.stop = threading.Event()
        self.committed = 0

    def run(self) -> None:
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA busy_timeout = 5000")
        try:
            while not self.stop.is_set():
                conn.execute("INSERT INTO contacts (rm_id, raw_text, created_at) VALUES (100, 'live write', ?)",
                             (STAMP,))
                self.committed += 1
                time.sleep(self.pause)
        finally:
            conn.close()


# --- backup --------------------------------------------------------------------------------------


async def test_backup_while_another_connection_keeps_writing_is_consistent(tmp_path: Path):
    source = tmp_path / "bot.sqlite3"
    await _fill(source, 20_000, "x" * 500)
    db = await Database.open(source)  # the bot's own connection stays open, as while it runs
    writer = Writer(source, 0.001)
    writer.start()
    try:
        while writer.committed < 5:
            await asyncio.sleep(0.01)
        before = writer.committed
        result = backup_database(source, tmp_path / "copy.sqlite3", pages_per_step=64)
        during = writer.committed - before
        await asyncio.sleep(0.05)
    finally:
        writer.stop.set()
        writer.join()
        await db.close()
    assert result.integrity == "ok" and _integrity(result.path) == "ok"
    assert during > 0, "the writer was not held up by the backup"
    rows, highest = _count(result.path)
    assert rows == highest, "the copy is one snapshot: notes 1…N, none missing"
    assert 20_000 + before <= rows <= 20_000 + writer.committed
    assert _count(source)[0] == 20_000 + writer.committed
    assert result.bytes == result.path.stat().st_size and result.seconds > 0
    assert not list(tmp_path.glob(".*.tmp*")), "no temporary file left behind"
    with sqlite3.connect(result.path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one self-contained file


def test_a_copy_restarted_by_writes_is_taken_as_one_snapshot(tmp_path: Path, monkeypatch, caplog):
    source = tmp_path / "bot.sqlite3"
    asyncio.run(_fill(source, 2_000, "y" * 500))
    other = sqlite3.connect(source, isolation_level=None)
    # Deterministically: another connection commits between every two steps.
    monkeypatch.setattr(backup_module, "_between_steps", lambda: other.execute(
        "INSERT INTO contacts (rm_id, raw_text, created_at) VALUES (100, 'between steps', ?)", (STAMP,)))
    with caplog.at_level(logging.INFO, logger="storage.backup"):
        result = backup_database(source, tmp_path / "copy.sqlite3", pages_per_step=16)
    other.close()
    assert "one snapshot instead" in caplog.text
    assert result.integrity == "ok"
    rows, highest = _count(result.path)
    assert rows == highest == _count(source)[0] == 2_000 + backup_module.MAX_RESTARTS


def test_backup_into_a_folder_is_named_by_time_and_replaces_nothing_else(tmp_path: Path):
    source = tmp_path / "bot.sqlite3"
    asyncio.run(_fill(source, 10))
    result = backup_database(source, f"{tmp_path}/backups/", now=NIGHT)  # a trailing slash: a folder
    assert result.path == tmp_path / "backups" / "rm-assistant-20261125-023000.sqlite3"
    assert set(result.to_json()) == {"path", "bytes", "seconds", "integrity"}
    assert _count(result.path) == (10, 10)
    existing = tmp_path / "backups"
    again = backup_database(source, existing, now=datetime(2026, 11, 26, 2, 30))
    assert again.path.parent == existing and len(list(existing.iterdir())) == 2


def test_backup_of_a_missing_or_foreign_file_fails_in_one_line(tmp_path: Path):
    with pytest.raises(BackupError, match="no such database"):
        backup_database(tmp_path / "absent.sqlite3", tmp_path / "copy.sqlite3")
    assert not (tmp_path / "absent.sqlite3").exists(), "a backup never creates the database"
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"not a database at all" * 100)
    with pytest.raises(BackupError, match="not a database"):
        backup_database(garbage, tmp_path / "copy.sqlite3")
    assert not (tmp_path / "copy.sqlite3").exists()


def test_rotation_keeps_the_newest_and_never_touches_other_files(tmp_path: Path):
    names = [f"rm-assistant-202611{day:02d}-023000.sqlite3" for day in (21, 25, 22, 24, 23)]
    for name in names:
        (tmp_path / name).write_bytes(b"x")
    others = ["rm-assistant-before-upgrade.sqlite3", "notes.txt", "rm-assistant-20261120-023000.sqlite3-wal"]
    for name in others:
        (tmp_path / name).write_bytes(b"x")
    deleted = rotate_backups(tmp_path, keep=2)
    assert sorted(path.name for path in deleted) == sorted(names)[:3]
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(others + sorted(names)[3:])
    assert rotate_backups(tmp_path, keep=2) == [] and rotate_backups(tmp_path / "absent", keep=1) == []


async def test_backup_now_runs_off_the_event_loop_and_rotates(tmp_path: Path):
    source = tmp_path / "bot.sqlite3"
    await _fill(source, 50)
    db = await Database.open(source)
    folder = tmp_path / "backups"
    try:
        results = [await backup_now(db, folder, keep=2, now=datetime(2026, 11, day, 2, 30)) for day in (23, 24, 25)]
    finally:
        await db.close()
    assert all(result.integrity == "ok" for result in results)
    assert sorted(path.name for path in folder.iterdir()) == ["rm-assistant-20261124-023000.sqlite3",
                                                              "rm-assistant-20261125-023000.sqlite3"]
    assert _count(results[-1].path) == (50, 50)


# --- run lock and restore ------------------------------------------------------------------------


def test_the_run_lock_is_exclusive_and_released_on_exit(tmp_path: Path):
    database = tmp_path / "bot.sqlite3"
    assert not is_running(database)
    with running_lock(database) as path:
        assert path == lock_path(database) and is_running(database)
        with pytest.raises(AlreadyRunning, match="running bot"):
            with running_lock(database):
                pass
    assert not is_running(database) and lock_path(database).exists()
    with running_lock(":memory:") as nothing:
        assert nothing is None and not is_running(":memory:")


async def _backup_and_target(tmp_path: Path) -> tuple[Path, Path]:
    source = tmp_path / "live.sqlite3"
    await _fill(source, 300)
    backup = backup_database(source, tmp_path / "backup.sqlite3").path
    target = tmp_path / "target" / "bot.sqlite3"
    await _fill(target, 5, "other data")
    return backup, target


async def test_restore_refuses_a_database_a_running_bot_holds(tmp_path: Path):
    backup, target = await _backup_and_target(tmp_path)
    with running_lock(target):
        with pytest.raises(RestoreError, match="running bot"):
            restore_database(backup, target)
    assert _count(target) == (5, 5)


async def test_restore_refuses_a_corrupt_or_foreign_file(tmp_path: Path):
    backup, target = await _backup_and_target(tmp_path)
    corrupt = tmp_path / "corrupt.sqlite3"
    data = bytearray(backup.read_bytes())
    page = 4096
    data[2 * page:len(data) - page] = bytes(range(256)) * ((len(data) - 3 * page) // 256)
    corrupt.write_bytes(bytes(data))
    with pytest.raises(RestoreError, match="integrity_check|not a usable"):
        restore_database(corrupt, target)
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"\x00garbage" * 2048)
    with pytest.raises(RestoreError, match="not a usable SQLite database"):
        restore_database(garbage, target)
    with pytest.raises(RestoreError, match="no such file"):
        restore_database(tmp_path / "absent.sqlite3", target)
    assert _count(target) == (5, 5) and _integrity(target) == "ok"


async def test_restore_refuses_a_newer_schema(tmp_path: Path):
    backup, target = await _backup_and_target(tmp_path)
    newer = tmp_path / "newer.sqlite3"
    shutil.copyfile(backup, newer)
    with sqlite3.connect(newer) as conn:
        conn.execute(f"PRAGMA user_version = {LATEST + 1}")
    with pytest.raises(RestoreError, match=f"schema version {LATEST + 1} is newer"):
        restore_database(newer, target)
    assert _count(target) == (5, 5)


async def test_restore_replaces_the_database_and_drops_its_stale_wal(tmp_path: Path):
    backup, target = await _backup_and_target(tmp_path)
    # A crash left the old database's WAL behind: replayed onto the restored file it would corrupt it.
    conn = sqlite3.connect(target, isolation_level=None)
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute("INSERT INTO contacts (rm_id, raw_text, created_at) VALUES (100, 'in the wal only', ?)", (STAMP,))
    saved = {suffix: Path(f"{target}{suffix}").read_bytes() for suffix in ("-wal", "-shm")}
    conn.close()
    for suffix, content in saved.items():
        Path(f"{target}{suffix}").write_bytes(content)

    info = restore_database(backup, target)
    assert info.schema_version == LATEST
    assert not Path(f"{target}-wal").exists() and not Path(f"{target}-shm").exists()
    assert not list(target.parent.glob(".*.tmp*"))
    repo = await Repository.open(target)
    try:
        notes = await repo.contacts.recent(100, limit=1000)
        assert len(notes) == 300 and notes[-1].raw_text == "0 拜访刘总,需要信用证"
        assert (await repo.db.fetch_one("PRAGMA integrity_check"))[0] == "ok"
    finally:
        await repo.close()


async def test_restore_of_an_older_schema_is_migrated_when_opened(tmp_path: Path):
    target = tmp_path / "bot.sqlite3"
    info = restore_database(ROOT / "tests" / "data" / "schemas" / "v1.db", target)
    assert info.schema_version == 1
    repo = await Repository.open(target)
    try:
        assert (await repo.db.fetch_one("PRAGMA user_version"))[0] == LATEST
        assert {client.name for client in await repo.clients.list(100)} == {"刘总", "王姐"}
    finally:
        await repo.close()
    assert check_backup(target).schema_version == LATEST


# --- command line --------------------------------------------------------------------------------


def bot(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, text=True,
                          cwd=ROOT, timeout=60)


@pytest.fixture
def cli_setup(tmp_path: Path) -> tuple[Path, Path, Path]:
    """(config, database with 40 notes, backup folder)."""
    database, folder = tmp_path / "data" / "bot.sqlite3", tmp_path / "backups"
    config = tmp_path / "config.toml"
    config.write_text(f'[storage]\ndatabase = "{database}"\n[backup]\ndirectory = "{folder}"\nkeep = 2\n'
                      'daily_at = "03:15"\n', encoding="utf-8")
    asyncio.run(_fill(database, 40))
    return config, database, folder


def _audit(database: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(database) as conn:
        return conn.execute("SELECT action, subject FROM audit_log ORDER BY id").fetchall()


def test_cli_backup_prints_json_into_the_configured_folder_or_a_path(cli_setup, tmp_path: Path):
    config, database, folder = cli_setup
    result = bot("backup", "--config", str(config))
    assert result.returncode == 0, result.stderr
    printed = json.loads(result.stdout)
    assert set(printed) == {"path", "bytes", "seconds", "integrity"} and printed["integrity"] == "ok"
    path = Path(printed["path"])
    assert path.parent == folder and path.name.startswith("rm-assistant-") and path.stat().st_size == printed["bytes"]
    assert _count(path) == (40, 40)

    result = bot("backup", str(tmp_path / "manual.sqlite3"), "--config", str(config))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["path"] == str(tmp_path / "manual.sqlite3")
    result = bot("backup", f"{tmp_path}/new-folder/", "--config", str(config))
    assert result.returncode == 0, result.stderr
    assert Path(json.loads(result.stdout)["path"]).parent == tmp_path / "new-folder"
    assert [action for action, _ in _audit(database)] == ["backup"] * 3


def test_cli_backup_of_a_missing_database_fails_in_one_line(tmp_path: Path):
    config = tmp_path / "config.toml"
    config.write_text(f'[storage]\ndatabase = "{tmp_path / "absent.sqlite3"}"\n', encoding="utf-8")
    result = bot("backup", str(tmp_path / "copy.sqlite3"), "--config", str(config))
    assert result.returncode == 1 and result.stderr.strip().count("\n") == 0 and "no such database" in result.stderr


def test_cli_restore_refuses_a_running_bot_and_a_bad_file_then_restores(cli_setup, tmp_path: Path):
    config, database, _ = cli_setup
    saved = tmp_path / "saved.sqlite3"
    assert bot("backup", str(saved), "--config", str(config)).returncode == 0
    asyncio.run(_fill(database, 7, "after the backup"))

    with running_lock(database):
        refused = bot("restore", str(saved), "--yes", "--config", str(config))
        second = bot("run", "--config", str(config))
    assert refused.returncode == 1 and refused.stderr.count("\n") == 1
    assert "restore refused" in refused.stderr and "running bot" in refused.stderr
    assert second.returncode == 1 and "not starting a second one" in second.stderr

    corrupt = tmp_path / "corrupt.sqlite3"
    corrupt.write_bytes(saved.read_bytes()[:100] + b"\xff" * (saved.stat().st_size - 100))
    bad = bot("restore", str(corrupt), "--yes", "--config", str(config))
    assert bad.returncode == 1 and bad.stderr.count("\n") == 1 and "restore refused" in bad.stderr

    declined = bot("restore", str(saved), "--config", str(config), stdin="n\n")
    assert declined.returncode == 1 and "cancelled" in declined.stderr and "[y/N]" in declined.stderr
    assert _count(database) == (47, 47)

    done = bot("restore", str(saved), "--config", str(config), stdin="y\n")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"restored {saved}") and str(database) in done.stdout
    assert _count(database) == (40, 40) and _integrity(database) == "ok"
    assert _audit(database)[-1] == ("restore", "saved.sqlite3")


@pytest.mark.parametrize(("content", "message"), [
    ('[backup]\ndaily_at = "2:30"\n', "[backup] daily_at: '2:30' is not a time like 02:30"),
    ('[backup]\ndaily_at = "24:00"\n', "[backup] daily_at"),
    ('[backup]\nkeep = 0\n', "[backup] keep"),
    ('[backup]\nkeeps = 3\n', "[backup] keeps: unknown key"),
])
def test_backup_config_is_checked(tmp_path: Path, content: str, message: str):
    from bot.config import ConfigError, load_settings

    path = tmp_path / "c.toml"
    path.write_text(content)
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert message in str(caught.value)
    path.write_text('[backup]\ndaily_at = ""\n')
    assert load_settings(path).backup.daily_at == "" and load_settings(path).backup.keep == 14


async def test_the_running_bot_schedules_a_daily_backup_that_writes_and_audits(bot, tmp_path):
    from bot.jobs import backup_job

    application, _ = bot
    data = application.bot_data
    (job,) = application.job_queue.get_jobs_by_name("backup")
    assert (job.next_t.hour, job.next_t.minute) == (2, 30)
    data.settings.backup.directory = str(tmp_path / "backups")
    await backup_job(type("Context", (), {"bot_data": data, "bot": application.bot,
                                          "settings": data.settings})())
    assert len(list((tmp_path / "backups").glob("rm-assistant-*.sqlite3"))) == 1
    assert (await data.repo.audit.recent())[0]["action"] == "backup"

"""Storage that fails safely: real faults (a full 3 MB tmpfs, a lock held by another process, a
read-only mount, the file deleted) and an injected COMMIT failure, through the fake Bot API.

What must hold: a note is confirmed only once committed; otherwise the RM is told in one line
that it was NOT saved; the admins get one alert and /status shows it; once the fault is gone the
next note is stored without a restart. Tests that need a tmpfs skip when mounting is not permitted.
"""

from __future__ import annotations

import asyncio
import errno
import os
import sqlite3
import stat
import subprocess
import time
from pathlib import Path

import pytest

from bot.application import build_application, running
from bot.config import AccessSettings, BackupSettings, DefaultsSettings, Settings, StorageSettings
from bot.context import BotContext
from bot.offline_api import OfflineBotAPI, OfflineUser
from bot.storage_alerts import storage_watch_job
from storage import Database
from storage.backup import backup_database
from storage.checks import StorageCheckError, StorageUnavailable, failure_reason
from storage.run_lock import running_lock
from tests.conftest import ADMIN, RM_EN, RM_ZH, Clock, NOW

NOT_SAVED = "This note was NOT saved"
STAMP = "2026-11-25T17:30:00+08:00"


# --- helpers ---------------------------------------------------------------------------------------
@pytest.fixture
def small_disk(tmp_path: Path):
    """A 3 MB tmpfs (we run as root in CI); skipped where mounting is not permitted."""
    folder = tmp_path / "disk"
    folder.mkdir()
    try:
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m,mode=0755", "tmpfs", str(folder)],
                       check=True, capture_output=True, timeout=10)
    except (subprocess.CalledProcessError, FileNotFoundError, PermissionError, subprocess.TimeoutExpired):
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True, timeout=10)


def fill(folder: Path) -> Path:
    """Fill FOLDER's file system to the last byte; the filler file (delete it to free the space)."""
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for size in (1 << 16, 1 << 12, 1 << 9, 1):
            while True:
                try:
                    os.write(fd, b"\0" * size)
                except OSError as error:
                    assert error.errno == errno.ENOSPC
                    break
    finally:
        os.close(fd)
    return filler


def texts(replies, chat_id: int) -> list[str]:
    return [r.text for r in replies if r.method == "sendMessage" and r.chat_id == chat_id]


def confirmed(replies, chat_id: int) -> bool:
    """The note's confirmation: a message with the Undo button."""
    return any(r.chat_id == chat_id and any("n:u:" in str(b.get("callback_data")) for row in r.buttons for b in row)
               for r in replies)


class Bot:
    def __init__(self, application, api: OfflineBotAPI) -> None:
        self.application, self.api = application, api
        self.rm = OfflineUser(application, api, RM_EN, first_name="Amy", language_code="en")
        self.admin = OfflineUser(application, api, ADMIN, first_name="Ada", language_code="en")

    @property
    def db(self) -> Database:
        return self.application.bot_data.repo.db

    def admin_alerts(self) -> list[str]:
        return [s.text for s in self.api.sent if s.chat_id == ADMIN and s.text.startswith(("⚠️", "✅"))]

    async def watch(self) -> None:
        await storage_watch_job(BotContext(self.application))

    def stored(self, message_id: int) -> bool:
        with sqlite3.connect(f"file:{self.db.path}?mode=ro", uri=True) as conn:
            return conn.execute("SELECT 1 FROM contacts WHERE rm_id = ? AND message_id = ?",
                                (RM_EN, message_id)).fetchone() is not None


@pytest.fixture
async def bot_on(request):
    """A factory: the real Application over the offline Bot API with its database at PATH."""
    stack = []

    async def start(database: Path) -> Bot:
        settings = Settings(storage=StorageSettings(database=str(database)), defaults=DefaultsSettings(language="en"),
                            backup=BackupSettings(directory=str(database.parent / "backups")),
                            access=AccessSettings(allowed_user_ids=[RM_EN, RM_ZH], admin_user_ids=[ADMIN]))
        api = OfflineBotAPI()
        application = build_application(settings, request=api, clock=Clock(NOW))
        context = running(application)
        await context.__aenter__()
        stack.append(context)
        bot = Bot(application, api)
        bot.db.busy_timeout = 0.3
        await bot.rm.send("/start")
        await bot.admin.send("/start")
        return bot

    yield start
    for context in reversed(stack):
        await context.__aexit__(None, None, None)


# --- the writer and the readers -----------------------------------------------------------------------
async def test_reads_never_see_rows_not_yet_committed(tmp_path: Path):
    db = await Database.open(tmp_path / "db.sqlite3")
    try:
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO rms (user_id, chat_id, created_at) VALUES (1, 1, ?)", (STAMP,))
            assert (await db.fetch_one("SELECT count(*) FROM rms"))[0] == 0  # another task reading now
        assert (await db.fetch_one("SELECT count(*) FROM rms"))[0] == 1
    finally:
        await db.close()


async def test_a_lock_held_elsewhere_delays_writes_only_and_is_said_after_the_busy_timeout(tmp_path: Path):
    path = tmp_path / "db.sqlite3"
    db = await Database.open(path)
    db.busy_timeout = 0.8
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # a sqlite3 shell, an import, a backup holding the write lock
        started = time.perf_counter()
        assert (await db.fetch_one("SELECT count(*) FROM rms"))[0] == 0
        assert time.perf_counter() - started < 0.1, "reads are not held by the lock"
        started = time.perf_counter()
        with pytest.raises(StorageUnavailable) as raised:
            async with db.transaction() as conn:
                await conn.execute("INSERT INTO rms (user_id, chat_id, created_at) VALUES (1, 1, ?)", (STAMP,))
        waited = time.perf_counter() - started
        assert raised.value.reason == "locked" and 0.75 < waited < 2.0, waited
        assert db.health.problem == "locked" and db.health.failed_writes == 1
        started = time.perf_counter()
        with pytest.raises(StorageUnavailable):  # known locked: the next RM is not held as long
            async with db.transaction() as conn:
                await conn.execute("INSERT INTO rms (user_id, chat_id, created_at) VALUES (1, 1, ?)", (STAMP,))
        assert time.perf_counter() - started < 0.6 and db.health.failed_writes == 2
        other.execute("ROLLBACK")
        async with db.transaction() as conn:  # the lock is back: the next write goes through
            await conn.execute("INSERT INTO rms (user_id, chat_id, created_at) VALUES (1, 1, ?)", (STAMP,))
        assert db.health.problem is None and (await db.fetch_one("SELECT count(*) FROM rms"))[0] == 1
    finally:
        other.close()
        await db.close()


async def test_begin_immediate_is_retried_until_the_lock_is_released(tmp_path: Path):
    path = tmp_path / "db.sqlite3"
    db = await Database.open(path)
    db.busy_timeout = 3.0
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    try:
        asyncio.get_running_loop().call_later(0.3, other.execute, "ROLLBACK")
        started = time.perf_counter()
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO rms (user_id, chat_id, created_at) VALUES (1, 1, ?)", (STAMP,))
        assert 0.25 < time.perf_counter() - started < 2.0
        assert (await db.fetch_one("SELECT count(*) FROM rms"))[0] == 1
    finally:
        other.close()
        await db.close()


async def test_writes_queued_behind_a_lock_each_fail_at_their_own_deadline_and_the_rest_go_through(tmp_path: Path):
    path = tmp_path / "db.sqlite3"
    db = await Database.open(path)
    db.busy_timeout = 0.3
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")

    async def write(user_id: int) -> str:
        try:
            async with db.transaction() as conn:
                await conn.execute("INSERT INTO rms (user_id, chat_id, created_at) VALUES (?, 1, ?)", (user_id, STAMP))
        except StorageUnavailable as error:
            return error.reason
        return "saved"

    try:
        started = time.perf_counter()
        early = [asyncio.create_task(write(n)) for n in range(5)]
        await asyncio.sleep(0.4)
        other.execute("ROLLBACK")
        late = await asyncio.gather(*(write(n) for n in range(10, 15)))
        assert await asyncio.gather(*early) == ["locked"] * 5
        assert late == ["saved"] * 5
        assert time.perf_counter() - started < 1.5, "queued writes did not wait one after another"
        assert [r[0] for r in await db.fetch_all("SELECT user_id FROM rms ORDER BY user_id")] == list(range(10, 15))
    finally:
        other.close()
        await db.close()


async def test_two_processes_writing_and_reading_side_by_side_never_fail(tmp_path: Path):
    """`push-digests` or `import` beside the bot: each has its own writer; a busy lock is waited
    for, never failed at once (no shared connection holds a stale read snapshot)."""
    path = tmp_path / "db.sqlite3"
    bot, other = await Database.open(path), await Database.open(path)
    async with bot.transaction() as conn:
        await conn.execute("INSERT INTO rms (user_id, chat_id, created_at) VALUES (1, 1, ?)", (STAMP,))

    async def work(db: Database, first: int) -> int:
        done = 0
        for n in range(first, first + 150):
            async with db.transaction() as conn:
                await conn.execute("INSERT INTO contacts (rm_id, raw_text, created_at) VALUES (1, ?, ?)", (str(n), STAMP))
            await db.fetch_all("SELECT id FROM contacts WHERE rm_id = 1 ORDER BY id DESC LIMIT 5")
            done += 1
        return done

    try:
        assert await asyncio.gather(*(work(db, n * 1000) for n, db in enumerate((bot, other, bot, other)))) == [150] * 4
        assert (await bot.fetch_one("SELECT count(*) FROM contacts"))[0] == 600
        assert bot.health.episode == other.health.episode == 0, "no write failed"
    finally:
        await bot.close()
        await other.close()


async def test_a_failed_commit_rolls_back_and_the_writer_stays_usable(tmp_path: Path):
    """sqlite-utils' atomic(): a COMMIT that fails leaves no transaction open and nothing half-done.
    A deferred foreign key makes SQLite itself refuse the COMMIT."""
    db = await Database.open(tmp_path / "db.sqlite3")
    try:
        with pytest.raises(sqlite3.IntegrityError):
            async with db.transaction() as conn:
                await conn.execute("PRAGMA defer_foreign_keys = ON")
                await conn.execute("INSERT INTO rms (user_id, chat_id, created_at) VALUES (1, 1, ?)", (STAMP,))
                await conn.execute("INSERT INTO clients (rm_id, name, created_at) VALUES (999, 'x', ?)", (STAMP,))
        assert not db.conn.in_transaction
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO rms (user_id, chat_id, created_at) VALUES (2, 2, ?)", (STAMP,))
        assert [r[0] for r in await db.fetch_all("SELECT user_id FROM rms")] == [2]
    finally:
        await db.close()


async def test_a_writer_that_cannot_even_roll_back_is_replaced(tmp_path: Path, monkeypatch):
    db = await Database.open(tmp_path / "db.sqlite3")
    writer, real_execute = db.conn, db.conn.execute

    def broken(sql, *args):
        if sql in ("COMMIT", "ROLLBACK"):
            async def fail():
                raise sqlite3.OperationalError("disk I/O error")
            return fail()
        return real_execute(sql, *args)

    monkeypatch.setattr(writer, "execute", broken)
    try:
        with pytest.raises(StorageUnavailable) as raised:
            async with db.transaction() as conn:
                await conn.execute("INSERT INTO rms (user_id, chat_id, created_at) VALUES (1, 1, ?)", (STAMP,))
        assert raised.value.reason == "io" and db.conn is not writer
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO rms (user_id, chat_id, created_at) VALUES (2, 2, ?)", (STAMP,))
        assert [r[0] for r in await db.fetch_all("SELECT user_id FROM rms")] == [2]
    finally:
        await db.close()


# --- the RM's view, through the fake Bot API -------------------------------------------------------------
async def test_an_injected_commit_failure_tells_the_rm_the_note_was_not_saved(tmp_path: Path, bot_on, monkeypatch):
    bot = await bot_on(tmp_path / "db.sqlite3")
    writer, real_execute = bot.db.conn, bot.db.conn.execute

    def failing_commit(sql, *args):
        if sql == "COMMIT":
            async def fail():
                raise sqlite3.OperationalError("database or disk is full")
            return fail()
        return real_execute(sql, *args)

    monkeypatch.setattr(writer, "execute", failing_commit)
    replies = await bot.rm.send("visited Liu, needs LC")
    assert not confirmed(replies, RM_EN)
    assert texts(replies, RM_EN) == ["⚠️ This note was NOT saved (a storage problem). Please send it again in a minute."]
    assert not bot.stored(bot.rm.delivered[-1]["message"]["message_id"])
    assert not writer.in_transaction, "the failed COMMIT was rolled back"
    monkeypatch.setattr(writer, "execute", real_execute)
    replies = await bot.rm.send("visited Liu, needs LC")
    assert confirmed(replies, RM_EN) and bot.stored(bot.rm.delivered[-1]["message"]["message_id"])
    assert len(bot.admin_alerts()) == 1 and "disk is full" in bot.admin_alerts()[0]


async def test_an_error_after_the_commit_says_the_note_was_saved(tmp_path: Path, bot_on, monkeypatch):
    """The old apology said "your message was kept" whatever happened; now the database is asked."""
    import handlers.notes

    bot = await bot_on(tmp_path / "db.sqlite3")

    def broken(*args, **kwargs):
        raise RuntimeError("a bug in the confirmation")

    monkeypatch.setattr(handlers.notes, "compose_saved", broken)
    replies = await bot.rm.send("visited Liu, needs LC")
    assert bot.stored(bot.rm.delivered[-1]["message"]["message_id"])
    assert texts(replies, RM_EN) == [
        "Your note was saved, but something went wrong showing it: /note lists your last notes."]


async def test_a_full_disk_never_confirms_an_unsaved_note_and_recovers_without_restart(small_disk: Path, bot_on):
    bot = await bot_on(small_disk / "data" / "bot.sqlite3")
    filler = fill(small_disk)
    outcomes = []
    for n in range(60):
        replies = await bot.rm.send(f"visited Client {n}, needs LC, 3m")
        message_id = bot.rm.delivered[-1]["message"]["message_id"]
        said = texts(replies, RM_EN)
        outcomes.append((confirmed(replies, RM_EN), said, bot.stored(message_id)))
        if any(NOT_SAVED in text for text in said) and n >= 3:
            break
    for was_confirmed, said, stored in outcomes:
        assert was_confirmed == stored, "confirmed exactly when committed"
        if not stored:
            assert said == ["⚠️ This note was NOT saved (a storage problem). Please send it again in a minute."]
            assert not any("saved" in text and "NOT" not in text for text in said)
    assert any(not stored for _, _, stored in outcomes), "the full disk made a write fail"
    alerts = bot.admin_alerts()
    assert len(alerts) == 1 and "the disk is full" in alerts[0], alerts
    assert not any("Handler error" in s.text for s in bot.api.sent)
    status = texts(await bot.admin.send("/status"), ADMIN)[0]
    assert "Storage: ⚠️ the disk is full since" in status
    filler.unlink()
    replies = await bot.rm.send("called Zhao, wants a deposit")
    assert confirmed(replies, RM_EN) and bot.stored(bot.rm.delivered[-1]["message"]["message_id"])
    await bot.watch()
    assert bot.admin_alerts()[-1].startswith("✅ Storage is back")
    assert "Storage: OK" in texts(await bot.admin.send("/status"), ADMIN)[0]


async def test_a_database_gone_read_only_refuses_notes_truly_and_recovers(tmp_path: Path, bot_on, monkeypatch):
    """Injected: a mount cannot be turned read-only under an open writer (EBUSY), so the writer's
    statements answer SQLite's own read-only error, as after `chmod` by another user or a remount."""
    bot = await bot_on(tmp_path / "db.sqlite3")
    writer, real_execute = bot.db.conn, bot.db.conn.execute

    def read_only(sql, *args):
        if sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
            async def fail():
                raise sqlite3.OperationalError("attempt to write a readonly database")
            return fail()
        return real_execute(sql, *args)

    monkeypatch.setattr(writer, "execute", read_only)
    replies = await bot.rm.send("called Zhao, wants a deposit")
    assert not confirmed(replies, RM_EN) and NOT_SAVED in texts(replies, RM_EN)[0]
    assert bot.admin_alerts() == ["⚠️ Storage: the database is read-only. Notes are NOT being saved; "
                                  "RMs are told to send them again. /status shows it."]
    assert not writer.in_transaction
    monkeypatch.setattr(writer, "execute", real_execute)
    replies = await bot.rm.send("called Zhao, wants a deposit")
    assert confirmed(replies, RM_EN) and bot.stored(bot.rm.delivered[-1]["message"]["message_id"])


async def test_a_disk_filling_up_under_the_running_bot_is_alerted_once(small_disk: Path, bot_on):
    bot = await bot_on(small_disk / "bot.sqlite3")
    await bot.watch()
    assert bot.admin_alerts() == []
    filler = fill(small_disk)
    await bot.watch()
    await bot.watch()
    alerts = bot.admin_alerts()
    assert len(alerts) == 1 and alerts[0].startswith("⚠️ Storage: the disk is nearly full (0.0 MB free of 3.1 MB)")
    filler.unlink()
    await bot.watch()
    assert len(bot.admin_alerts()) == 1


async def test_a_lock_held_elsewhere_answers_reads_and_says_notes_were_not_saved(tmp_path: Path, bot_on):
    bot = await bot_on(tmp_path / "db.sqlite3")
    await bot.rm.send("visited Liu, needs LC")
    other = sqlite3.connect(bot.db.path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        asking = asyncio.create_task(bot.rm.send("/note"))
        await asyncio.sleep(0.25)  # the reply is out; the update's 'done' mark waits for the lock (0.25 s at most)
        assert "Liu" in bot.api.sent[-1].text and bot.api.sent[-1].chat_id == RM_EN, "a read is answered during the lock"
        await asyncio.wait_for(asyncio.shield(asking), 3)
        replies = await bot.rm.send("called Zhao, wants a deposit")
        assert not confirmed(replies, RM_EN) and NOT_SAVED in texts(replies, RM_EN)[0]
    finally:
        other.execute("ROLLBACK")
        other.close()
    replies = await bot.rm.send("called Zhao, wants a deposit")
    assert confirmed(replies, RM_EN)
    assert [a for a in bot.admin_alerts()] == [
        "⚠️ Storage: the database is locked by another process. Notes are NOT being saved; "
        "RMs are told to send them again. /status shows it."]


async def test_a_deleted_database_file_refuses_notes_and_alerts_once(tmp_path: Path, bot_on):
    bot = await bot_on(tmp_path / "db.sqlite3")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{bot.db.path}{suffix}").unlink(missing_ok=True)
    await bot.watch()
    replies = await bot.rm.send("visited Liu, needs LC")
    assert not confirmed(replies, RM_EN) and NOT_SAVED in texts(replies, RM_EN)[0]
    await bot.watch()
    alerts = bot.admin_alerts()
    assert len(alerts) == 1 and "was deleted while the bot runs" in alerts[0], alerts
    assert "the database file was deleted" in texts(await bot.admin.send("/status"), ADMIN)[0]


async def test_a_replaced_database_file_is_noticed_by_the_periodic_check(tmp_path: Path, bot_on):
    bot = await bot_on(tmp_path / "db.sqlite3")
    copy = tmp_path / "copy.sqlite3"
    with sqlite3.connect(bot.db.path) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    os.replace(copy, bot.db.path)  # an operator's restore under the running bot
    await bot.watch()
    await bot.watch()
    alerts = bot.admin_alerts()
    assert len(alerts) == 1 and "was replaced while the bot runs" in alerts[0], alerts
    replies = await bot.rm.send("visited Liu, needs LC")
    assert not confirmed(replies, RM_EN) and NOT_SAVED in texts(replies, RM_EN)[0]
    assert len(bot.admin_alerts()) == 1


async def test_a_failed_button_says_nothing_was_changed(tmp_path: Path, bot_on):
    bot = await bot_on(tmp_path / "db.sqlite3")
    await bot.rm.send("visited Liu, needs LC")
    other = sqlite3.connect(bot.db.path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        replies = await bot.rm.press("↩️ Undo")
    finally:
        other.execute("ROLLBACK")
        other.close()
    answers = [r.text for r in replies if r.method == "answerCallbackQuery"]
    assert answers == ["⚠️ Not done: a storage problem, nothing was changed. Please try again in a minute."]
    assert bot.stored(2)


async def test_chinese_rm_is_told_in_chinese_and_a_first_contact_that_cannot_be_stored_stops_there(tmp_path: Path,
                                                                                                 bot_on):
    bot = await bot_on(tmp_path / "db.sqlite3")
    rm = OfflineUser(bot.application, bot.api, RM_ZH, first_name="刘", language_code="zh-hans")
    await rm.send("/start")
    newcomer = OfflineUser(bot.application, bot.api, RM_ZH + 1, first_name="New", language_code="en")
    bot.application.bot_data.settings.access.allowed_user_ids.append(RM_ZH + 1)
    other = sqlite3.connect(bot.db.path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        replies = await rm.send("拜访刘总,需要信用证")
        first = await newcomer.send("visited Liu, needs LC")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert texts(replies, RM_ZH) == ["⚠️ 这条记录未保存（存储故障），请稍后重新发送。"]
    assert texts(first, RM_ZH + 1) == ["⚠️ This note was NOT saved (a storage problem). Please send it again in a minute."]
    assert not any("went wrong" in s.text for s in bot.api.sent)


# --- start-up checks -----------------------------------------------------------------------------
async def test_a_database_newer_than_the_code_is_refused_at_start(tmp_path: Path):
    path = tmp_path / "db.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version = 99")
    with pytest.raises(StorageCheckError, match=r"schema version 99 is newer than this code knows"):
        await Database.open(path)


def test_the_cli_refuses_in_one_line(tmp_path: Path, capsys):
    from bot.cli import main

    path = tmp_path / "db.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version = 99")
    config = tmp_path / "config.toml"
    config.write_text(f'[storage]\ndatabase = "{path}"\n', encoding="utf-8")
    assert main(["--config", str(config), "digest", "--user", "1"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("storage error: ") and "newer than this code" in err[0]


async def test_a_nearly_full_disk_is_refused_at_start(small_disk: Path):
    filler = fill(small_disk)
    os.truncate(filler, filler.stat().st_size - 100_000)  # 100 kB free of 3 MB: under 5%
    with pytest.raises(StorageCheckError, match=r"MB free of .*at least 50 MB or 5% free"):
        await Database.open(small_disk / "bot.sqlite3")


async def test_a_read_only_database_is_refused_at_start(small_disk: Path):
    path = small_disk / "bot.sqlite3"
    await (await Database.open(path)).close()
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True, capture_output=True)
    with pytest.raises(StorageCheckError, match=r"not writable"):
        await Database.open(path)


# --- permissions -----------------------------------------------------------------------------------
async def test_database_backups_and_run_lock_are_private_whatever_the_umask(tmp_path: Path):
    previous = os.umask(0)
    try:
        path = tmp_path / "new" / "data" / "bot.sqlite3"
        with running_lock(path) as lock:
            db = await Database.open(path)
            try:
                async with db.transaction() as conn:
                    await conn.execute("INSERT INTO rms (user_id, chat_id, created_at) VALUES (1, 1, ?)", (STAMP,))
                files = [path, Path(f"{path}-wal"), Path(f"{path}-shm"), lock]
                result = backup_database(path, tmp_path / "new" / "backups" / "daily/")
                files.append(result.path)
                for file in files:
                    assert stat.S_IMODE(file.stat().st_mode) == 0o600, file
            finally:
                await db.close()
        for folder in (tmp_path / "new", path.parent, result.path.parent, result.path.parent.parent):
            assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    finally:
        os.umask(previous)


async def test_an_existing_world_readable_database_is_made_private(tmp_path: Path):
    path = tmp_path / "bot.sqlite3"
    await (await Database.open(path)).close()
    os.chmod(path, 0o644)
    await (await Database.open(path)).close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_storage_failures_are_told_apart_from_bugs():
    cases = [  # (error, reason, why)
        (sqlite3.OperationalError("database or disk is full"), "full", "ENOSPC"),
        (sqlite3.OperationalError("database is locked"), "locked", "busy past the timeout"),
        (sqlite3.OperationalError("attempt to write a readonly database"), "read_only", "ro mount"),
        (sqlite3.OperationalError("disk I/O error"), "io", "EIO"),
        (sqlite3.IntegrityError("UNIQUE constraint failed: contacts.id"), None, "a constraint is a bug or a race"),
        (sqlite3.OperationalError("no such table: contactz"), None, "a bug"),
        (ValueError("x"), None, "not SQLite"),
    ]
    assert len({str(case[0]) for case in cases}) == len(cases)
    for error, reason, why in cases:
        assert failure_reason(error) == reason, why

"""The SQLite database: one writer connection, separate read connections, failures told truly.

WAL lets readers run beside the writer and survives kill -9; foreign keys keep an RM's data
tied together; synchronous=NORMAL is safe in WAL against process crashes.

- **One writer.** Every write goes through `transaction()`, one at a time (a FIFO queue) on
  the writer connection, which does nothing else: no read of another task ever shares it, so it
  never holds a stale read snapshot, and no task sees another's uncommitted rows.
- **Readers apart.** `fetch_all`/`fetch_one` run on a small pool of read-only connections. A
  write lock held by another process (a backup, an import, a `sqlite3` shell) delays writes only.
- **Busy is waited out, then said.** `BEGIN IMMEDIATE` is retried while another process holds
  the lock, up to `busy_timeout` seconds after the write was asked for (queueing included); past
  that the write fails with StorageUnavailable('locked'). Until a write succeeds again, later
  writes wait LOCKED_RETRY at most, so a long lock does not hold every RM for the full timeout.
  Waiting behind our own writes (a burst, a slow machine) is not a failure: it is waited out.
- **A failure leaves the writer usable.** Any error rolls the transaction back; so does a failed
  COMMIT (sqlite-utils' atomic() pattern), and if even that fails the writer is reopened. Storage
  failures (disk full, locked, read-only, I/O, the file deleted or replaced) are raised as
  StorageUnavailable and counted in `health`; the next write is tried afresh, so once space or
  the lock is back, the next note is stored without a restart.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiosqlite

from storage import checks
from storage.checks import GONE, LOCKED, FileIdentity, StorageCheckError, StorageUnavailable, failure_reason
from storage.migrations import latest_version, migrate, schema_version
from storage.private_files import private_file, tighten
from storage.update_log import MARK_APPLIED, UpdateKey

log = logging.getLogger(__name__)

PRAGMAS = (
    "PRAGMA journal_mode = WAL",
    "PRAGMA foreign_keys = ON",
    "PRAGMA synchronous = NORMAL",
)
#: SQLite's own wait inside one statement (a reader meeting a checkpoint, the writer's one attempt
#: at BEGIN); the write's whole wait is `Database.busy_timeout`, retried in asyncio.
READER_BUSY_MS = 5000
WRITER_BUSY_MS = 20
#: Seconds a write may wait for the lock (in the queue and for other processes) before it fails.
BUSY_TIMEOUT = 5.0
#: While the last write failed for the lock, later writes wait this long at most (each still tries).
LOCKED_RETRY = 0.05
#: A queued write past its deadline behind our own busy writer looks again this often.
QUEUE_RECHECK = 0.1
READERS = 2
#: A reader drops its page cache whenever the writer has committed; mapped pages come back cheaply.
MMAP_BYTES = 256 * 1024 * 1024
SIDE_FILES = ("-wal", "-shm")


@dataclass
class StorageHealth:
    """Whether writes are succeeding, for /status and the admins' alert (no clock: the bot has it)."""

    problem: str | None = None   # a checks.REASONS value while writes fail; None once one succeeds
    failed_writes: int = 0       # writes failed since the problem began
    episode: int = 0             # counts the problems begun, so each is alerted once
    file_problem: str | None = None  # 'deleted' / 'replaced': the file is not the one opened

    def failed(self, reason: str) -> None:
        if self.problem is None:
            self.episode += 1
            self.failed_writes = 0
        self.problem = reason
        self.failed_writes += 1

    def succeeded(self) -> None:
        self.problem = None


class Database:
    def __init__(self, conn: aiosqlite.Connection, path: str, readers: list[aiosqlite.Connection] | None = None,
                 identity: FileIdentity | None = None) -> None:
        self.conn = conn  # the writer; use transaction() to write
        self.path = path
        self.busy_timeout = BUSY_TIMEOUT
        self.health = StorageHealth()
        self.identity = identity
        self._write_lock = asyncio.Lock()
        self._blocked_since: float | None = None  # the writer is waiting for another process's lock
        self._readers: asyncio.Queue[aiosqlite.Connection] = asyncio.Queue()
        self._all_readers = list(readers or [])
        for reader in self._all_readers:
            self._readers.put_nowait(reader)

    @property
    def in_memory(self) -> bool:
        return self.path in (":memory:", "")

    @classmethod
    async def open(cls, path: str | Path, readers: int = READERS) -> Database:
        """Check the storage, connect, migrate, and open the read connections.

        StorageCheckError (one line) when the disk is short of space, the database is not
        writable or its schema is newer than this code.
        """
        path = str(path)
        memory = path in (":memory:", "")
        if not memory:
            try:
                private_file(path)  # 0600 in a 0700 folder; SQLite gives -wal/-shm the same mode
            except OSError as error:
                raise checks.describe_open_failure(path, error) from None
            tighten(path, *(path + suffix for suffix in SIDE_FILES))
            checks.check_writable(path)
            checks.check_disk_space(path)
        conn = None
        opened: list[aiosqlite.Connection] = []
        try:
            conn = await _connect(path, READER_BUSY_MS, create=True)  # another process migrating: wait for it
            found = await schema_version(conn)
            checks.check_schema_version(path, found, latest_version())
            await conn.execute("BEGIN IMMEDIATE")  # writable: the lock a write needs can be taken
            await conn.execute("ROLLBACK")
            await migrate(conn)
            await conn.execute(f"PRAGMA busy_timeout = {WRITER_BUSY_MS}")
            if not memory:
                for _ in range(max(1, readers)):
                    opened.append(await _connect(path, READER_BUSY_MS, read_only=True))
            identity = None if memory else FileIdentity.of(path)
        except (sqlite3.Error, OSError) as error:
            for connection in (conn, *opened):
                if connection is not None:
                    await _close_quietly(connection)
            raise checks.describe_open_failure(path, error) from None
        except BaseException:
            for connection in (conn, *opened):
                if connection is not None:
                    await _close_quietly(connection)
            raise
        return cls(conn, path, opened, identity)

    async def close(self) -> None:
        async with self._write_lock:
            await self.conn.close()
        for reader in self._all_readers:
            await reader.close()

    # --- writing ---------------------------------------------------------------------------------
    @asynccontextmanager
    async def transaction(self, update: UpdateKey | None = None,
                          *, timeout: float | None = None) -> AsyncIterator[aiosqlite.Connection]:
        """One write transaction at a time; rolled back on any error, a failed COMMIT included.

        With `update`, the update is logged as applied in the same commit as the effect, so a
        crash can never leave the effect without the mark (storage/update_log.py). `timeout`
        (default `busy_timeout`) bounds the wait for the lock, queueing included: a write still
        queued at its deadline fails, one that reaches the writer gets at least one attempt.
        Storage failures raise StorageUnavailable.
        """
        loop = asyncio.get_running_loop()
        budget = self.busy_timeout if timeout is None else timeout
        if self.health.problem == LOCKED:  # a write just waited the whole timeout in vain: do not
            budget = min(budget, LOCKED_RETRY)  # make every RM wait as long; the first success ends it
        deadline = loop.time() + budget
        await self._queue(deadline)
        try:
            try:
                self._check_file()
                await self._begin(deadline)
                try:
                    if update is not None:
                        await self.conn.execute(MARK_APPLIED, update.params)
                    yield self.conn
                except BaseException:
                    await self._roll_back()
                    raise
                try:
                    await self.conn.execute("COMMIT")
                except BaseException:
                    await self._roll_back()  # a failed COMMIT can leave the transaction open
                    raise
            except sqlite3.Error as error:
                reason = failure_reason(error)
                if reason is None:
                    raise
                self.health.failed(reason)
                log.warning("write failed: %s (%s)", checks.saying(reason), getattr(error, "sqlite_errorname", "")
                            or type(error).__name__)
                if isinstance(error, StorageUnavailable):
                    raise
                raise StorageUnavailable(reason, str(error)) from error
            self.health.succeeded()
        finally:
            self._write_lock.release()

    async def _queue(self, deadline: float) -> None:
        """Take the writer in turn (FIFO). Past the deadline, give up only if another process is
        what holds the queue (the writer waits for its lock, or the last write failed for it): a
        writer merely busy with a backlog of our own writes is waited for, as a slow note still
        gets stored."""
        loop = asyncio.get_running_loop()
        while True:
            try:
                async with asyncio.timeout(max(deadline - loop.time(), 0)):
                    await self._write_lock.acquire()
                return
            except TimeoutError:
                if self._blocked_since is not None or self.health.problem == LOCKED:
                    self.health.failed(LOCKED)
                    raise StorageUnavailable(LOCKED, "waited for the writer past the busy timeout") from None
                deadline = loop.time() + QUEUE_RECHECK

    def _check_file(self) -> None:
        problem = checks.file_problem(self.path, self.identity)
        self.health.file_problem = problem
        if problem is not None:
            raise StorageUnavailable(GONE, problem)

    async def _begin(self, deadline: float) -> None:
        """BEGIN IMMEDIATE, retried while another connection holds the write lock, until DEADLINE."""
        loop, pause = asyncio.get_running_loop(), 0.002
        try:
            while True:
                try:
                    await self.conn.execute("BEGIN IMMEDIATE")
                    return
                except sqlite3.OperationalError as error:
                    if failure_reason(error) != LOCKED or loop.time() >= deadline:
                        if self.conn.in_transaction:  # never leave a half-begun transaction behind
                            await self._roll_back()
                        raise
                if self._blocked_since is None:
                    self._blocked_since = loop.time()
                await asyncio.sleep(min(pause, max(deadline - loop.time(), 0)))
                pause = min(pause * 2, 0.05)
        finally:
            self._blocked_since = None

    async def _roll_back(self) -> None:
        """Roll back whatever is open; if the writer cannot, replace it so the next write starts clean."""
        try:
            if self.conn.in_transaction:
                await self.conn.execute("ROLLBACK")
            return
        except sqlite3.Error as error:
            log.warning("rollback failed (%s): reopening the writer", getattr(error, "sqlite_errorname", "")
                        or type(error).__name__)
        except ValueError:  # the connection is closed
            pass
        await self._reopen_writer()

    async def _reopen_writer(self) -> None:
        await _close_quietly(self.conn)
        self.conn = await _connect(self.path, WRITER_BUSY_MS)

    # --- reading ---------------------------------------------------------------------------------
    async def fetch_all(self, sql: str, params: Iterable[Any] = ()) -> list[aiosqlite.Row]:
        """Committed rows only: reads never share the writer, so never see a write in progress."""
        if not self._all_readers:  # in memory: there is only the one connection
            return list(await self.conn.execute_fetchall(sql, tuple(params)))
        reader = await self._readers.get()
        try:
            return list(await reader.execute_fetchall(sql, tuple(params)))
        except sqlite3.Error as error:
            reason = failure_reason(error)
            if reason is None:
                raise
            raise StorageUnavailable(reason, str(error)) from error
        finally:
            self._readers.put_nowait(reader)

    async def fetch_one(self, sql: str, params: Iterable[Any] = ()) -> aiosqlite.Row | None:
        rows = await self.fetch_all(sql, params)
        return rows[0] if rows else None

    # --- watching ----------------------------------------------------------------------------------
    def file_problem(self) -> str | None:
        """'deleted' / 'replaced' when the database file is no longer the one opened (the periodic check)."""
        if self.in_memory:
            return None
        self.health.file_problem = checks.file_problem(self.path, self.identity)
        return self.health.file_problem


async def _connect(path: str, busy_ms: int, read_only: bool = False, create: bool = False) -> aiosqlite.Connection:
    """A connection with the pragmas; only the first open may create the file (a reader or a
    reopened writer must never make a new empty database where the real one was deleted)."""
    if create or path in (":memory:", ""):
        conn = await aiosqlite.connect(path, isolation_level=None)
    else:
        conn = await aiosqlite.connect(f"{Path(path).resolve().as_uri()}?mode=rw", uri=True, isolation_level=None)
    conn.row_factory = aiosqlite.Row
    try:
        for pragma in PRAGMAS if not read_only else PRAGMAS[1:]:
            await conn.execute(pragma)
        await conn.execute(f"PRAGMA busy_timeout = {int(busy_ms)}")
        if read_only:
            await conn.execute("PRAGMA query_only = ON")
            await conn.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
    except BaseException:
        await _close_quietly(conn)
        raise
    return conn


async def _close_quietly(conn: aiosqlite.Connection) -> None:
    try:
        await conn.close()
    except Exception:  # closing a broken connection: nothing more to save
        log.debug("closing a connection failed", exc_info=True)


__all__ = ["Database", "StorageCheckError", "StorageHealth", "StorageUnavailable"]

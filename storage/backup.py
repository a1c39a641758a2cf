"""Online backups and restores with SQLite's backup API, while the bot keeps running.

A backup is copied from its own connection into a temporary file in the target folder, checked
with PRAGMA integrity_check, switched to a single self-contained file (journal_mode DELETE) and
renamed into place, so a half-written backup never carries a backup's name. The source is in WAL
mode, so the copy reads one consistent snapshot while the bot goes on writing.

The copy goes in steps (`pages_per_step`, a short pause between them). SQLite restarts a stepped
copy whenever another connection writes to the source, which a busy bot does all the time, so
after a few restarts the copy is taken in one step instead: in WAL mode that is one read
transaction, which never blocks the bot's writers.

A restore refuses a database a running bot holds (storage.run_lock), a backup that is not an
SQLite database, fails integrity_check or has a newer schema than this code's migrations; it then
copies the backup next to the target and renames it over the target, dropping the target's stale
-wal/-shm files first (they belong to the replaced database and would corrupt the restored one).
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import sqlite3
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from storage.migrations import latest_version
from storage.private_files import private_file, private_folder
from storage.run_lock import AlreadyRunning, running_lock

if TYPE_CHECKING:
    from storage.database import Database

log = logging.getLogger(__name__)

BACKUP_NAME = re.compile(r"^rm-assistant-(\d{8}-\d{6})\.sqlite3$")
#: Pause between two steps of a stepped copy, so the bot's writes go ahead.
STEP_PAUSE = 0.002
#: Stepped copies restarted by the bot's writes before the copy is taken in one step.
MAX_RESTARTS = 3
#: Side files of a database: a stale one next to a replaced database would corrupt it.
SIDE_FILES = ("-wal", "-shm", "-journal")


class BackupError(Exception):
    """A backup could not be taken; the message says why, in one line."""


class RestoreError(Exception):
    """A restore was refused or failed; the message says why, in one line."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    bytes: int
    seconds: float
    integrity: str  # "ok", or what PRAGMA integrity_check found

    def to_json(self) -> dict:
        return {"path": str(self.path), "bytes": self.bytes, "seconds": round(self.seconds, 3),
                "integrity": self.integrity}


@dataclass(frozen=True)
class BackupInfo:
    """What restore found in a backup file."""

    path: Path
    bytes: int
    schema_version: int


def backup_name(now: datetime) -> str:
    return f"rm-assistant-{now:%Y%m%d-%H%M%S}.sqlite3"


def latest_schema_version() -> int:
    return latest_version()


def backup_database(source: str | Path, target: str | Path, pages_per_step: int = 1024,
                    now: datetime | None = None) -> BackupResult:
    """Copy the database SOURCE into TARGET (a file, or a folder: rm-assistant-YYYYmmdd-HHMMSS.sqlite3).

    TARGET is a folder when it is one already or is written with a trailing slash. `now` names the
    file in a folder (default: the local time now). An existing file of that name is replaced.
    """
    started = time.perf_counter()
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"{source}: no such database")
    if _names_folder(target):
        folder = private_folder(target)
        path = folder / backup_name(now or datetime.now())
    else:
        path = Path(target)
        private_folder(path.parent)
    if path.exists() and path.resolve() == source.resolve():
        raise BackupError(f"{path}: is the database itself")
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        integrity = _copy_and_check(source, temporary, pages_per_step)
        _fsync(temporary)
        os.replace(temporary, path)
        _fsync_folder(path.parent)
    except sqlite3.Error as error:
        raise BackupError(f"{source}: {error}") from None
    finally:
        _remove(temporary, *(Path(f"{temporary}{suffix}") for suffix in SIDE_FILES))
    return BackupResult(path, path.stat().st_size, time.perf_counter() - started, integrity)


def rotate_backups(folder: str | Path, keep: int) -> list[Path]:
    """Delete all but the KEEP newest rm-assistant-YYYYmmdd-HHMMSS.sqlite3 in FOLDER; return the deleted.

    Other files (a hand-named backup, rm-assistant-before-upgrade.sqlite3) are never touched.
    """
    if keep < 1:
        raise ValueError("keep at least one backup")
    folder = Path(folder)
    if not folder.is_dir():
        return []
    backups = sorted((match.group(1), entry) for entry in folder.iterdir()
                     if (match := BACKUP_NAME.match(entry.name)) and entry.is_file())
    deleted = [entry for _, entry in backups[:-keep]]
    for entry in deleted:
        entry.unlink(missing_ok=True)
    return deleted


async def backup_now(db: Database, target_dir: str | Path, keep: int, now: datetime | None = None) -> BackupResult:
    """The daily job: back the bot's database up into TARGET_DIR from a thread, then keep the KEEP newest.

    Rotation is skipped when the new backup fails integrity_check, so a bad copy never pushes a
    good one out.
    """
    if db.path in (":memory:", ""):
        raise BackupError("an in-memory database cannot be backed up")
    folder = private_folder(target_dir)
    result = await asyncio.to_thread(backup_database, db.path, folder, now=now)
    if result.integrity == "ok":
        deleted = await asyncio.to_thread(rotate_backups, folder, keep)
        log.info("backup %s: %d bytes in %.1f s; %d old backups deleted", result.path, result.bytes,
                 result.seconds, len(deleted))
    else:
        log.error("backup %s failed integrity_check: %s", result.path, result.integrity)
    return result


def check_backup(backup: str | Path) -> BackupInfo:
    """Open BACKUP read-only and check it can be restored; RestoreError saying why not."""
    backup = Path(backup)
    if not backup.is_file():
        raise RestoreError(f"{backup}: no such file")
    try:
        conn = sqlite3.connect(f"{backup.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise RestoreError(f"{backup}: cannot be opened ({error})") from None
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        integrity = _integrity(conn)
    except sqlite3.DatabaseError as error:
        raise RestoreError(f"{backup}: not a usable SQLite database ({error})") from None
    finally:
        conn.close()
    if integrity != "ok":
        raise RestoreError(f"{backup}: failed integrity_check ({integrity})")
    latest = latest_schema_version()
    if version == 0:
        raise RestoreError(f"{backup}: not an RM Assistant database (schema version 0)")
    if version > latest:
        raise RestoreError(f"{backup}: schema version {version} is newer than this code knows ({latest}); "
                           "upgrade the code first")
    return BackupInfo(backup, backup.stat().st_size, version)


def restore_database(backup: str | Path, target: str | Path) -> BackupInfo:
    """Replace the database TARGET with BACKUP, holding TARGET's run lock throughout.

    RestoreError when a bot is running on TARGET or the backup fails check_backup. An older
    schema is fine: the bot migrates it when it next opens the database.
    """
    backup, target = Path(backup), Path(target)
    if target.exists() and backup.exists() and target.resolve() == backup.resolve():
        raise RestoreError(f"{backup}: is the database itself")
    try:
        with running_lock(target):
            info = check_backup(backup)
            temporary = target.with_name(f".{target.name}.restore-{os.getpid()}.tmp")
            try:
                source = sqlite3.connect(f"{backup.resolve().as_uri()}?mode=ro", uri=True)
                copy = sqlite3.connect(private_file(temporary))  # client data: 0600 in a 0700 folder
                try:
                    source.backup(copy)
                    copy.execute("PRAGMA journal_mode = DELETE")
                finally:
                    copy.close()
                    source.close()
                _fsync(temporary)
                # The old database's WAL would be replayed onto the restored file: drop it first.
                _remove(*(Path(f"{target}{suffix}") for suffix in SIDE_FILES))
                os.replace(temporary, target)
                _fsync_folder(target.parent)
            except (sqlite3.Error, OSError) as error:
                raise RestoreError(f"restoring {backup} into {target} failed: {error}") from None
            finally:
                _remove(temporary, *(Path(f"{temporary}{suffix}") for suffix in SIDE_FILES))
    except AlreadyRunning as error:
        raise RestoreError(f"{error}; stop the bot before restoring") from None
    return info


def _names_folder(target: str | Path) -> bool:
    text = str(target)
    return Path(target).is_dir() or text.endswith(("/", os.sep))


def _copy_and_check(source: Path, temporary: Path, pages_per_step: int) -> str:
    """Copy SOURCE into TEMPORARY (a single DELETE-journal file) and return its integrity_check."""
    src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=rw", uri=True)
    try:
        src.execute("PRAGMA busy_timeout = 5000")
        dst = sqlite3.connect(private_file(temporary))  # client data: 0600, as the database
        try:
            if pages_per_step <= 0 or not _stepped_copy(src, dst, pages_per_step):
                if pages_per_step > 0:
                    log.info("backup of %s: the bot kept writing, copying one snapshot instead", source)
                src.backup(dst, pages=-1)
            dst.execute("PRAGMA journal_mode = DELETE")
            return _integrity(dst)
        finally:
            dst.close()
    finally:
        src.close()


class _Restarted(Exception):
    pass


def _stepped_copy(src: sqlite3.Connection, dst: sqlite3.Connection, pages: int) -> bool:
    """Copy in steps of PAGES; False if the source's writes restarted the copy MAX_RESTARTS times."""
    state = {"remaining": None, "restarts": 0}

    def progress(status: int, remaining: int, total: int) -> None:
        if remaining and state["remaining"] is not None and remaining >= state["remaining"]:
            state["restarts"] += 1  # another connection wrote: SQLite began the copy again
            if state["restarts"] >= MAX_RESTARTS:
                raise _Restarted
        state["remaining"] = remaining
        if remaining:
            _between_steps()

    try:
        src.backup(dst, pages=pages, progress=progress)
    except _Restarted:
        return False
    return True


def _between_steps() -> None:
    time.sleep(STEP_PAUSE)


def _integrity(conn: sqlite3.Connection) -> str:
    rows = [row[0] for row in conn.execute("PRAGMA integrity_check(20)")]
    return "ok" if rows == ["ok"] else "; ".join(str(row) for row in rows)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _remove(*paths: Path) -> None:
    for path in paths:
        try:
            path.unlink()
        except FileNotFoundError:
            pass

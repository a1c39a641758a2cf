"""What must hold before the bot files notes, and what can go wrong with the database underneath it.

Start-up (called from `Database.open`, the one place the database is opened): the database is
writable, the disk has room (50 MB or 5% free), and its schema is not newer than this code.
Each refusal is one line saying what is wrong and what to do.

While running: SQLite errors that mean the storage itself failed (disk full, locked past the
busy timeout, read-only, I/O error) are told apart from bugs, so the RM hears the truth
("this note was not saved") and the admins hear about the storage once; and the database file
is watched, because a bot whose file was deleted or replaced goes on writing into a file nobody
will ever open again.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

#: A start refuses a disk with less free space than this (unless 5% of it is free).
MIN_FREE_BYTES = 50 * 1000 * 1000
MIN_FREE_SHARE = 0.05

#: Why a write failed, as StorageUnavailable.reason says.
FULL, LOCKED, READ_ONLY, IO, GONE = "full", "locked", "read_only", "io", "gone"
REASONS = (FULL, LOCKED, READ_ONLY, IO, GONE)

_REASON_OF_CODE = {
    "SQLITE_FULL": FULL,
    "SQLITE_BUSY": LOCKED,
    "SQLITE_LOCKED": LOCKED,
    "SQLITE_READONLY": READ_ONLY,
    "SQLITE_IOERR": IO,
    "SQLITE_CANTOPEN": IO,
    "SQLITE_CORRUPT": IO,
    "SQLITE_NOTADB": IO,
}
_SAYING = {
    FULL: "the disk is full",
    LOCKED: "the database is locked by another process",
    READ_ONLY: "the database is read-only",
    IO: "the disk or the database file failed",
    GONE: "the database file was deleted or replaced",
}


class StorageCheckError(Exception):
    """The database cannot be used as it is; the message says why in one line."""


class StorageUnavailable(sqlite3.OperationalError):
    """A write (or read) failed because of the storage, not the code: nothing of it was committed.

    `reason` is one of REASONS. The connection is usable again: the next write is tried afresh.
    """

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{_SAYING[reason]}" + (f" ({detail})" if detail else ""))
        self.reason = reason


def failure_reason(error: BaseException) -> str | None:
    """The storage failure an SQLite error stands for, or None when it is not one (a bug, a constraint)."""
    if isinstance(error, StorageUnavailable):
        return error.reason
    if not isinstance(error, sqlite3.Error):
        return None
    name = getattr(error, "sqlite_errorname", None) or ""
    for prefix, reason in _REASON_OF_CODE.items():
        if name == prefix or name.startswith(prefix + "_"):
            return reason
    text = str(error).lower()  # errors raised without a code (older Python, aiosqlite wrappers)
    for needle, reason in (("disk is full", FULL), ("database is locked", LOCKED), ("readonly", READ_ONLY),
                           ("read-only", READ_ONLY), ("disk i/o error", IO), ("unable to open", IO)):
        if needle in text:
            return reason
    return None


def saying(reason: str) -> str:
    return _SAYING[reason]


@dataclass(frozen=True)
class DiskSpace:
    free: int
    total: int

    @property
    def enough(self) -> bool:
        return self.free >= MIN_FREE_BYTES or (self.total > 0 and self.free >= MIN_FREE_SHARE * self.total)

    def describe(self) -> str:
        return f"{self.free / 1e6:.1f} MB free of {self.total / 1e6:.1f} MB"


def disk_space(path: str | Path) -> DiskSpace:
    """Free space (for an unprivileged user) on the file system holding PATH's folder."""
    info = os.statvfs(Path(path).parent)
    return DiskSpace(info.f_bavail * info.f_frsize, info.f_blocks * info.f_frsize)


def check_disk_space(path: str | Path) -> DiskSpace:
    space = disk_space(path)
    if not space.enough:
        raise StorageCheckError(f"{Path(path).parent}: only {space.describe()}; notes need at least "
                                f"{MIN_FREE_BYTES / 1e6:.0f} MB or {MIN_FREE_SHARE:.0%} free: free some space")
    return space


def check_schema_version(path: str | Path, found: int, latest: int) -> None:
    if found > latest:
        raise StorageCheckError(f"{path}: schema version {found} is newer than this code knows ({latest}); "
                                "upgrade the code, or restore a backup made by this version")


def check_writable(path: str | Path) -> None:
    """The file and its folder (where SQLite puts -wal and -shm) can be written."""
    path = Path(path)
    for target, what in ((path.parent, "its folder"), (path, "the database file")):
        if target.exists() and not os.access(target, os.W_OK):
            raise StorageCheckError(f"{path}: {what} is not writable: fix the permissions or the mount")


def describe_open_failure(path: str | Path, error: BaseException) -> StorageCheckError:
    """One line for an SQLite or OS error met while opening the database."""
    reason = failure_reason(error)
    if reason is None and isinstance(error, OSError):
        reason = READ_ONLY if error.errno == 30 else FULL if error.errno == 28 else IO  # EROFS, ENOSPC
    if reason is None:
        return StorageCheckError(f"{path}: cannot be opened: {error}")
    return StorageCheckError(f"{path}: {_SAYING[reason]} ({error}); the bot cannot store notes")


@dataclass(frozen=True)
class FileIdentity:
    """Which file the database is: a file deleted or put in its place has another identity."""

    device: int
    inode: int

    @classmethod
    def of(cls, path: str | Path) -> FileIdentity:
        info = os.stat(path)
        return cls(info.st_dev, info.st_ino)


def file_problem(path: str | Path, identity: FileIdentity | None) -> str | None:
    """'deleted' or 'replaced' when PATH is no longer the file the bot opened, else None."""
    if identity is None:
        return None
    try:
        now = FileIdentity.of(path)
    except FileNotFoundError:
        return "deleted"
    except OSError:
        return None  # cannot tell (a transient error): the write itself will say
    return None if now == identity else "replaced"

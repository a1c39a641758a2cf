"""The running bot holds an exclusive lock on `<database>.lock`, so operators can tell it is running.

`restore` refuses to replace a database under a running bot; a second bot on the same database
refuses to start. The lock is flock(2) on the file: the kernel drops it when the process exits,
however it exits (kill -9 too), so a stale lock file never blocks anything. The file is left in
place (deleting it would race with a process about to lock it) and holds the holder's pid.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from storage.private_files import open_private


class AlreadyRunning(Exception):
    """Another process holds the database's run lock."""


def lock_path(database_path: str | Path) -> Path:
    return Path(f"{database_path}.lock")


def _in_memory(database_path: str | Path) -> bool:
    return str(database_path) in (":memory:", "")


@contextmanager
def running_lock(database_path: str | Path) -> Iterator[Path | None]:
    """Hold the run lock of DATABASE_PATH for the block; AlreadyRunning if another holder has it.

    Yields the lock file's path (None for an in-memory database, which needs no lock).
    """
    if _in_memory(database_path):
        yield None
        return
    path = lock_path(database_path)
    fd = open_private(path, os.O_RDWR)  # 0600 in a 0700 folder, whatever the umask
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(fd)
            raise AlreadyRunning(f"{database_path} is in use by a running bot"
                                 + (f" (pid {holder})" if holder else "")) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield path
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def is_running(database_path: str | Path) -> bool:
    """True while some process (this one included) holds DATABASE_PATH's run lock."""
    if _in_memory(database_path):
        return False
    try:
        fd = os.open(lock_path(database_path), os.O_RDONLY)
    except FileNotFoundError:
        return False
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)


def _holder(fd: int) -> str:
    try:
        return os.pread(fd, 32, 0).decode(errors="replace").strip()
    except OSError:
        return ""

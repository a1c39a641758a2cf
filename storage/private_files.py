"""Client data is readable by its owner only: files 0600 in folders 0700, whatever the umask.

The umask can only take permission bits away, and a umask of 0 would leave a file 0644 or worse,
so every file and folder this package creates is set to its mode explicitly after creation.
SQLite gives a database's -wal and -shm files the database file's own mode, so creating the
database file 0600 before SQLite opens it covers its side files too.
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

log = logging.getLogger(__name__)

FILE_MODE = 0o600
FOLDER_MODE = 0o700


def private_folder(path: str | Path) -> Path:
    """Create PATH and every missing parent 0700; folders that exist already are left as they are."""
    path = Path(path)
    missing = []
    for folder in (path, *path.parents):
        if folder.exists():
            break
        missing.append(folder)
    for folder in reversed(missing):
        try:
            os.mkdir(folder, FOLDER_MODE)
        except FileExistsError:
            continue  # another process made it first
        os.chmod(folder, FOLDER_MODE)
    return path


def private_file(path: str | Path) -> Path:
    """Create PATH empty and 0600 (its folder 0700) unless it exists; an existing one is left alone."""
    path = Path(path)
    private_folder(path.parent)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        return path
    try:
        os.fchmod(fd, FILE_MODE)
    finally:
        os.close(fd)
    return path


def open_private(path: str | Path, flags: int) -> int:
    """os.open(PATH, FLAGS | O_CREAT) with the file 0600 whatever the umask; the descriptor."""
    private_folder(Path(path).parent)
    fd = os.open(path, flags | os.O_CREAT, FILE_MODE)
    try:
        if stat.S_IMODE(os.fstat(fd).st_mode) & 0o077 and os.fstat(fd).st_uid == os.geteuid():
            os.fchmod(fd, FILE_MODE)
    except OSError:
        os.close(fd)
        raise
    return fd


def tighten(*paths: str | Path) -> list[Path]:
    """Make existing files of ours readable by their owner only (made 0644 by an earlier version);
    the ones changed."""
    changed = []
    for path in map(Path, paths):
        try:
            info = path.stat()
        except FileNotFoundError:
            continue
        if stat.S_ISREG(info.st_mode) and stat.S_IMODE(info.st_mode) & 0o077 and info.st_uid == os.geteuid():
            try:
                os.chmod(path, FILE_MODE)
            except OSError as error:
                log.warning("could not make %s private: %s", path, error.strerror)
                continue
            changed.append(path)
    return changed

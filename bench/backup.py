"""Online backup of a large database while the bot keeps writing.

Builds a migrated database of about --mb megabytes (contacts with ~1 KB of note text) in a
temporary folder, then times storage.backup.backup_database while another connection inserts a
note every 10 ms, as a busy bot would. Prints the size, the seconds (copy + integrity_check),
MB/s, the integrity result, and how the writer fared (notes committed during the backup, its
slowest insert). Deletes everything afterwards.

    python bench/backup.py [--mb 1024] [--dir /var/tmp]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import shutil
import sqlite3
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from storage import Database  # noqa: E402
from storage.backup import backup_database  # noqa: E402

STAMP = "2026-11-25T17:30:00+08:00"
NOTE = ("拜访刘总,需要信用证和换汇,金额500万,下周二下午3点回访。" * 12)[:340]  # ~1 KB in UTF-8
BATCH = 5_000


def build(path: Path, megabytes: int) -> int:
    """A migrated WAL database of about MEGABYTES; returns the number of notes."""
    async def migrate() -> None:
        await (await Database.open(path)).close()
    asyncio.run(migrate())
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous = OFF")
    with conn:
        conn.execute("INSERT INTO rms (user_id, chat_id, created_at) VALUES (100, 100, ?)", (STAMP,))
    notes = 0
    while _size(conn) < megabytes * 2**20:
        with conn:
            conn.executemany("INSERT INTO contacts (rm_id, raw_text, channel, occurred_on, created_at) "
                             "VALUES (100, ?, 'visit', '2026-11-25', ?)",
                             ((f"{number} {NOTE}", STAMP) for number in range(notes, notes + BATCH)))
        notes += BATCH
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return notes


def _size(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA page_count").fetchone()[0] * conn.execute("PRAGMA page_size").fetchone()[0]


class Writer(threading.Thread):
    """The bot: one note every 10 ms from its own connection; records each insert's latency."""

    def __init__(self, path: Path) -> None:
        super().__init__(daemon=True)
        self.path = path
        self.stop = threading.Event()
        self.latencies: list[float] = []

    def run(self) -> None:
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA busy_timeout = 5000")
        conn.execute("PRAGMA synchronous = NORMAL")
        try:
            while not self.stop.is_set():
                started = time.perf_counter()
                conn.execute("INSERT INTO contacts (rm_id, raw_text, created_at) VALUES (100, 'live note', ?)", (STAMP,))
                self.latencies.append(time.perf_counter() - started)
                time.sleep(0.01)
        finally:
            conn.close()


def main() -> int:
    parser = argparse.ArgumentParser(description="time an online backup of a large database")
    parser.add_argument("--mb", type=int, default=1024, help="database size in MB (default 1024)")
    parser.add_argument("--dir", help="where to build it (default: the system temp folder)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    folder = Path(tempfile.mkdtemp(prefix="rm-backup-bench-", dir=args.dir))
    try:
        source = folder / "bot.sqlite3"
        started = time.perf_counter()
        notes = build(source, args.mb)
        size = source.stat().st_size
        print(f"built {size / 2**20:.0f} MB ({notes:,} notes) in {time.perf_counter() - started:.1f} s")

        writer = Writer(source)
        writer.start()
        time.sleep(0.2)
        before = len(writer.latencies)
        result = backup_database(source, folder / "backups/")
        during = writer.latencies[before:]
        writer.stop.set()
        writer.join()

        started = time.perf_counter()
        with sqlite3.connect(result.path) as conn:
            conn.execute("PRAGMA integrity_check").fetchall()
        check = time.perf_counter() - started
        with sqlite3.connect(result.path) as conn:
            copied = conn.execute("SELECT count(*) FROM contacts").fetchone()[0]
        print(f"backup of {size / 2**20:.0f} MB: {result.seconds:.1f} s ({size / 2**20 / result.seconds:.0f} MB/s; "
              f"integrity_check alone ≈ {check:.1f} s), integrity {result.integrity}, "
              f"copy {result.bytes / 2**20:.0f} MB with {copied:,} notes")
        print(f"writer during the backup: {len(during)} notes committed, slowest insert "
              f"{max(during, default=0) * 1000:.1f} ms")
        return 0 if result.integrity == "ok" else 1
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

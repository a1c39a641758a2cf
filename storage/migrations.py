"""Numbered schema migrations (migrations/NNNN_name.sql), applied in order at start.

The applied version is PRAGMA user_version, so a database knows its own schema.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import aiosqlite

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def load_migrations(directory: Path = MIGRATIONS_DIR) -> list[Migration]:
    """All migrations, by version; versions must run 1, 2, 3… with no gap."""
    found = []
    for path in sorted(directory.glob("*.sql")):
        match = _NAME.match(path.name)
        if not match:
            raise ValueError(f"migration file name must be NNNN_name.sql: {path.name}")
        found.append(Migration(int(match.group(1)), match.group(2), path.read_text(encoding="utf-8")))
    for expected, migration in enumerate(found, start=1):
        if migration.version != expected:
            raise ValueError(f"migration {expected:04d} is missing (found {migration.version:04d})")
    return found


def latest_version(directory: Path = MIGRATIONS_DIR) -> int:
    """The schema version this code migrates to; a database above it was made by newer code."""
    return len(load_migrations(directory))


async def schema_version(conn: aiosqlite.Connection) -> int:
    async with conn.execute("PRAGMA user_version") as cursor:
        row = await cursor.fetchone()
    return int(row[0])


async def migrate(conn: aiosqlite.Connection, migrations: list[Migration] | None = None) -> int:
    """Apply every pending migration, each in its own transaction; return the new version."""
    current = await schema_version(conn)
    for migration in migrations if migrations is not None else load_migrations():
        if migration.version <= current:
            continue
        # executescript commits first; the whole migration and its version bump are one transaction
        await conn.executescript(
            f"BEGIN IMMEDIATE;\n{migration.sql}\nPRAGMA user_version = {migration.version};\nCOMMIT;"
        )
        current = migration.version
    return current

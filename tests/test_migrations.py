"""Migrations: a database left by every earlier schema version upgrades to the current one, data intact.

tests/data/schemas/vN.db is a database as schema version N left it (built by make_fixtures.py
there). The current version is whatever storage/migrations/ holds, never a constant here.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

from storage import Database, Repository
from storage.migrations import MIGRATIONS_DIR, load_migrations

SCHEMAS = Path(__file__).parent / "data" / "schemas"
LATEST = len(load_migrations())
FIXTURES = {int(match.group(1)): path for path in SCHEMAS.glob("v*.db")
            if (match := re.fullmatch(r"v(\d+)\.db", path.name))}
#: Tables or columns a later migration removed on purpose: {table: {column, …}} ("*": the table).
DROPPED: dict[str, set[str]] = {}


def _snapshot(path: Path) -> dict[str, tuple[list[str], list[tuple]]]:
    """{table: (columns, rows)} of every user table."""
    conn = sqlite3.connect(path)
    try:
        tables = [row[0] for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        snapshot = {}
        for table in tables:
            cursor = conn.execute(f'SELECT * FROM "{table}"')
            snapshot[table] = ([column[0] for column in cursor.description], cursor.fetchall())
        return snapshot
    finally:
        conn.close()


def _version(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute("PRAGMA user_version").fetchone()[0]


def test_migration_files_are_numbered_from_1_without_gaps_and_unique():
    files = sorted(path.name for path in MIGRATIONS_DIR.iterdir() if path.name != "__pycache__")
    assert files, "no migrations"
    assert all(re.fullmatch(r"\d{4}_[a-z0-9_]+\.sql", name) for name in files), files
    numbers = [int(name[:4]) for name in files]
    assert len(set(numbers)) == len(numbers), f"two migrations share a number: {files}"
    assert numbers == list(range(1, len(numbers) + 1)), f"numbers must run 1, 2, 3…: {files}"
    assert [migration.version for migration in load_migrations()] == numbers


async def test_a_blank_database_migrates_to_the_latest_version_cleanly(tmp_path: Path):
    db = await Database.open(tmp_path / "blank.sqlite3")
    try:
        assert (await db.fetch_one("PRAGMA user_version"))[0] == LATEST
        assert (await db.fetch_one("PRAGMA integrity_check"))[0] == "ok"
        assert await db.fetch_all("PRAGMA foreign_key_check") == []
    finally:
        await db.close()


def test_every_earlier_schema_version_has_a_fixture():
    missing = sorted(set(range(1, LATEST)) - set(FIXTURES))
    assert not missing, (f"no fixture for schema version(s) {missing}: run "
                         "python tests/data/schemas/make_fixtures.py and commit the new vN.db")
    assert all(_version(path) == version for version, path in FIXTURES.items())


@pytest.mark.parametrize("version", sorted(FIXTURES), ids=lambda version: f"v{version}")
async def test_a_fixture_upgrades_to_the_current_version_with_every_row_intact(tmp_path: Path, version: int):
    path = tmp_path / "old.sqlite3"
    shutil.copyfile(FIXTURES[version], path)
    before = _snapshot(path)
    assert before["contacts"][1], "the fixture has rows"

    repo = await Repository.open(path)
    try:
        db = repo.db
        assert (await db.fetch_one("PRAGMA user_version"))[0] == LATEST
        assert (await db.fetch_one("PRAGMA integrity_check"))[0] == "ok"
        assert await db.fetch_all("PRAGMA foreign_key_check") == []
        await _readable_through_the_repository(repo, version)
        assert await repo.deliveries.claim(100, "digest", "2099-01-01", datetime.now(UTC))  # writable
    finally:
        await repo.close()

    after = _snapshot(path)
    for table, (columns, rows) in before.items():
        if "*" in DROPPED.get(table, set()):
            continue
        assert table in after, f"table {table} of schema v{version} is gone"
        new_columns, new_rows = after[table]
        kept = [column for column in columns if column not in DROPPED.get(table, set())]
        assert set(kept) <= set(new_columns), f"{table} lost columns {set(kept) - set(new_columns)}"
        old_at = [columns.index(column) for column in kept]
        new_at = [new_columns.index(column) for column in kept]
        still = {tuple(row[i] for i in new_at) for row in new_rows}
        lost = [row for row in rows if tuple(row[i] for i in old_at) not in still
                and not _moved_on_purpose(table, dict(zip(columns, row, strict=True)), after)]
        assert not lost, f"{table}: rows changed or lost by the upgrade from v{version}: {lost}"


def _moved_on_purpose(table: str, row: dict, after: dict[str, tuple[list[str], list[tuple]]]) -> bool:
    """A row a later migration moved to another table on purpose, found where it went: a cover fact
    that migration 0010 made an insurance holding named "cover #<fact id>"."""
    if table != "client_facts" or row["kind"] != "cover":
        return False
    columns, rows = after["holdings"]
    return any(dict(zip(columns, moved, strict=True))["name"] == f"cover #{row['id']}" for moved in rows)


async def _readable_through_the_repository(repo: Repository, version: int) -> None:
    liu_rm, amy = await repo.rms.get(100), await repo.rms.get(200)
    assert (liu_rm.display_name, liu_rm.language, liu_rm.timezone, liu_rm.digest_time) == \
        ("刘经理", "zh", "Asia/Shanghai", "08:30")
    assert (amy.language, amy.timezone, amy.working_days_only, amy.send_empty_digest, amy.cadence_a) == \
        ("en", "Europe/London", False, False, 14)

    clients = {client.name: client for client in await repo.clients.list(100)}
    assert set(clients) == {"刘总", "王姐"} | ({"赵总"} if version >= 7 else set())  # v7 added an imported client
    liu, wang = clients["刘总"], clients["王姐"]
    assert set(liu.aliases) == {"老刘", "liu zong"} and liu.tier == "A" and liu.phone == "13800000000"
    assert liu.birthday == date(1975, 11, 26) and liu.company == "华东贸易有限公司" and liu.notes == "喜欢喝茶"
    assert (wang.tier, wang.cadence_days, wang.lunar_birthday, wang.last_contact_on) == \
        ("B", 45, "10-18", date(2026, 10, 1))
    assert [(client.name, client.aliases) for client in await repo.clients.list(200)] == [("Mr Ye", ("Ye",))]

    recent = await repo.contacts.recent(100, limit=10)
    assert [contact.id for contact in recent] == [3, 2, 1]
    visit = recent[-1]
    assert visit.raw_text.startswith("拜访刘总") and visit.client_id == liu.id and visit.channel == "visit"
    assert set(visit.needs) == {"LC", "FX"} and visit.amount == 5_000_000
    assert (visit.occurred_on, visit.follow_up_on, visit.follow_up_time) == (date(2026, 11, 25), date(2026, 12, 1),
                                                                            time(15, 0))
    planned = recent[0]
    assert planned.client_id is None and planned.client_name == "张三" and planned.occurred_on is None
    (ye_note,) = await repo.contacts.recent(200)
    assert ye_note.needs == ("LOAN",) and ye_note.created_client and ye_note.amount == 2_000_000

    assert [(f.id, f.due_on) for f in await repo.follow_ups.open(100)] == [(3, date(2026, 11, 26)),
                                                                            (1, date(2026, 12, 1))]
    assert (await repo.follow_ups.get(100, 2)).status == "done"
    (ye_follow_up,) = await repo.follow_ups.open(200)
    assert ye_follow_up.snoozed_until == date(2026, 11, 28) and ye_follow_up.due_time is None

    if version >= 2:
        gaps = dict(await repo.faq_log.gaps())
        assert gaps == {"理财能提前赎回吗?": 1, "can i get a loan without collateral?": 1}
    if version >= 3:
        holdings = {holding.id: holding for holding in await repo.holdings.list(100) if holding.cover is None}
        assert set(holdings) == {1, 2}
        assert (holdings[1].product, holdings[1].name, holdings[1].amount, holdings[1].maturity_date,
                holdings[1].handled) == ("DEPOSIT", "3y CD", 1_000_000, date(2026, 12, 2), False)
        assert holdings[2].handled and holdings[2].client_id == wang.id
        assert [holding.product for holding in await repo.holdings.list(200)] == ["LOAN"]
        assert await repo.snoozes.all(100) == {("contact", 2): date(2026, 11, 30),
                                               ("maturity", 1): date(2026, 12, 1)} | (
            {("family", 1): date(2026, 12, 2)} if version >= 9 else {})  # v9 added family snoozes
        assert await repo.deliveries.status(100, "digest", "2026-11-25") == "sent"
        assert await repo.deliveries.status(100, "follow_up", "1") == "failed"
        assert await repo.deliveries.status(200, "digest", "2026-11-24") == "pending"
    if version >= 4:
        assert await repo.deliveries.status(900, "team", "2026-11-25") == "sent"
        assert {(entry["actor_id"], entry["action"]) for entry in await repo.audit.recent()} >= \
            {(0, "import"), (100, "export")}


async def test_a_database_with_a_schema_is_backed_up_before_it_is_migrated(tmp_path: Path):
    oldest = min(FIXTURES)
    path = tmp_path / "old.sqlite3"
    shutil.copyfile(FIXTURES[oldest], path)
    before = _snapshot(path)
    repo = await Repository.open(path, backup_dir=tmp_path / "backups")
    await repo.close()
    (backup,) = (tmp_path / "backups").iterdir()
    assert re.fullmatch(rf"rm-assistant-before-v{LATEST}-from-v{oldest}-\d{{8}}-\d{{6}}\.sqlite3", backup.name)
    assert _version(backup) == oldest and _snapshot(backup) == before  # the database as it was
    assert _version(path) == LATEST

    repo = await Repository.open(path, backup_dir=tmp_path / "backups")  # nothing to migrate: no backup
    await repo.close()
    assert len(list((tmp_path / "backups").iterdir())) == 1


async def test_a_new_database_is_not_backed_up_and_the_default_folder_is_beside_it(tmp_path: Path):
    repo = await Repository.open(tmp_path / "new.sqlite3")
    await repo.close()
    assert not (tmp_path / "backups").exists()

    path = tmp_path / "old.sqlite3"
    shutil.copyfile(FIXTURES[max(FIXTURES)], path)
    repo = await Repository.open(path)
    await repo.close()
    assert [p.name.startswith("rm-assistant-before-") for p in (tmp_path / "backups").iterdir()] == [True]


async def test_a_failed_backup_leaves_the_database_unmigrated_and_says_so_in_one_line(tmp_path: Path):
    from storage.checks import StorageCheckError

    oldest = min(FIXTURES)
    path = tmp_path / "old.sqlite3"
    shutil.copyfile(FIXTURES[oldest], path)
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the backup folder should be")
    with pytest.raises(StorageCheckError) as refused:
        await Repository.open(path, backup_dir=blocked)
    assert "\n" not in str(refused.value) and f"not migrated to v{LATEST}" in str(refused.value)
    assert _version(path) == oldest


async def test_cover_facts_read_unambiguously_become_insurance_holdings_and_the_rest_stay_facts(tmp_path: Path):
    """Migration 0010 from v9: cover noted as profile facts moves into insurance holdings when it can be
    read without a guess; an unreadable sum, an unknown relation, two facts about the same person's
    cover of one kind (the same policy twice, or two?) stay facts."""
    path = tmp_path / "v9.sqlite3"
    shutil.copyfile(FIXTURES[9], path)
    repo = await Repository.open(path)
    try:
        covers = {h.name: h for h in await repo.holdings.list(100) if h.cover is not None}
        assert set(covers) == {"cover #10", "cover #11"}
        daughter, own = covers["cover #10"], covers["cover #11"]
        assert (daughter.product, daughter.client_id, daughter.contact_id, daughter.currency) == \
            ("INSURANCE", 1, 1, "CNY"), "a note's cover keeps its note (Undo) and money without a currency is CNY"
        assert daughter.cover is not None and (daughter.cover.insured, daughter.cover.insured_name, daughter.cover.kind,
                                               daughter.cover.sum_insured, daughter.cover.premium,
                                               daughter.cover.premium_period, daughter.cover.term_years) == \
            ("daughter", "小雨", "critical_illness", 500_000, 10_000, "year", 20)
        assert own.cover is not None and (own.cover.insured, own.cover.kind, own.cover.sum_insured, own.currency,
                                          own.contact_id) == ("self", "life", 1_000_000.5, "HKD", None)
        raw = await repo.db.fetch_one("SELECT sum_insured_cents FROM holdings WHERE name = 'cover #11'")
        assert raw[0] == 100_000_050, "money is stored as exact integer cents"
        left = {f.id for facts in (await repo.client_facts.by_client(100)).values() for f in facts if f.kind == "cover"}
        assert left == {12, 13}, "an unreadable sum and an unknown relation stay facts"
        assert [h for h in await repo.holdings.list(200) if h.cover is not None] == []
        assert {f.id for f in await repo.client_facts.for_client(200, 3) if f.kind == "cover"} == {14, 15}, \
            "two facts about one person's accident cover: which is which is not guessed"
        assert await repo.contacts.delete(100, 1) is not None
        assert "cover #10" not in {h.name for h in await repo.holdings.list(100)}, "Undo of its note removes it"
    finally:
        await repo.close()

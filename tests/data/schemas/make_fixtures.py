"""Build vN.db here: a database exactly as schema version N left it, with representative rows.

    python tests/data/schemas/make_fixtures.py          # each earlier version (1 … latest-1) not yet here
    python tests/data/schemas/make_fixtures.py 2 --force

A fixture is migrations 0001…N applied to a blank database the way storage.migrations.migrate
applies them (one transaction each, then PRAGMA user_version = N), then the rows of ROWS for every
version up to N. tests/test_migrations.py opens each fixture with the current code and checks it
upgrades with every row intact.

Fixtures are history: generate one when a new migration makes its version "earlier", commit it
and never regenerate it (--force is for a fixture that was wrong). A migration that adds tables
adds their rows to ROWS under its version, so the next fixture carries them. The files are .db,
not .sqlite3, which .gitignore leaves out.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path.insert(0, str(ROOT))

from storage.migrations import load_migrations  # noqa: E402

T0 = "2026-01-05T09:00:00+08:00"
T1 = "2026-11-25T17:30:00+08:00"

#: version → [(table, {column: value})]: the rows a database of that version holds, in insert order.
ROWS: dict[int, list[tuple[str, dict]]] = {
    1: [
        ("rms", dict(user_id=100, chat_id=100, display_name="刘经理", language="zh", timezone="Asia/Shanghai",
                     digest_time="08:30", created_at=T0)),
        ("rms", dict(user_id=200, chat_id=2000, display_name="Amy", language="en", timezone="Europe/London",
                     digest_time="07:45", working_days_only=0, send_empty_digest=0, cadence_a=14, created_at=T0)),
        ("clients", dict(id=1, rm_id=100, name="刘总", tier="A", phone="13800000000", company="华东贸易有限公司",
                         birthday="1975-11-26", notes="喜欢喝茶", created_at=T0)),
        ("clients", dict(id=2, rm_id=100, name="王姐", tier="B", cadence_days=45, lunar_birthday="10-18",
                         last_contact_on="2026-10-01", created_at=T0)),
        ("clients", dict(id=3, rm_id=200, name="Mr Ye", company="Ye Trading Ltd", created_at=T0)),
        ("client_aliases", dict(client_id=1, alias="老刘")),
        ("client_aliases", dict(client_id=1, alias="liu zong")),
        ("client_aliases", dict(client_id=3, alias="Ye")),
        ("contacts", dict(id=1, rm_id=100, client_id=1, raw_text="拜访刘总,需要信用证和换汇,500万,下周二下午3点回访",
                          client_name="刘总", channel="visit", occurred_on="2026-11-25", amount=5_000_000.0,
                          created_client=0, message_id=11, created_at=T1)),
        ("contacts", dict(id=2, rm_id=100, client_id=2, raw_text="给王姐打电话,理财快到期了", client_name="王姐",
                          channel="call", occurred_on="2026-11-20", message_id=12, created_at=T1)),
        ("contacts", dict(id=3, rm_id=100, client_id=None, raw_text="明天拜访张三", client_name="张三",
                          channel="visit", occurred_on=None, message_id=13, created_at=T1)),
        ("contacts", dict(id=4, rm_id=200, client_id=3, raw_text="called Ye, needs a 2m loan, follow up Friday",
                          client_name="Ye", channel="call", occurred_on="2026-11-24", amount=2_000_000.0,
                          created_client=1, message_id=21, created_at=T1)),
        ("contact_needs", dict(contact_id=1, product="LC")),
        ("contact_needs", dict(contact_id=1, product="FX")),
        ("contact_needs", dict(contact_id=2, product="WEALTH")),
        ("contact_needs", dict(contact_id=4, product="LOAN")),
        ("follow_ups", dict(id=1, rm_id=100, client_id=1, contact_id=1, due_on="2026-12-01", due_time="15:00",
                            created_at=T1)),
        ("follow_ups", dict(id=2, rm_id=100, client_id=2, contact_id=2, due_on="2026-11-22", status="done",
                            done_at="2026-11-22T10:00:00+08:00", created_at=T1)),
        ("follow_ups", dict(id=3, rm_id=100, client_id=None, contact_id=3, due_on="2026-11-26", created_at=T1)),
        ("follow_ups", dict(id=4, rm_id=200, client_id=3, contact_id=4, due_on="2026-11-27",
                            snoozed_until="2026-11-28", created_at=T1)),
    ],
    2: [
        ("faq_questions", dict(id=1, rm_id=100, question="信用证怎么开?", answer_id="lc_apply", created_at=T1)),
        ("faq_questions", dict(id=2, rm_id=100, question="理财能提前赎回吗?", answer_id=None, created_at=T1)),
        ("faq_questions", dict(id=3, rm_id=200, question="Can I get a loan without collateral?", answer_id=None,
                               created_at=T1)),
    ],
    3: [
        ("holdings", dict(id=1, rm_id=100, client_id=1, product="DEPOSIT", name="3y CD", amount=1_000_000.0,
                          start_date="2023-12-02", maturity_date="2026-12-02", created_at=T0, updated_at=T0)),
        ("holdings", dict(id=2, rm_id=100, client_id=2, product="WEALTH", name="", amount=300_000.0,
                          maturity_date="2026-11-30", handled_on="2026-11-20", created_at=T0, updated_at=T1)),
        ("holdings", dict(id=3, rm_id=200, client_id=3, product="LOAN", name="working capital",
                          amount=2_000_000.0, start_date="2026-01-01", maturity_date="2027-01-01",
                          created_at=T0, updated_at=T0)),
        ("reminder_snoozes", dict(rm_id=100, kind="contact", item_id=2, until="2026-11-30")),
        ("reminder_snoozes", dict(rm_id=100, kind="maturity", item_id=1, until="2026-12-01")),
        ("reminder_snoozes", dict(rm_id=200, kind="birthday", item_id=3, until="2026-12-05")),
        ("deliveries", dict(id=1, rm_id=100, kind="digest", item_key="2026-11-25", status="sent", attempts=1,
                            message_id=501, created_at=T1, sent_at=T1)),
        ("deliveries", dict(id=2, rm_id=100, kind="follow_up", item_key="1", status="failed", attempts=6,
                            error="Forbidden: bot was blocked by the user", created_at=T1)),
        ("deliveries", dict(id=3, rm_id=200, kind="digest", item_key="2026-11-24", status="pending", attempts=1,
                            created_at=T1)),
    ],
    4: [
        ("deliveries", dict(id=4, rm_id=900, kind="team", item_key="2026-11-25", status="sent", attempts=1,
                            message_id=777, created_at=T1, sent_at=T1)),
        ("audit_log", dict(id=1, actor_id=0, action="import", subject="clients for 100", created_at=T0)),
        ("audit_log", dict(id=2, actor_id=100, action="export", subject=None, created_at=T1)),
    ],
    5: [
        ("update_log", dict(user_id=100, update_id=900001, state="done", at=T1)),
        ("update_log", dict(user_id=100, update_id=900002, state="applied", at=T1)),
        ("access_config", dict(id=1, snapshot='{"admins": [900], "allowed": [100, 200], "supervisors": {}}',
                               recorded_at=T1)),
    ],
    7: [
        ("clients", dict(id=4, rm_id=100, name="赵总", tier="B", last_contact_on="2026-05-10", created_at=T1,
                         imported_at=T1)),
    ],
    8: [
        ("client_facts", dict(id=1, rm_id=100, client_id=1, contact_id=1, kind="family",
                              value='{"relation": "daughter", "name": "小雨", "birthday": {"month": 6, "day": 1, '
                                    '"year": 2010, "lunar": false}, "age": null, "occupation": "在读高二"}',
                              noted_on="2026-11-25", created_at=T1)),
        ("client_facts", dict(id=2, rm_id=100, client_id=2, contact_id=None, kind="risk", value="C2",
                              noted_on="2026-03-01", created_at=T1)),
        ("client_facts", dict(id=3, rm_id=200, client_id=3, contact_id=4, kind="hobby", value="golf",
                              noted_on="2026-11-24", created_at=T1)),
        ("reviews", dict(id=1, rm_id=100, client_id=1, reviewed_on="2026-10-25", created_at=T0)),
        ("reviews", dict(id=2, rm_id=100, client_id=1, reviewed_on="2026-11-25", created_at=T1)),
        ("review_items", dict(review_id=1, source="here", product="DEPOSIT", name="3y CD", amount=1_000_000.0,
                              currency="CNY", risk=1)),
        ("review_items", dict(review_id=2, source="here", product="DEPOSIT", name="3y CD", amount=1_000_000.0,
                              currency="CNY", risk=1)),
        ("review_items", dict(review_id=2, source="other_bank", product="WEALTH", bank="招商银行",
                              amount=3_000_000.0, currency="CNY", risk=2)),
    ],
    9: [
        ("reminder_snoozes", dict(rm_id=100, kind="family", item_id=1, until="2026-12-02")),
        # insurance cover as profile facts (before 0010 made it holdings): readable ones move, the rest stay
        ("client_facts", dict(id=10, rm_id=100, client_id=1, contact_id=1, kind="cover",
                              value='{"insured": "daughter", "name": "小雨", "kind": "critical_illness", '
                                    '"sum": 500000.0, "premium": 10000.0, "term": 20, "currency": null}',
                              noted_on="2026-11-25", created_at=T1)),
        ("client_facts", dict(id=11, rm_id=100, client_id=1, contact_id=None, kind="cover",
                              value='{"insured": "self", "name": null, "kind": "life", "sum": 1000000.5, '
                                    '"premium": null, "term": null, "currency": "HKD"}',
                              noted_on="2026-11-25", created_at=T1)),
        ("client_facts", dict(id=12, rm_id=100, client_id=2, contact_id=2, kind="cover",
                              value='{"insured": "self", "name": null, "kind": "medical", "sum": "a lot", '
                                    '"premium": null, "term": null, "currency": null}',
                              noted_on="2026-11-20", created_at=T1)),
        ("client_facts", dict(id=13, rm_id=100, client_id=2, contact_id=None, kind="cover",
                              value='{"insured": "cousin", "name": null, "kind": "accident", "sum": null, '
                                    '"premium": null, "term": null, "currency": null}',
                              noted_on="2026-11-20", created_at=T1)),
        ("client_facts", dict(id=14, rm_id=200, client_id=3, contact_id=4, kind="cover",
                              value='{"insured": "self", "name": null, "kind": "accident", "sum": 100000.0, '
                                    '"premium": 500.0, "term": null, "currency": "USD"}',
                              noted_on="2026-11-24", created_at=T1)),
        ("client_facts", dict(id=15, rm_id=200, client_id=3, contact_id=None, kind="cover",
                              value='{"insured": "self", "name": null, "kind": "accident", "sum": 200000.0, '
                                    '"premium": null, "term": null, "currency": "USD"}',
                              noted_on="2026-11-25", created_at=T1)),
    ],
    11: [
        ("review_prompts", dict(rm_id=100, client_id=1, review_id=2, asked_at=T1,
                                expires_at="2026-11-26T17:30:00+08:00", answers=1)),
    ],
    12: [
        ("awaited_values", dict(rm_id=100, kind="note_edit", target_id=1, field="amount",
                                expires_at="2026-11-25T10:00:00+00:00")),
    ],
}


def fixture_path(version: int) -> Path:
    return HERE / f"v{version}.db"


def build(version: int, path: Path) -> None:
    """Write the fixture of schema VERSION to PATH (replacing it)."""
    migrations = load_migrations()
    if not 1 <= version <= len(migrations):
        raise SystemExit(f"no schema version {version} (migrations run 1 … {len(migrations)})")
    if version not in ROWS:
        print(f"warning: ROWS has no rows for version {version}'s tables yet", file=sys.stderr)
    path.unlink(missing_ok=True)
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        for migration in migrations[:version]:  # as storage.migrations.migrate applies them
            conn.executescript(f"BEGIN IMMEDIATE;\n{migration.sql}\nPRAGMA user_version = {migration.version};\n"
                               "COMMIT;")
        conn.execute("BEGIN")
        for rows_version in sorted(ROWS):
            if rows_version > version:
                break
            for table, row in ROWS[rows_version]:
                columns = ", ".join(row)
                conn.execute(f"INSERT INTO {table} ({columns}) VALUES ({', '.join('?' * len(row))})",
                             tuple(row.values()))
        conn.execute("COMMIT")
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert not conn.execute("PRAGMA foreign_key_check").fetchall()
        conn.execute("VACUUM")
    finally:
        conn.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("versions", nargs="*", type=int, help="schema versions (default: every earlier one)")
    parser.add_argument("--force", action="store_true", help="replace fixtures that exist")
    args = parser.parse_args()
    latest = len(load_migrations())
    for version in args.versions or range(1, latest):
        path = fixture_path(version)
        if path.exists() and not args.force:
            print(f"{path.name}: exists (kept)")
            continue
        build(version, path)
        print(f"{path.name}: schema version {version}, {path.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())

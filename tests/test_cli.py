"""The command line: parse (the checked interface), --config anywhere, the console."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

from bot.config import AccessSettings, Settings, StorageSettings
from bot.console import run_console
from storage import Repository

ROOT = Path(__file__).resolve().parents[1]
KEYS = ["client", "channel", "occurred_on", "needs", "amount", "currency", "amount_max", "follow_up_on", "follow_up_time"]


def bot(*args: str, stdin: str = "", cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot", *args], input=stdin, capture_output=True,
                          text=True, cwd=cwd, timeout=60)


def test_parse_batch_writes_one_object_per_line_with_exactly_the_keys():
    result = bot("parse", "--now", "2026-11-25T17:30:00+08:00", "--batch",
                 stdin="拜访刘总,需要信用证,下周二下午3点回访\ncall Ye on Friday\n\n")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 3 and all(list(line) == KEYS for line in lines)
    assert lines[0] == {"client": "刘总", "channel": "visit", "occurred_on": "2026-11-25", "needs": ["LC"],
                        "amount": None, "currency": None, "amount_max": None, "follow_up_on": "2026-12-01",
                        "follow_up_time": "15:00"}
    assert lines[1]["occurred_on"] is None and lines[1]["follow_up_on"] == "2026-11-27"


def test_parse_with_a_client_list_adds_client_match(tmp_path):
    """--clients FILE: one client per line, aliases after tabs; matched with the bot's own code."""
    listed = tmp_path / "clients.txt"
    listed.write_text("刘总\t老刘\n刘芳\n王经理\nGolden River Foods\tGRF\n", encoding="utf-8")
    notes = "拜访刘总\n电话老刘\n微信刘女士\n拜访孙总\n今天天气不错\nemailed GRF re LC\n拜访刘芳和王经理\n"
    result = bot("parse", "--now", "2026-11-25T17:30:00+08:00", "--batch", "--clients", str(listed), stdin=notes)
    assert result.returncode == 0, result.stderr
    got = [json.loads(line) for line in result.stdout.splitlines()]
    assert all(list(line)[:len(KEYS)] == KEYS and "client_match" in line for line in got)
    assert [line["client_match"]["kind"] for line in got] == ["exact", "alias", "ask", "new", "none", "alias", "exact"]
    assert got[2]["client_match"]["candidates"] == ["刘总", "刘芳"]
    assert got[6]["client_match"]["candidates"] == ["刘芳", "王经理"]


def test_parse_with_a_missing_client_list_says_so(tmp_path):
    result = bot("parse", "--clients", str(tmp_path / "nope.txt"), "visited Liu")
    assert result.returncode == 2 and "--clients" in result.stderr


def test_parse_currency_default_and_range():
    result = bot("parse", "--now", "2026-11-25T17:30:00+08:00", "--currency", "hkd", "--batch",
                 stdin="拜访刘总,贷款200-300万\nvisited Liu, USD 500k deposit\n")
    assert result.returncode == 0, result.stderr
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert (first["amount"], first["amount_max"], first["currency"]) == (2000000, 3000000, "HKD")
    assert (second["amount"], second["amount_max"], second["currency"]) == (500000, None, "USD")
    refused = bot("parse", "--currency", "dollars", "x")
    assert refused.returncode == 2 and "ISO 4217" in refused.stderr
    rmb = bot("parse", "--currency", "RMB", "x")     # not a code: 100万 RMB beside 100万 CNY would split the yuan
    assert rmb.returncode == 2 and "write CNY" in rmb.stderr


def test_a_database_folder_that_cannot_be_made_is_one_line_naming_the_path(tmp_path):
    """The README promises one line, not a traceback, for a database the bot cannot create."""
    for database in ("/proc/rmbot-nope/x.db", "/dev/null/x.db"):
        config = tmp_path / "c.toml"
        config.write_text(f'[storage]\ndatabase = "{database}"\n')
        for command in (("digest", "--user", "1"), ("console",)):
            result = bot("--config", str(config), *command)
            assert result.returncode == 1, (database, command, result.stderr)
            assert "Traceback" not in result.stderr and result.stderr.strip().count("\n") == 0, result.stderr
            assert database in result.stderr and result.stderr.startswith("storage error:")


def test_parse_single_note_with_timezone_and_config_anywhere(tmp_path):
    result = bot("parse", "visited", "Liu", "--now", "2026-11-24T23:30:00+00:00", "--tz", "America/New_York",
                 "--config", str(tmp_path / "ignored.toml"))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["occurred_on"] == "2026-11-24"


def test_bad_config_is_one_line_and_exit_2(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('[storage]\ndatbase = "x"\n')
    result = bot("--config", str(path), "console")
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "[storage] datbase" in result.stderr


def test_run_without_token_starts_the_console(tmp_path):
    result = bot("run", "--config", str(_config(tmp_path)), stdin="visited Liu, needs LC\n/note\n")
    assert result.returncode == 0, result.stderr
    assert "offline console" in result.stderr
    assert "Saved: Liu" in result.stdout and "[1] ↩️ Undo" in result.stdout


def _config(tmp_path: Path) -> Path:
    path = tmp_path / "c.toml"
    path.write_text(f'[storage]\ndatabase = "{tmp_path / "db.sqlite3"}"\n[defaults]\nlanguage = "en"\n')
    return path


async def test_console_numbers_press_buttons(tmp_path):
    settings = Settings(storage=StorageSettings(database=str(tmp_path / "c.sqlite3")),
                        access=AccessSettings())
    settings.console.language = "en"
    out = io.StringIO()
    await run_console(settings, io.StringIO("visited Liu, needs LC\n1\n/note\n"), out)
    text = out.getvalue()
    assert "Saved: Liu" in text and "[1] ↩️ Undo  [2] ✏️ Edit" in text
    assert "Removed" in text and "No notes yet" in text


async def test_console_number_is_a_value_while_the_bot_waits_and_buttons_are_numbered_uniquely(tmp_path):
    settings = Settings(storage=StorageSettings(database=str(tmp_path / "c.sqlite3")), access=AccessSettings())
    settings.console.language = "en"
    out = io.StringIO()
    lines = ["visited Liu, needs LC", "2", "5", "3",           # Edit → Amount → 3 is the amount, not button 3
             "called Liu, follow up today", "called Wang, follow up today", "/due", "6"]  # 6: Wang's +1 day
    await run_console(settings, io.StringIO("\n".join(lines) + "\n"), out)
    text = out.getvalue()
    assert "Amount: ¥3" in text, text
    assert "[5] ✓ 2 Wang  [6] +1 day" in text, text
    assert "(⏰ Wang: hidden until" in text, text
    assert "user id is 1" in text and "/settings" in text


async def test_a_second_console_session_stores_its_notes_beside_the_first(tmp_path):
    """Telegram's message and update ids grow across restarts; the console's must too, or a
    new session's first note is taken for one already stored (and lost)."""
    settings = Settings(storage=StorageSettings(database=str(tmp_path / "c.sqlite3")), access=AccessSettings())
    settings.console.language = "en"
    for note in ("visited Liu, needs LC", "called Wang about a loan"):
        out = io.StringIO()
        await run_console(settings, io.StringIO(note + "\n"), out)
        assert "Saved: " + note.split()[1].rstrip(",") in out.getvalue()
    repo = await Repository.open(settings.storage.database)
    try:
        assert [c.raw_text for c in await repo.contacts.all(settings.console.user_id)] == [
            "visited Liu, needs LC", "called Wang about a loan"]
    finally:
        await repo.close()


async def test_a_console_whose_clock_stepped_back_still_stores_every_note(tmp_path, monkeypatch):
    monkeypatch.setattr("bot.console.increasing_id", lambda: 5)  # both sessions start at the same id
    settings = Settings(storage=StorageSettings(database=str(tmp_path / "c.sqlite3")), access=AccessSettings())
    for note in ("visited Liu", "called Wang"):
        await run_console(settings, io.StringIO(note + "\n"), io.StringIO())
    repo = await Repository.open(settings.storage.database)
    try:
        assert len(await repo.contacts.all(settings.console.user_id)) == 2
    finally:
        await repo.close()


def test_import_then_digest_json_prints_the_documented_object(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text(f'[storage]\ndatabase = "{tmp_path / "db.sqlite3"}"\n', encoding="utf-8")
    clients = tmp_path / "clients.csv"
    clients.write_text("客户名称,等级,生日,农历生日,最近联系\n刘总,A,1975-11-26,,2026-10-01\n王姐,B,,10-18,2026-11-20\n"
                       "坏行,Z,,,\n", encoding="utf-8")
    holdings = tmp_path / "holdings.csv"
    holdings.write_text("client,product,name,amount,maturity_date\n刘总,deposit,3y CD,1000000,2026-12-02\n",
                        encoding="utf-8")
    loaded = bot("import", "clients", "--user", "555", str(clients), "--config", str(config))
    assert loaded.returncode == 0, loaded.stderr
    report = json.loads(loaded.stdout)
    assert (report["added"], report["updated"], [e["line"] for e in report["errors"]]) == (2, 0, [4])
    assert bot("import", "holdings", "--user", "555", str(holdings), "--config", str(config)).returncode == 0
    result = bot("digest", "--user", "555", "--date", "2026-11-25", "--json", "--config", str(config))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "clients_to_confirm": [],
        "dates_to_confirm": [],
        "follow_ups": [],
        "due_contacts": [{"client": "刘总", "tier": "A", "last_contact_on": "2026-10-01", "days_overdue": 25}],
        "birthdays": [{"client": "刘总", "on": "2026-11-26"}, {"client": "王姐", "on": "2026-11-26"}],
        "holidays": [],
        "maturities": [{"client": "刘总", "product": "DEPOSIT", "maturity_on": "2026-12-02", "days_left": 7}],
    }
    unknown = bot("digest", "--user", "9", "--date", "2026-11-25", "--json", "--config", str(config))
    assert unknown.returncode == 1 and "no RM" in unknown.stderr


def test_push_digests_without_a_token_says_so(tmp_path):
    result = bot("push-digests", "--date", "2026-11-25", cwd=tmp_path)
    assert result.returncode == 2 and "token" in result.stderr
    assert bot("push-digests", "--date", "25/11/2026", cwd=tmp_path).returncode == 2


async def test_push_digests_sends_every_active_rm_once(tmp_path, capsys):
    from bot.cli import push_digests
    from bot.offline_api import OfflineBotAPI
    from storage import Repository
    from datetime import datetime, timezone

    settings = Settings(storage=StorageSettings(database=str(tmp_path / "db.sqlite3")))
    repo = await Repository.open(settings.storage.database)
    for user_id in (1, 2, 3):
        await repo.rms.ensure(user_id, user_id, "", language="en", timezone="Asia/Shanghai", digest_time="08:30",
                              now=datetime.now(timezone.utc))
    await repo.rms.update(3, active=False)
    await repo.close()
    api = OfflineBotAPI()
    saturday = __import__("datetime").date(2026, 11, 28)  # the operator's command ignores working days
    assert await push_digests(settings, saturday, request=api) == 0
    assert await push_digests(settings, saturday, request=api) == 0
    assert sorted(s.chat_id for s in api.sent if s.method == "sendMessage") == [1, 2]
    assert json.loads(capsys.readouterr().out.splitlines()[-1]) == {"date": "2026-11-28", "already": 2}

"""The command line: parse (the checked interface), --config anywhere, the console."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

from bot.config import AccessSettings, Settings, StorageSettings
from bot.console import run_console

ROOT = Path(__file__).resolve().parents[1]
KEYS = ["client", "channel", "occurred_on", "needs", "amount", "follow_up_on", "follow_up_time"]


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
                        "amount": None, "follow_up_on": "2026-12-01", "follow_up_time": "15:00"}
    assert lines[1]["occurred_on"] is None and lines[1]["follow_up_on"] == "2026-11-27"


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
